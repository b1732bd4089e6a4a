using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;

namespace ServiceReach.Routing;

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
    {
        Check(origin, nameof(origin));
        options ??= new IsochroneOptions();
        var limits = limitsSeconds.Where(l => l >= 0 && !double.IsNaN(l)).Distinct().Order().ToArray();
        if (limits.Length != limitsSeconds.Length) throw new ArgumentException("Limits must be distinct non-negative numbers.", nameof(limitsSeconds));
        var bands = new List<IsochroneBand>(limits.Length);
        var emptyWgs = Wgs84.Factory.CreatePolygon();
        if (!origin.Found || limits.Length == 0)
        {
            foreach (var l in limits) bands.Add(new IsochroneBand { LimitSeconds = l, Polygon = emptyWgs, Population = options.Population is null && options.PopulationCallback is null ? null : 0 });
            return bands;
        }
        var g = Graph;
        var d = _network.Data;
        var geo = new EdgeGeometry(d);
        double max = limits[^1];
        var s = Pool.Rent();
        try
        {
            Seed(s, origin, reverse: false, max);
            Run(s, reverse: false, max);
            var proj = new LocalProjection(origin.Point);
            var metric = new GeometryFactory(new PrecisionModel(), 0);
            var pts = new List<GeoPoint>();
            var parts = new (double Lo, double Hi)[3];
            var piecesPerBand = new List<(List<Coordinate[]> Pieces, double RoadMeters)>();
            double minX = 0, minY = 0, maxX = 0, maxY = 0; // the origin is always included
            foreach (var limit in limits)
            {
                // Reached interval(s) per edge: from the From side [0, a], from the To side [b, 1], around the origin.
                var (edgeA, edgeB, edgeStamp, stamp) = s.EdgeScratch(g.Length.Length);
                var touched = new List<int>();
                for (int i = 0; i < s.SettledCount; i++)
                {
                    int u = s.Settled[i];
                    double left = limit - s.Cost[u];
                    if (left < 0) continue;
                    for (int a = g.OutStart[u]; a < g.OutStart[u + 1]; a++)
                    {
                        int ed = g.OutEdgeDir[a], e = ed >> 1;
                        double frac = Math.Min(1, left / g.OutSeconds[a]);
                        if (double.IsNaN(frac)) frac = 1; // zero-cost edge
                        if (edgeStamp[e] != stamp) { edgeStamp[e] = stamp; edgeA[e] = -1; edgeB[e] = 2; touched.Add(e); }
                        if ((ed & 1) == 0) edgeA[e] = Math.Max(edgeA[e], frac);
                        else edgeB[e] = Math.Min(edgeB[e], 1 - frac);
                    }
                }
                double roadMeters = 0;
                var coordsOfBand = new List<Coordinate[]>();
                // The origin's own edge is reached from the snapped point outward in each open direction.
                int oe = origin.Edge;
                double of = origin.Fraction;
                double oLo = of, oHi = of;
                if (!float.IsPositiveInfinity(g.Forward[oe])) oHi = g.Forward[oe] > 0 ? Math.Min(1, of + limit / g.Forward[oe]) : 1;
                if (!float.IsPositiveInfinity(g.Backward[oe])) oLo = g.Backward[oe] > 0 ? Math.Max(0, of - limit / g.Backward[oe]) : 0;
                if (edgeStamp[oe] != stamp) { edgeStamp[oe] = stamp; edgeA[oe] = -1; edgeB[oe] = 2; touched.Add(oe); }
                touched.Sort();
                foreach (int e in touched)
                {
                    var iv = (A: edgeA[e], B: edgeB[e]);
                    int count = 0;
                    if (iv.A > 0) parts[count++] = (0, Math.Min(1, iv.A));
                    if (iv.B < 1) parts[count++] = (Math.Max(0, iv.B), 1);
                    if (e == oe && oHi > oLo) parts[count++] = (oLo, oHi);
                    // Merge the (at most three) intervals into disjoint pieces.
                    var span = parts.AsSpan(0, count);
                    span.Sort((x, y) => x.Lo.CompareTo(y.Lo));
                    int k = 0;
                    while (k < count)
                    {
                        double lo = span[k].Lo, hi = span[k].Hi;
                        k++;
                        while (k < count && span[k].Lo <= hi) { hi = Math.Max(hi, span[k].Hi); k++; }
                        AddPiece(e, lo, hi);
                    }
                }
                {
                    var (ox, oy) = proj.Forward(origin.Point.Lon, origin.Point.Lat);
                    coordsOfBand.Add([new Coordinate(ox, oy)]);
                }

                void AddPiece(int e, double a, double b)
                {
                    if (!(b > a)) return;
                    pts.Clear();
                    geo.AppendPart(e, a, b, pts);
                    var coords = new Coordinate[pts.Count];
                    for (int k = 0; k < pts.Count; k++)
                    {
                        var (x, y) = proj.Forward(pts[k].Lon, pts[k].Lat);
                        coords[k] = new Coordinate(x, y);
                    }
                    roadMeters += (b - a) * g.Length[e];
                    coordsOfBand.Add(coords);
                }

                foreach (var cs in coordsOfBand)
                    foreach (var c in cs)
                    {
                        minX = Math.Min(minX, c.X); maxX = Math.Max(maxX, c.X);
                        minY = Math.Min(minY, c.Y); maxY = Math.Max(maxY, c.Y);
                    }
                piecesPerBand.Add((coordsOfBand, roadMeters));
            }
            // One grid for all bands, fed in ascending order: band k's field is the minimum over its own pieces and
            // every smaller band's, which is the same field (smaller bands' pieces are sub-pieces) but nests exactly.
            using var contour = new ContourBuffer(options.BufferMeters, options.GridCellMeters, minX, minY, maxX, maxY);
            for (int bi = 0; bi < limits.Length; bi++)
            {
                double limit = limits[bi];
                var (coordsOfBand, roadMeters) = piecesPerBand[bi];
                foreach (var cs in coordsOfBand)
                {
                    if (cs.Length == 1) contour.AddPoint(cs[0].X, cs[0].Y);
                    for (int k = 0; k + 1 < cs.Length; k++) contour.AddSegment(cs[k].X, cs[k].Y, cs[k + 1].X, cs[k + 1].Y);
                }
                var (buffered, area) = contour.Build(metric);
                var wgs = ToWgs84(buffered, proj);
                bands.Add(new IsochroneBand
                {
                    LimitSeconds = limit, Polygon = wgs, AreaSquareMeters = area, ReachedRoadMeters = roadMeters,
                    Population = PopulationInside(wgs, options),
                });
            }
            return bands;
        }
        finally { Pool.Return(s); }
    }

    private static Geometry ToWgs84(Geometry metric, LocalProjection proj)
    {
        var copy = Wgs84.Factory.CreateGeometry(metric);
        copy.Apply(new InverseFilter(proj));
        copy.GeometryChanged();
        copy.SRID = 4326;
        return copy;
    }

    private sealed class InverseFilter(LocalProjection proj) : IEntireCoordinateSequenceFilter
    {
        public bool Done => false;
        public bool GeometryChanged => true;
        public void Filter(CoordinateSequence seq)
        {
            for (int i = 0; i < seq.Count; i++)
            {
                var p = proj.Inverse(seq.GetX(i), seq.GetY(i));
                seq.SetX(i, p.Lon);
                seq.SetY(i, p.Lat);
            }
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
