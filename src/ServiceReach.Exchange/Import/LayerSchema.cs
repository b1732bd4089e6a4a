using Npgsql;

namespace ServiceReach.Exchange.Import;

internal readonly record struct MergeCounts(long Inserted, long Updated, long Closed, long Removed, long Missing);

internal sealed record StagingColumn(string Name, string SqlType, string DataTypeName);

/// <summary>
/// Per layer: the staging table the COPY fills and the set-based SQL that upserts from it. Change detection compares the
/// whole row (geometries as WKB, so identical coordinates are "unchanged"), which makes re-imports idempotent.
/// </summary>
internal sealed class LayerSchema
{
    public required StagingColumn[] Columns { get; init; }
    public required string Table { get; init; }
    public required Func<NpgsqlConnection, NpgsqlTransaction, string, DateOnly, CancellationToken, Task<MergeCounts>> MergeAsync { get; init; }

    public string CreateStaging =>
        "CREATE TEMP TABLE staging (feature_no bigint NOT NULL, source_id text NOT NULL, " +
        string.Join(", ", Columns.Select(c => $"{c.Name} {c.SqlType}")) + ") ON COMMIT DROP";

    public string CopyCommand =>
        "COPY staging (feature_no, source_id, " + string.Join(", ", Columns.Select(c => c.Name)) + ") FROM STDIN (FORMAT BINARY)";

    public static LayerSchema For(LayerKind layer) => layer switch
    {
        LayerKind.Kernen => Kernen,
        LayerKind.ServicePoints => ServicePoints,
        LayerKind.PopulationUnits => PopulationUnits,
        LayerKind.Municipalities => Municipalities,
        LayerKind.Regions => Regions,
        _ => throw new ArgumentOutOfRangeException(nameof(layer)),
    };

    private static StagingColumn Geo(string name, string type) => new(name, $"geometry({type},4326)", "geometry");
    private static StagingColumn Text(string name) => new(name, "text", "text");
    private static StagingColumn Int(string name) => new(name, "integer", "integer");

    private static readonly LayerSchema Kernen = new()
    {
        Table = "kern",
        Columns = [Text("name"), Geo("centre", "Point"), Geo("boundary", "MultiPolygon"), Text("municipality_code"), Int("population"),
                   Int("population65_plus"), new("population_is_estimate", "boolean", "boolean"), Text("typology")],
        MergeAsync = async (conn, tx, source, asOf, ct) =>
        {
            // A population count missing from the file keeps an earlier estimate (estimates are made after import, see PopulationEstimator).
            const string match = """
                CREATE TEMP TABLE matched ON COMMIT DROP AS
                SELECT s.*, k.id AS target_id,
                  COALESCE(s.population, CASE WHEN k.population_is_estimate THEN k.population END) AS eff_population,
                  CASE WHEN s.population IS NULL AND k.population_is_estimate THEN COALESCE(s.population65_plus, k.population65_plus) ELSE s.population65_plus END AS eff_population65,
                  CASE WHEN s.population IS NULL THEN COALESCE(k.population_is_estimate, false) ELSE s.population_is_estimate END AS eff_estimate,
                  (k.id IS NOT NULL AND ROW(k.name, ST_AsBinary(k.centre), ST_AsBinary(k.boundary), k.municipality_code, k.population, k.population65_plus, k.population_is_estimate, k.typology)
                     IS DISTINCT FROM ROW(s.name, ST_AsBinary(s.centre), ST_AsBinary(s.boundary), s.municipality_code,
                        COALESCE(s.population, CASE WHEN k.population_is_estimate THEN k.population END),
                        CASE WHEN s.population IS NULL AND k.population_is_estimate THEN COALESCE(s.population65_plus, k.population65_plus) ELSE s.population65_plus END,
                        CASE WHEN s.population IS NULL THEN COALESCE(k.population_is_estimate, false) ELSE s.population_is_estimate END, s.typology)) AS changed
                FROM staging s LEFT JOIN kern k ON k.source = @source AND k.source_id = s.source_id
                """;
            await Run(conn, tx, match, source, asOf, ct);
            var updated = await Run(conn, tx, """
                UPDATE kern k SET name = m.name, centre = m.centre, boundary = m.boundary, municipality_code = m.municipality_code,
                  population = m.eff_population, population65_plus = m.eff_population65, population_is_estimate = m.eff_estimate,
                  typology = m.typology, updated_at = now()
                FROM matched m WHERE m.changed AND k.id = m.target_id
                """, source, asOf, ct);
            var inserted = await Run(conn, tx, """
                INSERT INTO kern (name, centre, boundary, municipality_code, population, population65_plus, population_is_estimate, typology, source, source_id, updated_at)
                SELECT name, centre, boundary, municipality_code, population, population65_plus, false, typology, @source, source_id, now()
                FROM matched WHERE target_id IS NULL ORDER BY feature_no
                """, source, asOf, ct);
            var missing = await Scalar(conn, tx, "SELECT count(*) FROM kern k WHERE k.source = @source AND NOT EXISTS (SELECT 1 FROM staging s WHERE s.source_id = k.source_id)", source, ct);
            return new MergeCounts(inserted, updated, 0, 0, missing);
        },
    };

