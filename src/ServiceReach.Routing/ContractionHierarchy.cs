using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace ServiceReach.Routing;

/// <summary>
/// A contraction hierarchy over one profile's <see cref="RoutingGraph"/> (Geisberger et al.; the way OSRM and
/// RoutingKit build theirs). Nodes are contracted one by one in order of importance; when removing node v would
/// lengthen a shortest path u → v → w, a shortcut u → w remembering its two child arcs is added. A query then only
/// ever walks "upward" (toward later-contracted nodes) from both ends and meets at the path's most important node.
/// <para>
/// Arc references are codes: an original arc is ~(its index in the graph's out-arc arrays), a negative number; a
/// shortcut is its index in <see cref="ArcFirst"/>/<see cref="ArcSecond"/>, which hold the codes of its two child
/// arcs in path order. A node's rank is its place in the contraction order.
/// Upward arcs of node u: UpHead/UpWeight/UpArc[UpStart[u] .. UpStart[u+1]) (u → head, rank[head] &gt; rank[u]).
/// Downward arcs reversed for the backward search: DownTail/DownWeight/DownArc[DownStart[u] .. DownStart[u+1])
/// (tail → u, rank[tail] &gt; rank[u]). Weights are the doubles of the summed float arc seconds so shortcut costs
/// carry no extra rounding.
/// </para>
/// </summary>
internal sealed class ContractionHierarchy
{
    public readonly int NodeCount;
    public readonly int[] UpStart, UpHead, UpArc;
    public readonly double[] UpWeight;
    public readonly int[] DownStart, DownTail, DownArc;
    public readonly double[] DownWeight;
    public readonly int[] ArcFirst, ArcSecond;
    public readonly int OriginalArcCount;
    public readonly int ShortcutCount;
    private readonly ConcurrentBag<ChQuery> _free = new();

    private ContractionHierarchy(int n, int[] upStart, int[] upHead, int[] upArc, double[] upWeight,
        int[] downStart, int[] downTail, int[] downArc, double[] downWeight, int[] arcFirst, int[] arcSecond,
        int originalArcs)
    {
        NodeCount = n;
        UpStart = upStart; UpHead = upHead; UpArc = upArc; UpWeight = upWeight;
        DownStart = downStart; DownTail = downTail; DownArc = downArc; DownWeight = downWeight;
        ArcFirst = arcFirst; ArcSecond = arcSecond;
        OriginalArcCount = originalArcs;
        ShortcutCount = arcFirst.Length;
    }

    /// <summary>Bytes of the query arrays: both CSR halves and the shortcuts' children.</summary>
    public long MemoryBytes => (NodeCount + 1) * 8L + (UpHead.Length + DownTail.Length) * 16L + ArcFirst.Length * 8L;

    // ------------------------------------------------------------------ lazily built, one per routing graph

    // RoutingGraph is shared by every router of a network and profile; the hierarchy hangs off it without a field
    // there and goes away with it.
    private static readonly ConditionalWeakTable<RoutingGraph, Lazy<ContractionHierarchy>> Built = new();

    public static ContractionHierarchy For(RoutingGraph g) =>
        Built.GetValue(g, graph => new Lazy<ContractionHierarchy>(() => Build(graph), LazyThreadSafetyMode.ExecutionAndPublication)).Value;

    /// <summary>The hierarchy when it was already built (never starts a build).</summary>
    public static ContractionHierarchy? IfBuilt(RoutingGraph g) =>
        Built.TryGetValue(g, out var lazy) && lazy.IsValueCreated ? lazy.Value : null;

    public ChQuery RentQuery() => _free.TryTake(out var q) ? q : new ChQuery(NodeCount);

    public void ReturnQuery(ChQuery q)
    {
        q.Reset();
        _free.Add(q);
    }

    // ------------------------------------------------------------------ build

    public static ContractionHierarchy Build(RoutingGraph g) => new Builder(g).Run();

    /// <summary>Contraction state: a dynamic arc table plus per-node lists of the arcs between uncontracted nodes.</summary>
    private sealed class Builder
    {
        // Witness searches stop after this many settled nodes. A search cut short may add a shortcut that a longer
        // search would have found unnecessary; that costs memory, never correctness. Simulated contractions (for
        // priorities) run many more searches than real ones and use the smaller limit.
        private const int RealSettleLimit = 500, SimulatedSettleLimit = 60;

