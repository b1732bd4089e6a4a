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
    public void ComputeCategory(string category, IReadOnlyList<Place> places, IReadOnlyList<ServiceInput> services,
        IReadOnlyDictionary<long, long?> serviceKern, double thresholdSeconds, ReachTable table, bool countWithinThreshold,
        Dictionary<long, OneToManyResult>? perPlaceCounts)
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
            if (countWithinThreshold && perPlaceCounts is not null && perPlaceCounts.TryGetValue(p.Id, out var toAll))
            {
                // toAll holds seconds from the place to every snapped service of every category (bounded search).
                foreach (var s in services)
                {
                    if (_serviceIndex.TryGetValue(s.Id, out var i) && toAll.Seconds[i] <= thresholdSeconds) count++;
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

    private readonly Dictionary<long, int> _serviceIndex = new();

    /// <summary>
    /// One bounded search per place to every service point (all categories at once), so the table can say how many
    /// services of each category lie within the threshold.
    /// </summary>
    public Dictionary<long, OneToManyResult> CountSearches(IReadOnlyList<Place> places, IReadOnlyList<ServiceInput> allServices, double boundSeconds)
    {
        _serviceIndex.Clear();
        var targets = new List<SnapResult>();
        foreach (var s in allServices)
        {
            var snap = SnapService(s);
            if (!snap.Found) continue;
            _serviceIndex[s.Id] = targets.Count;
            targets.Add(snap);
        }
        var result = new Dictionary<long, OneToManyResult>();
        foreach (var p in places)
        {
            var snap = SnapPlace(p);
            if (!snap.Found) continue;
            result[p.Id] = _router.OneToMany(snap, targets, boundSeconds);
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
