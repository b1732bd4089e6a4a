using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Features;
using ServiceReach.Analysis;
using ServiceReach.Api.Infrastructure;
using ServiceReach.Api.Services;
using ServiceReach.Domain;
using ServiceReach.Domain.Scoring;
using ServiceReach.Exchange.GeoJson;
using ServiceReach.Routing;
using ServiceReach.Storage;

namespace ServiceReach.Api.Endpoints;

public sealed record IsochroneRequest(double? Lon = null, double? Lat = null, long? KernId = null, string Mode = "walk", double[]? Minutes = null,
    string? Departure = null, int? WindowMinutes = null, double? Percentile = null);

public sealed record ScenarioServiceRequest(string Name, double Lon, double Lat, string[] Categories);

/// <summary>A bus line's headways multiplied by <paramref name="Factor"/> (2 = half as many runs, 0.5 = twice as many).</summary>
public sealed record RouteHeadwayRequest(string RouteId, double Factor);

public sealed record ScenarioRequest(string Name, long[]? Close = null, ScenarioServiceRequest[]? Add = null,
    RouteHeadwayRequest[]? RouteHeadways = null, string[]? RemoveRoutes = null);

/// <summary>Isochrones, reach, gaps, advice, bus reach over a departure window, background analyses and scenarios, runs, exports.</summary>
public static class AnalysisEndpoints
{
    public static bool TryParseMode(string? text, out Mode mode)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "walk": mode = Mode.Walk; return true;
            case "reduced-mobility-walk" or "reducedmobilitywalk" or "reduced-mobility": mode = Mode.ReducedMobilityWalk; return true;
            case "bike" or "bicycle": mode = Mode.Bike; return true;
            case "ebike" or "e-bike": mode = Mode.EBike; return true;
            case "bus" or "buswalk" or "bus-walk": mode = Mode.BusWalk; return true;
            default: mode = default; return false;
        }
    }

    public static void Map(WebApplication app)
    {
        var api = app.MapGroup("/api").WithTags("analysis");

        api.MapGet("/isochrone", (HttpContext ctx, double? lon, double? lat, long? kern, string? mode, string? minutes,
                string? departure, int? windowMinutes, double? percentile,
                ApiSettings settings, StreetService streets, BusService bus, CancellationToken ct) =>
        {
            double[]? mins = null;
            if (minutes is not null)
            {
                var parts = minutes.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
                mins = new double[parts.Length];
                for (var i = 0; i < parts.Length; i++)
                {
                    if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out mins[i]))
                        return Task.FromResult(Problems.Field("minutes", $"'{parts[i]}' is not a number; give e.g. minutes=5,10,15."));
                }
            }
            return Isochrone(new IsochroneRequest(lon, lat, kern, mode ?? "walk", mins, departure, windowMinutes, percentile), settings, streets, bus, ct);
        }).WithSummary("Isochrone bands (GeoJSON) from a point (lon, lat) or a kern, for mode walk | reduced-mobility-walk | bike | ebike | bus, minutes=5,10,15; " +
                       "bus: departure=HH:mm, windowMinutes (default 30), percentile over the window's departures (default 50).");

        api.MapPost("/isochrone", async (HttpRequest req, ApiSettings settings, StreetService streets, BusService bus, CancellationToken ct) =>
        {
            var (body, error) = await Problems.ReadBody<IsochroneRequest>(req, ct);
            return error ?? await Isochrone(body!, settings, streets, bus, ct);
        }).Accepts<IsochroneRequest>("application/json").WithSummary("Isochrone bands (GeoJSON); body {lon, lat | kernId, mode, minutes[], departure, windowMinutes, percentile}. A read: no key needed.");

        api.MapGet("/reach", async (long? kern, string? category, string? mode, AnalysisService analysis, CancellationToken ct) =>
        {
            Mode? m = null;
            if (mode is not null)
            {
                if (!TryParseMode(mode, out var parsed)) return Problems.Field("mode", "use walk, reduced-mobility-walk, bike, ebike or bus.");
                m = parsed;
            }
            if (category is not null && !analysis.Catalogue.Contains(category)) return Problems.Field("category", "unknown category (see GET /api/categories).");
            var r = await analysis.CurrentAsync(ct);
            if (m is { } mm && !r.KernReach.Has(mm)) return Problems.Field("mode", $"{mm} is not part of the analysis (no timetable configured?).");
            if (kern is { } id)
            {
                if (r.Kernen.All(k => k.Id != id)) return Problems.NotFound($"kern {id} is not in the analysed area.");
                return Results.Ok(KernViews.Reach(r, id, category, m));
            }
            return Results.Ok(r.Kernen.Select(k => new { kernId = k.Id, name = k.Name, reach = KernViews.Reach(r, k.Id, category, m) }));
        }).WithSummary("Reach per category and mode (one kern or all) from the current analysis.");

        api.MapGet("/gaps", async (AnalysisService analysis, CancellationToken ct) =>
        {
            var r = await analysis.CurrentAsync(ct);
            return Results.Ok(r.Gaps.OrderByDescending(g => g.Total).Select(KernViews.Gap));
        }).WithSummary("Gap score per kern with the parts it is made of, largest first.");

        api.MapGet("/advice", async (long? kern, AnalysisService analysis, CancellationToken ct) =>
        {
            var r = await analysis.CurrentAsync(ct);
            var advice = r.Advice.Where(a => kern is null || a.KernId == kern).Select(KernViews.Advice).ToList();
            return kern is not null && advice.Count == 0 ? Problems.NotFound($"kern {kern} is not in the analysed area.") : Results.Ok(advice);
        }).WithSummary("Intervention advice per kern with its reasons.");

        api.MapGet("/kernen/{id:long}/bus", async (long id, string? departure, int? windowMinutes, BusService bus, AnalysisService analysis, CancellationToken ct) =>
        {
            if (!bus.Available) return Problems.Field("mode", "no GTFS timetable is configured (ServiceReach:Gtfs).", 404);
            if (DepartureWindow(bus, departure, windowMinutes, out var start, out var window) is { } windowProblem) return windowProblem;
            var r = await analysis.CurrentAsync(ct);
            var place = r.Kernen.FirstOrDefault(k => k.Id == id);
            if (place is null) return Problems.NotFound($"kern {id} is not in the analysed area.");
            var reach = bus.For(start, start + window * 60)!;
            var byCategory = r.Input.Catalogue.Categories.ToDictionary(c => c.Code,
                c => (IReadOnlyList<ServiceInput>)r.Input.Services.Where(s => s.CountsForReach && s.Categories.Contains(c.Code)).ToList());
            var rows = await Task.Run(() => reach.Nearest([place], byCategory, c => r.Input.Catalogue.ThresholdFor(c, Mode.BusWalk).Seconds), ct);
            return Results.Ok(new
            {
                kernId = id, name = place.Name, departureFrom = BusService.Hhmm(start), departureTo = BusService.Hhmm(start + window * 60), description = reach.Description,
                categories = rows.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => new
                {
                    category = kv.Key,
                    medianMinutes = Minutes(kv.Value[0].Seconds), p5Minutes = Minutes(kv.Value[0].P5Seconds), p95Minutes = Minutes(kv.Value[0].P95Seconds),
                    thresholdMinutes = Math.Round(r.Input.Catalogue.ThresholdFor(kv.Key, Mode.BusWalk).Seconds / 60, 1),
                }),
            });
        }).WithSummary("Bus+walk door-to-door minutes (median, 5th and 95th percentile) from a kern per category, for departures in a window.");

        api.MapPost("/analyses", (ApiSettings settings, AnalysisService analysis, JobRunner jobs) =>
        {
            if (!jobs.TryEnqueue("access", async (job, ct) =>
                {
                    var progress = new Progress<double>(p => job.Progress = p);
                    var result = await analysis.ComputeAsync(progress, ct);
                    job.Message = "saving";
                    if (settings.JobHoldBeforeSaveMs > 0) await Task.Delay(settings.JobHoldBeforeSaveMs, ct);
                    var runId = await StoredAnalysis.SaveRunAsync(settings.Database, result, "access", null,
                        new { osm = Path.GetFileName(settings.StreetsOsm), gtfs = settings.Gtfs is null ? null : Path.GetFileName(settings.Gtfs), window = settings.BusWindow, source = "api" }, ct);
                    analysis.Publish(result);
                    return runId;
                }, out var job))
                return Results.Problem(statusCode: 503, title: "Busy", detail: "Too many jobs are queued; try again later.");
            return Results.Accepted($"/api/jobs/{job.Id}", JobView(job));
        }).WithSummary("Start a full access analysis in the background (API key). Poll the job URL for progress and the result URL.");

        api.MapPost("/scenarios", async (HttpRequest req, ApiSettings settings, AnalysisService analysis, StreetService streets, JobRunner jobs, CancellationToken ct) =>
        {
            var (body, error) = await Problems.ReadBody<ScenarioRequest>(req, ct);
            if (error is not null) return error;
            if (string.IsNullOrWhiteSpace(body!.Name) || body.Name.Length > 200) return Problems.Field("name", "give a scenario name of 1–200 characters.");
            if (body.RouteHeadways is { Length: > 0 } || body.RemoveRoutes is { Length: > 0 })
                return await BusScenarios.StartAsync(body, req.HttpContext.RequestServices, ct);
            var baseline = await analysis.CurrentAsync(ct);
            var known = baseline.Input.Services.Select(s => s.Id).ToHashSet();
            var close = body.Close ?? [];
            if (close.Length > 10_000) return Problems.Field("close", "at most 10,000 service points.");
            foreach (var id in close)
            {
                if (!known.Contains(id)) return Problems.Field("close", $"there is no service point {id} in the analysed area.");
            }
            var add = new List<ServiceInput>();
            var nextId = -1L;
            var items = body.Add ?? [];
            if (items.Length > 1000) return Problems.Field("add", "at most 1,000 new service points.");
            for (var i = 0; i < items.Length; i++)
            {
                var a = items[i];
                if (string.IsNullOrWhiteSpace(a.Name) || a.Name.Length > 200) return Problems.Field($"add[{i}].name", "give a name of 1–200 characters.");
                if (!double.IsFinite(a.Lon) || !double.IsFinite(a.Lat) || !streets.Contains(a.Lon, a.Lat))
                    return Problems.Field($"add[{i}].lon", "the point lies outside the street network's area.");
                if (a.Categories is null || a.Categories.Length == 0) return Problems.Field($"add[{i}].categories", "give at least one category.");
                foreach (var c in a.Categories)
                {
                    if (!analysis.Catalogue.Contains(c)) return Problems.Field($"add[{i}].categories", $"unknown category '{(c.Length > 40 ? c[..40] : c)}'.");
                }
                add.Add(new ServiceInput(nextId--, a.Name.Trim(), a.Lon, a.Lat, [.. a.Categories.Distinct()]));
            }
            if (close.Length == 0 && add.Count == 0) return Problems.Field("close", "a scenario must close or add at least one service point.");
            var scenario = new Scenario(body.Name.Trim()) { CloseServiceIds = close, AddServices = add };
            if (!jobs.TryEnqueue("scenario", async (job, token) =>
                {
                    job.Progress = 0.1;
                    var (after, changes) = await Task.Run(() => analysis.Engine().RunScenario(baseline, scenario), token);
                    job.Progress = 0.9;
                    job.Message = "saving";
                    if (settings.JobHoldBeforeSaveMs > 0) await Task.Delay(settings.JobHoldBeforeSaveMs, token);
                    return await StoredAnalysis.SaveRunAsync(settings.Database, after, "scenario", scenario.Name, new
                    {
                        scenario = new { name = scenario.Name, close, add = items },
                        changes = ChangesView(changes),
                    }, token);
                }, out var job))
                return Results.Problem(statusCode: 503, title: "Busy", detail: "Too many jobs are queued; try again later.");
            return Results.Accepted($"/api/jobs/{job.Id}", JobView(job));
        }).Accepts<ScenarioRequest>("application/json").WithSummary("Create and run a scenario (close / add service points) against the current analysis in the background (API key); the run holds the comparison.");

        api.MapGet("/jobs/{id:guid}", (Guid id, JobRunner jobs) => jobs.Get(id) is { } job ? Results.Ok(JobView(job)) : Problems.NotFound($"job {id} is unknown (jobs are kept in memory until the service restarts)."))
            .WithSummary("A background job: state, progress 0..1, result URL when done.");
        api.MapGet("/jobs", (JobRunner jobs) => Results.Ok(jobs.All.Select(JobView))).WithSummary("All jobs since the service started.");

        api.MapGet("/runs", async (string? kind, ApiSettings settings, CancellationToken ct) =>
        {
            await using var db = ServiceReachDb.Open(settings.Database);
            var runs = await db.AnalysisRuns.AsNoTracking().Where(r => kind == null || r.Kind == kind).OrderByDescending(r => r.Id).Take(100)
                .Select(r => new { r.Id, r.Kind, r.Scenario, r.Status, r.StartedAt, r.FinishedAt }).ToListAsync(ct);
            return Results.Ok(runs);
        }).WithSummary("Stored analysis runs, newest first (kind=access|scenario).");

        api.MapGet("/runs/{id:long}", async (long id, ApiSettings settings, CancellationToken ct) =>
        {
            await using var db = ServiceReachDb.Open(settings.Database);
            var run = await db.AnalysisRuns.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, ct);
            if (run is null) return Problems.NotFound($"analysis run {id} does not exist.");
            return Results.Ok(new
            {
                run.Id, run.Kind, run.Scenario, run.Status, run.StartedAt, run.FinishedAt, run.Error,
                parameters = JsonDocument.Parse(run.Parameters).RootElement,
                summary = run.Summary is null ? (JsonElement?)null : JsonDocument.Parse(run.Summary).RootElement,
            });
        }).WithSummary("One stored run with its parameters and summary; a scenario run's parameters hold the comparison (changes per kern).");

        api.MapGet("/streets", (StreetLines streets) => new GeoJsonResult(streets.Lines))
            .WithTags("data").WithSummary("The streets of the configured OSM extract as GeoJSON lines (the web map's offline base layer).");

        api.MapGet("/exports/{layer}", async (HttpContext ctx, string layer, AnalysisService analysis, DbLayers layers) =>
        {
            var name = layer.EndsWith(".geojson", StringComparison.OrdinalIgnoreCase) ? layer[..^8] : layer;
            var file = $"servicereach-{name}.geojson";
            if (DbLayers.Find(name) is { } db)
            {
                await FeatureJson.StreamAsync(ctx, layers.ReadAsync(db, null, 0, null, ctx.RequestAborted), file);
                return;
            }
            if (AnalysisLayerSet.Find(name) is { } al)
            {
                var r = await analysis.CurrentAsync(ctx.RequestAborted);
                await FeatureJson.StreamAsync(ctx, al.Features(r), file);
                return;
            }
            await Problems.Field("layer", $"unknown layer; use one of {string.Join(", ", DbLayers.All.Select(l => l.Id).Concat(AnalysisLayerSet.All.Select(l => l.Id)))}.", 404).ExecuteAsync(ctx);
        }).WithTags("exports").WithSummary("Download a layer as GeoJSON (Content-Disposition: attachment).");
    }

    internal static double? Minutes(double? seconds) => seconds is { } s && double.IsFinite(s) ? Math.Round(s / 60, 1) : null;

    /// <summary>The before/after comparison per kern as stored in a scenario run's <c>parameters.changes</c>.</summary>
    internal static IEnumerable<object> ChangesView(IReadOnlyList<KernChange> changes) => changes.Select(c => new
    {
        kernId = c.KernId, name = c.KernName, gapBefore = Math.Round(c.GapBefore, 1), gapAfter = Math.Round(c.GapAfter, 1),
        adviceBefore = c.AdviceBefore.ToString(), adviceAfter = c.AdviceAfter.ToString(),
        reach = c.Reach.Select(x => new { category = x.Category, mode = x.Mode.ToString(), minutesBefore = Minutes(x.SecondsBefore), minutesAfter = Minutes(x.SecondsAfter) }),
    });

    public static object JobView(Job j) => new
    {
        id = j.Id, kind = j.Kind, state = j.State, progress = Math.Round(j.Progress, 2), message = j.Message,
        statusUrl = $"/api/jobs/{j.Id}", resultUrl = j.ResultUrl, runId = j.RunId, error = j.Error, createdAt = j.CreatedAt, finishedAt = j.FinishedAt,
    };

    /// <summary>A departure window from "HH:mm" (default: the configured window's start) and a length in minutes (default 30), or the problem naming the bad field.</summary>
    private static IResult? DepartureWindow(BusService bus, string? departure, int? windowMinutes, out int start, out int minutes)
    {
        start = bus.DefaultWindow.Start;
        minutes = windowMinutes ?? 30;
        if (departure is not null)
        {
            try { start = BusService.ParseTime(departure); }
            catch (FormatException ex) { return Problems.Field("departure", ex.Message); }
        }
        return minutes is < 1 or > 240 ? Problems.Field("windowMinutes", "give 1–240 minutes.") : null;
    }

    private static Task<IResult> Isochrone(IsochroneRequest req, ApiSettings settings, StreetService streets, BusService bus, CancellationToken ct)
    {
        if (!TryParseMode(req.Mode, out var mode)) return Task.FromResult(Problems.Field("mode", $"unknown mode '{Short(req.Mode)}'; use walk, reduced-mobility-walk, bike, ebike or bus."));
        BusIsochroneOptions? busOptions = null;
        if (mode == Mode.BusWalk)
        {
            if (!bus.Available) return Task.FromResult(Problems.Field("mode", "no GTFS timetable is configured (ServiceReach:Gtfs), so there are no bus isochrones.", 404));
            if (DepartureWindow(bus, req.Departure, req.WindowMinutes, out var start, out var window) is { } windowProblem) return Task.FromResult(windowProblem);
            var percentile = req.Percentile ?? 50;
            if (!(percentile > 0 && percentile <= 100)) return Task.FromResult(Problems.Field("percentile", "give a percentile above 0 and at most 100."));
            busOptions = new BusIsochroneOptions { Window = (start, start + window * 60), Percentile = percentile };
        }
        else if (req.Departure is not null || req.WindowMinutes is not null || req.Percentile is not null)
            return Task.FromResult(Problems.Field("departure", "departure, windowMinutes and percentile apply to mode=bus only."));
        var minutes = req.Minutes ?? (mode == Mode.BusWalk ? [15, 30, 45] : [5, 10, 15]);
        if (minutes.Length is 0 or > 6) return Task.FromResult(Problems.Field("minutes", "give 1–6 limits."));
        foreach (var m in minutes)
        {
            if (!double.IsFinite(m) || m <= 0 || m > settings.MaxIsochroneMinutes)
                return Task.FromResult(Problems.Field("minutes", $"each limit must be more than 0 and at most {settings.MaxIsochroneMinutes} minutes."));
        }
        if (minutes.Distinct().Count() != minutes.Length) return Task.FromResult(Problems.Field("minutes", "limits must be distinct."));
        return IsochroneCore(req, mode, minutes, busOptions, settings, streets, bus, ct);
    }

    private static async Task<IResult> IsochroneCore(IsochroneRequest req, Mode mode, double[] minutes, BusIsochroneOptions? busOptions,
        ApiSettings settings, StreetService streets, BusService bus, CancellationToken ct)
    {
        double lon, lat;
        string? kernName = null;
        if (req.KernId is { } kid)
        {
            await using var db = ServiceReachDb.Open(settings.Database);
            var kern = await db.Kernen.AsNoTracking().FirstOrDefaultAsync(k => k.Id == kid, ct);
            if (kern is null) return Problems.NotFound($"kern {kid} does not exist.");
            (lon, lat, kernName) = (kern.Centre.X, kern.Centre.Y, kern.Name);
        }
        else
        {
            if (req.Lon is not { } x || !double.IsFinite(x) || x is < -180 or > 180) return Problems.Field("lon", "give a longitude between -180 and 180 (or a kernId).");
            if (req.Lat is not { } y || !double.IsFinite(y) || y is < -90 or > 90) return Problems.Field("lat", "give a latitude between -90 and 90 (or a kernId).");
            (lon, lat) = (x, y);
        }
        if (!streets.Contains(lon, lat))
        {
            var b = streets.Bounds;
            return Problems.Field(req.KernId is null ? "lon" : "kernId",
                FormattableString.Invariant($"the point ({lon:F5}, {lat:F5}) lies outside the street network's area ({b.MinLon:F4},{b.MinLat:F4} – {b.MaxLon:F4},{b.MaxLat:F4})."));
        }
        var limits = minutes.Select(m => m * 60).Order().ToArray();
        if (busOptions is not null)
        {
            // Bus bands: walking to the stops, the timetable over the window, walking on; drawn on the walking network.
            var iso = bus.Isochrones!;
            var from = iso.Walking.Snap(new GeoPoint(lon, lat));
            if (!from.Found) return Problems.Field("lon", $"no usable street for walking near this point: {from.Reason}", 422);
            var busBands = await Task.Run(() => iso.Compute(from, limits, busOptions), ct);
            var (ws, we) = busOptions.Window!.Value;
            return new IsochroneResult(busBands, new IsochroneOrigin(mode.ToString(), Math.Round(lon, 6), Math.Round(lat, 6), Math.Round(from.DistanceMeters, 1), kernName)
            {
                DepartureWindow = $"{BusService.Hhmm(ws)}-{BusService.Hhmm(we)}", Percentile = busOptions.Percentile,
            });
        }
        var router = streets.For(mode);
        var origin = router.Snap(new GeoPoint(lon, lat));
        if (!origin.Found) return Problems.Field("lon", $"no usable street for {mode} near this point: {origin.Reason}", 422);
        var bands = router.Isochrones(origin, limits);
        return new IsochroneResult(bands, new IsochroneOrigin(mode.ToString(), Math.Round(lon, 6), Math.Round(lat, 6), Math.Round(origin.DistanceMeters, 1), kernName));
    }

    private static string Short(string? s) => s is null ? "" : s.Length > 30 ? s[..30] + "…" : s;
}

