using System.Collections;
using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;
using ServiceReach.Domain;

namespace ServiceReach.Exchange.GeoPackage;

/// <summary>One layer to put into a GeoPackage.</summary>
public sealed record GeoPackageLayer(string Name, IAsyncEnumerable<IFeature> Features, string? Description = null)
{
    /// <summary>A layer from in-memory features (e.g. analysis layers).</summary>
    public static GeoPackageLayer Of(string name, IEnumerable<IFeature> features, string? description = null)
        => new(name, GeoPackageLayerWriter.ToAsync(features), description);
}

/// <summary>
/// Writes layers of features into an OGC GeoPackage (SQLite) that QGIS opens directly: WGS84 (EPSG:4326), one feature table
/// per layer with an integer fid, the geometry as GeoPackage binary, and attribute columns typed from their values
/// (integer, real, text, boolean; lists and objects as JSON text). Columns that first appear later are added on the fly.
/// The file is built under a temporary name and moved into place when complete.
/// </summary>
public static class GeoPackageLayerWriter
{
    /// <summary>Writes one in-memory layer. Returns the number of features.</summary>
    public static async Task<long> WriteAsync(string path, string layerName, IEnumerable<IFeature> features, CancellationToken ct = default)
        => (await WriteAsync(path, [GeoPackageLayer.Of(layerName, features)], ct).ConfigureAwait(false))[0];

