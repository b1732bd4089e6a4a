using NetTopologySuite.Geometries;

namespace ServiceReach.Routing;

/// <summary>
/// A point snapped onto the street network for one profile. When <see cref="Found"/> is false, <see cref="Reason"/>
/// says why (nothing routable within the distance, or only small islands). Reusable across searches of routers of
/// the same network and profile.
/// </summary>
public sealed class SnapResult
{
    internal SnapResult(StreetNetwork network, int profileIndex, GeoPoint query)
    {
        Network = network;
        ProfileIndex = profileIndex;
        Query = query;
        Edge = -1;
    }

    internal StreetNetwork Network { get; }
    internal int ProfileIndex { get; }
    internal int Edge { get; init; }
    /// <summary>Position along the edge as a fraction of its length, from its From node.</summary>
    internal double Fraction { get; init; }

    /// <summary>The point that was snapped.</summary>
    public GeoPoint Query { get; }
    public bool Found { get; init; }
    /// <summary>The nearest point on the chosen edge.</summary>
    public GeoPoint Point { get; init; }
    /// <summary>Straight-line distance from the query to <see cref="Point"/>, metres.</summary>
    public double DistanceMeters { get; init; } = double.PositiveInfinity;
    /// <summary>Number of graph nodes in the connected component the point snapped into (for a failed snap: of the nearest island, or 0).</summary>
    public int ComponentSize { get; init; }
    /// <summary>Why the point could not be snapped; null when <see cref="Found"/>.</summary>
    public string? Reason { get; init; }

    public override string ToString() => Found
        ? FormattableString.Invariant($"snap {Query} → {Point} at {DistanceMeters:F1} m (component {ComponentSize} nodes)")
        : $"no snap for {Query}: {Reason}";
}

/// <summary>Router settings.</summary>
public sealed record RouterOptions
{
    /// <summary>
    /// Points snap only into connected components with at least this many graph nodes (islands are skipped); when the
    /// network's largest component is smaller, the largest component(s) qualify.
    /// </summary>
    public int MinComponentNodes { get; init; } = 50;
}

/// <summary>Time and distance to one source of a multi-source search; <see cref="SourceIndex"/> is −1 when none was reached.</summary>
public readonly record struct SourceHit(int SourceIndex, double Seconds, double Meters)
{
    public static SourceHit None => new(-1, double.PositiveInfinity, double.PositiveInfinity);
    public bool Found => SourceIndex >= 0;
}

/// <summary>A travel-time matrix: Seconds[o, d] and Meters[o, d]; +∞ when unreachable within the limit or unsnapped.</summary>
public sealed class TravelMatrix(float[,] seconds, float[,] meters)
{
    public float[,] Seconds { get; } = seconds;
    public float[,] Meters { get; } = meters;
}

/// <summary>Times and distances from one origin to a list of destinations (+∞ when unreachable within the limit).</summary>
public sealed class OneToManyResult(double[] seconds, double[] meters)
{
    public IReadOnlyList<double> Seconds { get; } = seconds;
    public IReadOnlyList<double> Meters { get; } = meters;
}

/// <summary>A shortest (fastest) path between two snapped points.</summary>
public sealed class PathResult
{
    public bool Found { get; init; }
    public double Seconds { get; init; } = double.PositiveInfinity;
    public double Meters { get; init; } = double.PositiveInfinity;
    /// <summary>WGS84 (SRID 4326) line from the origin's snapped point to the destination's; null when not found.</summary>
    public LineString? Geometry { get; init; }
}

/// <summary>A reached node of a one-to-all search.</summary>
public readonly record struct ReachedNode(GeoPoint Point, double Seconds, double Meters);

/// <summary>One isochrone band: all places reachable within <see cref="LimitSeconds"/>.</summary>
public sealed class IsochroneBand
{
    public double LimitSeconds { get; init; }
    /// <summary>(Multi)polygon in WGS84, SRID 4326; empty when nothing is reachable.</summary>
    public required Geometry Polygon { get; init; }
    /// <summary>Area in m² (computed in the local equal-area projection).</summary>
    public double AreaSquareMeters { get; init; }
    /// <summary>Total length in metres of the reached road pieces the band was built from.</summary>
    public double ReachedRoadMeters { get; init; }
    /// <summary>Population inside, when population units were given in <see cref="IsochroneOptions"/>; otherwise null.</summary>
    public double? Population { get; init; }
}

/// <summary>A population unit: a point counts fully when inside; a polygon counts in proportion to its area inside.</summary>
public readonly record struct PopulationUnit(Geometry Geometry, double Count);

/// <summary>Isochrone settings.</summary>
public sealed record IsochroneOptions
{
    /// <summary>Buffer around reached road pieces, metres.</summary>
    public double BufferMeters { get; init; } = 35;
    /// <summary>Grid spacing in metres of the sampled distance field the band outline is traced from; 0 = BufferMeters / 4 (outline as close to the exact buffer as a 16-gon buffer).</summary>
    public double GridCellMeters { get; init; }
    /// <summary>Population units (WGS84) to sum inside each band.</summary>
    public IReadOnlyList<PopulationUnit>? Population { get; init; }
    /// <summary>Alternative to <see cref="Population"/>: called with each band polygon (WGS84) to return its population.</summary>
    public Func<Geometry, double>? PopulationCallback { get; init; }
}
