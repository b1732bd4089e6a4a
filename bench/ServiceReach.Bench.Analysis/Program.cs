// Bench command for the access analysis (issue 6). Usage (from the repository root, PostGIS running):
//   eval "$(scripts/postgis.sh env)"; dotnet run -c Release --project bench/ServiceReach.Bench.Analysis -- [path/to/shared/geodata]
// It imports the Puurs extract's place nodes and POIs into a scratch database, then times the full analysis
// (kernen × 16 categories × walk, reduced-mobility walk, bike, e-bike and bus+walk over 07:00–09:00 with the Belgian rail feed)
// and a one-service scenario rerun, after the graphs are loaded.
using System.Diagnostics;
using Npgsql;
using ServiceReach.Analysis;
using ServiceReach.Domain;
using ServiceReach.Exchange.Import;
using ServiceReach.Routing;
using ServiceReach.Storage;
using ServiceReach.Transit.Analysis;
using ServiceReach.Transit.Gtfs;
using ServiceReach.Transit.Model;

// `mosaic COLSxROWS [geodata]`: the Flanders-sized scaling run (kernen and services copied into every tile).
var mosaic = args.Length > 0 && args[0] == "mosaic";
var tiles = mosaic && args.Length > 1 ? args[1].Split('x').Select(int.Parse).ToArray() : [1, 1];
if (mosaic) args = args.Skip(2).ToArray();
var geodata = args.Length > 0 ? args[0] : Path.GetFullPath(Path.Combine("..", "shared", "geodata"));
var pbf = Path.Combine(geodata, "osm", "puurs.osm.pbf");
var gtfs = Path.Combine(geodata, "gtfs", "sncb-13-october.zip");
if (!File.Exists(pbf)) { Console.Error.WriteLine($"missing {pbf}"); return 2; }
var admin = Environment.GetEnvironmentVariable("SERVICEREACH_DB") ?? throw new InvalidOperationException("set SERVICEREACH_DB (scripts/postgis.sh env)");

var dbName = $"bench_analysis_{Environment.ProcessId}";
using (var c = new NpgsqlConnection(admin)) { c.Open(); new NpgsqlCommand($"CREATE DATABASE {dbName}", c).ExecuteNonQuery(); }
var cs = new NpgsqlConnectionStringBuilder(admin) { Database = dbName }.ConnectionString;
try
{
    using (var c = new NpgsqlConnection(cs)) { c.Open(); new NpgsqlCommand("CREATE EXTENSION postgis", c).ExecuteNonQuery(); }
    await RegionLoader.LoadOsmAsync(cs, pbf, "osm");

    var sw = Stopwatch.StartNew();
    var network = StreetNetwork.Build(pbf, Profile.BuiltIn);
    var buildSeconds = sw.Elapsed.TotalSeconds;
    var input = await StoredAnalysis.LoadAsync(cs, null, ServiceCatalogue.Default, "Puurs");
    if (mosaic) return RunMosaic(network, input, tiles[0], tiles[1]);

    sw.Restart();
    var feed = GtfsReader.Read(new GtfsSource(gtfs));
    var walking = new StreetWalkingAccess(network);
    var timetable = TimetableBuilder.Build(feed, new DateOnly(2019, 10, 15), new TimetableOptions { Walking = walking });
    var bus = new TransitBusReach(timetable, walking, new DoorToDoorOptions(), "SNCB 2019-10-15 07:00-09:00");
    var timetableSeconds = sw.Elapsed.TotalSeconds;

    var analysis = new AccessAnalysis(network, bus);
    analysis.Run(input); // warm-up (JIT, snapping caches)
    var full = new List<double>();
    AnalysisResult? baseline = null;
    for (var i = 0; i < 3; i++)
    {
        sw.Restart();
        baseline = analysis.Run(input);
        full.Add(sw.Elapsed.TotalSeconds);
    }
    var bakery = input.Services.First(s => s.CountsForReach && s.Categories.Contains("bakery"));
    var scenario = new List<double>();
    for (var i = 0; i < 5; i++)
    {
        sw.Restart();
        analysis.RunScenario(baseline!, new Scenario("close") { CloseServiceIds = [bakery.Id] });
        scenario.Add(sw.Elapsed.TotalSeconds);
    }
    full.Sort();
    scenario.Sort();
    Console.WriteLine($"Puurs: {input.Kernen.Count} kernen, {input.Services.Count(s => s.CountsForReach)} open service points, {ServiceCatalogue.Default.Categories.Count} categories, 5 modes");
    Console.WriteLine($"street graph build (4 profiles): {buildSeconds:F2} s; timetable + walking transfers: {timetableSeconds:F2} s ({timetable.StopCount} stops)");
    Console.WriteLine($"full analysis after graphs are loaded: median {full[1]:F2} s (min {full[0]:F2}, max {full[2]:F2}); goal ≤ 10 s");
    Console.WriteLine($"one-service scenario rerun (close '{bakery.Name}'): median {scenario[2]:F3} s (min {scenario[0]:F3}, max {scenario[4]:F3}); goal ≤ 1 s");
    Console.WriteLine($"naive alternative (one search per kern × category × street mode): {input.Kernen.Count * 16 * 4} searches instead of {16 * 4}");
    return 0;
}
finally
{
    NpgsqlConnection.ClearAllPools();
    using var c = new NpgsqlConnection(admin);
    c.Open();
    new NpgsqlCommand($"DROP DATABASE IF EXISTS {dbName} WITH (FORCE)", c).ExecuteNonQuery();
}

