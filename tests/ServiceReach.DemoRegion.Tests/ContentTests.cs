using System.Text.Json;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.Converters;

namespace ServiceReach.DemoRegion.Tests;

public class ContentTests
{
    private static readonly string[] Codes =
    [
        "bakery", "butcher", "food_shop", "supermarket", "gp", "pharmacy", "primary_school", "nursery_school", "post_point",
        "atm_bank", "municipal_desk", "library", "welfare_centre", "childcare", "meeting_place", "digipunt",
    ];

    /// <summary>The domain's OSM tag → category mapping (docs/domain.md §4), written out here independently of the generator.</summary>
    internal static HashSet<string> CategoriesFromTags(Dictionary<string, string> tags)
    {
        var result = new HashSet<string>();
        var shop = tags.GetValueOrDefault("shop");
        var amenity = tags.GetValueOrDefault("amenity");
        if (shop == "bakery") result.Add("bakery");
        if (shop == "butcher") result.Add("butcher");
        if (shop is "convenience" or "greengrocer") result.Add("food_shop");
        if (shop == "supermarket") result.Add("supermarket");
        if (amenity == "doctors" || tags.GetValueOrDefault("healthcare") == "doctor") result.Add("gp");
        if (amenity == "pharmacy") result.Add("pharmacy");
        if (amenity == "school")
        {
            var levels = tags.GetValueOrDefault("isced:level", "1").Split(';');
            if (levels.Contains("1")) result.Add("primary_school");
            if (levels.Contains("0")) result.Add("nursery_school");
        }
        if (amenity == "kindergarten") result.Add("nursery_school");
        if (amenity == "post_office") result.Add("post_point");
        if (amenity is "atm" or "bank") result.Add("atm_bank");
        if (amenity == "townhall") result.Add("municipal_desk");
        if (amenity == "library") result.Add("library");
        if (amenity == "social_facility" && tags.GetValueOrDefault("social_facility") == "outreach") result.Add("welfare_centre");
        if (amenity == "childcare") result.Add("childcare");
        if (amenity is "community_centre" or "cafe" or "pub") result.Add("meeting_place");
        if (tags.GetValueOrDefault("service:digital_help") == "yes" || tags.GetValueOrDefault("name", "").Contains("digipunt", StringComparison.OrdinalIgnoreCase)) result.Add("digipunt");
        return result;
    }

    private static readonly JsonSerializerOptions GeoJsonOptions = new() { Converters = { new GeoJsonConverterFactory() } };

    private static Geometry Read(JsonElement geometry) => geometry.Deserialize<Geometry>(GeoJsonOptions)!;

    [Fact]
    public void Services_UseExactlyTheCatalogueCodes_AndEveryCodeAppears()
    {
        var services = DemoData.For(DemoRegionGenerator.DefaultSeed).Features("services.geojson").Select(f => f.GetProperty("properties")).ToList();
        var used = services.SelectMany(p => p.GetProperty("categories").EnumerateArray().Select(c => c.GetString()!)).ToHashSet();
        Assert.Equal(Codes.Order(), used.Order());
        Assert.All(services, p =>
        {
            Assert.Contains(p.GetProperty("channel").GetString(), new[] { "physical", "mobile", "digital" });
            Assert.Contains(p.GetProperty("status").GetString(), new[] { "open", "planned", "closed" });
            Assert.False(string.IsNullOrWhiteSpace(p.GetProperty("opening_hours").GetString()));
            Assert.True(p.GetProperty("fictional").GetBoolean());
        });
        Assert.Contains(services, p => p.GetProperty("categories").GetArrayLength() > 1);
        foreach (var status in new[] { "planned", "closed" }) Assert.Contains(services, p => p.GetProperty("status").GetString() == status);
        foreach (var channel in new[] { "mobile", "digital" }) Assert.Contains(services, p => p.GetProperty("channel").GetString() == channel);
    }

    [Fact]
    public void OsmImport_FindsExactlyTheOpenPhysicalServices_WithTheSameCategories()
    {
        var data = DemoData.For(DemoRegionGenerator.DefaultSeed);
        var osmServices = data.Osm.Nodes.Values.Where(n => CategoriesFromTags(n.Tags).Count > 0).ToDictionary(n => n.Id);
        var expected = data.Features("services.geojson")
            .Where(f => f.GetProperty("properties").GetProperty("status").GetString() == "open" && f.GetProperty("properties").GetProperty("channel").GetString() == "physical")
            .ToList();
        Assert.Equal(expected.Count, osmServices.Count);
        foreach (var feature in expected)
        {
            var p = feature.GetProperty("properties");
            var id = long.Parse(p.GetProperty("osm_id").GetString()!["node/".Length..], System.Globalization.CultureInfo.InvariantCulture);
            var node = osmServices[id];
            Assert.Equal(p.GetProperty("name").GetString(), node.Tags["name"]);
            Assert.Equal(p.GetProperty("opening_hours").GetString(), node.Tags["opening_hours"]);
            Assert.Equal(p.GetProperty("categories").EnumerateArray().Select(c => c.GetString()!).Order(), CategoriesFromTags(node.Tags).Order());
            var point = (Point)Read(feature.GetProperty("geometry"));
            Assert.Equal(point.X, node.Lon, 7);
            Assert.Equal(point.Y, node.Lat, 7);
        }
    }

