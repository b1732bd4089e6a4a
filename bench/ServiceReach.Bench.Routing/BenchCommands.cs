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
        if (args.Length >= 1 && args[0] == "compare")
        {
            return await PgRoutingComparison.Run(args[1..]);
        }
        Console.Error.WriteLine("usage: stats <osm> | compare --osm <pbf> [--db <connection string>] [--reps N]");
        return 2;
    }
}
