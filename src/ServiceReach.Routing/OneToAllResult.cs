namespace ServiceReach.Routing;

/// <summary>
/// The outcome of a bounded one-to-all search: every graph node reached within the limit (in settle order, with
/// seconds and metres) and exact times to any snapped point, including points on partly reached edges.
/// </summary>
public sealed class OneToAllResult
{
    private readonly Router _router;
    private readonly SnapResult _origin;
    private readonly int[] _nodes;
    private readonly double[] _seconds;
    private readonly double[] _meters;
    private Dictionary<int, int>? _index;

    private OneToAllResult(Router router, SnapResult origin, double maxSeconds, int[] nodes, double[] seconds, double[] meters)
    {
        _router = router;
        _origin = origin;
        MaxSeconds = maxSeconds;
        _nodes = nodes;
        _seconds = seconds;
        _meters = meters;
    }

    internal static OneToAllResult Empty(Router r, SnapResult origin, double max) => new(r, origin, max, [], [], []);

    internal static OneToAllResult From(Router r, SnapResult origin, double max, SearchSpace s)
    {
        int n = s.SettledCount;
        var nodes = new int[n];
        var sec = new double[n];
        var met = new double[n];
        for (int i = 0; i < n; i++)
        {
            int u = s.Settled[i];
            nodes[i] = u;
            sec[i] = s.Cost[u];
            met[i] = s.Meters[u];
        }
        return new OneToAllResult(r, origin, max, nodes, sec, met);
    }

    public double MaxSeconds { get; }

    /// <summary>Number of graph nodes reached within the limit.</summary>
    public int ReachedNodeCount => _nodes.Length;

    /// <summary>Reached graph nodes in order of increasing time.</summary>
    public IEnumerable<ReachedNode> ReachedNodes()
    {
        for (int i = 0; i < _nodes.Length; i++) yield return new ReachedNode(_router.Network.NodePoint(_nodes[i]), _seconds[i], _meters[i]);
    }

    internal ReadOnlySpan<int> NodeIds => _nodes;
    internal ReadOnlySpan<double> NodeSeconds => _seconds;
    internal SnapResult Origin => _origin;
    internal Router Router => _router;

    internal double SecondsAtNode(int node) => Index().TryGetValue(node, out var i) ? _seconds[i] : double.PositiveInfinity;
    internal double MetersAtNode(int node) => Index().TryGetValue(node, out var i) ? _meters[i] : double.PositiveInfinity;

    private Dictionary<int, int> Index()
    {
        var idx = _index;
        if (idx is not null) return idx;
        idx = new Dictionary<int, int>(_nodes.Length);
        for (int i = 0; i < _nodes.Length; i++) idx[_nodes[i]] = i;
        _index = idx;
        return idx;
    }

    /// <summary>Seconds to a snapped point; +∞ when beyond the limit or not snapped.</summary>
    public double TimeTo(SnapResult point) => Evaluate(point).Seconds;

    /// <summary>Metres along the fastest path to a snapped point; +∞ when beyond the limit or not snapped.</summary>
    public double DistanceTo(SnapResult point) => Evaluate(point).Meters;

    private (double Seconds, double Meters) Evaluate(SnapResult p)
    {
        if (!p.Found || !_origin.Found) return (double.PositiveInfinity, double.PositiveInfinity);
        if (!ReferenceEquals(p.Network, _router.Network)) throw new ArgumentException("The point was snapped on another network.", nameof(p));
        var g = _router.Graph;
        int e = p.Edge;
        double f = p.Fraction, len = g.Length[e];
        double best = double.PositiveInfinity, bestM = double.PositiveInfinity;
        double viaFrom = SecondsAtNode(g.EdgeFrom[e]) + g.Along(e, 0, f);
        if (viaFrom < best) { best = viaFrom; bestM = MetersAtNode(g.EdgeFrom[e]) + f * len; }
        double viaTo = SecondsAtNode(g.EdgeTo[e]) + g.Along(e, 1, f);
        if (viaTo < best) { best = viaTo; bestM = MetersAtNode(g.EdgeTo[e]) + (1 - f) * len; }
        if (_origin.Edge == e)
        {
            double direct = g.Along(e, _origin.Fraction, f);
            if (direct <= best) { best = direct; bestM = Math.Abs(f - _origin.Fraction) * len; }
        }
        return best <= MaxSeconds ? (best, bestM) : (double.PositiveInfinity, double.PositiveInfinity);
    }
}
