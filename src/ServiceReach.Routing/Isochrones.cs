using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;

namespace ServiceReach.Routing;

/// <summary>
/// Where a search starts: a snapped point reached <see cref="StartSeconds"/> after departure — 0 for the
/// traveller's own start, later for e.g. a bus stop alighted at (so walking from it continues the same clock).
/// </summary>
public readonly record struct IsochroneSeed(SnapResult Point, double StartSeconds);

public sealed partial class Router
{
    /// <summary>
    /// Isochrone bands for several limits from one search. Each band is the union of buffers around the road
    /// pieces reachable within its limit — whole edges, and partial edges up to the exact reachable point — so no
    /// area is claimed across a river or railway without a crossing, and enclosed unreachable areas stay holes.
    /// Built in a local equal-area projection centred on the origin (see <see cref="LocalProjection"/>); band k is
    /// unioned with band k−1 so bands nest exactly. Limits are sorted ascending in the result.
    /// </summary>
    public IReadOnlyList<IsochroneBand> Isochrones(SnapResult origin, double[] limitsSeconds, IsochroneOptions? options = null)
        => Isochrones([new IsochroneSeed(origin, 0)], limitsSeconds, options);

    /// <summary>
    /// Isochrone bands from several starts at once, each with its own start time (a multi-source search): a place
    /// is inside band k when some seed's start time plus the travel time from it is within the limit.
    /// Unsnapped seeds are ignored; the local projection is centred on the first snapped seed.
    /// </summary>
    public IReadOnlyList<IsochroneBand> Isochrones(IReadOnlyList<IsochroneSeed> seeds, double[] limitsSeconds, IsochroneOptions? options = null)
    {
        options ??= new IsochroneOptions();
        var limits = SortedLimits(limitsSeconds);
        var found = UsableSeeds(seeds, limits.Length == 0 ? 0 : limits[^1]);
        if (found.Length == 0 || limits.Length == 0) return EmptyBands(limits, options);
        double max = limits[^1];
        var s = Pool.Rent();
        try
        {
            SeedMany(s, found, max);
            Run(s, reverse: false, max);
            return BuildBands(s, s.Cost, secondsByNode: true, s.Settled.AsSpan(0, s.SettledCount), found, limits, options);
        }
        finally { Pool.Return(s); }
    }

    /// <summary>
    /// Isochrone bands drawn from a travel-time field (e.g. <see cref="TravelTimeField.Percentile"/> of the fields of
    /// several departures). Every limit must be within the field's <see cref="TravelTimeField.MaxSeconds"/>.
    /// </summary>
    public IReadOnlyList<IsochroneBand> Isochrones(TravelTimeField field, double[] limitsSeconds, IsochroneOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(field);
        if (!ReferenceEquals(field.Router.Network, _network) || field.Router._profileIndex != _profileIndex)
            throw new ArgumentException($"The field was computed with another network or profile than this router's ('{Profile.Name}').", nameof(field));
        options ??= new IsochroneOptions();
        var limits = SortedLimits(limitsSeconds);
        if (limits.Length > 0 && limits[^1] > field.MaxSeconds)
            throw new ArgumentException($"Limit {limits[^1]} s is beyond the field's maximum of {field.MaxSeconds} s.", nameof(limitsSeconds));
        var found = UsableSeeds(field.SeedArray, limits.Length == 0 ? 0 : limits[^1]);
        if (found.Length == 0 || limits.Length == 0) return EmptyBands(limits, options);
        var s = Pool.Rent();
        try { return BuildBands(s, field.ReachedSeconds, secondsByNode: false, field.Reached, found, limits, options); }
        finally { Pool.Return(s); }
    }