    private static readonly LayerSchema ServicePoints = new()
    {
        Table = "service_point",
        Columns = [Text("name"), Geo("location", "Point"), Text("channel"), Text("opening_hours"), Text("status"), new("categories", "text[]", "text[]"),
                   Text("kern_ref"), new("valid_from", "date", "date"), new("valid_to", "date", "date")],
        MergeAsync = async (conn, tx, source, asOf, ct) =>
        {
            await Run(conn, tx, """
                CREATE TEMP TABLE matched ON COMMIT DROP AS
                SELECT s.*, p.id AS target_id,
                  (p.id IS NOT NULL AND ROW(p.name, ST_AsBinary(p.location), p.channel, p.opening_hours, p.status, p.valid_from, p.valid_to,
                      (SELECT COALESCE(array_agg(c.category_code ORDER BY c.category_code COLLATE "C"), '{}') FROM service_point_category c WHERE c.service_point_id = p.id))
                     IS DISTINCT FROM ROW(s.name, ST_AsBinary(s.location), s.channel, s.opening_hours, s.status, s.valid_from, s.valid_to, s.categories)) AS changed
                FROM staging s LEFT JOIN service_point p ON p.source = @source AND p.source_id = s.source_id
                """, source, asOf, ct);
            var updated = await Run(conn, tx, """
                UPDATE service_point p SET name = m.name, location = m.location, channel = m.channel, opening_hours = m.opening_hours,
                  status = m.status, valid_from = m.valid_from, valid_to = m.valid_to, updated_at = now()
                FROM matched m WHERE m.changed AND p.id = m.target_id
                """, source, asOf, ct);
            var inserted = await Run(conn, tx, """
                INSERT INTO service_point (name, location, channel, opening_hours, status, valid_from, valid_to, source, source_id, updated_at)
                SELECT name, location, channel, opening_hours, status, valid_from, valid_to, @source, source_id, now()
                FROM matched WHERE target_id IS NULL ORDER BY feature_no
                """, source, asOf, ct);
            await Run(conn, tx, """
                UPDATE matched m SET target_id = p.id FROM service_point p WHERE m.target_id IS NULL AND p.source = @source AND p.source_id = m.source_id;
                DELETE FROM service_point_category c USING matched m WHERE m.changed AND c.service_point_id = m.target_id;
                INSERT INTO service_point_category (service_point_id, category_code)
                SELECT m.target_id, unnest(m.categories) FROM matched m WHERE m.changed OR NOT EXISTS (SELECT 1 FROM service_point_category c WHERE c.service_point_id = m.target_id);
                """, source, asOf, ct);
            // Disappeared services are what users track: close them with the date instead of deleting.
            var closed = await Run(conn, tx, """
                UPDATE service_point p SET status = 'Closed', valid_to = @asof, updated_at = now()
                WHERE p.source = @source AND p.status <> 'Closed' AND NOT EXISTS (SELECT 1 FROM staging s WHERE s.source_id = p.source_id)
                """, source, asOf, ct);
            return new MergeCounts(inserted, updated, closed, 0, 0);
        },
    };

