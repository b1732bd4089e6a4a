using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using ServiceReach.Api;
using ServiceReach.Api.Infrastructure;
using ServiceReach.Exchange.GeoJson;
using ServiceReach.Api.Services;
using ServiceReach.Domain;
using ServiceReach.Routing;
using ServiceReach.Storage;

// Load benchmarks of the web service on loopback (docs/benchmarks/api.md):
//   isochrones [--osm FILE] [--seconds 60] [--concurrency 32] [--minutes 5,10,15] [--mode walk]
//   stream [--features 100000]
// The service runs in this process on 127.0.0.1 (random port); the load client is HttpClient with N concurrent workers.
var command = args.Length > 0 ? args[0] : "";
string Opt(string name, string fallback)
{
    var i = Array.IndexOf(args, "--" + name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
}
var db = Environment.GetEnvironmentVariable("SERVICEREACH_DB")
         ?? throw new InvalidOperationException("Set SERVICEREACH_DB (eval \"$(scripts/postgis.sh env)\").");
var repo = FindRepo();
Console.WriteLine($"machine: {Environment.ProcessorCount} cores, load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]} at start (other builds may be running: timings are noisy)");
switch (command)
{
    case "isochrones":
        await Isochrones(Opt("osm", Path.Combine("..", "shared", "geodata", "osm", "puurs.osm.pbf")), int.Parse(Opt("seconds", "60"), CultureInfo.InvariantCulture),
            int.Parse(Opt("concurrency", "32"), CultureInfo.InvariantCulture), Opt("minutes", "5,10,15"), Opt("mode", "walk"));
        break;
    case "stream":
        await Stream(int.Parse(Opt("features", "100000"), CultureInfo.InvariantCulture));
        break;
    default:
        Console.Error.WriteLine("usage: ServiceReach.Bench.Api isochrones [--osm FILE] [--seconds 60] [--concurrency 32] [--minutes 5,10,15] [--mode walk] | stream [--features 100000]");
        return 2;
}
return 0;

async Task<(WebApplication App, string Url)> StartService(Dictionary<string, string?> settings)
{
    settings["ServiceReach:JsonLogs"] = "false";
    settings["Logging:LogLevel:Default"] = "Warning";
    settings["ServiceReach:CacheFolder"] = Path.Combine(repo, ".cache");
    var app = ServiceReachApp.Create(["--urls", "http://127.0.0.1:0"], b => b.Configuration.AddInMemoryCollection(settings));
    await app.StartAsync();
    return (app, app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
}

async Task Isochrones(string osm, int seconds, int concurrency, string minutes, string mode)
{
    var sw = Stopwatch.StartNew();
    var (app, url) = await StartService(new()
    {
        ["ServiceReach:Database"] = db, ["ServiceReach:StreetsOsm"] = osm, ["ServiceReach:Gtfs"] = "",
    });
    Console.WriteLine($"service on {url} with {Path.GetFileName(osm)} ready in {sw.Elapsed.TotalSeconds:F1} s");
    var streets = app.Services.GetRequiredService<StreetService>();
    ServiceReach.Api.Endpoints.AnalysisEndpoints.TryParseMode(mode, out var m);
    var router = streets.For(m);
    // 400 random origins inside the extract that snap to the network (deterministic seed).
    var rnd = new Random(20261123);
    var b = streets.Bounds;
    var origins = new List<GeoPoint>();
    while (origins.Count < 400)
    {
        var p = new GeoPoint(b.MinLon + rnd.NextDouble() * (b.MaxLon - b.MinLon), b.MinLat + rnd.NextDouble() * (b.MaxLat - b.MinLat));
        if (router.Snap(p, 150).Found) origins.Add(p);
    }
    var limits = minutes.Split(',').Select(x => double.Parse(x, CultureInfo.InvariantCulture) * 60).ToArray();

    // Peer: the same isochrones called in-process, one thread, no HTTP.
    var direct = Stopwatch.StartNew();
    var directCount = 0;
    var directAllocated = GC.GetAllocatedBytesForCurrentThread();
    while (direct.Elapsed.TotalSeconds < 10)
    {
        router.Isochrones(router.Snap(origins[directCount % origins.Count]), limits);
        directCount++;
    }
    var directMs = direct.Elapsed.TotalMilliseconds / directCount;
    directAllocated = (GC.GetAllocatedBytesForCurrentThread() - directAllocated) / directCount;
    Console.WriteLine($"peer (in-process Router.Isochrones, 1 thread, 10 s): {directCount} calls, {directMs:F2} ms each, {1000 / directMs:F1}/s, allocating {directAllocated / 1024.0:F0} KiB per call");

    // The response body alone: the same bands written as GeoJSON in-process (no HTTP), to split the per-request cost.
    var sampleBands = origins.Take(50).Select(o => (o, Snap: router.Snap(o))).Select(x => (x.o, x.Snap, Bands: router.Isochrones(x.Snap, limits))).ToList();
    var json = Stopwatch.StartNew();
    var jsonCount = 0;
    long jsonBytes = 0;
    var jsonAllocated = GC.GetAllocatedBytesForCurrentThread();
    while (json.Elapsed.TotalSeconds < 3)
    {
        var (o, snap, bands) = sampleBands[jsonCount++ % sampleBands.Count];
        using var body = new PooledBufferWriter(IsochroneJson.EstimateBytes(bands));
        IsochroneJson.Write(body, bands, new IsochroneOrigin(m.ToString(), Math.Round(o.Lon, 6), Math.Round(o.Lat, 6), Math.Round(snap.DistanceMeters, 1), null));
        jsonBytes += body.WrittenCount;
    }
    var jsonMs = json.Elapsed.TotalMilliseconds / jsonCount;
    jsonAllocated = (GC.GetAllocatedBytesForCurrentThread() - jsonAllocated) / jsonCount;
    Console.WriteLine($"GeoJSON body in-process (IsochroneJson, 1 thread, 3 s): {jsonMs:F3} ms per response of {jsonBytes / jsonCount:N0} bytes, allocating {jsonAllocated / 1024.0:F1} KiB");

    // The load client shares the 2 cores with the service, so it is kept lean: no proxy lookup, cookies, redirects or
    // decompression; the requests' URIs are parsed once; bodies are read into a per-worker buffer and only counted.
    using var handler = new SocketsHttpHandler
    {
        MaxConnectionsPerServer = concurrency, PooledConnectionLifetime = Timeout.InfiniteTimeSpan, UseProxy = false, UseCookies = false,
        AllowAutoRedirect = false, AutomaticDecompression = System.Net.DecompressionMethods.None,
    };
    using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(60) };
    var uris = origins.Select(o => new Uri(new Uri(url), FormattableString.Invariant($"/api/isochrone?lon={o.Lon:F6}&lat={o.Lat:F6}&mode={mode}&minutes={minutes}"))).ToArray();
    // Warm up: 2 s.
    await RunLoad(http, uris, concurrency, TimeSpan.FromSeconds(2));
    GC.Collect();
    var memory = new List<(double T, long WorkingSet, long Heap)>();
    var clock = Stopwatch.StartNew();
    using var sampler = new Timer(_ =>
    {
        using var proc = Process.GetCurrentProcess();
        lock (memory) memory.Add((clock.Elapsed.TotalSeconds, proc.WorkingSet64, GC.GetTotalMemory(false)));
    }, null, 0, 1000);
    var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
    var allocated0 = GC.GetTotalAllocatedBytes();
    var gc0 = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
    var pause0 = GC.GetTotalPauseDuration();
    var load = await RunLoad(http, uris, concurrency, TimeSpan.FromSeconds(seconds));
    var elapsed = clock.Elapsed.TotalSeconds;
    var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalMilliseconds;
    var allocated = GC.GetTotalAllocatedBytes() - allocated0;
    var pause = (GC.GetTotalPauseDuration() - pause0).TotalMilliseconds;
    var latencies = load.Latencies;
    latencies.Sort();
    var ok = latencies.Count;
    double P(double q) => ok == 0 ? double.NaN : latencies[Math.Min(ok - 1, (int)Math.Ceiling(q * ok) - 1)];
    Console.WriteLine($"load: {concurrency} concurrent GET /api/isochrone?mode={mode}&minutes={minutes} for {elapsed:F0} s; load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]} at the end");
    Console.WriteLine($"  requests {ok + load.Errors}, ok {ok}, errors {load.Errors} {string.Join(" ", load.Statuses.Select(kv => $"[{kv.Key}×{kv.Value}]"))}");
    Console.WriteLine($"  throughput {ok / elapsed:F1} req/s (peer single-thread in-process {1000 / directMs:F1}/s; ratio {ok / elapsed / (1000 / directMs):F2})");
    Console.WriteLine($"  latency ms: p50 {P(0.50):F1}  p95 {P(0.95):F1}  p99 {P(0.99):F1}  max {latencies.LastOrDefault():F1}");
    Console.WriteLine($"  response: {(ok == 0 ? 0 : load.Bytes / ok):N0} bytes on average ({load.Bytes / 1e6 / elapsed:F1} MB/s)");
    Console.WriteLine($"  process (service + client): CPU {cpu / Math.Max(1, ok):F2} ms per request ({cpu / 1000 / elapsed:F2} of {Environment.ProcessorCount} cores), " +
                      $"allocated {allocated / Math.Max(1, ok) / 1024.0:F0} KiB per request, GCs gen0/1/2 {GC.CollectionCount(0) - gc0.Item1}/{GC.CollectionCount(1) - gc0.Item2}/{GC.CollectionCount(2) - gc0.Item3}, " +
                      $"GC pauses {pause:F0} ms ({100 * pause / 1000 / elapsed:F1} % of the time); {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")} GC");
    lock (memory)
    {
        var first = memory.Skip(2).Take(5).ToList();
        var last = memory.TakeLast(5).ToList();
        Console.WriteLine($"  memory: working set {Mb(first.Average(x => x.WorkingSet))} MB in the first 5 s → {Mb(last.Average(x => x.WorkingSet))} MB in the last 5 s " +
                          $"(max {Mb(memory.Max(x => x.WorkingSet))} MB); managed heap {Mb(first.Average(x => x.Heap))} → {Mb(last.Average(x => x.Heap))} MB");
    }
    await app.DisposeAsync();
}

