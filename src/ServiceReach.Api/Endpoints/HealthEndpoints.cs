using Npgsql;
using ServiceReach.Api.Infrastructure;
using ServiceReach.Api.Services;
using ServiceReach.Storage;

namespace ServiceReach.Api.Endpoints;

/// <summary>Liveness (the process answers) and readiness (PostGIS answers now; turns green again by itself after an outage).</summary>
public static class HealthEndpoints
{
    public static void Map(WebApplication app)
    {
        app.MapGet("/health", () => Results.Ok(new { status = "ok" }))
            .WithTags("health").WithSummary("Liveness: the process is up.");

        app.MapGet("/health/ready", async (ApiSettings settings, StreetService streets, CancellationToken ct) =>
        {
            var (ok, detail) = await CheckDatabase(settings.Database, ct);
            var body = new
            {
                status = ok ? "ready" : "not ready",
                database = ok ? "ok" : detail,
                streets = new { osm = Path.GetFileName(streets.OsmPath), nodes = streets.Network.NodeCount },
            };
            return ok ? Results.Ok(body) : Results.Json(body, statusCode: StatusCodes.Status503ServiceUnavailable);
        }).WithTags("health").WithSummary("Readiness: PostGIS answers a query within 3 s.");
    }

    /// <summary>One short query on a pooled connection; after a failure the pool is cleared so the next check reconnects fresh.</summary>
    public static async Task<(bool Ok, string Detail)> CheckDatabase(string connectionString, CancellationToken ct)
    {
        var ds = ServiceReachDb.DataSource(connectionString);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(3));
        try
        {
            await using var cmd = ds.CreateCommand("SELECT postgis_lib_version()");
            cmd.CommandTimeout = 3;
            await cmd.ExecuteScalarAsync(timeout.Token);
            return (true, "ok");
        }
        catch (Exception ex) when (ex is NpgsqlException or OperationCanceledException or TimeoutException or System.Net.Sockets.SocketException)
        {
            NpgsqlConnection.ClearAllPools();
            ds.Clear();
            return (false, ex.Message);
        }
    }
}
