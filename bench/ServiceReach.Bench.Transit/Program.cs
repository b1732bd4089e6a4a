using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ServiceReach.Transit.Analysis;
using ServiceReach.Transit.Gtfs;
using ServiceReach.Transit.Model;
using ServiceReach.Transit.Routing;
using ServiceReach.Transit.Walking;

// Bench command for transit. Usage:
//   dotnet run -c Release --project bench/ServiceReach.Bench.Transit -- [all|one-to-all|range|puurs] [--max-transfers N] [--geodata DIR]
// Timings are wall-clock with Stopwatch after a warm-up; other processes on the machine make them noisy (see uptime).

var command = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal)) ?? "all";
var geodata = ArgValue("--geodata") ?? LocateGeodata() ?? throw new InvalidOperationException("geodata folder not found; pass --geodata DIR");
Console.WriteLine($"ServiceReach.Bench.Transit — {command}; {Environment.ProcessorCount} cores; load {LoadAverage()}; {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");

Timetable? rnv = null;
Timetable Rnv()
{
    if (rnv is not null) return rnv;
    var sw = Stopwatch.StartNew();
    var feed = GtfsReader.Read(Path.Combine(geodata, "gtfs/rnv-2016/rnv-gtfs.zip"));
    long read = sw.ElapsedMilliseconds;
    rnv = TimetableBuilder.Build(feed, new DateOnly(2016, 11, 15), new TimetableOptions { Walking = new StraightLineWalking(), MaxTransferWalkSeconds = 300 });
    Console.WriteLine($"RNV: read {read} ms, timetable 2016-11-15 {sw.ElapsedMilliseconds - read} ms: {rnv.StopCount} stops, {rnv.PatternCount} patterns, {rnv.TripCount} trips, {rnv.FootpathList.Count} footpaths (≤ 5 min walk)");
    return rnv;
}

if (command is "all" or "one-to-all") OneToAll(Rnv());
if (command is "all" or "range") RangeVersusIndependent(Rnv());
if (command is "all" or "puurs") PuursDoorToDoor();
return 0;

void OneToAll(Timetable tt)
{
    const int queries = 500;
    var raptor = new Raptor(tt, maxTransfers: 8);
    var random = new Random(1);
    var origins = Enumerable.Range(0, queries).Select(_ => (Stop: random.Next(tt.StopCount), Departure: random.Next(6 * 3600, 20 * 3600))).ToArray();
    for (int i = 0; i < 50; i++) raptor.Run([new StopAccess(origins[i].Stop, 0)], origins[i].Departure);   // warm-up
    var ms = new double[queries];
    long reached = 0;
    for (int i = 0; i < queries; i++)
    {
        long t0 = Stopwatch.GetTimestamp();
        var arrivals = raptor.Run([new StopAccess(origins[i].Stop, 0)], origins[i].Departure);
        ms[i] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
        foreach (var a in arrivals) if (a != Raptor.Unreachable) reached++;
    }
    Array.Sort(ms);
    Console.WriteLine($"one origin → all stops, RNV, max 8 transfers, {queries} random origins/departures 06–20h: median {ms[queries / 2]:0.00} ms, p95 {ms[(int)(queries * 0.95)]:0.00} ms, max {ms[^1]:0.00} ms; on average {reached / queries} stops reached");
}

void RangeVersusIndependent(Timetable tt)
{
    const int origins = 20;
    int maxTransfers = int.Parse(ArgValue("--max-transfers") ?? "8", CultureInfo.InvariantCulture);
    var random = new Random(2);
    var stops = Enumerable.Range(0, origins).Select(_ => random.Next(tt.StopCount)).ToArray();
    var range = new Raptor(tt, maxTransfers);
    var single = new Raptor(tt, maxTransfers);
    long checksumRange = 0, checksumSingle = 0;
    range.RunRange([new StopAccess(stops[0], 0)], 7 * 3600, 9 * 3600, 60, (_, _) => { });   // warm-up
    single.Run([new StopAccess(stops[0], 0)], 7 * 3600);
    double rangeMs = 0, singleMs = 0;
    foreach (var stop in stops)
    {
        StopAccess[] access = [new StopAccess(stop, 0)];
        long t0 = Stopwatch.GetTimestamp();
        range.RunRange(access, 7 * 3600, 9 * 3600, 60, (_, arrivals) => { foreach (var a in arrivals) if (a != Raptor.Unreachable) checksumRange += a; });
        rangeMs += Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
        t0 = Stopwatch.GetTimestamp();
        for (int d = 9 * 3600 - 60; d >= 7 * 3600; d -= 60)
        {
            var arrivals = single.Run(access, d);
            foreach (var a in arrivals) if (a != Raptor.Unreachable) checksumSingle += a;
        }
        singleMs += Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
    }
    Console.WriteLine($"07:00–09:00 at 1 min (120 departures), RNV, max {maxTransfers} transfers, {origins} origins, callback reads all stops: "
        + $"range-RAPTOR {rangeMs / origins:0.0} ms/origin, 120 independent RAPTOR runs {singleMs / origins:0.0} ms/origin, ratio {singleMs / rangeMs:0.0}× (same answers: {checksumRange == checksumSingle})");
}

