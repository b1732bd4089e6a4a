using Npgsql;
using Xunit;

namespace ServiceReach.Testing;

/// <summary>
/// The real PostGIS server the tests run against. The test command (scripts/test.sh) starts a throwaway cluster
/// and exports SERVICEREACH_DB; a developer can point SERVICEREACH_DB at any server of their own.
/// There are no database mocks: without a server the integration tests fail loudly in CI and
/// skip with a message only when SERVICEREACH_TEST_ALLOW_NO_DB=1 is set for a quick local run.
/// </summary>
public static class PostGisServer
{
    public static string ConnectionString
    {
        get
        {
            var cs = Environment.GetEnvironmentVariable("SERVICEREACH_DB");
            if (string.IsNullOrWhiteSpace(cs))
            {
                if (Environment.GetEnvironmentVariable("SERVICEREACH_TEST_ALLOW_NO_DB") == "1")
                {
                    Assert.Skip("SERVICEREACH_DB is not set; run the tests through scripts/test.sh to get a throwaway PostGIS.");
                }
                throw new InvalidOperationException(
                    "SERVICEREACH_DB is not set. Run the tests with scripts/test.sh, which starts a throwaway PostGIS, " +
                    "or set SERVICEREACH_DB to a connection string of a PostGIS server you own.");
            }
            return cs;
        }
    }

    /// <summary>Creates a fresh, uniquely named database (with PostGIS, and pgRouting when asked) and returns its connection string.</summary>
    public static string CreateScratchDatabase(string prefix, bool withPgRouting = false)
    {
        var admin = new NpgsqlConnectionStringBuilder(ConnectionString);
        var name = $"{prefix}_{Guid.NewGuid():N}".ToLowerInvariant();
        if (name.Length > 60) name = name[..60];
        using (var conn = new NpgsqlConnection(admin.ConnectionString))
        {
            conn.Open();
            using var cmd = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", conn);
            cmd.ExecuteNonQuery();
        }
        var scratch = new NpgsqlConnectionStringBuilder(admin.ConnectionString) { Database = name, Pooling = false };
        using (var conn = new NpgsqlConnection(scratch.ConnectionString))
        {
            conn.Open();
            using var cmd = new NpgsqlCommand("CREATE EXTENSION IF NOT EXISTS postgis;" + (withPgRouting ? "CREATE EXTENSION IF NOT EXISTS pgrouting;" : ""), conn);
            cmd.ExecuteNonQuery();
        }
        return scratch.ConnectionString;
    }

    /// <summary>Drops a scratch database made by <see cref="CreateScratchDatabase"/>.</summary>
    public static void DropScratchDatabase(string connectionString)
    {
        var scratch = new NpgsqlConnectionStringBuilder(connectionString);
        NpgsqlConnection.ClearAllPools();
        var admin = new NpgsqlConnectionStringBuilder(ConnectionString);
        using var conn = new NpgsqlConnection(admin.ConnectionString);
        conn.Open();
        using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{scratch.Database}\" WITH (FORCE)", conn);
        cmd.ExecuteNonQuery();
    }
}
