using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using NetTopologySuite.Geometries;

namespace ServiceReach.Routing;

/// <summary>
/// The union of round buffers of radius r around many line pieces, as polygons with holes, without a polygon
/// overlay: the exact distance to the nearest piece is sampled on a square grid and the level set distance = r is
/// traced with marching squares (linear interpolation on cell edges, ambiguous saddles kept apart).
/// Why: NTS's buffer-and-union of thousands of pieces costs hundreds of milliseconds, this well under one; the
/// boundary follows the true Minkowski sum to within a small fraction of a cell (the sampled distance is exact at
/// every grid vertex the outline depends on). Monotone: more pieces give pointwise smaller distances, so bands nest.
/// Rings are oriented with the inside on the left: shells counter-clockwise, holes clockwise.
/// <para>
/// Hot path, so: squared distances are kept as floats (millimetre-exact at these scales) and written eight
/// columns at a time with SIMD; the inside/outside state is packed into 64-bit words per row so the outline
/// tracer visits only boundary cells; scratch arrays live per thread and are reused between calls.
/// </para>
/// </summary>
internal sealed class ContourBuffer : IDisposable
{
    private const int Lanes = 8;
    /// <summary>16-wide rows when the CPU has AVX-512; settable so tests cover the 8-wide path on such machines too.</summary>
    internal static bool Wide = Vector512.IsHardwareAccelerated;
    private readonly double _radius, _cell, _ox, _oy, _reach;
    private readonly int _nx, _ny, _stride, _words;
    private readonly Scratch _s;
    private readonly bool _ownsThreadScratch;

    /// <summary>Reusable arrays; the point-of-edge index is always left all-zero after a call.</summary>
    private sealed class Scratch
    {
        public float[] D2 = [];
        public ulong[] Inside = [];
        public int[] RowLo = [], RowHi = [];
        public int[] PointOfEdge = [];
        public double[] Px = new double[1024], Py = new double[1024];
        public int[] Next = new int[1024], Key = new int[1024];
        public int Points;
        public readonly List<int> Ring = [];
    }

    [ThreadStatic] private static Scratch? t_scratch;
    [ThreadStatic] private static bool t_inUse;
    // Grids larger than this are not kept per thread after the call (a rare huge e-bike isochrone should not pin memory).
    private const long RetainCells = 4_000_000;

    /// <summary>A grid covering the box (metric coordinates) plus the radius; all later segments must lie inside the box.</summary>
    public ContourBuffer(double radius, double cell, double minX, double minY, double maxX, double maxY)
    {
        if (!(radius > 0)) throw new ArgumentOutOfRangeException(nameof(radius), "Buffer radius must be positive.");
        _radius = radius;
        // r/4: the outline then deviates from the exact buffer about as much as a 16-gon buffer (PostGIS quad_segs=4) does.
        _cell = cell > 0 ? cell : radius / 4;
        double h = _cell, pad = radius + 2 * h;
        // Exact distances are needed at both ends of every cell edge the outline crosses: one end is inside (≤ r),
        // so the other is within r + h of the same piece. A hair more guards against rounding.
        _reach = radius + 1.01 * h;
        _ox = Math.Floor((minX - pad) / h) * h;
        _oy = Math.Floor((minY - pad) / h) * h;
        _nx = (int)Math.Ceiling((maxX + pad - _ox) / h) + 1;
        _ny = (int)Math.Ceiling((maxY + pad - _oy) / h) + 1;
        if ((long)_nx * _ny > 80_000_000) throw new InvalidOperationException($"Isochrone grid of {_nx} × {_ny} cells is too large; increase the grid cell size.");
        // Room for a full vector write starting at any column, and a zero word after each row's bits for shifting.
        _stride = _nx + 16;
        _words = (_nx + 63) / 64 + 1;
        long cells = (long)_stride * _ny;
        if (!t_inUse)
        {
            t_inUse = _ownsThreadScratch = true;
            _s = t_scratch ??= new Scratch();
        }
        else _s = new Scratch();
        if (_s.D2.Length < cells) _s.D2 = new float[cells];
        if (_s.Inside.Length < (long)_words * _ny) _s.Inside = new ulong[(long)_words * _ny];
        if (_s.RowLo.Length < _ny) { _s.RowLo = new int[_ny]; _s.RowHi = new int[_ny]; }
        if (_s.PointOfEdge.Length < 2L * _nx * _ny) _s.PointOfEdge = new int[2L * _nx * _ny];
        // Squared distance to the nearest segment so far, exact within the reach of a piece; elsewhere "far".
        float far = (float)((radius + 2 * h) * (radius + 2 * h));
        _s.D2.AsSpan(0, (int)cells).Fill(far);
        _s.RowLo.AsSpan(0, _ny).Fill(int.MaxValue);
        _s.RowHi.AsSpan(0, _ny).Fill(-1);
        _s.Points = 0;
    }

