using System.CommandLine;
using System.Globalization;
using System.Text;
using NetTopologySuite.Geometries;
using ServiceReach.Analysis;
using ServiceReach.Domain;
using ServiceReach.Domain.Scoring;
using ServiceReach.Exchange.GeoJson;
using ServiceReach.Routing;
using ServiceReach.Siting;
using ServiceReach.Storage;

namespace ServiceReach.Cli.Commands;

/// <summary>`sites` (dorpspunt siting: MCLP / p-median, coverage curve) and `tour` (buurtkar week tour, mobile schedule).</summary>
public static class SitingCommands
{
    public static IEnumerable<Command> Create() => [Sites(), Tour()];

    private static Option<string> OsmOption() => new("--osm") { Description = "OSM extract (.osm.pbf or .osm) with the streets of the region.", Required = true };
    private static Option<string> CacheOption() => new("--cache") { Description = "Folder for cached street graphs.", DefaultValueFactory = _ => ".cache" };
    private static Option<string> RegionOption() => new("--region-name") { Description = "Name used in reports.", DefaultValueFactory = _ => "region" };

    /// <summary>Network with the van profile, and the stored kernen/services/units inside its bounds.</summary>
    private static async Task<(StreetNetwork Network, AnalysisInput Input)> LoadAsync(string osm, string cache, string region, CancellationToken ct)
    {
        var network = StreetNetwork.LoadOrBuild(osm, cache, SitingProfiles.WithVan);
        var box = new Envelope(network.Bounds.MinLon, network.Bounds.MaxLon, network.Bounds.MinLat, network.Bounds.MaxLat);
        var input = await StoredAnalysis.LoadAsync(ServiceReachDb.ConnectionStringFromEnvironment(), box, ServiceCatalogue.Default, region, ct);
        if (input.Kernen.Count == 0) throw new InvalidOperationException($"No kernen are stored inside the bounds of {osm}; import them first.");
        return (network, input);
    }

    private static async Task WriteTextAsync(string path, string text, CancellationToken ct)
    {
        var tmp = path + ".tmp";
        await File.WriteAllTextAsync(tmp, text, Encoding.UTF8, ct);
        File.Move(tmp, path, overwrite: true);
    }

