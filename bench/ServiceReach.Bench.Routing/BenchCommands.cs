using System.Diagnostics;
using System.Globalization;
using ServiceReach.Routing;

namespace ServiceReach.Bench.Routing;

internal static class BenchCommands
{
    public static async Task<int> Run(string[] args)
    {
        CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        if (args.Length >= 2 && args[0] == "stats")
        {
            var sw = Stopwatch.StartNew();
            var net = StreetNetwork.Build(args[1], Profile.BuiltIn);
            Console.WriteLine($"build {sw.ElapsedMilliseconds} ms: nodes {net.NodeCount}, edges {net.EdgeCount}, shape {net.ShapePointCount}, bytes/edge {net.BytesPerEdge:F1}");
            var st = net.BuildStatistics!;
            Console.WriteLine($"ways {st.WaysRead}, routable {st.RoutableWays}, missing refs {st.MissingNodeReferences}, gap-split ways {st.GapSplits}, dropped single-node pieces {st.PiecesDropped}");
            foreach (var p in net.Profiles) Console.WriteLine($"  {p.Name}: {net.TotalLengthMeters(p.Name) / 1000:F1} km");
            foreach (var (h, l) in net.LengthByHighway()) Console.WriteLine($"  {h}: {l / 1000:F1} km");
            var r = net.For(Profile.Pedestrian);
            var sizes = r.Graph.ComponentSize.Where(s => s > 0).OrderDescending().Take(8);
            Console.WriteLine("largest walking components: " + string.Join(", ", sizes));
            return 0;
        }
        if (args.Length >= 2 && args[0] == "iso")
        {
            var net = StreetNetwork.Build(args[1], Profile.BuiltIn);
            var walk = net.For(Profile.Pedestrian);
            var rng = new Random(1);
            var b = net.Bounds;
            var snaps = Enumerable.Range(0, 20).Select(_ => walk.Snap(new GeoPoint(b.MinLon + rng.NextDouble() * (b.MaxLon - b.MinLon), b.MinLat + rng.NextDouble() * (b.MaxLat - b.MinLat)), 2000)).Where(s => s.Found).ToList();
            foreach (var s in snaps) walk.Isochrones(s, [900]);
            int reps = args.Length >= 3 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 5;
            var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            double area = 0;
            for (int rep = 0; rep < reps; rep++) foreach (var s in snaps) area += walk.Isochrones(s, [900])[0].AreaSquareMeters;
            Console.WriteLine($"{snaps.Count * reps} isochrones: {sw.Elapsed.TotalMilliseconds / (snaps.Count * reps):F2} ms each ({(Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalMilliseconds / (snaps.Count * reps):F2} ms CPU), mean area {area / (snaps.Count * reps) / 1e6:F3} km²");
            sw.Restart();
            for (int rep = 0; rep < 5; rep++) foreach (var s in snaps) walk.OneToAll(s, 900);
            Console.WriteLine($"one-to-all {sw.Elapsed.TotalMilliseconds / (snaps.Count * 5):F3} ms each");
            return 0;
        }
        if (args.Length >= 2 && args[0] == "paths")
        {
            var net = StreetNetwork.Build(args[1], Profile.BuiltIn);
            var walk = net.For(Profile.Pedestrian);
            var g = walk.Graph;
            var rng = new Random(7);
            var big = Enumerable.Range(0, net.NodeCount).Where(n => g.ComponentSize[g.Component[n]] == g.ComponentSize.Max()).ToArray();
            var pairs = Enumerable.Range(0, 100).Select(_ => (walk.SnapToNode(big[rng.Next(big.Length)]), walk.SnapToNode(big[rng.Next(big.Length)]))).ToArray();
            // A* rounds first: once the hierarchy exists, ShortestPath answers from it.
            var aStarMs = new List<double>();
            double aStarSum = 0;
            for (int round = 0; round < 3; round++)
            {
                var sw = Stopwatch.StartNew();
                double s1 = 0;
                foreach (var (a, b) in pairs) s1 += walk.OneToMany(a, [b]).Seconds[0];
                double tD = sw.Elapsed.TotalMilliseconds;
                sw.Restart();
                double s2 = 0;
                foreach (var (a, b) in pairs) s2 += walk.ShortestPath(a, b).Seconds;
                double tA = sw.Elapsed.TotalMilliseconds;
                aStarMs.Add(tA);
                aStarSum = s2;
                sw.Restart();
                long settled = 0;
                foreach (var (a, b) in pairs)
                {
                    var sp = walk.Pool.Rent();
                    walk.RunAStar(sp, a, b);
                    settled += sp.SettledCount;
                    walk.Pool.Return(sp);
                }
                Console.WriteLine($"A* only {sw.Elapsed.TotalMilliseconds:F1} ms, {settled / 100} settled per query of {net.NodeCount}");
                sw.Restart();
                var shops = pairs.Take(30).Select(p => p.Item1).ToList();
                int reached = walk.NearestSources(shops, 1800).ReachedNodeCount;
                double tM = sw.Elapsed.TotalMilliseconds;
                Console.WriteLine($"dijkstra-to-target {tD:F1} ms, A* with geometry {tA:F1} ms (sums {s1:F3} / {s2:F3}); multi-source {tM:F2} ms ({reached} nodes)");
            }
            var swBuild = Stopwatch.StartNew();
            walk.PrepareHierarchy();
            double tBuild = swBuild.Elapsed.TotalMilliseconds;
            var ch = walk.Hierarchy;
            Console.WriteLine($"contraction hierarchy (walking): built in {tBuild:F0} ms, {ch.ShortcutCount} shortcuts over {ch.OriginalArcCount} arcs, {ch.MemoryBytes / (double)net.EdgeCount:F1} bytes/edge");
            var bike = net.For(Profile.Bicycle);
            swBuild.Restart();
            bike.PrepareHierarchy();
            Console.WriteLine($"contraction hierarchy (bicycle): built in {swBuild.Elapsed.TotalMilliseconds:F0} ms, {bike.Hierarchy.MemoryBytes / (double)net.EdgeCount:F1} bytes/edge");
            var pairList = pairs.Select(p => (p.Item1, p.Item2)).ToList();
            var chMs = new List<double>();
            for (int round = 0; round < 10; round++)
            {
                var sw = Stopwatch.StartNew();
                var paths = walk.ShortestPaths(pairList);
                chMs.Add(sw.Elapsed.TotalMilliseconds);
                double sum = 0;
                foreach (var p in paths) sum += p.Seconds;
                if (round == 0) Console.WriteLine($"CH sums {sum:F3} (A* {aStarSum:F3})");
            }
            var q = ch.RentQuery();
            var chQueryMs = new List<double>();
            for (int round = 0; round < 10; round++)
            {
                q.Settled = 0;
                var sw = Stopwatch.StartNew();
                foreach (var (a, b) in pairs)
                {
                    int na = a.Fraction == 0 ? g.EdgeFrom[a.Edge] : g.EdgeTo[a.Edge], nb = b.Fraction == 0 ? g.EdgeFrom[b.Edge] : g.EdgeTo[b.Edge];
                    ch.Query(q, [(na, 0.0)], [(nb, 0.0)], out _);
                    q.Reset();
                }
                chQueryMs.Add(sw.Elapsed.TotalMilliseconds);
            }
            Console.WriteLine($"CH query only (node to node, no unpacking or geometry): {chQueryMs.Order().ElementAt(chQueryMs.Count / 2):F2} ms per 100, {q.Settled / 100} labels settled per query");
            ch.ReturnQuery(q);
            double bestA = aStarMs.Min(), medCh = chMs.Order().ElementAt(chMs.Count / 2);
            Console.WriteLine($"100 paths with geometry: CH {medCh:F2} ms (median of {chMs.Count}, best {chMs.Min():F2}) vs A* {bestA:F1} ms (best of {aStarMs.Count}): {bestA / medCh:F1}× faster");
            return 0;
        }
        if (args.Length >= 2 && args[0] == "multi")
        {
            // Multi-source nearest over random sources on the walking graph: nearest only vs nearest + second.
            var net = StreetNetwork.Build(args[1], Profile.BuiltIn);
            var walk = net.For(Profile.Pedestrian);
            var g = walk.Graph;
            var rng = new Random(34);
            var big = Enumerable.Range(0, net.NodeCount).Where(n => g.ComponentSize[g.Component[n]] >= 1000).ToArray();
            var sources = Enumerable.Range(0, 30).Select(_ => walk.SnapToNode(big[rng.Next(big.Length)])).ToList();
            for (int round = 0; round < 3; round++)
            {
                var sw = Stopwatch.StartNew();
                int r1 = 0, r2 = 0;
                for (int k = 0; k < 100; k++) r1 = walk.NearestSource(sources, 1800).ReachedNodeCount;
                double t1 = sw.Elapsed.TotalMilliseconds / 100;
                sw.Restart();
                for (int k = 0; k < 100; k++) r2 = walk.NearestSources(sources, 1800).ReachedNodeCount;
                double t2 = sw.Elapsed.TotalMilliseconds / 100;
                Console.WriteLine($"30 sources, 1,800 s: nearest only {t1:F3} ms ({r1} nodes), nearest + second {t2:F3} ms ({r2} nodes)");
            }
            return 0;
        }
        if (args.Length >= 3 && args[0] == "mosaic")
        {
            return MosaicBench.Run(args[1], int.Parse(args[2], CultureInfo.InvariantCulture));
        }
        if (args.Length >= 1 && args[0] == "compare")
        {
            return await PgRoutingComparison.Run(args[1..]);
        }
        Console.Error.WriteLine("usage: stats <osm> | compare --osm <pbf> [--db <connection string>] [--reps N] [--no-import] | mosaic <osm> <tiles: 1|10|135> | iso <osm> [reps] | paths <osm> | multi <osm>");
        return 2;
    }
}