    public void Dispose()
    {
        if (!_ownsThreadScratch) return;
        if (_s.D2.Length > RetainCells || _s.PointOfEdge.Length > 2 * RetainCells) t_scratch = null;
        t_inUse = false;
    }

    public void AddPoint(double x, double y) => AddSegment(x, y, x, y);

    /// <summary>Lowers the distance field with one more segment. The field only ever decreases, so traced outlines only grow.</summary>
    public void AddSegment(double x1, double y1, double x2, double y2)
    {
        double h = _cell, ox = _ox, oy = _oy, reach = _reach, reach2 = reach * reach;
        int nx = _nx, ny = _ny, stride = _stride;
        var d2 = _s.D2;
        int[] rowLo = _s.RowLo, rowHi = _s.RowHi;
        double dx = x2 - x1, dy = y2 - y1, len2 = dx * dx + dy * dy, len = Math.Sqrt(len2);
        int j0 = Math.Max(0, (int)Math.Ceiling((Math.Min(y1, y2) - reach - oy) / h));
        int j1 = Math.Min(ny - 1, (int)Math.Floor((Math.Max(y1, y2) + reach - oy) / h));
        double inv = len2 > 0 ? 1 / len2 : 0;
        // Distances are computed relative to the segment's start, where floats keep millimetres.
        float fdx = (float)dx, fdy = (float)dy, finv = (float)inv, fh = (float)h;
        ref float grid = ref MemoryMarshal.GetArrayDataReference(d2);
        // Short pieces (most shape segments): every row of the capsule's box in one or two vectors beats computing
        // the capsule's exact cross-section per row (square roots and divisions); long ones use the cross-section.
        int bi0 = Math.Max(0, (int)Math.Ceiling((Math.Min(x1, x2) - reach - ox) / h));
        int bi1 = Math.Min(nx - 1, (int)Math.Floor((Math.Max(x1, x2) + reach - ox) / h));
        bool boxRows = bi1 - bi0 < 16;
        if (boxRows && Wide)
        {
            // The whole box width fits one 16-wide vector: set it up once, then one step per row.
            if (bi0 > bi1) return;
            var wDx = Vector512.Create(fdx);
            var wDy = Vector512.Create(fdy);
            var wInv = Vector512.Create(finv);
            var wx = Vector512.Create((float)(ox + bi0 * h - x1)) + Vector512.Create(0f, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15) * fh;
            var wxDx = wx * wDx;
            ref float column = ref Unsafe.Add(ref grid, bi0);
            for (int j = j0; j <= j1; j++)
            {
                if (bi0 < rowLo[j]) rowLo[j] = bi0;
                if (bi1 > rowHi[j]) rowHi[j] = bi1;
                float fpy = (float)(oy + j * h - y1);
                var t = Vector512.Min(Vector512.Max((wxDx + Vector512.Create(fpy * fdy)) * wInv, Vector512<float>.Zero), Vector512<float>.One);
                var ex = wx - t * wDx;
                var ey = Vector512.Create(fpy) - t * wDy;
                var dd = ex * ex + ey * ey;
                ref float cell = ref Unsafe.Add(ref column, (nint)j * stride);
                Vector512.Min(Vector512.LoadUnsafe(ref cell), dd).StoreUnsafe(ref cell);
            }
            return;
        }
        for (int j = j0; j <= j1; j++)
        {
            double py = oy + j * h - y1;
            if (boxRows)
            {
                if (bi0 > bi1) break;
                if (bi0 < rowLo[j]) rowLo[j] = bi0;
                if (bi1 > rowHi[j]) rowHi[j] = bi1;
                MinRow(ref Unsafe.Add(ref grid, (nint)j * stride), bi0, bi1, ox + bi0 * h - x1, py, fdx, fdy, finv, fh);
                continue;
            }
            // The row's cross-section of the capsule (convex): union of the two end discs and the middle band.
            double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
            double c1 = reach2 - py * py;
            if (c1 >= 0) { double w = Math.Sqrt(c1); lo = Math.Min(lo, -w); hi = Math.Max(hi, w); }
            double qy = py - dy, c2 = reach2 - qy * qy;
            if (c2 >= 0) { double w = Math.Sqrt(c2); lo = Math.Min(lo, dx - w); hi = Math.Max(hi, dx + w); }
            if (len2 > 0)
            {
                // |px·dy − py·dx| ≤ reach·len and 0 ≤ px·dx + py·dy ≤ len².
                double bandLo, bandHi, projLo, projHi;
                if (dy != 0)
                {
                    double a1 = (py * dx - reach * len) / dy, a2 = (py * dx + reach * len) / dy;
                    bandLo = Math.Min(a1, a2); bandHi = Math.Max(a1, a2);
                }
                else if (Math.Abs(py) <= reach) { bandLo = double.NegativeInfinity; bandHi = double.PositiveInfinity; }
                else { bandLo = 1; bandHi = 0; }
                if (dx != 0)
                {
                    double b1 = -py * dy / dx, b2 = (len2 - py * dy) / dx;
                    projLo = Math.Min(b1, b2); projHi = Math.Max(b1, b2);
                }
                else
                {
                    double t = py * dy;
                    if (t >= 0 && t <= len2) { projLo = double.NegativeInfinity; projHi = double.PositiveInfinity; }
                    else { projLo = 1; projHi = 0; }
                }
                double l = Math.Max(bandLo, projLo), u = Math.Min(bandHi, projHi);
                if (l <= u) { lo = Math.Min(lo, l); hi = Math.Max(hi, u); }
            }
            if (lo > hi) continue;
            int i0 = Math.Max(0, (int)Math.Ceiling((x1 + lo - ox) / h));
            int i1 = Math.Min(nx - 1, (int)Math.Floor((x1 + hi - ox) / h));
            if (i0 > i1) continue;
            if (i0 < rowLo[j]) rowLo[j] = i0;
            if (i1 > rowHi[j]) rowHi[j] = i1;
            MinRow(ref Unsafe.Add(ref grid, (nint)j * stride), i0, i1, ox + i0 * h - x1, py, fdx, fdy, finv, fh);
        }
    }

