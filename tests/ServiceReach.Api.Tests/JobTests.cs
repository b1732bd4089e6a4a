using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace ServiceReach.Api.Tests;

/// <summary>Background analyses and scenarios: 202 with a job URL, progress, a stored run as the result.</summary>
public sealed class JobTests(ApiFixture fx)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static async Task<JsonElement> WaitForJob(HttpClient c, string statusUrl, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (true)
        {
            var job = JsonDocument.Parse(await c.GetStringAsync(statusUrl, TestContext.Current.CancellationToken)).RootElement;
            var state = job.GetProperty("state").GetString();
            if (state is "Succeeded" or "Failed") return job;
            if (DateTime.UtcNow > until) throw new TimeoutException($"job still {state} after {timeout}: {job}");
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task Analysis_job_stores_a_run_and_reports_its_url()
    {
        using var anon = fx.Client();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anon.PostAsync("/api/analyses", null, Ct)).StatusCode);
        var before = await DemoDatabase.ScalarAsync(fx.ConnectionString, "SELECT count(*) FROM analysis_run WHERE kind = 'access'");
        using var c = fx.KeyClient();
        var r = await c.PostAsync("/api/analyses", null, Ct);
        Assert.Equal(HttpStatusCode.Accepted, r.StatusCode);
        var statusUrl = r.Headers.Location!.ToString();
        var job = await WaitForJob(c, statusUrl, TimeSpan.FromSeconds(90));
        Assert.Equal("Succeeded", job.GetProperty("state").GetString());
        Assert.Equal(1.0, job.GetProperty("progress").GetDouble());
        var run = JsonDocument.Parse(await c.GetStringAsync(job.GetProperty("resultUrl").GetString(), Ct)).RootElement;
        Assert.Equal("access", run.GetProperty("kind").GetString());
        Assert.Equal(8, run.GetProperty("summary").GetProperty("kernen").GetArrayLength());
        Assert.Equal(before + 1, await DemoDatabase.ScalarAsync(fx.ConnectionString, "SELECT count(*) FROM analysis_run WHERE kind = 'access'"));
    }

    [Fact]
    public async Task Scenario_with_a_dorpspunt_in_eikenrode_lowers_its_gap()
    {
        using var c = fx.KeyClient();
        var (lon, lat) = (4.692663, 51.012893); // Eikenrode's centre (kernen.geojson)
        var body = JsonSerializer.Serialize(new
        {
            name = "Dorpspunt Eikenrode",
            add = new[] { new { name = "Dorpspunt Eikenrode", lon, lat, categories = new[] { "bakery", "food_shop", "post_point", "atm_bank", "municipal_desk" } } },
        });
        var r = await c.PostAsync("/api/scenarios", new StringContent(body, Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.Accepted, r.StatusCode);
        var job = await WaitForJob(c, r.Headers.Location!.ToString(), TimeSpan.FromSeconds(90));
        Assert.Equal("Succeeded", job.GetProperty("state").GetString());
        var run = JsonDocument.Parse(await c.GetStringAsync(job.GetProperty("resultUrl").GetString(), Ct)).RootElement;
        Assert.Equal("scenario", run.GetProperty("kind").GetString());
        var eik = run.GetProperty("parameters").GetProperty("changes").EnumerateArray().Single(x => x.GetProperty("name").GetString() == "Eikenrode");
        Assert.True(eik.GetProperty("gapAfter").GetDouble() < eik.GetProperty("gapBefore").GetDouble(), eik.ToString());
        Assert.Contains(eik.GetProperty("reach").EnumerateArray(), x => x.GetProperty("category").GetString() == "bakery" && x.GetProperty("mode").GetString() == "Walk");
        var list = await c.GetFromJsonAsync<JsonElement>("/api/runs?kind=scenario", Ct);
        Assert.Contains(list.EnumerateArray(), x => x.GetProperty("scenario").GetString() == "Dorpspunt Eikenrode");
    }
}
