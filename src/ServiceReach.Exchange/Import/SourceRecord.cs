using NetTopologySuite.Geometries;

namespace ServiceReach.Exchange.Import;

/// <summary>
/// One feature or row read from an input file, before mapping: its position in the file (for messages), its geometry in
/// the file's own coordinate system, and its attributes (string, long, double, bool, null, or a list of those).
/// </summary>
public sealed class SourceRecord
{
    public SourceRecord(long featureNumber, long line, Geometry? geometry, IReadOnlyDictionary<string, object?> attributes)
    {
        FeatureNumber = featureNumber;
        Line = line;
        Geometry = geometry;
        Attributes = attributes;
    }

    /// <summary>1-based number of the feature/row in the file.</summary>
    public long FeatureNumber { get; }

    /// <summary>1-based line where the feature starts, or 0 when the format has no lines (shapefile, PBF).</summary>
    public long Line { get; }

    public Geometry? Geometry { get; }

    /// <summary>Attribute values; keys compare case-insensitively.</summary>
    public IReadOnlyDictionary<string, object?> Attributes { get; }

    /// <summary>"feature 12 (line 40)" or "feature 12", for messages.</summary>
    public string Where => Line > 0 ? $"feature {FeatureNumber} (line {Line})" : $"feature {FeatureNumber}";
}

/// <summary>A file with a clear problem; the message names the file and, when known, the line or feature.</summary>
public sealed class ImportException : Exception
{
    public ImportException(string file, string message, long? featureNumber = null, long? line = null, Exception? inner = null)
        : base(Compose(file, message, featureNumber, line), inner)
    {
        File = file;
        FeatureNumber = featureNumber;
        Line = line;
    }

    public string File { get; }
    public long? FeatureNumber { get; }
    public long? Line { get; }

    private static string Compose(string file, string message, long? feature, long? line)
    {
        var where = (feature, line) switch
        {
            (not null, not null and > 0) => $" feature {feature} (line {line})",
            (not null, _) => $" feature {feature}",
            (null, not null and > 0) => $" line {line}",
            _ => "",
        };
        return $"{Path.GetFileName(file)}{(where.Length > 0 ? "," + where : "")}: {message} [{file}]";
    }
}

/// <summary>A reader of one input format; yields records lazily so large files stream.</summary>
public interface IRecordSource : IDisposable
{
    /// <summary>EPSG code of the coordinates the records carry.</summary>
    int Epsg { get; }

    /// <summary>Problems noticed while reading that did not stop it (e.g. an encoding fallback).</summary>
    IReadOnlyList<string> Notes { get; }

    /// <summary>Bytes read so far (for progress), and the total when known.</summary>
    long BytesRead { get; }
    long? TotalBytes { get; }

    IEnumerable<SourceRecord> Read(CancellationToken ct);
}
