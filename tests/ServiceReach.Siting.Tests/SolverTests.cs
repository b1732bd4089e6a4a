namespace ServiceReach.Siting.Tests;

/// <summary>Exact and greedy solvers against brute-force enumeration of every site set on small random instances.</summary>
public sealed class SolverTests
{
    /// <summary>Random covering instance: demand and candidates scattered on a square, coverage within a radius.</summary>
    private static FacilityInstance RandomCovering(Random rnd, int demand, int candidates, bool withCosts)
    {
        var dp = Enumerable.Range(0, demand).Select(_ => (rnd.NextDouble(), rnd.NextDouble())).ToArray();
        var values = Enumerable.Range(0, demand).Select(_ => (double)rnd.Next(1, 500)).ToArray();
        double radius = 0.15 + 0.2 * rnd.NextDouble();
        var covers = new List<IReadOnlyList<int>>();
        for (int j = 0; j < candidates; j++)
        {
            var (x, y) = (rnd.NextDouble(), rnd.NextDouble());
            covers.Add(Enumerable.Range(0, demand).Where(i => Math.Pow(dp[i].Item1 - x, 2) + Math.Pow(dp[i].Item2 - y, 2) <= radius * radius).ToList());
        }
        var costs = withCosts ? Enumerable.Range(0, candidates).Select(_ => (double)rnd.Next(1, 6)).ToArray() : null;
        return FacilityInstance.Covering(values, covers, costs);
    }

    /// <summary>Random p-median instance: weighted travel times, fallback = weighted time to an existing facility.</summary>
    private static FacilityInstance RandomMedian(Random rnd, int demand, int candidates)
    {
        var dp = Enumerable.Range(0, demand).Select(_ => (rnd.NextDouble(), rnd.NextDouble())).ToArray();
        var cp = Enumerable.Range(0, candidates).Select(_ => (rnd.NextDouble(), rnd.NextDouble())).ToArray();
        var existing = (rnd.NextDouble(), rnd.NextDouble());
        var w = Enumerable.Range(0, demand).Select(_ => (double)rnd.Next(1, 100)).ToArray();
        static double D((double, double) a, (double, double) b) => Math.Sqrt(Math.Pow(a.Item1 - b.Item1, 2) + Math.Pow(a.Item2 - b.Item2, 2)) * 1000;
        var fallback = Enumerable.Range(0, demand).Select(i => w[i] * D(dp[i], existing)).ToArray();
        var pairs = new List<(int, int, double)>();
        for (int i = 0; i < demand; i++)
            for (int j = 0; j < candidates; j++) pairs.Add((i, j, w[i] * D(dp[i], cp[j])));
        return FacilityInstance.Create(fallback, candidates, pairs);
    }

    /// <summary>Best savings over every subset allowed by the limit.</summary>
    private static double BruteForce(FacilityInstance inst, SiteLimit limit)
    {
        double best = 0;
        int n = inst.CandidateCount;
        for (int mask = 0; mask < 1 << n; mask++)
        {
            var open = Enumerable.Range(0, n).Where(j => (mask >> j & 1) == 1).ToList();
            if (limit.Count is { } k && open.Count > k) continue;
            if (limit.Budget is { } b && inst.OpeningCost(open) > b + 1e-9) continue;
            best = Math.Max(best, inst.Savings(open));
        }
        return best;
    }

    private static void AssertClose(double expected, double actual, string what)
        => Assert.True(Math.Abs(expected - actual) <= 1e-6 * Math.Max(1, Math.Abs(expected)), $"{what}: expected {expected}, got {actual}");