static async Task<LoadResult> RunLoad(HttpClient http, Uri[] uris, int concurrency, TimeSpan duration)
{
    var result = new LoadResult();
    var until = Stopwatch.StartNew();
    var workers = Enumerable.Range(0, concurrency).Select(w => Task.Run(async () =>
    {
        var mine = new List<double>(4096);
        var buffer = new byte[64 * 1024];
        long bytes = 0;
        var i = w * 13;
        while (until.Elapsed < duration)
        {
            var uri = uris[i++ % uris.Length];
            var t = Stopwatch.GetTimestamp();
            try
            {
                // Headers first, then the body read and counted (not parsed): the latency includes the whole body.
                using var r = await http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead);
                await using var body = await r.Content.ReadAsStreamAsync();
                long n = 0;
                int read;
                while ((read = await body.ReadAsync(buffer)) > 0) n += read;
                var ms = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
                if (r.IsSuccessStatusCode && (r.Content.Headers.ContentLength is null || r.Content.Headers.ContentLength == n))
                {
                    mine.Add(ms);
                    bytes += n;
                }
                else result.Error(r.IsSuccessStatusCode ? "truncated" : ((int)r.StatusCode).ToString(CultureInfo.InvariantCulture));
            }
            catch (Exception ex)
            {
                result.Error(ex.GetType().Name);
            }
        }
        result.Add(mine, bytes);
    })).ToArray();
    await Task.WhenAll(workers);
    return result;
}