void PuursDoorToDoor()
{
    var pbf = Path.Combine(geodata, "osm/puurs.osm.pbf");
    var sncb = Path.Combine(geodata, "gtfs/sncb-13-october.zip");
    var sw = Stopwatch.StartNew();
    var feed = GtfsReader.Read(new GtfsSource(sncb, "sncb:"));
    var tt = TimetableBuilder.Build(feed, new DateOnly(2019, 10, 8), new TimetableOptions { Walking = new StraightLineWalking() });
    Console.WriteLine($"SNCB: read + timetable 2019-10-08 in {sw.ElapsedMilliseconds} ms: {tt.TripCount} trips, {tt.PatternCount} patterns");
    var (places, categories) = PuursPoints(pbf);
    Console.WriteLine($"Puurs: {places.Count} place=* nodes as kernen; categories: {string.Join(", ", categories.Select(c => $"{c.Key} {c.Value.Count}"))}");
    var analysis = new DoorToDoorAnalysis(tt, new StraightLineWalking(), new DoorToDoorOptions { WindowStart = 7 * 3600, WindowEnd = 9 * 3600, MaxTransfers = 3 });
    analysis.NearestByCategory(places.Take(2).ToList(), categories);   // warm-up
    sw.Restart();
    var result = analysis.NearestByCategory(places, categories);
    long ms = sw.ElapsedMilliseconds;
    int reachable = result.Values.Sum(r => r.Count(d => d.P50 != TravelTimeDistribution.Unreachable));
    Console.WriteLine($"door-to-door, {places.Count} kernen × {categories.Count} categories, 07:00–09:00 at 1 min, walk ≤ 15 min + rail: {ms} ms total ({reachable} of {places.Count * categories.Count} pairs with a median)");
}

(List<GeoPoint> Places, Dictionary<string, IReadOnlyList<GeoPoint>> Categories) PuursPoints(string pbf)
{
    // Points from OSM via osmium (nodes, and the first node of ways), so the bench needs no OSM reader of its own.
    var dir = Directory.CreateTempSubdirectory("sr-bench-");
    try
    {
        var filtered = Path.Combine(dir.FullName, "f.osm.pbf");
        var json = Path.Combine(dir.FullName, "f.geojsonseq");
        Run("osmium", $"tags-filter -o {filtered} {pbf} n/place nw/shop=supermarket,bakery nw/amenity=pharmacy,bank,post_office,library,school,doctors");
        Run("osmium", $"export -f geojsonseq -o {json} {filtered}");
        var places = new List<GeoPoint>();
        var categories = new Dictionary<string, List<GeoPoint>>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(json))
        {
            var text = line.TrimStart('\u001e');
            if (text.Length == 0) continue;
            using var doc = JsonDocument.Parse(text);
            var props = doc.RootElement.GetProperty("properties");
            var point = FirstCoordinate(doc.RootElement.GetProperty("geometry").GetProperty("coordinates"));
            if (props.TryGetProperty("place", out var place) && place.GetString() is "town" or "village" or "hamlet" or "suburb")
            {
                places.Add(point);
                continue;
            }
            string? category = props.TryGetProperty("shop", out var shop) ? shop.GetString() : props.TryGetProperty("amenity", out var amenity) ? amenity.GetString() : null;
            if (category is null) continue;
            if (!categories.TryGetValue(category, out var list)) categories[category] = list = [];
            list.Add(point);
        }
        return (places, categories.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<GeoPoint>)kv.Value));
    }
    finally { dir.Delete(true); }
}

static GeoPoint FirstCoordinate(JsonElement coordinates)
{
    var e = coordinates;
    while (e[0].ValueKind == JsonValueKind.Array) e = e[0];
    return new GeoPoint(e[1].GetDouble(), e[0].GetDouble());
}

static void Run(string exe, string arguments)
{
    using var p = Process.Start(new ProcessStartInfo(exe, arguments) { RedirectStandardError = true, RedirectStandardOutput = true })
        ?? throw new InvalidOperationException($"cannot start {exe}");
    p.WaitForExit();
    if (p.ExitCode != 0) throw new InvalidOperationException($"{exe} {arguments} failed: {p.StandardError.ReadToEnd()}");
}

string? ArgValue(string name)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

static string? LocateGeodata()
{
    var dir = new DirectoryInfo(AppContext.BaseDirectory);
    while (dir is not null)
    {
        if (File.Exists(Path.Combine(dir.FullName, "ServiceReach.sln")))
        {
            var candidate = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "geodata"));
            return Directory.Exists(candidate) ? candidate : null;
        }
        dir = dir.Parent;
    }
    return null;
}

static string LoadAverage()
{
    try { return File.ReadAllText("/proc/loadavg").Split(' ')[0]; }
    catch (IOException) { return "?"; }
}