    private static Command Sites()
    {
        var osm = OsmOption();
        var cache = CacheOption();
        var region = RegionOption();
        var output = new Option<string>("--out", "-o") { Description = "Folder for sites.geojson, gains.geojson and siting.md.", DefaultValueFactory = _ => "out/siting" };
        var k = new Option<int>("--sites", "-k") { Description = "Number of dorpspunten to place.", DefaultValueFactory = _ => 1 };
        var budget = new Option<double?>("--budget") { Description = "Budget instead of a count: sum of the candidates' costs (from --candidates) may not exceed it." };
        var model = new Option<string>("--model") { Description = "covering (maximise residents gaining the bundle within the threshold) or median (minimise weighted travel time).", DefaultValueFactory = _ => "covering" };
        var greedy = new Option<bool>("--greedy") { Description = "Use the greedy solver (guarantee ≥ (1 − 1/e)·optimum) instead of the exact CP-SAT model." };
        var mode = new Option<string>("--mode") { Description = "walk or bike: how residents reach the dorpspunt.", DefaultValueFactory = _ => "walk" };
        var userCandidates = new Option<string?>("--candidates") { Description = "GeoJSON points of extra candidate buildings (vacant shops…): properties id, name, kind, cost, notes." };
        var noOsm = new Option<bool>("--no-osm-candidates") { Description = "Do not offer OSM community centres, churches, schools, town halls and libraries as candidates." };
        var curve = new Option<int>("--curve") { Description = "Report the coverage curve for k = 1..N (0 = none).", DefaultValueFactory = _ => 10 };
        var timeLimit = new Option<double>("--time-limit") { Description = "Exact solver time limit in seconds (then the best plan and the gap to the bound are reported).", DefaultValueFactory = _ => 60 };
        var cmd = new Command("sites", "Where to put dorpspunten: maximal covering or p-median over the street network, with reasons and the value of each extra site.");
        foreach (var o in new Option[] { osm, cache, region, output, k, budget, model, greedy, mode, userCandidates, noOsm, curve, timeLimit }) cmd.Options.Add(o);
        cmd.SetAction(async (p, ct) =>
        {
            var m = p.GetValue(mode) switch { "walk" => Mode.Walk, "bike" => Mode.Bike, var x => throw new ArgumentException($"--mode must be walk or bike, not '{x}'.") };
            var sitingModel = p.GetValue(model) switch { "covering" => SitingModel.Covering, "median" => SitingModel.Median, var x => throw new ArgumentException($"--model must be covering or median, not '{x}'.") };
            var (network, input) = await LoadAsync(p.GetValue(osm)!, p.GetValue(cache)!, p.GetValue(region)!, ct);
            var analysis = new AccessAnalysis(network, options: new AnalysisOptions { StreetModes = [m] }).Run(input);
            var candidates = SitingSetup.Candidates(input.Kernen, p.GetValue(noOsm) ? null : p.GetValue(osm)!, p.GetValue(userCandidates));
            var problem = SitingProblem.Build(analysis, network, candidates, new SitingOptions { Mode = m });
            var limit = p.GetValue(budget) is { } b ? SiteLimit.WithBudget(b) : SiteLimit.Sites(p.GetValue(k));
            var exactOptions = new ExactSolverOptions { TimeLimitSeconds = p.GetValue(timeLimit) };
            var plan = problem.Solve(sitingModel, limit, exact: !p.GetValue(greedy), exactOptions);

            var outDir = p.GetValue(output)!;
            Directory.CreateDirectory(outDir);
            await GeoJsonLayerWriter.WriteAsync(Path.Combine(outDir, "sites.geojson"), SitingLayers.Sites(plan), ct);
            await GeoJsonLayerWriter.WriteAsync(Path.Combine(outDir, "gains.geojson"), SitingLayers.Gains(plan, problem), ct);
            var md = new StringBuilder();
            var inv = CultureInfo.InvariantCulture;
            md.AppendLine(inv, $"# Dorpspunt siting — {input.RegionName}");
            md.AppendLine();
            md.AppendLine(inv, $"Model: {plan.Model}, {plan.Limit}, {plan.Method}; {problem.Demand.Count} demand points, {problem.Candidates.Count} candidates, threshold {problem.ThresholdSeconds / 60:F0} min {p.GetValue(mode)}.");
            md.AppendLine(inv, $"Objective {plan.Objective:F1} (bound {plan.Bound:F1}{(plan.ProvenOptimal ? ", proven optimal" : "")}); {plan.ResidentsGaining} residents ({plan.Residents65Gaining} aged 65+) gain.");
            md.AppendLine();
            foreach (var s in plan.Sites) md.AppendLine(inv, $"- {s.Reason}");
            if (p.GetValue(curve) is > 0 and var maxK && sitingModel == SitingModel.Covering)
            {
                md.AppendLine();
                md.AppendLine("## Coverage curve");
                md.AppendLine();
                md.AppendLine("| sites | value | extra value of the last site | sites chosen |");
                md.AppendLine("|---:|---:|---:|---|");
                foreach (var c in problem.Curve(maxK, exact: !p.GetValue(greedy), exactOptions))
                    md.AppendLine(inv, $"| {c.Sites} | {c.Savings:F1} | {c.Marginal:F1} | {string.Join(", ", c.Open.Select(j => problem.Candidates[j].Name))} |");
            }
            if (problem.Unsnapped.Count > 0)
            {
                md.AppendLine();
                md.AppendLine("Not on the network: " + string.Join("; ", problem.Unsnapped));
            }
            await WriteTextAsync(Path.Combine(outDir, "siting.md"), md.ToString(), ct);
            Console.WriteLine(md.ToString());
            return 0;
        });
        return cmd;
    }

