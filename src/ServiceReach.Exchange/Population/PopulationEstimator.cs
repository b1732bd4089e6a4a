using Npgsql;
using NpgsqlTypes;
using OsmSharp;
using OsmSharp.Streams;
using ServiceReach.Domain;
using ServiceReach.Storage;

namespace ServiceReach.Exchange.Population;

/// <summary>A point that carries residents in proportion to its weight: a residential building, an address, a grid cell centre.</summary>
public readonly record struct WeightPoint(double Lon, double Lat, double Weight = 1);

/// <summary>What to estimate from.</summary>
/// <param name="UnitsSource">Source name of the stored population units whose totals are spread (e.g. municipalities with Statbel counts).</param>
/// <param name="MaxDistanceMeters">A weight point farther than this from every kern centre (and inside no kern outline) lives outside the kernen.</param>
/// <param name="KernSource">Only kernen of this source are estimated; null = all.</param>
/// <param name="Overwrite">Also replace counted populations (default: only kernen without a count or with an earlier estimate).</param>
public sealed record PopulationEstimateRequest(string UnitsSource, double MaxDistanceMeters = 2000, string? KernSource = null, bool Overwrite = false);

public sealed record PopulationEstimateReport(int KernenEstimated, int UnitsSpread, int UnitsWithoutWeights, long ResidentsInKernen, long ResidentsOutsideKernen, IReadOnlyList<string> Notes);

/// <summary>
/// Estimates kern populations by spreading population-unit totals over weight points (residential buildings or address
/// points). Each weight point belongs to the unit containing it and to the kern whose outline contains it, else to the
/// nearest kern known only by its centre (no outline) within <see cref="PopulationEstimateRequest.MaxDistanceMeters"/> in the
/// same unit, else to "outside the kernen" (ribbons and scattered houses, as in the official kern definition). A kern receives total × (its weight in the unit) / (all weight in the unit), summed over units, rounded by
/// largest remainder so that every unit's residents add up exactly. 65+ counts are spread the same way when units have them.
/// Estimated kernen are flagged <see cref="Kern.PopulationIsEstimate"/>; counted populations are kept unless asked.
/// </summary>
public static class PopulationEstimator
{
    /// <summary>Building values counted as homes; <c>building=yes</c> counts only without shop/amenity/office/industrial tags.</summary>
    public static readonly IReadOnlySet<string> ResidentialBuildingValues = new HashSet<string>(StringComparer.Ordinal)
    {
        "house", "residential", "detached", "semidetached_house", "terrace", "apartments", "bungalow", "farm", "dormitory", "yes",
    };