    /// <summary>Travel times (seconds) from the seeds to every node within <paramref name="maxSeconds"/>, kept for later use.</summary>
    public TravelTimeField TravelTimes(IReadOnlyList<IsochroneSeed> seeds, double maxSeconds)
    {
        if (!(maxSeconds >= 0)) throw new ArgumentOutOfRangeException(nameof(maxSeconds), "The limit must be a non-negative number of seconds.");
        var found = UsableSeeds(seeds, maxSeconds);
        if (found.Length == 0) return new TravelTimeField(this, [], [], found, maxSeconds);
        var s = Pool.Rent();
        try
        {
            SeedMany(s, found, maxSeconds);
            Run(s, reverse: false, maxSeconds);
            // Only what was reached is kept (sorted by node): a field over a big network costs what the search reached.
            var reached = s.Settled.AsSpan(0, s.SettledCount).ToArray();
            var seconds = new double[reached.Length];
            for (int i = 0; i < reached.Length; i++) seconds[i] = s.Cost[reached[i]];
            Array.Sort(reached, seconds);
            return new TravelTimeField(this, reached, seconds, found, maxSeconds);
        }
        finally { Pool.Return(s); }
    }

    private static double[] SortedLimits(double[] limitsSeconds)
    {
        ArgumentNullException.ThrowIfNull(limitsSeconds);
        var limits = limitsSeconds.Where(l => l >= 0 && double.IsFinite(l)).Distinct().Order().ToArray();
        if (limits.Length != limitsSeconds.Length) throw new ArgumentException("Limits must be distinct, finite, non-negative numbers.", nameof(limitsSeconds));
        return limits;
    }

    private IsochroneSeed[] UsableSeeds(IReadOnlyList<IsochroneSeed> seeds, double maxSeconds)
    {
        ArgumentNullException.ThrowIfNull(seeds);
        var found = new List<IsochroneSeed>(seeds.Count);
        foreach (var seed in seeds)
        {
            Check(seed.Point, nameof(seeds));
            if (!(seed.StartSeconds >= 0) || !double.IsFinite(seed.StartSeconds))
                throw new ArgumentException($"Seed start times must be finite and non-negative (got {seed.StartSeconds}).", nameof(seeds));
            if (seed.Point.Found && seed.StartSeconds <= maxSeconds) found.Add(seed);
        }
        return found.ToArray();
    }

    private static List<IsochroneBand> EmptyBands(double[] limits, IsochroneOptions options)
    {
        var bands = new List<IsochroneBand>(limits.Length);
        foreach (var l in limits)
            bands.Add(new IsochroneBand
            {
                LimitSeconds = l, Polygon = Wgs84.Factory.CreatePolygon(),
                Population = options.Population is null && options.PopulationCallback is null ? null : 0,
            });
        return bands;
    }

    /// <summary>Seeds a forward search at several snapped points, each with its own start time.</summary>
    private void SeedMany(SearchSpace s, IsochroneSeed[] seeds, double maxSeconds)
    {
        var g = Graph;
        foreach (var seed in seeds)
        {
            var p = seed.Point;
            int e = p.Edge;
            double f = p.Fraction, len = g.Length[e];
            var (alongFrom, alongTo) = g.EndSeconds(e, f, reverse: false);
            double toFrom = seed.StartSeconds + alongFrom, toTo = seed.StartSeconds + alongTo;
            if (toFrom <= maxSeconds) s.Relax(g.EdgeFrom[e], toFrom, f * len, -1);
            if (toTo <= maxSeconds) s.Relax(g.EdgeTo[e], toTo, (1 - f) * len, -1);
        }
    }

