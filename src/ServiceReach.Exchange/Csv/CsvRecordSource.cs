using System.Globalization;
using System.Text;
using NetTopologySuite.Geometries;
using ServiceReach.Domain;
using ServiceReach.Exchange.Import;

namespace ServiceReach.Exchange.Csv;

/// <summary>
/// Reads a CSV (a spreadsheet export) row by row. Points come from longitude/latitude columns (WGS84 unless declared) or from
/// x/y columns with a declared coordinate system. The delimiter (comma, semicolon, tab) is taken from the header line;
/// the encoding is declared or detected (UTF-8, else ISO-8859-1 with a note).
/// </summary>
public sealed class CsvRecordSource : IRecordSource
{
    private static readonly string[] LonNames = ["lon", "lng", "long", "longitude", "stop_lon", "x_wgs84", "lengtegraad"];
    private static readonly string[] LatNames = ["lat", "latitude", "stop_lat", "y_wgs84", "breedtegraad"];
    private static readonly string[] XNames = ["x", "x_lambert", "xcoord", "x_coord", "easting"];
    private static readonly string[] YNames = ["y", "y_lambert", "ycoord", "y_coord", "northing"];

    private readonly string _path;
    private readonly FieldMapping _mapping;
    private readonly Encoding _encoding;
    private readonly List<string> _notes = [];
    private readonly int? _declaredEpsg;
    private readonly bool _requireGeometry;

    public CsvRecordSource(string path, FieldMapping? mapping = null, int? declaredEpsg = null, string? encoding = null, bool requireGeometry = true)
    {
        _path = path;
        if (!File.Exists(path)) throw new ImportException(path, "file not found.");
        _mapping = mapping ?? FieldMapping.Default;
        _declaredEpsg = declaredEpsg;
        _requireGeometry = requireGeometry;
        if (encoding is not null) _encoding = TextEncodings.Get(encoding);
        else
        {
            var (detected, note) = TextEncodings.Detect(path);
            _encoding = detected;
            if (note is not null) _notes.Add(note);
        }
        TotalBytes = new FileInfo(path).Length;
        Epsg = declaredEpsg ?? CoordinateSystems.Wgs84;
    }

    public int Epsg { get; private set; }
    public IReadOnlyList<string> Notes => _notes;
    public long BytesRead { get; private set; }
    public long? TotalBytes { get; }

