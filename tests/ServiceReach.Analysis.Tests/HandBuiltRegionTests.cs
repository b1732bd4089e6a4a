using System.Globalization;
using ServiceReach.Analysis;
using ServiceReach.Domain;
using ServiceReach.Domain.Scoring;
using ServiceReach.Routing;

namespace ServiceReach.Analysis.Tests;

/// <summary>
/// A straight 4.2 km path along latitude 51°N (cycleway open to walkers) with three kernen and three service points.
/// Every expected time is distance / speed, with distances computed here independently (haversine).
/// </summary>
public sealed class HandBuiltRegionTests : IDisposable
{
    private const double Lat = 51.0;
    private static readonly double[] NodeLons = [4.600, 4.602, 4.620, 4.640, 4.655, 4.660];
    private readonly string _osm = Path.Combine(Path.GetTempPath(), $"sr-hand-{Guid.NewGuid():N}.osm");
    private readonly StreetNetwork _network;

    private static readonly KernInput A = new(1, "Aadorp", 4.600, Lat, 1000, 200, "99001");
    private static readonly KernInput B = new(2, "Beekhoek", 4.620, Lat, 400, 120, "99001");
    private static readonly KernInput C = new(3, "Caverhof", 4.660, Lat, 100, 30, "99002");
    private static readonly ServiceInput BakeryA = new(11, "Bakkerij A", 4.602, Lat, ["bakery"], 1);
    private static readonly ServiceInput BakeryC = new(12, "Bakkerij C", 4.655, Lat, ["bakery"], 3);
    private static readonly ServiceInput DoctorA = new(13, "Dokter A", 4.602, Lat, ["gp"], 1);

    public HandBuiltRegionTests()
    {
        var nodes = string.Join("\n", NodeLons.Select((lon, i) =>
            string.Create(CultureInfo.InvariantCulture, $"  <node id=\"{i + 1}\" lat=\"{Lat}\" lon=\"{lon}\" version=\"1\"/>")));
        var refs = string.Join("", NodeLons.Select((_, i) => $"<nd ref=\"{i + 1}\"/>"));
        File.WriteAllText(_osm, $"""
            <?xml version="1.0" encoding="UTF-8"?>
            <osm version="0.6" generator="test">
            {nodes}
              <way id="100" version="1">{refs}<tag k="highway" v="cycleway"/><tag k="foot" v="designated"/></way>
            </osm>
            """);
        _network = StreetNetwork.Build(_osm, Profile.BuiltIn);
    }

    public void Dispose() => File.Delete(_osm);

    // The whole test network is one 6-node component, below the default island size of 50: the router must still
    // treat it as the main network (default options on purpose).
    private static readonly AnalysisOptions Options = new();

    private static ServiceCatalogue Catalogue => ServiceCatalogue.Default;

    private static AnalysisInput Input(params ServiceInput[] services) => new([A, B, C], services, [], Catalogue, "test");

    private static double Meters(double lon1, double lon2) => Geo.HaversineMeters(lon1, Lat, lon2, Lat);

    private static void Near(double expected, double actual, double relative = 0.003)
        => Assert.InRange(actual, expected * (1 - relative) - 0.5, expected * (1 + relative) + 0.5);

    [Fact]
    public void Nearest_and_second_nearest_times_per_mode_equal_distance_over_speed()
    {
        var result = new AccessAnalysis(_network, options: Options).Run(Input(BakeryA, BakeryC, DoctorA));
        var walk = 4.8 / 3.6;
        var bike = 15 / 3.6;
        var slow = 3.0 / 3.6;

        var b = result.KernReach.Get(B.Id, "bakery", Mode.Walk);
        Assert.Equal(BakeryA.Id, b.NearestServiceId);
        Assert.Equal(A.Id, b.NearestServiceKernId);
        Assert.Equal(BakeryC.Id, b.SecondServiceId);
        Near(Meters(4.620, 4.602), b.Meters);
        Near(Meters(4.620, 4.602) / walk, b.Seconds);
        Near(Meters(4.620, 4.655) / walk, b.SecondSeconds);
        Near(Meters(4.620, 4.602) / bike, result.KernReach.Get(B.Id, "bakery", Mode.Bike).Seconds);
        Near(Meters(4.620, 4.602) / slow, result.KernReach.Get(B.Id, "bakery", Mode.ReducedMobilityWalk).Seconds);
        Near(Meters(4.620, 4.602) / (22 / 3.6), result.KernReach.Get(B.Id, "bakery", Mode.EBike).Seconds);

        // B is 1,261 m from bakery A: 15.8 min walking (> 15), 5 min cycling. Bakery C is 2,452 m: 9.8 min cycling.
        Assert.Equal(0, result.KernReach.Get(B.Id, "bakery", Mode.Walk).CountWithinThreshold);
        Assert.Equal(2, result.KernReach.Get(B.Id, "bakery", Mode.Bike).CountWithinThreshold);

        // C reaches the GP 4,200 m away: 52.5 min walking, 16.8 min cycling; no pharmacy anywhere → unreachable.
        Near(Meters(4.660, 4.602) / walk, result.KernReach.Get(C.Id, "gp", Mode.Walk).Seconds);
        Assert.False(result.KernReach.Get(C.Id, "pharmacy", Mode.Walk).IsReachable);
    }

