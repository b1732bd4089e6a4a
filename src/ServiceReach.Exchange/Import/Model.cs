namespace ServiceReach.Exchange.Import;

/// <summary>Which stored layer an import feeds.</summary>
public enum LayerKind
{
    Kernen,
    ServicePoints,
    PopulationUnits,
    Municipalities,
    Regions,
}

/// <summary>Input file formats; detected from the extension when not given.</summary>
public enum ImportFormat
{
    GeoJson,
    Shapefile,
    Csv,
    OsmPbf,
    OsmXml,
    GeoPackage,
}

/// <summary>
/// One import: a layer from a file, labelled with a <paramref name="Source"/> name (e.g. "osm-puurs", "gemeente-bornem");
/// rows are matched on (source, source id), so re-importing the same source updates in place.
/// </summary>
/// <param name="Layer">The stored layer to feed.</param>
/// <param name="Path">Input file (for a shapefile the .shp).</param>
/// <param name="Source">Name of the source; the upsert key together with each feature's source id.</param>
/// <param name="Format">Input format; null = from the extension.</param>
/// <param name="Mapping">Which input field feeds which layer field; null = <see cref="FieldMapping.Default"/>.</param>
/// <param name="SourceEpsg">Coordinate system of the input when the file does not say (CSV x/y) or to override it.</param>
/// <param name="Encoding">Text encoding (CSV, DBF without .cpg); null = detect (UTF-8, else ISO-8859-1 with a note).</param>
/// <param name="AsOf">Date recorded on service points that disappeared from the source; null = today (UTC).</param>
public sealed record ImportRequest(
    LayerKind Layer,
    string Path,
    string Source,
    ImportFormat? Format = null,
    FieldMapping? Mapping = null,
    int? SourceEpsg = null,
    string? Encoding = null,
    DateOnly? AsOf = null)
{
    /// <summary>When true, any rejected feature rolls the whole import back (default: rejected features are skipped and reported).</summary>
    public bool FailOnRejected { get; init; }

    /// <summary>Service points without a kern inside or within this distance of a kern centre stay unassigned.</summary>
    public double KernAssignMaxMeters { get; init; } = 2000;

    /// <summary>Only features intersecting this WGS84 polygon are imported (a region's clip polygon); others are counted as outside.</summary>
    public NetTopologySuite.Geometries.Geometry? Clip { get; init; }

    /// <summary>
    /// Kernen: a kern that already exists keeps its stored centre, and every attribute this file leaves empty keeps its stored
    /// value; the outline and the attributes the file does give are taken — e.g. outlines from a shapefile for kernen whose
    /// centres and counts came from OSM place nodes or an official list.
    /// </summary>
    public bool KeepStoredCentre { get; init; }

    /// <summary>GeoPackage: the layer (table) to read when the file has several.</summary>
    public string? SourceLayer { get; init; }
}

/// <summary>Progress of an import: features read, bytes read of the total when known, and the current stage.</summary>
public sealed record ImportProgress(long Read, long BytesRead, long? TotalBytes, string Stage);

/// <summary>What an import did.</summary>
public sealed class ImportReport
{
    public required string File { get; init; }
    public required LayerKind Layer { get; init; }
    public required string Source { get; init; }
    /// <summary>Features/rows read from the file.</summary>
    public long Read { get; init; }
    public long Inserted { get; init; }
    public long Updated { get; init; }
    public long Unchanged { get; init; }
    /// <summary>Service points of this source no longer in the file, now marked Closed with the as-of date.</summary>
    public long Closed { get; init; }
    /// <summary>Population units of this source no longer in the file, removed (statistics are replaced, not tracked).</summary>
    public long Removed { get; init; }
    /// <summary>Kernen, municipalities or regions of this source no longer in the file; kept, because notes and analyses refer to them.</summary>
    public long Missing { get; init; }
    /// <summary>Features outside the request's clip polygon, not imported.</summary>
    public long OutsideClip { get; init; }
    /// <summary>Features skipped, each with its reason in <see cref="Problems"/>.</summary>
    public long Rejected { get; init; }
    /// <summary>Reasons for rejections and notes (repaired geometries, encoding fallback, …), each naming the feature.</summary>
    public required IReadOnlyList<string> Problems { get; init; }
    public TimeSpan Elapsed { get; init; }

    public override string ToString()
        => $"{System.IO.Path.GetFileName(File)} → {Layer} ({Source}): read {Read}, inserted {Inserted}, updated {Updated}, unchanged {Unchanged}, " +
           $"closed {Closed}, removed {Removed}, missing {Missing}, outside clip {OutsideClip}, rejected {Rejected} in {Elapsed.TotalSeconds:F1} s";
}
