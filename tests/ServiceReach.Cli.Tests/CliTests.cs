using System.Diagnostics;
using System.Text.Json;
using ServiceReach.Testing;

namespace ServiceReach.Cli.Tests;

/// <summary>The `servicereach` command as a user runs it: a separate process against a scratch PostGIS database.</summary>
public sealed class CliTests : IDisposable
{
    private readonly string _out = Path.Combine(Path.GetTempPath(), $"sr-cli-{Guid.NewGuid():N}");
    private readonly List<string> _databases = [];

    public void Dispose()
    {
        foreach (var db in _databases) PostGisServer.DropScratchDatabase(db);
        if (Directory.Exists(_out)) Directory.Delete(_out, recursive: true);
    }

    private static (int Exit, string Output) Run(string? connectionString, params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "servicereach.dll");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepositoryRoot.Require() };
        psi.ArgumentList.Add(dll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["COLUMNS"] = "200";
        if (connectionString is null) psi.Environment.Remove("SERVICEREACH_DB");
        else psi.Environment["SERVICEREACH_DB"] = connectionString;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(4))) { p.Kill(true); throw new TimeoutException("servicereach did not finish in 4 minutes"); }
        return (p.ExitCode, stdout.Result + stderr.Result);
    }

    [Fact]
    public void Demo_imports_the_bundled_region_analyses_it_and_writes_its_layers()
    {
        var cs = PostGisServer.CreateScratchDatabase("cli_demo");
        _databases.Add(cs);
        var (exit, output) = Run(cs, "demo", "--out", _out, "--cache", Path.Combine(_out, "cache"));
        Assert.True(exit == 0, output);
        Assert.Contains("FICTIONAL", output);
        Assert.Contains("Basket within 15 min", output);

        using var kernen = JsonDocument.Parse(File.ReadAllText(Path.Combine(_out, "kernen.geojson")));
        var features = kernen.RootElement.GetProperty("features");
        using var source = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Require(), "geodata", "demo", "kernen.geojson")));
        Assert.Equal(source.RootElement.GetProperty("features").GetArrayLength(), features.GetArrayLength());
        foreach (var f in features.EnumerateArray())
        {
            var props = f.GetProperty("properties");
            Assert.True(props.GetProperty("gap_score").GetDouble() >= 0);
            Assert.False(string.IsNullOrWhiteSpace(props.GetProperty("advice").GetString()));
            Assert.False(string.IsNullOrWhiteSpace(props.GetProperty("reasons").GetString()));
        }
        foreach (var layer in new[] { "reach", "network", "population-units", "services", "isochrones" })
            Assert.True(File.Exists(Path.Combine(_out, layer + ".geojson")), layer);
        Assert.Contains("Official basket indicator", File.ReadAllText(Path.Combine(_out, "report.txt")));
        Assert.True(new FileInfo(Path.Combine(_out, "analysis.gpkg")).Length > 0);

        // Running it again changes nothing in the store (idempotent import) and still succeeds.
        var (again, output2) = Run(cs, "demo", "--out", _out, "--cache", Path.Combine(_out, "cache"));
        Assert.True(again == 0, output2);
        Assert.Contains("inserted 0", output2);

        // A what-if on the same store: a dorpspunt with a bakery in Eikenrode (which has none) and line A at half frequency.
        var eikenrode = features.EnumerateArray().Single(f => f.GetProperty("properties").GetProperty("name").GetString() == "Eikenrode");
        var lon = eikenrode.GetProperty("geometry").GetProperty("coordinates")[0].GetDouble();
        var lat = eikenrode.GetProperty("geometry").GetProperty("coordinates")[1].GetDouble();
        var scenarioOut = Path.Combine(_out, "scenario");
        var (s, sOutput) = Run(cs, "scenario", "--osm", "geodata/demo/streets.osm", "--gtfs", "geodata/demo/gtfs", "--date", "2026-03-03",
            "--name", "test", "--dorpspunt", FormattableString.Invariant($"{lon},{lat}:bakery,post_point"), "--route-headway", "A=2",
            "--out", scenarioOut, "--cache", Path.Combine(_out, "cache"));
        Assert.True(s == 0, sOutput);
        using var changes = JsonDocument.Parse(File.ReadAllText(Path.Combine(scenarioOut, "changes.geojson")));
        var eik = changes.RootElement.GetProperty("features").EnumerateArray()
            .Single(f => f.GetProperty("properties").GetProperty("kern").GetString() == "Eikenrode").GetProperty("properties");
        Assert.True(eik.GetProperty("gains").GetBoolean());
        Assert.Contains("bakery Walk", eik.GetProperty("changes").GetString());
        // Halving line A's frequency makes someone's bus trip longer.
        Assert.Contains(changes.RootElement.GetProperty("features").EnumerateArray(), f => f.GetProperty("properties").GetProperty("loses").GetBoolean());
        var (l, lOutput) = Run(cs, "runs", "list");
        Assert.True(l == 0, lOutput);
        Assert.Contains("test", lOutput);
    }

    [Fact]
    public void Without_a_database_the_command_says_how_to_get_one()
    {
        var (exit, output) = Run(null, "db", "migrate");
        Assert.Equal(1, exit);
        Assert.Contains("SERVICEREACH_DB", output);
        Assert.Contains("scripts/postgis.sh", output);
    }

    [Fact]
    public void Bad_arguments_get_one_clear_line_and_a_non_zero_exit()
    {
        var cs = PostGisServer.ConnectionString;
        var (exit, output) = Run(cs, "analyse", "--osm", "no/such/file.osm.pbf", "--out", _out);
        Assert.Equal(1, exit);
        Assert.Contains("no/such/file.osm.pbf", output);
        Assert.DoesNotContain("   at ", output);

        (exit, output) = Run(cs, "analyse", "--osm", "geodata/demo/streets.osm", "--window", "09:00-07:00", "--out", _out);
        Assert.Equal(1, exit);
        Assert.Contains("--window", output);
    }
}