    [Fact]
    public void Village_network_and_absent_services_per_municipality()
    {
        var result = new AccessAnalysis(_network, options: Options).Run(Input(BakeryA, BakeryC, DoctorA));
        // B finds its bakery in A (walking is over threshold, but it is the first mode that reaches it at all).
        var link = result.Network.Single(l => l.KernId == B.Id && l.Category == "gp");
        Assert.Equal(A.Id, link.ProviderKernId);
        Assert.Equal(Mode.Walk, link.Mode);
        // Municipality 99002 (only Caverhof) has a bakery but no GP.
        Assert.Contains("gp", result.AbsentInMunicipality["99002"]);
        Assert.DoesNotContain("bakery", result.AbsentInMunicipality["99002"]);
        Assert.DoesNotContain("gp", result.AbsentInMunicipality["99001"]);
    }

    [Fact]
    public void Closing_a_bakery_reruns_only_the_bakery_and_makes_nobody_better_off()
    {
        var analysis = new AccessAnalysis(_network, options: Options);
        var baseline = analysis.Run(Input(BakeryA, BakeryC, DoctorA));
        var (after, changes) = analysis.RunScenario(baseline, new Scenario("close A") { CloseServiceIds = [BakeryA.Id] });

        // A's nearest bakery is now C's: 3,850 m instead of 140 m.
        Near(Meters(4.600, 4.655) / (4.8 / 3.6), after.KernReach.Get(A.Id, "bakery", Mode.Walk).Seconds);
        var a = changes.Single(c => c.KernId == A.Id);
        Assert.True(a.Loses);
        Assert.DoesNotContain(changes, c => c.Reach.Any(r => r.DeltaSeconds < 0));
        Assert.All(changes.SelectMany(c => c.Reach), r => Assert.Equal("bakery", r.Category));
        // The GP figures were copied, not recomputed, and are identical.
        Assert.Equal(baseline.KernReach.Get(C.Id, "gp", Mode.Bike), after.KernReach.Get(C.Id, "gp", Mode.Bike));
        Assert.True(after.Gaps.Single(g => g.Place.Id == A.Id).Parts.Single(p => p.Category == "bakery").Score > 0);
    }

    [Fact]
    public void A_new_dorpspunt_with_two_categories_helps_the_kern_it_stands_in()
    {
        var analysis = new AccessAnalysis(_network, options: Options);
        var baseline = analysis.Run(Input(BakeryA, BakeryC, DoctorA));
        var (after, changes) = analysis.RunScenario(baseline, Scenario.Dorpspunt("Dorpspunt Beekhoek", 99, 4.6201, Lat, ["bakery", "post_point"], B.Id));
        Assert.True(after.KernReach.Get(B.Id, "bakery", Mode.Walk).Seconds < 10);
        Assert.True(after.KernReach.Get(B.Id, "post_point", Mode.Walk).IsReachable);
        var b = changes.Single(c => c.KernId == B.Id);
        Assert.True(b.GapAfter < b.GapBefore);
        Assert.DoesNotContain(changes, c => c.Loses);
        Assert.Throws<ArgumentException>(() => analysis.RunScenario(baseline, Scenario.Dorpspunt("x", 11, 4.61, Lat, ["bakery"])));
        Assert.Throws<ArgumentException>(() => analysis.RunScenario(baseline, Scenario.Dorpspunt("x", 98, 4.61, Lat, ["dentist"])));
    }

    [Fact]
    public void Layers_carry_scores_with_their_parts_and_advice_with_reasons()
    {
        var result = new AccessAnalysis(_network, options: Options).Run(Input(BakeryA, BakeryC, DoctorA));
        var kernen = AnalysisLayers.Kernen(result).ToList();
        Assert.Equal(3, kernen.Count);
        var c = kernen.Single(f => (string)f.Attributes["name"] == "Caverhof");
        var parts = c.Attributes.GetNames().Where(n => n.StartsWith("gap_", StringComparison.Ordinal) && n != "gap_score" && n != "gap_main")
            .Sum(n => (double)c.Attributes[n]);
        Assert.Equal((double)c.Attributes["gap_score"], parts, 0);
        Assert.False(string.IsNullOrEmpty((string)c.Attributes["reasons"]));
        Assert.Equal(3 * 16 * 4, AnalysisLayers.Reach(result).Count());
    }
}
