using System.Text.Json;

namespace ServiceReach.DemoRegion.Tests;

/// <summary>
/// The gap cases the demo is built to show, checked with a small shortest-path search written here (not the generator's):
/// walking 15 min ≈ 1.2 km, cycling 15 min ≈ 3.75 km (docs/domain.md §5).
/// </summary>
public class ReachCaseTests
{
    private const double WalkMetres = 1200;
    private const double CycleMetres = 3750;
    private static readonly string[] FoodCategories = ["bakery", "butcher", "food_shop", "supermarket"];

    private sealed class Network
    {
        public readonly Dictionary<long, List<(long To, double Metres)>> Edges = [];
        public readonly Dictionary<long, (double X, double Y)> Points = [];

        public void Add(long a, long b, bool bothWays)
        {
            var d = Metres.Between(Points[a], Points[b]);
            Link(a, b, d);
            if (bothWays) Link(b, a, d);
        }

        private void Link(long a, long b, double d)
        {
            if (!Edges.TryGetValue(a, out var list)) Edges[a] = list = [];
            list.Add((b, d));
        }

        public long Nearest((double X, double Y) p) => Edges.Keys.MinBy(id => Metres.Between(Points[id], p));

        public Dictionary<long, double> From(long source)
        {
            var best = new Dictionary<long, double> { [source] = 0 };
            var queue = new PriorityQueue<long, double>();
            queue.Enqueue(source, 0);
            while (queue.TryDequeue(out var node, out var distance))
            {
                if (distance > best[node] || !Edges.TryGetValue(node, out var list)) continue;
                foreach (var (next, metres) in list)
                {
                    if (best.TryGetValue(next, out var known) && known <= distance + metres) continue;
                    best[next] = distance + metres;
                    queue.Enqueue(next, distance + metres);
                }
            }
            return best;
        }
    }

    private static Network Build(OsmFile osm, bool cycling)
    {
        var network = new Network();
        foreach (var way in osm.Highways)
        {
            var t = way.Tags;
            if (t.GetValueOrDefault("access") is "private" or "agricultural" or "no") continue;
            if (!cycling && t.GetValueOrDefault("foot") == "no") continue;
            if (cycling && (t.GetValueOrDefault("bicycle") == "no" || way.Highway is "steps" or "footway")) continue;
            var oneway = cycling && t.GetValueOrDefault("oneway") == "yes" && t.GetValueOrDefault("oneway:bicycle") != "no";
            foreach (var r in way.Refs) network.Points[r] = Metres.Project(osm.Nodes[r].Lat, osm.Nodes[r].Lon);
            for (var k = 1; k < way.Refs.Count; k++) network.Add(way.Refs[k - 1], way.Refs[k], !oneway);
        }
        return network;
    }

    private static (double X, double Y) PointOf(JsonElement feature)
    {
        var c = feature.GetProperty("geometry").GetProperty("coordinates");
        return Metres.Project(c[1].GetDouble(), c[0].GetDouble());
    }

    /// <summary>Network distance from a kern centre to the nearest open physical service of any of the categories.</summary>
    private static double NearestService(string kernName, string[] categories, bool cycling)
    {
        var data = DemoData.For(DemoRegionGenerator.DefaultSeed);
        var network = Build(data.Osm, cycling);
        var kern = data.Features("kernen.geojson").Single(f => f.GetProperty("properties").GetProperty("name").GetString() == kernName);
        var start = PointOf(kern);
        var source = network.Nearest(start);
        var reached = network.From(source);
        var best = double.PositiveInfinity;
        foreach (var s in data.Features("services.geojson"))
        {
            var p = s.GetProperty("properties");
            if (p.GetProperty("status").GetString() != "open" || p.GetProperty("channel").GetString() != "physical") continue;
            if (!p.GetProperty("categories").EnumerateArray().Any(c => categories.Contains(c.GetString()))) continue;
            var point = PointOf(s);
            var target = network.Nearest(point);
            if (!reached.TryGetValue(target, out var d)) continue;
            best = Math.Min(best, Metres.Between(start, network.Points[source]) + d + Metres.Between(point, network.Points[target]));
        }
        return best;
    }

    [Fact]
    public void Town_HasEveryCategoryWithinWalkingDistance()
    {
        foreach (var code in DemoRegionGenerator.CategoryCodes)
            Assert.True(NearestService("Heidebeek", [code], cycling: false) <= WalkMetres, $"Heidebeek lacks {code} on foot");
    }

    [Fact]
    public void Lindeveld_ReachesAGpByBikeButNotOnFoot()
    {
        var walk = NearestService("Lindeveld", ["gp"], cycling: false);
        var bike = NearestService("Lindeveld", ["gp"], cycling: true);
        Assert.True(walk > WalkMetres, $"walk {walk:F0} m");
        Assert.True(bike <= CycleMetres, $"bike {bike:F0} m");
        Assert.True(NearestService("Lindeveld", ["bakery"], cycling: false) <= WalkMetres);
    }

    [Fact]
    public void Eikenrode_IsADorpspuntCandidate_OnlyACafeWithinWalkingDistance()
    {
        Assert.True(NearestService("Eikenrode", ["meeting_place"], cycling: false) <= WalkMetres);
        foreach (var missing in new[] { "bakery", "food_shop", "gp", "pharmacy", "primary_school", "post_point", "atm_bank", "municipal_desk" })
            Assert.True(NearestService("Eikenrode", [missing], cycling: false) > WalkMetres, $"Eikenrode has {missing} within walking distance");
    }

    [Fact]
    public void Duivenhoek_And_Ooievaarshoek_AreABuurtkarCluster()
    {
        foreach (var hamlet in new[] { "Duivenhoek", "Ooievaarshoek" })
            Assert.True(NearestService(hamlet, FoodCategories, cycling: false) > WalkMetres, $"{hamlet} has a food shop within walking distance");
        var data = DemoData.For(DemoRegionGenerator.DefaultSeed);
        var network = Build(data.Osm, cycling: false);
        var kernen = data.Features("kernen.geojson").ToDictionary(f => f.GetProperty("properties").GetProperty("name").GetString()!, PointOf);
        var between = network.From(network.Nearest(kernen["Duivenhoek"]))[network.Nearest(kernen["Ooievaarshoek"])];
        Assert.True(between < 1500, $"the hamlets are {between:F0} m apart by road");
    }

    [Fact]
    public void TheRiver_MakesEikenrodeMuchFurtherByRoadThanAsTheCrowFlies()
    {
        var data = DemoData.For(DemoRegionGenerator.DefaultSeed);
        var network = Build(data.Osm, cycling: true);
        var kernen = data.Features("kernen.geojson").ToDictionary(f => f.GetProperty("properties").GetProperty("name").GetString()!, PointOf);
        var straight = Metres.Between(kernen["Heidebeek"], kernen["Eikenrode"]);
        var road = network.From(network.Nearest(kernen["Heidebeek"]))[network.Nearest(kernen["Eikenrode"])];
        Assert.True(road > 1.25 * straight, $"road {road:F0} m vs straight {straight:F0} m");
    }
}
