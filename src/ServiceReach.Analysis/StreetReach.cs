using ServiceReach.Domain;
using ServiceReach.Domain.Scoring;
using ServiceReach.Routing;

namespace ServiceReach.Analysis;

/// <summary>A point of the input that could not be placed on the street network for a mode.</summary>
public sealed record UnsnappedPoint(string Kind, long Id, string Name, Mode Mode, string Reason);

/// <summary>
/// Street reach for one mode: places and services snapped once, then one multi-source search per category
/// (all service points of the category at once → nearest and second nearest for every place), plus one bounded
/// search per kern for "how many within the threshold". Never one search per kern × category.
/// </summary>
internal sealed class StreetModeReach
{
    private readonly Router _router;
    private readonly Mode _mode;
    private readonly AnalysisOptions _options;
    private readonly Dictionary<long, SnapResult> _placeSnaps = new();
    private readonly Dictionary<long, SnapResult> _serviceSnaps = new();

    public StreetModeReach(StreetNetwork network, Mode mode, AnalysisOptions options)
    {
        _mode = mode;
        _options = options;
        _router = new Router(network, ModeProfiles.ProfileName(mode), options.Router);
    }

    public Mode Mode => _mode;

    public SnapResult SnapPlace(Place p) => Snap(_placeSnaps, p.Id, p.Lon, p.Lat);

    public SnapResult SnapService(ServiceInput s) => Snap(_serviceSnaps, s.Id, s.Lon, s.Lat);

    private SnapResult Snap(Dictionary<long, SnapResult> cache, long id, double lon, double lat)
    {
        if (!cache.TryGetValue(id, out var snap))
        {
            snap = _router.Snap(new GeoPoint(lon, lat), _options.SnapMaxMeters);
            cache[id] = snap;
        }
        return snap;
    }

    /// <summary>Fills the table for one category from one multi-source search.</summary>
    /// <param name="withinThreshold">Per place, the services (id → seconds) within the largest threshold, from <see cref="CountSearches"/>;
    /// null for population units, whose count is then taken from the nearest two.</param>
    public void ComputeCategory(string category, IReadOnlyList<Place> places, IReadOnlyList<ServiceInput> services,
        IReadOnlyDictionary<long, long?> serviceKern, double thresholdSeconds, ReachTable table,
        IReadOnlyDictionary<long, Dictionary<long, double>>? withinThreshold)
    {
        var sources = new List<SnapResult>();
        var sourceIds = new List<long>();
        foreach (var s in services)
        {
            var snap = SnapService(s);
            if (!snap.Found) continue;
            sources.Add(snap);
            sourceIds.Add(s.Id);
        }
        if (sources.Count == 0)
        {
            foreach (var p in places) table.Set(p.Id, Reach.None(_mode, category));
            return;
        }

        var result = _router.NearestSources(sources, _options.MaxSearchSeconds);
        foreach (var p in places)
        {
            var snap = SnapPlace(p);
            var (first, second) = result.Best(snap);
            if (!first.Found)
            {
                table.Set(p.Id, Reach.None(_mode, category));
                continue;
            }
            var firstId = sourceIds[first.SourceIndex];
            long? secondId = second.Found ? sourceIds[second.SourceIndex] : null;
            var count = 0;
            if (withinThreshold is not null && withinThreshold.TryGetValue(p.Id, out var near))
            {
                foreach (var s in services)
                {
                    if (near.TryGetValue(s.Id, out var sec) && sec <= thresholdSeconds) count++;
                }
            }
            else
            {
                if (first.Seconds <= thresholdSeconds) count++;
                if (second.Found && second.Seconds <= thresholdSeconds) count++;
            }
            table.Set(p.Id, new Reach(_mode, category, first.Seconds, first.Meters, firstId, serviceKern.GetValueOrDefault(firstId),
                second.Found ? second.Seconds : double.PositiveInfinity, secondId, count));
        }
    }

    /// <summary>
    /// One bounded search per place to the services that could lie within <paramref name="boundSeconds"/> (all categories at
    /// once), so the table can say how many services of each category lie within the threshold. Services further in a straight
    /// line than the profile's fastest speed allows are left out before searching — exact, and it keeps a Flanders-sized run
    /// from asking every kern about every service.
    /// </summary>
    public Dictionary<long, Dictionary<long, double>> CountSearches(IReadOnlyList<Place> places, IReadOnlyList<ServiceInput> allServices, double boundSeconds)
    {
        var snapped = new List<(long Id, double Lon, double Lat, SnapResult Snap)>();
        foreach (var s in allServices)
        {
            var snap = SnapService(s);
            if (snap.Found) snapped.Add((s.Id, s.Lon, s.Lat, snap));
        }
        var profile = _router.Profile;
        // Highway factors scale the base speed; a user profile may set one above 1.
        var maxFactor = Math.Max(1.0, profile.HighwayFactors.Values.DefaultIfEmpty(1.0).Max());
        var fastest = Math.Max(profile.SpeedKmh * maxFactor, profile.FerryWaitSeconds is null ? 0 : profile.FerrySpeedKmh) / 3.6;
        // A path starts and ends at the snapped points, at most SnapMaxMeters from the places themselves.
        var radius = boundSeconds * fastest + 2 * _options.SnapMaxMeters;
        var result = new Dictionary<long, Dictionary<long, double>>();
        var targets = new List<SnapResult>();
        var ids = new List<long>();
        foreach (var p in places)
        {
            var snap = SnapPlace(p);
            if (!snap.Found) continue;
            targets.Clear();
            ids.Clear();
            var latLimit = radius / 111_000.0;
            foreach (var (id, lon, lat, s) in snapped)
            {
                if (Math.Abs(lat - p.Lat) > latLimit || Geo.HaversineMeters(p.Lon, p.Lat, lon, lat) > radius) continue;
                targets.Add(s);
                ids.Add(id);
            }
            var near = new Dictionary<long, double>();
            if (targets.Count > 0)
            {
                var times = _router.OneToMany(snap, targets, boundSeconds);
                for (var i = 0; i < targets.Count; i++)
                {
                    if (times.Seconds[i] <= boundSeconds) near[ids[i]] = times.Seconds[i];
                }
            }
            result[p.Id] = near;
        }
        return result;
    }

    public IEnumerable<UnsnappedPoint> Unsnapped(IReadOnlyDictionary<long, string> placeNames, IReadOnlyDictionary<long, string> serviceNames, string placeKind)
    {
        foreach (var (id, snap) in _placeSnaps)
        {
            if (!snap.Found) yield return new UnsnappedPoint(placeKind, id, placeNames.GetValueOrDefault(id, "?"), _mode, snap.Reason ?? "not snapped");
        }
        foreach (var (id, snap) in _serviceSnaps)
        {
            if (!snap.Found) yield return new UnsnappedPoint("service point", id, serviceNames.GetValueOrDefault(id, "?"), _mode, snap.Reason ?? "not snapped");
        }
    }
}
