using ServiceReach.Analysis;
using ServiceReach.Api.Infrastructure;
using ServiceReach.Domain;
using ServiceReach.Routing;

namespace ServiceReach.Api.Services;

/// <summary>The street network of the configured OSM extract, loaded once (from the graph cache when possible), with one router per profile.</summary>
public sealed class StreetService
{
    private readonly Dictionary<Mode, Router> _routers = new();

    public StreetService(ApiSettings settings, ILogger<StreetService> log)
    {
        if (!File.Exists(settings.StreetsOsm))
            throw new FileNotFoundException($"ServiceReach:StreetsOsm '{Path.GetFullPath(settings.StreetsOsm)}' does not exist; point it at an OSM extract (.osm or .osm.pbf).", settings.StreetsOsm);
        var sw = System.Diagnostics.Stopwatch.StartNew();
        // With the van profile too, so /api/tours can route the buurtkar over the same network.
        Network = StreetNetwork.LoadOrBuild(settings.StreetsOsm, settings.CacheFolder, ServiceReach.Siting.SitingProfiles.WithVan);
        foreach (var mode in StreetModes) _routers[mode] = Network.For(ModeProfiles.ProfileName(mode));
        OsmPath = settings.StreetsOsm;
        log.LogInformation("Street network {Osm} ready: {Nodes} nodes, {Edges} edges in {Ms} ms", settings.StreetsOsm, Network.NodeCount, Network.EdgeCount, sw.ElapsedMilliseconds);
    }

    public static readonly Mode[] StreetModes = [Mode.Walk, Mode.ReducedMobilityWalk, Mode.Bike, Mode.EBike];

    public StreetNetwork Network { get; }

    public string OsmPath { get; }

    public GeoBox Bounds => Network.Bounds;

    public Router For(Mode mode) => _routers[mode];

    public bool Contains(double lon, double lat)
    {
        var b = Network.Bounds;
        return lon >= b.MinLon && lon <= b.MaxLon && lat >= b.MinLat && lat <= b.MaxLat;
    }
}