    /// <summary>
    /// Lowers columns i0..i1 of one row (offsets px0 of column i0 and py of the row from the segment start).
    /// Whole vectors; the last may run past i1 into later columns or the row's padding. Writing the exact distance
    /// to this segment anywhere is harmless: the field is a minimum of exact distances.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void MinRow(ref float row, int i0, int i1, double px0, double py, float fdx, float fdy, float finv, float fh)
    {
        if (Wide)
        {
            // Sixteen columns at a time: a short piece's row (about twelve columns) in one step.
            var wDx = Vector512.Create(fdx);
            var wDy = Vector512.Create(fdy);
            var wInv = Vector512.Create(finv);
            var wPy = Vector512.Create((float)py);
            var wPyDy = Vector512.Create((float)py * fdy);
            var wx = Vector512.Create((float)px0) + Vector512.Create(0f, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15) * fh;
            var wStep = Vector512.Create(fh * 16);
            for (int i = i0; i <= i1; i += 16)
            {
                var t = Vector512.Min(Vector512.Max((wx * wDx + wPyDy) * wInv, Vector512<float>.Zero), Vector512<float>.One);
                var ex = wx - t * wDx;
                var ey = wPy - t * wDy;
                var dd = ex * ex + ey * ey;
                ref float cell = ref Unsafe.Add(ref row, i);
                Vector512.Min(Vector512.LoadUnsafe(ref cell), dd).StoreUnsafe(ref cell);
                wx += wStep;
            }
            return;
        }
        var vDx = Vector256.Create(fdx);
        var vDy = Vector256.Create(fdy);
        var vInv = Vector256.Create(finv);
        var vStep = Vector256.Create(0f, 1, 2, 3, 4, 5, 6, 7) * fh;
        var zero = Vector256<float>.Zero;
        var one = Vector256<float>.One;
        float fpy = (float)py;
        var vPy = Vector256.Create(fpy);
        var vPyDy = Vector256.Create(fpy * fdy);
        var px = Vector256.Create((float)px0) + vStep;
        var vLaneStep = Vector256.Create(fh * Lanes);
        for (int i = i0; i <= i1; i += Lanes)
        {
            var t = Vector256.Min(Vector256.Max((px * vDx + vPyDy) * vInv, zero), one);
            var ex = px - t * vDx;
            var ey = vPy - t * vDy;
            var dd = ex * ex + ey * ey;
            ref float cell = ref Unsafe.Add(ref row, i);
            Vector256.Min(Vector256.LoadUnsafe(ref cell), dd).StoreUnsafe(ref cell);
            px += vLaneStep;
        }
    }