    private static readonly LayerSchema PopulationUnits = new()
    {
        Table = "population_unit",
        Columns = [Text("name"), Geo("geometry", "Geometry"), Int("population"), Int("population65_plus"), Int("reference_year")],
        MergeAsync = async (conn, tx, source, asOf, ct) =>
        {
            await Run(conn, tx, """
                CREATE TEMP TABLE matched ON COMMIT DROP AS
                SELECT s.*, u.id AS target_id,
                  (u.id IS NOT NULL AND ROW(u.name, ST_AsBinary(u.geometry), u.population, u.population65_plus, u.reference_year)
                     IS DISTINCT FROM ROW(s.name, ST_AsBinary(s.geometry), s.population, s.population65_plus, s.reference_year)) AS changed
                FROM staging s LEFT JOIN population_unit u ON u.source = @source AND u.source_id = s.source_id
                """, source, asOf, ct);
            var updated = await Run(conn, tx, """
                UPDATE population_unit u SET name = m.name, geometry = m.geometry, population = m.population, population65_plus = m.population65_plus,
                  reference_year = m.reference_year, updated_at = now()
                FROM matched m WHERE m.changed AND u.id = m.target_id
                """, source, asOf, ct);
            var inserted = await Run(conn, tx, """
                INSERT INTO population_unit (name, geometry, population, population65_plus, reference_year, source, source_id, updated_at)
                SELECT name, geometry, population, population65_plus, reference_year, @source, source_id, now() FROM matched WHERE target_id IS NULL ORDER BY feature_no
                """, source, asOf, ct);
            // Statistics are replaced, not tracked: a unit gone from the source would otherwise be counted twice.
            var removed = await Run(conn, tx, "DELETE FROM population_unit u WHERE u.source = @source AND NOT EXISTS (SELECT 1 FROM staging s WHERE s.source_id = u.source_id)", source, asOf, ct);
            return new MergeCounts(inserted, updated, 0, removed, 0);
        },
    };

    private static readonly LayerSchema Municipalities = new()
    {
        Table = "municipality",
        Columns = [Text("nis_code"), Text("name"), Geo("boundary", "MultiPolygon"), Int("population")],
        MergeAsync = async (conn, tx, source, asOf, ct) =>
        {
            // Municipalities are keyed by NIS code whatever the source: there is one Puurs-Sint-Amands.
            // A file without population keeps the count another source gave.
            await Run(conn, tx, """
                CREATE TEMP TABLE matched ON COMMIT DROP AS
                SELECT s.*, m.id AS target_id, COALESCE(s.population, m.population) AS eff_population,
                  (m.id IS NOT NULL AND ROW(m.name, ST_AsBinary(m.boundary), m.population, m.source)
                     IS DISTINCT FROM ROW(s.name, ST_AsBinary(s.boundary), COALESCE(s.population, m.population), @source)) AS changed
                FROM staging s LEFT JOIN municipality m ON m.nis_code = s.nis_code
                """, source, asOf, ct);
            var updated = await Run(conn, tx, """
                UPDATE municipality m SET name = x.name, boundary = x.boundary, population = x.eff_population, source = @source, updated_at = now()
                FROM matched x WHERE x.changed AND m.id = x.target_id
                """, source, asOf, ct);
            var inserted = await Run(conn, tx, """
                INSERT INTO municipality (nis_code, name, boundary, population, source, updated_at)
                SELECT nis_code, name, boundary, population, @source, now() FROM matched WHERE target_id IS NULL ORDER BY feature_no
                """, source, asOf, ct);
            var missing = await Scalar(conn, tx, "SELECT count(*) FROM municipality m WHERE m.source = @source AND NOT EXISTS (SELECT 1 FROM staging s WHERE s.nis_code = m.nis_code)", source, ct);
            return new MergeCounts(inserted, updated, 0, 0, missing);
        },
    };

    private static readonly LayerSchema Regions = new()
    {
        Table = "region",
        Columns = [Text("name"), Geo("boundary", "MultiPolygon"), Text("description")],
        MergeAsync = async (conn, tx, source, asOf, ct) =>
        {
            // Regions have no source column; they are keyed by their (unique) name.
            await Run(conn, tx, """
                CREATE TEMP TABLE matched ON COMMIT DROP AS
                SELECT s.*, r.id AS target_id,
                  (r.id IS NOT NULL AND ROW(ST_AsBinary(r.boundary), r.description) IS DISTINCT FROM ROW(ST_AsBinary(s.boundary), s.description)) AS changed
                FROM staging s LEFT JOIN region r ON r.name = s.name
                """, source, asOf, ct);
            var updated = await Run(conn, tx, "UPDATE region r SET boundary = m.boundary, description = m.description FROM matched m WHERE m.changed AND r.id = m.target_id", source, asOf, ct);
            var inserted = await Run(conn, tx, """
                INSERT INTO region (name, boundary, is_user_drawn, description, created_at)
                SELECT name, boundary, false, description, now() FROM matched WHERE target_id IS NULL ORDER BY feature_no
                """, source, asOf, ct);
            return new MergeCounts(inserted, updated, 0, 0, 0);
        },
    };