    /// <summary>
    /// Draws the bands from node times: per band, each edge's reached intervals (from its From end [0, a], from its
    /// To end [b, 1], and around seeds on it) are buffered. One distance grid serves all bands, fed in ascending
    /// order with only what each band adds to the previous one: the buffer of a union is the union of the buffers,
    /// so the field equals the band's own and bands nest exactly.
    /// </summary>
    /// <param name="seconds">Times either indexed by node (<paramref name="secondsByNode"/>) or aligned with <paramref name="reached"/>.</param>
    private List<IsochroneBand> BuildBands(SearchSpace s, double[] seconds, bool secondsByNode, ReadOnlySpan<int> reached, IsochroneSeed[] seeds,
        double[] limits, IsochroneOptions options)
    {
        var g = Graph;
        var geo = new EdgeGeometry(_network.Data);
        var proj = new LocalProjection(seeds[0].Point.Point);
        int edgeCount = g.Length.Length;
        var drawn = s.Drawn;
        int addedCurrent = drawn.Begin(edgeCount);
        double[] addedA = drawn.A, addedB = drawn.B;
        int[] addedStamp = drawn.Stamp;
        // Seeds by edge, and how much of each seed's own edge has been drawn so far.
        var seedsOfEdge = new Dictionary<int, List<int>>();
        var seedLo = new double[seeds.Length];
        var seedHi = new double[seeds.Length];
        for (int i = 0; i < seeds.Length; i++)
        {
            int e = seeds[i].Point.Edge;
            if (!seedsOfEdge.TryGetValue(e, out var list)) seedsOfEdge[e] = list = [];
            list.Add(i);
            seedLo[i] = seedHi[i] = seeds[i].Point.Fraction;
        }
        var seedDrawn = new bool[seeds.Length];

        // Pieces of all bands in metric coordinates, flat: piece p is xs/ys[pieceStart[p] .. pieceStart[p+1]).
        // Reused per thread: a big isochrone has tens of thousands of points, and regrowing them per call costs more
        // than drawing them. Taken out of the slot while in use, so a population callback that draws another
        // isochrone on this thread gets its own.
        var pieces = t_pieces ?? new PieceBuffer();
        var touched = t_touched ?? new List<int>();
        t_pieces = null;
        t_touched = null;
        pieces.Clear();
        var bandEnd = new int[limits.Length];
        var roadMeters = new double[limits.Length];
        Span<(double Lo, double Hi)> parts = stackalloc (double, double)[8];
        for (int bi = 0; bi < limits.Length; bi++)
        {
            double limit = limits[bi];
            var band = s.Reached;
            int stamp = band.Begin(edgeCount);
            double[] edgeA = band.A, edgeB = band.B;
            int[] edgeStamp = band.Stamp;
            touched.Clear();
            for (int r = 0; r < reached.Length; r++)
            {
                int u = reached[r];
                double left = limit - seconds[secondsByNode ? u : r];
                if (!(left >= 0)) continue;
                for (int a = g.OutStart[u]; a < g.OutStart[u + 1]; a++)
                {
                    int ed = g.OutEdgeDir[a], e = ed >> 1;
                    double frac = Math.Min(1, left / g.OutSeconds[a]);
                    if (double.IsNaN(frac)) frac = 1; // zero-cost edge
                    if (edgeStamp[e] != stamp) { edgeStamp[e] = stamp; edgeA[e] = -1; edgeB[e] = 2; touched.Add(e); }
                    if ((ed & 1) == 0) { if (frac > edgeA[e]) edgeA[e] = frac; }
                    else if (1 - frac < edgeB[e]) edgeB[e] = 1 - frac;
                }
            }
            foreach (var (e, _) in seedsOfEdge)
                if (edgeStamp[e] != stamp) { edgeStamp[e] = stamp; edgeA[e] = -1; edgeB[e] = 2; touched.Add(e); }

            double meters = 0;
            foreach (int e in touched)
            {
                if (addedStamp[e] != addedCurrent) { addedStamp[e] = addedCurrent; addedA[e] = 0; addedB[e] = 1; }
                double A = edgeA[e], B = edgeB[e];
                int count = 0;
                if (A > 0)
                {
                    parts[count++] = (0, Math.Min(1, A));
                    if (A > addedA[e]) { AddPiece(e, addedA[e], Math.Min(1, A)); addedA[e] = A; }
                }
                if (B < 1)
                {
                    parts[count++] = (Math.Max(0, B), 1);
                    if (B < addedB[e]) { AddPiece(e, Math.Max(0, B), addedB[e]); addedB[e] = B; }
                }
                if (seedsOfEdge.TryGetValue(e, out var onEdge))
                    foreach (int si in onEdge)
                    {
                        // The seed's own edge is reached from the seed point outward in each open direction.
                        double left = limit - seeds[si].StartSeconds;
                        if (left < 0) continue;
                        double f = seeds[si].Point.Fraction, lo = f, hi = f;
                        if (!float.IsPositiveInfinity(g.Forward[e])) hi = g.Forward[e] > 0 ? Math.Min(1, f + left / g.Forward[e]) : 1;
                        if (!float.IsPositiveInfinity(g.Backward[e])) lo = g.Backward[e] > 0 ? Math.Max(0, f - left / g.Backward[e]) : 0;
                        if (!seedDrawn[si])
                        {
                            // The seed point itself, so that even a zero limit shows the start.
                            seedDrawn[si] = true;
                            var (sx, sy) = proj.Forward(seeds[si].Point.Point.Lon, seeds[si].Point.Point.Lat);
                            pieces.AddPoint(sx, sy);
                        }
                        if (hi <= lo) continue;
                        if (count == parts.Length) MergeInPlace(parts, ref count);
                        parts[count++] = (lo, hi);
                        if (lo < seedLo[si]) { AddPiece(e, lo, seedLo[si]); seedLo[si] = lo; }
                        if (hi > seedHi[si]) { AddPiece(e, seedHi[si], hi); seedHi[si] = hi; }
                    }
                MergeInPlace(parts, ref count);
                for (int k = 0; k < count; k++) meters += (parts[k].Hi - parts[k].Lo) * g.Length[e];
            }
            roadMeters[bi] = meters;
            bandEnd[bi] = pieces.Count;
        }

        void AddPiece(int e, double a, double b)
        {
            if (!(b > a)) return;
            // The edge's points, projected; a partial piece is cut at fractions of the projected length, which
            // within an edge's few hundred metres equals the geodesic fraction to well under a millimetre.
            int n = geo.PointCount(e);
            pieces.Begin();
            if (a <= 0 && b >= 1)
            {
                for (int i = 0; i < n; i++)
                {
                    var (lo, la) = geo.PointE7(e, i);
                    var (x, y) = proj.Forward(lo * 1e-7, la * 1e-7);
                    pieces.Add(x, y);
                }
                return;
            }
            Span<double> xs = n <= 128 ? stackalloc double[n] : new double[n];
            Span<double> ys = n <= 128 ? stackalloc double[n] : new double[n];
            Span<double> cum = n <= 128 ? stackalloc double[n] : new double[n];
            for (int i = 0; i < n; i++)
            {
                var (lo, la) = geo.PointE7(e, i);
                (xs[i], ys[i]) = proj.Forward(lo * 1e-7, la * 1e-7);
                cum[i] = i == 0 ? 0 : cum[i - 1] + Math.Sqrt((xs[i] - xs[i - 1]) * (xs[i] - xs[i - 1]) + (ys[i] - ys[i - 1]) * (ys[i] - ys[i - 1]));
            }
            double from = Math.Clamp(a, 0, 1) * cum[n - 1], to = Math.Clamp(b, 0, 1) * cum[n - 1];
            AddAt(xs, ys, cum, from);
            for (int i = 1; i < n - 1; i++)
                if (cum[i] > from && cum[i] < to) pieces.Add(xs[i], ys[i]);
            AddAt(xs, ys, cum, to);
        }

        void AddAt(ReadOnlySpan<double> xs, ReadOnlySpan<double> ys, ReadOnlySpan<double> cum, double dist)
        {
            int n = cum.Length;
            for (int i = 1; i < n; i++)
            {
                if (dist <= cum[i] || i == n - 1)
                {
                    double seg = cum[i] - cum[i - 1];
                    double t = seg > 0 ? Math.Clamp((dist - cum[i - 1]) / seg, 0, 1) : 0;
                    pieces.Add(xs[i - 1] + t * (xs[i] - xs[i - 1]), ys[i - 1] + t * (ys[i] - ys[i - 1]));
                    return;
                }
            }
            pieces.Add(xs[0], ys[0]);
        }

        var bands = new List<IsochroneBand>(limits.Length);
        var (minX, minY, maxX, maxY) = pieces.Bounds();
        using var contour = new ContourBuffer(options.BufferMeters, options.GridCellMeters, minX, minY, maxX, maxY);
        int piece = 0;
        for (int bi = 0; bi < limits.Length; bi++)
        {
            for (; piece < bandEnd[bi]; piece++)
            {
                int from = pieces.Start(piece), to = pieces.Start(piece + 1);
                if (to - from == 1) contour.AddPoint(pieces.X[from], pieces.Y[from]);
                for (int k = from; k + 1 < to; k++) contour.AddSegment(pieces.X[k], pieces.Y[k], pieces.X[k + 1], pieces.Y[k + 1]);
            }
            var (polygon, area) = contour.Build(Wgs84.Factory, proj);
            polygon.SRID = 4326;
            bands.Add(new IsochroneBand
            {
                LimitSeconds = limits[bi], Polygon = polygon, AreaSquareMeters = area, ReachedRoadMeters = roadMeters[bi],
                Population = PopulationInside(polygon, options),
            });
        }
        t_pieces = pieces;
        t_touched = touched;
        return bands;
    }

