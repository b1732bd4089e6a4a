using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace ServiceReach.DemoRegion.Tests;

public class OsmTests
{
    public static TheoryData<int> Seeds => [DemoRegionGenerator.DefaultSeed, DemoData.OtherSeed];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Osm_IsVersion06WithBounds_SortedPositiveIds_AndEveryWayRefExists(int seed)
    {
        var osm = DemoData.For(seed).Osm;
        var root = osm.Document.Root!;
        Assert.Equal("osm", root.Name.LocalName);
        Assert.Equal("0.6", root.Attribute("version")!.Value);
        var bounds = root.Element("bounds")!;
        double B(string name) => double.Parse(bounds.Attribute(name)!.Value, CultureInfo.InvariantCulture);
        Assert.InRange(B("minlon"), 4.59, 4.62);
        Assert.InRange(B("maxlon"), 4.70, 4.73);
        Assert.InRange(B("minlat"), 50.99, 51.01);
        Assert.InRange(B("maxlat"), 51.05, 51.07);

        Assert.Equal(osm.NodeOrder.Order().ToList(), osm.NodeOrder);
        Assert.All(osm.NodeOrder, id => Assert.True(id > 0));
        foreach (var element in root.Elements().Where(e => e.Name.LocalName is "node" or "way"))
        {
            Assert.Equal("1", element.Attribute("version")?.Value);
            Assert.NotNull(element.Attribute("timestamp"));
        }
        foreach (var node in osm.Nodes.Values)
        {
            Assert.InRange(node.Lat, B("minlat"), B("maxlat"));
            Assert.InRange(node.Lon, B("minlon"), B("maxlon"));
        }
        Assert.Equal(osm.Ways.Count, osm.Ways.Select(w => w.Id).Distinct().Count());
        foreach (var way in osm.Ways)
        {
            Assert.True(way.Refs.Count >= 2, $"way {way.Id} has {way.Refs.Count} nodes");
            foreach (var r in way.Refs) Assert.True(osm.Nodes.ContainsKey(r), $"way {way.Id} refers to missing node {r}");
        }
    }

