using System.Diagnostics;
using System.Globalization;
using System.Text;
using Npgsql;
using NpgsqlTypes;
using OsmSharp;
using OsmSharp.Streams;
using ServiceReach.Routing;

namespace ServiceReach.Bench.Routing;

/// <summary>
/// Stopwatch bench of our engine against pgRouting in the same run, on the same origins, with our own edges and
/// costs loaded into a scratch database (so both sides answer the same question). Prints a markdown table.
/// Origins: the 20 place=town/village/hamlet centres when the extract has ≥ 20 (Puurs), else 20 seeded random nodes.
/// </summary>
internal static class PgRoutingComparison
{
    private sealed record Options(string Osm, string Db, int Reps, bool Import);

    public static async Task<int> Run(string[] args)
    {
        string? osm = null, db = Environment.GetEnvironmentVariable("SERVICEREACH_DB");
        int reps = 3;
        bool import = true;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--osm": osm = args[++i]; break;
                case "--db": db = args[++i]; break;
                case "--reps": reps = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--no-import": import = false; break;
                default: Console.Error.WriteLine($"unknown argument {args[i]}"); return 2;
            }
        }
        if (osm is null || db is null)
        {
            Console.Error.WriteLine("compare --osm <file.osm.pbf> [--db <connection string> | env SERVICEREACH_DB] [--reps N] [--no-import]");
            return 2;
        }
        return await Compare(new Options(osm, db, reps, import));
    }

    private static async Task<int> Compare(Options o)
    {
        Console.WriteLine($"# {Path.GetFileName(o.Osm)} — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, load {LoadAverage()}");
        var rows = new List<string[]>();

        // ---------------- import / build / cache
        var buildTimes = new List<double>();
        StreetNetwork net = null!;
        for (int i = 0; i < o.Reps + 1; i++)
        {
            var sw = Stopwatch.StartNew();
            net = StreetNetwork.Build(o.Osm, Profile.BuiltIn);
            if (i > 0) buildTimes.Add(sw.Elapsed.TotalMilliseconds);
        }
        var cachePath = Path.Combine(Path.GetTempPath(), $"bench-{Guid.NewGuid():N}.srnet");
        net.Save(cachePath);
        long cacheBytes = new FileInfo(cachePath).Length;
        var loadTimes = new List<double>();
        for (int i = 0; i < o.Reps + 1; i++)
        {
            var sw = Stopwatch.StartNew();
            var loaded = StreetNetwork.Load(cachePath);
            if (i > 0) loadTimes.Add(sw.Elapsed.TotalMilliseconds);
            GC.KeepAlive(loaded);
        }
        File.Delete(cachePath);
        var walk = net.For(Profile.Pedestrian);
        Console.WriteLine($"graph: {net.NodeCount} nodes, {net.EdgeCount} edges, {net.ShapePointCount} shape points; {net.BytesPerEdge:F1} bytes/edge (4 profiles, no shapes); " +
                          $"walking router arcs {walk.Graph.MemoryBytes / (double)net.EdgeCount:F1} bytes/edge; cache {cacheBytes / 1048576.0:F2} MiB");

        double? o2p = null;
        if (o.Import) o2p = TimeOsm2PgRouting(o);

        // ---------------- scratch database with our edges
        var admin = new NpgsqlConnectionStringBuilder(o.Db);
        var dbName = $"bench_routing_{Guid.NewGuid():N}"[..40];
        await using (var c = new NpgsqlConnection(admin.ConnectionString))
        {
            await c.OpenAsync();
            await using var cmd = new NpgsqlCommand($"CREATE DATABASE {dbName}", c);
            await cmd.ExecuteNonQueryAsync();
        }
        var cs = new NpgsqlConnectionStringBuilder(o.Db) { Database = dbName, Pooling = false }.ConnectionString;
        try
        {
            await using var conn = new NpgsqlConnection(cs);
            await conn.OpenAsync();
            await Exec(conn, "CREATE EXTENSION postgis; CREATE EXTENSION pgrouting;");
            await WriteEdges(conn, net, walk);
            int utm = 32600 + (int)Math.Floor((net.Bounds.Centre.Lon + 180) / 6) + 1;

            // ---------------- origins
            var places = ReadPlaces(o.Osm);
            var g = walk.Graph;
            List<SnapResult> origins;
            if (places.Count >= 20)
            {
                origins = places.Take(20).Select(p => walk.Snap(p)).Where(s => s.Found).ToList();
            }
            else
            {
                var rng = new Random(42);
                var big = Enumerable.Range(0, net.NodeCount).Where(n => g.ComponentSize[g.Component[n]] >= 1000).ToArray();
                origins = Enumerable.Range(0, 20).Select(_ => walk.SnapToNode(big[rng.Next(big.Length)])).ToList();
            }
            // pgRouting starts at vertices: the nearer end node of each snapped edge (the same node for our node-set timing).
            var originNodes = origins.Select(s => s.Fraction <= 0.5 ? g.EdgeFrom[s.Edge] : g.EdgeTo[s.Edge]).ToArray();
            var nodeSnaps = originNodes.Select(n => walk.SnapToNode(n)).ToArray();
            Console.WriteLine($"origins: {origins.Count} ({(places.Count >= 20 ? "place centres" : "random nodes, seed 42")}), UTM EPSG:{utm} for pgRouting buffers");

            const string allEdges = "SELECT id, source, target, cost, reverse_cost FROM edges";
            string Boxed(int node) => string.Format(CultureInfo.InvariantCulture,
                "SELECT id, source, target, cost, reverse_cost FROM edges WHERE geom && ST_Expand(ST_SetSRID(ST_Point({0},{1}),4326), 0.025)",
                net.NodePoint(node).Lon, net.NodePoint(node).Lat);

            // ---------------- 15-min reach node set
            var ours = Measure(o.Reps, originNodes.Length, i => walk.OneToAll(nodeSnaps[i], 900).ReachedNodeCount);
            var pgAll = await MeasurePg(conn, o.Reps, originNodes.Length, i => ($"SELECT count(*) FROM pgr_drivingDistance('{allEdges}', {originNodes[i] + 1}, 900, directed => true)", []));
            var pgBox = await MeasurePg(conn, o.Reps, originNodes.Length, i => ($"SELECT count(*) FROM pgr_drivingDistance($${Boxed(originNodes[i])}$$, {originNodes[i] + 1}, 900, directed => true)", []));
            rows.Add(Row("15-min walk reach, node set", ours, pgAll, pgBox));
            // Same answers, not only speed: the reached node counts must match pgRouting's for every origin.
            int sameCount = 0;
            long ourNodes = 0;
            for (int i = 0; i < originNodes.Length; i++)
            {
                int n = walk.OneToAll(nodeSnaps[i], 900).ReachedNodeCount;
                ourNodes += n;
                await using var cmd = new NpgsqlCommand($"SELECT count(*) FROM pgr_drivingDistance('{allEdges}', {originNodes[i] + 1}, 900, directed => true)", conn);
                if (Convert.ToInt64(await cmd.ExecuteScalarAsync()) == n) sameCount++;
            }
            Console.WriteLine($"15-min reach: node counts equal to pgRouting's for {sameCount}/{originNodes.Length} origins (mean {ourNodes / (double)originNodes.Length:F0} nodes)");

            // ---------------- 15-min isochrone polygon
            var oursIso = Measure(o.Reps, origins.Count, i => walk.Isochrones(origins[i], [900])[0].AreaSquareMeters);
            // The issue's baseline passes the whole edge table; the boxed edge SQL is the faster, stricter peer.
            string IsoSql(string edgeSql, int node) => $"""
                WITH dd AS (SELECT node FROM pgr_drivingDistance($${edgeSql}$$, {node + 1}, 900, directed => true))
                SELECT ST_Area(u) FROM (SELECT ST_Union(ST_Buffer(ST_Transform(e.geom, {utm}), 35, 'quad_segs=4')) u
                  FROM edges e WHERE e.source IN (SELECT node FROM dd) AND e.target IN (SELECT node FROM dd)) x
                """;
            var pgIsoAll = await MeasurePg(conn, o.Reps, originNodes.Length, i => (IsoSql(allEdges, originNodes[i]), []));
            var pgIso = await MeasurePg(conn, o.Reps, originNodes.Length, i => (IsoSql(Boxed(originNodes[i]), originNodes[i]), []));
            rows.Add(Row("15-min walk isochrone polygon, 35 m buffer (pgRouting: whole / boxed edge SQL, ST_Buffer quad_segs=4 + ST_Union in UTM)", oursIso, pgIsoAll, pgIso));

            // ---------------- multi-source nearest supermarket
            var shops = ReadSupermarkets(o.Osm).Select(p => walk.Snap(p)).Where(s => s.Found).ToList();
            string shopLabel = $"supermarket ({shops.Count})";
            if (shops.Count == 0)
            {
                // Extracts without POIs (the RNV one holds roads only): 34 seeded random nodes stand in for the shops.
                var rng = new Random(34);
                var big = Enumerable.Range(0, net.NodeCount).Where(n => g.ComponentSize[g.Component[n]] >= 1000).ToArray();
                shops = Enumerable.Range(0, 34).Select(_ => walk.SnapToNode(big[rng.Next(big.Length)])).ToList();
                shopLabel = "source (34 random nodes; no shops in extract)";
            }
            if (shops.Count > 0)
            {
                var shopNodes = shops.Select(s => (long)(s.Fraction <= 0.5 ? g.EdgeFrom[s.Edge] : g.EdgeTo[s.Edge]) + 1).Distinct().ToArray();
                // The same question as pgRouting's equicost (nearest only), and ours with the second nearest as well.
                var oursNearest = Measure(o.Reps * 10, 1, _ => walk.NearestSource(shops, 1800).ReachedNodeCount);
                var oursMs = Measure(o.Reps * 10, 1, _ => walk.NearestSources(shops, 1800).ReachedNodeCount);
                var pgMs = await MeasurePg(conn, o.Reps * 10, 1, _ => ($"SELECT count(*) FROM pgr_drivingDistance('{allEdges}', @v, 1800, directed => true, equicost => true)", [("v", shopNodes)]));
                rows.Add(Row($"multi-source nearest {shopLabel}, 1,800 s (ours: nearest only, like equicost)", oursNearest, pgMs, null));
                rows.Add(Row($"multi-source nearest {shopLabel}, 1,800 s (ours: nearest + second nearest)", oursMs, pgMs, null));
            }
            else Console.WriteLine("no supermarkets in this extract: multi-source row skipped");

            // ---------------- 100 shortest paths in one call
            {
                var rng = new Random(7);
                var big = Enumerable.Range(0, net.NodeCount).Where(n => g.ComponentSize[g.Component[n]] == g.ComponentSize.Max()).ToArray();
                var pairs = Enumerable.Range(0, 100).Select(_ => (big[rng.Next(big.Length)], big[rng.Next(big.Length)])).ToArray();
                var pairSnaps = pairs.Select(p => (walk.SnapToNode(p.Item1), walk.SnapToNode(p.Item2))).ToArray();
                // The contraction hierarchy is built once per network and profile, ahead of the timed calls.
                var prep = Stopwatch.StartNew();
                walk.PrepareHierarchy();
                double prepMs = prep.Elapsed.TotalMilliseconds;
                var ch = walk.Hierarchy;
                double chBytesPerEdge = ch.MemoryBytes / (double)net.EdgeCount;
                Console.WriteLine($"contraction hierarchy (walking): prepared in {prepMs:F0} ms, {ch.ShortcutCount} shortcuts over {ch.OriginalArcCount} arcs, {chBytesPerEdge:F1} bytes/edge");
                var oursSp = Measure(o.Reps * 10, 1, _ =>
                {
                    double sum = 0;
                    foreach (var p in walk.ShortestPaths(pairSnaps)) sum += p.Meters;
                    return sum;
                });
                var values = string.Join(",", pairs.Select(p => $"({p.Item1 + 1},{p.Item2 + 1})"));
                var pgSp = await MeasurePg(conn, o.Reps * 10, 1, _ => ($"""
                    SELECT count(*), sum(ST_Length(e.geom::geography)) FROM pgr_dijkstra('{allEdges}', 'SELECT * FROM (VALUES {values}) AS t(source, target)', directed => true) d
                    JOIN edges e ON e.id = d.edge
                    """, []));
                rows.Add(Row("100 shortest paths in one call (with geometry; ours: contraction hierarchy)", oursSp, pgSp, null));
                rows.Add([$"contraction hierarchy preparation, once per network and profile ({chBytesPerEdge:F1} bytes/edge)", F(prepMs), "", "", "–", "", "", "", ""]);
            }

            if (o2p is double t)
                rows.Add([$"graph import (ours: build from PBF, 4 profiles; osm2pgrouting: pedestrian mapconfig)", F(Median(buildTimes)), "", "", F(t), "", "", Ratio(t, Median(buildTimes)), ""]);
            rows.Add([$"cache load ({cacheBytes / 1048576.0:F2} MiB) vs our build", F(Median(loadTimes)), "", "", "build " + F(Median(buildTimes)), "", "", Ratio(Median(buildTimes), Median(loadTimes)), ""]);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await using var c = new NpgsqlConnection(admin.ConnectionString);
            await c.OpenAsync();
            await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS {dbName} WITH (FORCE)", c);
            await cmd.ExecuteNonQueryAsync();
        }

        Console.WriteLine();
        Console.WriteLine("| task | ours p50 ms | ours p95 ms | ours CPU ms/query | pgRouting p50 ms | pgRouting CPU ms/query | pgRouting boxed p50 / CPU ms | ratio wall p50 (pg/ours) | ratio CPU (pg/ours) |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var r in rows) Console.WriteLine("| " + string.Join(" | ", r) + " |");
        return 0;
    }

    private static string[] Row(string task, (double P50, double P95, double Cpu) ours, (double P50, double P95, double Cpu) pg, (double P50, double P95, double Cpu)? pgBox)
        => [task, F(ours.P50), F(ours.P95), F(ours.Cpu), F(pg.P50), F(pg.Cpu), pgBox is { } b ? $"{F(b.P50)} / {F(b.Cpu)}" : "–",
            Ratio(pg.P50, ours.P50) + (pgBox is { } bb ? $" (boxed {Ratio(bb.P50, ours.P50)})" : ""),
            Ratio(pg.Cpu, ours.Cpu) + (pgBox is { } bc ? $" (boxed {Ratio(bc.Cpu, ours.Cpu)})" : "")];

    private static string F(double ms) => ms < 1 ? ms.ToString("F3", CultureInfo.InvariantCulture) : ms.ToString("F1", CultureInfo.InvariantCulture);
    private static string Ratio(double theirs, double ours) => (theirs / ours).ToString("F1", CultureInfo.InvariantCulture) + "×";

    private static (double P50, double P95, double Cpu) Measure<T>(int reps, int count, Func<int, T> work)
    {
        for (int w = 0; w < 3; w++)
            for (int i = 0; i < count; i++) GC.KeepAlive(work(i)); // warm-up passes
        var times = new List<double>();
        var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        for (int r = 0; r < reps; r++)
            for (int i = 0; i < count; i++)
            {
                var sw = Stopwatch.StartNew();
                GC.KeepAlive(work(i));
                times.Add(sw.Elapsed.TotalMilliseconds);
            }
        double cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalMilliseconds / times.Count;
        return (Percentile(times, 0.5), Percentile(times, 0.95), cpu);
    }

    private static async Task<(double P50, double P95, double Cpu)> MeasurePg(NpgsqlConnection conn, int reps, int count, Func<int, (string Sql, (string, long[])[] Params)> query)
    {
        async Task Once(int i)
        {
            var (sql, ps) = query(i);
            await using var cmd = new NpgsqlCommand(sql, conn);
            foreach (var (name, value) in ps) cmd.Parameters.AddWithValue(name, value);
            await using var r = await cmd.ExecuteReaderAsync();
            while (await r.ReadAsync()) { }
        }
        for (int i = 0; i < count; i++) await Once(i);
        var times = new List<double>();
        int backend;
        await using (var pidCmd = new NpgsqlCommand("SELECT pg_backend_pid()", conn)) backend = Convert.ToInt32(await pidCmd.ExecuteScalarAsync());
        double cpu0 = BackendCpuMs(backend);
        for (int rep = 0; rep < reps; rep++)
            for (int i = 0; i < count; i++)
            {
                var sw = Stopwatch.StartNew();
                await Once(i);
                times.Add(sw.Elapsed.TotalMilliseconds);
            }
        double cpu = (BackendCpuMs(backend) - cpu0) / times.Count;
        return (Percentile(times, 0.5), Percentile(times, 0.95), cpu);
    }

    /// <summary>User + system CPU of the PostgreSQL backend serving our connection (/proc, 10 ms ticks), NaN when unreadable.</summary>
    private static double BackendCpuMs(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            // After the command name: field 3 is the state; utime and stime are fields 14 and 15 of the full line.
            return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) * 10.0;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException) { return double.NaN; }
    }

    private static double Percentile(List<double> xs, double q)
    {
        var s = xs.Order().ToArray();
        if (s.Length == 0) return double.NaN;
        double pos = q * (s.Length - 1);
        int lo = (int)Math.Floor(pos), hi = (int)Math.Ceiling(pos);
        return s[lo] + (s[hi] - s[lo]) * (pos - lo);
    }

    private static double Median(List<double> xs) => Percentile(xs, 0.5);

    private static async Task Exec(NpgsqlConnection c, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, c);
        cmd.CommandTimeout = 600;
        await cmd.ExecuteNonQueryAsync();
    }

    /// <summary>Our walking edges (same ids, costs, geometry) as pgRouting's edge table.</summary>
    private static async Task WriteEdges(NpgsqlConnection conn, StreetNetwork net, Router walk)
    {
        await Exec(conn, "CREATE TABLE edges (id bigint primary key, source bigint, target bigint, cost float8, reverse_cost float8, wkt text, geom geometry(LineString, 4326))");
        var d = net.Data;
        int p = net.ProfileIndex(walk.Profile.Name);
        var geo = new EdgeGeometry(d);
        var pts = new List<GeoPoint>();
        await using (var w = await conn.BeginBinaryImportAsync("COPY edges (id, source, target, cost, reverse_cost, wkt) FROM STDIN (FORMAT BINARY)"))
        {
            var sb = new StringBuilder();
            for (int e = 0; e < d.EdgeCount; e++)
            {
                float f = d.ForwardSeconds[p][e], b = d.BackwardSeconds[p][e];
                if (float.IsPositiveInfinity(f) && float.IsPositiveInfinity(b)) continue;
                pts.Clear();
                geo.AppendPart(e, 0, 1, pts);
                sb.Clear().Append("LINESTRING(");
                for (int i = 0; i < pts.Count; i++)
                    sb.Append(i == 0 ? "" : ",").Append(pts[i].Lon.ToString("R", CultureInfo.InvariantCulture)).Append(' ').Append(pts[i].Lat.ToString("R", CultureInfo.InvariantCulture));
                sb.Append(')');
                await w.StartRowAsync();
                await w.WriteAsync((long)e + 1, NpgsqlDbType.Bigint);
                await w.WriteAsync((long)d.EdgeFrom[e] + 1, NpgsqlDbType.Bigint);
                await w.WriteAsync((long)d.EdgeTo[e] + 1, NpgsqlDbType.Bigint);
                await w.WriteAsync(float.IsPositiveInfinity(f) ? -1.0 : f, NpgsqlDbType.Double);
                await w.WriteAsync(float.IsPositiveInfinity(b) ? -1.0 : b, NpgsqlDbType.Double);
                await w.WriteAsync(sb.ToString(), NpgsqlDbType.Text);
            }
            await w.CompleteAsync();
        }
        await Exec(conn, "UPDATE edges SET geom = ST_GeomFromText(wkt, 4326); CREATE INDEX ON edges USING gist (geom); CREATE INDEX ON edges (source); CREATE INDEX ON edges (target);");
        await Exec(conn, "VACUUM ANALYZE edges");
    }

    private static double TimeOsm2PgRouting(Options o)
    {
        const string mapConfig = "/usr/share/osm2pgrouting/mapconfig_for_pedestrian.xml";
        if (!File.Exists("/usr/bin/osm2pgrouting") || !File.Exists(mapConfig)) { Console.WriteLine("osm2pgrouting not installed: import row skipped"); return double.NaN; }
        var work = Path.Combine(Path.GetTempPath(), $"bench-o2p-{Guid.NewGuid():N}");
        Directory.CreateDirectory(work);
        var admin = new NpgsqlConnectionStringBuilder(o.Db);
        var dbName = $"bench_o2p_{Guid.NewGuid():N}"[..36];
        try
        {
            var config = Path.Combine(work, "mapconfig.xml");
            File.WriteAllLines(config, File.ReadAllLines(mapConfig).Where(l => !l.Contains("--")));
            var xml = Path.Combine(work, "in.osm");
            Run("osmium", $"cat \"{o.Osm}\" -o \"{xml}\" --overwrite");
            using (var c = new NpgsqlConnection(admin.ConnectionString))
            {
                c.Open();
                using var cmd = new NpgsqlCommand($"CREATE DATABASE {dbName}", c);
                cmd.ExecuteNonQuery();
            }
            using (var c = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(o.Db) { Database = dbName, Pooling = false }.ConnectionString))
            {
                c.Open();
                using var cmd = new NpgsqlCommand("CREATE EXTENSION postgis; CREATE EXTENSION pgrouting;", c);
                cmd.ExecuteNonQuery();
            }
            var sw = Stopwatch.StartNew();
            Run("osm2pgrouting", $"-f \"{xml}\" -c \"{config}\" -d {dbName} -h {admin.Host} -p {admin.Port} -U {admin.Username} --clean");
            double ms = sw.Elapsed.TotalMilliseconds;
            Console.WriteLine($"osm2pgrouting (pedestrian mapconfig, from the XML made by osmium beforehand): {ms:F0} ms");
            return ms;
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            using (var c = new NpgsqlConnection(admin.ConnectionString))
            {
                c.Open();
                using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS {dbName} WITH (FORCE)", c);
                cmd.ExecuteNonQuery();
            }
            Directory.Delete(work, true);
        }
    }

    private static void Run(string exe, string args)
    {
        var psi = new ProcessStartInfo(exe, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        var so = p.StandardOutput.ReadToEndAsync();
        var se = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{exe} failed: {se.Result}{so.Result}");
    }

    private static List<GeoPoint> ReadPlaces(string osm)
    {
        var list = new List<GeoPoint>();
        using var s = File.OpenRead(osm);
        foreach (var g in new PBFOsmStreamSource(s))
            if (g is Node n && n.Tags is not null && n.Tags.TryGetValue("place", out var p) && p is "town" or "village" or "hamlet" && n.Latitude is double la && n.Longitude is double lo)
                list.Add(new GeoPoint(lo, la));
        return list;
    }

    /// <summary>shop=supermarket nodes, and ways at the mean of their known nodes.</summary>
    private static List<GeoPoint> ReadSupermarkets(string osm)
    {
        var coords = new Dictionary<long, GeoPoint>();
        var list = new List<GeoPoint>();
        using var s = File.OpenRead(osm);
        foreach (var g in new PBFOsmStreamSource(s))
        {
            if (g is Node n && n.Id is long id && n.Latitude is double la && n.Longitude is double lo)
            {
                coords[id] = new GeoPoint(lo, la);
                if (n.Tags is not null && n.Tags.TryGetValue("shop", out var shop) && shop == "supermarket") list.Add(new GeoPoint(lo, la));
            }
            else if (g is Way w && w.Tags is not null && w.Tags.TryGetValue("shop", out var wshop) && wshop == "supermarket" && w.Nodes is not null)
            {
                var known = w.Nodes.Where(coords.ContainsKey).Select(k => coords[k]).ToList();
                if (known.Count > 0) list.Add(new GeoPoint(known.Average(p => p.Lon), known.Average(p => p.Lat)));
            }
        }
        return list;
    }

    private static string LoadAverage()
    {
        try { return File.ReadAllText("/proc/loadavg").Split(' ')[0]; }
        catch (IOException) { return "?"; }
    }
}
