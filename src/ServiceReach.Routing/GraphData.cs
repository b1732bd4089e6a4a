using System.Runtime.InteropServices;
using System.Text;

namespace ServiceReach.Routing;

/// <summary>
/// The flat arrays of a street graph. Edges are undirected OSM way pieces between graph nodes; per profile each
/// edge has a forward (From→To) and backward (To→From) cost in seconds, +∞ when the profile may not use that
/// direction. Coordinates are WGS84 in 1e-7 degrees (OSM's own precision). The shape of edge e (the OSM nodes
/// between its end nodes) is ShapeLatE7/ShapeLonE7[ShapeStart[e] .. ShapeStart[e+1]).
/// </summary>
internal sealed class GraphData
{
    public required int[] NodeLatE7;
    public required int[] NodeLonE7;
    public required int[] EdgeFrom;
    public required int[] EdgeTo;
    public required float[] EdgeLength;
    public required byte[] EdgeHighway;
    public required int[] ShapeStart;
    public required int[] ShapeLatE7;
    public required int[] ShapeLonE7;
    public required float[][] ForwardSeconds;
    public required float[][] BackwardSeconds;
    public required string[] HighwayNames;

    public int NodeCount => NodeLatE7.Length;
    public int EdgeCount => EdgeFrom.Length;

    /// <summary>Bytes held by the per-edge arrays (shape points excluded) divided by the edge count.</summary>
    public double BytesPerEdge()
    {
        long bytes = EdgeFrom.Length * 4L + EdgeTo.Length * 4L + EdgeLength.Length * 4L + EdgeHighway.Length + ShapeStart.Length * 4L;
        foreach (var a in ForwardSeconds) bytes += a.Length * 4L;
        foreach (var a in BackwardSeconds) bytes += a.Length * 4L;
        return EdgeCount == 0 ? 0 : (double)bytes / EdgeCount;
    }

    public long TotalBytes()
    {
        long b = (long)(BytesPerEdge() * EdgeCount) + NodeCount * 8L + ShapeLatE7.Length * 8L;
        return b;
    }

    /// <summary>
    /// Renumbers nodes along a Z-order curve of their coordinates (ties by old index) and sorts edges by their
    /// lower end node, so that neighbours in space are neighbours in memory: searches touch fewer cache lines.
    /// </summary>
    public void ReorderNodesSpatially()
    {
        int n = NodeCount;
        if (n == 0) return;
        int minLat = int.MaxValue, minLon = int.MaxValue, maxLat = int.MinValue, maxLon = int.MinValue;
        for (int i = 0; i < n; i++)
        {
            minLat = Math.Min(minLat, NodeLatE7[i]); maxLat = Math.Max(maxLat, NodeLatE7[i]);
            minLon = Math.Min(minLon, NodeLonE7[i]); maxLon = Math.Max(maxLon, NodeLonE7[i]);
        }
        double spanLat = Math.Max(1, (double)maxLat - minLat), spanLon = Math.Max(1, (double)maxLon - minLon);
        var keys = new ulong[n];
        var order = new int[n];
        for (int i = 0; i < n; i++)
        {
            uint x = (uint)((NodeLonE7[i] - (double)minLon) / spanLon * 65535);
            uint y = (uint)((NodeLatE7[i] - (double)minLat) / spanLat * 65535);
            keys[i] = ((ulong)Interleave(x, y) << 32) | (uint)i;
            order[i] = i;
        }
        Array.Sort(keys, order);
        var newIndex = new int[n];
        for (int i = 0; i < n; i++) newIndex[order[i]] = i;
        NodeLatE7 = Permute(NodeLatE7, order);
        NodeLonE7 = Permute(NodeLonE7, order);
        for (int e = 0; e < EdgeCount; e++) { EdgeFrom[e] = newIndex[EdgeFrom[e]]; EdgeTo[e] = newIndex[EdgeTo[e]]; }

        int m = EdgeCount;
        var edgeKeys = new long[m];
        var edgeOrder = new int[m];
        for (int e = 0; e < m; e++)
        {
            edgeKeys[e] = ((long)Math.Min(EdgeFrom[e], EdgeTo[e]) << 32) | (uint)e;
            edgeOrder[e] = e;
        }
        Array.Sort(edgeKeys, edgeOrder);
        EdgeFrom = Permute(EdgeFrom, edgeOrder);
        EdgeTo = Permute(EdgeTo, edgeOrder);
        EdgeLength = Permute(EdgeLength, edgeOrder);
        EdgeHighway = Permute(EdgeHighway, edgeOrder);
        for (int p = 0; p < ForwardSeconds.Length; p++)
        {
            ForwardSeconds[p] = Permute(ForwardSeconds[p], edgeOrder);
            BackwardSeconds[p] = Permute(BackwardSeconds[p], edgeOrder);
        }
        var newStart = new int[m + 1];
        var newLat = new int[ShapeLatE7.Length];
        var newLon = new int[ShapeLonE7.Length];
        int pos = 0;
        for (int e = 0; e < m; e++)
        {
            int old = edgeOrder[e];
            newStart[e] = pos;
            for (int k = ShapeStart[old]; k < ShapeStart[old + 1]; k++) { newLat[pos] = ShapeLatE7[k]; newLon[pos] = ShapeLonE7[k]; pos++; }
        }
        newStart[m] = pos;
        ShapeStart = newStart;
        ShapeLatE7 = newLat;
        ShapeLonE7 = newLon;
    }

