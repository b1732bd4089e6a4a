using System.Diagnostics;

namespace ServiceReach.Siting;

/// <summary>
/// Greedy siting on the savings function, with lazy gain re-evaluation (gains only shrink as sites open, because the
/// function is submodular, so a stale gain is an upper bound). Ties go to the lower candidate index.
/// <para>Guarantees (the savings function is monotone submodular):</para>
/// <list type="bullet">
/// <item>k sites: savings ≥ (1 − (1 − 1/k)^k)·OPT ≥ (1 − 1/e)·OPT ≈ 0.632·OPT (Nemhauser, Wolsey &amp; Fisher 1978).</item>
/// <item>budget: the better of the cost-benefit greedy (largest gain per cost that still fits) and the best single
/// affordable site has savings ≥ ½(1 − 1/e)·OPT ≈ 0.316·OPT (Khuller, Moss &amp; Naor 1999; Leskovec et al. 2007).</item>
/// </list>
/// </summary>
public static class GreedySolver
{
    /// <summary>(1 − 1/e): the guarantee for k sites.</summary>
    public static readonly double CardinalityGuarantee = 1 - 1 / Math.E;

    /// <summary>½(1 − 1/e): the guarantee for the budget variant.</summary>
    public static readonly double BudgetGuarantee = (1 - 1 / Math.E) / 2;

    public static FacilitySolution Solve(FacilityInstance instance, SiteLimit limit)
    {
        var sw = Stopwatch.StartNew();
        if (limit.Count is { } k)
        {
            var order = Sequence(instance, k, budget: double.PositiveInfinity, perCost: false);
            return new FacilitySolution(order, instance.Savings(order), double.PositiveInfinity, false, "greedy (≥ (1 − 1/e)·OPT)", sw.Elapsed);
        }
        double budget = limit.Budget!.Value;
        var ratio = Sequence(instance, int.MaxValue, budget, perCost: true);
        double ratioValue = instance.Savings(ratio);
        int bestSingle = -1;
        double bestSingleValue = 0;
        for (int j = 0; j < instance.CandidateCount; j++)
        {
            if (instance.CandidateCost[j] > budget) continue;
            double g = Gain(instance, j, instance.Fallback);
            if (g > bestSingleValue) { bestSingleValue = g; bestSingle = j; }
        }
        var result = bestSingleValue > ratioValue ? new List<int> { bestSingle } : ratio;
        return new FacilitySolution(result, Math.Max(ratioValue, bestSingleValue), double.PositiveInfinity, false,
            "cost-benefit greedy or best single site (≥ ½(1 − 1/e)·OPT)", sw.Elapsed);
    }

    /// <summary>
    /// The greedy order: up to <paramref name="maxSites"/> sites, each the largest gain (or gain per cost) among the
    /// candidates that still fit the budget; stops when no candidate adds anything.
    /// </summary>
    public static List<int> Sequence(FacilityInstance instance, int maxSites, double budget = double.PositiveInfinity, bool perCost = false)
    {
        var current = (double[])instance.Fallback.Clone();
        var queue = new PriorityQueue<int, (double NegKey, int Index)>();
        for (int j = 0; j < instance.CandidateCount; j++)
        {
            if (instance.CandidateCost[j] > budget) continue;
            double g = Gain(instance, j, current);
            if (g > 0) queue.Enqueue(j, (-Key(g, instance.CandidateCost[j], perCost), j));
        }
        var chosen = new List<int>();
        double spent = 0;
        while (chosen.Count < maxSites && queue.TryDequeue(out int j, out var pri))
        {
            if (spent + instance.CandidateCost[j] > budget + 1e-9) continue;   // no longer fits: never will
            double g = Gain(instance, j, current);
            if (g <= 0) continue;
            double key = Key(g, instance.CandidateCost[j], perCost);
            if (queue.TryPeek(out int next, out var nextPri) && (key < -nextPri.NegKey || (key == -nextPri.NegKey && next < j)))
            {
                queue.Enqueue(j, (-key, j));   // stale: someone else may be better now
                continue;
            }
            chosen.Add(j);
            spent += instance.CandidateCost[j];
            for (int p = instance.CandidateStart[j]; p < instance.CandidateStart[j + 1]; p++)
            {
                int i = instance.CandidateDemand[p];
                if (instance.CandidatePairCost[p] < current[i]) current[i] = instance.CandidatePairCost[p];
            }
        }
        return chosen;
    }

    private static double Key(double gain, double cost, bool perCost) => perCost ? (cost > 0 ? gain / cost : double.MaxValue) : gain;

    private static double Gain(FacilityInstance instance, int j, double[] current)
    {
        double g = 0;
        for (int p = instance.CandidateStart[j]; p < instance.CandidateStart[j + 1]; p++)
        {
            double d = current[instance.CandidateDemand[p]] - instance.CandidatePairCost[p];
            if (d > 0) g += d;
        }
        return g;
    }
}

/// <summary>One point of the coverage curve: the best savings with k sites and what the k-th site adds.</summary>
public sealed record CurvePoint(int Sites, double Savings, double Marginal, IReadOnlyList<int> Open, bool ProvenOptimal, double UpperBound);

/// <summary>The value of each extra site, k = 1..K, so a municipality sees where more sites stop paying off.</summary>
public static class CoverageCurve
{
    /// <summary>Exact optimum for every k (the sets need not be nested).</summary>
    public static IReadOnlyList<CurvePoint> Exact(FacilityInstance instance, int maxSites, ExactSolverOptions? options = null)
    {
        var points = new List<CurvePoint>(maxSites);
        double previous = 0;
        for (int k = 1; k <= maxSites; k++)
        {
            var s = ExactSolver.Solve(instance, SiteLimit.Sites(k), options);
            points.Add(new CurvePoint(k, s.Savings, s.Savings - previous, s.Open, s.ProvenOptimal, s.UpperBound));
            previous = s.Savings;
        }
        return points;
    }

    /// <summary>Greedy prefix for every k (nested sets: site k is added to the k − 1 before it).</summary>
    public static IReadOnlyList<CurvePoint> Greedy(FacilityInstance instance, int maxSites)
    {
        var order = GreedySolver.Sequence(instance, maxSites);
        var points = new List<CurvePoint>(maxSites);
        double previous = 0;
        for (int k = 1; k <= maxSites; k++)
        {
            var open = order.Take(Math.Min(k, order.Count)).ToList();
            var s = instance.Savings(open);
            points.Add(new CurvePoint(k, s, s - previous, open, false, double.PositiveInfinity));
            previous = s;
        }
        return points;
    }
}
