using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ServiceReach.Api.Infrastructure;
using ServiceReach.Api.Services;
using ServiceReach.Siting;

namespace ServiceReach.Api.Tests;

/// <summary>
/// Planning endpoints (/api/sites, /api/tours) and bus frequency scenarios (POST /api/scenarios with routeHeadways):
/// the answers are checked against enumeration, monotonicity and the working day, not against stored numbers.
/// </summary>
public sealed class PlanningTests(ApiFixture fx)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<JsonElement> Json(HttpResponseMessage r)
    {
        var text = await r.Content.ReadAsStringAsync(Ct);
        Assert.True(r.IsSuccessStatusCode, $"{(int)r.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    private static async Task AssertProblem(HttpResponseMessage r, HttpStatusCode expected, string field)
    {
        var text = await r.Content.ReadAsStringAsync(Ct);
        Assert.True(r.StatusCode == expected, $"expected {(int)expected}, got {(int)r.StatusCode}: {text}");
        Assert.StartsWith("application/problem+json", r.Content.Headers.ContentType?.MediaType ?? "");
        Assert.True(JsonDocument.Parse(text).RootElement.GetProperty("errors").TryGetProperty(field, out _), $"the problem should name '{field}': {text}");
    }

    private static StringContent Body(object value) => new(JsonSerializer.Serialize(value), Encoding.UTF8, "application/json");

    private static double Minutes(JsonElement e) => e.ValueKind == JsonValueKind.Null ? double.PositiveInfinity : e.GetDouble();

    [Fact]
    public async Task One_site_is_the_best_single_candidate_and_the_curve_never_decreases()
    {
        using var c = fx.Client();
        var answer = await Json(await c.GetAsync("/api/sites?k=1&curve=10&mode=walk&model=covering", Ct));

        // Enumerate every single candidate on the covering instance, built here from the service's own analysis and network.
        var services = fx.Factory.Services;
        var result = await services.GetRequiredService<AnalysisService>().CurrentAsync(Ct);
        var network = services.GetRequiredService<StreetService>().Network;
        var osm = services.GetRequiredService<ApiSettings>().StreetsOsm;
        var candidates = new List<CandidateSite>(CandidateSources.FromKernen(result.Input.Kernen));
        candidates.AddRange(CandidateSources.FromOsm(osm));
        var problem = SitingProblem.Build(result, network, candidates, new SitingOptions { Mode = Domain.Mode.Walk });
        var single = new double[problem.Candidates.Count];
        for (int j = 0; j < single.Length; j++) single[j] = problem.Covering.Savings([j]);
        var best = single.Max();
        Assert.True(best > 0, "some candidate must help somebody in the demo region");

        var site = Assert.Single(answer.GetProperty("sites").EnumerateArray());
        var chosen = problem.Candidates.Select((x, j) => (x.Id, j)).Single(x => x.Id == site.GetProperty("id").GetString()).j;
        Assert.Equal(best, single[chosen], 6);
        Assert.Equal(Math.Round(best, 2), answer.GetProperty("savings").GetDouble(), 6);
        Assert.True(site.GetProperty("residentsGaining").GetInt32() > 0);
        Assert.NotEmpty(site.GetProperty("gains").EnumerateArray());
        foreach (var g in site.GetProperty("gains").EnumerateArray())
        {
            foreach (var cat in g.GetProperty("categories").EnumerateArray())
                Assert.True(Minutes(cat.GetProperty("minutesAfter")) < Minutes(cat.GetProperty("minutesBefore")), cat.ToString());
        }

        var curve = answer.GetProperty("curve").EnumerateArray().ToList();
        Assert.Equal(Enumerable.Range(1, 10), curve.Select(p => p.GetProperty("sites").GetInt32()));
        Assert.Equal(Math.Round(best, 2), curve[0].GetProperty("value").GetDouble(), 6);
        for (int i = 1; i < curve.Count; i++)
        {
            Assert.True(curve[i].GetProperty("value").GetDouble() >= curve[i - 1].GetProperty("value").GetDouble() - 1e-9, $"curve decreases at k={i + 1}");
            Assert.True(curve[i].GetProperty("open").GetArrayLength() <= i + 1);
        }

        // Three sites: the exact plan's value is the curve's third point, and each site's gains are lines in the GeoJSON variant.
        var three = await Json(await c.GetAsync("/api/sites?k=3&curve=0", Ct));
        Assert.Equal(3, three.GetProperty("sites").GetArrayLength());
        Assert.Equal(curve[2].GetProperty("value").GetDouble(), three.GetProperty("savings").GetDouble(), 6);
        var fc = await Json(await c.GetAsync("/api/sites.geojson?k=3", Ct));
        var features = fc.GetProperty("features").EnumerateArray().ToList();
        var siteIds = features.Where(f => f.GetProperty("properties").GetProperty("layer").GetString() == "site")
            .Select(f => f.GetProperty("properties").GetProperty("site_id").GetString()).ToHashSet();
        Assert.Equal(three.GetProperty("sites").EnumerateArray().Select(s => s.GetProperty("id").GetString()).ToHashSet(), siteIds);
        var gains = features.Where(f => f.GetProperty("properties").GetProperty("layer").GetString() == "gain").ToList();
        Assert.Equal(three.GetProperty("sites").EnumerateArray().Sum(s => s.GetProperty("gains").GetArrayLength()), gains.Count);
        Assert.All(gains, g => Assert.Contains(g.GetProperty("properties").GetProperty("site_id").GetString(), siteIds));
    }

    [Fact]
    public async Task Sites_reject_bad_parameters_naming_them()
    {
        using var c = fx.Client();
        await AssertProblem(await c.GetAsync("/api/sites?k=0", Ct), HttpStatusCode.BadRequest, "k");
        await AssertProblem(await c.GetAsync("/api/sites?k=abc", Ct), HttpStatusCode.BadRequest, "k");
        await AssertProblem(await c.GetAsync("/api/sites?curve=99", Ct), HttpStatusCode.BadRequest, "curve");
        await AssertProblem(await c.GetAsync("/api/sites?model=nearest", Ct), HttpStatusCode.BadRequest, "model");
        await AssertProblem(await c.GetAsync("/api/sites?mode=bus", Ct), HttpStatusCode.BadRequest, "mode");
        await AssertProblem(await c.GetAsync("/api/sites?greedy=perhaps", Ct), HttpStatusCode.BadRequest, "greedy");
    }

    [Fact]
    public async Task Tour_visits_each_advised_kern_once_within_the_working_day()
    {
        using var c = fx.Client();
        var advice = await Json(await c.GetAsync("/api/advice", Ct));
        var kernen = await Json(await c.GetAsync("/api/kernen", Ct));
        var depotId = kernen.GetProperty("features").EnumerateArray().Single(f => f.GetProperty("properties").GetProperty("name").GetString() == "Heidebeek")
            .GetProperty("properties").GetProperty("id").GetInt64();
        var advised = advice.EnumerateArray()
            .Where(a => a.GetProperty("primary").GetString() is "Buurtkar" or "MobieleDienst")
            .Select(a => a.GetProperty("kernId").GetInt64()).Where(id => id != depotId).ToHashSet();
        Assert.NotEmpty(advised); // geodata/demo/README.md: Duivenhoek and Ooievaarshoek are the buurtkar case

        foreach (var (hours, stopMinutes) in new[] { ("09:00-16:00", 45), ("09:00-10:15", 45) })
        {
            var (from, to) = (TimeOnly.Parse(hours[..5], CultureInfo.InvariantCulture), TimeOnly.Parse(hours[6..], CultureInfo.InvariantCulture));
            // The depot by name and by id gives the same plan.
            var tour = await Json(await c.GetAsync($"/api/tours?depot=Heidebeek&days=Mon,Thu&hours={hours}&stopMinutes={stopMinutes}", Ct));
            var byId = await Json(await c.GetAsync($"/api/tours?depot={depotId}&days=Mon,Thu&hours={hours}&stopMinutes={stopMinutes}", Ct));
            Assert.Equal(tour.GetProperty("days").ToString(), byId.GetProperty("days").ToString());

            var visited = new List<long>();
            var legs = 0;
            foreach (var day in tour.GetProperty("days").EnumerateArray())
            {
                Assert.Contains(day.GetProperty("day").GetString(), new[] { "Monday", "Thursday" });
                var leave = TimeOnly.Parse(day.GetProperty("leave").GetString()!, CultureInfo.InvariantCulture);
                var back = TimeOnly.Parse(day.GetProperty("return").GetString()!, CultureInfo.InvariantCulture);
                Assert.True(leave >= from && back <= to && leave <= back, day.ToString());
                var previous = leave;
                foreach (var stop in day.GetProperty("stops").EnumerateArray())
                {
                    var arrive = TimeOnly.Parse(stop.GetProperty("arrival").GetString()!, CultureInfo.InvariantCulture);
                    var depart = TimeOnly.Parse(stop.GetProperty("departure").GetString()!, CultureInfo.InvariantCulture);
                    Assert.True(arrive >= previous, $"arrival before the previous departure: {stop}");
                    Assert.True(arrive >= from && depart <= to, stop.ToString());
                    Assert.Equal(stopMinutes, (depart - arrive).TotalMinutes, 0.51);
                    previous = depart;
                    visited.Add(stop.GetProperty("kernId").GetInt64());
                }
                Assert.True(back >= previous);
                legs += day.GetProperty("stops").GetArrayLength() + 1;
            }
            Assert.Equal(visited.Count, visited.Distinct().Count());
            var unserved = tour.GetProperty("unserved").EnumerateArray().Select(u => u.GetProperty("kernId").GetInt64()).ToList();
            Assert.Equal(advised, visited.Concat(unserved).ToHashSet());
            Assert.Equal(advised.Count, visited.Count + unserved.Count);
            Assert.DoesNotContain(depotId, visited);
            if (hours == "09:00-16:00") Assert.Empty(unserved); // a few hamlets fit easily in a 7-hour day
            else Assert.True(visited.Count <= 2, "one 45-minute stop a day fits in 75 minutes, not two");

            var route = tour.GetProperty("route").GetProperty("features").EnumerateArray().ToList();
            Assert.Equal(legs, route.Count(f => f.GetProperty("properties").GetProperty("kind").GetString() == "leg"));
            Assert.Equal(visited.Count, route.Count(f => f.GetProperty("properties").GetProperty("kind").GetString() == "stop"));
            Assert.Contains("Heidebeek", tour.GetProperty("timetable").GetString());
        }
        var geo = await Json(await c.GetAsync("/api/tours.geojson?depot=Heidebeek&days=Mon,Thu", Ct));
        Assert.Equal("FeatureCollection", geo.GetProperty("type").GetString());

        await AssertProblem(await c.GetAsync("/api/tours", Ct), HttpStatusCode.BadRequest, "depot");
        await AssertProblem(await c.GetAsync("/api/tours?depot=Nergenshuizen", Ct), HttpStatusCode.BadRequest, "depot");
        await AssertProblem(await c.GetAsync("/api/tours?depot=Heidebeek&days=Mon,Funday", Ct), HttpStatusCode.BadRequest, "days");
        await AssertProblem(await c.GetAsync("/api/tours?depot=Heidebeek&hours=16:00-09:00", Ct), HttpStatusCode.BadRequest, "hours");
        await AssertProblem(await c.GetAsync("/api/tours?depot=Heidebeek&stopMinutes=0", Ct), HttpStatusCode.BadRequest, "stopMinutes");
    }

    [Fact]
    public async Task Halving_line_A_never_shortens_a_bus_median_and_lengthens_some()
    {
        using var anon = fx.Client();
        var body = new { name = "Line A at half frequency (test)", routeHeadways = new[] { new { routeId = "A", factor = 2.0 } } };
        Assert.Equal(HttpStatusCode.Unauthorized, (await anon.PostAsync("/api/scenarios", Body(body), Ct)).StatusCode);

        using var c = fx.KeyClient();
        const string countRuns = "SELECT count(*) FROM analysis_run WHERE kind = 'scenario'";
        var before = await DemoDatabase.ScalarAsync(fx.ConnectionString, countRuns);
        await AssertProblem(await c.PostAsync("/api/scenarios", Body(new { name = "x", routeHeadways = new[] { new { routeId = "Z", factor = 2.0 } } }), Ct),
            HttpStatusCode.BadRequest, "routeHeadways[0].routeId");
        await AssertProblem(await c.PostAsync("/api/scenarios", Body(new { name = "x", routeHeadways = new[] { new { routeId = "A", factor = 0.0 } } }), Ct),
            HttpStatusCode.BadRequest, "routeHeadways[0].factor");
        await AssertProblem(await c.PostAsync("/api/scenarios", Body(new { name = "x", removeRoutes = new[] { "Q" } }), Ct),
            HttpStatusCode.BadRequest, "removeRoutes[0]");
        Assert.Equal(before, await DemoDatabase.ScalarAsync(fx.ConnectionString, countRuns));

        var r = await c.PostAsync("/api/scenarios", Body(body), Ct);
        Assert.Equal(HttpStatusCode.Accepted, r.StatusCode);
        var job = await JobTests.WaitForJob(c, r.Headers.Location!.ToString(), TimeSpan.FromSeconds(90));
        Assert.Equal("Succeeded", job.GetProperty("state").GetString());
        var run = await Json(await c.GetAsync(job.GetProperty("resultUrl").GetString(), Ct));
        var parameters = run.GetProperty("parameters");
        Assert.Equal("A", parameters.GetProperty("scenario").GetProperty("routeHeadways")[0].GetProperty("routeId").GetString());

        int longer = 0;
        foreach (var change in parameters.GetProperty("changes").EnumerateArray())
        {
            foreach (var row in change.GetProperty("reach").EnumerateArray())
            {
                Assert.Equal("BusWalk", row.GetProperty("mode").GetString()); // only the bus is recomputed
                double b = Minutes(row.GetProperty("minutesBefore")), a = Minutes(row.GetProperty("minutesAfter"));
                Assert.True(a >= b, $"{change.GetProperty("name")}: {row}");
                if (a > b) longer++;
            }
        }
        Assert.True(longer > 0, "fewer runs of line A must lengthen some kern's bus median");
        var summary = parameters.GetProperty("bus").EnumerateArray().ToList();
        Assert.Equal(await DemoDatabase.ScalarAsync(fx.ConnectionString, "SELECT count(*) FROM kern"), summary.Count);
        Assert.All(summary, k => Assert.True(k.GetProperty("categoriesWithinAfter").GetInt32() <= k.GetProperty("categoriesWithinBefore").GetInt32(), k.ToString()));
        Assert.Equal(before + 1, await DemoDatabase.ScalarAsync(fx.ConnectionString, countRuns));
    }
}