/// <summary>Writes features as a GeoJSON FeatureCollection.</summary>
public sealed class GeoJsonResult(IEnumerable<IFeature> features) : IResult
{
    public Task ExecuteAsync(HttpContext httpContext) => FeatureJson.StreamAsync(httpContext, features);
}

/// <summary>Writes isochrone bands as a GeoJSON FeatureCollection with a Content-Length, in one write (<see cref="IsochroneJson"/>).</summary>
public sealed class IsochroneResult(IReadOnlyList<IsochroneBand> bands, IsochroneOrigin origin) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        using var buffer = new PooledBufferWriter(IsochroneJson.EstimateBytes(bands));
        IsochroneJson.Write(buffer, bands, origin);
        var response = httpContext.Response;
        response.ContentType = FeatureJson.ContentType;
        response.ContentLength = buffer.WrittenCount;
        await response.Body.WriteAsync(buffer.WrittenMemory, httpContext.RequestAborted);
    }
}

/// <summary>The analysis layers (AnalysisLayers in ServiceReach.Analysis), published for OGC API Features and exports.</summary>
public sealed record AnalysisLayerSet(string Id, string Title, string GeometryType, Func<AnalysisResult, IEnumerable<IFeature>> Features)
{
    public static readonly IReadOnlyList<AnalysisLayerSet> All =
    [
        new("gaps", "Kernen with gap score and advice (current analysis)", "Point", AnalysisLayers.Kernen),
        new("reach", "Reach per kern, category and mode (current analysis)", "Point", AnalysisLayers.Reach),
        new("network", "Village network: kern → providing kern per category", "LineString", AnalysisLayers.Network),
        new("unit_reach", "Population units with basket flags and walking minutes", "Point", AnalysisLayers.Units),
    ];

    public static AnalysisLayerSet? Find(string id) => All.FirstOrDefault(l => l.Id == id);
}
