using NetTopologySuite.Geometries;

namespace ServiceReach.Routing;

/// <summary>
/// Snapping and searches for one profile of a <see cref="StreetNetwork"/>. Costs are seconds (minimised) and the
/// metres of the chosen path. Searches are plain Dijkstra with a binary heap over flat arrays; equal keys break on
/// the lower node index so every result is deterministic. Thread-safe (search state is pooled per profile).
/// </summary>
public sealed partial class Router
{
    private readonly StreetNetwork _network;
    internal readonly RoutingGraph Graph;
    private readonly int _profileIndex;

    public Router(StreetNetwork network, string profileName, RouterOptions? options = null)
    {
        _network = network;
        _profileIndex = network.ProfileIndex(profileName);
        Profile = network.Profiles[_profileIndex];
        Graph = network.RoutingGraphFor(_profileIndex);
        Options = options ?? new RouterOptions();
        Pool = Graph.Pool;
    }

    public Profile Profile { get; }
    public RouterOptions Options { get; }
    public StreetNetwork Network => _network;
    internal SearchSpacePool Pool { get; }

    // ------------------------------------------------------------------ snapping

    /// <summary>
    /// Snaps a point to the nearest edge this profile can use whose component has at least
    /// <see cref="RouterOptions.MinComponentNodes"/> nodes, within <paramref name="maxDistanceMeters"/>.
    /// </summary>
    public SnapResult Snap(GeoPoint point, double maxDistanceMeters = 500)
    {
        var d = _network.Data;
        var g = Graph;
        var geo = new EdgeGeometry(d);
        var proj = new LocalProjection(point);
        // A network whose largest component is below the minimum (a small test or village extract) still has a main
        // component to snap into: the island rule compares against the main network, never excludes all of it.
        int minNodes = Math.Min(Options.MinComponentNodes, g.LargestComponentSize);
        int bestEdge = -1, bestSeg = -1, anyEdge = -1;
        double bestDist = double.PositiveInfinity, bestT = 0, anyDist = double.PositiveInfinity;
        // Growing search boxes: every segment within `radius` lies in the cells visited, so a qualifying hit within
        // `radius` is the nearest one overall. Most points lie within tens of metres of a street.
        double radius = Math.Min(maxDistanceMeters, 40);
        while (true)
        {
            double limit = radius;
            bestEdge = bestSeg = anyEdge = -1;
            bestDist = anyDist = double.PositiveInfinity;
            _network.Grid.Visit(point, limit, (e, s) =>
            {
                if (!g.IsUsable(e)) return;
                var (lo1, la1) = geo.PointE7(e, s);
                var (lo2, la2) = geo.PointE7(e, s + 1);
                var (x1, y1) = proj.Forward(lo1 * 1e-7, la1 * 1e-7);
                var (x2, y2) = proj.Forward(lo2 * 1e-7, la2 * 1e-7);
                double dx = x2 - x1, dy = y2 - y1, len2 = dx * dx + dy * dy;
                double t = len2 > 0 ? Math.Clamp(-(x1 * dx + y1 * dy) / len2, 0, 1) : 0;
                double px = x1 + t * dx, py = y1 + t * dy;
                double dist = Math.Sqrt(px * px + py * py);
                if (dist > limit) return;
                if (dist < anyDist || (dist == anyDist && e < anyEdge)) { anyDist = dist; anyEdge = e; }
                if (g.EdgeComponentSize(e) < minNodes) return;
                if (dist < bestDist || (dist == bestDist && (e < bestEdge || (e == bestEdge && s < bestSeg))))
                {
                    bestDist = dist; bestEdge = e; bestSeg = s; bestT = t;
                }
            });
            if (bestEdge >= 0 || radius >= maxDistanceMeters) break;
            radius = Math.Min(maxDistanceMeters, radius * 3);
        }
        if (bestEdge < 0)
        {
            string reason = anyEdge < 0
                ? FormattableString.Invariant($"no edge usable by '{Profile.Name}' within {maxDistanceMeters:F0} m")
                : FormattableString.Invariant($"the nearest usable edge ({anyDist:F0} m) lies in a component of {g.EdgeComponentSize(anyEdge)} nodes, below the minimum of {minNodes}, and no bigger component is within {maxDistanceMeters:F0} m");
            return new SnapResult(_network, _profileIndex, point)
            {
                Found = false, Reason = reason, ComponentSize = anyEdge < 0 ? 0 : g.EdgeComponentSize(anyEdge),
            };
        }
        int n = geo.PointCount(bestEdge);
        double before = 0, total = 0;
        for (int i = 0; i < n - 1; i++)
        {
            double len = geo.SegmentLength(bestEdge, i);
            if (i < bestSeg) before += len;
            if (i == bestSeg) before += bestT * len;
            total += len;
        }
        var a = geo.Point(bestEdge, bestSeg);
        var b = geo.Point(bestEdge, bestSeg + 1);
        var onEdge = new GeoPoint(a.Lon + bestT * (b.Lon - a.Lon), a.Lat + bestT * (b.Lat - a.Lat));
        return new SnapResult(_network, _profileIndex, point)
        {
            Found = true, Edge = bestEdge, Fraction = total > 0 ? Math.Clamp(before / total, 0, 1) : 0,
            Point = onEdge, DistanceMeters = bestDist, ComponentSize = g.EdgeComponentSize(bestEdge),
        };
    }