    /// <summary>
    /// Traces the current buffer union; returns the polygons — WGS84 when a <paramref name="projection"/> maps the
    /// metric plane back, else in the metric coordinates the pieces came in — and their total area in m².
    /// </summary>
    public (Geometry Geometry, double Area) Build(GeometryFactory factory, LocalProjection? projection = null)
    {
        int nx = _nx, ny = _ny, stride = _stride, words = _words;
        var d2 = _s.D2;
        var inside = _s.Inside;
        float r2 = (float)(_radius * _radius);
        var vR2 = Vector256.Create(r2);

        // 1. One bit per grid vertex: inside (distance ≤ r). Only the columns some segment lowered can be inside.
        inside.AsSpan(0, words * ny).Clear();
        for (int j = 0; j < ny; j++)
        {
            int lo = _s.RowLo[j], hi = _s.RowHi[j];
            if (lo > hi) continue;
            ref float row = ref d2[j * stride];
            int wordBase = j * words;
            for (int i = lo & ~(Lanes - 1); i <= hi; i += Lanes)
            {
                ulong bits = Vector256.LessThanOrEqual(Vector256.LoadUnsafe(ref Unsafe.Add(ref row, i)), vR2).ExtractMostSignificantBits();
                if (bits != 0) inside[wordBase + (i >> 6)] |= bits << (i & 63);
            }
        }

        // 2. Marching squares over boundary cells only: cell (i, j) has corners v0 (i, j), v1 (i+1, j), v2 (i+1, j+1),
        // v3 (i, j+1). Nothing inside touches the grid's padded border, so cells near it are never boundary cells.
        for (int j = 0; j < ny - 1; j++)
        {
            int lo = Math.Min(_s.RowLo[j], _s.RowLo[j + 1]), hi = Math.Max(_s.RowHi[j], _s.RowHi[j + 1]);
            if (lo > hi) continue;
            int w0 = Math.Max(0, lo - 1) >> 6, w1 = hi >> 6;
            int bottom = j * words, top = (j + 1) * words;
            for (int w = w0; w <= w1; w++)
            {
                ulong a = inside[bottom + w], c = inside[top + w];
                ulong b = (a >> 1) | (inside[bottom + w + 1] << 63);
                ulong d = (c >> 1) | (inside[top + w + 1] << 63);
                ulong boundary = (a | b | c | d) & ~(a & b & c & d);
                while (boundary != 0)
                {
                    int bit = BitOperations.TrailingZeroCount(boundary);
                    boundary &= boundary - 1;
                    ulong m = 1UL << bit;
                    int code = ((a & m) != 0 ? 1 : 0) | ((b & m) != 0 ? 2 : 0) | ((d & m) != 0 ? 4 : 0) | ((c & m) != 0 ? 8 : 0);
                    Cell((w << 6) + bit, j, code);
                }
            }
        }

        // 3. Follow the links into closed rings, clearing the point-of-edge index behind us.
        int points = _s.Points;
        var px = _s.Px; var py = _s.Py; var next = _s.Next; var key = _s.Key;
        var pointOfEdge = _s.PointOfEdge;
        for (int p = 0; p < points; p++) pointOfEdge[key[p]] = 0;
        var shells = new List<(LinearRing Ring, double Area)>();
        var holes = new List<(LinearRing Ring, double Area)>();
        // Key[] is free once the index is cleared: it marks visited points (−1) while rings are followed.
        var ring = _s.Ring;
        for (int start = 0; start < points; start++)
        {
            if (key[start] < 0) continue;
            ring.Clear();
            int k = start;
            while (k >= 0 && key[k] >= 0)
            {
                key[k] = -1;
                ring.Add(k);
                k = next[k];
            }
            if (ring.Count < 3) continue;
            double area2 = 0;
            // One packed array per ring instead of an object per vertex.
            var packed = new double[2 * (ring.Count + 1)];
            for (int q = 0; q < ring.Count; q++)
            {
                int p0 = ring[q], p1 = ring[q + 1 == ring.Count ? 0 : q + 1];
                area2 += px[p0] * py[p1] - px[p1] * py[p0];
                if (projection is null) { packed[2 * q] = px[p0]; packed[2 * q + 1] = py[p0]; continue; }
                var g = projection.Inverse(px[p0], py[p0]);
                packed[2 * q] = g.Lon;
                packed[2 * q + 1] = g.Lat;
            }
            packed[^2] = packed[0];
            packed[^1] = packed[1];
            var lr = factory.CreateLinearRing(new NetTopologySuite.Geometries.Implementation.PackedDoubleCoordinateSequence(packed, 2, 0));
            if (area2 > 0) shells.Add((lr, area2 / 2));
            else holes.Add((lr, -area2 / 2));
        }
        _s.Points = 0;
        // Each hole belongs to the smallest shell that contains it (with one shell: that shell, as traced rings never cross).
        var holesOf = new List<LinearRing>?[shells.Count];
        double total = 0;
        foreach (var s in shells) total += s.Area;
        var locators = new NetTopologySuite.Algorithm.Locate.IndexedPointInAreaLocator?[shells.Count];
        foreach (var (hole, area) in holes)
        {
            int best = -1;
            if (shells.Count == 1) best = 0;
            else
            {
                var probe = hole.GetCoordinateN(0);
                for (int s = 0; s < shells.Count; s++)
                {
                    if (shells[s].Area <= area || !shells[s].Ring.EnvelopeInternal.Covers(hole.EnvelopeInternal)) continue;
                    if (best >= 0 && shells[s].Area >= shells[best].Area) continue;
                    locators[s] ??= new NetTopologySuite.Algorithm.Locate.IndexedPointInAreaLocator(shells[s].Ring);
                    if (locators[s]!.Locate(probe) != Location.Exterior) best = s;
                }
            }
            if (best >= 0) { (holesOf[best] ??= []).Add(hole); total -= area; }
        }
        var polygons = new Polygon[shells.Count];
        for (int s = 0; s < shells.Count; s++) polygons[s] = factory.CreatePolygon(shells[s].Ring, holesOf[s]?.ToArray());
        Geometry geometry = polygons.Length switch
        {
            0 => factory.CreatePolygon(),
            1 => polygons[0],
            _ => factory.CreateMultiPolygon(polygons),
        };
        return (geometry, total);
    }