    public IEnumerable<SourceRecord> Read(CancellationToken ct)
    {
        using var stream = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        using var text = new StreamReader(stream, _encoding, detectEncodingFromByteOrderMarks: true);
        var firstLine = text.ReadLine() ?? throw new ImportException(_path, "the file is empty.");
        var delimiter = _mapping.Delimiter ?? DetectDelimiter(firstLine);
        stream.Position = 0;
        text.DiscardBufferedData();
        var csv = new CsvLineReader(text, delimiter[0]);
        var header = csv.ReadRow() ?? throw new ImportException(_path, "the file has no header row.");
        for (var i = 0; i < header.Length; i++) header[i] = header[i].Trim().TrimStart('\uFEFF');

        var (xCol, yCol, isLonLat) = CoordinateColumns(header);
        if (xCol is null && _requireGeometry)
            throw new ImportException(_path, $"no coordinate columns found (looked for lon/lat or x/y; columns: {string.Join(", ", header)}). Name them with \"x\"/\"y\" in a mapping file.", null, 1);
        if (xCol is not null && !isLonLat && _declaredEpsg is null)
            throw new ImportException(_path, $"columns '{xCol}'/'{yCol}' hold projected coordinates, but no coordinate system was declared (e.g. --crs EPSG:31370).", null, 1);
        var decimalComma = delimiter == ";";
        var factory = NetTopologySuite.NtsGeometryServices.Instance.CreateGeometryFactory();

        long n = 0;
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            string[]? row;
            try { row = csv.ReadRow(); }
            catch (FormatException ex)
            {
                throw new ImportException(_path, "malformed CSV: " + ex.Message, n + 1, csv.RowStartLine);
            }
            if (row is null) yield break;
            if (row.Length == 1 && row[0].Length == 0) continue; // blank line
            n++;
            var line = csv.RowStartLine;
            var attributes = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i < header.Length; i++)
            {
                var v = i < row.Length ? row[i].Trim() : null;
                attributes[header[i]] = string.IsNullOrEmpty(v) ? null : v;
            }
            Geometry? geometry = null;
            if (xCol is not null)
            {
                var xs = attributes[xCol] as string;
                var ys = attributes[yCol!] as string;
                if (xs is not null && ys is not null)
                {
                    if (!TryNumber(xs, decimalComma, out var x) || !TryNumber(ys, decimalComma, out var y))
                        throw new ImportException(_path, $"coordinates '{xs}', '{ys}' are not numbers.", n, line);
                    geometry = factory.CreatePoint(new Coordinate(x, y));
                }
            }
            BytesRead = stream.Position;
            yield return new SourceRecord(n, line, geometry, attributes);
        }
    }

    /// <summary>Reads all rows of a CSV without geometry (for joins and lookup tables).</summary>
    public static IEnumerable<SourceRecord> ReadTable(string path, string? encoding = null)
    {
        using var source = new CsvRecordSource(path, FieldMapping.Default, null, encoding, requireGeometry: false);
        foreach (var r in source.Read(CancellationToken.None)) yield return r;
    }

    private (string? X, string? Y, bool IsLonLat) CoordinateColumns(string[] header)
    {
        string? Find(string[] names) => header.FirstOrDefault(h => names.Contains(h, StringComparer.OrdinalIgnoreCase));
        if (_mapping.X is not null || _mapping.Y is not null)
        {
            if (_mapping.X is null || _mapping.Y is null) throw new ImportException(_path, "the mapping names only one of x and y.");
            var x = header.FirstOrDefault(h => h.Equals(_mapping.X, StringComparison.OrdinalIgnoreCase)) ?? throw new ImportException(_path, $"column '{_mapping.X}' (mapping x) is not in the header.", null, 1);
            var y = header.FirstOrDefault(h => h.Equals(_mapping.Y, StringComparison.OrdinalIgnoreCase)) ?? throw new ImportException(_path, $"column '{_mapping.Y}' (mapping y) is not in the header.", null, 1);
            var lonLat = (_declaredEpsg ?? CoordinateSystems.Wgs84) == CoordinateSystems.Wgs84;
            return (x, y, lonLat);
        }
        var lon = Find(LonNames);
        var lat = Find(LatNames);
        if (lon is not null && lat is not null) return (lon, lat, true);
        var px = Find(XNames);
        var py = Find(YNames);
        if (px is not null && py is not null) return (px, py, _declaredEpsg == CoordinateSystems.Wgs84);
        return (null, null, false);
    }

    private static bool TryNumber(string s, bool decimalComma, out double v)
    {
        if (decimalComma && s.Contains(',', StringComparison.Ordinal) && !s.Contains('.', StringComparison.Ordinal)) s = s.Replace(',', '.');
        return double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out v) && double.IsFinite(v);
    }

    private static string DetectDelimiter(string headerLine)
    {
        var candidates = new[] { ",", ";", "\t", "|" };
        var best = ",";
        var bestCount = 0;
        foreach (var c in candidates)
        {
            var count = headerLine.Split(c).Length - 1;
            if (count > bestCount) { best = c; bestCount = count; }
        }
        return best;
    }

    public void Dispose() { }
}

/// <summary>A small RFC 4180 reader: quoted fields with doubled quotes and line breaks; tracks the line where each row starts.</summary>
internal sealed class CsvLineReader(TextReader reader, char delimiter)
{
    private long _line = 1;

    /// <summary>1-based line on which the last row returned starts.</summary>
    public long RowStartLine { get; private set; }

    public string[]? ReadRow()
    {
        var c = reader.Read();
        if (c < 0) return null;
        RowStartLine = _line;
        var fields = new List<string>();
        var field = new System.Text.StringBuilder();
        var inQuotes = false;
        var wasQuoted = false;
        while (true)
        {
            if (c < 0)
            {
                if (inQuotes) throw new FormatException($"a quoted field opened on line {RowStartLine} is never closed.");
                fields.Add(field.ToString());
                return [.. fields];
            }
            var ch = (char)c;
            if (inQuotes)
            {
                if (ch == '"')
                {
                    if (reader.Peek() == '"') { reader.Read(); field.Append('"'); }
                    else inQuotes = false;
                }
                else
                {
                    if (ch == '\n') _line++;
                    field.Append(ch);
                }
            }
            else if (ch == '"' && field.Length == 0 && !wasQuoted)
            {
                inQuotes = true;
                wasQuoted = true;
            }
            else if (ch == delimiter)
            {
                fields.Add(field.ToString());
                field.Clear();
                wasQuoted = false;
            }
            else if (ch == '\n' || ch == '\r')
            {
                if (ch == '\r' && reader.Peek() == '\n') reader.Read();
                _line++;
                fields.Add(field.ToString());
                return [.. fields];
            }
            else
            {
                field.Append(ch);
            }
            c = reader.Read();
        }
    }
}