    public static async Task<PopulationEstimateReport> EstimateAsync(string connectionString, PopulationEstimateRequest request, IEnumerable<WeightPoint> points, CancellationToken ct = default)
    {
        await using var conn = await ServiceReachDb.DataSource(connectionString).OpenConnectionAsync(ct).ConfigureAwait(false);
        await using var tx = await conn.BeginTransactionAsync(ct).ConfigureAwait(false);
        await Exec(conn, tx, "CREATE TEMP TABLE weight_point (geom geometry(Point,4326) NOT NULL, weight double precision NOT NULL) ON COMMIT DROP", ct).ConfigureAwait(false);
        await using (var copy = await conn.BeginBinaryImportAsync("COPY weight_point (geom, weight) FROM STDIN (FORMAT BINARY)", ct).ConfigureAwait(false))
        {
            foreach (var p in points)
            {
                if (!(p.Weight > 0) || !double.IsFinite(p.Lon) || !double.IsFinite(p.Lat)) continue;
                await copy.StartRowAsync(ct).ConfigureAwait(false);
                await copy.WriteAsync(Geo.Point(p.Lon, p.Lat), "geometry", ct).ConfigureAwait(false);
                await copy.WriteAsync(p.Weight, NpgsqlDbType.Double, ct).ConfigureAwait(false);
            }
            await copy.CompleteAsync(ct).ConfigureAwait(false);
        }
        await Exec(conn, tx, "CREATE INDEX ON weight_point USING gist (geom); ANALYZE weight_point", ct).ConfigureAwait(false);

        // Weight per (unit, kern); kern null = outside the kernen. Kernen are matched within the unit, so municipal borders hold.
        const string sql = """
            WITH units AS (
              SELECT u.id, u.population, u.population65_plus, u.geometry FROM population_unit u
              WHERE u.source = @units AND ST_Dimension(u.geometry) = 2
            ), k AS (
              SELECT id, centre, boundary FROM kern WHERE (@kernSource::text IS NULL OR source = @kernSource)
            ), assigned AS (
              SELECT u.id AS unit_id, w.weight,
                COALESCE(
                  (SELECT k.id FROM k WHERE k.boundary IS NOT NULL AND k.boundary && w.geom AND ST_Contains(k.boundary, w.geom) ORDER BY ST_Area(k.boundary), k.id LIMIT 1),
                  (SELECT k.id FROM k WHERE k.boundary IS NULL AND k.centre && ST_Expand(w.geom, @deg) AND ST_Contains(u.geometry, k.centre)
                     AND ST_DWithin(k.centre::geography, w.geom::geography, @meters)
                   ORDER BY ST_Distance(k.centre::geography, w.geom::geography), k.id LIMIT 1)) AS kern_id
              FROM units u JOIN weight_point w ON u.geometry && w.geom AND ST_Contains(u.geometry, w.geom)
            )
            SELECT u.id, u.population, u.population65_plus, a.kern_id, COALESCE(sum(a.weight), 0)
            FROM units u LEFT JOIN assigned a ON a.unit_id = u.id
            GROUP BY u.id, u.population, u.population65_plus, a.kern_id
            ORDER BY u.id, a.kern_id NULLS FIRST
            """;
        var rows = new List<(long Unit, int Population, int? Population65, long? Kern, double Weight)>();
        await using (var cmd = new NpgsqlCommand(sql, conn, tx))
        {
            cmd.CommandTimeout = 0; // one statement over all homes of a region: can take minutes
            cmd.Parameters.AddWithValue("units", request.UnitsSource);
            cmd.Parameters.Add(new NpgsqlParameter("kernSource", NpgsqlDbType.Text) { Value = (object?)request.KernSource ?? DBNull.Value });
            cmd.Parameters.AddWithValue("meters", request.MaxDistanceMeters);
            cmd.Parameters.AddWithValue("deg", request.MaxDistanceMeters / 60000.0);
            await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await r.ReadAsync(ct).ConfigureAwait(false))
                rows.Add((r.GetInt64(0), r.GetInt32(1), r.IsDBNull(2) ? null : r.GetInt32(2), r.IsDBNull(3) ? null : r.GetInt64(3), r.GetDouble(4)));
        }
        if (rows.Count == 0) throw new InvalidOperationException($"No polygon population units with source '{request.UnitsSource}'; import them first (layer population).");

        var notes = new List<string>();
        var kernTotals = new Dictionary<long, (long Population, long Population65, bool Has65)>();
        int spread = 0, withoutWeights = 0;
        long inKernen = 0, outside = 0;
        foreach (var unit in rows.GroupBy(r => r.Unit))
        {
            var parts = unit.ToList();
            var totalWeight = parts.Sum(p => p.Weight);
            var (population, population65) = (parts[0].Population, parts[0].Population65);
            if (totalWeight <= 0)
            {
                withoutWeights++;
                notes.Add($"population unit {unit.Key}: no weight points inside; its {population} residents are not spread.");
                continue;
            }
            spread++;
            var shares = LargestRemainder(population, parts.Select(p => p.Weight / totalWeight).ToArray());
            var shares65 = population65 is null ? null : LargestRemainder(population65.Value, parts.Select(p => p.Weight / totalWeight).ToArray());
            for (var i = 0; i < parts.Count; i++)
            {
                if (parts[i].Kern is not long kern)
                {
                    outside += shares[i];
                    continue;
                }
                inKernen += shares[i];
                var t = kernTotals.GetValueOrDefault(kern);
                kernTotals[kern] = (t.Population + shares[i], t.Population65 + (shares65?[i] ?? 0), t.Has65 || shares65 is not null);
            }
        }

