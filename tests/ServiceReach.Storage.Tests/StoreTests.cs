using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;
using ServiceReach.Domain;
using ServiceReach.Storage;
using ServiceReach.Testing;

namespace ServiceReach.Storage.Tests;

/// <summary>Integration tests against the real PostGIS started by scripts/test.sh (no mocks).</summary>
public sealed class StoreTests : IAsyncLifetime
{
    private string _cs = "";

    public async ValueTask InitializeAsync()
    {
        _cs = PostGisServer.CreateScratchDatabase("store");
        await ServiceReachDb.MigrateAsync(_cs, TestContext.Current.CancellationToken);
    }

    public ValueTask DisposeAsync()
    {
        PostGisServer.DropScratchDatabase(_cs);
        return ValueTask.CompletedTask;
    }

    // Two points in Puurs: the market square and a spot 1,000 m due north (1 m of latitude = 1/111,195 degrees on the mean sphere;
    // PostGIS geography uses the WGS84 spheroid, where a degree of latitude at 51°N is 111,251 m).
    private const double Lon = 4.2870, Lat = 51.0750;
    private static double NorthMeters(double m) => Lat + m / 111_251.0;

    [Fact]
    public async Task Kern_and_service_point_round_trip_with_categories_and_geometry()
    {
        var ct = TestContext.Current.CancellationToken;
        await using (var db = ServiceReachDb.Open(_cs))
        {
            await CatalogueSync.ApplyAsync(db, ServiceCatalogue.Default, ct);
            var kern = new Kern { Name = "Puurs", Centre = Geo.Point(Lon, Lat), Source = "test", SourceId = "k1", Population = 8000, Population65Plus = 1800 };
            db.Kernen.Add(kern);
            await db.SaveChangesAsync(ct);
            var bakery = await db.ServiceCategories.SingleAsync(c => c.Code == "bakery", ct);
            var post = await db.ServiceCategories.SingleAsync(c => c.Code == "post_point", ct);
            db.ServicePoints.Add(new ServicePoint
            {
                Name = "Dorpspunt", Location = Geo.Point(Lon, NorthMeters(100)), Categories = [bakery, post],
                Channel = Channel.Physical, Status = ServiceStatus.Open, Source = "test", SourceId = "s1", KernId = kern.Id,
                OpeningHours = "Mo-Sa 08:00-12:00",
            });
            await db.SaveChangesAsync(ct);
        }

        await using (var db = ServiceReachDb.Open(_cs))
        {
            var sp = await db.ServicePoints.Include(s => s.Categories).SingleAsync(ct);
            Assert.Equal(["bakery", "post_point"], sp.Categories.Select(c => c.Code).Order().ToArray());
            Assert.Equal(4326, sp.Location.SRID);
            Assert.Equal(Lon, sp.Location.X, 9);
            Assert.Equal(ServiceStatus.Open, sp.Status);
            var kern = await db.Kernen.SingleAsync(ct);
            Assert.Equal(1800, kern.Population65Plus);
        }

        // Enums are stored as readable text, which QGIS users see.
        await using var conn = new NpgsqlConnection(_cs);
        await conn.OpenAsync(ct);
        await using var cmd = new NpgsqlCommand("SELECT status || '/' || channel FROM service_point", conn);
        Assert.Equal("Open/Physical", (string?)await cmd.ExecuteScalarAsync(ct));
    }

    [Fact]
    public async Task IsWithinDistance_in_metres_runs_as_ST_DWithin_on_geography()
    {
        var ct = TestContext.Current.CancellationToken;
        await using (var db = ServiceReachDb.Open(_cs))
        {
            foreach (var m in new[] { 0, 400, 990, 1010, 5000 })
            {
                db.Kernen.Add(new Kern { Name = $"k{m}", Centre = Geo.Point(Lon, NorthMeters(m)), Source = "test", SourceId = $"k{m}" });
            }
            await db.SaveChangesAsync(ct);
        }

        await using (var db = ServiceReachDb.Open(_cs))
        {
            var origin = Geo.Point(Lon, Lat);
            var query = db.Kernen.Where(k => EF.Functions.IsWithinDistance(k.Centre, origin, 1000, true)).Select(k => k.Name);
            Assert.Contains("ST_DWithin", query.ToQueryString());
            var names = await query.OrderBy(n => n).ToListAsync(ct);
            Assert.Equal(["k0", "k400", "k990"], names);

            // The plain NTS form works in the units of the SRID (degrees for 4326): 0.01° of latitude ≈ 1,112 m.
            var inDegrees = await db.Kernen.Where(k => k.Centre.IsWithinDistance(origin, 0.01)).CountAsync(ct);
            Assert.Equal(4, inDegrees);
        }
    }

