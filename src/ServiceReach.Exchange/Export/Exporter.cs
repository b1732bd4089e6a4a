using System.Runtime.CompilerServices;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;
using Npgsql;
using ServiceReach.Exchange.GeoJson;
using ServiceReach.Exchange.GeoPackage;
using ServiceReach.Exchange.Import;
using ServiceReach.Storage;

namespace ServiceReach.Exchange.Export;

/// <summary>Which geometry a kern layer carries: its centre point or its built-up outline (kernen without one are left out).</summary>
public enum KernGeometry
{
    Centre,
    Boundary,
}

/// <summary>
/// Which stored features to export. Filters combine (all must hold): <paramref name="Region"/> (name of a stored region),
/// <paramref name="Municipality"/> (NIS code or name of a stored municipality), <paramref name="BoundingBox"/> (WGS84 lon/lat);
/// a feature is kept when its geometry intersects the filter area.
/// </summary>
public sealed record ExportFilter(string? Region = null, string? Municipality = null, Envelope? BoundingBox = null)
{
    /// <summary>Service points with status Closed are exported too (default), so disappearances show on the map.</summary>
    public bool IncludeClosed { get; init; } = true;

    public KernGeometry KernGeometry { get; init; } = KernGeometry.Centre;
}

/// <summary>
/// Exports stored layers as GeoJSON (RFC 7946) or GeoPackage, streaming rows from PostGIS. Property names match what the
/// importer reads by default, so an export re-imports as the same data.
/// </summary>
public sealed class Exporter(string connectionString)
{
    /// <summary>Default layer (file/table) name of a stored layer.</summary>
    public static string LayerName(LayerKind layer) => layer switch
    {
        LayerKind.Kernen => "kernen",
        LayerKind.ServicePoints => "service_points",
        LayerKind.PopulationUnits => "population_units",
        LayerKind.Municipalities => "municipalities",
        LayerKind.Regions => "regions",
        _ => throw new ArgumentOutOfRangeException(nameof(layer)),
    };

    public async Task<long> ExportGeoJsonAsync(LayerKind layer, string path, ExportFilter? filter = null, CancellationToken ct = default)
    {
        var options = new GeoJsonWriteOptions
        {
            Name = LayerName(layer),
            Attribution = layer == LayerKind.ServicePoints ? "Service points may contain © OpenStreetMap contributors data (ODbL 1.0)" : null,
        };
        return await GeoJsonLayerWriter.WriteAsync(path, ReadFeaturesAsync(layer, filter, ct), options, ct).ConfigureAwait(false);
    }

    public async Task<long[]> ExportGeoPackageAsync(string path, IReadOnlyList<LayerKind> layers, ExportFilter? filter = null, CancellationToken ct = default)
    {
        await ValidateFilterAsync(filter, ct).ConfigureAwait(false);
        var list = layers.Select(l => new GeoPackageLayer(LayerName(l), ReadFeaturesAsync(l, filter, ct))).ToList();
        return await GeoPackageLayerWriter.WriteAsync(path, list, ct).ConfigureAwait(false);
    }

