using System.Diagnostics;
using System.Globalization;
using System.Text;
using ServiceReach.Domain;
using ServiceReach.Exchange.Import;
using ServiceReach.Testing;

namespace ServiceReach.Exchange.Tests;

public class CrsTests
{
    [Theory]
    [InlineData("admin/pic-shapefiles/kern.prj", CoordinateSystems.BelgianLambert72)]
    [InlineData("admin/pic-shapefiles/gewest.prj", CoordinateSystems.BelgianLambert72)]
    public void Real_prj_files_are_recognised(string prj, int expected)
        => Assert.Equal(expected, CrsRecognizer.FromWkt(File.ReadAllText(SharedGeoData.Require(prj))));

    [Fact]
    public void Esri_and_epsg_wkt_of_the_known_systems_are_recognised_by_their_parameters()
    {
        const string lambert2008Esri = "PROJCS[\"Belge_Lambert_2008\",GEOGCS[\"GCS_ETRS_1989\",DATUM[\"D_ETRS_1989\",SPHEROID[\"GRS_1980\",6378137.0,298.257222101]],PRIMEM[\"Greenwich\",0.0],UNIT[\"Degree\",0.0174532925199433]],PROJECTION[\"Lambert_Conformal_Conic\"],PARAMETER[\"False_Easting\",649328.0],PARAMETER[\"False_Northing\",665262.0],PARAMETER[\"Central_Meridian\",4.359215833333333],PARAMETER[\"Standard_Parallel_1\",49.83333333333334],PARAMETER[\"Standard_Parallel_2\",51.16666666666666],PARAMETER[\"Latitude_Of_Origin\",50.797815],UNIT[\"Meter\",1.0]]";
        const string wgs84Esri = "GEOGCS[\"GCS_WGS_1984\",DATUM[\"D_WGS_1984\",SPHEROID[\"WGS_1984\",6378137.0,298.257223563]],PRIMEM[\"Greenwich\",0.0],UNIT[\"Degree\",0.0174532925199433]]";
        Assert.Equal(CoordinateSystems.BelgianLambert2008, CrsRecognizer.FromWkt(lambert2008Esri));
        Assert.Equal(CoordinateSystems.Wgs84, CrsRecognizer.FromWkt(wgs84Esri));
        // Lambert 72 parameters with another false easting is not Lambert 72: refused, not guessed.
        Assert.Null(CrsRecognizer.FromWkt(File.ReadAllText(SharedGeoData.Require("admin/pic-shapefiles/kern.prj")).Replace("150000.013", "150000.0", StringComparison.Ordinal)));
        Assert.Equal(CoordinateSystems.BelgianLambert72, CrsRecognizer.FromUrn("urn:ogc:def:crs:EPSG::31370"));
        Assert.Equal(CoordinateSystems.Wgs84, CrsRecognizer.FromUrn("urn:ogc:def:crs:OGC:1.3:CRS84"));
        Assert.Null(CrsRecognizer.FromUrn("urn:ogc:def:crs:EPSG::32631"));
        Assert.Equal(CoordinateSystems.BelgianLambert2008, CrsRecognizer.Parse("lambert2008"));
        Assert.Throws<ArgumentException>(() => CrsRecognizer.Parse("EPSG:3857"));
    }

