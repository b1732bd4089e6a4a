using System.Globalization;
using System.Text.Json;
using NetTopologySuite.Features;
using ServiceReach.Analysis;
using ServiceReach.Api.Infrastructure;
using ServiceReach.Api.Services;
using ServiceReach.Domain;
using ServiceReach.Siting;

namespace ServiceReach.Api.Endpoints;

/// <summary>
/// Planning computations over the current analysis (reads, no key): where dorpspunten help most (<c>/api/sites</c>) and a
/// buurtkar week tour (<c>/api/tours</c>). The same library calls as the CLI's <c>sites</c> and <c>tour</c> commands.
/// </summary>
public static class PlanningEndpoints
{
    public const int MaxSites = 20;
    private const double ExactTimeLimitSeconds = 20;

    private sealed record SitesQuery(SitingModel Model, Mode Mode, int K, int Curve, bool Greedy);

    public static void Map(WebApplication app)
    {
        var api = app.MapGroup("/api").WithTags("planning");

        api.MapGet("/sites", async (HttpContext ctx, AnalysisService analysis, SitingService siting, CancellationToken ct) =>
        {
            var (q, error) = ParseSites(ctx.Request.Query);
            if (error is not null) return error;
            var (problem, plan, curve) = await SolveAsync(q!, analysis, siting, ct);
            var th = problem.ThresholdSeconds;
            return Results.Ok(new
            {
                model = plan.Model.ToString(), method = plan.Method, mode = q!.Mode.ToString(), k = q.K, thresholdMinutes = Math.Round(th / 60, 1),
                objective = Round(plan.Objective), savings = Round(plan.Savings), bound = Round(plan.Bound), provenOptimal = plan.ProvenOptimal,
                residentsGaining = plan.ResidentsGaining, residents65Gaining = plan.Residents65Gaining,
                demandPoints = problem.Demand.Count, candidates = problem.Candidates.Count,
                sites = plan.Sites.Select((s, i) => new
                {
                    rank = i + 1, id = s.Site.Id, name = s.Site.Name, kind = s.Site.Kind, lon = s.Site.Lon, lat = s.Site.Lat, kernId = s.Site.KernId,
                    contribution = Round(s.Contribution), residentsGaining = s.ResidentsGaining, residents65Gaining = s.Residents65Gaining, reason = s.Reason,
                    gains = s.Gains.Select(g => new
                    {
                        placeId = g.PlaceId, name = g.Name, residents = g.Residents, residents65Plus = g.Residents65Plus,
                        minutesToSite = AnalysisEndpoints.Minutes(g.SecondsToSite),
                        categories = g.Categories.Select(c => new { category = c.Category, minutesBefore = AnalysisEndpoints.Minutes(c.SecondsBefore), minutesAfter = AnalysisEndpoints.Minutes(c.SecondsAfter) }),
                    }),
                }),
                curve = curve.Select(c => new
                {
                    sites = c.Sites, value = Round(c.Savings), marginal = Round(c.Marginal), provenOptimal = c.ProvenOptimal,
                    open = c.Open.Select(j => problem.Candidates[j].Name), openIds = c.Open.Select(j => problem.Candidates[j].Id),
                }),
                unsnapped = problem.Unsnapped,
            });
        }).WithSummary("Where dorpspunten help most: k sites (model covering|median, mode walk|bike, greedy or exact) with who gains, and the coverage curve k=1..curve.");

        api.MapGet("/sites.geojson", async (HttpContext ctx, AnalysisService analysis, SitingService siting, CancellationToken ct) =>
        {
            var (q, error) = ParseSites(ctx.Request.Query);
            if (error is not null) return error;
            var (problem, plan, _) = await SolveAsync(q! with { Curve = 0 }, analysis, siting, ct);
            return new GeoJsonResult(Tagged(SitingLayers.Sites(plan), "site").Concat(Tagged(SitingLayers.Gains(plan, problem), "gain")).ToList());
        }).WithSummary("The chosen sites (layer=site, points) and who gains (layer=gain, lines from the place to its site) as GeoJSON.");

        api.MapGet("/tours", async (HttpContext ctx, AnalysisService analysis, StreetService streets, CancellationToken ct) =>
        {
            var (tour, error) = await PlanTourAsync(ctx.Request.Query, analysis, streets, ct);
            if (error is not null) return error;
            var (plan, timetable) = tour!.Value;
            var inv = CultureInfo.InvariantCulture;
            return Results.Ok(new
            {
                depot = new { id = plan.Depot.KernId, name = plan.Depot.Name, lon = plan.Depot.Lon, lat = plan.Depot.Lat },
                residentsServed = plan.ResidentsServed, residents65Served = plan.Residents65Served,
                days = plan.Days.Select(d => new
                {
                    day = d.Day.ToString(), leave = d.Leave.ToString("HH:mm", inv), @return = d.Return.ToString("HH:mm", inv),
                    driveMinutes = Math.Round(d.DriveSeconds / 60, 1), driveKm = Math.Round(d.DriveMeters / 1000, 2),
                    stops = d.Visits.Select((v, i) => new
                    {
                        order = i + 1, kernId = v.Stop.KernId, name = v.Stop.Name, lon = v.Stop.Lon, lat = v.Stop.Lat,
                        arrival = v.Arrival.ToString("HH:mm", inv), departure = v.Departure.ToString("HH:mm", inv),
                        driveMinutes = Math.Round(v.DriveSeconds / 60, 1), residents = v.Stop.Residents, residents65Plus = v.Stop.Residents65Plus,
                    }),
                }),
                unserved = plan.Unserved.Select(s => new { kernId = s.KernId, name = s.Name }),
                timetable,
                route = FeatureCollection(SitingLayers.Tour(plan)),
            });
        }).WithSummary("A buurtkar week tour from a depot kern (id or name) to the given stops (default: kernen advised a buurtkar or mobile service): days, stops with arrival times, route, printable timetable.");

        api.MapGet("/tours.geojson", async (HttpContext ctx, AnalysisService analysis, StreetService streets, CancellationToken ct) =>
        {
            var (tour, error) = await PlanTourAsync(ctx.Request.Query, analysis, streets, ct);
            return error ?? new GeoJsonResult(SitingLayers.Tour(tour!.Value.Plan).ToList());
        }).WithSummary("The buurtkar tour's route legs and stops as GeoJSON (same parameters as /api/tours).");
    }

