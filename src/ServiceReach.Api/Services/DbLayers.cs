using System.Runtime.CompilerServices;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;
using Npgsql;
using ServiceReach.Api.Infrastructure;
using ServiceReach.Storage;

namespace ServiceReach.Api.Services;

/// <summary>A stored table published as a layer. The SQL is fixed text chosen from this list; every value is a parameter.</summary>
public sealed record DbLayer(string Id, string Title, string GeometryType, string Select, string GeometryColumn, string From);

/// <summary>The stored tables the service publishes (OGC API Features, vector tiles, GeoJSON exports), read with parameterised SQL.</summary>
public sealed class DbLayers(ApiSettings settings)
{
    public static readonly IReadOnlyList<DbLayer> All =
    [
        new("kernen", "Kernen (village and town cores)", "Point",
            "t.id, t.name, t.municipality_code AS municipality, t.population, t.population65_plus AS population_65plus, t.typology", "t.centre", "kern t"),
        new("service_points", "Service points", "Point",
            "t.id, t.name, t.channel, t.status, t.opening_hours, t.kern_id, " +
            "(SELECT string_agg(c.category_code, ',' ORDER BY c.category_code) FROM service_point_category c WHERE c.service_point_id = t.id) AS categories",
            "t.location", "service_point t"),
        new("population_units", "Population units", "Polygon",
            "t.id, t.name, t.population, t.population65_plus AS population_65plus, t.reference_year", "t.geometry", "population_unit t"),
        new("municipalities", "Municipalities", "MultiPolygon",
            "t.id, t.nis_code, t.name, t.population", "t.boundary", "municipality t"),
    ];

    public static DbLayer? Find(string id) => All.FirstOrDefault(l => l.Id == id);

    private NpgsqlDataSource Source => ServiceReachDb.DataSource(settings.Database);

    public async Task<long> CountAsync(DbLayer layer, Envelope? bbox, CancellationToken ct)
    {
        await using var cmd = Source.CreateCommand($"SELECT count(*) FROM {layer.From} WHERE {Where(layer)}");
        AddBox(cmd, bbox);
        return (long)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>Features ordered by id, streamed from the reader (flat memory for any layer size).</summary>
    public async IAsyncEnumerable<IFeature> ReadAsync(DbLayer layer, Envelope? bbox, long offset, long? limit, [EnumeratorCancellation] CancellationToken ct, long? id = null)
    {
        var sql = $"SELECT {layer.Select}, {layer.GeometryColumn} AS geom FROM {layer.From} WHERE {Where(layer)}" + (id is null ? "" : " AND t.id = @id") + " ORDER BY t.id OFFSET @offset"
                  + (limit is null ? "" : " LIMIT @limit");
        await using var conn = await Source.OpenConnectionAsync(ct);
        await using var cmd = new NpgsqlCommand(sql, conn);
        AddBox(cmd, bbox);
        cmd.Parameters.AddWithValue("offset", offset);
        if (limit is not null) cmd.Parameters.AddWithValue("limit", limit.Value);
        if (id is not null) cmd.Parameters.AddWithValue("id", id.Value);
        await using var reader = await cmd.ExecuteReaderAsync(System.Data.CommandBehavior.SequentialAccess, ct);
        var fields = reader.FieldCount - 1;
        var names = new string[fields];
        for (var i = 0; i < fields; i++) names[i] = reader.GetName(i);
        while (await reader.ReadAsync(ct))
        {
            var attrs = new AttributesTable();
            for (var i = 0; i < fields; i++) attrs.Add(names[i], await reader.IsDBNullAsync(i, ct) ? null : reader.GetValue(i));
            var geom = await reader.IsDBNullAsync(fields, ct) ? null : reader.GetFieldValue<Geometry>(fields);
            yield return new Feature(geom, attrs);
        }
    }

    /// <summary>A Mapbox vector tile of the layer from PostGIS ST_AsMVT (attributes without the geometry).</summary>
    public async Task<byte[]> TileAsync(DbLayer layer, int z, int x, int y, CancellationToken ct)
    {
        var sql = $"""
            WITH bounds AS (SELECT ST_TileEnvelope(@z, @x, @y) AS env),
            mvt AS (
              SELECT {layer.Select}, ST_AsMVTGeom(ST_Transform({layer.GeometryColumn}, 3857), bounds.env, 4096, 64, true) AS geom
              FROM {layer.From}, bounds
              WHERE {layer.GeometryColumn} && ST_Transform(ST_Expand(bounds.env, (ST_XMax(bounds.env) - ST_XMin(bounds.env)) / 64), 4326))
            SELECT ST_AsMVT(mvt.*, @layer, 4096, 'geom') FROM mvt
            """;
        await using var cmd = Source.CreateCommand(sql);
        cmd.Parameters.AddWithValue("z", z);
        cmd.Parameters.AddWithValue("x", x);
        cmd.Parameters.AddWithValue("y", y);
        cmd.Parameters.AddWithValue("layer", layer.Id);
        return (byte[]?)await cmd.ExecuteScalarAsync(ct) ?? [];
    }

    private static string Where(DbLayer layer)
        => $"(@minx::float8 IS NULL OR {layer.GeometryColumn} && ST_MakeEnvelope(@minx, @miny, @maxx, @maxy, 4326))";

    private static void AddBox(NpgsqlCommand cmd, Envelope? bbox)
    {
        cmd.Parameters.Add(new NpgsqlParameter("minx", NpgsqlTypes.NpgsqlDbType.Double) { Value = bbox is null ? DBNull.Value : bbox.MinX });
        cmd.Parameters.Add(new NpgsqlParameter("miny", NpgsqlTypes.NpgsqlDbType.Double) { Value = bbox is null ? DBNull.Value : bbox.MinY });
        cmd.Parameters.Add(new NpgsqlParameter("maxx", NpgsqlTypes.NpgsqlDbType.Double) { Value = bbox is null ? DBNull.Value : bbox.MaxX });
        cmd.Parameters.Add(new NpgsqlParameter("maxy", NpgsqlTypes.NpgsqlDbType.Double) { Value = bbox is null ? DBNull.Value : bbox.MaxY });
    }
}
