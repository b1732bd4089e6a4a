using ServiceReach.Domain;
using ServiceReach.Domain.Scoring;

namespace ServiceReach.Analysis;

/// <summary>A kern as the analysis needs it (plain values, no database types).</summary>
public sealed record KernInput(long Id, string Name, double Lon, double Lat, int Population, int? Population65Plus, string? MunicipalityCode = null)
{
    /// <summary>Local, informal knowledge about the kern, shown next to its score (domain.md §7).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
}

/// <summary>A service point; only open, physical points count for reach (mobile and digital channels are reported, not routed to).</summary>
public sealed record ServiceInput(
    long Id,
    string Name,
    double Lon,
    double Lat,
    IReadOnlyList<string> Categories,
    long? KernId = null,
    ServiceStatus Status = ServiceStatus.Open,
    Channel Channel = Channel.Physical)
{
    public bool CountsForReach => Status == ServiceStatus.Open && Channel == Channel.Physical;
}

/// <summary>A population unit reduced to a representative point inside it (point on surface) with its counts.</summary>
public sealed record PopulationInput(long Id, double Lon, double Lat, int Population, int? Population65Plus, string? MunicipalityCode = null);

/// <summary>Everything one access analysis reads.</summary>
public sealed record AnalysisInput(
    IReadOnlyList<KernInput> Kernen,
    IReadOnlyList<ServiceInput> Services,
    IReadOnlyList<PopulationInput> PopulationUnits,
    ServiceCatalogue Catalogue,
    string RegionName = "region");

/// <summary>Options of an analysis run; defaults follow domain.md §5 and docs/scoring.md.</summary>
public sealed record AnalysisOptions
{
    /// <summary>Street modes computed over the network (bus+walk is added when a transit provider is given).</summary>
    public IReadOnlyList<Mode> StreetModes { get; init; } = [Mode.Walk, Mode.ReducedMobilityWalk, Mode.Bike, Mode.EBike];

    /// <summary>Searches stop here; a service further away counts as unreachable (and the gap excess is capped anyway).</summary>
    public double MaxSearchSeconds { get; init; } = 3600;

    /// <summary>A point further than this from any usable street is reported as not snapped.</summary>
    public double SnapMaxMeters { get; init; } = 500;

    /// <summary>Street engine options (e.g. the smallest component a point may snap into).</summary>
    public ServiceReach.Routing.RouterOptions Router { get; init; } = new();

    public GapSettings Gap { get; init; } = new();
    public AdviceSettings Advice { get; init; } = new();

    /// <summary>The basket of the official indicator.</summary>
    public string BasketCode { get; init; } = "flemish_basic";

    /// <summary>Straight-line limits of the published indicator: 1,200 m walking, 3,750 m cycling.</summary>
    public double StraightLineWalkMeters { get; init; } = 1200;
    public double StraightLineBikeMeters { get; init; } = 3750;
}

/// <summary>Maps our modes to the street engine's profile names.</summary>
public static class ModeProfiles
{
    public static string ProfileName(Mode mode) => mode switch
    {
        Mode.Walk => "pedestrian",
        Mode.ReducedMobilityWalk => "reduced-mobility",
        Mode.Bike => "bicycle",
        Mode.EBike => "e-bike",
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Bus+walk is not a street profile."),
    };
}

internal static class PlaceFactory
{
    public static Place FromKern(KernInput k, GapSettings s)
        => new(k.Id, k.Name, k.Lon, k.Lat, k.Population,
            k.Population65Plus ?? (int)Math.Round(k.Population * s.Assumed65Share), k.MunicipalityCode, k.Population65Plus is null);

    public static Place FromUnit(PopulationInput u, GapSettings s)
        => new(u.Id, $"unit {u.Id}", u.Lon, u.Lat, u.Population,
            u.Population65Plus ?? (int)Math.Round(u.Population * s.Assumed65Share), u.MunicipalityCode, u.Population65Plus is null);
}