    private static async Task<(SitingProblem Problem, SitingPlan Plan, IReadOnlyList<CurvePoint> Curve)> SolveAsync(
        SitesQuery q, AnalysisService analysis, SitingService siting, CancellationToken ct)
    {
        var result = await analysis.CurrentAsync(ct);
        var problem = await siting.ProblemAsync(result, q.Mode, ct);
        var options = new ExactSolverOptions { TimeLimitSeconds = ExactTimeLimitSeconds };
        return await Task.Run(() =>
        {
            var plan = problem.Solve(q.Model, SiteLimit.Sites(q.K), exact: !q.Greedy, options);
            var curve = q.Curve > 0 ? problem.Curve(q.Curve, exact: !q.Greedy, options) : [];
            return (problem, plan, curve);
        }, ct);
    }

    private static (SitesQuery? Query, IResult? Error) ParseSites(IQueryCollection query)
    {
        var model = (query["model"].ToString() is { Length: > 0 } m ? m : "covering").ToLowerInvariant() switch
        {
            "covering" => SitingModel.Covering, "median" => (SitingModel?)SitingModel.Median, _ => null,
        };
        if (model is null) return (null, Problems.Field("model", "use covering (maximal covering) or median (p-median)."));
        var mode = (query["mode"].ToString() is { Length: > 0 } md ? md : "walk").ToLowerInvariant() switch
        {
            "walk" => Mode.Walk, "bike" => (Mode?)Mode.Bike, _ => null,
        };
        if (mode is null) return (null, Problems.Field("mode", "use walk or bike (how residents reach the dorpspunt)."));
        if (!TryInt(query, "k", 1, 1, MaxSites, out var k)) return (null, Problems.Field("k", $"give a whole number of sites from 1 to {MaxSites}."));
        if (!TryInt(query, "curve", 10, 0, MaxSites, out var curve)) return (null, Problems.Field("curve", $"give 0 (no curve) to {MaxSites}."));
        var greedyText = query["greedy"].ToString();
        bool greedy = false;
        if (greedyText.Length > 0 && !bool.TryParse(greedyText, out greedy)) return (null, Problems.Field("greedy", "give true or false."));
        if (model == SitingModel.Median && curve > 0 && query.ContainsKey("curve"))
            return (null, Problems.Field("curve", "the coverage curve belongs to the covering model; use curve=0 with model=median."));
        return (new SitesQuery(model.Value, mode.Value, k, model == SitingModel.Median ? 0 : curve, greedy), null);
    }

