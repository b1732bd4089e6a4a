namespace ServiceReach.Routing;

/// <summary>
/// A uniform lon/lat grid over every edge segment (consecutive shape points), stored as CSR arrays:
/// the segments touching cell c are Segments[CellStart[c] .. CellStart[c+1]), each packed as (edge &lt;&lt; 16 | segment index)
/// when the edge has fewer than 65,536 segments.
/// </summary>
internal sealed class SegmentGrid
{
    private readonly double _minLon, _minLat, _cellLon, _cellLat;
    private readonly int _cols, _rows;
    private readonly int[] _cellStart;
    private readonly int[] _segEdge;
    private readonly int[] _segIndex;

    public SegmentGrid(GraphData d, double cellMeters)
    {
        cellMeters = Math.Max(10, cellMeters);
        double minLon = double.MaxValue, minLat = double.MaxValue, maxLon = double.MinValue, maxLat = double.MinValue;
        void Extend(int latE7, int lonE7)
        {
            double la = latE7 * 1e-7, lo = lonE7 * 1e-7;
            if (la < minLat) minLat = la; if (la > maxLat) maxLat = la;
            if (lo < minLon) minLon = lo; if (lo > maxLon) maxLon = lo;
        }
        for (int i = 0; i < d.NodeCount; i++) Extend(d.NodeLatE7[i], d.NodeLonE7[i]);
        for (int i = 0; i < d.ShapeLatE7.Length; i++) Extend(d.ShapeLatE7[i], d.ShapeLonE7[i]);
        if (d.NodeCount == 0) { minLat = minLon = 0; maxLat = maxLon = 0; }
        _minLon = minLon;
        _minLat = minLat;
        _cellLat = cellMeters / 111_320.0;
        _cellLon = cellMeters / (111_320.0 * Math.Max(0.05, Math.Cos((minLat + maxLat) / 2 * Math.PI / 180)));
        _cols = Math.Max(1, (int)Math.Ceiling((maxLon - minLon) / _cellLon) + 1);
        _rows = Math.Max(1, (int)Math.Ceiling((maxLat - minLat) / _cellLat) + 1);
        long cells = (long)_cols * _rows;
        if (cells > 200_000_000) throw new InvalidOperationException($"Snap grid would need {cells} cells; increase SnapGridCellMeters.");

        var counts = new int[cells + 1];
        var geo = new EdgeGeometry(d);
        // Two passes (count, then fill) keep the index in two flat arrays.
        for (int pass = 0; pass < 2; pass++)
        {
            int[]? fill = pass == 1 ? (int[])counts.Clone() : null;
            int[] segEdge = pass == 1 ? new int[counts[cells]] : [];
            int[] segIndex = pass == 1 ? new int[counts[cells]] : [];
            for (int e = 0; e < d.EdgeCount; e++)
            {
                int n = geo.PointCount(e);
                for (int s = 0; s < n - 1; s++)
                {
                    var (lo1, la1) = geo.PointE7(e, s);
                    var (lo2, la2) = geo.PointE7(e, s + 1);
                    int c0 = Col(Math.Min(lo1, lo2) * 1e-7), c1 = Col(Math.Max(lo1, lo2) * 1e-7);
                    int r0 = Row(Math.Min(la1, la2) * 1e-7), r1 = Row(Math.Max(la1, la2) * 1e-7);
                    for (int r = r0; r <= r1; r++)
                        for (int c = c0; c <= c1; c++)
                        {
                            long cell = (long)r * _cols + c;
                            if (pass == 0) counts[cell + 1]++;
                            else
                            {
                                int at = fill![cell]++;
                                segEdge[at] = e;
                                segIndex[at] = s;
                            }
                        }
                }
            }
            if (pass == 0)
            {
                for (long i = 0; i < cells; i++) counts[i + 1] += counts[i];
            }
            else
            {
                _segEdge = segEdge;
                _segIndex = segIndex;
            }
        }
        _cellStart = counts;
        _segEdge ??= [];
        _segIndex ??= [];
    }

    private int Col(double lon) => Math.Clamp((int)Math.Floor((lon - _minLon) / _cellLon), 0, _cols - 1);
    private int Row(double lat) => Math.Clamp((int)Math.Floor((lat - _minLat) / _cellLat), 0, _rows - 1);

