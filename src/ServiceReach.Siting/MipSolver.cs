using System.Diagnostics;
using Google.OrTools.LinearSolver;

namespace ServiceReach.Siting;

/// <summary>
/// The exact siting model of <see cref="ExactSolver"/> solved as a MIP with SCIP (bundled with OR-Tools), coefficients in
/// double (no scaling), relative gap tolerance 0 so "optimal" means optimal up to SCIP's 10^-9 feasibility tolerances.
/// </summary>
internal static class MipSolver
{
    public static FacilitySolution Solve(FacilityInstance instance, SiteLimit limit, ExactSolverOptions options)
    {
        var sw = Stopwatch.StartNew();
        using var solver = Solver.CreateSolver("SCIP") ?? throw new InvalidOperationException("The OR-Tools runtime has no SCIP; use ExactEngine.CpSat.");
        int n = instance.CandidateCount, m = instance.DemandCount;
        var y = new Variable?[n];
        for (int j = 0; j < n; j++)
            if (instance.CandidateStart[j + 1] > instance.CandidateStart[j]) y[j] = solver.MakeBoolVar("y" + j);
        var objective = solver.Objective();
        for (int i = 0; i < m; i++)
        {
            int from = instance.DemandStart[i], to = instance.DemandStart[i + 1];
            if (from == to) continue;
            bool covering = true;
            for (int p = from; p < to; p++) covering &= instance.PairCost[p] == 0;
            if (covering)
            {
                // z_i ≤ Σ y_j; z may be continuous in [0, 1]: with y integral the optimum sets it to 0 or 1.
                var z = solver.MakeNumVar(0, 1, "z" + i);
                var c = solver.MakeConstraint(double.NegativeInfinity, 0);
                c.SetCoefficient(z, 1);
                for (int p = from; p < to; p++) c.SetCoefficient(y[instance.PairCandidate[p]]!, -1);
                objective.SetCoefficient(z, instance.Fallback[i]);
            }
            else
            {
                var one = solver.MakeConstraint(double.NegativeInfinity, 1);
                for (int p = from; p < to; p++)
                {
                    var x = solver.MakeNumVar(0, 1, $"x{i}_{instance.PairCandidate[p]}");
                    one.SetCoefficient(x, 1);
                    var link = solver.MakeConstraint(double.NegativeInfinity, 0);
                    link.SetCoefficient(x, 1);
                    link.SetCoefficient(y[instance.PairCandidate[p]]!, -1);
                    objective.SetCoefficient(x, instance.Fallback[i] - instance.PairCost[p]);
                }
            }
        }
        var limitRow = solver.MakeConstraint(double.NegativeInfinity, limit.Count is { } k ? k : limit.Budget!.Value + 1e-9);
        for (int j = 0; j < n; j++)
            if (y[j] is { } v) limitRow.SetCoefficient(v, limit.Count is null ? instance.CandidateCost[j] : 1);
        objective.SetMaximization();

        FacilitySolution? greedy = null;
        if (options.HintWithGreedy)
        {
            greedy = GreedySolver.Solve(instance, limit);
            var open = new HashSet<int>(greedy.Open);
            var vars = new List<Variable>();
            var vals = new List<double>();
            for (int j = 0; j < n; j++)
                if (y[j] is { } v) { vars.Add(v); vals.Add(open.Contains(j) ? 1 : 0); }
            solver.SetHint(vars.ToArray(), vals.ToArray());
        }
        solver.SetTimeLimit((long)Math.Ceiling(options.TimeLimitSeconds * 1000));
        if (options.Workers > 1) solver.SetNumThreads(options.Workers);
        using var parameters = new MPSolverParameters();
        parameters.SetDoubleParam(MPSolverParameters.DoubleParam.RELATIVE_MIP_GAP, 0.0);
        var status = solver.Solve(parameters);
        if (status is not (Solver.ResultStatus.OPTIMAL or Solver.ResultStatus.FEASIBLE))
        {
            if (status is Solver.ResultStatus.INFEASIBLE or Solver.ResultStatus.MODEL_INVALID)
                throw new InvalidOperationException($"SCIP reports the siting model {status}.");
            var fallback = greedy ?? GreedySolver.Solve(instance, limit);
            return fallback with { UpperBound = double.PositiveInfinity, Method = $"greedy (SCIP found nothing within {options.TimeLimitSeconds} s)", Elapsed = sw.Elapsed };
        }
        var chosen = new List<int>();
        for (int j = 0; j < n; j++)
            if (y[j] is { } v && v.SolutionValue() > 0.5) chosen.Add(j);
        var savings = instance.Savings(chosen);
        bool optimal = status == Solver.ResultStatus.OPTIMAL;
        if (!optimal && greedy is not null && greedy.Savings > savings)
        {
            chosen = [.. greedy.Open];
            savings = greedy.Savings;
        }
        double bound = optimal ? savings : Math.Max(savings, objective.BestBound());
        return new FacilitySolution(chosen, savings, bound, optimal, optimal ? "exact (SCIP MIP, optimal)" : "exact (SCIP MIP, time limit)", sw.Elapsed);
    }
}
