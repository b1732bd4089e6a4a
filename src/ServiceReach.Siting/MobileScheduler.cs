using System.Diagnostics;
using System.Globalization;
using Google.OrTools.Sat;
using ServiceReach.Routing;

namespace ServiceReach.Siting;

/// <summary>A kern a mobile service (library bus, mobile desk) visits, and how many times a week.</summary>
public sealed record MobileVisitRequest(TourStop Stop, int VisitsPerWeek);

/// <summary>Which kernen on which weekday, and each day's route.</summary>
public sealed record MobileSchedule(IReadOnlyDictionary<DayOfWeek, IReadOnlyList<TourStop>> Assignment, TourPlan Routes, IReadOnlyList<string> Notes, TimeSpan Elapsed);

/// <summary>
/// Mobile service schedule in two steps. (1) Day assignment with CP-SAT: binary x_kd = kern k visited on day d; each kern
/// gets exactly its visits per week on distinct days; a kern with at most ⌈days/2⌉ visits never gets two consecutive days
/// (visits spread over the week); each day's load Σ (stop duration + return drive from the depot) stays within the working
/// day; objective: put kernen that are close together on the same day (reward per pair among each kern's 3 nearest,
/// larger the closer), so each day is one compact round. (2) Each day's order and times with <see cref="TourPlanner"/>.
/// </summary>
public static class MobileScheduler
{
    public static MobileSchedule Plan(StreetNetwork network, TourStop depot, IReadOnlyList<MobileVisitRequest> requests, TourOptions? options = null)
    {
        options ??= new TourOptions();
        var stops = requests.Select(r => r.Stop).ToList();
        var travel = TourPlanner.Travel(network, depot, stops, options);
        return Plan(travel, depot, requests, options);
    }

    public static MobileSchedule Plan(TourPlanner.TravelTable travel, TourStop depot, IReadOnlyList<MobileVisitRequest> requests, TourOptions options)
    {
        var sw = Stopwatch.StartNew();
        int n = requests.Count, days = options.Days.Count;
        long horizon = (long)(options.DayEnd - options.DayStart).TotalSeconds;
        foreach (var r in requests)
            if (r.VisitsPerWeek < 0 || r.VisitsPerWeek > days)
                throw new ArgumentException($"'{r.Stop.Name}' asks {r.VisitsPerWeek} visits a week; there are {days} days.", nameof(requests));
        var model = new CpModel();
        var x = new BoolVar[n, days];
        for (int k = 0; k < n; k++)
            for (int d = 0; d < days; d++) x[k, d] = model.NewBoolVar(string.Create(CultureInfo.InvariantCulture, $"x{k}_{d}"));
        var load = new long[n];
        for (int k = 0; k < n; k++)
        {
            var r = requests[k];
            double there = travel.Seconds[0, k + 1], back = travel.Seconds[k + 1, 0];
            load[k] = (long)Math.Round((r.Stop.Duration ?? options.StopDuration).TotalSeconds) + (long)Math.Ceiling(double.IsFinite(there + back) ? Math.Min(there + back, horizon) : horizon) / 2;
            model.Add(LinearExpr.Sum(Enumerable.Range(0, days).Select(d => x[k, d])) == r.VisitsPerWeek);
            if (r.VisitsPerWeek >= 2 && r.VisitsPerWeek <= (days + 1) / 2)
                for (int d = 0; d + 1 < days; d++) model.Add(x[k, d] + x[k, d + 1] <= 1);
        }
        for (int d = 0; d < days; d++)
            model.Add(LinearExpr.WeightedSum(Enumerable.Range(0, n).Select(k => x[k, d]), load) <= horizon);
        var rewardVars = new List<IntVar>();
        var rewards = new List<long>();
        var pairs = new HashSet<(int, int)>();
        for (int k = 0; k < n; k++)
        {
            foreach (var l in Enumerable.Range(0, n).Where(l => l != k && double.IsFinite(travel.Seconds[k + 1, l + 1]))
                         .OrderBy(l => travel.Seconds[k + 1, l + 1]).ThenBy(l => l).Take(3))
                pairs.Add((Math.Min(k, l), Math.Max(k, l)));
        }
        foreach (var (k, l) in pairs.OrderBy(p => p))
        {
            double t = (travel.Seconds[k + 1, l + 1] + travel.Seconds[l + 1, k + 1]) / 2;
            long reward = Math.Max(1, (long)Math.Round(horizon - Math.Min(t, horizon)) / 60);
            for (int d = 0; d < days; d++)
            {
                var both = model.NewBoolVar(string.Create(CultureInfo.InvariantCulture, $"b{k}_{l}_{d}"));
                model.AddImplication(both, x[k, d]);
                model.AddImplication(both, x[l, d]);
                rewardVars.Add(both);
                rewards.Add(reward);
            }
        }
        if (rewardVars.Count > 0) model.Maximize(LinearExpr.WeightedSum(rewardVars, rewards));
        var solver = new CpSolver { StringParameters = "max_time_in_seconds:10 num_workers:1" };
        var status = solver.Solve(model);
        var notes = new List<string>();
        if (status is not (CpSolverStatus.Optimal or CpSolverStatus.Feasible))
            throw new InvalidOperationException($"No weekly schedule gives every kern its visits within the working day (CP-SAT status {status}); lower the visits or lengthen the day.");
        if (status == CpSolverStatus.Feasible) notes.Add("day assignment stopped at the time limit (feasible, not proven optimal)");

        var assignment = new Dictionary<DayOfWeek, IReadOnlyList<TourStop>>();
        var dayTours = new List<DayTour>();
        var unserved = new List<TourStop>();
        for (int d = 0; d < days; d++)
        {
            var idx = Enumerable.Range(0, n).Where(k => solver.BooleanValue(x[k, d])).ToList();
            assignment[options.Days[d]] = idx.Select(k => requests[k].Stop).ToList();
            if (idx.Count == 0) continue;
            var sub = Subtable(travel, idx);
            var plan = TourPlanner.Plan(sub, depot, idx.Select(k => requests[k].Stop).ToList(), options with { Days = [options.Days[d]] });
            dayTours.AddRange(plan.Days);
            foreach (var u in plan.Unserved)
            {
                unserved.Add(u);
                notes.Add($"{u.Name} does not fit {options.Days[d]}'s route within the working day or its window");
            }
        }
        var servedStops = dayTours.SelectMany(t => t.Visits).Select(v => v.Stop).Distinct().ToList();
        var routes = new TourPlan(depot, dayTours, unserved.Distinct().ToList(), servedStops.Sum(s => s.Residents), servedStops.Sum(s => s.Residents65Plus),
            servedStops.Sum(s => TourPlanner.Weighted(s, options)), sw.Elapsed);
        return new MobileSchedule(assignment, routes, notes, sw.Elapsed);
    }

    private static TourPlanner.TravelTable Subtable(TourPlanner.TravelTable t, List<int> idx)
    {
        var map = new[] { 0 }.Concat(idx.Select(k => k + 1)).ToArray();
        int m = map.Length;
        var sec = new double[m, m];
        var met = new double[m, m];
        for (int a = 0; a < m; a++)
            for (int b = 0; b < m; b++) { sec[a, b] = t.Seconds[map[a], map[b]]; met[a, b] = t.Meters[map[a], map[b]]; }
        return new TourPlanner.TravelTable(sec, met, t.Snaps is { } s ? map.Select(i => s[i]).ToList() : null, t.Router);
    }
}
