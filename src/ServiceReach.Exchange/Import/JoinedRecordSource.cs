using System.Globalization;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;
using NetTopologySuite.Index.Strtree;
using ServiceReach.Domain;
using ServiceReach.Exchange.Csv;
using ServiceReach.Exchange.GeoJson;
using ServiceReach.Exchange.GeoPackage;

namespace ServiceReach.Exchange.Import;

/// <summary>Adds the columns of joined tables (by key, or by polygon containment) to each record of an inner source; see <see cref="JoinSpec"/>.</summary>
internal sealed class JoinedRecordSource : IRecordSource
{
    private readonly IRecordSource _inner;
    private readonly List<(JoinSpec Spec, string File, Dictionary<string, IReadOnlyDictionary<string, object?>>? Rows, STRtree<(IPreparedGeometry Polygon, IReadOnlyDictionary<string, object?> Row)>? Index)> _tables = [];
    private readonly List<string> _notes = [];

    public JoinedRecordSource(IRecordSource inner, FieldMapping mapping)
    {
        _inner = inner;
        foreach (var spec in mapping.Joins)
        {
            var file = Path.IsPathRooted(spec.File) || mapping.BaseDirectory is null ? spec.File : Path.Combine(mapping.BaseDirectory, spec.File);
            var ext = Path.GetExtension(file).ToLowerInvariant();
            if (ext is ".shp" or ".geojson" or ".json" or ".gpkg")
            {
                _tables.Add((spec, file, null, LoadPolygons(file, ext, inner.Epsg)));
                continue;
            }
            if (spec.Key is null || spec.On is null) throw new ImportException(file, "a key join needs \"key\" (column in this file) and \"on\" (field of the input).");
            var rows = new Dictionary<string, IReadOnlyDictionary<string, object?>>(StringComparer.Ordinal);
            foreach (var r in CsvRecordSource.ReadTable(file, spec.Encoding))
            {
                if (!r.Attributes.TryGetValue(spec.Key, out var key) || key is null)
                    throw new ImportException(file, $"join key column '{spec.Key}' is missing or empty.", r.FeatureNumber, r.Line);
                if (!rows.TryAdd(Convert.ToString(key, CultureInfo.InvariantCulture)!, r.Attributes))
                    throw new ImportException(file, $"join key '{key}' appears twice.", r.FeatureNumber, r.Line);
            }
            _tables.Add((spec, file, rows, null));
        }
    }

    private static STRtree<(IPreparedGeometry, IReadOnlyDictionary<string, object?>)> LoadPolygons(string file, string ext, int targetEpsg)
    {
        using IRecordSource source = ext switch
        {
            ".shp" => new Shapefile.ShapefileRecordSource(file),
            ".gpkg" => new GeoPackageRecordSource(file),
            _ => new GeoJsonRecordSource(file),
        };
        var tree = new STRtree<(IPreparedGeometry, IReadOnlyDictionary<string, object?>)>();
        foreach (var r in source.Read(CancellationToken.None))
        {
            if (r.Geometry is not (Polygon or MultiPolygon) || r.Geometry.IsEmpty) continue;
            var g = CoordinateSystems.Transform(r.Geometry, source.Epsg, targetEpsg);
            tree.Insert(g.EnvelopeInternal, (PreparedGeometryFactory.Prepare(g), r.Attributes));
        }
        tree.Build();
        return tree;
    }

    public int Epsg => _inner.Epsg;
    public IReadOnlyList<string> Notes => [.. _inner.Notes, .. _notes];
    public long BytesRead => _inner.BytesRead;
    public long? TotalBytes => _inner.TotalBytes;

    public IEnumerable<SourceRecord> Read(CancellationToken ct)
    {
        var unmatched = new int[_tables.Count];
        foreach (var r in _inner.Read(ct))
        {
            var attributes = new Dictionary<string, object?>(r.Attributes.Count + 8, StringComparer.OrdinalIgnoreCase);
            foreach (var (k, v) in r.Attributes) attributes[k] = v;
            for (var t = 0; t < _tables.Count; t++)
            {
                var (spec, _, rows, index) = _tables[t];
                IReadOnlyDictionary<string, object?>? row = null;
                if (rows is not null)
                {
                    var key = r.Attributes.TryGetValue(spec.On!, out var kv) && kv is not null ? Convert.ToString(kv, CultureInfo.InvariantCulture) : null;
                    if (key is not null) rows.TryGetValue(key, out row);
                }
                else if (r.Geometry is { IsEmpty: false } g)
                {
                    var probe = g is Point p ? p : g.InteriorPoint;
                    foreach (var (polygon, candidate) in index!.Query(probe.EnvelopeInternal))
                    {
                        if (polygon.Contains(probe)) { row = candidate; break; }
                    }
                }
                if (row is null)
                {
                    unmatched[t]++;
                    continue;
                }
                foreach (var (k, v) in row)
                {
                    if (spec.Columns is null || spec.Columns.Contains(k, StringComparer.OrdinalIgnoreCase)) attributes.TryAdd((spec.Prefix ?? "") + k, v);
                }
            }
            yield return new SourceRecord(r.FeatureNumber, r.Line, r.Geometry, attributes);
        }
        for (var t = 0; t < _tables.Count; t++)
        {
            if (unmatched[t] > 0) _notes.Add($"join {Path.GetFileName(_tables[t].File)}: {unmatched[t]} records found no match.");
        }
    }

    public void Dispose() => _inner.Dispose();
}
