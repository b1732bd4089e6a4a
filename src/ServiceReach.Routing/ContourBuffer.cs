using NetTopologySuite.Geometries;

namespace ServiceReach.Routing;

/// <summary>
/// The union of round buffers of radius r around many line pieces, as polygons with holes, without a polygon
/// overlay: the exact distance to the nearest piece is sampled on a square grid and the level set distance = r is
/// traced with marching squares (linear interpolation on cell edges, saddles resolved by the cell-centre mean).
/// Why: NTS's buffer-and-union of thousands of pieces costs hundreds of milliseconds, this costs about one; the
/// boundary follows the true Minkowski sum to within a small fraction of a cell (the sampled distance is exact at
/// every grid vertex). Monotone: a larger set of pieces gives pointwise smaller distances, so bands nest.
/// Rings are oriented with the inside on the left: shells counter-clockwise, holes clockwise.
/// </summary>
internal sealed class ContourBuffer
{
    private readonly double _radius, _cell;
    private readonly List<(double X1, double Y1, double X2, double Y2)> _segments = new();
    private double _minX = double.MaxValue, _minY = double.MaxValue, _maxX = double.MinValue, _maxY = double.MinValue;

    public ContourBuffer(double radius, double cell)
    {
        if (!(radius > 0)) throw new ArgumentOutOfRangeException(nameof(radius), "Buffer radius must be positive.");
        _radius = radius;
        _cell = cell > 0 ? cell : radius / 4;
    }

    public void AddSegment(double x1, double y1, double x2, double y2)
    {
        _segments.Add((x1, y1, x2, y2));
        _minX = Math.Min(_minX, Math.Min(x1, x2)); _maxX = Math.Max(_maxX, Math.Max(x1, x2));
        _minY = Math.Min(_minY, Math.Min(y1, y2)); _maxY = Math.Max(_maxY, Math.Max(y1, y2));
    }

    public void AddPoint(double x, double y) => AddSegment(x, y, x, y);