    private static T[] Permute<T>(T[] a, int[] order)
    {
        var r = new T[a.Length];
        for (int i = 0; i < a.Length; i++) r[i] = a[order[i]];
        return r;
    }

    private static ulong Interleave(uint x, uint y)
    {
        ulong r = 0;
        for (int b = 0; b < 16; b++)
        {
            r |= ((ulong)((x >> b) & 1) << (2 * b)) | ((ulong)((y >> b) & 1) << (2 * b + 1));
        }
        return r;
    }

    // ---------- binary cache file ----------

    internal const int FormatVersion = 1;
    private static readonly byte[] Magic = "SRSTNET\0"u8.ToArray();
    private static readonly byte[] EndMagic = "SRSTEND\0"u8.ToArray();

    public void Write(Stream s, string sourceChecksum, string profilesJson)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("The network cache format is little-endian.");
        using var w = new BinaryWriter(s, Encoding.UTF8, leaveOpen: true);
        w.Write(Magic);
        w.Write(FormatVersion);
        w.Write(sourceChecksum);
        w.Write(profilesJson);
        w.Write(HighwayNames.Length);
        foreach (var h in HighwayNames) w.Write(h);
        w.Write(NodeCount);
        w.Write(EdgeCount);
        w.Write(ShapeLatE7.Length);
        w.Write(ForwardSeconds.Length);
        w.Flush();
        WriteArray(s, NodeLatE7); WriteArray(s, NodeLonE7);
        WriteArray(s, EdgeFrom); WriteArray(s, EdgeTo); WriteArray(s, EdgeLength); WriteArray(s, EdgeHighway);
        WriteArray(s, ShapeStart); WriteArray(s, ShapeLatE7); WriteArray(s, ShapeLonE7);
        for (int p = 0; p < ForwardSeconds.Length; p++) { WriteArray(s, ForwardSeconds[p]); WriteArray(s, BackwardSeconds[p]); }
        s.Write(EndMagic);
    }

    public static (GraphData Data, string SourceChecksum, string ProfilesJson) Read(Stream s, string path)
    {
        using var r = new BinaryReader(s, Encoding.UTF8, leaveOpen: true);
        var magic = r.ReadBytes(Magic.Length);
        if (!magic.AsSpan().SequenceEqual(Magic)) throw new InvalidDataException($"{path} is not a ServiceReach street network file.");
        int version = r.ReadInt32();
        if (version != FormatVersion) throw new InvalidDataException($"{path} has network format version {version}; this build reads version {FormatVersion}.");
        var checksum = r.ReadString();
        var profilesJson = r.ReadString();
        int hwCount = r.ReadInt32();
        if (hwCount is < 0 or > 256) throw new InvalidDataException($"{path}: corrupt header (highway names).");
        var hw = new string[hwCount];
        for (int i = 0; i < hwCount; i++) hw[i] = r.ReadString();
        int nodes = r.ReadInt32(), edges = r.ReadInt32(), shapes = r.ReadInt32(), profiles = r.ReadInt32();
        long expected = nodes * 8L + edges * 13L + (edges + 1) * 4L + shapes * 8L + profiles * edges * 8L + EndMagic.Length;
        if (nodes < 0 || edges < 0 || shapes < 0 || profiles is < 0 or > 64 || s.Length - s.Position != expected)
            throw new InvalidDataException($"{path}: truncated or corrupt network file (expected {expected} payload bytes, found {s.Length - s.Position}).");
        var d = new GraphData
        {
            NodeLatE7 = ReadArray<int>(s, nodes), NodeLonE7 = ReadArray<int>(s, nodes),
            EdgeFrom = ReadArray<int>(s, edges), EdgeTo = ReadArray<int>(s, edges),
            EdgeLength = ReadArray<float>(s, edges), EdgeHighway = ReadArray<byte>(s, edges),
            ShapeStart = ReadArray<int>(s, edges + 1), ShapeLatE7 = ReadArray<int>(s, shapes), ShapeLonE7 = ReadArray<int>(s, shapes),
            ForwardSeconds = new float[profiles][], BackwardSeconds = new float[profiles][],
            HighwayNames = hw,
        };
        for (int p = 0; p < profiles; p++) { d.ForwardSeconds[p] = ReadArray<float>(s, edges); d.BackwardSeconds[p] = ReadArray<float>(s, edges); }
        var end = new byte[EndMagic.Length];
        s.ReadExactly(end);
        if (!end.AsSpan().SequenceEqual(EndMagic)) throw new InvalidDataException($"{path}: corrupt network file (bad end marker).");
        for (int e = 0; e < edges; e++)
            if ((uint)d.EdgeFrom[e] >= (uint)nodes || (uint)d.EdgeTo[e] >= (uint)nodes)
                throw new InvalidDataException($"{path}: corrupt network file (edge {e} references node out of range).");
        return (d, checksum, profilesJson);
    }

    private static void WriteArray<T>(Stream s, T[] a) where T : unmanaged => s.Write(MemoryMarshal.AsBytes(a.AsSpan()));

    private static T[] ReadArray<T>(Stream s, int count) where T : unmanaged
    {
        var a = new T[count];
        s.ReadExactly(MemoryMarshal.AsBytes(a.AsSpan()));
        return a;
    }
}
