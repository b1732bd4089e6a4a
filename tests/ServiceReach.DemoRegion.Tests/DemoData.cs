using System.Globalization;
using System.Text.Json;
using System.Xml.Linq;

namespace ServiceReach.DemoRegion.Tests;

/// <summary>Generates the demo region once per seed per test run and parses the files back, independently of the generator's own types.</summary>
internal sealed class DemoData
{
    public const int OtherSeed = 7;
    private static readonly Dictionary<int, Lazy<DemoData>> Cache = new()
    {
        [DemoRegionGenerator.DefaultSeed] = new(() => new DemoData(DemoRegionGenerator.DefaultSeed)),
        [OtherSeed] = new(() => new DemoData(OtherSeed)),
    };

    public static DemoData For(int seed) => Cache[seed].Value;

    public string Folder { get; }
    public DemoRegionSummary Summary { get; }
    public OsmFile Osm { get; }

    private DemoData(int seed)
    {
        Folder = Path.Combine(Path.GetTempPath(), "servicereach-demo-" + seed + "-" + Guid.NewGuid().ToString("N"));
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { Directory.Delete(Folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        };
        Summary = DemoRegionGenerator.Generate(Folder, seed);
        Osm = OsmFile.Load(Path.Combine(Folder, "streets.osm"));
    }

    public string PathOf(string relative) => Path.Combine(Folder, relative);

    public List<JsonElement> Features(string file)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(PathOf(file)));
        return doc.RootElement.GetProperty("features").EnumerateArray().Select(f => f.Clone()).ToList();
    }

    public List<Dictionary<string, string>> Csv(string gtfsFile)
    {
        var lines = File.ReadAllLines(PathOf(Path.Combine("gtfs", gtfsFile)));
        var header = SplitCsv(lines[0]);
        return lines.Skip(1).Where(l => l.Length > 0).Select(l =>
        {
            var values = SplitCsv(l);
            Assert.Equal(header.Count, values.Count);
            return header.Zip(values).ToDictionary(p => p.First, p => p.Second);
        }).ToList();
    }

    private static List<string> SplitCsv(string line)
    {
        var values = new List<string>();
        var current = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"') { current.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else current.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { values.Add(current.ToString()); current.Clear(); }
            else current.Append(c);
        }
        values.Add(current.ToString());
        return values;
    }
}

internal sealed record OsmNode(long Id, double Lat, double Lon, Dictionary<string, string> Tags);

internal sealed record OsmWay(long Id, List<long> Refs, Dictionary<string, string> Tags)
{
    public string? Highway => Tags.GetValueOrDefault("highway");
}

/// <summary>The OSM XML read with System.Xml, nothing shared with the generator.</summary>
internal sealed class OsmFile
{
    public required XDocument Document { get; init; }
    public required Dictionary<long, OsmNode> Nodes { get; init; }
    public required List<OsmWay> Ways { get; init; }
    public required List<long> NodeOrder { get; init; }

    public static OsmFile Load(string path)
    {
        var doc = XDocument.Load(path);
        var nodes = new Dictionary<long, OsmNode>();
        var order = new List<long>();
        foreach (var n in doc.Root!.Elements("node"))
        {
            var id = long.Parse(n.Attribute("id")!.Value, CultureInfo.InvariantCulture);
            order.Add(id);
            nodes.Add(id, new OsmNode(id, double.Parse(n.Attribute("lat")!.Value, CultureInfo.InvariantCulture),
                double.Parse(n.Attribute("lon")!.Value, CultureInfo.InvariantCulture), Tags(n)));
        }
        var ways = doc.Root.Elements("way").Select(w => new OsmWay(long.Parse(w.Attribute("id")!.Value, CultureInfo.InvariantCulture),
            w.Elements("nd").Select(nd => long.Parse(nd.Attribute("ref")!.Value, CultureInfo.InvariantCulture)).ToList(), Tags(w))).ToList();
        return new OsmFile { Document = doc, Nodes = nodes, Ways = ways, NodeOrder = order };
    }

    private static Dictionary<string, string> Tags(XElement e) => e.Elements("tag").ToDictionary(t => t.Attribute("k")!.Value, t => t.Attribute("v")!.Value);

    public IEnumerable<OsmWay> Highways => Ways.Where(w => w.Highway is not null);
}

/// <summary>Flat-earth metres around the region: plenty for tens-of-metres checks over 8 km.</summary>
internal static class Metres
{
    private const double EarthRadius = 6_371_008.8;
    private const double ReferenceLat = 51.03;

    public static (double X, double Y) Project(double lat, double lon) =>
        (lon * Math.PI / 180 * EarthRadius * Math.Cos(ReferenceLat * Math.PI / 180), lat * Math.PI / 180 * EarthRadius);

    public static double Between((double X, double Y) a, (double X, double Y) b) => Math.Sqrt((a.X - b.X) * (a.X - b.X) + (a.Y - b.Y) * (a.Y - b.Y));

    public static double ToSegment((double X, double Y) p, (double X, double Y) a, (double X, double Y) b)
    {
        var dx = b.X - a.X;
        var dy = b.Y - a.Y;
        var lengthSquared = dx * dx + dy * dy;
        var t = lengthSquared == 0 ? 0 : Math.Clamp(((p.X - a.X) * dx + (p.Y - a.Y) * dy) / lengthSquared, 0, 1);
        return Between(p, (a.X + t * dx, a.Y + t * dy));
    }

    /// <summary>True when the open segments cross at a single interior point (touching ends do not count).</summary>
    public static bool ProperlyCross((double X, double Y) a, (double X, double Y) b, (double X, double Y) c, (double X, double Y) d)
    {
        static double Cross((double X, double Y) o, (double X, double Y) p, (double X, double Y) q) => (p.X - o.X) * (q.Y - o.Y) - (p.Y - o.Y) * (q.X - o.X);
        var d1 = Cross(c, d, a);
        var d2 = Cross(c, d, b);
        var d3 = Cross(a, b, c);
        var d4 = Cross(a, b, d);
        return ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0));
    }
}