    [ThreadStatic] private static PieceBuffer? t_pieces;
    [ThreadStatic] private static List<int>? t_touched;

    /// <summary>Sorts intervals by start and merges overlapping ones, leaving <paramref name="count"/> disjoint intervals.</summary>
    private static void MergeInPlace(Span<(double Lo, double Hi)> parts, ref int count)
    {
        var span = parts[..count];
        span.Sort((x, y) => x.Lo.CompareTo(y.Lo));
        int w = 0;
        for (int k = 0; k < count;)
        {
            double lo = span[k].Lo, hi = span[k].Hi;
            k++;
            while (k < count && span[k].Lo <= hi) { hi = Math.Max(hi, span[k].Hi); k++; }
            parts[w++] = (lo, hi);
        }
        count = w;
    }

    /// <summary>Flat growable storage of polylines (metric coordinates), so collecting pieces allocates almost nothing.</summary>
    private sealed class PieceBuffer
    {
        public double[] X = new double[1024], Y = new double[1024];
        private int[] _start = new int[256];
        private int _points;
        public int Count { get; private set; }

        public int Start(int piece) => piece < Count ? _start[piece] : _points;

        public void Clear() { Count = 0; _points = 0; }

        public void Begin()
        {
            if (Count == _start.Length) Array.Resize(ref _start, Count * 2);
            _start[Count++] = _points;
        }

