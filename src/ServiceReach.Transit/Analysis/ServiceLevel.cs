using ServiceReach.Transit.Gtfs;
using ServiceReach.Transit.Model;
using ServiceReach.Transit.Walking;

namespace ServiceReach.Transit.Analysis;

/// <summary>A named time band [Start, End) in seconds after midnight.</summary>
public sealed record TimeBand(string Name, int Start, int End)
{
    public double Hours => (End - Start) / 3600.0;

    /// <summary>The bands of the former basismobiliteit norms (domain.md §5): peaks 6–9 and 16–19, off-peak 9–16 and 19–21.</summary>
    public static IReadOnlyList<TimeBand> Basismobiliteit { get; } =
    [
        new("morning peak 06-09", 6 * 3600, 9 * 3600),
        new("off-peak 09-16", 9 * 3600, 16 * 3600),
        new("evening peak 16-19", 16 * 3600, 19 * 3600),
        new("evening 19-21", 19 * 3600, 21 * 3600),
    ];
}

/// <summary>The nearest stop meeting a frequency threshold: its index, straight-line distance, and walking time when within reach.</summary>
public sealed record NearestServedStop(int StopIndex, string StopId, string StopName, double DeparturesPerHour, double StraightLineMeters, int? WalkSeconds);

/// <summary>Departures per hour at each stop and time band, and the nearest stop with a given service level for a point.</summary>
public sealed class ServiceLevel
{
    private readonly Timetable _timetable;

    public ServiceLevel(Timetable timetable) => _timetable = timetable;

    /// <summary>
    /// Departures per hour at every stop in [start, end): each trip that can be boarded there and leaves within the band counts once
    /// (a trip's last stop, where nobody can board, does not count).
    /// </summary>
    public double[] DeparturesPerHour(int start, int end)
    {
        if (end <= start) throw new ArgumentException("empty time band");
        var counts = new int[_timetable.StopCount];
        var tt = _timetable;
        for (int p = 0; p < tt.PatternCount; p++)
        {
            int stopBase = tt.PatternStopStart[p];
            int stopCount = tt.PatternStopStart[p + 1] - stopBase;
            for (int trip = tt.PatternTripStart[p]; trip < tt.PatternTripStart[p + 1]; trip++)
            {
                int timeBase = tt.TripTimeStart[trip];
                for (int i = 0; i < stopCount; i++)
                {
                    if (!tt.PatternCanBoard[stopBase + i]) continue;
                    int d = tt.Departures[timeBase + i];
                    if (d >= start && d < end) counts[tt.PatternStops[stopBase + i]]++;
                }
            }
        }
        double hours = (end - start) / 3600.0;
        var result = new double[counts.Length];
        for (int s = 0; s < counts.Length; s++) result[s] = counts[s] / hours;
        return result;
    }

    /// <summary>Departures per hour per stop for each band: result[band][stop].</summary>
    public double[][] ByBand(IReadOnlyList<TimeBand> bands) => bands.Select(b => DeparturesPerHour(b.Start, b.End)).ToArray();

    /// <summary>
    /// The stop nearest to <paramref name="point"/> with at least <paramref name="minDeparturesPerHour"/> in the band, or null if none:
    /// with <paramref name="walking"/>, the one with the shortest walk (within <paramref name="maxWalkSeconds"/>), else or when none is
    /// within walking reach the nearest as the crow flies (then <see cref="NearestServedStop.WalkSeconds"/> is null).
    /// Stops of one station count separately (each platform has its own departures).
    /// </summary>
    public NearestServedStop? NearestStopWithService(GeoPoint point, double minDeparturesPerHour, TimeBand band, IWalkingAccess? walking = null, int maxWalkSeconds = 900)
        => NearestStopsWithService([point], minDeparturesPerHour, band, walking, maxWalkSeconds)[0];

    /// <summary>As <see cref="NearestStopWithService"/> for many points (the frequency table is computed once).</summary>
    public NearestServedStop?[] NearestStopsWithService(IReadOnlyList<GeoPoint> points, double minDeparturesPerHour, TimeBand band, IWalkingAccess? walking = null, int maxWalkSeconds = 900)
    {
        var perHour = DeparturesPerHour(band.Start, band.End);
        var qualifying = Enumerable.Range(0, perHour.Length).Where(s => perHour[s] >= minDeparturesPerHour && !double.IsNaN(_timetable.Stops[s].Location.Latitude)).ToArray();
        var locations = qualifying.Select(s => _timetable.Stops[s].Location).ToArray();
        var result = new NearestServedStop?[points.Count];
        for (int i = 0; i < points.Count; i++)
        {
            int best = -1;
            double bestMeters = double.PositiveInfinity;
            for (int q = 0; q < qualifying.Length; q++)
            {
                double m = points[i].DistanceMeters(locations[q]);
                if (m < bestMeters) { bestMeters = m; best = q; }
            }
            if (best < 0) continue;
            int? walk = null;
            if (walking is not null)
            {
                // On foot the nearest stop may be another one than as the crow flies: take the quickest walk when there is one.
                foreach (var leg in walking.WalkFromPoint(points[i], locations, maxWalkSeconds))
                {
                    if (walk is null || leg.Seconds < walk || (leg.Seconds == walk && leg.Target < best))
                    {
                        walk = leg.Seconds;
                        best = leg.Target;
                    }
                }
                if (walk is not null) bestMeters = points[i].DistanceMeters(locations[best]);
            }
            int stop = qualifying[best];
            result[i] = new NearestServedStop(stop, _timetable.Stops[stop].Id, _timetable.Stops[stop].Name, perHour[stop], bestMeters, walk);
        }
        return result;
    }
}
