using ServiceReach.Transit.Gtfs;
using ServiceReach.Transit.Model;
using ServiceReach.Transit.Routing;
using ServiceReach.Transit.Walking;

namespace ServiceReach.Transit.Analysis;

public sealed record DoorToDoorOptions
{
    /// <summary>First departure of the window, seconds after midnight (default 07:00).</summary>
    public int WindowStart { get; init; } = 7 * 3600;
    /// <summary>End of the window, exclusive (default 09:00).</summary>
    public int WindowEnd { get; init; } = 9 * 3600;
    public int StepSeconds { get; init; } = 60;
    public int MaxTransfers { get; init; } = 4;
    /// <summary>Longest walk from the origin to a stop (default 15 min ≈ 1,200 m at 4.8 km/h).</summary>
    public int MaxAccessSeconds { get; init; } = 900;
    /// <summary>Longest walk from a stop to the destination.</summary>
    public int MaxEgressSeconds { get; init; } = 900;
    /// <summary>Whether walking the whole way counts (up to <see cref="MaxAccessSeconds"/>).</summary>
    public bool AllowWalkOnly { get; init; } = true;
    /// <summary>Longest door-to-door time reported; longer trips count as unreachable.</summary>
    public int MaxTravelSeconds { get; init; } = 3 * 3600;
}

/// <summary>
/// Door-to-door travel times (walk + wait + ride + walk) for every departure minute of a window. Departures are spread evenly,
/// so a percentile says "for p % of the moments one could leave, the trip takes at most this long" (R5/Conveyal practice):
/// a single bus at 08:10 gives a good 5th percentile but a poor median, a bus every 10 minutes gives both.
/// </summary>
public sealed class TravelTimeDistribution(int[] secondsPerDeparture, int windowStart, int stepSeconds, int[]? destinationPerDeparture = null)
{
    public const int Unreachable = int.MaxValue;

    /// <summary>
    /// For each departure, the index (in the caller's destination list) of the destination reached first, or −1 when none;
    /// null when not tracked.
    /// </summary>
    public IReadOnlyList<int>? DestinationPerDeparture { get; } = destinationPerDeparture;

    /// <summary>The destination reached at the departure whose travel time is the median (the typical trip), or −1.</summary>
    public int MedianDestination
    {
        get
        {
            if (destinationPerDeparture is null) return -1;
            var p50 = P50;
            if (p50 == Unreachable) return -1;
            // The departure at the median time; ties go to the earliest such departure (deterministic).
            for (int i = 0; i < secondsPerDeparture.Length; i++) if (secondsPerDeparture[i] == p50) return destinationPerDeparture[i];
            return -1;
        }
    }

    /// <summary>Travel time for departure windowStart + i·step (seconds; <see cref="Unreachable"/> if none within the limits).</summary>
    public IReadOnlyList<int> SecondsPerDeparture { get; } = secondsPerDeparture;
    public int WindowStart { get; } = windowStart;
    public int StepSeconds { get; } = stepSeconds;

    /// <summary>Nearest-rank percentile in seconds (<see cref="Unreachable"/> when fewer than p % of departures arrive).</summary>
    public int Percentile(double p) => Percentiles.NearestRank(secondsPerDeparture, p);
    public int P5 => Percentile(5);
    public int P50 => Percentile(50);
    public int P95 => Percentile(95);
    public double ReachableShare => secondsPerDeparture.Count(s => s != Unreachable) / (double)secondsPerDeparture.Length;

    public override string ToString()
    {
        static string F(int s) => s == Unreachable ? "—" : $"{s / 60.0:0.#} min";
        return $"p5 {F(P5)}, p50 {F(P50)}, p95 {F(P95)}";
    }
}

/// <summary>
/// "From each origin point to the nearest destination of each category by bus + walk" over a departure window:
/// one range-RAPTOR per origin, access and egress walks from <see cref="IWalkingAccess"/>. Thread-safe; origins run in parallel.
/// </summary>
public sealed class DoorToDoorAnalysis
{
    private readonly Timetable _timetable;
    private readonly IWalkingAccess _walking;
    private readonly DoorToDoorOptions _options;
    private readonly GeoPoint[] _stopLocations;

    public DoorToDoorAnalysis(Timetable timetable, IWalkingAccess walking, DoorToDoorOptions? options = null)
    {
        _timetable = timetable;
        _walking = walking;
        _options = options ?? new DoorToDoorOptions();
        if (_options.WindowEnd <= _options.WindowStart) throw new ArgumentException("the departure window must not be empty");
        // Only stops that a vehicle serves are worth walking to.
        _stopLocations = new GeoPoint[timetable.StopCount];
        for (int s = 0; s < timetable.StopCount; s++)
        {
            _stopLocations[s] = timetable.IsServed(s) ? timetable.Stops[s].Location : new GeoPoint(double.NaN, double.NaN);
        }
    }

    public DoorToDoorOptions Options => _options;

