using ServiceReach.Analysis;
using ServiceReach.Api.Infrastructure;
using ServiceReach.Api.Services;
using ServiceReach.Domain;
using ServiceReach.Storage;
using ServiceReach.Transit.Scenarios;

namespace ServiceReach.Api.Endpoints;

/// <summary>
/// Bus frequency scenarios for <c>POST /api/scenarios</c> (<c>routeHeadways</c>, <c>removeRoutes</c>): the timetable is
/// changed with <see cref="TransitScenario"/>, only bus+walk is recomputed, and the stored run holds the comparison.
/// </summary>
public static class BusScenarios
{
    public const double MaxFactor = 10;

    public static async Task<IResult> StartAsync(ScenarioRequest body, IServiceProvider services, CancellationToken ct)
    {
        var bus = services.GetRequiredService<BusService>();
        if ((body.Close is { Length: > 0 }) || (body.Add is { Length: > 0 }))
            return Problems.Field("routeHeadways", "bus changes (routeHeadways, removeRoutes) and service point changes (close, add) go in separate scenarios.");
        if (!bus.Available || bus.Context is not { } context)
            return Problems.Field("routeHeadways", "no GTFS timetable is configured (ServiceReach:Gtfs), so there are no bus lines to change.", 422);
        var routes = context.Timetable.Routes.Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
        string Known() => string.Join(", ", routes.Order(StringComparer.Ordinal));
        var headways = body.RouteHeadways ?? [];
        var remove = body.RemoveRoutes ?? [];
        if (headways.Length > 100) return Problems.Field("routeHeadways", "at most 100 changes.");
        if (remove.Length > 100) return Problems.Field("removeRoutes", "at most 100 routes.");
        for (var i = 0; i < headways.Length; i++)
        {
            var h = headways[i];
            if (h is null || string.IsNullOrWhiteSpace(h.RouteId) || !routes.Contains(h.RouteId))
                return Problems.Field($"routeHeadways[{i}].routeId", $"unknown route; the timetable has {Known()}.");
            if (!double.IsFinite(h.Factor) || h.Factor <= 0 || h.Factor > MaxFactor)
                return Problems.Field($"routeHeadways[{i}].factor", $"give a factor above 0 and at most {MaxFactor} (2 = half as many runs).");
            if (remove.Contains(h.RouteId, StringComparer.Ordinal))
                return Problems.Field($"routeHeadways[{i}].routeId", "this route is also removed.");
        }
        for (var i = 0; i < remove.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(remove[i]) || !routes.Contains(remove[i]))
                return Problems.Field($"removeRoutes[{i}]", $"unknown route; the timetable has {Known()}.");
        }

        var settings = services.GetRequiredService<ApiSettings>();
        var analysis = services.GetRequiredService<AnalysisService>();
        var streets = services.GetRequiredService<StreetService>();
        var jobs = services.GetRequiredService<JobRunner>();
        var name = body.Name.Trim();
        var baseline = await analysis.CurrentAsync(ct);
        if (!jobs.TryEnqueue("scenario", async (job, token) =>
            {
                job.Progress = 0.1;
                var (after, changes) = await Task.Run(() =>
                {
                    var scenario = new TransitScenario(context.Timetable, context.Walking);
                    foreach (var h in headways) scenario.ScaleHeadways(h.RouteId, h.Factor);
                    foreach (var r in remove) scenario.RemoveRoute(r);
                    return AccessAnalysis.RunBusScenario(streets.Network, baseline, context.Reach(scenario.Build(), name));
                }, token);
                job.Progress = 0.9;
                job.Message = "saving";
                if (settings.JobHoldBeforeSaveMs > 0) await Task.Delay(settings.JobHoldBeforeSaveMs, token);
                return await StoredAnalysis.SaveRunAsync(settings.Database, after, "scenario", name, new
                {
                    scenario = new { name, routeHeadways = headways.Select(h => new { routeId = h.RouteId, factor = h.Factor }), removeRoutes = remove, busWindow = settings.BusWindow },
                    changes = AnalysisEndpoints.ChangesView(changes),
                    bus = BusSummary(baseline, after),
                }, token);
            }, out var job))
            return Results.Problem(statusCode: 503, title: "Busy", detail: "Too many jobs are queued; try again later.");
        return Results.Accepted($"/api/jobs/{job.Id}", AnalysisEndpoints.JobView(job));
    }

    /// <summary>
    /// Per kern: bus+walk median minutes per category before and after, and how many categories are within the bus
    /// threshold — every kern, changed or not, so a plot can show the whole region.
    /// </summary>
    private static IEnumerable<object> BusSummary(AnalysisResult before, AnalysisResult after)
    {
        var catalogue = before.Input.Catalogue;
        foreach (var k in before.Kernen)
        {
            int withinBefore = 0, withinAfter = 0;
            var rows = new List<object>();
            foreach (var c in before.KernReach.Categories)
            {
                var b = before.KernReach.Get(k.Id, c, Mode.BusWalk).Seconds;
                var a = after.KernReach.Get(k.Id, c, Mode.BusWalk).Seconds;
                var limit = catalogue.ThresholdFor(c, Mode.BusWalk).Seconds;
                if (b <= limit) withinBefore++;
                if (a <= limit) withinAfter++;
                rows.Add(new { category = c, minutesBefore = AnalysisEndpoints.Minutes(b), minutesAfter = AnalysisEndpoints.Minutes(a) });
            }
            yield return new { kernId = k.Id, name = k.Name, categoriesWithinBefore = withinBefore, categoriesWithinAfter = withinAfter, categories = rows };
        }
    }
}