    private static Command Tour()
    {
        var osm = OsmOption();
        var cache = CacheOption();
        var region = RegionOption();
        var output = new Option<string>("--out", "-o") { Description = "Folder for tour.geojson and timetable.md.", DefaultValueFactory = _ => "out/tour" };
        var depot = new Option<string>("--depot") { Description = "Name of the kern where the van starts and ends.", Required = true };
        var stops = new Option<string[]>("--stops") { Description = "Kern names to serve; default: every kern whose advice is a buurtkar or mobile service.", AllowMultipleArgumentsPerToken = true };
        var days = new Option<string>("--days") { Description = "Weekdays the van drives, e.g. Mon,Wed,Fri.", DefaultValueFactory = _ => "Mon,Tue,Wed,Thu,Fri" };
        var hours = new Option<string>("--hours") { Description = "Working day, e.g. 09:00-16:00 (driving and stops included).", DefaultValueFactory = _ => "09:00-16:00" };
        var stopMinutes = new Option<int>("--stop-minutes") { Description = "Time at each stop.", DefaultValueFactory = _ => 45 };
        var visits = new Option<string[]>("--visits") { Description = "Mobile service schedule instead of a tour: kern=visits per week, e.g. Eikenrode=2.", AllowMultipleArgumentsPerToken = true };
        var improve = new Option<double>("--improve-seconds") { Description = "Extra guided local search time (0 = deterministic local optimum).", DefaultValueFactory = _ => 0 };
        var cmd = new Command("tour", "Buurtkar week tour (vehicle routing with time windows maximising residents served) or mobile service schedule; writes route GeoJSON and a timetable.");
        foreach (var o in new Option[] { osm, cache, region, output, depot, stops, days, hours, stopMinutes, visits, improve }) cmd.Options.Add(o);
        cmd.SetAction(async (p, ct) =>
        {
            var (network, input) = await LoadAsync(p.GetValue(osm)!, p.GetValue(cache)!, p.GetValue(region)!, ct);
            var (start, end) = AnalysisCommands.ParseWindow(p.GetValue(hours)!);
            var options = new TourOptions
            {
                Days = ParseDays(p.GetValue(days)!), DayStart = start, DayEnd = end,
                StopDuration = TimeSpan.FromMinutes(p.GetValue(stopMinutes)), ImproveSeconds = p.GetValue(improve),
            };
            TourStop StopOf(string name)
            {
                var k = input.Kernen.FirstOrDefault(x => string.Equals(x.Name, name, StringComparison.OrdinalIgnoreCase))
                    ?? throw new ArgumentException($"No stored kern is called '{name}'.");
                return SitingSetup.KernStop(k);
            }
            var depotStop = StopOf(p.GetValue(depot)!);
            TourPlan plan;
            string title;
            if (p.GetValue(visits) is { Length: > 0 } v)
            {
                var requests = v.Select(x =>
                {
                    var parts = x.Split('=');
                    if (parts.Length != 2 || !int.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var n))
                        throw new ArgumentException($"--visits expects kern=number, got '{x}'.");
                    return new MobileVisitRequest(StopOf(parts[0]), n);
                }).ToList();
                var schedule = MobileScheduler.Plan(network, depotStop, requests, options);
                plan = schedule.Routes;
                title = "Mobile service";
                foreach (var note in schedule.Notes) Console.WriteLine("note: " + note);
            }
            else
            {
                IEnumerable<string> names = p.GetValue(stops) is { Length: > 0 } s ? s : DefaultStops(network, input);
                plan = TourPlanner.Plan(network, depotStop, names.Where(n => !string.Equals(n, depotStop.Name, StringComparison.OrdinalIgnoreCase)).Select(StopOf).ToList(), options);
                title = "Buurtkar";
            }
            var outDir = p.GetValue(output)!;
            Directory.CreateDirectory(outDir);
            await GeoJsonLayerWriter.WriteAsync(Path.Combine(outDir, "tour.geojson"), SitingLayers.Tour(plan), ct);
            var md = TourPlanner.Timetable(plan, title);
            await WriteTextAsync(Path.Combine(outDir, "timetable.md"), md, ct);
            Console.WriteLine(md);
            return 0;
        });
        return cmd;
    }

    /// <summary>Kernen whose primary advice is a buurtkar or a mobile service (docs/scoring.md), from a walking analysis.</summary>
    private static IEnumerable<string> DefaultStops(StreetNetwork network, AnalysisInput input)
        => SitingSetup.AdvisedTourKernen(new AccessAnalysis(network, options: new AnalysisOptions { StreetModes = [Mode.Walk] }).Run(input)).Select(k => k.Name);

    private static List<DayOfWeek> ParseDays(string text)
    {
        try { return SitingSetup.ParseDays(text); }
        catch (FormatException ex) { throw new ArgumentException("--days: " + ex.Message, ex); }
    }
}
