namespace ServiceReach.Routing;

public sealed partial class Router
{
    /// <summary>
    /// One search from all <paramref name="sources"/> at once that keeps, for every node, the nearest and the second
    /// nearest distinct source within <paramref name="maxSeconds"/>. With <paramref name="towardSources"/> (default) times are
    /// from each place to the source (the trip a resident makes; the search runs over reversed arcs); otherwise from the source.
    /// Unsnapped sources are ignored. Ties on equal seconds keep the label found first, which is deterministic.
    /// </summary>
    public MultiSourceResult NearestSources(IReadOnlyList<SnapResult> sources, double maxSeconds, bool towardSources = true)
    {
        foreach (var s in sources) Check(s, nameof(sources));
        var g = Graph;
        int n = g.NodeCount;
        var c1 = new double[n]; var c2 = new double[n];
        var m1 = new double[n]; var m2 = new double[n];
        var s1 = new int[n]; var s2 = new int[n];
        Array.Fill(c1, double.PositiveInfinity); Array.Fill(c2, double.PositiveInfinity);
        Array.Fill(s1, -1); Array.Fill(s2, -1);
        var done1 = new bool[n]; var done2 = new bool[n];
        bool reverse = towardSources;
        var (start, head, sec, met) = g.Arcs(reverse);

        // Heap items pack (node, label slot): the label's source is read from the slot when popped.
        var heap = new MinHeap();
        int sourceCount = sources.Count;

        void Offer(int v, double c, double m, int src)
        {
            if (c > maxSeconds) return;
            if (src == s1[v])
            {
                if (c < c1[v] && !done1[v]) { c1[v] = c; m1[v] = m; heap.Push(c, v * 2); }
                return;
            }
            if (c < c1[v] && !done1[v])
            {
                // The old first label becomes the second (it is a different source).
                if (s1[v] >= 0) { c2[v] = c1[v]; m2[v] = m1[v]; s2[v] = s1[v]; heap.Push(c2[v], v * 2 + 1); }
                c1[v] = c; m1[v] = m; s1[v] = src; heap.Push(c, v * 2);
                return;
            }
            if (done2[v]) return;
            if (src == s2[v])
            {
                if (c < c2[v]) { c2[v] = c; m2[v] = m; heap.Push(c, v * 2 + 1); }
                return;
            }
            if (c < c2[v]) { c2[v] = c; m2[v] = m; s2[v] = src; heap.Push(c, v * 2 + 1); }
        }

        for (int i = 0; i < sourceCount; i++)
        {
            var p = sources[i];
            if (!p.Found) continue;
            int e = p.Edge;
            double f = p.Fraction, len = g.Length[e];
            var (toFrom, toTo) = g.EndSeconds(e, f, reverse);
            Offer(g.EdgeFrom[e], toFrom, f * len, i);
            Offer(g.EdgeTo[e], toTo, (1 - f) * len, i);
        }

        while (heap.Count > 0)
        {
            int item = heap.Pop(out double k);
            int u = item >> 1;
            bool first = (item & 1) == 0;
            int src;
            double mu;
            if (first)
            {
                if (done1[u] || k != c1[u]) continue;
                done1[u] = true; src = s1[u]; mu = m1[u];
            }
            else
            {
                if (done2[u] || k != c2[u]) continue;
                done2[u] = true; src = s2[u]; mu = m2[u];
            }
            for (int a = start[u], end = start[u + 1]; a < end; a++)
                Offer(head[a], k + sec[a], mu + met[a], src);
        }
        return new MultiSourceResult(this, sources, maxSeconds, towardSources, c1, m1, s1, c2, m2, s2, SourcesByEdge(sources));
    }

    /// <summary>
    /// As <see cref="NearestSources"/> but keeps only the nearest source per node (the result's second nearest is
    /// always <see cref="SourceHit.None"/>): one label per node instead of two, about half the work, for callers that
    /// need no runner-up (e.g. "time to the nearest supermarket" maps).
    /// </summary>
    public MultiSourceResult NearestSource(IReadOnlyList<SnapResult> sources, double maxSeconds, bool towardSources = true)
    {
        foreach (var p in sources) Check(p, nameof(sources));
        var g = Graph;
        int n = g.NodeCount;
        var cost = new double[n];
        var meters = new double[n];
        var source = new int[n];
        Array.Fill(cost, double.PositiveInfinity);
        Array.Fill(source, -1);
        bool reverse = towardSources;
        var (start, head, sec, met) = g.Arcs(reverse);
        var heap = new MinHeap();
        for (int i = 0; i < sources.Count; i++)
        {
            var p = sources[i];
            if (!p.Found) continue;
            int e = p.Edge;
            double f = p.Fraction, len = g.Length[e];
            var (toFrom, toTo) = g.EndSeconds(e, f, reverse);
            int from = g.EdgeFrom[e], to = g.EdgeTo[e];
            // Strictly better only: on equal seconds the source listed first keeps the node (deterministic).
            if (toFrom <= maxSeconds && toFrom < cost[from]) { cost[from] = toFrom; meters[from] = f * len; source[from] = i; heap.Push(toFrom, from); }
            if (toTo <= maxSeconds && toTo < cost[to]) { cost[to] = toTo; meters[to] = (1 - f) * len; source[to] = i; heap.Push(toTo, to); }
        }
        while (heap.Count > 0)
        {
            int u = heap.Pop(out double k);
            if (k > cost[u]) continue; // stale entry
            double mu = meters[u];
            int su = source[u];
            for (int a = start[u], end = start[u + 1]; a < end; a++)
            {
                int v = head[a];
                double c = k + sec[a];
                if (c < cost[v] && c <= maxSeconds) { cost[v] = c; meters[v] = mu + met[a]; source[v] = su; heap.Push(c, v); }
            }
        }
        return new MultiSourceResult(this, sources, maxSeconds, towardSources, cost, meters, source, null, null, null, SourcesByEdge(sources));
    }

