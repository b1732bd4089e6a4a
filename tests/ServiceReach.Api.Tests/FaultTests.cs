using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace ServiceReach.Api.Tests;

/// <summary>
/// PostGIS stopped and restarted under a running service. Uses a private PostgreSQL cluster this test creates and stops
/// itself (never the shared server): readiness turns red then green without a restart, a job that was about to save
/// fails cleanly and leaves no run behind, and the next job succeeds.
/// </summary>
public sealed class FaultTests
{
    private const string PgBin = "/usr/lib/postgresql/15/bin";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static bool IsRoot => Environment.UserName == "root";

    private static void Shell(string command)
    {
        var psi = IsRoot ? new ProcessStartInfo("su", ["postgres", "-s", "/bin/bash", "-c", command]) : new ProcessStartInfo("bash", ["-c", command]);
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEnd();
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"`{command}` failed: {err}");
    }

    private static int FreePort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        var port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }

    [Fact]
    public async Task Database_outage_turns_readiness_red_then_green_and_a_failing_job_stores_nothing()
    {
        if (!File.Exists(Path.Combine(PgBin, "pg_ctl")) || !File.Exists("/usr/share/postgresql/15/extension/postgis.control"))
            Assert.Skip("PostgreSQL 15 with PostGIS is not installed (apt postgresql-15-postgis-3); the fault test needs its own cluster.");
        var dir = Path.Combine(Path.GetTempPath(), $"sr-fault-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        if (IsRoot) Shell("true"); // su works
        if (IsRoot) Process.Start("chown", ["postgres", dir])!.WaitForExit();
        var port = FreePort();
        var pgCtl = $"{PgBin}/pg_ctl -D '{dir}/data' -l '{dir}/log' -o \"-p {port} -c listen_addresses=127.0.0.1 -k '{dir}' -c fsync=off\" -w -t 60";
        var started = false;
        WebApplication? app = null;
        try
        {
            Shell($"{PgBin}/initdb -D '{dir}/data' -U postgres --auth=trust -E UTF8 --locale=C.UTF-8");
            Shell(pgCtl + " start");
            started = true;
            var cs = $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Timeout=3;Command Timeout=10";
            await using (var conn = new NpgsqlConnection(cs))
            {
                await conn.OpenAsync(Ct);
                await using var cmd = new NpgsqlCommand("CREATE EXTENSION IF NOT EXISTS postgis", conn);
                await cmd.ExecuteNonQueryAsync(Ct);
            }
            await DemoDatabase.LoadAsync(cs, Ct);

            var settings = DemoDatabase.Settings(cs, Path.Combine(Path.GetTempPath(), "servicereach-api-tests-cache"));
            settings["ServiceReach:JobHoldBeforeSaveMs"] = "2500";
            // The outage makes requests fail on purpose; keep their stack traces out of the test log.
            settings["Logging:LogLevel:Microsoft.AspNetCore.Diagnostics"] = "None";
            settings["Logging:LogLevel:ServiceReach.Api.Services.JobRunner"] = "None";
            app = ServiceReachApp.Create(["--urls", "http://127.0.0.1:0"], b => b.Configuration.AddInMemoryCollection(settings));
            await app.StartAsync(Ct);
            var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            using var http = new HttpClient { BaseAddress = new Uri(url) };
            http.DefaultRequestHeaders.Add("X-Api-Key", ApiFixture.Key);

            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/ready", Ct)).StatusCode);

            // A job reaches its save step, then the database goes away.
            var submit = await http.PostAsync("/api/analyses", null, Ct);
            Assert.Equal(HttpStatusCode.Accepted, submit.StatusCode);
            var statusUrl = submit.Headers.Location!.ToString();
            var until = DateTime.UtcNow.AddSeconds(60);
            while (JsonDocument.Parse(await http.GetStringAsync(statusUrl, Ct)).RootElement.GetProperty("message").GetString() != "saving")
            {
                Assert.True(DateTime.UtcNow < until, "the job never reached its save step");
                await Task.Delay(50, Ct);
            }
            Shell($"{PgBin}/pg_ctl -D '{dir}/data' -m fast -w stop");
            started = false;

            var failed = await JobTests.WaitForJob(http, statusUrl, TimeSpan.FromSeconds(60));
            Assert.Equal("Failed", failed.GetProperty("state").GetString());
            Assert.False(string.IsNullOrEmpty(failed.GetProperty("error").GetString()));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await http.GetAsync("/health/ready", Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health", Ct)).StatusCode);
            var during = await http.GetAsync("/api/runs", Ct);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, during.StatusCode);

            Shell(pgCtl + " start");
            started = true;
            until = DateTime.UtcNow.AddSeconds(30);
            while ((await http.GetAsync("/health/ready", Ct)).StatusCode != HttpStatusCode.OK)
            {
                Assert.True(DateTime.UtcNow < until, "readiness did not turn green after the database came back");
                await Task.Delay(200, Ct);
            }
            Assert.Equal(0, await DemoDatabase.ScalarAsync(cs, "SELECT count(*) FROM analysis_run"));

            var again = await http.PostAsync("/api/analyses", null, Ct);
            var ok = await JobTests.WaitForJob(http, again.Headers.Location!.ToString(), TimeSpan.FromSeconds(60));
            Assert.Equal("Succeeded", ok.GetProperty("state").GetString());
            Assert.Equal(1, await DemoDatabase.ScalarAsync(cs, "SELECT count(*) FROM analysis_run"));
        }
        finally
        {
            if (app is not null) await app.DisposeAsync();
            NpgsqlConnection.ClearAllPools();
            if (started) Shell($"{PgBin}/pg_ctl -D '{dir}/data' -m immediate -w stop");
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
