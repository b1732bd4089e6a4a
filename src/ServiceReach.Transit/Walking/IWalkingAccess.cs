using ServiceReach.Transit.Gtfs;

namespace ServiceReach.Transit.Walking;

/// <summary>A walk to the target with index <see cref="Target"/> in the list the caller passed, taking <see cref="Seconds"/>.</summary>
public readonly record struct WalkLeg(int Target, int Seconds);

/// <summary>A walk between two stops (indices in the list the caller passed).</summary>
public readonly record struct WalkTransfer(int FromStop, int ToStop, int Seconds);

/// <summary>
/// Walking times used by transit for access (origin → stops), egress (stops → destination) and stop-to-stop transfers.
/// The street routing engine plugs in here; <see cref="StraightLineWalking"/> is the built-in fallback.
/// Walking is assumed symmetric: egress from stops to a point uses <see cref="WalkFromPoint"/> from that point.
/// Implementations must be thread-safe: door-to-door analysis calls them from several threads at once, and passes the same
/// target list instance on every call (so an implementation may cache the snapped targets per list).
/// </summary>
public interface IWalkingAccess
{
    /// <summary>
    /// Every target reachable on foot from <paramref name="origin"/> within <paramref name="maxSeconds"/>, with its walking time.
    /// Targets with NaN coordinates (e.g. stops no vehicle serves) must be skipped.
    /// </summary>
    IReadOnlyList<WalkLeg> WalkFromPoint(GeoPoint origin, IReadOnlyList<GeoPoint> targets, int maxSeconds);

    /// <summary>Every ordered pair of distinct stops within <paramref name="maxSeconds"/> of each other on foot.</summary>
    IReadOnlyList<WalkTransfer> WalkBetweenStops(IReadOnlyList<GeoPoint> stops, int maxSeconds);
}

/// <summary>
/// Walking as the crow flies: haversine distance × <see cref="DetourFactor"/> at <see cref="SpeedMetersPerSecond"/>,
/// never further than <see cref="MaxDistanceMeters"/> (default 1,200 m ≈ 15 min at 4.8 km/h, domain.md §5).
/// </summary>
public sealed class StraightLineWalking(double speedKmh = 4.8, double detourFactor = 1.0, double maxDistanceMeters = 1200) : IWalkingAccess
{
    public double SpeedMetersPerSecond { get; } = speedKmh / 3.6;
    public double DetourFactor { get; } = detourFactor;
    public double MaxDistanceMeters { get; } = maxDistanceMeters;

    /// <summary>Walking seconds for a straight-line distance, or -1 when beyond the limits.</summary>
    public int Seconds(double straightLineMeters, int maxSeconds)
    {
        double walked = straightLineMeters * DetourFactor;
        if (walked > MaxDistanceMeters) return -1;
        int seconds = (int)Math.Round(walked / SpeedMetersPerSecond);
        return seconds > maxSeconds ? -1 : seconds;
    }

    public IReadOnlyList<WalkLeg> WalkFromPoint(GeoPoint origin, IReadOnlyList<GeoPoint> targets, int maxSeconds)
    {
        var result = new List<WalkLeg>();
        double reachMeters = Math.Min(MaxDistanceMeters, maxSeconds * SpeedMetersPerSecond) / DetourFactor;
        double latLimit = reachMeters / 111_000.0 + 1e-6;
        for (int i = 0; i < targets.Count; i++)
        {
            var t = targets[i];
            if (double.IsNaN(t.Latitude) || Math.Abs(t.Latitude - origin.Latitude) > latLimit) continue;
            int s = Seconds(origin.DistanceMeters(t), maxSeconds);
            if (s >= 0) result.Add(new WalkLeg(i, s));
        }
        return result;
    }

    public IReadOnlyList<WalkTransfer> WalkBetweenStops(IReadOnlyList<GeoPoint> stops, int maxSeconds)
    {
        // Sweep in latitude order so only stops within the latitude band are compared.
        var order = Enumerable.Range(0, stops.Count).Where(i => !double.IsNaN(stops[i].Latitude)).OrderBy(i => stops[i].Latitude).ToArray();
        double reachMeters = Math.Min(MaxDistanceMeters, maxSeconds * SpeedMetersPerSecond) / DetourFactor;
        double latLimit = reachMeters / 111_000.0 + 1e-6;
        var result = new List<WalkTransfer>();
        for (int a = 0; a < order.Length; a++)
        {
            var pa = stops[order[a]];
            for (int b = a + 1; b < order.Length; b++)
            {
                var pb = stops[order[b]];
                if (pb.Latitude - pa.Latitude > latLimit) break;
                int s = Seconds(pa.DistanceMeters(pb), maxSeconds);
                if (s < 0) continue;
                result.Add(new WalkTransfer(order[a], order[b], s));
                result.Add(new WalkTransfer(order[b], order[a], s));
            }
        }
        result.Sort(static (x, y) => x.FromStop != y.FromStop ? x.FromStop.CompareTo(y.FromStop) : x.ToStop.CompareTo(y.ToStop));
        return result;
    }
}
