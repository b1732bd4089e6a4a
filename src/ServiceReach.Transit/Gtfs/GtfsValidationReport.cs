using System.Text;

namespace ServiceReach.Transit.Gtfs;

public enum GtfsIssueSeverity
{
    /// <summary>Informational: the reader made a choice (e.g. decoded a file as ISO-8859-1).</summary>
    Info,
    /// <summary>Recoverable: the offending row/trip was skipped, the import continued.</summary>
    Recoverable,
    /// <summary>Fatal: the import stopped.</summary>
    Fatal,
}

/// <summary>One finding of the GTFS import, naming the file and (1-based, physical) line where it applies; line 0 = whole file.</summary>
public sealed record GtfsIssue(GtfsIssueSeverity Severity, string File, int Line, string Message)
{
    public override string ToString() => Line > 0 ? $"{Severity}: {File} line {Line}: {Message}" : $"{Severity}: {File}: {Message}";
}

public sealed class GtfsValidationReport
{
    private readonly List<GtfsIssue> _issues = [];

    public IReadOnlyList<GtfsIssue> Issues => _issues;
    public bool HasFatal => _issues.Exists(i => i.Severity == GtfsIssueSeverity.Fatal);
    public IEnumerable<GtfsIssue> Fatal => _issues.Where(i => i.Severity == GtfsIssueSeverity.Fatal);
    public IEnumerable<GtfsIssue> Recoverable => _issues.Where(i => i.Severity == GtfsIssueSeverity.Recoverable);

    public void Add(GtfsIssueSeverity severity, string file, int line, string message) => _issues.Add(new GtfsIssue(severity, file, line, message));

    public override string ToString()
    {
        var sb = new StringBuilder();
        foreach (var i in _issues) sb.AppendLine(i.ToString());
        return sb.ToString();
    }
}

/// <summary>Thrown when a feed has a fatal problem; the message lists the fatal issues, <see cref="Report"/> holds all of them.</summary>
public sealed class GtfsImportException(GtfsValidationReport report)
    : Exception("GTFS import failed:" + Environment.NewLine + string.Join(Environment.NewLine, report.Fatal.Select(i => i.ToString())))
{
    public GtfsValidationReport Report { get; } = report;
}
