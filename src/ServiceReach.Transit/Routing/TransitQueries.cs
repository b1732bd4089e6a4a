using ServiceReach.Transit.Model;

namespace ServiceReach.Transit.Routing;

/// <summary>A Pareto-optimal journey of a range query: leave at <see cref="Departure"/>, arrive at <see cref="Arrival"/> (seconds after midnight).</summary>
public readonly record struct ProfileJourney(int Departure, int Arrival)
{
    public override string ToString() => $"{Timetable.FormatTime(Departure)} → {Timetable.FormatTime(Arrival)}";
}

/// <summary>Stop-to-stop queries on a timetable (no walking at the ends beyond the timetable's footpaths).</summary>
public static class TransitQueries
{
    /// <summary>Earliest arrival at any of <paramref name="to"/> leaving any of <paramref name="from"/> at <paramref name="departure"/>; <see cref="Raptor.Unreachable"/> if none.</summary>
    public static int EarliestArrival(Timetable timetable, IReadOnlyList<int> from, IReadOnlyList<int> to, int departure, int maxTransfers = 8)
        => EarliestArrival(new Raptor(timetable, maxTransfers), from, to, departure);

    public static int EarliestArrival(Raptor router, IReadOnlyList<int> from, IReadOnlyList<int> to, int departure)
    {
        var arrivals = router.Run(ZeroAccess(from), departure);
        return MinOver(arrivals, to);
    }

    /// <summary>
    /// Latest departure from any of <paramref name="from"/> that still reaches any of <paramref name="to"/> by <paramref name="arriveBy"/>
    /// (earliest-arrival RAPTOR on the time-reversed timetable); <see cref="int.MinValue"/> if none.
    /// </summary>
    public static int LatestDeparture(Timetable timetable, IReadOnlyList<int> from, IReadOnlyList<int> to, int arriveBy, int maxTransfers = 8)
        => LatestDeparture(new Raptor(timetable.Reversed(), maxTransfers), from, to, arriveBy);

    /// <summary>As above with a router built on <see cref="Timetable.Reversed"/>.</summary>
    public static int LatestDeparture(Raptor reversedRouter, IReadOnlyList<int> from, IReadOnlyList<int> to, int arriveBy)
    {
        var arrivals = reversedRouter.Run(ZeroAccess(to), -arriveBy);
        int best = MinOver(arrivals, from);
        return best == Raptor.Unreachable ? int.MinValue : -best;
    }

    /// <summary>
    /// Range query over departures windowStart ≤ t &lt; windowEnd at <paramref name="stepSeconds"/>: the earliest arrival for each departure
    /// (index i ↔ windowStart + i·step).
    /// </summary>
    public static int[] ArrivalsOverWindow(Timetable timetable, IReadOnlyList<int> from, IReadOnlyList<int> to, int windowStart, int windowEnd, int stepSeconds = 60, int maxTransfers = 8)
    {
        var router = new Raptor(timetable, maxTransfers);
        int count = (windowEnd - windowStart + stepSeconds - 1) / stepSeconds;
        var result = new int[count];
        var toList = to;
        router.RunRange(ZeroAccess(from), windowStart, windowEnd, stepSeconds, (dep, arrivals) => result[(dep - windowStart) / stepSeconds] = MinOver(arrivals, toList));
        return result;
    }

    /// <summary>
    /// The Pareto-optimal journeys (latest departure, earliest arrival) used by departures in the window: every distinct earliest
    /// arrival of the range query, paired with the latest departure that still makes it (which may lie after the window end).
    /// </summary>
    public static IReadOnlyList<ProfileJourney> ParetoJourneys(Timetable timetable, IReadOnlyList<int> from, IReadOnlyList<int> to, int windowStart, int windowEnd, int stepSeconds = 60, int maxTransfers = 8)
    {
        var arrivals = ArrivalsOverWindow(timetable, from, to, windowStart, windowEnd, stepSeconds, maxTransfers);
        var reversed = new Raptor(timetable.Reversed(), maxTransfers);
        var result = new List<ProfileJourney>();
        foreach (var a in arrivals.Where(a => a != Raptor.Unreachable).Distinct().Order())
        {
            int departure = LatestDeparture(reversed, from, to, a);
            if (result.Count == 0 || result[^1].Departure != departure) result.Add(new ProfileJourney(departure, a));
        }
        return result;
    }

    internal static StopAccess[] ZeroAccess(IReadOnlyList<int> stops)
    {
        var access = new StopAccess[stops.Count];
        for (int i = 0; i < access.Length; i++) access[i] = new StopAccess(stops[i], 0);
        return access;
    }

    private static int MinOver(ReadOnlySpan<int> arrivals, IReadOnlyList<int> stops)
    {
        int best = Raptor.Unreachable;
        for (int i = 0; i < stops.Count; i++) if (arrivals[stops[i]] < best) best = arrivals[stops[i]];
        return best;
    }
}

/// <summary>Percentiles of travel-time distributions (nearest rank; unreachable counts as +∞ so a 95th percentile can be unreachable).</summary>
public static class Percentiles
{
    /// <summary>The <paramref name="percentile"/> (0–100) of <paramref name="values"/> by nearest rank: the smallest value with at least p % of values ≤ it.</summary>
    public static int NearestRank(ReadOnlySpan<int> values, double percentile)
    {
        if (values.IsEmpty) throw new ArgumentException("no values", nameof(values));
        ArgumentOutOfRangeException.ThrowIfLessThan(percentile, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percentile, 100);
        var sorted = values.ToArray();
        Array.Sort(sorted);
        int rank = (int)Math.Ceiling(percentile / 100.0 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }
}
