namespace ServiceReach.Siting;

/// <summary>
/// A facility-location instance in "savings" form, which covers both models the siting needs:
/// every demand point i has a fallback cost f_i (what it loses with no new site) and, for some candidates j,
/// a cost c_ij &lt; f_i when served by j. Opening a set S saves Σ_i max(0, f_i − min_{j∈S} c_ij).
/// <list type="bullet">
/// <item>MCLP (maximal covering): f_i = value of demand i, c_ij = 0 when j covers i: savings = covered value.</item>
/// <item>p-median with already-open facilities: f_i = weighted time to the existing services, c_ij = weighted time when j
/// opens; minimising total weighted time = Σ f_i − maximising savings.</item>
/// </list>
/// The savings function is monotone and submodular, which is what the greedy guarantee rests on.
/// Stored as two CSR adjacency lists (by demand and by candidate) of flat arrays.
/// </summary>
public sealed class FacilityInstance
{
    private FacilityInstance(double[] fallback, double[] candidateCost, int[] demandStart, int[] pairCandidate, double[] pairCost)
    {
        Fallback = fallback;
        CandidateCost = candidateCost;
        DemandStart = demandStart;
        PairCandidate = pairCandidate;
        PairCost = pairCost;
        // Transpose to candidate-major order for the greedy gains.
        var count = new int[candidateCost.Length + 1];
        foreach (var j in pairCandidate) count[j + 1]++;
        for (int j = 0; j < candidateCost.Length; j++) count[j + 1] += count[j];
        CandidateStart = (int[])count.Clone();
        CandidateDemand = new int[pairCandidate.Length];
        CandidatePairCost = new double[pairCandidate.Length];
        var fill = (int[])count.Clone();
        for (int i = 0; i < fallback.Length; i++)
        {
            for (int p = demandStart[i]; p < demandStart[i + 1]; p++)
            {
                int at = fill[pairCandidate[p]]++;
                CandidateDemand[at] = i;
                CandidatePairCost[at] = pairCost[p];
            }
        }
    }

    public int DemandCount => Fallback.Length;
    public int CandidateCount => CandidateCost.Length;
    public int PairCount => PairCandidate.Length;

    /// <summary>f_i: the cost of demand i when no new site serves it.</summary>
    public double[] Fallback { get; }
    /// <summary>Cost of opening each candidate (budget variant); 1 when not given.</summary>
    public double[] CandidateCost { get; }
    internal int[] DemandStart { get; }
    internal int[] PairCandidate { get; }
    internal double[] PairCost { get; }
    internal int[] CandidateStart { get; }
    internal int[] CandidateDemand { get; }
    internal double[] CandidatePairCost { get; }

    /// <summary>True when every pair has cost 0: a pure covering instance.</summary>
    public bool IsCovering
    {
        get
        {
            foreach (var c in PairCost) if (c != 0) return false;
            return true;
        }
    }

    /// <summary>Sum of all fallbacks: the p-median cost with no new site.</summary>
    public double TotalFallback
    {
        get
        {
            double s = 0;
            foreach (var f in Fallback) s += f;
            return s;
        }
    }

    /// <summary>A maximal covering instance: demand i has value <paramref name="values"/>[i]; candidate j covers <paramref name="covers"/>[j].</summary>
    public static FacilityInstance Covering(IReadOnlyList<double> values, IReadOnlyList<IReadOnlyList<int>> covers, IReadOnlyList<double>? costs = null)
    {
        var pairs = new List<(int, int, double)>();
        for (int j = 0; j < covers.Count; j++)
        {
            foreach (var i in covers[j]) pairs.Add((i, j, 0));
        }
        return Create(values, covers.Count, pairs, costs);
    }