    [Fact]
    public void Exact_covering_equals_brute_force_and_greedy_meets_its_guarantee()
    {
        var rnd = new Random(7);
        for (int run = 0; run < 25; run++)
        {
            var inst = RandomCovering(rnd, rnd.Next(10, 40), rnd.Next(4, 12), withCosts: false);
            int k = rnd.Next(1, 5);
            var opt = BruteForce(inst, SiteLimit.Sites(k));
            foreach (var engine in new[] { ExactEngine.Scip, ExactEngine.CpSat })
            {
                var e = ExactSolver.Solve(inst, SiteLimit.Sites(k), new ExactSolverOptions { Engine = engine, HintWithGreedy = run % 2 == 0 });
                Assert.True(e.ProvenOptimal);
                Assert.True(e.Open.Count <= k);
                AssertClose(opt, e.Savings, $"run {run} exact {engine}");
            }
            var greedy = GreedySolver.Solve(inst, SiteLimit.Sites(k));
            Assert.True(greedy.Open.Count <= k);
            Assert.True(greedy.Savings <= opt + 1e-9, $"run {run}: greedy {greedy.Savings} beats the optimum {opt}");
            Assert.True(greedy.Savings >= GreedySolver.CardinalityGuarantee * opt - 1e-9, $"run {run}: greedy {greedy.Savings} < (1 − 1/e)·{opt}");
        }
    }

    [Fact]
    public void Exact_budget_covering_equals_brute_force_and_budget_greedy_meets_half_its_guarantee()
    {
        var rnd = new Random(11);
        for (int run = 0; run < 25; run++)
        {
            var inst = RandomCovering(rnd, rnd.Next(10, 40), rnd.Next(4, 12), withCosts: true);
            double budget = rnd.Next(2, 10);
            var limit = SiteLimit.WithBudget(budget);
            var opt = BruteForce(inst, limit);
            foreach (var engine in new[] { ExactEngine.Scip, ExactEngine.CpSat })
            {
                var exact = ExactSolver.Solve(inst, limit, new ExactSolverOptions { Engine = engine });
                Assert.True(inst.OpeningCost(exact.Open) <= budget + 1e-9);
                AssertClose(opt, exact.Savings, $"run {run} exact budget {engine}");
            }
            var greedy = GreedySolver.Solve(inst, limit);
            Assert.True(inst.OpeningCost(greedy.Open) <= budget + 1e-9, $"run {run}: greedy overspends");
            Assert.True(greedy.Savings <= opt + 1e-9);
            Assert.True(greedy.Savings >= GreedySolver.BudgetGuarantee * opt - 1e-9, $"run {run}: greedy {greedy.Savings} < ½(1 − 1/e)·{opt}");
        }
    }

    [Fact]
    public void Exact_p_median_equals_brute_force_and_greedy_never_beats_it()
    {
        var rnd = new Random(3);
        for (int run = 0; run < 20; run++)
        {
            var inst = RandomMedian(rnd, rnd.Next(8, 25), rnd.Next(4, 10));
            int k = rnd.Next(1, 4);
            var opt = BruteForce(inst, SiteLimit.Sites(k));
            foreach (var engine in new[] { ExactEngine.Scip, ExactEngine.CpSat })
            {
                var exact = ExactSolver.Solve(inst, SiteLimit.Sites(k), new ExactSolverOptions { Engine = engine });
                AssertClose(opt, exact.Savings, $"run {run} p-median {engine}");
                AssertClose(inst.TotalFallback - opt, inst.TotalCost(exact.Open), $"run {run} p-median total cost {engine}");
            }
            var greedy = GreedySolver.Solve(inst, SiteLimit.Sites(k));
            Assert.True(greedy.Savings <= opt + 1e-9);
            Assert.True(greedy.Savings >= GreedySolver.CardinalityGuarantee * opt - 1e-9);
        }
    }