    private static Dictionary<int, List<int>> SourcesByEdge(IReadOnlyList<SnapResult> sources)
    {
        var sourceEdges = new Dictionary<int, List<int>>();
        for (int i = 0; i < sources.Count; i++)
        {
            if (!sources[i].Found) continue;
            if (!sourceEdges.TryGetValue(sources[i].Edge, out var list)) sourceEdges[sources[i].Edge] = list = [];
            list.Add(i);
        }
        return sourceEdges;
    }
}

/// <summary>Nearest and second-nearest source for every node of the network, and for any snapped point.</summary>
public sealed class MultiSourceResult
{
    private readonly Router _router;
    private readonly IReadOnlyList<SnapResult> _sources;
    private readonly double[] _c1, _m1;
    private readonly int[] _s1;
    // Null when the search kept only the nearest source.
    private readonly double[]? _c2, _m2;
    private readonly int[]? _s2;
    private readonly Dictionary<int, List<int>> _sourcesByEdge;

    internal MultiSourceResult(Router router, IReadOnlyList<SnapResult> sources, double maxSeconds, bool towardSources,
        double[] c1, double[] m1, int[] s1, double[]? c2, double[]? m2, int[]? s2, Dictionary<int, List<int>> sourcesByEdge)
    {
        _router = router; _sources = sources; MaxSeconds = maxSeconds; TowardSources = towardSources;
        _c1 = c1; _m1 = m1; _s1 = s1; _c2 = c2; _m2 = m2; _s2 = s2; _sourcesByEdge = sourcesByEdge;
    }

    public double MaxSeconds { get; }
    public bool TowardSources { get; }

    /// <summary>Number of graph nodes with at least one source within the limit.</summary>
    public int ReachedNodeCount
    {
        get
        {
            int c = 0;
            foreach (var s in _s1) if (s >= 0) c++;
            return c;
        }
    }

    /// <summary>Every graph node with its nearest and second-nearest source (nodes reaching none are skipped).</summary>
    public IEnumerable<(GeoPoint Point, SourceHit Nearest, SourceHit Second)> Nodes()
    {
        for (int u = 0; u < _s1.Length; u++)
        {
            if (_s1[u] < 0) continue;
            yield return (_router.Network.NodePoint(u), new SourceHit(_s1[u], _c1[u], _m1[u]), SecondAtNode(u));
        }
    }

    internal SourceHit NearestAtNode(int u) => _s1[u] >= 0 ? new SourceHit(_s1[u], _c1[u], _m1[u]) : SourceHit.None;
    internal SourceHit SecondAtNode(int u) => _s2 is not null && _s2[u] >= 0 ? new SourceHit(_s2[u], _c2![u], _m2![u]) : SourceHit.None;

    /// <summary>The nearest source for a snapped point (partial edge costs included).</summary>
    public SourceHit Nearest(SnapResult query) => Best(query).First;

    /// <summary>The second-nearest distinct source for a snapped point.</summary>
    public SourceHit SecondNearest(SnapResult query) => Best(query).Second;

    /// <summary>Both at once.</summary>
    public (SourceHit First, SourceHit Second) Best(SnapResult query)
    {
        if (!query.Found) return (SourceHit.None, SourceHit.None);
        if (!ReferenceEquals(query.Network, _router.Network)) throw new ArgumentException("The point was snapped on another network.", nameof(query));
        var g = _router.Graph;
        int e = query.Edge;
        double f = query.Fraction, len = g.Length[e];
        bool rev = TowardSources;
        var first = SourceHit.None;
        var second = SourceHit.None;
        void Consider(int src, double sec, double met)
        {
            if (src < 0 || !(sec <= MaxSeconds)) return;
            if (src == first.SourceIndex) { if (sec < first.Seconds) first = new SourceHit(src, sec, met); return; }
            if (sec < first.Seconds || (sec == first.Seconds && src < first.SourceIndex))
            {
                if (first.Found) second = first;
                first = new SourceHit(src, sec, met);
                return;
            }
            if (src == second.SourceIndex) { if (sec < second.Seconds) second = new SourceHit(src, sec, met); return; }
            if (sec < second.Seconds || (sec == second.Seconds && src < second.SourceIndex)) second = new SourceHit(src, sec, met);
        }
        int from = g.EdgeFrom[e], to = g.EdgeTo[e];
        double legFrom = rev ? g.Along(e, f, 0) : g.Along(e, 0, f);
        double legTo = rev ? g.Along(e, f, 1) : g.Along(e, 1, f);
        Consider(_s1[from], _c1[from] + legFrom, _m1[from] + f * len);
        Consider(_s1[to], _c1[to] + legTo, _m1[to] + (1 - f) * len);
        if (_s2 is not null)
        {
            Consider(_s2[from], _c2![from] + legFrom, _m2![from] + f * len);
            Consider(_s2[to], _c2[to] + legTo, _m2[to] + (1 - f) * len);
        }
        if (_sourcesByEdge.TryGetValue(e, out var same))
            foreach (int i in same)
            {
                double sf = _sources[i].Fraction;
                double direct = rev ? g.Along(e, f, sf) : g.Along(e, sf, f);
                Consider(i, direct, Math.Abs(f - sf) * len);
            }
        // A second-best from one endpoint may be the same source as the other endpoint's best: Consider keeps sources distinct.
        // Without second labels the runner-up seen here would be a guess, so none is given.
        return (first, _s2 is null ? SourceHit.None : second);
    }
}
