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
            var sw = Stopwatch.StartNew();
            double area = 0;
            for (int rep = 0; rep < 5; rep++) foreach (var s in snaps) area += walk.Isochrones(s, [900])[0].AreaSquareMeters;
            Console.WriteLine($"{snaps.Count * 5} isochrones: {sw.Elapsed.TotalMilliseconds / (snaps.Count * 5):F2} ms each");
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
        Console.Error.WriteLine("usage: stats <osm> | compare --osm <pbf> [--db <connection string>] [--reps N] [--no-import] | mosaic <osm> <tiles: 1|10|135> | iso <osm> | paths <osm>");
        return 2;
    }
}