        private readonly RoutingGraph _g;
        private readonly int _n;
        private int[] _tail, _head, _first, _second, _hops;
        private double[] _w;
        private int _arcs;
        private readonly int[][] _out, _in;
        private readonly int[] _outCount, _inCount;
        private readonly bool[] _contracted;
        private readonly int[] _deleted, _level;
        private readonly double[] _priority;
        // Witness search scratch.
        private readonly double[] _dist;
        private readonly int[] _touched;
        private int _touchedCount;
        private readonly int[] _targetStamp;
        private int _stamp;
        private readonly MinHeap _heap = new();
        // Arcs recorded when their lower end is contracted: (node, arc) in contraction order.
        private readonly List<int> _upArcs = new(), _downArcs = new();

        public Builder(RoutingGraph g)
        {
            _g = g;
            _n = g.NodeCount;
            int cap = Math.Max(16, g.OutHead.Length * 2);
            _tail = new int[cap]; _head = new int[cap]; _first = new int[cap]; _second = new int[cap]; _hops = new int[cap];
            _w = new double[cap];
            _out = new int[_n][];
            _in = new int[_n][];
            _outCount = new int[_n];
            _inCount = new int[_n];
            _contracted = new bool[_n];
            _deleted = new int[_n];
            _level = new int[_n];
            _priority = new double[_n];
            _dist = new double[_n];
            Array.Fill(_dist, double.PositiveInfinity);
            _touched = new int[_n];
            _targetStamp = new int[_n];
            for (int u = 0; u < _n; u++)
            {
                int deg = g.OutStart[u + 1] - g.OutStart[u], indeg = g.InStart[u + 1] - g.InStart[u];
                _out[u] = new int[Math.Max(2, deg)];
                _in[u] = new int[Math.Max(2, indeg)];
            }
            // Original arcs; of parallel arcs u → v only the cheapest survives, the first in CSR order on a tie — the
            // one Dijkstra's strict "<" relaxation keeps. Loops never lie on a shortest path.
            for (int u = 0; u < _n; u++)
                for (int a = g.OutStart[u]; a < g.OutStart[u + 1]; a++)
                {
                    int v = g.OutHead[a];
                    if (v == u) continue;
                    double w = g.OutSeconds[a];
                    int existing = FindArc(u, v);
                    if (existing >= 0)
                    {
                        if (w < _w[existing]) { _w[existing] = w; _second[existing] = a; }
                        continue;
                    }
                    AddArc(u, v, w, -1, a, 1);
                }
        }

        private int FindArc(int u, int v)
        {
            var list = _out[u];
            for (int i = 0, c = _outCount[u]; i < c; i++)
                if (_head[list[i]] == v) return list[i];
            return -1;
        }

        private void AddArc(int u, int v, double w, int first, int second, int hops)
        {
            if (_arcs == _tail.Length)
            {
                int cap = _arcs * 2;
                Array.Resize(ref _tail, cap); Array.Resize(ref _head, cap); Array.Resize(ref _first, cap);
                Array.Resize(ref _second, cap); Array.Resize(ref _hops, cap); Array.Resize(ref _w, cap);
            }
            int id = _arcs++;
            _tail[id] = u; _head[id] = v; _w[id] = w; _first[id] = first; _second[id] = second; _hops[id] = hops;
            Push(ref _out[u], ref _outCount[u], id);
            Push(ref _in[v], ref _inCount[v], id);
        }

        private static void Push(ref int[] list, ref int count, int id)
        {
            if (count == list.Length) Array.Resize(ref list, count * 2);
            list[count++] = id;
        }

        private static void Remove(int[] list, ref int count, int id)
        {
            for (int i = 0; i < count; i++)
                if (list[i] == id) { list[i] = list[--count]; return; }
        }

        public ContractionHierarchy Run()
        {
            int originalArcs = _arcs;
            var queue = new MinHeap();
            for (int v = 0; v < _n; v++)
            {
                _priority[v] = Priority(v);
                queue.Push(_priority[v], v);
            }
            var neighbours = new List<int>();
            var seen = new int[_n];
            int seenStamp = 0;
            while (queue.Count > 0)
            {
                int v = queue.Pop(out double key);
                if (_contracted[v] || key != _priority[v]) continue; // stale entry
                // Lazy update: priorities of nodes whose surroundings changed without them being a neighbour of a
                // contracted node are refreshed when they come up; one that got worse goes back into the queue.
                double p = Priority(v);
                if (queue.Count > 0 && p > queue.PeekKey)
                {
                    _priority[v] = p;
                    queue.Push(p, v);
                    continue;
                }
                neighbours.Clear();
                seenStamp++;
                for (int i = 0; i < _outCount[v]; i++) { int x = _head[_out[v][i]]; if (seen[x] != seenStamp) { seen[x] = seenStamp; neighbours.Add(x); } }
                for (int i = 0; i < _inCount[v]; i++) { int x = _tail[_in[v][i]]; if (seen[x] != seenStamp) { seen[x] = seenStamp; neighbours.Add(x); } }
                Contract(v);
                foreach (int x in neighbours)
                {
                    _deleted[x]++;
                    _level[x] = Math.Max(_level[x], _level[v] + 1);
                    _priority[x] = Priority(x);
                    queue.Push(_priority[x], x);
                }
            }
            return Freeze(originalArcs);
        }

