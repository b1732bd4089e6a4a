using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Npgsql;

namespace ServiceReach.Storage;

/// <summary>Opens the store: one place that knows how to build the context and the connection string.</summary>
public static class ServiceReachDb
{
    /// <summary>The environment variable that names the PostGIS server to use.</summary>
    public const string ConnectionVariable = "SERVICEREACH_DB";

    /// <summary>The connection string from <c>SERVICEREACH_DB</c>, or a clear error saying how to get one.</summary>
    public static string ConnectionStringFromEnvironment()
    {
        var cs = Environment.GetEnvironmentVariable(ConnectionVariable);
        if (string.IsNullOrWhiteSpace(cs))
        {
            throw new InvalidOperationException(
                $"{ConnectionVariable} is not set. Start the bundled throwaway PostGIS with `scripts/postgis.sh start` and " +
                $"`eval \"$(scripts/postgis.sh env)\"`, or set {ConnectionVariable} to a connection string of your own PostGIS server.");
        }
        return cs;
    }

    private static readonly Dictionary<string, NpgsqlDataSource> DataSources = new();
    private static readonly Lock DataSourcesLock = new();

    /// <summary>One data source per connection string (with the NetTopologySuite plugin), shared by all contexts.</summary>
    public static NpgsqlDataSource DataSource(string connectionString)
    {
        lock (DataSourcesLock)
        {
            if (!DataSources.TryGetValue(connectionString, out var ds))
            {
                var builder = new NpgsqlDataSourceBuilder(connectionString);
                builder.UseNetTopologySuite();
                ds = builder.Build();
                DataSources[connectionString] = ds;
            }
            return ds;
        }
    }

    public static DbContextOptions<ServiceReachDbContext> Options(string connectionString)
        => new DbContextOptionsBuilder<ServiceReachDbContext>()
            .UseNpgsql(DataSource(connectionString), o => o.UseNetTopologySuite().MigrationsHistoryTable("__ef_migrations_history"))
            .Options;

    public static ServiceReachDbContext Open(string connectionString) => new(Options(connectionString));

    /// <summary>Applies all pending migrations. Each migration runs in a transaction, so a failure leaves the schema as it was.</summary>
    public static async Task MigrateAsync(string connectionString, CancellationToken ct = default)
    {
        await using var db = Open(connectionString);
        await db.Database.MigrateAsync(ct);
        // PostGIS types created by the migration must be known to this connection pool's type cache.
        await using var conn = await DataSource(connectionString).OpenConnectionAsync(ct);
        await conn.ReloadTypesAsync(ct);
    }
}

/// <summary>Lets <c>dotnet ef</c> create the context at design time (migrations).</summary>
public sealed class DesignTimeFactory : IDesignTimeDbContextFactory<ServiceReachDbContext>
{
    public ServiceReachDbContext CreateDbContext(string[] args)
    {
        var cs = Environment.GetEnvironmentVariable(ServiceReachDb.ConnectionVariable)
                 ?? "Host=127.0.0.1;Port=55432;Username=postgres;Database=servicereach_design";
        return ServiceReachDb.Open(cs);
    }
}