    private float F(int i, int j) => MathF.Sqrt(_s.D2[j * _stride + i]) - (float)_radius;

    /// <summary>One boundary cell: adds its outline segment(s), oriented with the inside on the left.</summary>
    private void Cell(int i, int j, int code)
    {
        switch (code)
        {
            case 1: case 14: Link(i, j, 0, 3, 0, (code & 1) != 0); break;
            case 2: case 13: Link(i, j, 0, 1, 1, (code & 2) != 0); break;
            case 4: case 11: Link(i, j, 1, 2, 2, (code & 4) != 0); break;
            case 8: case 7: Link(i, j, 2, 3, 3, (code & 8) != 0); break;
            case 3: case 12: Link(i, j, 1, 3, 0, (code & 1) != 0); break;   // bottom pair vs top pair
            case 6: case 9: Link(i, j, 0, 2, 0, (code & 1) != 0); break;    // right pair vs left pair
            case 5: case 10:
                // Ambiguous saddle: keep the two inside corners apart. The mean of the corner values would join
                // regions across narrow gaps the exact buffer leaves open (distance is convex, so the mean
                // underestimates it); never claiming such a link is the conservative choice.
                if ((code & 1) != 0) { Link(i, j, 0, 3, 0, true); Link(i, j, 1, 2, 2, true); }
                else { Link(i, j, 0, 1, 1, true); Link(i, j, 2, 3, 3, true); }
                break;
        }
    }

