using System.Text.Json;
using ServiceReach.Exchange.Import;
using ServiceReach.Testing;

namespace ServiceReach.Exchange.Tests;

/// <summary>
/// The Limburg kern shapefile (Lambert 72, names in a CSV, types in a separate polygon map) against its GeoJSON twin
/// converted by ogr2ogr: same 295 areas (285 kernen + 10 outside areas), names and types, geometries within 0.5 m.
/// </summary>
public class LimburgKernenTests
{
    [Fact]
    public async Task Shapefile_in_Lambert72_and_its_GeoJSON_twin_give_the_same_kernen_within_half_a_metre()
    {
        var shp = SharedGeoData.Require("admin/pic-shapefiles/kern.shp");
        var typology = SharedGeoData.Require("admin/pic-shapefiles/kerntypering.shp");
        var names = SharedGeoData.Require("admin/geojson/kern_limburg_names.csv");
        var twin = SharedGeoData.Require("admin/geojson/kern_limburg_named.wgs84.geojson");
        var dir = Directory.CreateTempSubdirectory("sr-limburg-");
        await using var db = await ScratchDb.CreateAsync();
        try
        {
            // The municipality's-own-file path: a mapping file joins names by key and the kern type by polygon.
            var mappingPath = Path.Combine(dir.FullName, "kern-mapping.json");
            await File.WriteAllTextAsync(mappingPath, JsonSerializer.Serialize(new
            {
                fields = new Dictionary<string, string> { ["source_id"] = "kern", ["name"] = "name", ["typology"] = "kerntyperi" },
                joins = new object[]
                {
                    new { file = names, key = "geoitem code", on = "kern", columns = new[] { "name" } },
                    new { file = typology, columns = new[] { "kerntyperi" } },
                },
            }));
            var importer = new Importer(db.ConnectionString);
            var fromShp = await importer.ImportAsync(new ImportRequest(LayerKind.Kernen, shp, "pic-shp", Mapping: FieldMapping.Load(mappingPath)));
            var fromJson = await importer.ImportAsync(new ImportRequest(LayerKind.Kernen, twin, "pic-geojson"));

            // kern.shp holds one extra record without key or geometry name (its first); it is rejected with its feature number.
            Assert.Equal(296, fromShp.Read);
            Assert.Equal(1, fromShp.Rejected);
            Assert.Contains(fromShp.Problems, p => p.Contains("kern.shp, feature 1: rejected: kern without a name", StringComparison.Ordinal));
            Assert.Equal(295, fromShp.Inserted);
            Assert.Equal(295, fromJson.Inserted);

            var twinDoc = JsonDocument.Parse(await File.ReadAllBytesAsync(twin));
            var expected = twinDoc.RootElement.GetProperty("features").EnumerateArray()
                .Select(f => f.GetProperty("properties"))
                .ToDictionary(p => p.GetProperty("kern").GetString()!, p => (Name: p.GetProperty("name").GetString(), Type: p.GetProperty("kerntypering").GetString()));
            Assert.Equal(285, expected.Count(e => e.Value.Type != "3"));
            Assert.Equal(10, expected.Count(e => e.Value.Type == "3"));

            var rows = await db.QueryAsync("""
                SELECT a.source_id, a.name, a.typology, b.name,
                       ST_HausdorffDistance(ST_Transform(a.boundary, 31370), ST_Transform(b.boundary, 31370)) AS metres,
                       ST_NumGeometries(a.boundary) = ST_NumGeometries(b.boundary)
                FROM kern a JOIN kern b ON b.source = 'pic-geojson' AND b.source_id = a.source_id
                WHERE a.source = 'pic-shp' ORDER BY a.source_id
                """);
            Assert.Equal(295, rows.Count);
            foreach (var r in rows)
            {
                var key = (string)r[0]!;
                Assert.Equal(expected[key].Name, (string)r[1]!);
                Assert.Equal(expected[key].Name, (string)r[3]!);
                Assert.Equal(expected[key].Type, (string?)r[2]);
                Assert.True((double)r[4]! < 0.5, $"kern {key}: shapefile and GeoJSON differ by {(double)r[4]!:F3} m");
                Assert.True((bool)r[5]!, $"kern {key}: different number of parts");
            }
            // The GeoJSON twin's municipality (NIS) and type label arrive through the default mapping.
            Assert.Equal(41, await db.CountAsync("SELECT count(*) FROM kern WHERE source = 'pic-geojson' AND typology = 'bovenlokaal'"));
            Assert.Equal("71002", (await db.QueryAsync("SELECT municipality_code FROM kern WHERE source = 'pic-geojson' AND source_id = '71002_1'")).Single()[0]);
        }
        finally
        {
            dir.Delete(true);
        }
    }
}
