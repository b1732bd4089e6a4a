using OsmSharp;
using OsmSharp.Streams;

namespace ServiceReach.Routing;

/// <summary>
/// Turns an OSM extract into the compact edge arrays of a <see cref="StreetNetwork"/>.
/// One pass stores every node's coordinates and every way that some profile can use (ways are processed after
/// the stream ends, so unsorted files work). Graph nodes are way ends, gap boundaries and nodes shared by two or
/// more routable way pieces; the OSM nodes between them become the edge's shape.
/// Clipped extracts: a way that references nodes missing from the file is split at each missing node and its
/// known pieces (≥ 2 consecutive known nodes) kept — never joined across the gap, never dropped whole.
/// </summary>
internal static class OsmGraphBuilder
{
    private sealed class RoutableWay
    {
        public required long WayId;
        public required long[] Nodes;
        public required float[] ForwardFactor;   // per profile, 0 = no
        public required float[] BackwardFactor;
        public required byte Highway;
        public required bool Ferry;
    }

    internal sealed class BuildStats
    {
        public long WaysRead, RoutableWays, MissingNodeReferences, PiecesDropped, GapSplits;
    }

    public static StreetNetwork Build(string osmPath, IReadOnlyList<Profile> profiles, NetworkBuildOptions options, string sourceChecksum)
    {
        if (!File.Exists(osmPath)) throw new FileNotFoundException($"OSM file not found: {osmPath}", osmPath);
        if (profiles.Count == 0) throw new ArgumentException("At least one profile is needed.", nameof(profiles));
        var names = new HashSet<string>();
        foreach (var p in profiles)
        {
            p.Validate();
            if (!names.Add(p.Name)) throw new ArgumentException($"Duplicate profile name '{p.Name}'.", nameof(profiles));
        }

        var nodeIndex = new Dictionary<long, int>(1 << 16);
        var lat = new List<int>(1 << 16);
        var lon = new List<int>(1 << 16);
        var ways = new List<RoutableWay>();
        var highwayNames = new List<string> { "" };
        var highwayIds = new Dictionary<string, byte> { [""] = 0 };
        var stats = new BuildStats();
        int profileCount = profiles.Count;

        using (var stream = File.OpenRead(osmPath))
        {
            OsmStreamSource source = IsXml(osmPath, stream) ? new XmlOsmStreamSource(stream) : new PBFOsmStreamSource(stream);
            IEnumerable<OsmGeo> items = source;
            try
            {
                foreach (var geo in items)
                {
                    if (geo is Node node)
                    {
                        if (node.Id is not long id || node.Latitude is not double la || node.Longitude is not double lo) continue;
                        if (nodeIndex.TryAdd(id, lat.Count))
                        {
                            lat.Add((int)Math.Round(la * 1e7));
                            lon.Add((int)Math.Round(lo * 1e7));
                        }
                    }
                    else if (geo is Way way)
                    {
                        stats.WaysRead++;
                        if (way.Id is not long wid || way.Nodes is null || way.Nodes.Length < 2 || way.Tags is null) continue;
                        var tags = way.Tags;
                        string? Tag(string k) => tags.TryGetValue(k, out var v) ? v : null;
                        bool ferry = Tag("route") == "ferry";
                        var hw = Tag("highway");
                        if (hw is null && !ferry) continue;
                        if (Tag("area") == "yes" && hw is not "pedestrian" and not "footway") continue;
                        var fwd = new float[profileCount];
                        var bwd = new float[profileCount];
                        bool any = false;
                        for (int p = 0; p < profileCount; p++)
                        {
                            double f, b;
                            if (ferry && hw is null)
                            {
                                if (profiles[p].FerryWaitSeconds is null) { f = b = 0; }
                                else
                                {
                                    // Ferries obey the general access key of the profile (foot=no / bicycle=no on a ferry).
                                    f = b = 1;
                                    foreach (var k in profiles[p].AccessKeys)
                                    {
                                        var v = Tag(k);
                                        if (v is null) continue;
                                        if (profiles[p].AccessValueFactors.TryGetValue(v, out var af) && af == 0) f = b = 0;
                                        break;
                                    }
                                }
                            }
                            else
                            {
                                (f, b) = profiles[p].Evaluate(Tag);
                            }
                            fwd[p] = (float)f;
                            bwd[p] = (float)b;
                            if (f > 0 || b > 0) any = true;
                        }
                        if (!any) continue;
                        var hwName = hw ?? "ferry";
                        if (!highwayIds.TryGetValue(hwName, out var hwId))
                        {
                            if (highwayNames.Count >= 255) hwId = 0;
                            else
                            {
                                hwId = (byte)highwayNames.Count;
                                highwayNames.Add(hwName);
                                highwayIds[hwName] = hwId;
                            }
                        }
                        ways.Add(new RoutableWay
                        {
                            WayId = wid, Nodes = way.Nodes, ForwardFactor = fwd, BackwardFactor = bwd, Highway = hwId, Ferry = ferry && hw is null,
                        });
                    }
                }
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                throw new InvalidDataException($"Cannot read OSM file {osmPath} (after {stats.WaysRead} ways, {lat.Count} nodes): {ex.Message}", ex);
            }
        }

        stats.RoutableWays = ways.Count;

        // How many routable way positions use each OSM node: ≥ 2 makes it a junction.
        var useCount = new byte[lat.Count];
        foreach (var w in ways)
            foreach (var id in w.Nodes)
                if (nodeIndex.TryGetValue(id, out var ix) && useCount[ix] < 2) useCount[ix]++;

        var osmToGraph = new Dictionary<int, int>();
        var gLat = new List<int>();
        var gLon = new List<int>();
        int GraphNode(int osmIx)
        {
            if (!osmToGraph.TryGetValue(osmIx, out var g))
            {
                g = gLat.Count;
                osmToGraph[osmIx] = g;
                gLat.Add(lat[osmIx]);
                gLon.Add(lon[osmIx]);
            }
            return g;
        }

        var eFrom = new List<int>();
        var eTo = new List<int>();
        var eLen = new List<float>();
        var eHw = new List<byte>();
        var shapeStart = new List<int> { 0 };
        var sLat = new List<int>();
        var sLon = new List<int>();
        var fwdSec = new List<float>[profileCount];
        var bwdSec = new List<float>[profileCount];
        for (int p = 0; p < profileCount; p++) { fwdSec[p] = new(); bwdSec[p] = new(); }

        var piece = new List<int>();
        for (int wi = 0; wi < ways.Count; wi++)
        {
            var w = ways[wi];
            double wayLength = 0;
            if (w.Ferry)
            {
                int prev = -1;
                foreach (var id in w.Nodes)
                {
                    if (!nodeIndex.TryGetValue(id, out var ix)) { prev = -1; continue; }
                    if (prev >= 0) wayLength += SegmentLength(lat[prev], lon[prev], lat[ix], lon[ix]);
                    prev = ix;
                }
            }
            int pos = 0;
            bool hadGap = false;
            while (pos < w.Nodes.Length)
            {
                piece.Clear();
                while (pos < w.Nodes.Length && nodeIndex.TryGetValue(w.Nodes[pos], out var ix)) { piece.Add(ix); pos++; }
                if (pos < w.Nodes.Length) { stats.MissingNodeReferences++; pos++; hadGap = true; }
                if (piece.Count < 2)
                {
                    if (piece.Count == 1) stats.PiecesDropped++;
                    continue;
                }
                AddPiece(w, wi, piece, wayLength);
            }
            if (hadGap) stats.GapSplits++;
        }

        void AddPiece(RoutableWay w, int wayIndex, List<int> nodes, double ferryWayLength)
        {
            int start = 0;
            double len = 0;
            for (int i = 1; i < nodes.Count; i++)
            {
                len += SegmentLength(lat[nodes[i - 1]], lon[nodes[i - 1]], lat[nodes[i]], lon[nodes[i]]);
                bool isEnd = i == nodes.Count - 1 || useCount[nodes[i]] >= 2;
                if (!isEnd) continue;
                eFrom.Add(GraphNode(nodes[start]));
                eTo.Add(GraphNode(nodes[i]));
                eLen.Add((float)len);
                eHw.Add(w.Highway);
                for (int k = start + 1; k < i; k++) { sLat.Add(lat[nodes[k]]); sLon.Add(lon[nodes[k]]); }
                shapeStart.Add(sLat.Count);
                for (int p = 0; p < profileCount; p++)
                {
                    var prof = profiles[p];
                    if (w.Ferry)
                    {
                        double share = ferryWayLength > 0 ? len / ferryWayLength : 1;
                        float sec = (float)(len / (prof.FerrySpeedKmh / 3.6) + (prof.FerryWaitSeconds ?? 0) * share);
                        fwdSec[p].Add(w.ForwardFactor[p] > 0 ? sec : float.PositiveInfinity);
                        bwdSec[p].Add(w.BackwardFactor[p] > 0 ? sec : float.PositiveInfinity);
                    }
                    else
                    {
                        double v = prof.SpeedMetersPerSecond;
                        fwdSec[p].Add(w.ForwardFactor[p] > 0 ? (float)(len / (v * w.ForwardFactor[p])) : float.PositiveInfinity);
                        bwdSec[p].Add(w.BackwardFactor[p] > 0 ? (float)(len / (v * w.BackwardFactor[p])) : float.PositiveInfinity);
                    }
                }
                start = i;
                len = 0;
            }
        }

        var data = new GraphData
        {
            NodeLatE7 = gLat.ToArray(),
            NodeLonE7 = gLon.ToArray(),
            EdgeFrom = eFrom.ToArray(),
            EdgeTo = eTo.ToArray(),
            EdgeLength = eLen.ToArray(),
            EdgeHighway = eHw.ToArray(),
            ShapeStart = shapeStart.ToArray(),
            ShapeLatE7 = sLat.ToArray(),
            ShapeLonE7 = sLon.ToArray(),
            ForwardSeconds = fwdSec.Select(l => l.ToArray()).ToArray(),
            BackwardSeconds = bwdSec.Select(l => l.ToArray()).ToArray(),
            HighwayNames = highwayNames.ToArray(),
        };
        data.ReorderNodesSpatially();
        return new StreetNetwork(data, profiles.ToArray(), sourceChecksum, options, stats);
    }

    private static bool IsXml(string path, Stream stream)
    {
        if (path.EndsWith(".pbf", StringComparison.OrdinalIgnoreCase)) return false;
        if (path.EndsWith(".osm", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".xml", StringComparison.OrdinalIgnoreCase)) return true;
        int b;
        do { b = stream.ReadByte(); } while (b is ' ' or '\n' or '\r' or '\t' or 0xEF or 0xBB or 0xBF);
        stream.Position = 0;
        return b == '<';
    }

    internal static double SegmentLength(int lat1E7, int lon1E7, int lat2E7, int lon2E7)
        => GeoPoint.DistanceMeters(new GeoPoint(lon1E7 * 1e-7, lat1E7 * 1e-7), new GeoPoint(lon2E7 * 1e-7, lat2E7 * 1e-7));
}