    /// <summary>Fails early with a clear message when a named region or municipality does not exist.</summary>
    public async Task ValidateFilterAsync(ExportFilter? filter, CancellationToken ct = default)
    {
        if (filter is null) return;
        await using var conn = await ServiceReachDb.DataSource(connectionString).OpenConnectionAsync(ct).ConfigureAwait(false);
        if (filter.Region is not null)
        {
            await using var cmd = new NpgsqlCommand("SELECT count(*) FROM region WHERE name = @n", conn);
            cmd.CommandTimeout = 0; // large imports and estimates run longer than Npgsql's 30 s default
            cmd.Parameters.AddWithValue("n", filter.Region);
            if ((long)(await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false))! == 0) throw new ArgumentException($"No stored region named '{filter.Region}'.");
        }
        if (filter.Municipality is not null)
        {
            await using var cmd = new NpgsqlCommand("SELECT count(*) FROM municipality WHERE nis_code = @n OR lower(name) = lower(@n)", conn);
            cmd.CommandTimeout = 0; // large imports and estimates run longer than Npgsql's 30 s default
            cmd.Parameters.AddWithValue("n", filter.Municipality);
            if ((long)(await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false))! == 0) throw new ArgumentException($"No stored municipality with NIS code or name '{filter.Municipality}'.");
        }
    }

    /// <summary>Streams the features of a stored layer, ordered by id.</summary>
    public async IAsyncEnumerable<IFeature> ReadFeaturesAsync(LayerKind layer, ExportFilter? filter = null, [EnumeratorCancellation] CancellationToken ct = default)
    {
        filter ??= new ExportFilter();
        var (sql, alias) = layer switch
        {
            LayerKind.Kernen => ($"""
                SELECT k.{(filter.KernGeometry == KernGeometry.Boundary ? "boundary" : "centre")} AS geom, k.id, k.source_id, k.name, k.municipality_code AS nis_code,
                  k.population, k.population65_plus AS population_65plus, k.population_is_estimate, k.typology, k.source, k.updated_at
                FROM kern k WHERE {(filter.KernGeometry == KernGeometry.Boundary ? "k.boundary IS NOT NULL" : "true")}
                """, "k"),
            LayerKind.ServicePoints => ("""
                SELECT p.location AS geom, p.id, p.source_id, p.name,
                  ARRAY(SELECT c.category_code FROM service_point_category c WHERE c.service_point_id = p.id ORDER BY c.category_code COLLATE "C") AS categories,
                  lower(p.channel) AS channel, p.opening_hours, lower(p.status) AS status, p.valid_from, p.valid_to,
                  k.source_id AS kern_source_id, k.name AS kern, p.source, p.updated_at
                FROM service_point p LEFT JOIN kern k ON k.id = p.kern_id WHERE (@closed OR p.status <> 'Closed')
                """, "p"),
            LayerKind.PopulationUnits => ("""
                SELECT u.geometry AS geom, u.id, u.source_id, u.name, u.population, u.population65_plus AS population_65plus, u.reference_year, u.source, u.updated_at
                FROM population_unit u WHERE true
                """, "u"),
            LayerKind.Municipalities => ("""
                SELECT m.boundary AS geom, m.id, m.nis_code, m.name, m.population, m.source, m.updated_at FROM municipality m WHERE true
                """, "m"),
            LayerKind.Regions => ("""
                SELECT r.boundary AS geom, r.id, r.name, r.description, r.is_user_drawn, r.created_at FROM region r WHERE true
                """, "r"),
            _ => throw new ArgumentOutOfRangeException(nameof(layer)),
        };
        var geomExpr = layer switch
        {
            LayerKind.Kernen => filter.KernGeometry == KernGeometry.Boundary ? "k.boundary" : "k.centre",
            LayerKind.ServicePoints => "p.location",
            LayerKind.PopulationUnits => "u.geometry",
            _ => alias + ".boundary",
        };
        if (filter.Region is not null)
            sql += $" AND ST_Intersects({geomExpr}, (SELECT boundary FROM region WHERE name = @region))";
        if (filter.Municipality is not null)
        {
            sql += layer == LayerKind.Kernen
                ? $" AND (k.municipality_code = (SELECT nis_code FROM municipality WHERE nis_code = @mun OR lower(name) = lower(@mun) LIMIT 1) OR ST_Intersects({geomExpr}, (SELECT boundary FROM municipality WHERE nis_code = @mun OR lower(name) = lower(@mun) LIMIT 1)))"
                : $" AND ST_Intersects({geomExpr}, (SELECT boundary FROM municipality WHERE nis_code = @mun OR lower(name) = lower(@mun) LIMIT 1))";
        }
        if (filter.BoundingBox is { IsNull: false })
            sql += $" AND {geomExpr} && ST_MakeEnvelope(@minx, @miny, @maxx, @maxy, 4326) AND ST_Intersects({geomExpr}, ST_MakeEnvelope(@minx, @miny, @maxx, @maxy, 4326))";
        sql += $" ORDER BY {alias}.id";

        await using var conn = await ServiceReachDb.DataSource(connectionString).OpenConnectionAsync(ct).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand(sql, conn);
        cmd.CommandTimeout = 0; // large imports and estimates run longer than Npgsql's 30 s default
        if (sql.Contains("@closed", StringComparison.Ordinal)) cmd.Parameters.AddWithValue("closed", filter.IncludeClosed);
        if (filter.Region is not null) cmd.Parameters.AddWithValue("region", filter.Region);
        if (filter.Municipality is not null) cmd.Parameters.AddWithValue("mun", filter.Municipality);
        if (filter.BoundingBox is { IsNull: false } bb)
        {
            cmd.Parameters.AddWithValue("minx", bb.MinX);
            cmd.Parameters.AddWithValue("miny", bb.MinY);
            cmd.Parameters.AddWithValue("maxx", bb.MaxX);
            cmd.Parameters.AddWithValue("maxy", bb.MaxY);
        }
        await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            var geometry = reader.IsDBNull(0) ? null : reader.GetFieldValue<Geometry>(0);
            var attributes = new AttributesTable();
            for (var i = 1; i < reader.FieldCount; i++)
            {
                var value = reader.IsDBNull(i) ? null : reader.GetValue(i);
                attributes.Add(reader.GetName(i), value);
            }
            yield return new Feature(geometry, attributes);
        }
    }
}