        /// <summary>
        /// Importance of contracting v now: edge difference (shortcuts added − arcs removed), the same for the
        /// original arcs they stand for, contracted neighbours (spreads contraction evenly) and the level.
        /// </summary>
        private double Priority(int v)
        {
            var (added, addedHops) = Shortcuts(v, simulate: true);
            int removed = _outCount[v] + _inCount[v], removedHops = 0;
            for (int i = 0; i < _outCount[v]; i++) removedHops += _hops[_out[v][i]];
            for (int i = 0; i < _inCount[v]; i++) removedHops += _hops[_in[v][i]];
            if (removed == 0) return 0;
            return 2.0 * (added - removed) + (addedHops - removedHops) / 2.0 + _deleted[v] + 2.0 * _level[v];
        }

        private void Contract(int v)
        {
            _contracted[v] = true;
            for (int i = 0; i < _outCount[v]; i++) _upArcs.Add(_out[v][i]);
            for (int i = 0; i < _inCount[v]; i++) _downArcs.Add(_in[v][i]);
            Shortcuts(v, simulate: false);
            for (int i = 0; i < _outCount[v]; i++) { int a = _out[v][i], w = _head[a]; Remove(_in[w], ref _inCount[w], a); }
            for (int i = 0; i < _inCount[v]; i++) { int a = _in[v][i], u = _tail[a]; Remove(_out[u], ref _outCount[u], a); }
            _outCount[v] = 0;
            _inCount[v] = 0;
        }

        /// <summary>
        /// For every pair u → v → w of v's remaining neighbours, whether a witness path u ⇝ w avoiding v costs no
        /// more than through v; if none is found a shortcut is needed (counted, or added / lowering an existing u → w).
        /// </summary>
        private (int Count, int Hops) Shortcuts(int v, bool simulate)
        {
            int count = 0, hops = 0;
            int limit = simulate ? SimulatedSettleLimit : RealSettleLimit;
            // Lists can grow while shortcuts are added (never v's own: v is neither end of a shortcut).
            int inCount = _inCount[v], outCount = _outCount[v];
            var inList = _in[v];
            var outList = _out[v];
            for (int i = 0; i < inCount; i++)
            {
                int ai = inList[i], u = _tail[ai];
                double wi = _w[ai];
                double bound = double.NegativeInfinity;
                int targets = 0;
                _stamp++;
                for (int j = 0; j < outCount; j++)
                {
                    int aj = outList[j], w = _head[aj];
                    if (w == u) continue;
                    bound = Math.Max(bound, wi + _w[aj]);
                    if (_targetStamp[w] != _stamp) { _targetStamp[w] = _stamp; targets++; }
                }
                if (targets == 0) continue;
                Witness(u, v, bound, targets, limit);
                for (int j = 0; j < outCount; j++)
                {
                    int aj = outList[j], w = _head[aj];
                    if (w == u) continue;
                    double c = wi + _w[aj];
                    if (!(_dist[w] > c)) continue;
                    count++;
                    hops += _hops[ai] + _hops[aj];
                    if (simulate) continue;
                    int existing = FindArc(u, w);
                    if (existing >= 0)
                    {
                        // Never a child of anything yet: both its ends are uncontracted.
                        _w[existing] = c; _first[existing] = ai; _second[existing] = aj; _hops[existing] = _hops[ai] + _hops[aj];
                    }
                    else AddArc(u, w, c, ai, aj, _hops[ai] + _hops[aj]);
                }
                ClearWitness();
            }
            return (count, hops);
        }

