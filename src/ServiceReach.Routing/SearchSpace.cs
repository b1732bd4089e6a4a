using System.Collections.Concurrent;

namespace ServiceReach.Routing;

/// <summary>A binary min-heap of (key, item) in two flat arrays; ties break on the lower item so runs are deterministic.</summary>
internal sealed class MinHeap
{
    private double[] _keys = new double[1024];
    private int[] _items = new int[1024];
    public int Count;

    public void Clear() => Count = 0;

    public void Push(double key, int item)
    {
        if (Count == _keys.Length)
        {
            Array.Resize(ref _keys, Count * 2);
            Array.Resize(ref _items, Count * 2);
        }
        int i = Count++;
        while (i > 0)
        {
            int parent = (i - 1) >> 1;
            if (Less(key, item, _keys[parent], _items[parent]))
            {
                _keys[i] = _keys[parent];
                _items[i] = _items[parent];
                i = parent;
            }
            else break;
        }
        _keys[i] = key;
        _items[i] = item;
    }

    public double PeekKey => _keys[0];

    public int Pop(out double key)
    {
        key = _keys[0];
        int top = _items[0];
        int n = --Count;
        if (n > 0)
        {
            double k = _keys[n];
            int it = _items[n];
            int i = 0;
            while (true)
            {
                int c = 2 * i + 1;
                if (c >= n) break;
                if (c + 1 < n && Less(_keys[c + 1], _items[c + 1], _keys[c], _items[c])) c++;
                if (Less(_keys[c], _items[c], k, it))
                {
                    _keys[i] = _keys[c];
                    _items[i] = _items[c];
                    i = c;
                }
                else break;
            }
            _keys[i] = k;
            _items[i] = it;
        }
        return top;
    }

    private static bool Less(double k1, int i1, double k2, int i2) => k1 < k2 || (k1 == k2 && i1 < i2);
}

/// <summary>
/// Reusable per-search state sized to the graph: labels are reset only where a search touched them, so a small
/// bounded search on a big graph costs in proportion to what it reached.
/// </summary>
internal sealed class SearchSpace
{
    public readonly double[] Cost;
    public readonly double[] Meters;
    public readonly int[] PredArc;      // arc index into the searched arc arrays; -1 for a seeded node
    public readonly int[] Settled;      // nodes in settle order
    public int SettledCount;
    public readonly int[] Target;        // stamp == TargetStamp marks a node the search waits for
    public int TargetStamp;
    private readonly int[] _touched;
    private int _touchedCount;
    public readonly MinHeap Heap = new();
    private double[]? _bound;

    /// <summary>Per-edge intervals reached within the current isochrone band (reset for every band).</summary>
    public readonly EdgeIntervals Reached = new();

    /// <summary>Per-edge intervals an isochrone call has already drawn (reset once per call, kept across its bands).</summary>
    public readonly EdgeIntervals Drawn = new();

    /// <summary>A* lower bounds per node (valid only for nodes with a finite cost in the current search).</summary>
    public double[] Bound => _bound ??= new double[Cost.Length];

    public SearchSpace(int nodeCount)
    {
        Cost = new double[nodeCount];
        Meters = new double[nodeCount];
        PredArc = new int[nodeCount];
        Settled = new int[nodeCount];
        Target = new int[nodeCount];
        _touched = new int[nodeCount];
        Array.Fill(Cost, double.PositiveInfinity);
    }

    /// <summary>Lowers a node's label; returns false when the label was not better.</summary>
    public bool Relax(int node, double cost, double meters, int predArc) => Relax(node, cost, meters, predArc, cost);

    /// <summary>As <see cref="Relax(int,double,double,int)"/> with a separate heap key (A*).</summary>
    public bool Relax(int node, double cost, double meters, int predArc, double key)
    {
        double old = Cost[node];
        if (!(cost < old)) return false;
        if (double.IsPositiveInfinity(old)) _touched[_touchedCount++] = node;
        Cost[node] = cost;
        Meters[node] = meters;
        PredArc[node] = predArc;
        Heap.Push(key, node);
        return true;
    }

    public void Reset()
    {
        for (int i = 0; i < _touchedCount; i++) Cost[_touched[i]] = double.PositiveInfinity;
        _touchedCount = 0;
        SettledCount = 0;
        Heap.Clear();
        TargetStamp++;
        if (TargetStamp == int.MaxValue) { Array.Clear(Target); TargetStamp = 1; }
    }
}

/// <summary>
/// Two values per edge reused across searches: an edge's values are valid only when its stamp equals the one
/// <see cref="Begin"/> returned, so nothing needs clearing between uses.
/// </summary>
internal sealed class EdgeIntervals
{
    public double[] A = [], B = [];
    public int[] Stamp = [];
    private int _current;

    /// <summary>Starts a new use over <paramref name="edgeCount"/> edges; returns the stamp that marks valid values.</summary>
    public int Begin(int edgeCount)
    {
        if (Stamp.Length < edgeCount)
        {
            A = new double[edgeCount];
            B = new double[edgeCount];
            Stamp = new int[edgeCount];
            _current = 0;
        }
        if (++_current == int.MaxValue) { Array.Clear(Stamp); _current = 1; }
        return _current;
    }
}

internal sealed class SearchSpacePool(int nodeCount)
{
    private readonly ConcurrentBag<SearchSpace> _free = new();

    public SearchSpace Rent()
    {
        if (_free.TryTake(out var s)) return s;
        var fresh = new SearchSpace(nodeCount);
        fresh.Reset();
        return fresh;
    }

    public void Return(SearchSpace s)
    {
        s.Reset();
        _free.Add(s);
    }
}