    [Fact]
    public async Task Unique_source_ids_are_enforced_and_a_failed_save_writes_nothing()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = ServiceReachDb.Open(_cs);
        db.Kernen.Add(new Kern { Name = "a", Centre = Geo.Point(Lon, Lat), Source = "s", SourceId = "same" });
        db.Kernen.Add(new Kern { Name = "b", Centre = Geo.Point(Lon, Lat), Source = "t", SourceId = "other" });
        db.Kernen.Add(new Kern { Name = "c", Centre = Geo.Point(Lon, Lat), Source = "s", SourceId = "same" });
        await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync(ct));
        await using var fresh = ServiceReachDb.Open(_cs);
        Assert.Equal(0, await fresh.Kernen.CountAsync(ct));
    }

    [Fact]
    public async Task Spatial_indexes_exist_on_every_geometry_column()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var conn = new NpgsqlConnection(_cs);
        await conn.OpenAsync(ct);
        const string sql = """
            SELECT c.table_name || '.' || c.column_name
            FROM information_schema.columns c
            WHERE c.udt_name = 'geometry' AND c.table_schema = 'public'
              AND NOT EXISTS (SELECT 1 FROM pg_indexes i
                              WHERE i.tablename = c.table_name AND i.indexdef ILIKE '%USING gist%(' || c.column_name || ')%')
            """;
        await using var cmd = new NpgsqlCommand(sql, conn);
        var missing = new List<string>();
        await using (var r = await cmd.ExecuteReaderAsync(ct))
        {
            while (await r.ReadAsync(ct)) missing.Add(r.GetString(0));
        }
        Assert.Empty(missing);
    }

    [Fact]
    public async Task Migrations_round_trip_down_to_nothing_and_up_again()
    {
        var ct = TestContext.Current.CancellationToken;
        await using (var db = ServiceReachDb.Open(_cs))
        {
            Assert.Empty(await db.Database.GetPendingMigrationsAsync(ct));
            var migrator = db.GetService<IMigrator>();
            await migrator.MigrateAsync(Migration.InitialDatabase, ct);
        }
        Assert.False(await TableExists("kern", ct));
        Assert.False(await TableExists("service_point", ct));
        await ServiceReachDb.MigrateAsync(_cs, ct);
        Assert.True(await TableExists("kern", ct));
        Assert.True(await TableExists("service_point_category", ct));
        await using var after = ServiceReachDb.Open(_cs);
        Assert.Empty(await after.Database.GetPendingMigrationsAsync(ct));
    }

    [Fact]
    public async Task Catalogue_sync_is_idempotent()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = ServiceReachDb.Open(_cs);
        Assert.Equal(ServiceCatalogue.Default.Categories.Count, await CatalogueSync.ApplyAsync(db, ServiceCatalogue.Default, ct));
        Assert.Equal(0, await CatalogueSync.ApplyAsync(db, ServiceCatalogue.Default, ct));
        var gp = await db.ServiceCategories.SingleAsync(c => c.Code == "gp", ct);
        Assert.Equal(NeedFrequency.Weekly, gp.NeedFrequency);
    }

    private async Task<bool> TableExists(string name, CancellationToken ct)
    {
        await using var conn = new NpgsqlConnection(_cs);
        await conn.OpenAsync(ct);
        await using var cmd = new NpgsqlCommand("SELECT to_regclass(@n) IS NOT NULL", conn);
        cmd.Parameters.AddWithValue("n", "public." + name);
        return (bool)(await cmd.ExecuteScalarAsync(ct))!;
    }
}