    private static async Task<((TourPlan Plan, string Timetable)? Tour, IResult? Error)> PlanTourAsync(
        IQueryCollection query, AnalysisService analysis, StreetService streets, CancellationToken ct)
    {
        var depotText = query["depot"].ToString().Trim();
        if (depotText.Length == 0) return (null, Problems.Field("depot", "give the depot kern's id or name."));
        List<DayOfWeek> days;
        try { days = SitingSetup.ParseDays(query["days"].ToString() is { Length: > 0 } d ? d : "Mon,Tue,Wed,Thu,Fri"); }
        catch (FormatException ex) { return (null, Problems.Field("days", ex.Message)); }
        var hoursText = query["hours"].ToString() is { Length: > 0 } h ? h : "09:00-16:00";
        var hourParts = hoursText.Split('-', StringSplitOptions.TrimEntries);
        int start, end;
        try
        {
            if (hourParts.Length != 2) throw new FormatException($"'{hoursText}' is not a working day like 09:00-16:00.");
            (start, end) = (BusService.ParseTime(hourParts[0]), BusService.ParseTime(hourParts[1]));
        }
        catch (FormatException ex) { return (null, Problems.Field("hours", ex.Message)); }
        if (end <= start) return (null, Problems.Field("hours", "the working day must end after it starts."));
        if (!TryInt(query, "stopMinutes", 45, 5, 240, out var stopMinutes)) return (null, Problems.Field("stopMinutes", "give 5–240 minutes."));

        var result = await analysis.CurrentAsync(ct);
        var kernen = result.Input.Kernen;
        KernInput? Find(string text) => long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var id)
            ? kernen.FirstOrDefault(k => k.Id == id)
            : kernen.FirstOrDefault(k => string.Equals(k.Name, text, StringComparison.OrdinalIgnoreCase));
        var depot = Find(depotText);
        if (depot is null) return (null, Problems.Field("depot", $"no kern in the analysed area has id or name '{(depotText.Length > 60 ? depotText[..60] : depotText)}'."));
        List<KernInput> stops;
        if (query["stops"].ToString() is { Length: > 0 } stopsText)
        {
            stops = [];
            foreach (var s in stopsText.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var k = Find(s);
                if (k is null) return (null, Problems.Field("stops", $"no kern in the analysed area has id or name '{(s.Length > 60 ? s[..60] : s)}'."));
                if (k.Id != depot.Id && stops.All(x => x.Id != k.Id)) stops.Add(k);
            }
        }
        else
        {
            stops = SitingSetup.AdvisedTourKernen(result).Where(k => k.Id != depot.Id).ToList();
        }
        if (stops.Count == 0) return (null, Problems.Field("stops", "there is nothing to visit: no kern besides the depot is advised a buurtkar or mobile service; name stops=…", 422));
        var options = new TourOptions
        {
            Days = days, DayStart = TimeOnly.FromTimeSpan(TimeSpan.FromSeconds(start)), DayEnd = TimeOnly.FromTimeSpan(TimeSpan.FromSeconds(end)),
            StopDuration = TimeSpan.FromMinutes(stopMinutes),
        };
        try
        {
            var plan = await Task.Run(() => TourPlanner.Plan(streets.Network, SitingSetup.KernStop(depot), stops.Select(SitingSetup.KernStop).ToList(), options), ct);
            return ((plan, TourPlanner.Timetable(plan, "Buurtkar")), null);
        }
        catch (InvalidOperationException ex) when (ex.Message.Contains("cannot be snapped", StringComparison.Ordinal))
        {
            return (null, Problems.Field("stops", ex.Message, 422));
        }
    }

    private static bool TryInt(IQueryCollection query, string name, int fallback, int min, int max, out int value)
    {
        var text = query[name].ToString();
        if (text.Length == 0) { value = fallback; return true; }
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value) && value >= min && value <= max;
    }

    private static double? Round(double v) => double.IsFinite(v) ? Math.Round(v, 2) : null;

    private static IEnumerable<IFeature> Tagged(IEnumerable<IFeature> features, string layer)
    {
        foreach (var f in features)
        {
            f.Attributes.Add("layer", layer);
            yield return f;
        }
    }

    /// <summary>Features as a GeoJSON FeatureCollection element, to embed in a JSON answer.</summary>
    private static JsonElement FeatureCollection(IEnumerable<IFeature> features)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("type", "FeatureCollection");
            w.WriteStartArray("features");
            foreach (var f in features) FeatureJson.WriteFeature(w, f);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return JsonDocument.Parse(buffer.ToArray()).RootElement.Clone();
    }
}
