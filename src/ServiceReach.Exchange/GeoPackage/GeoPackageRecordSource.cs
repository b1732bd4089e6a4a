using Microsoft.Data.Sqlite;
using NetTopologySuite.IO;
using ServiceReach.Domain;
using ServiceReach.Exchange.Import;

namespace ServiceReach.Exchange.GeoPackage;

/// <summary>Reads the features of one GeoPackage layer (the only one, or the one named), with its declared EPSG system.</summary>
public sealed class GeoPackageRecordSource : IRecordSource
{
    private readonly string _path;
    private readonly string _table;
    private readonly string _geometryColumn;

    public GeoPackageRecordSource(string path, string? layer = null)
    {
        if (!File.Exists(path)) throw new ImportException(path, "file not found.");
        _path = path;
        using var conn = Open();
        using var cmd = conn.CreateCommand();
        cmd.CommandText = """
            SELECT g.table_name, g.column_name, s.organization, s.organization_coordsys_id
            FROM gpkg_geometry_columns g JOIN gpkg_spatial_ref_sys s ON s.srs_id = g.srs_id ORDER BY g.table_name
            """;
        var layers = new List<(string Table, string Column, string Org, long Code)>();
        try
        {
            using var r = cmd.ExecuteReader();
            while (r.Read()) layers.Add((r.GetString(0), r.GetString(1), r.GetString(2), r.GetInt64(3)));
        }
        catch (SqliteException ex)
        {
            throw new ImportException(path, "not a GeoPackage: " + ex.Message, inner: ex);
        }
        if (layers.Count == 0) throw new ImportException(path, "the GeoPackage has no feature layers.");
        var chosen = layer is null
            ? layers.Count == 1 ? layers[0] : throw new ImportException(path, $"the GeoPackage has several layers ({string.Join(", ", layers.Select(l => l.Table))}); name one.")
            : layers.FirstOrDefault(l => l.Table.Equals(layer, StringComparison.OrdinalIgnoreCase)) is { Table: not null } found ? found
            : throw new ImportException(path, $"no layer '{layer}' (layers: {string.Join(", ", layers.Select(l => l.Table))}).");
        _table = chosen.Table;
        _geometryColumn = chosen.Column;
        var code = chosen.Org.Equals("EPSG", StringComparison.OrdinalIgnoreCase) ? (int)chosen.Code : -1;
        if (!CoordinateSystems.IsKnown(code))
            throw new ImportException(path, $"layer '{_table}' uses {chosen.Org}:{chosen.Code}, not a coordinate system ServiceReach knows (EPSG:4326, 31370, 3812).");
        Epsg = code;
        TotalBytes = new FileInfo(path).Length;
    }

    public int Epsg { get; }
    public IReadOnlyList<string> Notes => [];
    public long BytesRead { get; private set; }
    public long? TotalBytes { get; }

    private SqliteConnection Open()
    {
        var conn = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        conn.Open();
        return conn;
    }

    public IEnumerable<SourceRecord> Read(CancellationToken ct)
    {
        using var conn = Open();
        using var cmd = conn.CreateCommand();
        cmd.CommandText = $"SELECT * FROM \"{_table.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
        using var r = cmd.ExecuteReader();
        var reader = new GeoPackageGeoReader();
        long n = 0;
        while (r.Read())
        {
            ct.ThrowIfCancellationRequested();
            n++;
            var attributes = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
            NetTopologySuite.Geometries.Geometry? geometry = null;
            for (var i = 0; i < r.FieldCount; i++)
            {
                var name = r.GetName(i);
                if (name.Equals(_geometryColumn, StringComparison.OrdinalIgnoreCase))
                {
                    if (!r.IsDBNull(i))
                    {
                        try { geometry = reader.Read((byte[])r.GetValue(i)); }
                        catch (Exception ex) when (ex is ParseException or ArgumentException or IOException or InvalidOperationException)
                        {
                            throw new ImportException(_path, "bad geometry blob: " + ex.Message, n, inner: ex);
                        }
                    }
                    continue;
                }
                if (name.Equals("fid", StringComparison.OrdinalIgnoreCase)) continue;
                attributes[name] = r.IsDBNull(i) ? null : r.GetValue(i);
            }
            yield return new SourceRecord(n, 0, geometry, attributes);
        }
        BytesRead = TotalBytes ?? 0;
    }

    public void Dispose() { }
}
