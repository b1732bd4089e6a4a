namespace ServiceReach.Routing;

/// <summary>
/// Synthetic large networks for scaling benchmarks: a graph tiled cols × rows times, each copy shifted by the
/// tile's extent, with neighbouring copies joined at their borders (each dead-end node near a tile's east or
/// north edge gets a two-way connector to the nearest node of the neighbouring copy within 300 m).
/// </summary>
internal static class Mosaic
{
    public static StreetNetwork Tile(StreetNetwork tile, int cols, int rows)
    {
        var d = tile.Data;
        int n = d.NodeCount, m = d.EdgeCount, sp = d.ShapeLatE7.Length, profiles = d.ForwardSeconds.Length;
        var b = tile.Bounds;
        int wE7 = (int)Math.Round((b.MaxLon - b.MinLon) * 1e7), hE7 = (int)Math.Round((b.MaxLat - b.MinLat) * 1e7);
        int copies = cols * rows;
        var degree = new int[n];
        for (int e = 0; e < m; e++) { degree[d.EdgeFrom[e]]++; degree[d.EdgeTo[e]]++; }

        // Border candidates of the tile (same in every copy) and the connector pairs (tile-local node ids).
        const double joinMeters = 300;
        double metersPerE7Lat = 111_195.0 / 1e7;
        double metersPerE7Lon = metersPerE7Lat * Math.Cos(b.Centre.Lat * Math.PI / 180);
        var eastJoins = new List<(int A, int B, float Len)>();
        var northJoins = new List<(int A, int B, float Len)>();
        int maxLonE7 = (int)Math.Round(b.MaxLon * 1e7), maxLatE7 = (int)Math.Round(b.MaxLat * 1e7);
        for (int a = 0; a < n; a++)
        {
            if (degree[a] != 1) continue;
            bool nearEast = (maxLonE7 - d.NodeLonE7[a]) * metersPerE7Lon < joinMeters;
            bool nearNorth = (maxLatE7 - d.NodeLatE7[a]) * metersPerE7Lat < joinMeters;
            if (nearEast) Join(a, wE7, 0, eastJoins);
            if (nearNorth) Join(a, 0, hE7, northJoins);
        }
        void Join(int a, int dLon, int dLat, List<(int, int, float)> into)
        {
            int best = -1;
            double bestD = joinMeters;
            for (int c = 0; c < n; c++)
            {
                double dx = (d.NodeLonE7[c] + dLon - d.NodeLonE7[a]) * metersPerE7Lon;
                double dy = (d.NodeLatE7[c] + dLat - d.NodeLatE7[a]) * metersPerE7Lat;
                double dist = Math.Sqrt(dx * dx + dy * dy);
                if (dist < bestD) { bestD = dist; best = c; }
            }
            if (best >= 0) into.Add((a, best, (float)Math.Max(1, bestD)));
        }

        int joinCount = eastJoins.Count * (cols - 1) * rows + northJoins.Count * cols * (rows - 1);
        long totalEdges = (long)m * copies + joinCount;
        if (totalEdges > int.MaxValue / 2) throw new ArgumentException("Mosaic too large.");
        var data = new GraphData
        {
            NodeLatE7 = new int[n * copies], NodeLonE7 = new int[n * copies],
            EdgeFrom = new int[totalEdges], EdgeTo = new int[totalEdges], EdgeLength = new float[totalEdges], EdgeHighway = new byte[totalEdges],
            ShapeStart = new int[totalEdges + 1], ShapeLatE7 = new int[(long)sp * copies], ShapeLonE7 = new int[(long)sp * copies],
            ForwardSeconds = new float[profiles][], BackwardSeconds = new float[profiles][], HighwayNames = d.HighwayNames,
        };
        for (int p = 0; p < profiles; p++) { data.ForwardSeconds[p] = new float[totalEdges]; data.BackwardSeconds[p] = new float[totalEdges]; }
        int ei = 0, si = 0;
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++)
            {
                int t = r * cols + c, nodeBase = t * n;
                for (int i = 0; i < n; i++)
                {
                    data.NodeLatE7[nodeBase + i] = d.NodeLatE7[i] + r * hE7;
                    data.NodeLonE7[nodeBase + i] = d.NodeLonE7[i] + c * wE7;
                }
                for (int e = 0; e < m; e++, ei++)
                {
                    data.EdgeFrom[ei] = d.EdgeFrom[e] + nodeBase;
                    data.EdgeTo[ei] = d.EdgeTo[e] + nodeBase;
                    data.EdgeLength[ei] = d.EdgeLength[e];
                    data.EdgeHighway[ei] = d.EdgeHighway[e];
                    for (int p = 0; p < profiles; p++) { data.ForwardSeconds[p][ei] = d.ForwardSeconds[p][e]; data.BackwardSeconds[p][ei] = d.BackwardSeconds[p][e]; }
                    data.ShapeStart[ei] = si;
                    for (int k = d.ShapeStart[e]; k < d.ShapeStart[e + 1]; k++, si++)
                    {
                        data.ShapeLatE7[si] = d.ShapeLatE7[k] + r * hE7;
                        data.ShapeLonE7[si] = d.ShapeLonE7[k] + c * wE7;
                    }
                }
            }
        void Connect(int from, int to, float len)
        {
            data.EdgeFrom[ei] = from;
            data.EdgeTo[ei] = to;
            data.EdgeLength[ei] = len;
            for (int p = 0; p < profiles; p++)
            {
                float sec = (float)(len / tile.Profiles[p].SpeedMetersPerSecond);
                data.ForwardSeconds[p][ei] = sec;
                data.BackwardSeconds[p][ei] = sec;
            }
            data.ShapeStart[ei] = si;
            ei++;
        }
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++)
            {
                int t = r * cols + c;
                if (c + 1 < cols) foreach (var (a, bb, len) in eastJoins) Connect(t * n + a, (t + 1) * n + bb, len);
                if (r + 1 < rows) foreach (var (a, bb, len) in northJoins) Connect(t * n + a, (t + cols) * n + bb, len);
            }
        data.ShapeStart[ei] = si;
        return new StreetNetwork(data, tile.Profiles.ToArray(), $"mosaic {cols}x{rows} of {tile.SourceChecksum}", tile.Options);
    }
}
