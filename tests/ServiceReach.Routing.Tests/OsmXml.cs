using System.Globalization;
using System.Security;
using System.Text;

namespace ServiceReach.Routing.Tests;

/// <summary>Writes a small OSM XML file by hand for a test; nodes are placed in milli-degrees from (4.3 E, 51.0 N).</summary>
internal sealed class OsmXml
{
    public const double Lon0 = 4.3, Lat0 = 51.0;
    /// <summary>Metres per 0.001° of latitude on the sphere the engine measures on (R = 6,371,008.8 m).</summary>
    public static readonly double MetersPerMilliDegreeLat = 6_371_008.8 * Math.PI / 180 / 1000;

    private readonly StringBuilder _nodes = new();
    private readonly StringBuilder _ways = new();

    public static GeoPoint At(double eastMilliDeg, double northMilliDeg) => new(Lon0 + eastMilliDeg / 1000, Lat0 + northMilliDeg / 1000);

    public OsmXml Node(long id, double eastMilliDeg, double northMilliDeg, params string[] tags)
    {
        var p = At(eastMilliDeg, northMilliDeg);
        _nodes.Append(CultureInfo.InvariantCulture, $"  <node id=\"{id}\" version=\"1\" lat=\"{p.Lat:F7}\" lon=\"{p.Lon:F7}\"");
        if (tags.Length == 0) { _nodes.AppendLine("/>"); return this; }
        _nodes.AppendLine(">");
        AppendTags(_nodes, tags);
        _nodes.AppendLine("  </node>");
        return this;
    }

    public OsmXml Way(long id, long[] nodes, params string[] tags)
    {
        _ways.AppendLine(CultureInfo.InvariantCulture, $"  <way id=\"{id}\" version=\"1\">");
        foreach (var n in nodes) _ways.AppendLine(CultureInfo.InvariantCulture, $"    <nd ref=\"{n}\"/>");
        AppendTags(_ways, tags);
        _ways.AppendLine("  </way>");
        return this;
    }

    private static void AppendTags(StringBuilder sb, string[] tags)
    {
        foreach (var t in tags)
        {
            int eq = t.IndexOf('=');
            sb.AppendLine($"    <tag k=\"{SecurityElement.Escape(t[..eq])}\" v=\"{SecurityElement.Escape(t[(eq + 1)..])}\"/>");
        }
    }

    public string Write()
    {
        var path = Path.Combine(Path.GetTempPath(), $"sr-routing-{Guid.NewGuid():N}.osm");
        File.WriteAllText(path, $"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<osm version=\"0.6\" generator=\"test\">\n{_nodes}{_ways}</osm>\n");
        return path;
    }

    public StreetNetwork Build(IReadOnlyList<Profile>? profiles = null)
    {
        var path = Write();
        try { return StreetNetwork.Build(path, profiles ?? Profile.BuiltIn); }
        finally { File.Delete(path); }
    }
}