    /// <summary>
    /// Links the crossing points on cell edges <paramref name="ea"/> and <paramref name="eb"/> (0 bottom v0–v1,
    /// 1 right v1–v2, 2 top v3–v2, 3 left v0–v3) so that corner <paramref name="corner"/> lies on the left when it is
    /// inside and on the right when it is outside.
    /// </summary>
    private void Link(int i, int j, int ea, int eb, int corner, bool cornerInside)
    {
        int a = Ensure(i, j, ea), b = Ensure(i, j, eb);
        var px = _s.Px; var py = _s.Py;
        double cx = _ox + (corner is 1 or 2 ? i + 1 : i) * _cell, cy = _oy + (corner >= 2 ? j + 1 : j) * _cell;
        double cross = (px[b] - px[a]) * (cy - py[a]) - (py[b] - py[a]) * (cx - px[a]);
        if ((cross > 0) == cornerInside) _s.Next[a] = b;
        else _s.Next[b] = a;
    }

    /// <summary>The crossing point on one edge of cell (i, j), created once and shared with the neighbouring cell.</summary>
    private int Ensure(int i, int j, int edge)
    {
        int c = j * _nx + i;
        int k = edge switch { 0 => 2 * c, 1 => 2 * (c + 1) + 1, 2 => 2 * (c + _nx), _ => 2 * c + 1 };
        var pointOfEdge = _s.PointOfEdge;
        int p = pointOfEdge[k];
        if (p > 0) return p - 1;
        // Corner indices of the edge's two ends.
        int ia = i, ja = j, ib = i, jb = j;
        switch (edge)
        {
            case 0: ib = i + 1; break;
            case 1: ia = i + 1; ib = i + 1; jb = j + 1; break;
            case 2: ja = j + 1; ib = i + 1; jb = j + 1; break;
            default: jb = j + 1; break;
        }
        double fa = F(ia, ja), fb = F(ib, jb);
        double t = Math.Clamp(fa / (fa - fb), 1e-9, 1 - 1e-9);
        double xa = _ox + ia * _cell, ya = _oy + ja * _cell;
        double x = xa + t * (ib - ia) * _cell, y = ya + t * (jb - ja) * _cell;
        int n = _s.Points;
        if (n == _s.Px.Length)
        {
            Array.Resize(ref _s.Px, n * 2); Array.Resize(ref _s.Py, n * 2);
            Array.Resize(ref _s.Next, n * 2); Array.Resize(ref _s.Key, n * 2);
        }
        _s.Px[n] = x; _s.Py[n] = y; _s.Next[n] = -1; _s.Key[n] = k;
        _s.Points = n + 1;
        pointOfEdge[k] = n + 1;
        return n;
    }
}
