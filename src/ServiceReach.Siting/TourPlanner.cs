using System.Diagnostics;
using System.Globalization;
using System.Text;
using Google.OrTools.ConstraintSolver;
using NetTopologySuite.Geometries;
using ServiceReach.Routing;

namespace ServiceReach.Siting;

/// <summary>A stop a buurtkar or mobile service could make (usually a gap kern's centre), with an optional time window.</summary>
public sealed record TourStop(
    string Id, string Name, double Lon, double Lat, int Residents, int Residents65Plus,
    TimeSpan? Duration = null, TimeOnly? Earliest = null, TimeOnly? Latest = null, long? KernId = null);

/// <summary>Settings of a tour; defaults in docs/siting.md.</summary>
public sealed record TourOptions
{
    /// <summary>The weekdays the van drives; each is one route from and back to the depot.</summary>
    public IReadOnlyList<DayOfWeek> Days { get; init; } = [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday];
    /// <summary>The van leaves the depot no earlier than this…</summary>
    public TimeOnly DayStart { get; init; } = new(9, 0);
    /// <summary>…and is back no later than this: the working-day budget, driving and stops included.</summary>
    public TimeOnly DayEnd { get; init; } = new(16, 0);
    /// <summary>Time at a stop when the stop does not say.</summary>
    public TimeSpan StopDuration { get; init; } = TimeSpan.FromMinutes(45);
    /// <summary>Weight of a resident aged 65+ in the residents served (1.5, as in the gap score).</summary>
    public double Weight65Plus { get; init; } = 1.5;
    /// <summary>Street profile of the van.</summary>
    public string ProfileName { get; init; } = SitingProfiles.Van.Name;
    /// <summary>Guided local search time after the first solution; 0 = local search to a local optimum only (deterministic).</summary>
    public double ImproveSeconds { get; init; }
    public double SnapMaxMeters { get; init; } = 500;
    /// <summary>Compute the route geometry of each leg (ShortestPath); off for pure scheduling.</summary>
    public bool WithGeometry { get; init; } = true;
}

/// <summary>A planned visit: arrival and departure at a stop, and the drive from the previous stop (or the depot).</summary>
public sealed record StopVisit(TourStop Stop, TimeOnly Arrival, TimeOnly Departure, double DriveSeconds);

/// <summary>One day's route: depot → visits → depot, with its legs' geometry.</summary>
public sealed record DayTour(DayOfWeek Day, TimeOnly Leave, TimeOnly Return, IReadOnlyList<StopVisit> Visits, double DriveSeconds, double DriveMeters, IReadOnlyList<LineString> Legs);

/// <summary>A weekly tour plan; <see cref="Unserved"/> lists the stops that did not fit, with the reason in the docs (budget or window).</summary>
public sealed record TourPlan(TourStop Depot, IReadOnlyList<DayTour> Days, IReadOnlyList<TourStop> Unserved, int ResidentsServed, int Residents65Served, double WeightedServed, TimeSpan Elapsed);

/// <summary>
/// The buurtkar tour as a vehicle-routing problem with time windows (OR-Tools routing): one vehicle per weekday, all from
/// the depot; a stop is visited at most once a week; every route fits the working day (driving + stop durations, waiting
/// allowed) and the stops' windows. Each stop is optional with a drop penalty proportional to its weighted residents and
/// larger than any possible driving time, so the solver first maximises the (weighted) residents served, then minimises driving.
/// </summary>
public static class TourPlanner
{
    /// <summary>Travel seconds between depot (index 0) and stops (1..n) over the network, and the snaps for geometry.</summary>
    public sealed record TravelTable(double[,] Seconds, double[,] Meters, IReadOnlyList<SnapResult>? Snaps, Router? Router);

    public static TravelTable Travel(StreetNetwork network, TourStop depot, IReadOnlyList<TourStop> stops, TourOptions options)
    {
        var router = new Router(network, options.ProfileName);
        var points = new[] { depot }.Concat(stops).Select(s => new GeoPoint(s.Lon, s.Lat)).ToList();
        var snaps = router.SnapMany(points, options.SnapMaxMeters);
        for (int i = 0; i < snaps.Count; i++)
            if (!snaps[i].Found) throw new InvalidOperationException($"Tour point '{(i == 0 ? depot.Name : stops[i - 1].Name)}' cannot be snapped to the '{options.ProfileName}' network: {snaps[i].Reason}");
        var m = router.ManyToMany(snaps, snaps);
        int n = snaps.Count;
        var sec = new double[n, n];
        var met = new double[n, n];
        for (int a = 0; a < n; a++)
            for (int b = 0; b < n; b++) { sec[a, b] = a == b ? 0 : m.Seconds[a, b]; met[a, b] = a == b ? 0 : m.Meters[a, b]; }
        return new TravelTable(sec, met, snaps, router);
    }

