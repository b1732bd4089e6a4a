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

    public RoutingGraph(GraphData d, int profileIndex)
    {
        ProfileIndex = profileIndex;
        NodeCount = d.NodeCount;
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
    }

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