    [Fact]
    public void Services_LieInsideTheBoundaryOfTheKernTheyName()
    {
        var data = DemoData.For(DemoRegionGenerator.DefaultSeed);
        var boundaries = data.Features("kernen-boundaries.geojson")
            .ToDictionary(f => f.GetProperty("properties").GetProperty("name").GetString()!, f => Read(f.GetProperty("geometry")));
        Assert.All(boundaries.Values, b => Assert.True(b.IsValid));
        foreach (var feature in data.Features("services.geojson"))
        {
            var kern = feature.GetProperty("properties").GetProperty("kern").GetString()!;
            Assert.True(boundaries[kern].Contains(Read(feature.GetProperty("geometry"))), $"{feature.GetProperty("properties").GetProperty("name")} is not inside {kern}");
        }
    }

    [Theory]
    [MemberData(nameof(OsmTests.Seeds), MemberType = typeof(OsmTests))]
    public void ServicePoints_StandWithin60MetresOfAWalkableStreet(int seed)
    {
        var data = DemoData.For(seed);
        var segments = data.Osm.Highways.Where(w => w.Highway is "tertiary" or "unclassified" or "residential")
            .SelectMany(w => w.Refs.Zip(w.Refs.Skip(1)))
            .Select(p => (Metres.Project(data.Osm.Nodes[p.First].Lat, data.Osm.Nodes[p.First].Lon), Metres.Project(data.Osm.Nodes[p.Second].Lat, data.Osm.Nodes[p.Second].Lon)))
            .ToList();
        foreach (var feature in data.Features("services.geojson"))
        {
            var c = feature.GetProperty("geometry").GetProperty("coordinates");
            var p = Metres.Project(c[1].GetDouble(), c[0].GetDouble());
            var nearest = segments.Min(s => Metres.ToSegment(p, s.Item1, s.Item2));
            Assert.True(nearest is > 1 and < 60 || feature.GetProperty("properties").GetProperty("channel").GetString() != "physical",
                $"{feature.GetProperty("properties").GetProperty("name")} stands {nearest:F1} m from the nearest street");
        }
    }

    [Fact]
    public void Kernen_HaveTheirTypologyFigures_AndLieInsideTheirBoundary()
    {
        var data = DemoData.For(DemoRegionGenerator.DefaultSeed);
        var boundaries = data.Features("kernen-boundaries.geojson")
            .ToDictionary(f => f.GetProperty("properties").GetProperty("source_id").GetString()!, f => Read(f.GetProperty("geometry")));
        var kernen = data.Features("kernen.geojson");
        Assert.Equal(8, kernen.Count);
        Assert.Equal(2, kernen.Select(k => k.GetProperty("properties").GetProperty("municipality").GetString()).Distinct().Count());
        foreach (var k in kernen)
        {
            var p = k.GetProperty("properties");
            Assert.True(p.GetProperty("fictional").GetBoolean());
            Assert.True(boundaries[p.GetProperty("source_id").GetString()!].Contains(Read(k.GetProperty("geometry"))));
            var population = p.GetProperty("population").GetInt32();
            var (min, max) = p.GetProperty("typology").GetString() switch
            {
                "town" => (5000, 7000),
                "village" => (400, 2500),
                "hamlet" => (150, 400),
                var other => throw new InvalidOperationException("unexpected typology " + other),
            };
            Assert.InRange(population, min, max);
            Assert.InRange(p.GetProperty("population_65plus").GetInt32(), population / 10, population / 2);
        }
        Assert.Single(kernen, k => k.GetProperty("properties").GetProperty("typology").GetString() == "town");
    }

    [Theory]
    [MemberData(nameof(OsmTests.Seeds), MemberType = typeof(OsmTests))]
    public void Population_SumsExactlyToEachKern_PlusLintenAndFarmsOutside(int seed)
    {
        var data = DemoData.For(seed);
        var kernen = data.Features("kernen.geojson").Select(f => f.GetProperty("properties")).ToList();
        var units = data.Features("population.geojson").Select(f => f.GetProperty("properties")).ToList();
        foreach (var k in kernen)
        {
            var mine = units.Where(u => u.GetProperty("kern_source_id").ValueKind == JsonValueKind.String
                                        && u.GetProperty("kern_source_id").GetString() == k.GetProperty("source_id").GetString()).ToList();
            Assert.NotEmpty(mine);
            Assert.Equal(k.GetProperty("population").GetInt32(), mine.Sum(u => u.GetProperty("population").GetInt32()));
            Assert.Equal(k.GetProperty("population_65plus").GetInt32(), mine.Sum(u => u.GetProperty("population_65plus").GetInt32()));
        }
        Assert.All(units, u => Assert.InRange(u.GetProperty("population_65plus").GetInt32(), 0, u.GetProperty("population").GetInt32()));
        var outside = units.Where(u => u.GetProperty("kern").ValueKind == JsonValueKind.Null).ToList();
        Assert.All(outside, u => Assert.Contains(u.GetProperty("area_type").GetString(), new[] { "lint", "verspreid" }));
        // Linten 220 + 130 + 90 and four farms 28 + 24 + 31 + 22, as designed.
        Assert.Equal(440 + 105, outside.Sum(u => u.GetProperty("population").GetInt32()));
        Assert.Equal(data.Summary.PopulationTotal, units.Sum(u => u.GetProperty("population").GetInt32()));
    }

