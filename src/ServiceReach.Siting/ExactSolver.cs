using System.Diagnostics;
using System.Globalization;
using Google.OrTools.Sat;

namespace ServiceReach.Siting;

/// <summary>Settings of the exact solver.</summary>
public sealed record ExactSolverOptions
{
    /// <summary>Stop after this many seconds and report the best solution with the bound (gap).</summary>
    public double TimeLimitSeconds { get; init; } = 60;

    /// <summary>CP-SAT workers; 1 keeps the answer deterministic (the default), more can be faster on big instances.</summary>
    public int Workers { get; init; } = 1;

    /// <summary>Start the search from the greedy solution (a good first incumbent on large instances).</summary>
    public bool HintWithGreedy { get; init; } = true;

    /// <summary>
    /// Extra CP-SAT parameters (text format). The default, linearization_level:2, adds the LP relaxation of the covering
    /// constraints to the search, which gives a tight bound on large instances (without it the bound stays near Σ f_i).
    /// </summary>
    public string ExtraParameters { get; init; } = "linearization_level:2";

    /// <summary>The MIP engine: SCIP (branch and bound on the LP relaxation, strong bounds; the default) or CP-SAT.</summary>
    public ExactEngine Engine { get; init; } = ExactEngine.Scip;
}

/// <summary>Which OR-Tools engine solves the exact model.</summary>
public enum ExactEngine
{
    /// <summary>SCIP through the OR-Tools linear solver wrapper: the LP relaxation of covering models is tight, so bounds close fast.</summary>
    Scip,
    /// <summary>CP-SAT with integer-scaled coefficients.</summary>
    CpSat,
}

/// <summary>
/// Exact siting with OR-Tools CP-SAT. Binary y_j opens candidate j. A demand i whose pairs all cost 0 (covering) gets
/// one binary z_i ≤ Σ_{j covers i} y_j; other demands get assignment binaries x_ij ≤ y_j with Σ_j x_ij ≤ 1. Objective:
/// maximise Σ f_i z_i + Σ (f_i − c_ij) x_ij, i.e. the savings. CP-SAT needs integer coefficients: savings are scaled so
/// the largest coefficient is 10^7 and rounded (relative error ≤ 5·10^-8 per coefficient); the reported savings are
/// recomputed in double from the chosen sites. Opening costs are scaled by 1000 (three decimals are kept exactly).
/// </summary>
public static class ExactSolver
{
    private const double CostScale = 1000;