        var estimated = 0;
        // Current values, so unchanged kernen are left alone (re-running an estimate is idempotent).
        var current = new Dictionary<long, (int? Population, int? Population65, bool IsEstimate)>();
        await using (var read = new NpgsqlCommand("SELECT id, population, population65_plus, population_is_estimate FROM kern WHERE id = ANY(@ids)", conn, tx))
        {
            read.Parameters.AddWithValue("ids", kernTotals.Keys.ToArray());
            await using var r = await read.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await r.ReadAsync(ct).ConfigureAwait(false))
                current[r.GetInt64(0)] = (r.IsDBNull(1) ? null : r.GetInt32(1), r.IsDBNull(2) ? null : r.GetInt32(2), r.GetBoolean(3));
        }
        await using (var update = new NpgsqlCommand(
            "UPDATE kern SET population = @p, population65_plus = @p65, population_is_estimate = true, updated_at = now() WHERE id = @id", conn, tx))
        {
            var id = update.Parameters.Add("id", NpgsqlDbType.Bigint);
            var p = update.Parameters.Add("p", NpgsqlDbType.Integer);
            var p65 = update.Parameters.Add("p65", NpgsqlDbType.Integer);
            foreach (var (kern, t) in kernTotals.OrderBy(k => k.Key))
            {
                var now = current[kern];
                if (!request.Overwrite && now.Population is not null && !now.IsEstimate) continue; // a counted population stays
                int? new65 = t.Has65 ? checked((int)t.Population65) : now.Population65;
                if (now.IsEstimate && now.Population == t.Population && now.Population65 == new65) continue;
                id.Value = kern;
                p.Value = checked((int)t.Population);
                p65.Value = (object?)new65 ?? DBNull.Value;
                estimated += await update.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }
        }
        await tx.CommitAsync(ct).ConfigureAwait(false);
        return new PopulationEstimateReport(estimated, spread, withoutWeights, inKernen, outside, notes);
    }

    /// <summary>Splits a whole number by shares so the parts add up exactly (largest remainder; ties to the earlier part).</summary>
    public static long[] LargestRemainder(long total, double[] shares)
    {
        var result = new long[shares.Length];
        var remainders = new (double Remainder, int Index)[shares.Length];
        long assigned = 0;
        for (var i = 0; i < shares.Length; i++)
        {
            var exact = total * shares[i];
            result[i] = (long)Math.Floor(exact);
            assigned += result[i];
            remainders[i] = (exact - result[i], i);
        }
        Array.Sort(remainders, (a, b) => a.Remainder != b.Remainder ? b.Remainder.CompareTo(a.Remainder) : a.Index.CompareTo(b.Index));
        for (var k = 0; assigned < total && k < remainders.Length; k++, assigned++) result[remainders[k].Index]++;
        return result;
    }

    /// <summary>
    /// Weight points from an OSM file: one per residential building (its centroid, from the way's nodes) and one per address
    /// node that is not inside a counted building's node list. Buildings with shop/amenity/office/industrial tags are not homes.
    /// </summary>
    public static IEnumerable<WeightPoint> FromOsm(string path)
    {
        using var stream = File.OpenRead(path);
        OsmStreamSource source = path.EndsWith(".pbf", StringComparison.OrdinalIgnoreCase) ? new PBFOsmStreamSource(stream) : new XmlOsmStreamSource(stream);
        var ids = new List<long>();
        var lons = new List<double>();
        var lats = new List<double>();
        var result = new List<WeightPoint>();
        foreach (var geo in source)
        {
            if (geo is Node n && n.Id is long id && n.Longitude is double lon && n.Latitude is double lat)
            {
                ids.Add(id);
                lons.Add(lon);
                lats.Add(lat);
                if (n.Tags is not null && n.Tags.ContainsKey("addr:housenumber") && !n.Tags.ContainsKey("shop") && !n.Tags.ContainsKey("amenity"))
                    result.Add(new WeightPoint(lon, lat));
            }
            else if (geo is Way w && w.Tags is not null && w.Nodes is { Length: > 0 } && w.Tags.TryGetValue("building", out var building)
                     && ResidentialBuildingValues.Contains(building)
                     && !(building == "yes" && (w.Tags.ContainsKey("shop") || w.Tags.ContainsKey("amenity") || w.Tags.ContainsKey("office") || w.Tags.ContainsKey("industrial"))))
            {
                double sx = 0, sy = 0;
                var count = 0;
                var last = w.Nodes.Length > 1 && w.Nodes[0] == w.Nodes[^1] ? w.Nodes.Length - 1 : w.Nodes.Length;
                for (var i = 0; i < last; i++)
                {
                    var at = ids.BinarySearch(w.Nodes[i]);
                    if (at < 0) continue;
                    sx += lons[at];
                    sy += lats[at];
                    count++;
                }
                if (count > 0) result.Add(new WeightPoint(sx / count, sy / count));
            }
        }
        return result;
    }

    private static async Task Exec(NpgsqlConnection conn, NpgsqlTransaction tx, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn, tx);
        cmd.CommandTimeout = 0; // large imports and estimates run longer than Npgsql's 30 s default
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }
}