    /// <summary>Snaps many points (results in input order).</summary>
    public IReadOnlyList<SnapResult> SnapMany(IReadOnlyList<GeoPoint> points, double maxDistanceMeters = 500)
    {
        var r = new SnapResult[points.Count];
        for (int i = 0; i < r.Length; i++) r[i] = Snap(points[i], maxDistanceMeters);
        return r;
    }

    /// <summary>A snap exactly at graph node <paramref name="node"/> (for oracle tests and benchmarks).</summary>
    internal SnapResult SnapToNode(int node)
    {
        var g = Graph;
        int edge = -1;
        double frac = 0;
        if (g.OutStart[node + 1] > g.OutStart[node]) { int ed = g.OutEdgeDir[g.OutStart[node]]; edge = ed >> 1; frac = (ed & 1) == 0 ? 0 : 1; }
        else if (g.InStart[node + 1] > g.InStart[node]) { int ed = g.InEdgeDir[g.InStart[node]]; edge = ed >> 1; frac = (ed & 1) == 0 ? 1 : 0; }
        if (edge < 0) return new SnapResult(_network, _profileIndex, _network.NodePoint(node)) { Found = false, Reason = "node has no usable edge" };
        return new SnapResult(_network, _profileIndex, _network.NodePoint(node))
        {
            Found = true, Edge = edge, Fraction = frac, Point = _network.NodePoint(node), DistanceMeters = 0, ComponentSize = g.EdgeComponentSize(edge),
        };
    }

    private void Check(SnapResult s, string name)
    {
        if (!ReferenceEquals(s.Network, _network) || s.ProfileIndex != _profileIndex)
            throw new ArgumentException($"{name} was snapped with another network or profile than this router's ('{Profile.Name}').", name);
    }

    // ------------------------------------------------------------------ core search

    /// <summary>
    /// Seeds a search at a snapped point: its edge's end nodes get the partial edge cost toward (forward search) or
    /// from (reverse search, toward the point) the point.
    /// </summary>
    internal void Seed(SearchSpace s, SnapResult p, bool reverse, double maxSeconds)
    {
        var g = Graph;
        int e = p.Edge;
        double f = p.Fraction, len = g.Length[e];
        var (toFrom, toTo) = g.EndSeconds(e, f, reverse);
        if (toFrom <= maxSeconds) s.Relax(g.EdgeFrom[e], toFrom, f * len, -1);
        if (toTo <= maxSeconds) s.Relax(g.EdgeTo[e], toTo, (1 - f) * len, -1);
    }

    /// <summary>
    /// Runs Dijkstra from the seeded labels, settling nodes with cost ≤ maxSeconds. When <paramref name="targetsLeft"/>
    /// is positive it stops once that many nodes marked in <see cref="SearchSpace.Target"/> are settled.
    /// </summary>
    internal void Run(SearchSpace s, bool reverse, double maxSeconds, int targetsLeft = 0)
    {
        var g = Graph;
        var (start, head, sec, met) = g.Arcs(reverse);
        double[] cost = s.Cost;
        var heap = s.Heap;
        while (heap.Count > 0)
        {
            int u = heap.Pop(out double k);
            if (k > cost[u]) continue;       // stale entry: the node was lowered later
            if (k > maxSeconds) break;
            s.Settled[s.SettledCount++] = u;
            if (targetsLeft > 0 && s.Target[u] == s.TargetStamp)
            {
                s.Target[u] = 0;
                if (--targetsLeft == 0) break;
            }
            double mu = s.Meters[u];
            for (int a = start[u], end = start[u + 1]; a < end; a++)
            {
                int v = head[a];
                double nc = k + sec[a];
                if (nc < cost[v] && nc <= maxSeconds) s.Relax(v, nc, mu + met[a], a);
            }
        }
    }