        /// <summary>Bounded Dijkstra from s over uncontracted nodes, never through <paramref name="avoid"/>.</summary>
        private void Witness(int s, int avoid, double bound, int targets, int settleLimit)
        {
            var heap = _heap;
            heap.Clear();
            SetDist(s, 0);
            heap.Push(0, s);
            int settled = 0;
            while (heap.Count > 0)
            {
                int u = heap.Pop(out double k);
                if (k > _dist[u]) continue;
                if (k > bound) break;
                if (_targetStamp[u] == _stamp && --targets == 0) break;
                if (++settled > settleLimit) break;
                var list = _out[u];
                for (int i = 0, c = _outCount[u]; i < c; i++)
                {
                    int a = list[i], x = _head[a];
                    if (x == avoid) continue;
                    double nd = k + _w[a];
                    if (nd < _dist[x] && nd <= bound)
                    {
                        SetDist(x, nd);
                        heap.Push(nd, x);
                    }
                }
            }
        }

        private void SetDist(int x, double d)
        {
            if (double.IsPositiveInfinity(_dist[x])) _touched[_touchedCount++] = x;
            _dist[x] = d;
        }

        private void ClearWitness()
        {
            for (int i = 0; i < _touchedCount; i++) _dist[_touched[i]] = double.PositiveInfinity;
            _touchedCount = 0;
        }

        private ContractionHierarchy Freeze(int originalArcs)
        {
            // Arc codes: original arcs (those never lowered by a shortcut) by their graph index, shortcuts numbered.
            var code = new int[_arcs];
            int shortcuts = 0;
            for (int a = 0; a < _arcs; a++) code[a] = _first[a] < 0 ? ~_second[a] : shortcuts++;
            var arcFirst = new int[shortcuts];
            var arcSecond = new int[shortcuts];
            for (int a = 0; a < _arcs; a++)
                if (_first[a] >= 0) { arcFirst[code[a]] = code[_first[a]]; arcSecond[code[a]] = code[_second[a]]; }

            var upStart = new int[_n + 1];
            var downStart = new int[_n + 1];
            foreach (int a in _upArcs) upStart[_tail[a] + 1]++;
            foreach (int a in _downArcs) downStart[_head[a] + 1]++;
            for (int i = 0; i < _n; i++) { upStart[i + 1] += upStart[i]; downStart[i + 1] += downStart[i]; }
            var upHead = new int[_upArcs.Count];
            var upArc = new int[_upArcs.Count];
            var upWeight = new double[_upArcs.Count];
            var downTail = new int[_downArcs.Count];
            var downArc = new int[_downArcs.Count];
            var downWeight = new double[_downArcs.Count];
            var upFill = (int[])upStart.Clone();
            var downFill = (int[])downStart.Clone();
            foreach (int a in _upArcs)
            {
                int k = upFill[_tail[a]]++;
                upHead[k] = _head[a]; upArc[k] = code[a]; upWeight[k] = _w[a];
            }
            foreach (int a in _downArcs)
            {
                int k = downFill[_head[a]]++;
                downTail[k] = _tail[a]; downArc[k] = code[a]; downWeight[k] = _w[a];
            }
            return new ContractionHierarchy(_n, upStart, upHead, upArc, upWeight, downStart, downTail, downArc, downWeight,
                arcFirst, arcSecond, originalArcs);
        }
    }

    // ------------------------------------------------------------------ query

    /// <summary>
    /// Bidirectional upward Dijkstra between seeded labels (at most two per side: the snapped edges' end nodes).
    /// Returns the best meeting node (−1 when the sides never meet) and its summed cost.
    /// </summary>
    public int Query(ChQuery q, ReadOnlySpan<(int Node, double Cost)> sources, ReadOnlySpan<(int Node, double Cost)> targets, out double best)
    {
        best = double.PositiveInfinity;
        int meet = -1;
        foreach (var (node, cost) in sources) q.RelaxForward(node, cost, -1, -1);
        foreach (var (node, cost) in targets) q.RelaxBackward(node, cost, -1, -1);
        var fh = q.ForwardHeap;
        var bh = q.BackwardHeap;
        double[] fd = q.ForwardCost, bd = q.BackwardCost;
        while (true)
        {
            bool forward = fh.Count > 0 && fh.PeekKey < best;
            bool backward = bh.Count > 0 && bh.PeekKey < best;
            if (!forward && !backward) break;
            // Alternate by the smaller key so both sides grow about equally.
            if (forward && (!backward || fh.PeekKey <= bh.PeekKey))
            {
                int u = fh.Pop(out double k);
                if (k > fd[u]) continue;
                q.Settled++;
                if (k + bd[u] < best) { best = k + bd[u]; meet = u; }
                if (Stalled(u, k, fd, DownStart, DownTail, DownWeight)) continue;
                for (int a = UpStart[u], end = UpStart[u + 1]; a < end; a++)
                {
                    double nc = k + UpWeight[a];
                    int x = UpHead[a];
                    if (nc < fd[x]) q.RelaxForward(x, nc, u, UpArc[a]);
                }
            }
            else
            {
                int u = bh.Pop(out double k);
                if (k > bd[u]) continue;
                q.Settled++;
                if (k + fd[u] < best) { best = k + fd[u]; meet = u; }
                if (Stalled(u, k, bd, UpStart, UpHead, UpWeight)) continue;
                for (int a = DownStart[u], end = DownStart[u + 1]; a < end; a++)
                {
                    double nc = k + DownWeight[a];
                    int x = DownTail[a];
                    if (nc < bd[x]) q.RelaxBackward(x, nc, u, DownArc[a]);
                }
            }
        }
        return meet;
    }

