using System.Diagnostics;
using System.Text.RegularExpressions;

namespace ServiceReach.Api.Tests;

/// <summary>GDAL as a real client: ogrinfo reads the OGC API Features endpoint and ogr2ogr a GeoJSON export; counts match the database.</summary>
/// <summary>Runs alone: other test classes add and delete service points in the shared database, which would race the counts.</summary>
[CollectionDefinition(nameof(GdalClientTests), DisableParallelization = true)]
public sealed class GdalCollection;

[Collection(nameof(GdalClientTests))]
public sealed partial class GdalClientTests(ApiFixture fx)
{
    [GeneratedRegex(@"Feature Count: (\d+)")]
    private static partial Regex FeatureCount();

    private static string RequireTool(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin").Split(':'))
        {
            var p = Path.Combine(dir, name);
            if (File.Exists(p)) return p;
        }
        Assert.Skip($"{name} (apt package gdal-bin) is not installed; run scripts/install-test-tools.sh as root to enable the GDAL client tests.");
        return "";
    }

    private static async Task<(int Exit, string Out, string Err)> Run(string exe, params string[] args)
    {
        var psi = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["GDAL_HTTP_TIMEOUT"] = "60";
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync(TestContext.Current.CancellationToken);
        return (p.ExitCode, await stdout, await stderr);
    }

    [Fact]
    public async Task Ogrinfo_reads_every_stored_collection_with_the_database_counts()
    {
        var ogrinfo = RequireTool("ogrinfo");
        var url = await fx.KestrelUrlAsync();
        foreach (var (collection, table) in new[] { ("kernen", "kern"), ("service_points", "service_point"), ("population_units", "population_unit"), ("municipalities", "municipality") })
        {
            var (exit, stdout, stderr) = await Run(ogrinfo, "-ro", "-so", $"OAPIF:{url}/ogc", collection);
            Assert.True(exit == 0, $"ogrinfo failed for {collection}: {stderr}");
            Assert.DoesNotContain("ERROR", stderr);
            var m = FeatureCount().Match(stdout);
            Assert.True(m.Success, stdout);
            Assert.Equal(await DemoDatabase.ScalarAsync(fx.ConnectionString, $"SELECT count(*) FROM {table}"), long.Parse(m.Groups[1].Value));
        }
        // Reading all features (not just the count) exercises GDAL's paging through our next links.
        var (e2, all, err2) = await Run(ogrinfo, "-ro", "-al", "-q", "-oo", "PAGE_SIZE=7", $"OAPIF:{url}/ogc", "service_points");
        Assert.True(e2 == 0, err2);
        Assert.Equal(await DemoDatabase.ScalarAsync(fx.ConnectionString, "SELECT count(*) FROM service_point"), Regex.Matches(all, @"OGRFeature\(service_points\)").Count);
    }

    [Fact]
    public async Task Ogr2ogr_converts_a_geojson_export()
    {
        var ogr2ogr = RequireTool("ogr2ogr");
        var ogrinfo = RequireTool("ogrinfo");
        var url = await fx.KestrelUrlAsync();
        var dir = Directory.CreateTempSubdirectory("sr-gdal-");
        try
        {
            // Download the export as a user would (the file name comes from Content-Disposition), then convert it.
            using var http = new HttpClient();
            using var response = await http.GetAsync($"{url}/api/exports/gaps.geojson", TestContext.Current.CancellationToken);
            var name = response.Content.Headers.ContentDisposition!.FileName!.Trim('"');
            var geojson = Path.Combine(dir.FullName, name);
            await File.WriteAllBytesAsync(geojson, await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken), TestContext.Current.CancellationToken);
            var gpkg = Path.Combine(dir.FullName, "gaps.gpkg");
            var (exit, _, err) = await Run(ogr2ogr, "-f", "GPKG", gpkg, geojson);
            Assert.True(exit == 0, err);
            var (e2, info, err2) = await Run(ogrinfo, "-ro", "-so", "-al", gpkg);
            Assert.True(e2 == 0, err2);
            Assert.Equal(await DemoDatabase.ScalarAsync(fx.ConnectionString, "SELECT count(*) FROM kern"), long.Parse(FeatureCount().Match(info).Groups[1].Value));
            Assert.Contains("gap_score", info);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
