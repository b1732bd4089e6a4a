namespace ServiceReach.Routing;

/// <summary>
/// One profile's directed view of the graph in CSR form, built once per network and profile.
/// Out arcs of node u: OutHead/OutSeconds/OutMeters/OutEdgeDir[OutStart[u] .. OutStart[u+1]) (u → head).
/// In arcs of node u: the same for arcs tail → u (InTail), used by searches toward a target set.
/// EdgeDir = edge * 2 + (0 when travelling From→To, 1 when To→From).
/// Components are weakly connected components over the edges the profile may use in some direction.
/// </summary>
internal sealed class RoutingGraph
{
    public readonly int ProfileIndex;
    public readonly int NodeCount;
    public readonly int[] OutStart, OutHead, OutEdgeDir;
    public readonly float[] OutSeconds, OutMeters;
    public readonly int[] InStart, InTail, InEdgeDir;
    public readonly float[] InSeconds, InMeters;
    public readonly float[] Forward, Backward, Length;
    public readonly int[] EdgeFrom, EdgeTo;
    public readonly int[] Component;
    public readonly int[] ComponentSize;
    /// <summary>Nodes in the largest connected component of this profile's usable edges.</summary>
    public readonly int LargestComponentSize;
    /// <summary>Reusable search state for every router of this network and profile.</summary>
    public readonly SearchSpacePool Pool;

    public RoutingGraph(GraphData d, int profileIndex)
    {
        ProfileIndex = profileIndex;
        NodeCount = d.NodeCount;
        Pool = new SearchSpacePool(d.NodeCount);
        Forward = d.ForwardSeconds[profileIndex];
        Backward = d.BackwardSeconds[profileIndex];
        Length = d.EdgeLength;
        EdgeFrom = d.EdgeFrom;
        EdgeTo = d.EdgeTo;
        int n = d.NodeCount, m = d.EdgeCount;

        OutStart = new int[n + 1];
        InStart = new int[n + 1];
        for (int e = 0; e < m; e++)
        {
            if (!float.IsPositiveInfinity(Forward[e])) { OutStart[EdgeFrom[e] + 1]++; InStart[EdgeTo[e] + 1]++; }
            if (!float.IsPositiveInfinity(Backward[e])) { OutStart[EdgeTo[e] + 1]++; InStart[EdgeFrom[e] + 1]++; }
        }
        for (int i = 0; i < n; i++) { OutStart[i + 1] += OutStart[i]; InStart[i + 1] += InStart[i]; }
        int arcs = OutStart[n];
        OutHead = new int[arcs]; OutEdgeDir = new int[arcs]; OutSeconds = new float[arcs]; OutMeters = new float[arcs];
        InTail = new int[arcs]; InEdgeDir = new int[arcs]; InSeconds = new float[arcs]; InMeters = new float[arcs];
        var outFill = (int[])OutStart.Clone();
        var inFill = (int[])InStart.Clone();
        for (int e = 0; e < m; e++)
        {
            if (!float.IsPositiveInfinity(Forward[e])) Add(EdgeFrom[e], EdgeTo[e], e * 2, Forward[e], Length[e]);
            if (!float.IsPositiveInfinity(Backward[e])) Add(EdgeTo[e], EdgeFrom[e], e * 2 + 1, Backward[e], Length[e]);
        }
        void Add(int u, int v, int edgeDir, float sec, float len)
        {
            int a = outFill[u]++;
            OutHead[a] = v; OutEdgeDir[a] = edgeDir; OutSeconds[a] = sec; OutMeters[a] = len;
            int b = inFill[v]++;
            InTail[b] = u; InEdgeDir[b] = edgeDir; InSeconds[b] = sec; InMeters[b] = len;
        }

        // Weakly connected components with union-find (path halving), numbered by their lowest node.
        var parent = new int[n];
        for (int i = 0; i < n; i++) parent[i] = i;
        int Find(int x)
        {
            while (parent[x] != x) { parent[x] = parent[parent[x]]; x = parent[x]; }
            return x;
        }
        for (int e = 0; e < m; e++)
        {
            if (!IsUsable(e)) continue;
            int a = Find(EdgeFrom[e]), b = Find(EdgeTo[e]);
            if (a != b) { if (a < b) parent[b] = a; else parent[a] = b; }
        }
        Component = new int[n];
        var sizeByRoot = new int[n];
        for (int i = 0; i < n; i++) { Component[i] = Find(i); sizeByRoot[Component[i]]++; }
        ComponentSize = sizeByRoot;
        LargestComponentSize = n == 0 ? 0 : sizeByRoot.Max();
    }

