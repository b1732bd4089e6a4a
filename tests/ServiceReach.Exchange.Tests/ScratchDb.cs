using Npgsql;
using ServiceReach.Storage;
using ServiceReach.Testing;

namespace ServiceReach.Exchange.Tests;

/// <summary>A migrated scratch PostGIS database for one test, dropped afterwards.</summary>
internal sealed class ScratchDb : IAsyncDisposable
{
    public string ConnectionString { get; }

    private ScratchDb(string cs) => ConnectionString = cs;

    public static async Task<ScratchDb> CreateAsync()
    {
        var cs = PostGisServer.CreateScratchDatabase("imp");
        await ServiceReachDb.MigrateAsync(cs);
        return new ScratchDb(cs);
    }

    public async Task<long> CountAsync(string sql)
    {
        await using var conn = await ServiceReachDb.DataSource(ConnectionString).OpenConnectionAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task<List<object?[]>> QueryAsync(string sql)
    {
        await using var conn = await ServiceReachDb.DataSource(ConnectionString).OpenConnectionAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await using var r = await cmd.ExecuteReaderAsync();
        var rows = new List<object?[]>();
        while (await r.ReadAsync())
        {
            var row = new object?[r.FieldCount];
            for (var i = 0; i < row.Length; i++) row[i] = r.IsDBNull(i) ? null : r.GetValue(i);
            rows.Add(row);
        }
        return rows;
    }

    /// <summary>A fingerprint of every stored row (to prove a failed import changed nothing).</summary>
    public Task<List<object?[]>> SnapshotAsync() => QueryAsync("""
        SELECT 'k', md5(coalesce(string_agg(k::text, '|' ORDER BY id), '')) FROM kern k
        UNION ALL SELECT 's', md5(coalesce(string_agg(s::text, '|' ORDER BY id), '')) FROM service_point s
        UNION ALL SELECT 'c', md5(coalesce(string_agg(c::text, '|' ORDER BY service_point_id, category_code), '')) FROM service_point_category c
        UNION ALL SELECT 'p', md5(coalesce(string_agg(p::text, '|' ORDER BY id), '')) FROM population_unit p
        UNION ALL SELECT 'm', md5(coalesce(string_agg(m::text, '|' ORDER BY id), '')) FROM municipality m
        """);

    public ValueTask DisposeAsync()
    {
        PostGisServer.DropScratchDatabase(ConnectionString);
        return ValueTask.CompletedTask;
    }
}