        public void Add(double x, double y)
        {
            if (_points == X.Length) { Array.Resize(ref X, _points * 2); Array.Resize(ref Y, _points * 2); }
            X[_points] = x; Y[_points] = y; _points++;
        }

        public void AddPoint(double x, double y) { Begin(); Add(x, y); }

        /// <summary>The box of all points, always including the projection centre (0, 0).</summary>
        public (double MinX, double MinY, double MaxX, double MaxY) Bounds()
        {
            double minX = 0, minY = 0, maxX = 0, maxY = 0;
            for (int i = 0; i < _points; i++)
            {
                double x = X[i], y = Y[i];
                if (x < minX) minX = x; else if (x > maxX) maxX = x;
                if (y < minY) minY = y; else if (y > maxY) maxY = y;
            }
            return (minX, minY, maxX, maxY);
        }
    }

    private static double? PopulationInside(Geometry band, IsochroneOptions o)
    {
        if (o.PopulationCallback is not null) return o.PopulationCallback(band);
        if (o.Population is null) return null;
        if (band.IsEmpty) return 0;
        var prepared = PreparedGeometryFactory.Prepare(band);
        double sum = 0;
        foreach (var unit in o.Population)
        {
            var geom = unit.Geometry;
            if (geom is Point or MultiPoint)
            {
                if (prepared.Covers(geom)) sum += unit.Count;
            }
            else if (geom.Area > 0)
            {
                if (prepared.Covers(geom)) sum += unit.Count;
                else if (prepared.Intersects(geom)) sum += unit.Count * band.Intersection(geom).Area / geom.Area;
            }
        }
        return sum;
    }
}