    private static async Task<long> Run(NpgsqlConnection conn, NpgsqlTransaction tx, string sql, string source, DateOnly asOf, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn, tx);
        cmd.CommandTimeout = 0; // large imports and estimates run longer than Npgsql's 30 s default
        if (sql.Contains("@source", StringComparison.Ordinal)) cmd.Parameters.AddWithValue("source", source);
        if (sql.Contains("@asof", StringComparison.Ordinal)) cmd.Parameters.AddWithValue("asof", asOf);
        return await cmd.ExecuteNonQueryAsync(ct);
    }

    private static async Task<long> Scalar(NpgsqlConnection conn, NpgsqlTransaction tx, string sql, string source, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn, tx);
        cmd.CommandTimeout = 0; // large imports and estimates run longer than Npgsql's 30 s default
        cmd.Parameters.AddWithValue("source", source);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
    }
}

/// <summary>Assigns service points to kernen: the kern whose boundary contains the point, else the nearest centre within a distance.</summary>
internal static class KernAssignment
{
    // Candidate kernen are pre-filtered with the geometry index on a degree box wide enough for the distance at Belgian latitudes
    // (1° of longitude ≈ 70 km at 51° N), then ordered by true geodesic distance.
    private const string NearestKern = """
        COALESCE(
          (SELECT k.id FROM kern k WHERE k.boundary IS NOT NULL AND k.boundary && p.location AND ST_Contains(k.boundary, p.location)
           ORDER BY ST_Area(k.boundary), k.id LIMIT 1),
          (SELECT k.id FROM kern k WHERE k.centre && ST_Expand(p.location, @deg)
             AND ST_DWithin(k.centre::geography, p.location::geography, @meters)
           ORDER BY ST_Distance(k.centre::geography, p.location::geography), k.id LIMIT 1))
        """;

    /// <summary>For the service points just staged: an explicit kern reference (source id, else name) wins, else the spatial rule.</summary>
    public static async Task AssignStagedAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string source, double maxMeters, CancellationToken ct)
    {
        var sql = $"""
            UPDATE service_point p SET kern_id = x.kid
            FROM (
              SELECT p.id, COALESCE(
                (SELECT k.id FROM kern k WHERE k.source_id = s.kern_ref ORDER BY k.id LIMIT 1),
                (SELECT k.id FROM kern k WHERE k.name = s.kern_ref ORDER BY ST_Distance(k.centre::geography, p.location::geography), k.id LIMIT 1),
                {NearestKern}) AS kid
              FROM staging s JOIN service_point p ON p.source = @source AND p.source_id = s.source_id
            ) x
            WHERE p.id = x.id AND p.kern_id IS DISTINCT FROM x.kid
            """;
        await using var cmd = new NpgsqlCommand(sql, conn, tx);
        cmd.CommandTimeout = 0; // large imports and estimates run longer than Npgsql's 30 s default
        cmd.Parameters.AddWithValue("source", source);
        cmd.Parameters.AddWithValue("meters", maxMeters);
        cmd.Parameters.AddWithValue("deg", maxMeters / 60000.0);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>After a kern import: points without a kern get one by the spatial rule.</summary>
    public static async Task AssignUnassignedAsync(NpgsqlConnection conn, NpgsqlTransaction tx, double maxMeters, CancellationToken ct)
    {
        var sql = $"UPDATE service_point p SET kern_id = {NearestKern} WHERE p.kern_id IS NULL";
        await using var cmd = new NpgsqlCommand(sql, conn, tx);
        cmd.CommandTimeout = 0; // large imports and estimates run longer than Npgsql's 30 s default
        cmd.Parameters.AddWithValue("meters", maxMeters);
        cmd.Parameters.AddWithValue("deg", maxMeters / 60000.0);
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
