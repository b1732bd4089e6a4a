using NetTopologySuite.Geometries;
using ServiceReach.Exchange.Export;
using ServiceReach.Exchange.Import;
using ServiceReach.Testing;

namespace ServiceReach.Exchange.Tests;

/// <summary>Export stored layers and re-import them into a fresh database: the data must come back equal.</summary>
public class ExportRoundTripTests
{
    private static string Demo(string file)
    {
        var path = Path.Combine(RepositoryRoot.Require(), "geodata", "demo", file);
        if (!File.Exists(path)) Assert.Skip($"{path} is not generated yet.");
        return path;
    }

    // Row fingerprints without database ids and timestamps; geometry as exact text (grid 0) or left out (grid < 0).
    private static string Fingerprint(double grid) => grid < 0 ? Fingerprint(0).Replace("ST_AsText(ST_SnapToGrid(", "ST_GeometryType(ST_SnapToGrid(", StringComparison.Ordinal) : $"""
        SELECT 'k' || string_agg(concat_ws('|', source, source_id, name, municipality_code, population, population65_plus, typology,
                 ST_AsText(ST_SnapToGrid(centre, {grid})), ST_AsText(ST_SnapToGrid(boundary, {grid}))), ';' ORDER BY source_id) FROM kern
        UNION ALL
        SELECT 's' || string_agg(concat_ws('|', p.source, p.source_id, p.name, p.channel, p.opening_hours, p.status, p.valid_from, p.valid_to,
                 ST_AsText(ST_SnapToGrid(p.location, {grid})), k.source_id,
                 (SELECT string_agg(category_code, ',' ORDER BY category_code) FROM service_point_category c WHERE c.service_point_id = p.id)), ';' ORDER BY p.source_id)
          FROM service_point p LEFT JOIN kern k ON k.id = p.kern_id
        UNION ALL
        SELECT 'p' || string_agg(concat_ws('|', source, source_id, population, population65_plus, ST_AsText(ST_SnapToGrid(geometry, {grid}))), ';' ORDER BY source_id) FROM population_unit
        UNION ALL
        SELECT 'm' || string_agg(concat_ws('|', nis_code, name, population, ST_AsText(ST_SnapToGrid(boundary, {grid}))), ';' ORDER BY nis_code) FROM municipality
        """;

    private static async Task<ScratchDb> LoadDemoAsync()
    {
        var db = await ScratchDb.CreateAsync();
        var importer = new Importer(db.ConnectionString);
        await importer.ImportAsync(new ImportRequest(LayerKind.Kernen, Demo("kernen-boundaries.geojson"), "demo"));
        await importer.ImportAsync(new ImportRequest(LayerKind.ServicePoints, Demo("services.geojson"), "demo"));
        await importer.ImportAsync(new ImportRequest(LayerKind.PopulationUnits, Demo("population.geojson"), "demo"));
        await importer.ImportAsync(new ImportRequest(LayerKind.Municipalities, Demo("municipalities.geojson"), "demo"));
        return db;
    }