    /// <summary>Plans the week over the street network.</summary>
    public static TourPlan Plan(StreetNetwork network, TourStop depot, IReadOnlyList<TourStop> stops, TourOptions? options = null)
    {
        options ??= new TourOptions();
        return Plan(Travel(network, depot, stops, options), depot, stops, options);
    }

    /// <summary>Plans the week on a given travel table (index 0 = depot).</summary>
    public static TourPlan Plan(TravelTable travel, TourStop depot, IReadOnlyList<TourStop> stops, TourOptions options)
    {
        var sw = Stopwatch.StartNew();
        int n = stops.Count + 1, vehicles = options.Days.Count;
        if (vehicles == 0) throw new ArgumentException("No weekdays to drive on.", nameof(options));
        long horizon = (long)(options.DayEnd - options.DayStart).TotalSeconds;
        if (horizon <= 0) throw new ArgumentException($"The working day {options.DayStart}–{options.DayEnd} is empty.", nameof(options));
        var drive = new long[n, n];
        for (int a = 0; a < n; a++)
            for (int b = 0; b < n; b++)
            {
                double t = travel.Seconds[a, b];
                // An unreachable pair gets a time beyond the day so the solver never uses it.
                drive[a, b] = double.IsFinite(t) ? (long)Math.Ceiling(t) : horizon + 1;
            }
        var service = new long[n];
        for (int i = 1; i < n; i++) service[i] = (long)Math.Round((stops[i - 1].Duration ?? options.StopDuration).TotalSeconds);

        var manager = new RoutingIndexManager(n, vehicles, 0);
        var routing = new RoutingModel(manager);
        long Drive(long from, long to) => drive[manager.IndexToNode(from), manager.IndexToNode(to)];
        long Time(long from, long to) { int a = manager.IndexToNode(from); return service[a] + drive[a, manager.IndexToNode(to)]; }
        int driveCb = routing.RegisterTransitCallback(Drive);
        int timeCb = routing.RegisterTransitCallback(Time);
        routing.SetArcCostEvaluatorOfAllVehicles(driveCb);
        routing.AddDimension(timeCb, horizon, horizon, false, "Time");
        var time = routing.GetMutableDimension("Time");
        // A tiny fixed cost per day (0 for the first listed day, 1 for the next…) fills earlier days first when one is enough;
        // the drop penalty per (half) weighted resident exceeds all driving plus these costs, so residents always come first.
        for (int v = 0; v < vehicles; v++) routing.SetFixedCostOfVehicle(v, v);
        long perWeightedResident = vehicles * (horizon + vehicles) + 1;
        for (int i = 1; i < n; i++)
        {
            var s = stops[i - 1];
            long lo = s.Earliest is { } e ? Math.Max(0, (long)(e - options.DayStart).TotalSeconds) : 0;
            long hi = s.Latest is { } l ? Math.Min(horizon, (long)(l - options.DayStart).TotalSeconds) : horizon;
            long index = manager.NodeToIndex(i);
            if (lo > hi || lo + service[i] > horizon) { routing.AddDisjunction([index], 0); routing.NextVar(index).SetValue(index); continue; }
            time.CumulVar(index).SetRange(lo, Math.Min(hi, horizon - service[i]));
            routing.AddDisjunction([index], (long)Math.Round(2 * Weighted(s, options)) * perWeightedResident + 1);
        }
        for (int v = 0; v < vehicles; v++)
        {
            routing.AddVariableMinimizedByFinalizer(time.CumulVar(routing.End(v)));
            routing.AddVariableMaximizedByFinalizer(time.CumulVar(routing.Start(v)));
        }
        var search = operations_research_constraint_solver.DefaultRoutingSearchParameters();
        search.FirstSolutionStrategy = FirstSolutionStrategy.Types.Value.PathCheapestArc;
        if (options.ImproveSeconds > 0)
        {
            search.LocalSearchMetaheuristic = LocalSearchMetaheuristic.Types.Value.GuidedLocalSearch;
            search.TimeLimit = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(TimeSpan.FromSeconds(options.ImproveSeconds));
        }
        var solution = routing.SolveWithParameters(search);
        if (solution is null) throw new InvalidOperationException("The routing solver found no plan (not even an empty one).");

        var days = new List<DayTour>();
        var served = new HashSet<int>();
        for (int v = 0; v < vehicles; v++)
        {
            var visits = new List<StopVisit>();
            var legs = new List<LineString>();
            long index = routing.Start(v);
            long leave = solution.Min(time.CumulVar(index));
            double driveSec = 0, driveMet = 0;
            int prevNode = 0;
            while (!routing.IsEnd(index))
            {
                long next = solution.Value(routing.NextVar(index));
                int node = manager.IndexToNode(next);
                if (routing.IsEnd(next)) node = 0;
                driveSec += travel.Seconds[prevNode, node];
                driveMet += travel.Meters[prevNode, node];
                if (options.WithGeometry && travel.Router is { } r && travel.Snaps is { } sn && prevNode != node)
                {
                    var path = r.ShortestPath(sn[prevNode], sn[node]);
                    if (path.Geometry is { } g) legs.Add(g);
                }
                if (!routing.IsEnd(next))
                {
                    long arrive = solution.Min(time.CumulVar(next));
                    served.Add(node);
                    visits.Add(new StopVisit(stops[node - 1], At(options, arrive), At(options, arrive + service[node]), travel.Seconds[prevNode, node]));
                }
                prevNode = node;
                index = next;
            }
            long back = solution.Min(time.CumulVar(index));
            if (visits.Count > 0) days.Add(new DayTour(options.Days[v], At(options, leave), At(options, back), visits, driveSec, driveMet, legs));
        }
        GC.KeepAlive(manager);
        var unserved = Enumerable.Range(1, n - 1).Where(i => !served.Contains(i)).Select(i => stops[i - 1]).ToList();
        var servedStops = served.Select(i => stops[i - 1]).ToList();
        return new TourPlan(depot, days, unserved, servedStops.Sum(s => s.Residents), servedStops.Sum(s => s.Residents65Plus),
            servedStops.Sum(s => Weighted(s, options)), sw.Elapsed);
    }

