using System.Globalization;
using System.Text;
using NetTopologySuite.Algorithm;
using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.Union;

namespace ServiceReach.DemoRegion;

/// <summary>Writes OSM XML 0.6 by hand so the bytes are fully under our control (sorted ids, fixed timestamp, '\n' line ends).</summary>
internal static class OsmXmlWriter
{
    private const string Timestamp = "2026-01-01T00:00:00Z";

    public static string Write(OsmDataset osm)
    {
        var sb = new StringBuilder();
        sb.Append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        sb.Append("<osm version=\"0.6\" generator=\"ServiceReach.DemoRegion\">\n");
        sb.Append("  <!-- FICTIONAL demo region: invented streets, places, services and people. Not real OpenStreetMap data. -->\n");
        var southWest = new Vec(0, 0);
        var northEast = new Vec(LocalProjection.WidthMetres, LocalProjection.HeightMetres);
        sb.Append("  <bounds minlat=\"").Append(D(LocalProjection.Lat(southWest))).Append("\" minlon=\"").Append(D(LocalProjection.Lon(southWest)))
          .Append("\" maxlat=\"").Append(D(LocalProjection.Lat(northEast))).Append("\" maxlon=\"").Append(D(LocalProjection.Lon(northEast))).Append("\"/>\n");
        foreach (var node in osm.Nodes)
        {
            sb.Append("  <node id=\"").Append(node.Id.ToString(CultureInfo.InvariantCulture))
              .Append("\" version=\"1\" timestamp=\"").Append(Timestamp)
              .Append("\" lat=\"").Append(D(LocalProjection.Lat(node.Position)))
              .Append("\" lon=\"").Append(D(LocalProjection.Lon(node.Position))).Append('"');
            if (node.Tags.Count == 0) { sb.Append("/>\n"); continue; }
            sb.Append(">\n");
            AppendTags(sb, node.Tags);
            sb.Append("  </node>\n");
        }
        foreach (var way in osm.Ways)
        {
            sb.Append("  <way id=\"").Append(way.Id.ToString(CultureInfo.InvariantCulture)).Append("\" version=\"1\" timestamp=\"").Append(Timestamp).Append("\">\n");
            foreach (var r in way.NodeRefs) sb.Append("    <nd ref=\"").Append(r.ToString(CultureInfo.InvariantCulture)).Append("\"/>\n");
            AppendTags(sb, way.Tags);
            sb.Append("  </way>\n");
        }
        sb.Append("</osm>\n");
        return sb.ToString();
    }

    private static string D(double v) => LocalProjection.FormatDegrees(v);

    private static void AppendTags(StringBuilder sb, List<KeyValuePair<string, string>> tags)
    {
        foreach (var t in tags) sb.Append("    <tag k=\"").Append(Escape(t.Key)).Append("\" v=\"").Append(Escape(t.Value)).Append("\"/>\n");
    }

    private static string Escape(string s) => s.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;").Replace("\"", "&quot;").Replace("'", "&apos;");
}

/// <summary>GeoJSON properties in a fixed order, written as compact JSON.</summary>
internal sealed class JsonProperties
{
    private readonly StringBuilder _sb = new();

    private JsonProperties Key(string key)
    {
        _sb.Append(_sb.Length == 0 ? "" : ",").Append(GeoJsonText.Quote(key)).Append(':');
        return this;
    }

    public JsonProperties Add(string key, string? value) { Key(key).Append(value is null ? "null" : GeoJsonText.Quote(value)); return this; }
    public JsonProperties Add(string key, int value) { Key(key).Append(value.ToString(CultureInfo.InvariantCulture)); return this; }
    public JsonProperties Add(string key, bool value) { Key(key).Append(value ? "true" : "false"); return this; }
    public JsonProperties Add(string key, string[] values)
    {
        Key(key)._sb.Append('[');
        for (var k = 0; k < values.Length; k++) _sb.Append(k > 0 ? "," : "").Append(GeoJsonText.Quote(values[k]));
        _sb.Append(']');
        return this;
    }

    private StringBuilder Append(string s) => _sb.Append(s);

    public override string ToString() => "{" + _sb + "}";
}