    /// <summary>Best (seconds, metres) from the search labels to a snapped point (forward) or from it (reverse).</summary>
    internal (double Seconds, double Meters) ToPoint(double[] cost, double[] meters, SnapResult q, SnapResult? origin, bool reverse)
    {
        var g = Graph;
        int e = q.Edge;
        double f = q.Fraction, len = g.Length[e];
        double best = double.PositiveInfinity, bestM = double.PositiveInfinity;
        int from = g.EdgeFrom[e], to = g.EdgeTo[e];
        double viaFrom = cost[from] + (reverse ? g.Along(e, f, 0) : g.Along(e, 0, f));
        if (viaFrom < best) { best = viaFrom; bestM = meters[from] + f * len; }
        double viaTo = cost[to] + (reverse ? g.Along(e, f, 1) : g.Along(e, 1, f));
        if (viaTo < best) { best = viaTo; bestM = meters[to] + (1 - f) * len; }
        if (origin is not null && origin.Edge == e)
        {
            double direct = reverse ? g.Along(e, f, origin.Fraction) : g.Along(e, origin.Fraction, f);
            if (direct <= best) { best = direct; bestM = Math.Abs(f - origin.Fraction) * len; }
        }
        return (best, bestM);
    }

    // ------------------------------------------------------------------ public searches

    /// <summary>All nodes reachable from <paramref name="origin"/> within <paramref name="maxSeconds"/>.</summary>
    public OneToAllResult OneToAll(SnapResult origin, double maxSeconds)
    {
        Check(origin, nameof(origin));
        if (!origin.Found) return OneToAllResult.Empty(this, origin, maxSeconds);
        var s = Pool.Rent();
        try
        {
            Seed(s, origin, reverse: false, maxSeconds);
            Run(s, reverse: false, maxSeconds);
            return OneToAllResult.From(this, origin, maxSeconds, s);
        }
        finally { Pool.Return(s); }
    }

    /// <summary>Bounded search from a graph node (oracle tests, benchmarks).</summary>
    internal OneToAllResult OneToAllFromNode(int node, double maxSeconds) => OneToAll(SnapToNode(node), maxSeconds);

    /// <summary>Times and metres from one origin to many destinations, bounded by <paramref name="maxSeconds"/>.</summary>
    public OneToManyResult OneToMany(SnapResult origin, IReadOnlyList<SnapResult> destinations, double maxSeconds = double.PositiveInfinity)
    {
        var sec = new double[destinations.Count];
        var met = new double[destinations.Count];
        OneToManyInto(origin, destinations, maxSeconds, sec, met);
        return new OneToManyResult(sec, met);
    }

    private void OneToManyInto(SnapResult origin, IReadOnlyList<SnapResult> destinations, double maxSeconds, Span<double> sec, Span<double> met)
    {
        Check(origin, nameof(origin));
        sec.Fill(double.PositiveInfinity);
        met.Fill(double.PositiveInfinity);
        if (!origin.Found) return;
        var s = Pool.Rent();
        try
        {
            int targets = 0;
            foreach (var d in destinations)
            {
                Check(d, nameof(destinations));
                if (!d.Found) continue;
                // Both ends of the destination's edge are targets (no array per destination: this loop is hot).
                int from = Graph.EdgeFrom[d.Edge], to = Graph.EdgeTo[d.Edge];
                if (s.Target[from] != s.TargetStamp) { s.Target[from] = s.TargetStamp; targets++; }
                if (s.Target[to] != s.TargetStamp) { s.Target[to] = s.TargetStamp; targets++; }
            }
            Seed(s, origin, reverse: false, maxSeconds);
            Run(s, reverse: false, maxSeconds, targets);
            for (int i = 0; i < destinations.Count; i++)
            {
                var d = destinations[i];
                if (!d.Found) continue;
                var (t, m) = ToPoint(s.Cost, s.Meters, d, origin, reverse: false);
                if (t <= maxSeconds) { sec[i] = t; met[i] = m; }
            }
        }
        finally { Pool.Return(s); }
    }

