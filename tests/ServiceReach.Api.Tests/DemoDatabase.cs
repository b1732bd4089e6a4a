using Npgsql;
using ServiceReach.Domain;
using ServiceReach.Exchange.Import;
using ServiceReach.Storage;
using ServiceReach.Testing;

namespace ServiceReach.Api.Tests;

/// <summary>Loads the fictional demo region into a database the way `servicereach demo` does: migrate, catalogue, four GeoJSON layers.</summary>
public static class DemoDatabase
{
    public static string Folder => Path.Combine(RepositoryRoot.Require(), "geodata", "demo");

    public static Task LoadAsync(string connectionString, CancellationToken ct = default)
        => RegionLoader.LoadDemoAsync(connectionString, Folder, ct);

    public static async Task<long> ScalarAsync(string connectionString, string sql, params (string Name, object Value)[] parameters)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        foreach (var (n, v) in parameters) cmd.Parameters.AddWithValue(n, v);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync());
    }

    /// <summary>Settings for a service on the demo region against <paramref name="connectionString"/>.</summary>
    public static Dictionary<string, string?> Settings(string connectionString, string cacheFolder) => new()
    {
        ["ServiceReach:Database"] = connectionString,
        ["ServiceReach:StreetsOsm"] = Path.Combine(Folder, "streets.osm"),
        ["ServiceReach:Gtfs"] = Path.Combine(Folder, "gtfs"),
        ["ServiceReach:ServiceDate"] = "2026-03-03",
        ["ServiceReach:CacheFolder"] = cacheFolder,
        ["ServiceReach:RegionName"] = "Demo region (fictional)",
        ["ServiceReach:ApiKeys:0"] = ApiFixture.KeyEntry,
        ["ServiceReach:JsonLogs"] = "false",
        ["Logging:LogLevel:Default"] = "Warning",
    };
}