/// <summary>GeoJSON text: one feature per line, 7-decimal WGS84 coordinates, polygons counter-clockwise (RFC 7946).</summary>
internal static class GeoJsonText
{
    public static string Quote(string s)
    {
        var sb = new StringBuilder("\"");
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                default:
                    if (c < 0x20) sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else sb.Append(c);
                    break;
            }
        }
        return sb.Append('"').ToString();
    }

    public static string Point(Vec p) => "{\"type\":\"Point\",\"coordinates\":" + Position(p) + "}";

    public static string Polygon(IReadOnlyList<IReadOnlyList<Vec>> rings) => "{\"type\":\"Polygon\",\"coordinates\":" + Rings(rings) + "}";

    public static string MultiPolygon(IReadOnlyList<IReadOnlyList<IReadOnlyList<Vec>>> polygons)
    {
        var sb = new StringBuilder("{\"type\":\"MultiPolygon\",\"coordinates\":[");
        for (var k = 0; k < polygons.Count; k++) sb.Append(k > 0 ? "," : "").Append(Rings(polygons[k]));
        return sb.Append("]}").ToString();
    }

    private static string Rings(IReadOnlyList<IReadOnlyList<Vec>> rings)
    {
        var sb = new StringBuilder("[");
        for (var r = 0; r < rings.Count; r++)
        {
            sb.Append(r > 0 ? "," : "").Append('[');
            for (var k = 0; k < rings[r].Count; k++) sb.Append(k > 0 ? "," : "").Append(Position(rings[r][k]));
            sb.Append(']');
        }
        return sb.Append(']').ToString();
    }

    private static string Position(Vec p) =>
        "[" + LocalProjection.FormatDegrees(LocalProjection.Lon(p)) + "," + LocalProjection.FormatDegrees(LocalProjection.Lat(p)) + "]";

    public static string FeatureCollection(string name, IEnumerable<(JsonProperties Properties, string Geometry)> features)
    {
        var sb = new StringBuilder();
        sb.Append("{\n\"type\": \"FeatureCollection\",\n\"name\": ").Append(Quote(name)).Append(",\n\"fictional\": true,\n");
        sb.Append("\"description\": \"FICTIONAL demo region generated by ServiceReach.DemoRegion; invented places, services and people.\",\n");
        sb.Append("\"features\": [\n");
        var first = true;
        foreach (var (properties, geometry) in features)
        {
            if (!first) sb.Append(",\n");
            first = false;
            sb.Append("{\"type\":\"Feature\",\"properties\":").Append(properties).Append(",\"geometry\":").Append(geometry).Append('}');
        }
        sb.Append("\n]\n}\n");
        return sb.ToString();
    }

    /// <summary>Polygon rings of a unioned NTS geometry (in local metres), shells counter-clockwise and holes clockwise.</summary>
    public static string FromNts(Geometry geometry)
    {
        List<IReadOnlyList<Vec>> RingsOf(Polygon polygon)
        {
            var rings = new List<IReadOnlyList<Vec>> { Oriented(polygon.ExteriorRing.Coordinates, counterClockwise: true) };
            foreach (var hole in polygon.InteriorRings) rings.Add(Oriented(hole.Coordinates, counterClockwise: false));
            return rings;
        }
        return geometry switch
        {
            Polygon p => Polygon(RingsOf(p)),
            MultiPolygon mp => MultiPolygon(mp.Geometries.Cast<Polygon>().Select(p => (IReadOnlyList<IReadOnlyList<Vec>>)RingsOf(p)).ToList()),
            _ => throw new InvalidOperationException("Expected a polygonal union, got " + geometry.GeometryType),
        };
    }

    private static List<Vec> Oriented(Coordinate[] ring, bool counterClockwise)
    {
        var points = ring.Select(c => new Vec(c.X, c.Y)).ToList();
        if (Orientation.IsCCW(ring) != counterClockwise) points.Reverse();
        return points;
    }

    public static Geometry UnionOfSquares(IEnumerable<(Vec SouthWest, double Size)> squares)
    {
        var factory = new GeometryFactory();
        var polygons = squares.Select(s => (Geometry)factory.CreatePolygon(
        [
            new Coordinate(s.SouthWest.X, s.SouthWest.Y), new Coordinate(s.SouthWest.X + s.Size, s.SouthWest.Y),
            new Coordinate(s.SouthWest.X + s.Size, s.SouthWest.Y + s.Size), new Coordinate(s.SouthWest.X, s.SouthWest.Y + s.Size),
            new Coordinate(s.SouthWest.X, s.SouthWest.Y),
        ])).ToList();
        var union = CascadedPolygonUnion.Union(polygons);
        // Merge collinear vertices left by the grid so boundaries stay small and stable.
        return NetTopologySuite.Simplify.DouglasPeuckerSimplifier.Simplify(union, 0.01);
    }
}
