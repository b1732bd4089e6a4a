using ServiceReach.Analysis;
using ServiceReach.Domain;
using ServiceReach.Exchange.Import;
using ServiceReach.Routing;
using ServiceReach.Storage;
using ServiceReach.Testing;

namespace ServiceReach.Siting.Tests;

/// <summary>The real Puurs extract imported into a scratch PostGIS (as the analysis tests do), analysed for walking.</summary>
public sealed class PuursSitingFixture : IAsyncLifetime
{
    public string ConnectionString { get; private set; } = "";
    public string Pbf { get; private set; } = "";
    public StreetNetwork Network { get; private set; } = null!;
    public AnalysisResult Baseline { get; private set; } = null!;
    public string? SkipReason { get; private set; }

    public async ValueTask InitializeAsync()
    {
        var pbf = SharedGeoData.Folder is { } root ? Path.Combine(root, "osm", "puurs.osm.pbf") : null;
        if (pbf is null || !File.Exists(pbf))
        {
            SkipReason = "../shared/geodata/osm/puurs.osm.pbf is absent; the Puurs siting test needs it.";
            return;
        }
        Pbf = pbf;
        ConnectionString = PostGisServer.CreateScratchDatabase("puurs_siting");
        await RegionLoader.LoadOsmAsync(ConnectionString, pbf, "osm-puurs");
        Network = StreetNetwork.Build(pbf, Profile.BuiltIn);
        var input = await StoredAnalysis.LoadAsync(ConnectionString, null, ServiceCatalogue.Default, "Puurs");
        // Kernen without a population tag count one resident, as in the analysis tests.
        input = input with { Kernen = input.Kernen.Select(k => k.Population > 0 ? k : k with { Population = 1 }).ToList() };
        Baseline = new AccessAnalysis(Network, options: new AnalysisOptions { StreetModes = [Mode.Walk] }).Run(input);
    }

    public ValueTask DisposeAsync()
    {
        if (ConnectionString.Length > 0) PostGisServer.DropScratchDatabase(ConnectionString);
        return ValueTask.CompletedTask;
    }
}

public sealed class PuursSitingTests(PuursSitingFixture fx) : IClassFixture<PuursSitingFixture>
{
    [Fact]
    public void Top_site_for_one_dorpspunt_covers_at_least_as_much_as_every_other_single_candidate()
    {
        if (fx.SkipReason is { } why) Assert.Skip(why);
        var candidates = CandidateSources.FromKernen(fx.Baseline.Input.Kernen).Concat(CandidateSources.FromOsm(fx.Pbf)).ToList();
        Assert.Contains(candidates, c => c.Kind == "place_of_worship");
        var problem = SitingProblem.Build(fx.Baseline, fx.Network, candidates);
        var plan = problem.Solve(SitingModel.Covering, SiteLimit.Sites(1));
        Assert.True(plan.ProvenOptimal);
        var top = Assert.Single(plan.Sites);

        // Enumeration, independent of the solver and the instance: per candidate, the weighted residents × missing bundle
        // categories of every place within 15 min walking, with "missing" read from the analysis' reach table here.
        var reach = fx.Baseline.KernReach;
        var bundle = new[] { new[] { "food_shop", "bakery", "butcher", "supermarket" }, ["post_point"], ["atm_bank"], ["meeting_place"], ["municipal_desk"] };
        double Missing(long placeId) => bundle.Count(group => group.Min(c => reach.Get(placeId, c, Mode.Walk).Seconds) > 900);
        double Value(int j)
        {
            double v = 0;
            for (int i = 0; i < problem.Demand.Count; i++)
            {
                var place = problem.Demand[i].Place;
                if (problem.Seconds[i, j] > 900) continue;
                int p65 = Math.Min(place.Population, place.Population65Plus);
                v += (place.Population - p65 + 1.5 * p65) * Missing(place.Id);
            }
            return v;
        }
        int topIndex = problem.Candidates.ToList().IndexOf(top.Site);
        double topValue = Value(topIndex);
        Assert.True(topValue > 0, "some Puurs kern lacks a bundle category, so the best site covers something");
        Assert.Equal(topValue, plan.Objective, 6);
        for (int j = 0; j < problem.Candidates.Count; j++)
            Assert.True(topValue >= Value(j) - 1e-9, $"{problem.Candidates[j].Name} covers {Value(j)} > top {top.Site.Name} {topValue}");

        // The curve's value per extra site never grows beyond the previous best plus what a single best site adds (submodularity bound).
        var curve = problem.Curve(10);
        Assert.Equal(topValue, curve[0].Savings, 6);
        for (int k = 1; k < curve.Count; k++) Assert.True(curve[k].Savings <= curve[k - 1].Savings + curve[0].Savings + 1e-6);
    }
}