    [Fact]
    public void Hand_built_case_where_greedy_is_suboptimal_but_exact_is_not()
    {
        // Four demand points in a row: 0 (4), 1 (3), 2 (3), 3 (4); candidate 0 covers the middle {1, 2},
        // candidate 1 the left pair {0, 1}, candidate 2 the right pair {2, 3}.
        var inst = FacilityInstance.Covering([4, 3, 3, 4], [[1, 2], [0, 1], [2, 3]]);
        var greedy = GreedySolver.Solve(inst, SiteLimit.Sites(2));
        var exact = ExactSolver.Solve(inst, SiteLimit.Sites(2));
        // Candidate gains: 0 → 6, 1 → 7, 2 → 7. Greedy takes 1 (tie with 2, lower index), then 2 (gain 7): 14 = all demand.
        Assert.Equal([1, 2], greedy.Open);
        Assert.Equal(14, greedy.Savings);
        Assert.Equal(14, exact.Savings);

        // Now make the middle attractive: demand 1 and 2 worth 5 each → cand 0 gains 10, 1 and 2 gain 9 each.
        var trap = FacilityInstance.Covering([4, 5, 5, 4], [[1, 2], [0, 1], [2, 3]]);
        var g2 = GreedySolver.Solve(trap, SiteLimit.Sites(2));
        var e2 = ExactSolver.Solve(trap, SiteLimit.Sites(2));
        Assert.Equal([0, 1], g2.Open);     // 10, then candidate 1 adds 4 (tie with 2 → lower index)
        Assert.Equal(14, g2.Savings);
        Assert.Equal(18, e2.Savings);      // 1 + 2 cover everything
        Assert.Equal([1, 2], e2.Open.Order());
    }

    [Fact]
    public void Coverage_curve_is_non_decreasing_and_greedy_curve_stays_below_exact()
    {
        var inst = RandomCovering(new Random(5), 60, 14, withCosts: false);
        var exact = CoverageCurve.Exact(inst, 6);
        var greedy = CoverageCurve.Greedy(inst, 6);
        for (int k = 0; k < 6; k++)
        {
            AssertClose(BruteForce(inst, SiteLimit.Sites(k + 1)), exact[k].Savings, $"k = {k + 1}");
            Assert.True(exact[k].Marginal >= -1e-9);
            Assert.True(greedy[k].Savings <= exact[k].Savings + 1e-9);
            if (k > 0) Assert.True(exact[k].Savings >= exact[k - 1].Savings - 1e-9);
        }
    }

    [Fact]
    public void A_time_limited_exact_run_is_never_worse_than_greedy_and_never_above_its_bound()
    {
        var inst = RandomCovering(new Random(19), 400, 300, withCosts: false);
        var greedy = GreedySolver.Solve(inst, SiteLimit.Sites(15));
        foreach (var engine in new[] { ExactEngine.Scip, ExactEngine.CpSat })
        {
            var e = ExactSolver.Solve(inst, SiteLimit.Sites(15), new ExactSolverOptions { Engine = engine, TimeLimitSeconds = 0.05 });
            Assert.True(e.Open.Count <= 15);
            Assert.True(e.Savings >= greedy.Savings - 1e-9, $"{engine}: {e.Savings} < greedy {greedy.Savings}");
            Assert.True(e.UpperBound >= e.Savings - 1e-6, $"{engine}: bound {e.UpperBound} < savings {e.Savings}");
            Assert.Equal(inst.Savings(e.Open), e.Savings, 6);
            if (e.ProvenOptimal) Assert.Equal(0, e.Gap, 9);
        }
    }

    [Fact]
    public void Pairs_that_cannot_improve_the_fallback_are_dropped()
    {
        var inst = FacilityInstance.Create([10, 5], 2, [(0, 0, 3), (0, 0, 12), (1, 0, 5), (1, 1, 1)]);
        Assert.Equal(2, inst.PairCount);   // (0,0,3) and (1,1,1); cost 5 ≥ fallback 5 changes nothing
        Assert.Equal(7, inst.Savings([0]));
        Assert.Equal(11, inst.Savings([0, 1]));
        Assert.Equal(4, inst.TotalCost([0, 1]));
    }
}
