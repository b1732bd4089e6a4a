namespace ServiceReach.Routing;

public sealed partial class Router
{
    /// <summary>
    /// Builds this profile's contraction hierarchy now rather than on the first <see cref="ShortestPaths"/> call.
    /// It is built once per network and profile (thread-safe) and shared by all its routers; from then on
    /// <see cref="ShortestPath"/> uses it too.
    /// </summary>
    public void PrepareHierarchy() => _ = ContractionHierarchy.For(Graph);

    internal ContractionHierarchy Hierarchy => ContractionHierarchy.For(Graph);

    /// <summary>
    /// Fastest paths for many (origin, destination) pairs, in input order, over the contraction hierarchy (built on
    /// first use). Seconds and metres are summed over the original arcs along each path, so they equal a plain
    /// Dijkstra's (<see cref="OneToMany"/>) up to rounding; geometry as <see cref="ShortestPath"/>.
    /// </summary>
    public IReadOnlyList<PathResult> ShortestPaths(IReadOnlyList<(SnapResult From, SnapResult To)> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        for (int i = 0; i < pairs.Count; i++)
        {
            Check(pairs[i].From, nameof(pairs));
            Check(pairs[i].To, nameof(pairs));
        }
        var ch = Hierarchy;
        var results = new PathResult[pairs.Count];
        var q = ch.RentQuery();
        try
        {
            for (int i = 0; i < pairs.Count; i++)
            {
                results[i] = PathViaHierarchy(ch, q, pairs[i].From, pairs[i].To);
                q.Reset();
            }
        }
        finally { ch.ReturnQuery(q); }
        return results;
    }

    private PathResult ShortestPathViaHierarchy(ContractionHierarchy ch, SnapResult from, SnapResult to)
    {
        var q = ch.RentQuery();
        try { return PathViaHierarchy(ch, q, from, to); }
        finally { ch.ReturnQuery(q); }
    }

    /// <summary>
    /// One hierarchy query between snapped points, seeded and finished the way <see cref="Seed"/> and
    /// <see cref="ToPoint"/> do, then unpacked to original arcs whose costs are re-summed in path order.
    /// </summary>
    private PathResult PathViaHierarchy(ContractionHierarchy ch, ChQuery q, SnapResult from, SnapResult to)
    {
        if (!from.Found || !to.Found) return new PathResult { Found = false };
        var g = Graph;
        int fe = from.Edge, te = to.Edge;
        double ff = from.Fraction, tf = to.Fraction;
        double direct = fe == te ? g.Along(fe, ff, tf) : double.PositiveInfinity;
        double seconds = double.PositiveInfinity, meters = double.PositiveInfinity;
        double startFrac = 0, endFrac = 0;
        var arcs = q.Arcs;
        // Different weakly connected components: no search can meet, only the same-edge piece could exist.
        if (g.Component[g.EdgeFrom[fe]] == g.Component[g.EdgeFrom[te]])
        {
            int fFrom = g.EdgeFrom[fe], fTo = g.EdgeTo[fe], tFrom = g.EdgeFrom[te], tTo = g.EdgeTo[te];
            var (s0, s1) = g.EndSeconds(fe, ff, reverse: false);
            var (t0, t1) = g.EndSeconds(te, tf, reverse: true);
            Span<(int Node, double Cost)> sources = stackalloc (int, double)[2];
            Span<(int Node, double Cost)> targets = stackalloc (int, double)[2];
            int ns = 0, nt = 0;
            if (!double.IsPositiveInfinity(s0)) sources[ns++] = (fFrom, s0);
            if (!double.IsPositiveInfinity(s1)) sources[ns++] = (fTo, s1);
            if (!double.IsPositiveInfinity(t0)) targets[nt++] = (tFrom, t0);
            if (!double.IsPositiveInfinity(t1)) targets[nt++] = (tTo, t1);
            int meet = ch.Query(q, sources[..ns], targets[..nt], out _);
            if (meet >= 0)
            {
                // Up part: predecessor arcs from the meeting node back to a source, unpacked in path order.
                var chain = q.Chain;
                int start = meet;
                while (q.ForwardPredNode[start] >= 0) { chain.Add(q.ForwardPredArc[start]); start = q.ForwardPredNode[start]; }
                for (int i = chain.Count - 1; i >= 0; i--) ch.Unpack(chain[i], arcs, q.Stack);
                // Down part: the backward search's predecessors already run toward the destination.
                int end = meet;
                while (q.BackwardPredNode[end] >= 0) { ch.Unpack(q.BackwardPredArc[end], arcs, q.Stack); end = q.BackwardPredNode[end]; }

                // A loop edge seeds its one node with the cheaper side, the From side on a tie (Seed's strict "<").
                startFrac = start == fFrom && !(start == fTo && s1 < s0) ? 0 : 1;
                endFrac = end == tFrom && !(end == tTo && t1 < t0) ? 0 : 1;
                double lenF = g.Length[fe], lenT = g.Length[te];
                seconds = startFrac == 0 ? s0 : s1;
                meters = startFrac == 0 ? ff * lenF : (1 - ff) * lenF;
                float[] sec = g.OutSeconds, met = g.OutMeters;
                foreach (int a in arcs) { seconds += sec[a]; meters += met[a]; }
                seconds += endFrac == 0 ? t0 : t1;
                meters += endFrac == 0 ? tf * lenT : (1 - tf) * lenT;
            }
        }
        bool isDirect = direct <= seconds;
        if (isDirect)
        {
            if (double.IsPositiveInfinity(direct)) return new PathResult { Found = false };
            seconds = direct;
            meters = Math.Abs(tf - ff) * g.Length[te];
        }
        var line = PathLine(from, to, isDirect, startFrac, arcs, endFrac);
        return new PathResult { Found = true, Seconds = seconds, Meters = meters, Geometry = line };
    }
}