    /// <summary>
    /// A general instance: fallback cost per demand, and (demand, candidate, cost) pairs. Pairs whose cost is not below the
    /// fallback are dropped (the site would not change that demand); duplicate pairs keep the lowest cost.
    /// </summary>
    public static FacilityInstance Create(IReadOnlyList<double> fallback, int candidateCount, IEnumerable<(int Demand, int Candidate, double Cost)> pairs, IReadOnlyList<double>? costs = null)
    {
        if (costs is not null && costs.Count != candidateCount) throw new ArgumentException($"{costs.Count} site costs for {candidateCount} candidates.", nameof(costs));
        var f = new double[fallback.Count];
        for (int i = 0; i < f.Length; i++)
        {
            if (!(fallback[i] >= 0) || double.IsInfinity(fallback[i])) throw new ArgumentException($"Demand {i}: fallback {fallback[i]} must be finite and ≥ 0.", nameof(fallback));
            f[i] = fallback[i];
        }
        var cost = new double[candidateCount];
        for (int j = 0; j < candidateCount; j++)
        {
            cost[j] = costs?[j] ?? 1;
            if (!(cost[j] >= 0) || double.IsInfinity(cost[j])) throw new ArgumentException($"Candidate {j}: cost {cost[j]} must be finite and ≥ 0.", nameof(costs));
        }
        var best = new Dictionary<(int, int), double>();
        foreach (var (i, j, c) in pairs)
        {
            if ((uint)i >= (uint)f.Length) throw new ArgumentOutOfRangeException(nameof(pairs), $"Demand index {i} outside 0..{f.Length - 1}.");
            if ((uint)j >= (uint)candidateCount) throw new ArgumentOutOfRangeException(nameof(pairs), $"Candidate index {j} outside 0..{candidateCount - 1}.");
            if (!(c >= 0)) throw new ArgumentException($"Pair ({i}, {j}): cost {c} must be ≥ 0.", nameof(pairs));
            if (c >= f[i]) continue;
            if (!best.TryGetValue((i, j), out var old) || c < old) best[(i, j)] = c;
        }
        var ordered = best.OrderBy(kv => kv.Key.Item1).ThenBy(kv => kv.Key.Item2).ToList();
        var start = new int[f.Length + 1];
        foreach (var kv in ordered) start[kv.Key.Item1 + 1]++;
        for (int i = 0; i < f.Length; i++) start[i + 1] += start[i];
        var pc = new int[ordered.Count];
        var pcost = new double[ordered.Count];
        for (int p = 0; p < ordered.Count; p++)
        {
            pc[p] = ordered[p].Key.Item2;
            pcost[p] = ordered[p].Value;
        }
        return new FacilityInstance(f, cost, start, pc, pcost);
    }

    /// <summary>The candidates that change demand <paramref name="demand"/>, with their costs.</summary>
    public IEnumerable<(int Candidate, double Cost)> PairsOfDemand(int demand)
    {
        for (int p = DemandStart[demand]; p < DemandStart[demand + 1]; p++) yield return (PairCandidate[p], PairCost[p]);
    }

    /// <summary>The demand points candidate <paramref name="candidate"/> changes, with their costs.</summary>
    public IEnumerable<(int Demand, double Cost)> PairsOfCandidate(int candidate)
    {
        for (int p = CandidateStart[candidate]; p < CandidateStart[candidate + 1]; p++) yield return (CandidateDemand[p], CandidatePairCost[p]);
    }

    /// <summary>Savings Σ_i max(0, f_i − min_{j∈open} c_ij) of opening <paramref name="open"/>.</summary>
    public double Savings(IReadOnlyCollection<int> open)
    {
        var isOpen = new bool[CandidateCount];
        foreach (var j in open) isOpen[j] = true;
        double s = 0;
        for (int i = 0; i < DemandCount; i++)
        {
            double best = Fallback[i];
            for (int p = DemandStart[i]; p < DemandStart[i + 1]; p++)
            {
                if (isOpen[PairCandidate[p]] && PairCost[p] < best) best = PairCost[p];
            }
            s += Fallback[i] - best;
        }
        return s;
    }

    /// <summary>Total cost Σ_i min(f_i, min_{j∈open} c_ij): the p-median objective.</summary>
    public double TotalCost(IReadOnlyCollection<int> open) => TotalFallback - Savings(open);

    /// <summary>Sum of the opening costs of <paramref name="open"/>.</summary>
    public double OpeningCost(IEnumerable<int> open)
    {
        double s = 0;
        foreach (var j in open) s += CandidateCost[j];
        return s;
    }
}

/// <summary>What limits the number of sites: a count k, or a budget over per-site costs.</summary>
public readonly record struct SiteLimit(int? Count, double? Budget)
{
    public static SiteLimit Sites(int k) => k >= 0 ? new(k, null) : throw new ArgumentOutOfRangeException(nameof(k), "k must be ≥ 0.");
    public static SiteLimit WithBudget(double budget) => budget >= 0 ? new(null, budget) : throw new ArgumentOutOfRangeException(nameof(budget), "The budget must be ≥ 0.");
    public override string ToString() => Count is { } k ? $"k = {k}" : FormattableString.Invariant($"budget {Budget}");
}

/// <summary>A set of sites chosen by a solver, with its savings and (for the exact solver) the proven bound.</summary>
public sealed record FacilitySolution(
    IReadOnlyList<int> Open,
    double Savings,
    double UpperBound,
    bool ProvenOptimal,
    string Method,
    TimeSpan Elapsed)
{
    /// <summary>Relative gap between the savings and the bound: 0 when proven optimal, NaN when no bound is known (greedy).</summary>
    public double Gap => double.IsPositiveInfinity(UpperBound) ? double.NaN : UpperBound <= 0 ? 0 : Math.Max(0, (UpperBound - Savings) / UpperBound);
}