    [Fact]
    public async Task Lambert72_csv_made_by_PostGIS_imports_within_half_a_metre_of_the_wgs84_original()
    {
        var services = Path.Combine(RepositoryRoot.Require(), "geodata", "demo", "services.geojson");
        if (!File.Exists(services)) Assert.Skip("geodata/demo is not generated yet.");
        await using var db = await ScratchDb.CreateAsync();
        var importer = new Importer(db.ConnectionString);
        await importer.ImportAsync(new ImportRequest(LayerKind.ServicePoints, services, "wgs84"));

        // PostGIS (PROJ, an independent implementation) writes the points in Lambert 72 as a semicolon CSV with decimal commas.
        var rows = await db.QueryAsync("""
            SELECT source_id, name, ST_X(ST_Transform(location, 31370)), ST_Y(ST_Transform(location, 31370)),
                   (SELECT string_agg(category_code, '|' ORDER BY category_code) FROM service_point_category c WHERE c.service_point_id = p.id)
            FROM service_point p ORDER BY source_id
            """);
        var csv = new StringBuilder("id;naam;X_LAMBERT;Y_LAMBERT;type\n");
        static string DecimalComma(object v) => ((double)v).ToString("F3", CultureInfo.InvariantCulture).Replace('.', ',');
        foreach (var r in rows) csv.Append($"{r[0]};\"{((string)r[1]!).Replace("\"", "\"\"", StringComparison.Ordinal)}\";{DecimalComma(r[2]!)};{DecimalComma(r[3]!)};{r[4]}\n");
        var path = Path.Combine(Path.GetTempPath(), "sr-lambert-" + Guid.NewGuid().ToString("N") + ".csv");
        await File.WriteAllTextAsync(path, csv.ToString(), Encoding.Latin1);
        try
        {
            var mapping = new FieldMapping
            {
                Fields = new Dictionary<string, string> { ["source_id"] = "id", ["name"] = "naam", ["categories"] = "type" },
                X = "X_LAMBERT",
                Y = "Y_LAMBERT",
                Crs = "EPSG:31370",
            };
            var report = await importer.ImportAsync(new ImportRequest(LayerKind.ServicePoints, path, "lambert", Mapping: mapping));
            Assert.Equal(rows.Count, report.Inserted);
            var worst = (await db.QueryAsync("""
                SELECT max(ST_Distance(a.location::geography, b.location::geography)), count(*) FILTER (WHERE a.name = b.name)
                FROM service_point a JOIN service_point b ON b.source = 'lambert' AND b.source_id = a.source_id WHERE a.source = 'wgs84'
                """)).Single();
            // ProjNet's Helmert shift vs PROJ's Belge 1972 transformation: sub-metre agreement expected.
            Assert.True((double)worst[0]! < 0.5, $"worst distance {(double)worst[0]!:F3} m");
            Assert.Equal((long)rows.Count, worst[1]);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Geojson_with_legacy_crs_member_in_Lambert72_equals_the_shapefile()
    {
        var shp = SharedGeoData.Require("admin/pic-shapefiles/kernwinkelgebied.shp");
        var dir = Directory.CreateTempSubdirectory("sr-crs-");
        try
        {
            var geojson = Path.Combine(dir.FullName, "winkel-lambert.geojson");
            try
            {
                using var p = Process.Start(new ProcessStartInfo("ogr2ogr", ["-f", "GeoJSON", geojson, shp]) { RedirectStandardError = true })!;
                p.WaitForExit();
                if (p.ExitCode != 0) Assert.Skip("ogr2ogr failed: " + p.StandardError.ReadToEnd());
            }
            catch (System.ComponentModel.Win32Exception)
            {
                Assert.Skip("ogr2ogr (gdal-bin) is not installed; it writes the Lambert GeoJSON with a crs member.");
            }
            Assert.Contains("EPSG::31370", await File.ReadAllTextAsync(geojson));
            await using var db = await ScratchDb.CreateAsync();
            var importer = new Importer(db.ConnectionString);
            var mapping = new FieldMapping { Fields = new Dictionary<string, string> { ["name"] = "naam" } };
            var a = await importer.ImportAsync(new ImportRequest(LayerKind.Kernen, shp, "shp", Mapping: mapping));
            var b = await importer.ImportAsync(new ImportRequest(LayerKind.Kernen, geojson, "json", Mapping: mapping));
            Assert.Equal(a.Inserted, b.Inserted);
            Assert.Equal(0, await db.CountAsync("""
                SELECT count(*) FROM kern a JOIN kern b ON b.source = 'json' AND b.source_id = a.source_id
                WHERE a.source = 'shp' AND ST_HausdorffDistance(a.boundary, b.boundary) > 1e-9
                """));
            Assert.Equal(a.Inserted, await db.CountAsync("SELECT count(*) FROM kern a JOIN kern b ON b.source = 'json' AND b.source_id = a.source_id WHERE a.source = 'shp'"));
        }
        finally
        {
            dir.Delete(true);
        }
    }
}