    /// <summary>Residents weighted for 65+: (residents − 65+) + w65 × 65+.</summary>
    public static double Weighted(TourStop s, TourOptions options)
    {
        int p65 = Math.Min(s.Residents, s.Residents65Plus);
        return s.Residents - p65 + options.Weight65Plus * p65;
    }

    private static TimeOnly At(TourOptions o, long secondsAfterStart) => o.DayStart.Add(TimeSpan.FromSeconds(secondsAfterStart));

    /// <summary>A printable timetable (Markdown): per day the stops with arrival and departure, and what did not fit.</summary>
    public static string Timetable(TourPlan plan, string title = "Buurtkar")
    {
        var sb = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        sb.AppendLine(inv, $"# {title} — weekly timetable");
        sb.AppendLine();
        sb.AppendLine(inv, $"Depot: {plan.Depot.Name}. Residents served: {plan.ResidentsServed} ({plan.Residents65Served} aged 65+).");
        foreach (var d in plan.Days)
        {
            sb.AppendLine();
            sb.AppendLine(inv, $"## {d.Day}");
            sb.AppendLine();
            sb.AppendLine("| stop | arrive | leave | residents | drive from previous |");
            sb.AppendLine("|---|---|---|---:|---:|");
            sb.AppendLine(inv, $"| depart {plan.Depot.Name} | | {d.Leave:HH\\:mm} | | |");
            foreach (var v in d.Visits)
                sb.AppendLine(inv, $"| {v.Stop.Name} | {v.Arrival:HH\\:mm} | {v.Departure:HH\\:mm} | {v.Stop.Residents} | {v.DriveSeconds / 60:F0} min |");
            sb.AppendLine(inv, $"| back at {plan.Depot.Name} | {d.Return:HH\\:mm} | | | |");
            sb.AppendLine();
            sb.AppendLine(inv, $"Driving: {d.DriveSeconds / 60:F0} min, {d.DriveMeters / 1000:F1} km.");
        }
        if (plan.Unserved.Count > 0)
        {
            sb.AppendLine();
            sb.AppendLine(inv, $"Not served (do not fit the working day or their window): {string.Join(", ", plan.Unserved.Select(s => $"{s.Name} ({s.Residents})"))}.");
        }
        return sb.ToString();
    }
}
