using ServiceReach.Analysis;
using ServiceReach.Domain;

namespace ServiceReach.Siting.Tests;

/// <summary>Dorpspunt siting end to end on the fictional demo region: network times, reasons, and the scenario rerun.</summary>
public sealed class DemoSitingTests(DemoRegionFixture fx) : IClassFixture<DemoRegionFixture>
{
    private SitingProblem Problem() => SitingProblem.Build(fx.Baseline, fx.Network, CandidateSources.FromKernen(fx.Kernen));

    [Fact]
    public void Demand_lacks_exactly_what_the_reach_table_says_and_coverage_uses_network_times()
    {
        var p = Problem();
        Assert.Equal(fx.Baseline.Units.Count, p.Demand.Count);   // population units are the demand
        var thr = p.ThresholdSeconds;
        Assert.Equal(900, thr);
        foreach (var d in p.Demand)
        {
            var food = new[] { "food_shop", "bakery", "butcher", "supermarket" }.Min(c => fx.Baseline.UnitReach!.Get(d.Place.Id, c, Mode.Walk).Seconds);
            Assert.Equal(food > thr, d.Missing.Contains("food_shop"));
            Assert.Equal(fx.Baseline.UnitReach!.Get(d.Place.Id, "post_point", Mode.Walk).Seconds > thr, d.Missing.Contains("post_point"));
        }
        // A site covers a unit only within 900 s over the network; the straight line alone would allow 1,200 m at 4.8 km/h.
        for (int i = 0; i < p.Demand.Count; i++)
        {
            for (int j = 0; j < p.Candidates.Count; j++)
            {
                double straight = Geo.HaversineMeters(p.Demand[i].Place.Lon, p.Demand[i].Place.Lat, p.Candidates[j].Lon, p.Candidates[j].Lat);
                if (p.Seconds[i, j] <= thr) Assert.True(straight <= 4.8 / 3.6 * thr + 600, $"unit {i} covered by {p.Candidates[j].Name} at {straight:F0} m straight");
            }
        }
    }

    [Fact]
    public void Best_single_site_is_the_enumerated_best_and_adopting_it_closes_the_gaps_it_claims()
    {
        var p = Problem();
        var plan = p.Solve(SitingModel.Covering, SiteLimit.Sites(1));
        Assert.True(plan.ProvenOptimal);
        var site = Assert.Single(plan.Sites);
        // Enumerate: value of each candidate computed here from the demand list and the matrix.
        double Value(int j) => Enumerable.Range(0, p.Demand.Count).Where(i => p.Seconds[i, j] <= p.ThresholdSeconds).Sum(i => p.Demand[i].Weight * p.Demand[i].Missing.Count);
        var best = Enumerable.Range(0, p.Candidates.Count).Max(Value);
        Assert.Equal(best, plan.Objective, 6);
        Assert.True(plan.ResidentsGaining > 0);
        Assert.Contains(site.Site.Name, site.Reason);

        // Adopt the site and rerun the access analysis: every unit the plan says gains a category now reaches it on foot within the threshold.
        var scenario = p.ToScenario(plan, 9_000_000, fx.Kernen);
        var (after, changes) = fx.Analysis.RunScenario(fx.Baseline, scenario);
        foreach (var g in site.Gains)
        {
            foreach (var c in g.Categories)
            {
                var r = after.UnitReach!.Get(g.PlaceId, c.Category, Mode.Walk);
                Assert.True(r.Seconds <= p.ThresholdSeconds + 1, $"unit {g.PlaceId} should reach {c.Category} within 900 s, got {r.Seconds:F0}");
                Assert.True(c.SecondsAfter <= c.SecondsBefore);
            }
        }
        Assert.NotEmpty(changes);
        Assert.All(changes, c => Assert.True(c.GapAfter <= c.GapBefore + 1e-9));
    }

    [Fact]
    public void P_median_never_increases_weighted_time_and_exact_beats_greedy()
    {
        var p = Problem();
        var exact = p.Solve(SitingModel.Median, SiteLimit.Sites(2));
        var greedy = p.Solve(SitingModel.Median, SiteLimit.Sites(2), exact: false);
        Assert.True(exact.Objective <= p.Median.TotalFallback + 1e-6);
        Assert.True(exact.Objective <= greedy.Objective + 1e-6);
        var curve = p.Curve(4);
        for (int k = 1; k < curve.Count; k++) Assert.True(curve[k].Savings >= curve[k - 1].Savings - 1e-9);
        Assert.Equal(p.Solve(SitingModel.Covering, SiteLimit.Sites(3)).Savings, curve[2].Savings, 6);
    }

    [Fact]
    public void Budget_plan_with_site_costs_stays_within_budget_and_matches_enumeration()
    {
        // Kern centres with costs 1, 2, 3, 1, 2, 3, …; budget 4.
        var candidates = CandidateSources.FromKernen(fx.Kernen).Select((c, i) => c with { Cost = 1 + i % 3 }).ToList();
        var p = SitingProblem.Build(fx.Baseline, fx.Network, candidates);
        var plan = p.Solve(SitingModel.Covering, SiteLimit.WithBudget(4));
        Assert.True(plan.Sites.Sum(s => s.Site.Cost) <= 4);
        double best = 0;
        for (int mask = 0; mask < 1 << candidates.Count; mask++)
        {
            var open = Enumerable.Range(0, candidates.Count).Where(j => (mask >> j & 1) == 1).ToList();
            if (open.Sum(j => candidates[j].Cost) > 4) continue;
            best = Math.Max(best, p.Covering.Savings(open));
        }
        Assert.Equal(best, plan.Objective, 6);
        var greedy = p.Solve(SitingModel.Covering, SiteLimit.WithBudget(4), exact: false);
        Assert.True(greedy.Sites.Sum(s => s.Site.Cost) <= 4);
        Assert.InRange(greedy.Objective, GreedySolver.BudgetGuarantee * best - 1e-9, best + 1e-9);
    }
}