    [Theory]
    [MemberData(nameof(OsmTests.Seeds), MemberType = typeof(OsmTests))]
    public void PopulationCells_LieInTheRegion_NearAStreet_AndDoNotOverlap(int seed)
    {
        var data = DemoData.For(seed);
        var streets = data.Osm.Highways.Where(w => w.Highway is not ("footway" or "path" or "cycleway" or "steps")).ToList();
        var segments = streets.SelectMany(w => w.Refs.Zip(w.Refs.Skip(1))).Select(p =>
            (Metres.Project(data.Osm.Nodes[p.First].Lat, data.Osm.Nodes[p.First].Lon), Metres.Project(data.Osm.Nodes[p.Second].Lat, data.Osm.Nodes[p.Second].Lon))).ToList();
        var cells = data.Features("population.geojson").Select(f => Read(f.GetProperty("geometry"))).ToList();
        var region = new Envelope(data.Summary.West, data.Summary.East, data.Summary.South, data.Summary.North);
        foreach (var cell in cells)
        {
            Assert.True(region.Contains(cell.EnvelopeInternal));
            var centre = Metres.Project(cell.Centroid.Y, cell.Centroid.X);
            var nearest = segments.Min(s => Metres.ToSegment(centre, s.Item1, s.Item2));
            Assert.True(nearest < 150, $"a population cell lies {nearest:F0} m from the nearest street");
        }
        var union = NetTopologySuite.Operation.Union.CascadedPolygonUnion.Union(cells);
        Assert.Equal(cells.Sum(c => c.Area), union.Area, 9);
    }

    [Fact]
    public void Municipalities_PartitionTheRegion_AndHoldThePeopleInside()
    {
        var data = DemoData.For(DemoRegionGenerator.DefaultSeed);
        var municipalities = data.Features("municipalities.geojson");
        Assert.Equal(2, municipalities.Count);
        var units = data.Features("population.geojson").Select(f => (Props: f.GetProperty("properties"), Geometry: Read(f.GetProperty("geometry")))).ToList();
        var kernen = data.Features("kernen.geojson").ToList();
        var total = 0.0;
        foreach (var m in municipalities)
        {
            var polygon = Read(m.GetProperty("geometry"));
            Assert.True(polygon.IsValid);
            total += polygon.Area;
            var p = m.GetProperty("properties");
            Assert.Matches("^99[0-9]{3}$", p.GetProperty("nis_code").GetString()!);
            var inside = units.Where(u => polygon.Contains(u.Geometry.Centroid)).ToList();
            Assert.Equal(p.GetProperty("population").GetInt32(), inside.Sum(u => u.Props.GetProperty("population").GetInt32()));
            Assert.All(inside, u => Assert.Equal(p.GetProperty("name").GetString(), u.Props.GetProperty("municipality").GetString()));
            foreach (var k in kernen.Where(k => polygon.Contains(Read(k.GetProperty("geometry")))))
                Assert.Equal(p.GetProperty("name").GetString(), k.GetProperty("properties").GetProperty("municipality").GetString());
        }
        var region = new Envelope(data.Summary.West, data.Summary.East, data.Summary.South, data.Summary.North);
        Assert.Equal(region.Area, total, 9);
    }

    [Fact]
    public void Names_AreNotRealFlemishDeelgemeenten()
    {
        var path = Testing.SharedGeoData.Require("admin/geojson/deelgemeente2024.wgs84.geojson");
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var real = doc.RootElement.GetProperty("features").EnumerateArray()
            .Select(f => f.GetProperty("properties").GetProperty("naam").GetString()!)
            .Select(n => n.Split(" (")[0].Trim().ToLowerInvariant()).ToHashSet();
        Assert.True(real.Count > 500, "the deelgemeente list looks incomplete");
        var data = DemoData.For(DemoRegionGenerator.DefaultSeed);
        var ours = data.Features("kernen.geojson").Select(f => f.GetProperty("properties").GetProperty("name").GetString()!)
            .Concat(data.Features("municipalities.geojson").Select(f => f.GetProperty("properties").GetProperty("name").GetString()!));
        Assert.All(ours, name => Assert.DoesNotContain(name.ToLowerInvariant(), real));
    }
}