    /// <summary>The highest speed (m/s) of any arc: straight-line metres / this is a lower bound of seconds (A*).</summary>
    public double MaxMetersPerSecond
    {
        get
        {
            if (_maxSpeed > 0) return _maxSpeed;
            double v = 1e-3;
            for (int a = 0; a < OutHead.Length; a++)
                if (OutSeconds[a] > 0) v = Math.Max(v, OutMeters[a] / OutSeconds[a]);
                else if (OutMeters[a] > 0) v = double.PositiveInfinity;
            return _maxSpeed = v;
        }
    }
    private double _maxSpeed;

    private double[]? _xyz;

    /// <summary>
    /// Node positions as 3-D points on the sphere (metres, interleaved x,y,z) for the A* bound: the straight chord
    /// between two points is never longer than the great-circle distance, and costs one square root.
    /// </summary>
    public double[] NodeXyz(GraphData d)
    {
        var xyz = Volatile.Read(ref _xyz);
        if (xyz is not null) return xyz;
        xyz = new double[NodeCount * 3];
        for (int i = 0; i < NodeCount; i++)
        {
            var (x, y, z) = ToXyz(d.NodeLonE7[i] * 1e-7, d.NodeLatE7[i] * 1e-7);
            xyz[3 * i] = x; xyz[3 * i + 1] = y; xyz[3 * i + 2] = z;
        }
        Volatile.Write(ref _xyz, xyz);
        return xyz;
    }

    public static (double X, double Y, double Z) ToXyz(double lon, double lat)
    {
        const double R = 6_371_008.8;
        double la = lat * Math.PI / 180, lo = lon * Math.PI / 180;
        return (R * Math.Cos(la) * Math.Cos(lo), R * Math.Cos(la) * Math.Sin(lo), R * Math.Sin(la));
    }

    /// <summary>
    /// Seconds between the point at fraction <paramref name="f"/> of edge e and the edge's two end nodes: from the point
    /// to each end for a forward search, from each end to the point for a reverse one (+∞ where that way is closed).
    /// </summary>
    public (double ToFrom, double ToTo) EndSeconds(int e, double f, bool reverse)
        => reverse ? (Along(e, 0, f), Along(e, 1, f)) : (Along(e, f, 0), Along(e, f, 1));

    /// <summary>The arcs a search walks: out-arcs (away from the start) or, for a reverse search, in-arcs (toward it).</summary>
    public (int[] Start, int[] Head, float[] Seconds, float[] Meters) Arcs(bool reverse)
        => reverse ? (InStart, InTail, InSeconds, InMeters) : (OutStart, OutHead, OutSeconds, OutMeters);

    public bool IsUsable(int e) => !float.IsPositiveInfinity(Forward[e]) || !float.IsPositiveInfinity(Backward[e]);

    /// <summary>Size (graph nodes) of the component an edge belongs to; 0 when the profile cannot use the edge.</summary>
    public int EdgeComponentSize(int e) => IsUsable(e) ? ComponentSize[Component[EdgeFrom[e]]] : 0;

    /// <summary>Seconds to travel along edge e from fraction a to fraction b (+∞ when that direction is closed).</summary>
    public double Along(int e, double a, double b)
    {
        if (a == b) return 0;
        return b > a ? Forward[e] * (b - a) : Backward[e] * (a - b);
    }

    public long MemoryBytes => (OutHead.Length * 16L + (NodeCount + 1) * 4L) * 2 + NodeCount * 8L;
}