/// <summary>
/// Travel times from a set of seeds to every node of one router's graph, up to <see cref="MaxSeconds"/>. Fields of
/// several departures combine into one with <see cref="Percentile"/>, and any field draws as isochrones with
/// <see cref="Router.Isochrones(TravelTimeField, double[], IsochroneOptions?)"/>.
/// </summary>
public sealed class TravelTimeField
{
    internal TravelTimeField(Router router, int[] reached, double[] reachedSeconds, IsochroneSeed[] seeds, double maxSeconds)
    {
        Router = router; Reached = reached; ReachedSeconds = reachedSeconds; SeedArray = seeds; MaxSeconds = maxSeconds;
    }

    public Router Router { get; }
    public double MaxSeconds { get; }
    /// <summary>Reached nodes in ascending order, with their times in <see cref="ReachedSeconds"/> (sparse: a field costs what it reached).</summary>
    internal int[] Reached { get; }
    internal double[] ReachedSeconds { get; }
    internal IsochroneSeed[] SeedArray { get; }

    /// <summary>The snapped seeds the field starts from (with their start times).</summary>
    public IReadOnlyList<IsochroneSeed> Seeds => SeedArray;

    /// <summary>Number of graph nodes with a time within <see cref="MaxSeconds"/>.</summary>
    public int ReachedNodeCount => Reached.Length;

    private double NodeSeconds(int node)
    {
        int i = Array.BinarySearch(Reached, node);
        return i >= 0 ? ReachedSeconds[i] : double.PositiveInfinity;
    }

    /// <summary>Seconds to a snapped point (via its edge's ends, or directly from a seed on the same edge); +∞ beyond the maximum.</summary>
    public double SecondsTo(SnapResult point)
    {
        ArgumentNullException.ThrowIfNull(point);
        if (!point.Found) return double.PositiveInfinity;
        if (!ReferenceEquals(point.Network, Router.Network)) throw new ArgumentException("The point was snapped on another network.", nameof(point));
        var g = Router.Graph;
        int e = point.Edge;
        double f = point.Fraction;
        double best = Math.Min(NodeSeconds(g.EdgeFrom[e]) + g.Along(e, 0, f), NodeSeconds(g.EdgeTo[e]) + g.Along(e, 1, f));
        foreach (var seed in SeedArray)
            if (seed.Point.Edge == e) best = Math.Min(best, seed.StartSeconds + g.Along(e, seed.Point.Fraction, f));
        return best <= MaxSeconds ? best : double.PositiveInfinity;
    }

