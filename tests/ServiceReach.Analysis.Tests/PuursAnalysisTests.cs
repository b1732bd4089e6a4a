using ServiceReach.Analysis;
using ServiceReach.Domain;
using ServiceReach.Domain.Scoring;
using ServiceReach.Exchange.Import;
using ServiceReach.Routing;
using ServiceReach.Storage;
using ServiceReach.Testing;

namespace ServiceReach.Analysis.Tests;

/// <summary>
/// The whole pipeline on the real Puurs extract: its place nodes as kernen and its POIs as services, imported into a
/// scratch PostGIS, analysed over the street network. Checks stability and monotonicity, which hold for any correct engine.
/// </summary>
public sealed class PuursFixture : IAsyncLifetime
{
    public string ConnectionString { get; private set; } = "";
    public StreetNetwork Network { get; private set; } = null!;
    public AnalysisInput Input { get; private set; } = null!;
    public AnalysisResult Baseline { get; private set; } = null!;
    public AccessAnalysis Analysis { get; private set; } = null!;
    public string? SkipReason { get; private set; }

    public async ValueTask InitializeAsync()
    {
        var pbf = SharedGeoData.Folder is { } root ? Path.Combine(root, "osm", "puurs.osm.pbf") : null;
        if (pbf is null || !File.Exists(pbf))
        {
            SkipReason = "../shared/geodata/osm/puurs.osm.pbf is absent; the Puurs analysis tests need it.";
            return;
        }
        ConnectionString = PostGisServer.CreateScratchDatabase("puurs_analysis");
        await RegionLoader.LoadOsmAsync(ConnectionString, pbf, "osm-puurs");
        Network = StreetNetwork.Build(pbf, Profile.BuiltIn);
        Input = await StoredAnalysis.LoadAsync(ConnectionString, null, ServiceCatalogue.Default, "Puurs");
        // Kernen without a population tag count one resident, so they still show up in the scores.
        Input = Input with { Kernen = Input.Kernen.Select(k => k.Population > 0 ? k : k with { Population = 1 }).ToList() };
        Analysis = new AccessAnalysis(Network, options: new AnalysisOptions { StreetModes = [Mode.Walk, Mode.ReducedMobilityWalk, Mode.Bike] });
        Baseline = Analysis.Run(Input);
    }

    public ValueTask DisposeAsync()
    {
        if (ConnectionString.Length > 0) PostGisServer.DropScratchDatabase(ConnectionString);
        return ValueTask.CompletedTask;
    }
}

public sealed class PuursAnalysisTests(PuursFixture fx) : IClassFixture<PuursFixture>
{
    private void SkipIfAbsent()
    {
        if (fx.SkipReason is { } why) Assert.Skip(why);
    }

    [Fact]
    public void Twenty_place_nodes_become_kernen_and_every_one_reaches_a_supermarket_by_bike()
    {
        SkipIfAbsent();
        Assert.Equal(20, fx.Input.Kernen.Count);
        // osmium tags-filter finds 23 objects tagged shop=supermarket in the extract (nodes and building ways).
        Assert.InRange(fx.Input.Services.Count(s => s.Categories.Contains("supermarket")), 20, 23);
        foreach (var k in fx.Baseline.Kernen)
        {
            var r = fx.Baseline.KernReach.Get(k.Id, "supermarket", Mode.Bike);
            Assert.True(r.IsReachable, $"{k.Name} reaches no supermarket by bike");
            // Cycling is never slower than walking to the same category over the same streets (15 vs 4.8 km/h),
            // except where one-way streets or cycling bans force a detour; allow the walking time itself as bound.
            Assert.True(r.Seconds <= fx.Baseline.KernReach.Get(k.Id, "supermarket", Mode.Walk).Seconds + 1);
        }
    }

    [Fact]
    public void Counts_within_the_threshold_equal_a_plain_search_to_every_service()
    {
        SkipIfAbsent();
        // The analysis prefilters services by straight-line distance before its bounded searches; check against no prefilter.
        foreach (var mode in new[] { Mode.Walk, Mode.Bike })
        {
            var router = fx.Network.For(ModeProfiles.ProfileName(mode));
            var open = fx.Input.Services.Where(s => s.CountsForReach).ToList();
            var snaps = open.Select(s => router.Snap(new GeoPoint(s.Lon, s.Lat))).ToList();
            foreach (var k in fx.Baseline.Kernen)
            {
                var times = router.OneToMany(router.Snap(new GeoPoint(k.Lon, k.Lat)), snaps);
                foreach (var c in new[] { "bakery", "supermarket", "primary_school", "pharmacy" })
                {
                    var thr = ServiceCatalogue.Default.ThresholdFor(c, mode).Seconds;
                    var expected = open.Where((s, i) => s.Categories.Contains(c) && times.Seconds[i] <= thr).Count();
                    Assert.Equal(expected, fx.Baseline.KernReach.Get(k.Id, c, mode).CountWithinThreshold);
                }
            }
        }
    }