    public static FacilitySolution Solve(FacilityInstance instance, SiteLimit limit, ExactSolverOptions? options = null)
    {
        options ??= new ExactSolverOptions();
        if (options.Engine == ExactEngine.Scip && instance.PairCount > 0 && limit.Count != 0) return MipSolver.Solve(instance, limit, options);
        var sw = Stopwatch.StartNew();
        int n = instance.CandidateCount, m = instance.DemandCount;
        double maxCoef = 0;
        for (int i = 0; i < m; i++) maxCoef = Math.Max(maxCoef, instance.Fallback[i]);
        if (maxCoef <= 0 || instance.PairCount == 0 || limit.Count == 0)
            return new FacilitySolution([], 0, 0, true, "exact (trivial)", sw.Elapsed);
        double scale = 1e7 / maxCoef;

        var model = new CpModel();
        var y = new BoolVar?[n];
        for (int j = 0; j < n; j++)
        {
            if (instance.CandidateStart[j + 1] > instance.CandidateStart[j]) y[j] = model.NewBoolVar("y" + j.ToString(CultureInfo.InvariantCulture));
        }
        var objVars = new List<ILiteral>();
        var objCoefs = new List<long>();
        var objIntVars = new List<IntVar>();
        for (int i = 0; i < m; i++)
        {
            int from = instance.DemandStart[i], to = instance.DemandStart[i + 1];
            if (from == to) continue;
            bool covering = true;
            for (int p = from; p < to; p++) covering &= instance.PairCost[p] == 0;
            if (covering)
            {
                var z = model.NewBoolVar("z" + i.ToString(CultureInfo.InvariantCulture));
                var ys = new List<IntVar>(to - from);
                for (int p = from; p < to; p++) ys.Add(y[instance.PairCandidate[p]]!);
                model.Add(LinearExpr.Sum(ys) >= z);
                objIntVars.Add(z);
                objCoefs.Add((long)Math.Round(instance.Fallback[i] * scale));
            }
            else
            {
                var xs = new List<IntVar>(to - from);
                for (int p = from; p < to; p++)
                {
                    var x = model.NewBoolVar(FormattableString.Invariant($"x{i}_{instance.PairCandidate[p]}"));
                    model.AddImplication(x, y[instance.PairCandidate[p]]!);
                    xs.Add(x);
                    objIntVars.Add(x);
                    objCoefs.Add((long)Math.Round((instance.Fallback[i] - instance.PairCost[p]) * scale));
                }
                model.Add(LinearExpr.Sum(xs) <= 1);
            }
        }
        var used = new List<IntVar>();
        var usedCost = new List<long>();
        for (int j = 0; j < n; j++)
        {
            if (y[j] is not { } v) continue;
            used.Add(v);
            usedCost.Add((long)Math.Round(instance.CandidateCost[j] * CostScale));
        }
        if (limit.Count is { } k) model.Add(LinearExpr.Sum(used) <= k);
        else model.Add(LinearExpr.WeightedSum(used, usedCost) <= (long)Math.Round(limit.Budget!.Value * CostScale));
        model.Maximize(LinearExpr.WeightedSum(objIntVars, objCoefs));

        FacilitySolution? greedy = null;
        if (options.HintWithGreedy)
        {
            greedy = GreedySolver.Solve(instance, limit);
            var open = new HashSet<int>(greedy.Open);
            for (int j = 0; j < n; j++)
            {
                if (y[j] is { } v) model.AddHint(v, open.Contains(j));
            }
        }

        var solver = new CpSolver
        {
            StringParameters = string.Create(CultureInfo.InvariantCulture,
                $"max_time_in_seconds:{options.TimeLimitSeconds} num_workers:{Math.Max(1, options.Workers)} log_search_progress:false {options.ExtraParameters}"),
        };
        var status = solver.Solve(model);
        if (status is not (CpSolverStatus.Optimal or CpSolverStatus.Feasible))
        {
            // No incumbent before the time limit: the greedy plan, with its guarantee as the only bound we can state.
            if (status == CpSolverStatus.Infeasible || status == CpSolverStatus.ModelInvalid)
                throw new InvalidOperationException($"CP-SAT reports the siting model {status}.");
            var fallback = greedy ?? GreedySolver.Solve(instance, limit);
            return fallback with { UpperBound = double.PositiveInfinity, Method = $"greedy (CP-SAT found nothing within {options.TimeLimitSeconds} s)", Elapsed = sw.Elapsed };
        }
        var chosen = new List<int>();
        for (int j = 0; j < n; j++)
        {
            if (y[j] is { } v && solver.BooleanValue(v)) chosen.Add(j);
        }
        var savings = instance.Savings(chosen);
        bool optimal = status == CpSolverStatus.Optimal;
        // Stopped by the time limit with an incumbent worse than the greedy start (CP-SAT may drop a hint): keep the greedy one.
        if (!optimal && greedy is not null && greedy.Savings > savings)
        {
            chosen = [.. greedy.Open];
            savings = greedy.Savings;
        }
        // The bound is in scaled units; a proven optimum's bound is its own value (avoid reporting rounding noise as a gap).
        double bound = optimal ? savings : Math.Max(savings, solver.BestObjectiveBound / scale);
        return new FacilitySolution(chosen, savings, bound, optimal, optimal ? "exact (CP-SAT, optimal)" : "exact (CP-SAT, time limit)", sw.Elapsed);
    }
}