    [Fact]
    public async Task GeoJson_export_reimports_equal_to_six_decimals()
    {
        await using var original = await LoadDemoAsync();
        await using var copy = await ScratchDb.CreateAsync();
        var dir = Directory.CreateTempSubdirectory("sr-export-");
        try
        {
            var exporter = new Exporter(original.ConnectionString);
            var importer = new Importer(copy.ConnectionString);
            foreach (var (layer, geometry) in new[] { (LayerKind.Kernen, KernGeometry.Boundary), (LayerKind.ServicePoints, KernGeometry.Centre), (LayerKind.PopulationUnits, KernGeometry.Centre), (LayerKind.Municipalities, KernGeometry.Centre) })
            {
                var path = Path.Combine(dir.FullName, Exporter.LayerName(layer) + ".geojson");
                var n = await exporter.ExportGeoJsonAsync(layer, path, new ExportFilter { KernGeometry = geometry });
                Assert.True(n > 0);
                var report = await importer.ImportAsync(new ImportRequest(layer, path, "demo"));
                Assert.Equal(n, report.Inserted);
                Assert.Equal(0, report.Rejected);
            }
            // Attributes equal exactly; geometries within the 6-decimal rounding (0.5e-6 per vertex; a kern centre, the point
            // on surface of the rounded outline, may move by about 1e-6).
            Assert.Equal((await original.QueryAsync(Fingerprint(-1))).Select(r => r[0]), (await copy.QueryAsync(Fingerprint(-1))).Select(r => r[0]));
            const string geometries = """
                SELECT 'k' || source_id, centre FROM kern UNION ALL SELECT 'kb' || source_id, boundary FROM kern
                UNION ALL SELECT 's' || source_id, location FROM service_point UNION ALL SELECT 'p' || source_id, geometry FROM population_unit
                UNION ALL SELECT 'm' || nis_code, boundary FROM municipality ORDER BY 1
                """;
            var a = await original.QueryAsync(geometries);
            var b = await copy.QueryAsync(geometries);
            Assert.Equal(a.Select(r => r[0]), b.Select(r => r[0]));
            for (var i = 0; i < a.Count; i++)
            {
                var ca = ((Geometry)a[i][1]!).Coordinates;
                var cb = ((Geometry)b[i][1]!).Coordinates;
                Assert.Equal(ca.Length, cb.Length);
                var tolerance = ((string)a[i][0]!).StartsWith("k", StringComparison.Ordinal) && !((string)a[i][0]!).StartsWith("kb", StringComparison.Ordinal) ? 2e-6 : 0.5e-6 + 1e-12;
                for (var j = 0; j < ca.Length; j++)
                {
                    Assert.InRange(Math.Abs(ca[j].X - cb[j].X), 0, tolerance);
                    Assert.InRange(Math.Abs(ca[j].Y - cb[j].Y), 0, tolerance);
                }
            }
        }
        finally
        {
            dir.Delete(true);
        }
    }

    [Fact]
    public async Task GeoPackage_export_reimports_exactly_and_filters_select_the_right_features()
    {
        await using var original = await LoadDemoAsync();
        await using var copy = await ScratchDb.CreateAsync();
        var dir = Directory.CreateTempSubdirectory("sr-export-");
        try
        {
            var exporter = new Exporter(original.ConnectionString);
            var path = Path.Combine(dir.FullName, "demo.gpkg");
            var layers = new[] { LayerKind.Kernen, LayerKind.ServicePoints, LayerKind.PopulationUnits, LayerKind.Municipalities };
            var counts = await exporter.ExportGeoPackageAsync(path, layers, new ExportFilter { KernGeometry = KernGeometry.Boundary });
            var importer = new Importer(copy.ConnectionString);
            for (var i = 0; i < layers.Length; i++)
            {
                var report = await importer.ImportAsync(new ImportRequest(layers[i], path, "demo") { SourceLayer = Exporter.LayerName(layers[i]) });
                Assert.Equal(counts[i], report.Inserted);
            }
            // GeoPackage keeps full double precision: exact equality.
            Assert.Equal((await original.QueryAsync(Fingerprint(0))).Select(r => r[0]), (await copy.QueryAsync(Fingerprint(0))).Select(r => r[0]));

            // Filters, against counts computed independently in SQL.
            var inBroekhoven = await original.CountAsync("SELECT count(*) FROM service_point p, municipality m WHERE m.nis_code = '99002' AND ST_Intersects(p.location, m.boundary)");
            var filtered = new List<NetTopologySuite.Features.IFeature>();
            await foreach (var f in exporter.ReadFeaturesAsync(LayerKind.ServicePoints, new ExportFilter(Municipality: "Broekhoven"))) filtered.Add(f);
            Assert.Equal(inBroekhoven, filtered.Count);
            Assert.InRange(inBroekhoven, 1, counts[1] - 1);

            var box = new Envelope(4.60, 4.66, 51.00, 51.03);
            var inBox = await original.CountAsync("SELECT count(*) FROM service_point WHERE ST_Intersects(location, ST_MakeEnvelope(4.60, 51.00, 4.66, 51.03, 4326))");
            var boxed = 0;
            await foreach (var f in exporter.ReadFeaturesAsync(LayerKind.ServicePoints, new ExportFilter(BoundingBox: box)))
            {
                Assert.True(box.Contains(f.Geometry!.Coordinate));
                boxed++;
            }
            Assert.Equal(inBox, boxed);
            await Assert.ThrowsAsync<ArgumentException>(() => exporter.ValidateFilterAsync(new ExportFilter(Municipality: "Nergensdorp")));
        }
        finally
        {
            dir.Delete(true);
        }
    }
}