// Copies the kernen and services into every tile at the same offsets as the street mosaic, then times walk + bike.
static int RunMosaic(StreetNetwork tile, AnalysisInput input, int cols, int rows)
{
    var sw = Stopwatch.StartNew();
    var network = Mosaic.Tile(tile, cols, rows);
    var tilingSeconds = sw.Elapsed.TotalSeconds;
    var b = tile.Bounds;
    // The mosaic shifts copies by whole 1e-7 degrees; use the same rounding.
    double w = Math.Round((b.MaxLon - b.MinLon) * 1e7) / 1e7, h = Math.Round((b.MaxLat - b.MinLat) * 1e7) / 1e7;
    var kernen = new List<KernInput>();
    var services = new List<ServiceInput>();
    long stride = 1_000_000;
    for (var r = 0; r < rows; r++)
    {
        for (var c = 0; c < cols; c++)
        {
            long t = r * cols + c;
            foreach (var k in input.Kernen)
                kernen.Add(k with { Id = t * stride + k.Id, Lon = k.Lon + c * w, Lat = k.Lat + r * h, Population = Math.Max(1, k.Population), MunicipalityCode = $"tile{t}" });
            foreach (var s in input.Services)
                services.Add(s with { Id = t * stride + s.Id, Lon = s.Lon + c * w, Lat = s.Lat + r * h, KernId = s.KernId is { } kid ? t * stride + kid : null });
        }
    }
    var big = new AnalysisInput(kernen, services, [], input.Catalogue, $"mosaic {cols}x{rows}");
    var analysis = new AccessAnalysis(network, null, new AnalysisOptions { StreetModes = [Mode.Walk, Mode.Bike] });
    sw.Restart();
    var result = analysis.Run(big);
    var seconds = sw.Elapsed.TotalSeconds;
    var peak = Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024 * 1024);
    Console.WriteLine($"mosaic {cols}x{rows}: {network.NodeCount:N0} nodes, {network.EdgeCount:N0} edges, {kernen.Count:N0} kernen, {services.Count(s => s.CountsForReach):N0} open service points, 16 categories, walk + bike");
    Console.WriteLine($"tiling {tilingSeconds:F1} s; full analysis (snapping, 32 multi-source searches, per-kern counts, scores, advice, indicator) {seconds:F1} s; peak working set {peak:F2} GiB; goal ≤ 120 s, ≤ 8 GB");
    Console.WriteLine($"check: {result.Advice.Count} advised kernen, {result.Unsnapped.Count} unsnapped points");
    return 0;
}
