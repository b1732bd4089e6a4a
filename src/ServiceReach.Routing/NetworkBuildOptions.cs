namespace ServiceReach.Routing;

/// <summary>Options for <see cref="StreetNetwork.Build"/>.</summary>
public sealed record NetworkBuildOptions
{
    /// <summary>Snapping grid cell size in metres (segments are indexed per cell). Smaller = faster snaps, bigger index.</summary>
    public double SnapGridCellMeters { get; init; } = 100;
}