    /// <summary>Travel-time matrix; rows are origins. Runs one bounded search per origin (in parallel, deterministic).</summary>
    public TravelMatrix ManyToMany(IReadOnlyList<SnapResult> origins, IReadOnlyList<SnapResult> destinations, double maxSeconds = double.PositiveInfinity)
    {
        var seconds = new float[origins.Count, destinations.Count];
        var meters = new float[origins.Count, destinations.Count];
        Parallel.For(0, origins.Count, () => (new double[destinations.Count], new double[destinations.Count]), (o, _, buf) =>
        {
            OneToManyInto(origins[o], destinations, maxSeconds, buf.Item1, buf.Item2);
            for (int d = 0; d < destinations.Count; d++) { seconds[o, d] = (float)buf.Item1[d]; meters[o, d] = (float)buf.Item2[d]; }
            return buf;
        }, _ => { });
        return new TravelMatrix(seconds, meters);
    }

    /// <summary>
    /// Fastest path between two snapped points with its WGS84 geometry: A*, or the contraction hierarchy's query
    /// once the hierarchy exists (<see cref="PrepareHierarchy"/>, <see cref="ShortestPaths"/>); both are exact.
    /// </summary>
    public PathResult ShortestPath(SnapResult from, SnapResult to)
    {
        Check(from, nameof(from));
        Check(to, nameof(to));
        if (!from.Found || !to.Found) return new PathResult { Found = false };
        if (ContractionHierarchy.IfBuilt(Graph) is { } ch) return ShortestPathViaHierarchy(ch, from, to);
        var g = Graph;
        var s = Pool.Rent();
        try
        {
            RunAStar(s, from, to);
            var (t, m) = ToPoint(s.Cost, s.Meters, to, from, reverse: false);
            if (double.IsPositiveInfinity(t)) return new PathResult { Found = false };
            int e = to.Edge;
            double f = to.Fraction;
            var arcs = new List<int>();
            if (from.Edge == e && g.Along(e, from.Fraction, f) <= t)
                return new PathResult { Found = true, Seconds = t, Meters = m, Geometry = PathLine(from, to, direct: true, 0, arcs, 0) };
            int from0 = g.EdgeFrom[e];
            bool viaFrom = s.Cost[from0] + g.Along(e, 0, f) <= t;
            int endNode = viaFrom ? from0 : g.EdgeTo[e];
            // Walk predecessor arcs back to the seeded node.
            int cur = endNode;
            while (s.PredArc[cur] >= 0)
            {
                int a = s.PredArc[cur];
                arcs.Add(a);
                int ed = g.OutEdgeDir[a];
                cur = (ed & 1) == 0 ? g.EdgeFrom[ed >> 1] : g.EdgeTo[ed >> 1];
            }
            arcs.Reverse();
            int originFrom = g.EdgeFrom[from.Edge], originTo = g.EdgeTo[from.Edge];
            double startFrac = cur == originFrom && cur != originTo ? 0
                : cur == originTo && cur != originFrom ? 1
                : g.Along(from.Edge, from.Fraction, 0) <= g.Along(from.Edge, from.Fraction, 1) ? 0 : 1;
            return new PathResult { Found = true, Seconds = t, Meters = m, Geometry = PathLine(from, to, direct: false, startFrac, arcs, viaFrom ? 0 : 1) };
        }
        finally { Pool.Return(s); }
    }

    /// <summary>
    /// WGS84 line of a path: the origin's snapped point to the end of its edge at <paramref name="startFrac"/> (0 or
    /// 1), the whole edges of <paramref name="arcs"/> (graph out-arc indices in path order), then from
    /// <paramref name="endFrac"/> of the destination's edge to its snapped point; or, when <paramref name="direct"/>,
    /// the piece of their shared edge between the two points. Repeated points are dropped.
    /// </summary>
    private LineString PathLine(SnapResult from, SnapResult to, bool direct, double startFrac, List<int> arcs, double endFrac)
    {
        var g = Graph;
        var geo = new EdgeGeometry(_network.Data);
        var coords = new List<Coordinate>();
        var part = new List<GeoPoint>();
        if (direct)
        {
            AddPart(geo, from.Edge, from.Fraction, to.Fraction, part, coords);
        }
        else
        {
            AddPart(geo, from.Edge, from.Fraction, startFrac, part, coords);
            // Whole edges take their stored points as they are (no length fractions to interpolate).
            foreach (int a in arcs)
            {
                int ed = g.OutEdgeDir[a], e = ed >> 1, n = geo.PointCount(e);
                if ((ed & 1) == 0) for (int i = 0; i < n; i++) AddPoint(geo.Point(e, i), coords);
                else for (int i = n - 1; i >= 0; i--) AddPoint(geo.Point(e, i), coords);
            }
            AddPart(geo, to.Edge, endFrac, to.Fraction, part, coords);
        }
        if (coords.Count == 1) coords.Add(coords[0].Copy());
        return Wgs84.Factory.CreateLineString(coords.ToArray());
    }