    [Fact]
    public void Results_are_stable_across_runs()
    {
        SkipIfAbsent();
        var again = fx.Analysis.Run(fx.Input);
        foreach (var k in fx.Baseline.Kernen)
        {
            foreach (var c in fx.Baseline.KernReach.Categories)
            {
                foreach (var m in fx.Baseline.KernReach.Modes)
                    Assert.Equal(fx.Baseline.KernReach.Get(k.Id, c, m), again.KernReach.Get(k.Id, c, m));
            }
        }
        Assert.Equal(fx.Baseline.Gaps.Select(g => g.Total), again.Gaps.Select(g => g.Total));
        Assert.Equal(fx.Baseline.Advice.Select(a => a.Primary), again.Advice.Select(a => a.Primary));
    }

    [Fact]
    public void Closing_any_bakery_never_makes_a_kern_better_and_adding_one_never_makes_one_worse()
    {
        SkipIfAbsent();
        var bakeries = fx.Input.Services.Where(s => s.CountsForReach && s.Categories.Contains("bakery")).Take(4).ToList();
        Assert.NotEmpty(bakeries);
        foreach (var b in bakeries)
        {
            var (_, changes) = fx.Analysis.RunScenario(fx.Baseline, new Scenario("close " + b.Name) { CloseServiceIds = [b.Id] });
            Assert.All(changes.SelectMany(c => c.Reach), r => Assert.True(r.DeltaSeconds >= 0, $"closing {b.Name} improved {r.Category}"));
            Assert.All(changes, c => Assert.True(c.GapAfter >= c.GapBefore - 1e-9));
        }
        foreach (var k in fx.Input.Kernen.Take(5))
        {
            var (_, changes) = fx.Analysis.RunScenario(fx.Baseline, Scenario.Dorpspunt("new in " + k.Name, 9_000_000 + k.Id, k.Lon, k.Lat, ["bakery", "post_point"], k.Id));
            Assert.All(changes.SelectMany(c => c.Reach), r => Assert.True(r.DeltaSeconds <= 0, $"a new dorpspunt in {k.Name} worsened {r.Category}"));
            Assert.All(changes, c => Assert.True(c.GapAfter <= c.GapBefore + 1e-9));
        }
    }

    [Fact]
    public void A_kern_whose_only_walkable_bakeries_close_shows_the_bakery_gap_and_changed_advice()
    {
        SkipIfAbsent();
        // Find a kern with bakeries within walking distance; close every bakery within its walking threshold.
        var thr = ServiceCatalogue.Default.ThresholdFor("bakery", Mode.Walk).Seconds;
        var router = fx.Network.For("pedestrian");
        foreach (var k in fx.Baseline.Kernen.OrderByDescending(k => k.Population))
        {
            if (fx.Baseline.KernReach.Get(k.Id, "bakery", Mode.Walk).Seconds > thr) continue;
            var origin = router.Snap(new GeoPoint(k.Lon, k.Lat));
            var bakeries = fx.Input.Services.Where(s => s.CountsForReach && s.Categories.Contains("bakery")).ToList();
            var times = router.OneToMany(origin, bakeries.Select(b => router.Snap(new GeoPoint(b.Lon, b.Lat))).ToList(), thr);
            var close = bakeries.Where((_, i) => times.Seconds[i] <= thr).Select(b => b.Id).ToList();
            var (after, changes) = fx.Analysis.RunScenario(fx.Baseline, new Scenario("bakeries close") { CloseServiceIds = close });
            Assert.True(after.KernReach.Get(k.Id, "bakery", Mode.Walk).Seconds > thr);
            Assert.Contains("bakery", after.Advice.Single(a => a.KernId == k.Id).MissingWithinWalking);
            var change = changes.Single(c => c.KernId == k.Id);
            Assert.Contains(change.Reach, r => r.Category == "bakery" && r.Mode == Mode.Walk);
            Assert.True(change.GapAfter > change.GapBefore);
            return;
        }
        Assert.Fail("no Puurs kern has a bakery within walking distance — the extract has 13 bakeries, so this is a defect");
    }
}