    /// <summary>Writes several layers into one file (replacing it). Returns the feature count per layer.</summary>
    public static async Task<long[]> WriteAsync(string path, IReadOnlyList<GeoPackageLayer> layers, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(layers);
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(dir);
        var temp = Path.Combine(dir, "." + Path.GetFileNameWithoutExtension(full) + "." + Guid.NewGuid().ToString("N")[..8] + ".gpkg");
        try
        {
            var counts = new long[layers.Count];
            await using (var conn = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = temp, Pooling = false, Mode = SqliteOpenMode.ReadWriteCreate }.ToString()))
            {
                await conn.OpenAsync(ct).ConfigureAwait(false);
                await CreateCoreTablesAsync(conn, ct).ConfigureAwait(false);
                var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                for (var i = 0; i < layers.Count; i++)
                {
                    if (!names.Add(layers[i].Name)) throw new ArgumentException($"Layer name '{layers[i].Name}' is used twice.");
                    counts[i] = await WriteLayerAsync(conn, layers[i], ct).ConfigureAwait(false);
                }
            }
            SqliteConnection.ClearAllPools();
            File.Move(temp, full, overwrite: true);
            return counts;
        }
        catch
        {
            SqliteConnection.ClearAllPools();
            try { File.Delete(temp); } catch (IOException) { }
            throw;
        }
    }

    internal static async IAsyncEnumerable<IFeature> ToAsync(IEnumerable<IFeature> features)
    {
        foreach (var f in features) yield return f;
        await Task.CompletedTask.ConfigureAwait(false);
    }

    private static async Task Exec(SqliteConnection conn, string sql, CancellationToken ct, SqliteTransaction? tx = null)
    {
        await using var cmd = conn.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    private static async Task CreateCoreTablesAsync(SqliteConnection conn, CancellationToken ct)
    {
        // GeoPackage 1.3: application id 'GPKG' and user_version 10300.
        await Exec(conn, "PRAGMA application_id = 1196444487; PRAGMA user_version = 10300; PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;", ct).ConfigureAwait(false);
        await Exec(conn, """
            CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER NOT NULL PRIMARY KEY, organization TEXT NOT NULL,
              organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
            INSERT INTO gpkg_spatial_ref_sys VALUES ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system');
            INSERT INTO gpkg_spatial_ref_sys VALUES ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system');
            INSERT INTO gpkg_spatial_ref_sys VALUES ('WGS 84 geodetic', 4326, 'EPSG', 4326,
              'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4326"]]',
              'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid');
            CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE, description TEXT DEFAULT '',
              last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')), min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE,
              srs_id INTEGER, CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
            CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL, srs_id INTEGER NOT NULL,
              z TINYINT NOT NULL, m TINYINT NOT NULL, CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
              CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
              CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
            """, ct).ConfigureAwait(false);
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static async Task<long> WriteLayerAsync(SqliteConnection conn, GeoPackageLayer layer, CancellationToken ct)
    {
        var table = layer.Name;
        await Exec(conn, $"CREATE TABLE {Quote(table)} (fid INTEGER PRIMARY KEY AUTOINCREMENT, geom BLOB)", ct).ConfigureAwait(false);
        var columns = new List<string>();
        var known = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "fid", "geom" };
        var writer = new GeoPackageGeoWriter();
        var envelope = new Envelope();
        string? geometryType = null;
        long count = 0;
        await using var tx = (SqliteTransaction)await conn.BeginTransactionAsync(ct).ConfigureAwait(false);
        SqliteCommand? insert = null;
        try
        {
            await foreach (var feature in layer.Features.WithCancellation(ct).ConfigureAwait(false))
            {
                var attributes = feature.Attributes;
                var newColumns = false;
                if (attributes is not null)
                {
                    foreach (var name in attributes.GetNames())
                    {
                        if (known.Add(name))
                        {
                            var sqlType = SqlType(attributes[name]);
                            await Exec(conn, $"ALTER TABLE {Quote(table)} ADD COLUMN {Quote(name)} {sqlType}", ct, tx).ConfigureAwait(false);
                            columns.Add(name);
                            newColumns = true;
                        }
                    }
                }
                if (insert is null || newColumns)
                {
                    if (insert is not null) await insert.DisposeAsync().ConfigureAwait(false);
                    insert = conn.CreateCommand();
                    insert.Transaction = tx;
                    insert.CommandText = $"INSERT INTO {Quote(table)} (geom{string.Concat(columns.Select(c => ", " + Quote(c)))}) VALUES ($g{string.Concat(columns.Select((_, i) => ", $a" + i))})";
                    insert.Parameters.Add(new SqliteParameter("$g", null));
                    for (var i = 0; i < columns.Count; i++) insert.Parameters.Add(new SqliteParameter("$a" + i, null));
                }

                var g = feature.Geometry;
                if (g is null || g.IsEmpty)
                {
                    insert.Parameters[0].Value = DBNull.Value;
                }
                else
                {
                    var srid = g.SRID == 0 ? CoordinateSystems.Wgs84 : g.SRID;
                    if (srid != CoordinateSystems.Wgs84) g = CoordinateSystems.Transform(g, srid, CoordinateSystems.Wgs84);
                    else if (g.SRID != CoordinateSystems.Wgs84) { g = g.Copy(); g.SRID = CoordinateSystems.Wgs84; }
                    insert.Parameters[0].Value = writer.Write(g);
                    envelope.ExpandToInclude(g.EnvelopeInternal);
                    var type = g.GeometryType.ToUpperInvariant();
                    geometryType = geometryType is null ? type : geometryType == type ? type : "GEOMETRY";
                }
                for (var i = 0; i < columns.Count; i++)
                {
                    var v = attributes is not null && attributes.Exists(columns[i]) ? attributes[columns[i]] : null;
                    insert.Parameters[i + 1].Value = ToSqlite(v);
                }
                await insert.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                count++;
            }
            await using (var contents = conn.CreateCommand())
            {
                contents.Transaction = tx;
                contents.CommandText = """
                    INSERT INTO gpkg_contents (table_name, data_type, identifier, description, min_x, min_y, max_x, max_y, srs_id)
                    VALUES ($t, 'features', $t, $d, $minx, $miny, $maxx, $maxy, 4326);
                    INSERT INTO gpkg_geometry_columns VALUES ($t, 'geom', $type, 4326, 0, 0);
                    """;
                contents.Parameters.AddWithValue("$t", table);
                contents.Parameters.AddWithValue("$d", layer.Description ?? "");
                contents.Parameters.AddWithValue("$minx", envelope.IsNull ? DBNull.Value : envelope.MinX);
                contents.Parameters.AddWithValue("$miny", envelope.IsNull ? DBNull.Value : envelope.MinY);
                contents.Parameters.AddWithValue("$maxx", envelope.IsNull ? DBNull.Value : envelope.MaxX);
                contents.Parameters.AddWithValue("$maxy", envelope.IsNull ? DBNull.Value : envelope.MaxY);
                contents.Parameters.AddWithValue("$type", geometryType ?? "GEOMETRY");
                await contents.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }
            await tx.CommitAsync(ct).ConfigureAwait(false);
        }
        finally
        {
            if (insert is not null) await insert.DisposeAsync().ConfigureAwait(false);
        }
        return count;
    }

    private static string SqlType(object? v) => v switch
    {
        bool => "BOOLEAN",
        byte or sbyte or short or ushort or int or uint or long => "INTEGER",
        float or double or decimal => "REAL",
        DateOnly => "DATE",
        DateTime or DateTimeOffset => "DATETIME",
        _ => "TEXT",
    };

    private static object ToSqlite(object? v) => v switch
    {
        null => DBNull.Value,
        bool b => b ? 1 : 0,
        string s => s,
        byte or sbyte or short or ushort or int or uint or long => Convert.ToInt64(v, CultureInfo.InvariantCulture),
        ulong ul => (double)ul,
        float f => float.IsFinite(f) ? (double)f : DBNull.Value,
        double d => double.IsFinite(d) ? d : DBNull.Value,
        decimal m => (double)m,
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTime dt => dt.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        DateTimeOffset dto => dto.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        Enum e => e.ToString(),
        IAttributesTable or IDictionary or IEnumerable => JsonSerializer.Serialize(ToPlain(v)),
        _ => Convert.ToString(v, CultureInfo.InvariantCulture) ?? "",
    };

    private static object? ToPlain(object? v) => v switch
    {
        null or string or bool => v,
        IAttributesTable t => t.GetNames().ToDictionary(n => n, n => ToPlain(t[n])),
        IDictionary d => d.Keys.Cast<object>().ToDictionary(k => Convert.ToString(k, CultureInfo.InvariantCulture)!, k => ToPlain(d[k])),
        IEnumerable e => e.Cast<object?>().Select(ToPlain).ToList(),
        _ => v,
    };
}