    /// <summary>Calls <paramref name="visit"/>(edge, segment) for every segment in cells within <paramref name="radiusMeters"/> of the point (a segment may be visited more than once).</summary>
    public void Visit(GeoPoint p, double radiusMeters, Action<int, int> visit)
    {
        // 1 % margin: a degree of latitude is 110.6–111.7 km, and the box must hold every point within the radius.
        double dLat = radiusMeters * 1.01 / 110_574.0;
        double dLon = radiusMeters * 1.01 / (111_320.0 * Math.Max(0.05, Math.Cos(p.Lat * Math.PI / 180)));
        double lonMin = p.Lon - dLon, lonMax = p.Lon + dLon, latMin = p.Lat - dLat, latMax = p.Lat + dLat;
        if (lonMax < _minLon || latMax < _minLat || lonMin > _minLon + _cols * _cellLon || latMin > _minLat + _rows * _cellLat) return;
        int c0 = Col(lonMin), c1 = Col(lonMax), r0 = Row(latMin), r1 = Row(latMax);
        for (int r = r0; r <= r1; r++)
            for (int c = c0; c <= c1; c++)
            {
                long cell = (long)r * _cols + c;
                for (int i = _cellStart[cell]; i < _cellStart[cell + 1]; i++) visit(_segEdge[i], _segIndex[i]);
            }
    }
}

/// <summary>Reads an edge's full polyline (From node, shape points, To node) from the flat arrays.</summary>
internal readonly struct EdgeGeometry(GraphData d)
{
    public int PointCount(int e) => d.ShapeStart[e + 1] - d.ShapeStart[e] + 2;

    /// <summary>Point i of edge e as (lonE7, latE7); 0 is the From node, PointCount-1 the To node.</summary>
    public (int LonE7, int LatE7) PointE7(int e, int i)
    {
        if (i == 0) return (d.NodeLonE7[d.EdgeFrom[e]], d.NodeLatE7[d.EdgeFrom[e]]);
        int k = d.ShapeStart[e] + i - 1;
        if (k < d.ShapeStart[e + 1]) return (d.ShapeLonE7[k], d.ShapeLatE7[k]);
        return (d.NodeLonE7[d.EdgeTo[e]], d.NodeLatE7[d.EdgeTo[e]]);
    }

    public GeoPoint Point(int e, int i)
    {
        var (lo, la) = PointE7(e, i);
        return new GeoPoint(lo * 1e-7, la * 1e-7);
    }

    public double SegmentLength(int e, int i) => GeoPoint.DistanceMeters(Point(e, i), Point(e, i + 1));

    /// <summary>
    /// Appends the points of edge e between fractions a ≤ b of its length (interpolated ends) to <paramref name="into"/>.
    /// Fractions are of the haversine length along the shape, the same measure the edge length and costs use.
    /// </summary>
    public void AppendPart(int e, double a, double b, List<GeoPoint> into)
    {
        int n = PointCount(e);
        if (a <= 0 && b >= 1)
        {
            for (int i = 0; i < n; i++) into.Add(Point(e, i));
            return;
        }
        double total = 0;
        Span<double> cum = n <= 256 ? stackalloc double[n] : new double[n];
        cum[0] = 0;
        for (int i = 1; i < n; i++) { total += SegmentLength(e, i - 1); cum[i] = total; }
        double from = Math.Clamp(a, 0, 1) * total, to = Math.Clamp(b, 0, 1) * total;
        into.Add(At(e, cum, from));
        for (int i = 1; i < n - 1; i++)
            if (cum[i] > from && cum[i] < to) into.Add(Point(e, i));
        into.Add(At(e, cum, to));
    }

    private GeoPoint At(int e, ReadOnlySpan<double> cum, double dist)
    {
        int n = cum.Length;
        for (int i = 1; i < n; i++)
        {
            if (dist <= cum[i] || i == n - 1)
            {
                double seg = cum[i] - cum[i - 1];
                double t = seg > 0 ? Math.Clamp((dist - cum[i - 1]) / seg, 0, 1) : 0;
                var p0 = Point(e, i - 1);
                var p1 = Point(e, i);
                return new GeoPoint(p0.Lon + t * (p1.Lon - p0.Lon), p0.Lat + t * (p1.Lat - p0.Lat));
            }
        }
        return Point(e, 0);
    }
}
