using ServiceReach.Testing;

namespace ServiceReach.DemoRegion.Tests;

public class DeterminismTests
{
    private static readonly string[] ExpectedFiles =
    [
        "README.md", "gtfs/agency.txt", "gtfs/calendar.txt", "gtfs/calendar_dates.txt", "gtfs/feed_info.txt", "gtfs/routes.txt",
        "gtfs/stop_times.txt", "gtfs/stops.txt", "gtfs/trips.txt", "kernen-boundaries.geojson", "kernen.geojson",
        "municipalities.geojson", "population.geojson", "services.geojson", "streets.osm",
    ];

    private static List<string> FilesUnder(string folder) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(folder, f).Replace(Path.DirectorySeparatorChar, '/'))
            .Order(StringComparer.Ordinal).ToList();

    private static void AssertSameFiles(string expectedFolder, string actualFolder)
    {
        var expected = FilesUnder(expectedFolder);
        Assert.Equal(expected, FilesUnder(actualFolder));
        foreach (var file in expected)
        {
            var a = File.ReadAllBytes(Path.Combine(expectedFolder, file));
            var b = File.ReadAllBytes(Path.Combine(actualFolder, file));
            Assert.True(a.AsSpan().SequenceEqual(b), $"{file} differs between {expectedFolder} and {actualFolder}");
        }
    }

    [Fact]
    public void SameSeed_WritesByteIdenticalFiles_AndTheSummaryListsThemAll()
    {
        var first = DemoData.For(DemoRegionGenerator.DefaultSeed);
        var second = Path.Combine(Path.GetTempPath(), "servicereach-demo-again-" + Guid.NewGuid().ToString("N"));
        try
        {
            var summary = DemoRegionGenerator.Generate(second);
            AssertSameFiles(first.Folder, second);
            Assert.Equal(ExpectedFiles, summary.Files);
            Assert.Equal(ExpectedFiles, FilesUnder(second));
        }
        finally
        {
            Directory.Delete(second, recursive: true);
        }
    }

    [Fact]
    public void OtherSeed_BendsTheGeometry_ButKeepsTheDesign()
    {
        var standard = DemoData.For(DemoRegionGenerator.DefaultSeed);
        var other = DemoData.For(DemoData.OtherSeed);
        Assert.NotEqual(File.ReadAllText(standard.PathOf("streets.osm")), File.ReadAllText(other.PathOf("streets.osm")));
        Assert.NotEqual(File.ReadAllText(standard.PathOf("population.geojson")), File.ReadAllText(other.PathOf("population.geojson")));
        static List<string> Design(DemoData d) => d.Features("kernen.geojson")
            .Select(f => f.GetProperty("properties")).Select(p => $"{p.GetProperty("name")}|{p.GetProperty("population")}|{p.GetProperty("population_65plus")}").ToList();
        Assert.Equal(Design(standard), Design(other));
    }

    [Fact]
    public void CommittedFiles_EqualAFreshRun()
    {
        if (Environment.GetEnvironmentVariable("DEMO_REGENERATE") == "1")
            Assert.Skip("DEMO_REGENERATE=1: the folder is being rewritten; Regenerate_CommittedFiles_WhenAsked checks it instead.");
        var committed = Path.Combine(RepositoryRoot.Require(), "geodata", "demo");
        Assert.True(Directory.Exists(committed), $"{committed} is missing: regenerate it with DEMO_REGENERATE=1 (see geodata/demo/README.md).");
        AssertSameFiles(committed, DemoData.For(DemoRegionGenerator.DefaultSeed).Folder);
    }

    [Fact]
    public void TotalSize_StaysUnderThreeMegabytes()
    {
        var folder = DemoData.For(DemoRegionGenerator.DefaultSeed).Folder;
        var bytes = FilesUnder(folder).Sum(f => new FileInfo(Path.Combine(folder, f)).Length);
        Assert.InRange(bytes, 100_000, 3_000_000);
    }

    /// <summary>Writes geodata/demo when DEMO_REGENERATE=1; the only way the committed files are meant to change.</summary>
    [Fact]
    public void Regenerate_CommittedFiles_WhenAsked()
    {
        if (Environment.GetEnvironmentVariable("DEMO_REGENERATE") != "1")
            Assert.Skip("Set DEMO_REGENERATE=1 to rewrite geodata/demo from the generator.");
        var committed = Path.Combine(RepositoryRoot.Require(), "geodata", "demo");
        var summary = DemoRegionGenerator.Generate(committed);
        foreach (var stale in FilesUnder(committed).Except(summary.Files)) File.Delete(Path.Combine(committed, stale));
        AssertSameFiles(committed, DemoData.For(DemoRegionGenerator.DefaultSeed).Folder);
    }
}