    /// <summary>Traces the buffer union; returns the polygons (metric coordinates) and their total area.</summary>
    public (Geometry Geometry, double Area) Build(GeometryFactory factory)
    {
        if (_segments.Count == 0) return (factory.CreatePolygon(), 0);
        double h = _cell, r = _radius;
        double pad = r + 2 * h;
        double ox = Math.Floor((_minX - pad) / h) * h, oy = Math.Floor((_minY - pad) / h) * h;
        int nx = (int)Math.Ceiling((_maxX + pad - ox) / h) + 1;
        int ny = (int)Math.Ceiling((_maxY + pad - oy) / h) + 1;
        if ((long)nx * ny > 80_000_000) throw new InvalidOperationException($"Isochrone grid of {nx} × {ny} cells is too large; increase the grid cell size.");
        // Squared distance to the nearest segment, only where it matters (within r + h); elsewhere "far".
        double far = (r + 2 * h) * (r + 2 * h);
        var d2 = new double[nx * ny];
        Array.Fill(d2, far);
        double reach = r + h;
        foreach (var (x1, y1, x2, y2) in _segments)
        {
            double dx = x2 - x1, dy = y2 - y1, len2 = dx * dx + dy * dy;
            int i0 = Math.Max(0, (int)Math.Floor((Math.Min(x1, x2) - reach - ox) / h));
            int i1 = Math.Min(nx - 1, (int)Math.Ceiling((Math.Max(x1, x2) + reach - ox) / h));
            int j0 = Math.Max(0, (int)Math.Floor((Math.Min(y1, y2) - reach - oy) / h));
            int j1 = Math.Min(ny - 1, (int)Math.Ceiling((Math.Max(y1, y2) + reach - oy) / h));
            double inv = len2 > 0 ? 1 / len2 : 0;
            for (int j = j0; j <= j1; j++)
            {
                double py = oy + j * h - y1;
                int row = j * nx;
                for (int i = i0; i <= i1; i++)
                {
                    double px = ox + i * h - x1;
                    double t = (px * dx + py * dy) * inv;
                    if (t < 0) t = 0; else if (t > 1) t = 1;
                    double ex = px - t * dx, ey = py - t * dy;
                    double dd = ex * ex + ey * ey;
                    if (dd < d2[row + i]) d2[row + i] = dd;
                }
            }
        }

        // Marching squares. Field f = distance − r (inside where f ≤ 0). Crossing points are keyed by grid edge.
        double r2 = r * r;
        var next = new Dictionary<long, long>();
        var point = new Dictionary<long, (double X, double Y)>();
        double F(int i, int j) => Math.Sqrt(d2[j * nx + i]) - r;
        long HKey(int i, int j) => ((long)j * nx + i) * 2;      // edge (i,j)–(i+1,j)
        long VKey(int i, int j) => ((long)j * nx + i) * 2 + 1;  // edge (i,j)–(i,j+1)
        (double, double) Cross(double xa, double ya, double fa, double xb, double yb, double fb)
        {
            double t = fa / (fa - fb);
            t = Math.Clamp(t, 1e-9, 1 - 1e-9);
            return (xa + t * (xb - xa), ya + t * (yb - ya));
        }
        var keys = new long[4];
        for (int j = 0; j < ny - 1; j++)
        {
            for (int i = 0; i < nx - 1; i++)
            {
                int c = j * nx + i;
                bool in0 = d2[c] <= r2, in1 = d2[c + 1] <= r2, in2 = d2[c + nx + 1] <= r2, in3 = d2[c + nx] <= r2;
                int code = (in0 ? 1 : 0) | (in1 ? 2 : 0) | (in2 ? 4 : 0) | (in3 ? 8 : 0);
                if (code == 0 || code == 15) continue;
                double x0 = ox + i * h, y0 = oy + j * h, x1 = x0 + h, y1 = y0 + h;
                double f0 = F(i, j), f1 = F(i + 1, j), f2 = F(i + 1, j + 1), f3 = F(i, j + 1);
                // Edges: 0 bottom (v0–v1), 1 right (v1–v2), 2 top (v3–v2), 3 left (v0–v3).
                keys[0] = HKey(i, j); keys[1] = VKey(i + 1, j); keys[2] = HKey(i, j + 1); keys[3] = VKey(i, j);
                void Ensure(int edge)
                {
                    long k = keys[edge];
                    if (point.ContainsKey(k)) return;
                    point[k] = edge switch
                    {
                        0 => Cross(x0, y0, f0, x1, y0, f1),
                        1 => Cross(x1, y0, f1, x1, y1, f2),
                        2 => Cross(x0, y1, f3, x1, y1, f2),
                        _ => Cross(x0, y0, f0, x0, y1, f3),
                    };
                }
                // Link a segment between two edges so that the inside lies on its left.
                void Link(int ea, int eb, double cx, double cy, bool cornerInside)
                {
                    Ensure(ea); Ensure(eb);
                    var (ax, ay) = point[keys[ea]];
                    var (bx, by) = point[keys[eb]];
                    double cross = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
                    if ((cross > 0) == cornerInside) next[keys[ea]] = keys[eb];
                    else next[keys[eb]] = keys[ea];
                }
                switch (code)
                {
                    case 1: case 14: Link(0, 3, x0, y0, in0); break;
                    case 2: case 13: Link(0, 1, x1, y0, in1); break;
                    case 4: case 11: Link(1, 2, x1, y1, in2); break;
                    case 8: case 7: Link(2, 3, x0, y1, in3); break;
                    case 3: case 12: Link(1, 3, x0, y0, in0); break;   // bottom pair vs top pair
                    case 6: case 9: Link(0, 2, x0, y0, in0); break;    // right pair vs left pair
                    case 5: case 10:
                    {
                        bool centreInside = (f0 + f1 + f2 + f3) / 4 <= 0;
                        // Cut off the corners whose state differs from the centre's.
                        if (centreInside != in0) { Link(0, 3, x0, y0, in0); Link(1, 2, x1, y1, in2); }
                        else { Link(0, 1, x1, y0, in1); Link(2, 3, x0, y1, in3); }
                        break;
                    }
                }
            }
        }

        // Follow the links into closed rings.
        var shells = new List<(LinearRing Ring, double Area)>();
        var holes = new List<(LinearRing Ring, double Area)>();
        var visited = new HashSet<long>();
        var coords = new List<Coordinate>();
        foreach (var start in next.Keys.Order())
        {
            if (visited.Contains(start)) continue;
            coords.Clear();
            long k = start;
            double area2 = 0;
            while (visited.Add(k))
            {
                var (px, py) = point[k];
                coords.Add(new Coordinate(px, py));
                if (!next.TryGetValue(k, out k)) break;
            }
            if (coords.Count < 3) continue;
            for (int a = 0; a < coords.Count; a++)
            {
                var p = coords[a];
                var q = coords[(a + 1) % coords.Count];
                area2 += p.X * q.Y - q.X * p.Y;
            }
            coords.Add(coords[0].Copy());
            var ring = factory.CreateLinearRing(coords.ToArray());
            if (area2 > 0) shells.Add((ring, area2 / 2));
            else holes.Add((ring, -area2 / 2));
        }
        // Each hole belongs to the smallest shell that contains it.
        var shellPolys = shells.Select(s => factory.CreatePolygon(s.Ring)).ToArray();
        var holesOf = shells.Select(_ => new List<LinearRing>()).ToArray();
        double total = shells.Sum(s => s.Area);
        foreach (var (ring, area) in holes)
        {
            var probe = factory.CreatePoint(ring.GetCoordinateN(0));
            int best = -1;
            for (int s = 0; s < shells.Count; s++)
                if (shells[s].Area > area && shellPolys[s].EnvelopeInternal.Covers(ring.EnvelopeInternal) && shellPolys[s].Covers(probe)
                    && (best < 0 || shells[s].Area < shells[best].Area)) best = s;
            if (best >= 0) { holesOf[best].Add(ring); total -= area; }
        }
        var polygons = new Polygon[shells.Count];
        for (int s = 0; s < shells.Count; s++) polygons[s] = factory.CreatePolygon(shells[s].Ring, holesOf[s].ToArray());
        Geometry g = polygons.Length == 1 ? polygons[0] : factory.CreateMultiPolygon(polygons);
        return (g, total);
    }
}