    /// <summary>Travel-time distribution from <paramref name="origin"/> to the nearest of <paramref name="destinations"/>.</summary>
    public TravelTimeDistribution NearestDestination(GeoPoint origin, IReadOnlyList<GeoPoint> destinations)
        => NearestByCategory([origin], new Dictionary<string, IReadOnlyList<GeoPoint>> { ["destination"] = destinations })["destination"][0];

    /// <summary>For each category, one distribution per origin (same order as <paramref name="origins"/>).</summary>
    public IReadOnlyDictionary<string, TravelTimeDistribution[]> NearestByCategory(IReadOnlyList<GeoPoint> origins, IReadOnlyDictionary<string, IReadOnlyList<GeoPoint>> categories)
    {
        var names = categories.Keys.Order(StringComparer.Ordinal).ToArray();
        // Egress per category: the shortest walk from each stop to any destination of the category.
        var egressStops = new int[names.Length][];
        var egressSeconds = new int[names.Length][];
        var egressDestination = new int[names.Length][];
        for (int c = 0; c < names.Length; c++)
        {
            // Per stop the shortest walk to any destination of the category, and which destination that is.
            var best = new Dictionary<int, (int Seconds, int Destination)>();
            var destinations = categories[names[c]];
            for (int d = 0; d < destinations.Count; d++)
            {
                foreach (var leg in _walking.WalkFromPoint(destinations[d], _stopLocations, _options.MaxEgressSeconds))
                {
                    if (!best.TryGetValue(leg.Target, out var s) || leg.Seconds < s.Seconds) best[leg.Target] = (leg.Seconds, d);
                }
            }
            egressStops[c] = [.. best.Keys];
            egressSeconds[c] = [.. best.Values.Select(v => v.Seconds)];
            egressDestination[c] = [.. best.Values.Select(v => v.Destination)];
        }

        int departures = (_options.WindowEnd - _options.WindowStart + _options.StepSeconds - 1) / _options.StepSeconds;
        var results = new TravelTimeDistribution[names.Length][];
        for (int c = 0; c < names.Length; c++) results[c] = new TravelTimeDistribution[origins.Count];

        Parallel.For(0, origins.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
            () => new Raptor(_timetable, _options.MaxTransfers) { FootpathAfterAccess = false },
            (o, _, raptor) =>
            {
                var origin = origins[o];
                var accessLegs = _walking.WalkFromPoint(origin, _stopLocations, _options.MaxAccessSeconds);
                var access = new StopAccess[accessLegs.Count];
                for (int i = 0; i < access.Length; i++) access[i] = new StopAccess(accessLegs[i].Target, accessLegs[i].Seconds);

                var times = new int[names.Length][];
                var reached = new int[names.Length][];
                for (int c = 0; c < names.Length; c++)
                {
                    int walkOnly = TravelTimeDistribution.Unreachable, walkOnlyDestination = -1;
                    if (_options.AllowWalkOnly)
                    {
                        foreach (var leg in _walking.WalkFromPoint(origin, categories[names[c]], _options.MaxAccessSeconds))
                        {
                            if (leg.Seconds < walkOnly) { walkOnly = leg.Seconds; walkOnlyDestination = leg.Target; }
                        }
                    }
                    times[c] = new int[departures];
                    Array.Fill(times[c], walkOnly);
                    reached[c] = new int[departures];
                    Array.Fill(reached[c], walkOnlyDestination);
                }
                if (access.Length > 0)
                {
                    raptor.RunRange(access, _options.WindowStart, _options.WindowEnd, _options.StepSeconds, (departure, arrivals) =>
                    {
                        int index = (departure - _options.WindowStart) / _options.StepSeconds;
                        for (int c = 0; c < names.Length; c++)
                        {
                            var stops = egressStops[c];
                            var seconds = egressSeconds[c];
                            int best = Raptor.Unreachable, bestDestination = -1;
                            for (int i = 0; i < stops.Length; i++)
                            {
                                int a = arrivals[stops[i]];
                                if (a != Raptor.Unreachable && a + seconds[i] < best) { best = a + seconds[i]; bestDestination = egressDestination[c][i]; }
                            }
                            if (best != Raptor.Unreachable && best - departure < times[c][index])
                            {
                                times[c][index] = best - departure;
                                reached[c][index] = bestDestination;
                            }
                        }
                    });
                }
                for (int c = 0; c < names.Length; c++)
                {
                    var t = times[c];
                    for (int i = 0; i < t.Length; i++)
                    {
                        if (t[i] > _options.MaxTravelSeconds) { t[i] = TravelTimeDistribution.Unreachable; reached[c][i] = -1; }
                    }
                    results[c][o] = new TravelTimeDistribution(t, _options.WindowStart, _options.StepSeconds, reached[c]);
                }
                return raptor;
            },
            _ => { });

        var dictionary = new Dictionary<string, TravelTimeDistribution[]>(StringComparer.Ordinal);
        for (int c = 0; c < names.Length; c++) dictionary[names[c]] = results[c];
        return dictionary;
    }
}
