using NetTopologySuite.Geometries;

namespace ServiceReach.Domain;

/// <summary>A village or town core (woonkern, dorpskern): the unit we score. Stored in WGS84 (SRID 4326).</summary>
public class Kern
{
    public long Id { get; set; }
    public required string Name { get; set; }
    public required Point Centre { get; set; }
    /// <summary>Optional built-up outline; absent when only a centre point is known (e.g. an OSM place node).</summary>
    public MultiPolygon? Boundary { get; set; }
    /// <summary>NIS code of the municipality (gemeente) the kern belongs to.</summary>
    public string? MunicipalityCode { get; set; }
    public int? Population { get; set; }
    public int? Population65Plus { get; set; }
    /// <summary>True when <see cref="Population"/> was estimated by spreading municipal totals, not counted.</summary>
    public bool PopulationIsEstimate { get; set; }
    /// <summary>Free typology label, e.g. town / village / hamlet or the Limburg kerntypering.</summary>
    public string? Typology { get; set; }
    public required string Source { get; set; }
    public required string SourceId { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public List<KernNote> Notes { get; set; } = [];
}

/// <summary>A place where residents find one or more services; a hub (dorpspunt) holds many categories.</summary>
public class ServicePoint
{
    public long Id { get; set; }
    public required string Name { get; set; }
    public required Point Location { get; set; }
    public List<ServiceCategory> Categories { get; set; } = [];
    public Channel Channel { get; set; } = Channel.Physical;
    /// <summary>Opening hours in OpenStreetMap <c>opening_hours</c> syntax, when known.</summary>
    public string? OpeningHours { get; set; }
    public ServiceStatus Status { get; set; } = ServiceStatus.Open;
    public DateOnly? ValidFrom { get; set; }
    public DateOnly? ValidTo { get; set; }
    /// <summary>The kern the point lies in or nearest to, assigned after import.</summary>
    public long? KernId { get; set; }
    public required string Source { get; set; }
    public required string SourceId { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>A kind of basic service (bakery, GP, post point, …), editable by users.</summary>
public class ServiceCategory
{
    /// <summary>Stable code, e.g. <c>bakery</c>, <c>gp</c>.</summary>
    public required string Code { get; set; }
    public required string NameNl { get; set; }
    public required string NameEn { get; set; }
    public NeedFrequency NeedFrequency { get; set; }
    public Channel DefaultChannel { get; set; } = Channel.Physical;
    /// <summary>OSM tag rules; see <see cref="OsmTagRule"/> for the syntax.</summary>
    public List<string> OsmTagRules { get; set; } = [];
    public List<ServicePoint> ServicePoints { get; set; } = [];
}

/// <summary>An area or point with resident counts (statistical sector, grid cell, address point, municipality).</summary>
public class PopulationUnit
{
    public long Id { get; set; }
    public string? Name { get; set; }
    /// <summary>Polygon, multipolygon or point, SRID 4326.</summary>
    public required Geometry Geometry { get; set; }
    public int Population { get; set; }
    public int? Population65Plus { get; set; }
    public int? ReferenceYear { get; set; }
    public required string Source { get; set; }
    public required string SourceId { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>A municipality (gemeente), keyed by its NIS code.</summary>
public class Municipality
{
    public long Id { get; set; }
    public required string NisCode { get; set; }
    public required string Name { get; set; }
    public MultiPolygon? Boundary { get; set; }
    public int? Population { get; set; }
    public required string Source { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>An area of analysis: a vervoerregio, a province, or a user-drawn region across municipal borders.</summary>
public class Region
{
    public long Id { get; set; }
    public required string Name { get; set; }
    public required MultiPolygon Boundary { get; set; }
    public bool IsUserDrawn { get; set; }
    public string? Description { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>Local, informal knowledge about a kern, shown next to its score (domain.md §7).</summary>
public class KernNote
{
    public long Id { get; set; }
    public long KernId { get; set; }
    public required string Author { get; set; }
    public required string Text { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>A stored analysis with its inputs and summary, so two dates or two scenarios can be compared later.</summary>
public class AnalysisRun
{
    public long Id { get; set; }
    public required string Kind { get; set; }
    public string? Scenario { get; set; }
    public RunStatus Status { get; set; } = RunStatus.Running;
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    /// <summary>Inputs as JSON (catalogue, thresholds, scenario changes, data versions).</summary>
    public string Parameters { get; set; } = "{}";
    /// <summary>Result summary as JSON.</summary>
    public string? Summary { get; set; }
    public string? Error { get; set; }
}
