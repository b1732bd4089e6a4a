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
    await ServiceReachDb.MigrateAsync(cs);
    await using (var db = ServiceReachDb.Open(cs)) await CatalogueSync.ApplyAsync(db, ServiceCatalogue.Default);
    var importer = new Importer(cs);
    await importer.ImportAsync(new ImportRequest(LayerKind.Kernen, pbf, "osm"));
    await importer.ImportAsync(new ImportRequest(LayerKind.ServicePoints, pbf, "osm"));

    var sw = Stopwatch.StartNew();
    var network = StreetNetwork.Build(pbf, Profile.BuiltIn);
    var buildSeconds = sw.Elapsed.TotalSeconds;
    var input = await StoredAnalysis.LoadAsync(cs, null, ServiceCatalogue.Default, "Puurs");

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