    /// <summary>
    /// Stall-on-demand: a node reached more cheaply from a higher node (over an arc the upward search cannot use)
    /// is not on a shortest up-down path through this label, so its arcs need not be relaxed.
    /// </summary>
    private static bool Stalled(int u, double k, double[] dist, int[] start, int[] other, double[] weight)
    {
        for (int a = start[u], end = start[u + 1]; a < end; a++)
            if (dist[other[a]] + weight[a] < k) return true;
        return false;
    }

    /// <summary>Appends the original out-arcs (graph indices) of the arc with code <paramref name="arc"/> in path order.</summary>
    public void Unpack(int arc, List<int> into, Stack<int> stack)
    {
        stack.Push(arc);
        while (stack.Count > 0)
        {
            int a = stack.Pop();
            if (a < 0) { into.Add(~a); continue; }
            stack.Push(ArcSecond[a]);
            stack.Push(ArcFirst[a]);
        }
    }
}

/// <summary>Reusable state of one hierarchy query (labels reset only where touched).</summary>
internal sealed class ChQuery
{
    public readonly double[] ForwardCost, BackwardCost;
    public readonly int[] ForwardPredNode, ForwardPredArc, BackwardPredNode, BackwardPredArc;
    public readonly MinHeap ForwardHeap = new(), BackwardHeap = new();
    private readonly int[] _touched;
    private int _touchedCount;
    private readonly bool[] _isTouched;
    /// <summary>The unpacked path: graph out-arc indices in path order.</summary>
    public readonly List<int> Arcs = new();
    public readonly List<int> Chain = new();
    public readonly Stack<int> Stack = new();
    /// <summary>Labels settled by both sides since the state was created (benchmarks).</summary>
    public long Settled;

    public ChQuery(int n)
    {
        ForwardCost = new double[n];
        BackwardCost = new double[n];
        Array.Fill(ForwardCost, double.PositiveInfinity);
        Array.Fill(BackwardCost, double.PositiveInfinity);
        ForwardPredNode = new int[n];
        ForwardPredArc = new int[n];
        BackwardPredNode = new int[n];
        BackwardPredArc = new int[n];
        _touched = new int[n];
        _isTouched = new bool[n];
    }

    public void RelaxForward(int node, double cost, int predNode, int predArc)
    {
        if (!(cost < ForwardCost[node])) return;
        Touch(node);
        ForwardCost[node] = cost;
        ForwardPredNode[node] = predNode;
        ForwardPredArc[node] = predArc;
        ForwardHeap.Push(cost, node);
    }

    public void RelaxBackward(int node, double cost, int predNode, int predArc)
    {
        if (!(cost < BackwardCost[node])) return;
        Touch(node);
        BackwardCost[node] = cost;
        BackwardPredNode[node] = predNode;
        BackwardPredArc[node] = predArc;
        BackwardHeap.Push(cost, node);
    }

    private void Touch(int node)
    {
        if (_isTouched[node]) return;
        _isTouched[node] = true;
        _touched[_touchedCount++] = node;
    }

    public void Reset()
    {
        for (int i = 0; i < _touchedCount; i++)
        {
            int x = _touched[i];
            ForwardCost[x] = double.PositiveInfinity;
            BackwardCost[x] = double.PositiveInfinity;
            _isTouched[x] = false;
        }
        _touchedCount = 0;
        ForwardHeap.Clear();
        BackwardHeap.Clear();
        Arcs.Clear();
        Chain.Clear();
        Stack.Clear();
    }
}