    /// <summary>
    /// Per node, the <paramref name="percentile"/>-th (nearest rank, 0 &lt; p ≤ 100) of the fields' times, counting a
    /// node a field does not reach as +∞ — e.g. the median over the departures of a time window. Seeds at the same
    /// snapped position combine the same way. All fields must come from the same router. Memory is proportional to
    /// the nodes any field reached times the number of fields, not to the network.
    /// </summary>
    public static TravelTimeField Percentile(IReadOnlyList<TravelTimeField> fields, double percentile)
    {
        ArgumentNullException.ThrowIfNull(fields);
        if (fields.Count == 0) throw new ArgumentException("Give at least one field.", nameof(fields));
        if (!(percentile > 0 && percentile <= 100)) throw new ArgumentOutOfRangeException(nameof(percentile), "The percentile must be in (0, 100].");
        var router = fields[0].Router;
        foreach (var f in fields)
            if (!ReferenceEquals(f.Router.Network, router.Network) || f.Router.Profile.Name != router.Profile.Name)
                throw new ArgumentException("All fields must come from the same network and profile.", nameof(fields));
        int count = fields.Count;
        int rank = Math.Clamp((int)Math.Ceiling(percentile / 100 * count) - 1, 0, count - 1);
        double max = double.PositiveInfinity;
        foreach (var f in fields) max = Math.Min(max, f.MaxSeconds);

        // The union of the reached nodes, each with a row of one time per field (+∞ where a field missed it).
        // Fields that are the same object (a departure reusing the previous one's search) are read once.
        var slotOfNode = new Dictionary<int, int>();
        var union = new List<int>();
        var distinct = new Dictionary<TravelTimeField, int>(ReferenceEqualityComparer.Instance);
        foreach (var f in fields)
        {
            if (!distinct.TryAdd(f, distinct.Count)) continue;
            foreach (int u in f.Reached)
                if (slotOfNode.TryAdd(u, union.Count)) union.Add(u);
        }
        int columns = distinct.Count;
        var rows = new double[union.Count * columns];
        Array.Fill(rows, double.PositiveInfinity);
        foreach (var (f, column) in distinct)
            for (int i = 0; i < f.Reached.Length; i++) rows[slotOfNode[f.Reached[i]] * columns + column] = f.ReachedSeconds[i];
        var weight = new int[columns];
        foreach (var f in fields) weight[distinct[f]]++;

        var reached = new List<int>();
        var reachedSeconds = new List<double>();
        var order = new int[columns];
        var keys = new double[columns];
        for (int slot = 0; slot < union.Count; slot++)
        {
            double v = WeightedRank(rows.AsSpan(slot * columns, columns), weight, keys, order, rank);
            if (v <= max) { reached.Add(union[slot]); reachedSeconds.Add(v); }
        }
        var nodes = reached.ToArray();
        var seconds = reachedSeconds.ToArray();
        Array.Sort(nodes, seconds);

        // Seeds: keyed by snapped position; a field without that seed counts as +∞ for it.
        var byPosition = new Dictionary<(int Edge, double Fraction), (SnapResult Point, double[] Starts)>();
        for (int i = 0; i < count; i++)
            foreach (var seed in fields[i].SeedArray)
            {
                var key = (seed.Point.Edge, seed.Point.Fraction);
                if (!byPosition.TryGetValue(key, out var entry))
                {
                    var starts = new double[count];
                    Array.Fill(starts, double.PositiveInfinity);
                    byPosition[key] = entry = (seed.Point, starts);
                }
                entry.Starts[i] = Math.Min(entry.Starts[i], seed.StartSeconds);
            }
        var seeds = new List<IsochroneSeed>();
        foreach (var (_, (point, starts)) in byPosition)
        {
            Array.Sort(starts);
            if (starts[rank] <= max) seeds.Add(new IsochroneSeed(point, starts[rank]));
        }
        return new TravelTimeField(router, nodes, seconds, seeds.ToArray(), max);
    }

    /// <summary>The value at 0-based <paramref name="rank"/> when each value is repeated as often as its weight.</summary>
    private static double WeightedRank(ReadOnlySpan<double> values, int[] weight, double[] keys, int[] order, int rank)
    {
        values.CopyTo(keys);
        for (int i = 0; i < order.Length; i++) order[i] = i;
        Array.Sort(keys, order);
        int seen = 0;
        for (int i = 0; i < order.Length; i++)
        {
            seen += weight[order[i]];
            if (seen > rank) return keys[i];
        }
        return double.PositiveInfinity;
    }
}