    private static void AddPart(EdgeGeometry geo, int e, double a, double b, List<GeoPoint> part, List<Coordinate> coords)
    {
        part.Clear();
        AppendDirected(geo, e, a, b, part);
        foreach (var p in part) AddPoint(p, coords);
    }

    private static void AddPoint(GeoPoint p, List<Coordinate> coords)
    {
        if (coords.Count == 0 || coords[^1].X != p.Lon || coords[^1].Y != p.Lat) coords.Add(new Coordinate(p.Lon, p.Lat));
    }

    /// <summary>
    /// A* from a snapped origin to a snapped destination: heap key = seconds + chord metres to the destination
    /// / the profile's top arc speed (×0.999 against float rounding), a consistent lower bound, so the result is the
    /// exact Dijkstra optimum. Stops when the smallest key reaches the best time to the destination point.
    /// </summary>
    internal void RunAStar(SearchSpace s, SnapResult from, SnapResult to)
    {
        var g = Graph;
        var xyz = g.NodeXyz(_network.Data);
        double vmax = g.MaxMetersPerSecond;
        double invV = double.IsPositiveInfinity(vmax) ? 0 : 0.999 / vmax;
        var (tx, ty, tz) = RoutingGraph.ToXyz(to.Point.Lon, to.Point.Lat);
        double Bound(int v)
        {
            double dx = xyz[3 * v] - tx, dy = xyz[3 * v + 1] - ty, dz = xyz[3 * v + 2] - tz;
            return Math.Sqrt(dx * dx + dy * dy + dz * dz) * invV;
        }
        int e = to.Edge, dFrom = g.EdgeFrom[e], dTo = g.EdgeTo[e];
        var (legFrom, legTo) = g.EndSeconds(e, to.Fraction, reverse: true);
        double best = from.Edge == e ? g.Along(e, from.Fraction, to.Fraction) : double.PositiveInfinity;
        double[] cost = s.Cost;
        double[] bound = s.Bound;
        var heap = s.Heap;
        int[] start = g.OutStart, head = g.OutHead;
        float[] sec = g.OutSeconds, met = g.OutMeters;
        // Seed like Seed(), but keyed with the bound.
        double f = from.Fraction, len = g.Length[from.Edge];
        void Offer(int v, double c, double m, int pred)
        {
            if (!(c < cost[v])) return;
            if (double.IsPositiveInfinity(cost[v])) bound[v] = Bound(v);
            s.Relax(v, c, m, pred, c + bound[v]);
            if (v == dFrom && c + legFrom < best) best = c + legFrom;
            if (v == dTo && c + legTo < best) best = c + legTo;
        }
        var (toFrom, toTo) = g.EndSeconds(from.Edge, f, reverse: false);
        Offer(g.EdgeFrom[from.Edge], toFrom, f * len, -1);
        Offer(g.EdgeTo[from.Edge], toTo, (1 - f) * len, -1);
        while (heap.Count > 0)
        {
            if (heap.PeekKey >= best) break;
            int u = heap.Pop(out double k);
            if (k != cost[u] + bound[u]) continue; // stale
            s.Settled[s.SettledCount++] = u;
            double cu = cost[u], mu = s.Meters[u];
            for (int a = start[u], end = start[u + 1]; a < end; a++)
                Offer(head[a], cu + sec[a], mu + met[a], a);
        }
    }

    private static void AppendDirected(EdgeGeometry geo, int e, double a, double b, List<GeoPoint> into)
    {
        if (a <= b) { geo.AppendPart(e, a, b, into); return; }
        var tmp = new List<GeoPoint>();
        geo.AppendPart(e, b, a, tmp);
        tmp.Reverse();
        into.AddRange(tmp);
    }
}

internal static class Wgs84
{
    public static readonly GeometryFactory Factory = new(new PrecisionModel(), 4326);
}
