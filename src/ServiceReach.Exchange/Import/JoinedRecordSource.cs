using System.Globalization;
using ServiceReach.Exchange.Csv;

namespace ServiceReach.Exchange.Import;

/// <summary>Adds the columns of joined CSV tables (by key) to each record of an inner source; see <see cref="JoinSpec"/>.</summary>
internal sealed class JoinedRecordSource : IRecordSource
{
    private readonly IRecordSource _inner;
    private readonly List<(JoinSpec Spec, Dictionary<string, IReadOnlyDictionary<string, object?>> Rows)> _tables = [];
    private readonly List<string> _notes = [];

    public JoinedRecordSource(IRecordSource inner, FieldMapping mapping)
    {
        _inner = inner;
        foreach (var spec in mapping.Joins)
        {
            var file = Path.IsPathRooted(spec.File) || mapping.BaseDirectory is null ? spec.File : Path.Combine(mapping.BaseDirectory, spec.File);
            var rows = new Dictionary<string, IReadOnlyDictionary<string, object?>>(StringComparer.Ordinal);
            foreach (var r in CsvRecordSource.ReadTable(file, spec.Encoding))
            {
                if (!r.Attributes.TryGetValue(spec.Key, out var key) || key is null)
                    throw new ImportException(file, $"join key column '{spec.Key}' is missing or empty.", r.FeatureNumber, r.Line);
                if (!rows.TryAdd(Convert.ToString(key, CultureInfo.InvariantCulture)!, r.Attributes))
                    throw new ImportException(file, $"join key '{key}' appears twice.", r.FeatureNumber, r.Line);
            }
            _tables.Add((spec, rows));
        }
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
                var (spec, rows) = _tables[t];
                var key = r.Attributes.TryGetValue(spec.On, out var kv) && kv is not null ? Convert.ToString(kv, CultureInfo.InvariantCulture) : null;
                if (key is not null && rows.TryGetValue(key, out var row))
                {
                    foreach (var (k, v) in row) attributes.TryAdd((spec.Prefix ?? "") + k, v);
                }
                else unmatched[t]++;
            }
            yield return new SourceRecord(r.FeatureNumber, r.Line, r.Geometry, attributes);
        }
        for (var t = 0; t < _tables.Count; t++)
        {
            if (unmatched[t] > 0) _notes.Add($"join {Path.GetFileName(_tables[t].Spec.File)}: {unmatched[t]} records had no matching '{_tables[t].Spec.Key}'.");
        }
    }

    public void Dispose() => _inner.Dispose();
}