async Task Stream(int features)
{
    var name = $"bench_api_stream_{Guid.NewGuid():N}"[..40];
    var admin = new NpgsqlConnectionStringBuilder(db);
    await using (var conn = new NpgsqlConnection(admin.ConnectionString))
    {
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", conn);
        await cmd.ExecuteNonQueryAsync();
    }
    var cs = new NpgsqlConnectionStringBuilder(db) { Database = name }.ConnectionString;
    try
    {
        await using (var conn = new NpgsqlConnection(cs))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand("CREATE EXTENSION postgis", conn);
            await cmd.ExecuteNonQueryAsync();
        }
        await ServiceReachDb.MigrateAsync(cs);
        var sw = Stopwatch.StartNew();
        await using (var conn = new NpgsqlConnection(cs))
        {
            await conn.OpenAsync();
            // A grid of 100 m cells (square polygons) with resident counts: a national population grid in miniature.
            await using var cmd = new NpgsqlCommand("""
                INSERT INTO population_unit (name, geometry, population, population65_plus, reference_year, source, source_id, updated_at)
                SELECT 'cell ' || i, ST_MakeEnvelope(4.0 + (i % 400) * 0.0015, 51.0 + (i / 400) * 0.0009, 4.0 + (i % 400) * 0.0015 + 0.0014, 51.0 + (i / 400) * 0.0009 + 0.0008, 4326),
                       (i::bigint * 7919) % 300, (i::bigint * 104729) % 60, 2025, 'bench', i::text, now()
                FROM generate_series(0, @n - 1) AS i
                """, conn);
            cmd.Parameters.AddWithValue("n", features);
            cmd.CommandTimeout = 600;
            await cmd.ExecuteNonQueryAsync();
        }
        Console.WriteLine($"{features:N0} population cells inserted in {sw.Elapsed.TotalSeconds:F1} s");
        var (app, url) = await StartService(new()
        {
            ["ServiceReach:Database"] = cs, ["ServiceReach:StreetsOsm"] = Path.Combine(repo, "geodata/demo/streets.osm"), ["ServiceReach:Gtfs"] = "",
        });
        using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromMinutes(10) };
        foreach (var limit in new[] { features / 10, features })
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            using var proc0 = Process.GetCurrentProcess();
            var before = proc0.WorkingSet64;
            long peak = before, peakHeap = GC.GetTotalMemory(false);
            var done = false;
            var sampler = Task.Run(async () =>
            {
                while (!Volatile.Read(ref done))
                {
                    using var p = Process.GetCurrentProcess();
                    peak = Math.Max(peak, p.WorkingSet64);
                    peakHeap = Math.Max(peakHeap, GC.GetTotalMemory(false));
                    await Task.Delay(20);
                }
            });
            var t = Stopwatch.StartNew();
            // OGC items with a page as large as the layer for the first run (10 %), the full export for the second.
            var path = limit == features ? "/api/exports/population_units.geojson" : $"/ogc/collections/population_units/items?limit={limit}";
            using var r = await http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead);
            r.EnsureSuccessStatusCode();
            await using var body = await r.Content.ReadAsStreamAsync();
            var buffer = new byte[81920];
            long bytes = 0;
            int n;
            while ((n = await body.ReadAsync(buffer)) > 0) bytes += n;
            var secs = t.Elapsed.TotalSeconds;
            Volatile.Write(ref done, true);
            await sampler;
            Console.WriteLine($"GET {path}: {limit:N0} features, {bytes / 1e6:F1} MB in {secs:F2} s = {bytes / 1e6 / secs:F1} MB/s; " +
                              $"process working set {Mb(before)} MB before, peak {Mb(peak)} MB (+{Mb(peak - before)} MB); managed heap peak {Mb(peakHeap)} MB");
        }
        // Peer: ogr2ogr writing the same table as GeoJSON to /dev/null, when installed.
        if (File.Exists("/usr/bin/ogr2ogr"))
        {
            var b = new NpgsqlConnectionStringBuilder(cs);
            var psi = new ProcessStartInfo("/usr/bin/ogr2ogr", ["-f", "GeoJSON", "/vsistdout/", $"PG:host={b.Host} port={b.Port} user={b.Username} dbname={b.Database}", "population_unit"])
            { RedirectStandardOutput = true, RedirectStandardError = true };
            var t = Stopwatch.StartNew();
            using var p = Process.Start(psi)!;
            long bytes = 0;
            var buf = new byte[81920];
            int n;
            var errTask = p.StandardError.ReadToEndAsync();
            while ((n = await p.StandardOutput.BaseStream.ReadAsync(buf)) > 0) bytes += n;
            await p.WaitForExitAsync();
            var secs = t.Elapsed.TotalSeconds;
            Console.WriteLine($"peer ogr2ogr PG → GeoJSON stdout: {bytes / 1e6:F1} MB in {secs:F2} s = {bytes / 1e6 / secs:F1} MB/s (exit {p.ExitCode}) {(await errTask).Trim()}");
        }
        await app.DisposeAsync();
    }
    finally
    {
        NpgsqlConnection.ClearAllPools();
        await using var conn = new NpgsqlConnection(admin.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", conn);
        await cmd.ExecuteNonQueryAsync();
    }
}

static string Mb(double bytes) => (bytes / 1048576).ToString("F0", CultureInfo.InvariantCulture);

static string FindRepo()
{
    for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
    {
        if (File.Exists(Path.Combine(d.FullName, "ServiceReach.sln"))) return d.FullName;
    }
    return Directory.GetCurrentDirectory();
}

/// <summary>What the load workers measured: latencies of successful requests, their body bytes, errors by status or exception.</summary>
internal sealed class LoadResult
{
    private readonly Lock _gate = new();

    public List<double> Latencies { get; } = [];
    public long Bytes { get; private set; }
    public int Errors { get; private set; }
    public SortedDictionary<string, int> Statuses { get; } = new(StringComparer.Ordinal);

    public void Add(List<double> latencies, long bytes)
    {
        lock (_gate)
        {
            Latencies.AddRange(latencies);
            Bytes += bytes;
        }
    }

    public void Error(string kind)
    {
        lock (_gate)
        {
            Errors++;
            Statuses[kind] = Statuses.GetValueOrDefault(kind) + 1;
        }
    }
}