    [Fact]
    public void Osm_HasEveryStreetTypeAndTrapTheBriefAsksFor()
    {
        var osm = DemoData.For(DemoRegionGenerator.DefaultSeed).Osm;
        var highways = osm.Highways.Select(w => w.Highway!).ToHashSet();
        foreach (var expected in new[] { "tertiary", "residential", "unclassified", "track", "footway", "path", "cycleway", "steps", "service" })
            Assert.Contains(expected, highways);
        Assert.Contains(osm.Highways, w => w.Tags.GetValueOrDefault("oneway") == "yes" && !w.Tags.ContainsKey("oneway:bicycle"));
        Assert.Contains(osm.Highways, w => w.Tags.GetValueOrDefault("oneway") == "yes" && w.Tags.GetValueOrDefault("oneway:bicycle") == "no");
        Assert.Contains(osm.Highways, w => w.Tags.GetValueOrDefault("access") == "private");
        Assert.Contains(osm.Highways, w => w.Tags.GetValueOrDefault("foot") == "no");
        Assert.Single(osm.Ways, w => w.Tags.GetValueOrDefault("waterway") == "river");

        // One place node per kern, with the same name and population as kernen.geojson.
        var places = osm.Nodes.Values.Where(n => n.Tags.ContainsKey("place")).ToDictionary(n => n.Tags["name"]);
        var kernen = DemoData.For(DemoRegionGenerator.DefaultSeed).Features("kernen.geojson").Select(f => f.GetProperty("properties")).ToList();
        Assert.Equal(kernen.Count, places.Count);
        foreach (var k in kernen)
        {
            var place = places[k.GetProperty("name").GetString()!];
            Assert.Equal(k.GetProperty("typology").GetString(), place.Tags["place"]);
            Assert.Equal(k.GetProperty("population").GetInt32().ToString(CultureInfo.InvariantCulture), place.Tags["population"]);
            Assert.Equal("yes", place.Tags["fictional"]);
        }
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Highways_CrossEachOtherOnlyAtSharedNodes_AndTheRiverOnlyOnTwoBridges(int seed)
    {
        var osm = DemoData.For(seed).Osm;
        var segments = new List<(long WayId, long A, long B, (double X, double Y) P, (double X, double Y) Q, string Layer, bool Bridge)>();
        foreach (var way in osm.Highways)
        {
            for (var k = 1; k < way.Refs.Count; k++)
            {
                var a = osm.Nodes[way.Refs[k - 1]];
                var b = osm.Nodes[way.Refs[k]];
                segments.Add((way.Id, a.Id, b.Id, Metres.Project(a.Lat, a.Lon), Metres.Project(b.Lat, b.Lon),
                    way.Tags.GetValueOrDefault("layer", "0"), way.Tags.GetValueOrDefault("bridge") == "yes"));
            }
        }
        for (var i = 0; i < segments.Count; i++)
        {
            for (var j = i + 1; j < segments.Count; j++)
            {
                var s = segments[i];
                var t = segments[j];
                if (s.Layer != t.Layer || s.A == t.A || s.A == t.B || s.B == t.A || s.B == t.B) continue;
                Assert.False(Metres.ProperlyCross(s.P, s.Q, t.P, t.Q), $"way {s.WayId} crosses way {t.WayId} without a junction");
            }
        }

        var river = osm.Ways.Single(w => w.Tags.GetValueOrDefault("waterway") == "river");
        var riverPoints = river.Refs.Select(r => Metres.Project(osm.Nodes[r].Lat, osm.Nodes[r].Lon)).ToList();
        var crossingWays = new HashSet<long>();
        foreach (var s in segments)
        {
            for (var k = 1; k < riverPoints.Count; k++)
            {
                if (!Metres.ProperlyCross(s.P, s.Q, riverPoints[k - 1], riverPoints[k])) continue;
                Assert.True(s.Bridge, $"way {s.WayId} crosses the river without bridge=yes");
                crossingWays.Add(s.WayId);
            }
        }
        Assert.Equal(2, crossingWays.Count);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void StreetNetwork_IsOneComponent_PlusOneTinyFootwayIsland(int seed)
    {
        var osm = DemoData.For(seed).Osm;
        var parent = new Dictionary<long, long>();
        long Find(long x)
        {
            while (parent[x] != x) x = parent[x] = parent[parent[x]];
            return x;
        }
        foreach (var way in osm.Highways)
        {
            foreach (var r in way.Refs) parent.TryAdd(r, r);
            for (var k = 1; k < way.Refs.Count; k++) parent[Find(way.Refs[k])] = Find(way.Refs[0]);
        }
        var components = parent.Keys.GroupBy(Find).Select(g => g.ToList()).OrderByDescending(g => g.Count).ToList();
        Assert.Equal(2, components.Count);
        Assert.True(components[1].Count < 10, $"the island has {components[1].Count} nodes");
        var island = osm.Highways.Where(w => components[1].Contains(w.Refs[0])).ToList();
        Assert.All(island, w => Assert.Equal("footway", w.Highway));
    }

    [Fact]
    public void Osmium_ReadsTheFile_AndCountsTheSameObjects()
    {
        var data = DemoData.For(DemoRegionGenerator.DefaultSeed);
        string json;
        try
        {
            using var process = Process.Start(new ProcessStartInfo("osmium", ["fileinfo", "-e", "-j", data.PathOf("streets.osm")])
            { RedirectStandardOutput = true, RedirectStandardError = true })!;
            json = process.StandardOutput.ReadToEnd();
            var error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, "osmium rejected streets.osm: " + error);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            Assert.Skip("osmium-tool is not installed (apt-get install osmium-tool) — this oracle check is skipped.");
            return;
        }
        using var doc = JsonDocument.Parse(json);
        var count = doc.RootElement.GetProperty("data").GetProperty("count");
        Assert.Equal(data.Osm.Nodes.Count, count.GetProperty("nodes").GetInt32());
        Assert.Equal(data.Osm.Ways.Count, count.GetProperty("ways").GetInt32());
        Assert.Equal(data.Summary.OsmNodeCount, data.Osm.Nodes.Count);
        Assert.Equal(data.Summary.OsmWayCount, data.Osm.Ways.Count);
    }

    [Fact]
    public void OsmSharp_ReadsTheFile_WithTheSameTags()
    {
        var data = DemoData.For(DemoRegionGenerator.DefaultSeed);
        using var stream = File.OpenRead(data.PathOf("streets.osm"));
        var source = new OsmSharp.Streams.XmlOsmStreamSource(stream);
        int nodes = 0, ways = 0, namedPlaces = 0;
        foreach (var geo in source)
        {
            if (geo is OsmSharp.Node n)
            {
                nodes++;
                if (n.Tags != null && n.Tags.ContainsKey("place") && n.Tags.ContainsKey("name")) namedPlaces++;
            }
            else if (geo is OsmSharp.Way w)
            {
                ways++;
                Assert.Equal(data.Osm.Ways.Single(x => x.Id == w.Id).Refs, w.Nodes);
            }
        }
        Assert.Equal(data.Osm.Nodes.Count, nodes);
        Assert.Equal(data.Osm.Ways.Count, ways);
        Assert.Equal(data.Summary.KernCount, namedPlaces);
    }
}
