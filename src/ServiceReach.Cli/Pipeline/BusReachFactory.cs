using ServiceReach.Analysis;
using ServiceReach.Routing;

namespace ServiceReach.Cli.Pipeline;

/// <summary>Builds the bus+walk reach from GTFS feeds (placeholder until the transit engine is wired in).</summary>
public static class BusReachFactory
{
    public static IBusReach? Create(IReadOnlyList<string> gtfsPaths, DateOnly? date, TimeOnly start, TimeOnly end, StreetNetwork network)
        => null;
}
