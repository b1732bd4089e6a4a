using System.Diagnostics;
using Npgsql;
using NpgsqlTypes;
using ServiceReach.Domain;
using ServiceReach.Exchange.GeoJson;
using ServiceReach.Storage;

namespace ServiceReach.Exchange.Import;

/// <summary>
/// Imports a layer from a file into PostGIS in one transaction: records stream through binary COPY into a temporary staging
/// table, then set-based SQL upserts by (source, source id). Re-importing an unchanged file changes nothing; a changed file
/// updates what changed; service points that disappeared are marked Closed with the as-of date (never deleted).
/// A fatal problem (truncated file, unknown CRS, coordinates outside the CRS area, duplicate ids) rolls everything back.
/// </summary>
public sealed class Importer
{
    private readonly string _connectionString;
    private readonly ServiceCatalogue _catalogue;

    public Importer(string connectionString, ServiceCatalogue? catalogue = null)
    {
        _connectionString = connectionString;
        _catalogue = catalogue ?? ServiceCatalogue.Default;
    }

    /// <summary>The format implied by a file name's extension.</summary>
    public static ImportFormat DetectFormat(string path)
    {
        var name = path.ToLowerInvariant();
        if (name.EndsWith(".osm.pbf", StringComparison.Ordinal) || name.EndsWith(".pbf", StringComparison.Ordinal)) return ImportFormat.OsmPbf;
        if (name.EndsWith(".osm", StringComparison.Ordinal) || name.EndsWith(".osm.xml", StringComparison.Ordinal)) return ImportFormat.OsmXml;
        if (name.EndsWith(".geojson", StringComparison.Ordinal) || name.EndsWith(".json", StringComparison.Ordinal)) return ImportFormat.GeoJson;
        if (name.EndsWith(".shp", StringComparison.Ordinal)) return ImportFormat.Shapefile;
        if (name.EndsWith(".gpkg", StringComparison.Ordinal)) return ImportFormat.GeoPackage;
        if (name.EndsWith(".csv", StringComparison.Ordinal) || name.EndsWith(".txt", StringComparison.Ordinal) || name.EndsWith(".tsv", StringComparison.Ordinal)) return ImportFormat.Csv;
        throw new ImportException(path, "cannot tell the format from the extension; give it explicitly (geojson, shapefile, csv, gpkg, osm-pbf, osm-xml).");
    }

    /// <summary>Opens the reader for a request's file (exposed for tools and tests that want the raw records).</summary>
    public IRecordSource OpenSource(ImportRequest request)
    {
        var format = request.Format ?? DetectFormat(request.Path);
        var mapping = request.Mapping ?? FieldMapping.Default;
        int? epsg = request.SourceEpsg ?? (mapping.Crs is null ? null : CrsRecognizer.Parse(mapping.Crs));
        var encoding = request.Encoding ?? mapping.Encoding;
        IRecordSource source = format switch
        {
            ImportFormat.GeoJson => new GeoJsonRecordSource(request.Path, epsg),
            ImportFormat.Shapefile => new Shapefile.ShapefileRecordSource(request.Path, epsg, encoding),
            ImportFormat.Csv => new Csv.CsvRecordSource(request.Path, mapping, epsg, encoding),
            ImportFormat.GeoPackage => new GeoPackage.GeoPackageRecordSource(request.Path, request.SourceLayer),
            ImportFormat.OsmPbf or ImportFormat.OsmXml => new Osm.OsmRecordSource(request.Path, format == ImportFormat.OsmPbf, request.Layer, _catalogue),
            _ => throw new ArgumentOutOfRangeException(nameof(request)),
        };
        if (mapping.Joins.Count > 0) source = new JoinedRecordSource(source, mapping);
        return source;
    }

    public async Task<ImportReport> ImportAsync(ImportRequest request, IProgress<ImportProgress>? progress = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrWhiteSpace(request.Source)) throw new ArgumentException("An import needs a source name.", nameof(request));
        var clock = Stopwatch.StartNew();
        var mapping = request.Mapping ?? FieldMapping.Default;
        var notes = new List<string>();
        using var source = OpenSource(request);
        var mapper = new RecordMapper(request.Layer, mapping, _catalogue, request.Path, () => source.Epsg, notes, request.Clip);
        var schema = LayerSchema.For(request.Layer);
        var fileName = Path.GetFileName(request.Path);

        await using var conn = await ServiceReachDb.DataSource(_connectionString).OpenConnectionAsync(ct).ConfigureAwait(false);
        await using var tx = await conn.BeginTransactionAsync(ct).ConfigureAwait(false);
        await ExecAsync(conn, tx, schema.CreateStaging, ct).ConfigureAwait(false);

