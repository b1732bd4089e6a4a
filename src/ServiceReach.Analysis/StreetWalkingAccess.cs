using System.Runtime.CompilerServices;
using ServiceReach.Routing;
using ServiceReach.Transit.Walking;
using RoutingPoint = ServiceReach.Routing.GeoPoint;
using TransitPoint = ServiceReach.Transit.Gtfs.GeoPoint;

namespace ServiceReach.Analysis;

/// <summary>
/// Walking access, egress and stop-to-stop transfers for transit, over the street network (pedestrian profile)
/// instead of straight lines, so a stop across a river is not "2 minutes away".
/// </summary>
public sealed class StreetWalkingAccess : IWalkingAccess
{
    private readonly Router _router;
    private readonly double _snapMeters;
    private readonly ConditionalWeakTable<IReadOnlyList<TransitPoint>, IReadOnlyList<SnapResult>> _snappedTargets = new();

    public StreetWalkingAccess(StreetNetwork network, string profileName = "pedestrian", RouterOptions? options = null, double snapMaxMeters = 300)
    {
        _router = new Router(network, profileName, options);
        _snapMeters = snapMaxMeters;
    }

    private IReadOnlyList<SnapResult> Snapped(IReadOnlyList<TransitPoint> targets)
        => _snappedTargets.GetValue(targets, t =>
        {
            var pts = new RoutingPoint[t.Count];
            for (var i = 0; i < t.Count; i++) pts[i] = new RoutingPoint(t[i].Longitude, t[i].Latitude);
            return _router.SnapMany(pts, _snapMeters);
        });

    public IReadOnlyList<WalkLeg> WalkFromPoint(TransitPoint origin, IReadOnlyList<TransitPoint> targets, int maxSeconds)
    {
        var from = _router.Snap(new RoutingPoint(origin.Longitude, origin.Latitude), _snapMeters);
        var result = new List<WalkLeg>();
        if (!from.Found) return result;
        var snapped = Snapped(targets);
        var found = new List<SnapResult>(snapped.Count);
        var index = new List<int>(snapped.Count);
        for (var i = 0; i < snapped.Count; i++)
        {
            if (!snapped[i].Found) continue;
            found.Add(snapped[i]);
            index.Add(i);
        }
        var times = _router.OneToMany(from, found, maxSeconds);
        for (var j = 0; j < found.Count; j++)
        {
            var s = times.Seconds[j];
            if (s <= maxSeconds) result.Add(new WalkLeg(index[j], (int)Math.Round(s)));
        }
        return result;
    }

    public IReadOnlyList<WalkTransfer> WalkBetweenStops(IReadOnlyList<TransitPoint> stops, int maxSeconds)
    {
        var snapped = Snapped(stops);
        var found = new List<SnapResult>();
        var index = new List<int>();
        for (var i = 0; i < snapped.Count; i++)
        {
            if (!snapped[i].Found) continue;
            found.Add(snapped[i]);
            index.Add(i);
        }
        var result = new List<WalkTransfer>();
        for (var a = 0; a < found.Count; a++)
        {
            var times = _router.OneToMany(found[a], found, maxSeconds);
            for (var b = 0; b < found.Count; b++)
            {
                if (a == b) continue;
                var s = times.Seconds[b];
                if (s <= maxSeconds) result.Add(new WalkTransfer(index[a], index[b], (int)Math.Round(s)));
            }
        }
        return result;
    }
}
