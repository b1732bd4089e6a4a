using System.Text;
using NetTopologySuite.IO.Esri.Shapefiles.Readers;
using ServiceReach.Domain;
using ServiceReach.Exchange.Import;
using EsriShapefile = NetTopologySuite.IO.Esri.Shapefile;

namespace ServiceReach.Exchange.Shapefile;

/// <summary>
/// Reads an ESRI shapefile record by record. The coordinate system comes from the <c>.prj</c> (recognised by its parameters,
/// see <see cref="CrsRecognizer"/>) or from the caller; without either the import stops — a shapefile's numbers alone do not
/// say whether they are Lambert 72 or Lambert 2008 metres. The DBF text encoding comes from the <c>.cpg</c> or the caller.
/// </summary>
public sealed class ShapefileRecordSource : IRecordSource
{
    private readonly string _path;
    private readonly Encoding? _encoding;
    private readonly List<string> _notes = [];

    public ShapefileRecordSource(string path, int? declaredEpsg = null, string? encoding = null)
    {
        _path = path;
        if (!File.Exists(path)) throw new ImportException(path, "file not found.");
        var prj = Path.ChangeExtension(path, ".prj");
        if (File.Exists(prj))
        {
            var wkt = File.ReadAllText(prj);
            var recognised = CrsRecognizer.FromWkt(wkt);
            if (declaredEpsg is not null)
            {
                if (recognised != declaredEpsg)
                    _notes.Add($"{Path.GetFileName(path)}: .prj says {(recognised is null ? "an unknown system" : "EPSG:" + recognised)}, using the declared EPSG:{declaredEpsg}.");
                Epsg = declaredEpsg.Value;
            }
            else
            {
                Epsg = recognised ?? throw new ImportException(prj,
                    $"unknown coordinate system '{Shorten(wkt)}'. ServiceReach knows EPSG:4326, 31370 (Belgian Lambert 72) and 3812 (Belgian Lambert 2008); " +
                    "reproject the file or declare its system if the .prj is wrong.");
            }
        }
        else
        {
            Epsg = declaredEpsg ?? throw new ImportException(path,
                "the shapefile has no .prj, so its coordinate system is unknown. Declare it (e.g. --crs EPSG:31370 for Belgian Lambert 72) or add the .prj.");
        }

        if (encoding is not null) _encoding = TextEncodings.Get(encoding);
        else
        {
            var cpg = Path.ChangeExtension(path, ".cpg");
            if (File.Exists(cpg))
            {
                var name = File.ReadAllText(cpg).Trim();
                try { _encoding = TextEncodings.Get(name); }
                catch (ArgumentException) { throw new ImportException(cpg, $"unknown code page '{name}'; declare the encoding."); }
            }
        }
        TotalBytes = new FileInfo(path).Length;
    }

    public int Epsg { get; }
    public IReadOnlyList<string> Notes => _notes;
    public long BytesRead { get; private set; }
    public long? TotalBytes { get; }

    public IEnumerable<SourceRecord> Read(CancellationToken ct)
    {
        var options = new ShapefileReaderOptions();
        if (_encoding is not null) options.Encoding = _encoding;
        ShapefileReader reader;
        try
        {
            reader = EsriShapefile.OpenRead(_path, options);
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or NotSupportedException or ArgumentException)
        {
            throw new ImportException(_path, "cannot open the shapefile: " + ex.Message, inner: ex);
        }
        using (reader)
        {
            long n = 0;
            while (true)
            {
                ct.ThrowIfCancellationRequested();
                bool more;
                try { more = reader.Read(); }
                catch (Exception ex) when (ex is IOException or InvalidDataException or EndOfStreamException or ArgumentException or FormatException)
                {
                    throw new ImportException(_path, "damaged record: " + ex.Message, n + 1, inner: ex);
                }
                if (!more) yield break;
                n++;
                var attributes = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
                foreach (var field in reader.Fields)
                {
                    attributes[field.Name] = field.Value switch
                    {
                        string s => s.TrimEnd(),
                        int i => (long)i,
                        DBNull => null,
                        var v => v,
                    };
                }
                var geometry = reader.Geometry;
                BytesRead = TotalBytes is null ? 0 : (long)(TotalBytes.Value * (double)n / Math.Max(1, reader.RecordCount));
                yield return new SourceRecord(n, 0, geometry, attributes);
            }
        }
    }

    private static string Shorten(string wkt) => wkt.Length > 80 ? wkt[..80] + "…" : wkt;

    public void Dispose() { }
}