        long read = 0, rejected = 0, outside = 0;
        var seen = new Dictionary<string, long>(StringComparer.Ordinal);
        await using (var copy = await conn.BeginBinaryImportAsync(schema.CopyCommand, ct).ConfigureAwait(false))
        {
            copy.Timeout = TimeSpan.FromMinutes(30); // the COPY stays open while a large file is read
            foreach (var record in source.Read(ct))
            {
                read++;
                string sourceId;
                object?[] values;
                try
                {
                    (sourceId, values) = mapper.Map(record);
                    if (seen.TryGetValue(sourceId, out var first))
                    {
                        if (mapper.LastIdWasDerived) throw new RejectedFeatureException($"identical to feature {first} (same name and geometry).");
                        throw new ImportException(request.Path, $"duplicate source id '{sourceId}' (also feature {first}); ids must be unique within a file.", record.FeatureNumber, record.Line);
                    }
                    seen[sourceId] = record.FeatureNumber;
                }
                catch (OutsideClipException)
                {
                    outside++;
                    continue;
                }
                catch (RejectedFeatureException ex)
                {
                    rejected++;
                    var message = $"{fileName}, {record.Where}: rejected: {ex.Message}";
                    if (request.FailOnRejected) throw new ImportException(request.Path, "rejected: " + ex.Message, record.FeatureNumber, record.Line);
                    notes.Add(message);
                    continue;
                }
                await copy.StartRowAsync(ct).ConfigureAwait(false);
                await copy.WriteAsync(record.FeatureNumber, NpgsqlDbType.Bigint, ct).ConfigureAwait(false);
                await copy.WriteAsync(sourceId, NpgsqlDbType.Text, ct).ConfigureAwait(false);
                for (var i = 0; i < values.Length; i++)
                {
                    var v = values[i];
                    if (v is null) await copy.WriteNullAsync(ct).ConfigureAwait(false);
                    else await copy.WriteAsync(v, schema.Columns[i].DataTypeName, ct).ConfigureAwait(false);
                }
                if ((read & 1023) == 0) progress?.Report(new ImportProgress(read, source.BytesRead, source.TotalBytes, "reading"));
            }
            await copy.CompleteAsync(ct).ConfigureAwait(false);
        }
        notes.InsertRange(0, source.Notes);
        progress?.Report(new ImportProgress(read, source.BytesRead, source.TotalBytes, "merging"));

        if (request.Layer == LayerKind.ServicePoints) await EnsureCategoriesAsync(conn, tx, ct).ConfigureAwait(false);
        if (request.Layer == LayerKind.Kernen && request.KeepStoredCentre)
        {
            await using var keep = new NpgsqlCommand("""
                UPDATE staging s SET centre = k.centre,
                  municipality_code = COALESCE(s.municipality_code, k.municipality_code), typology = COALESCE(s.typology, k.typology),
                  population_is_estimate = CASE WHEN s.population IS NULL THEN k.population_is_estimate ELSE false END,
                  population65_plus = CASE WHEN s.population IS NULL THEN COALESCE(s.population65_plus, k.population65_plus) ELSE s.population65_plus END,
                  population = COALESCE(s.population, k.population)
                FROM kern k WHERE k.source = @source AND k.source_id = s.source_id
                """, conn, tx);
            keep.CommandTimeout = 0;
            keep.Parameters.AddWithValue("source", request.Source);
            await keep.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
        var asOf = request.AsOf ?? DateOnly.FromDateTime(DateTime.UtcNow);
        var counts = await schema.MergeAsync(conn, tx, request.Source, asOf, ct).ConfigureAwait(false);
        if (request.Layer == LayerKind.ServicePoints)
            await KernAssignment.AssignStagedAsync(conn, tx, request.Source, request.KernAssignMaxMeters, ct).ConfigureAwait(false);
        else if (request.Layer == LayerKind.Kernen)
            await KernAssignment.AssignUnassignedAsync(conn, tx, request.KernAssignMaxMeters, ct).ConfigureAwait(false);

        await tx.CommitAsync(ct).ConfigureAwait(false);
        progress?.Report(new ImportProgress(read, source.BytesRead, source.TotalBytes, "done"));
        var staged = read - rejected - outside;
        return new ImportReport
        {
            File = request.Path,
            Layer = request.Layer,
            Source = request.Source,
            Read = read,
            Inserted = counts.Inserted,
            Updated = counts.Updated,
            Unchanged = staged - counts.Inserted - counts.Updated,
            Closed = counts.Closed,
            Removed = counts.Removed,
            Missing = counts.Missing,
            Rejected = rejected,
            OutsideClip = outside,
            Problems = notes,
            Elapsed = clock.Elapsed,
        };
    }

    private async Task EnsureCategoriesAsync(NpgsqlConnection conn, NpgsqlTransaction tx, CancellationToken ct)
    {
        // The join table references service_category; make sure every catalogue category exists. Rows users edited stay as they are.
        await using var batch = new NpgsqlBatch(conn, tx);
        foreach (var c in _catalogue.Categories)
        {
            var cmd = new NpgsqlBatchCommand(
                "INSERT INTO service_category (code, name_nl, name_en, need_frequency, default_channel, osm_tag_rules) " +
                "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (code) DO NOTHING");
            cmd.Parameters.Add(new NpgsqlParameter { Value = c.Code });
            cmd.Parameters.Add(new NpgsqlParameter { Value = c.NameNl });
            cmd.Parameters.Add(new NpgsqlParameter { Value = c.NameEn });
            cmd.Parameters.Add(new NpgsqlParameter { Value = c.Need.ToString() });
            cmd.Parameters.Add(new NpgsqlParameter { Value = c.Channel.ToString() });
            cmd.Parameters.Add(new NpgsqlParameter { Value = c.OsmRules.Select(r => r.Text).ToArray() });
            batch.BatchCommands.Add(cmd);
        }
        await batch.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    internal static async Task ExecAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn, tx);
        cmd.CommandTimeout = 0; // large imports and estimates run longer than Npgsql's 30 s default
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }
}
