using ServiceReach.Transit.Gtfs;
using ServiceReach.Transit.Walking;

namespace ServiceReach.Transit.Model;

/// <summary>How a frequency-based trip's stop_times are laid onto each start time of frequencies.txt.</summary>
public enum FrequencyStopTimes
{
    /// <summary>GTFS reference: the first stop departs at start_time, the stop_times only give the running times after it (OTP, R5).</summary>
    RelativeToFirstDeparture,
    /// <summary>stop_times are added to start_time as they are (GraphHopper): a template whose first stop departs at 0:30 runs 30 min after start_time.</summary>
    AddedToStartTime,
}

public sealed record TimetableOptions
{
    /// <summary>Frequency-trip convention; the GTFS reference reading by default.</summary>
    public FrequencyStopTimes FrequencyStopTimes { get; init; } = FrequencyStopTimes.RelativeToFirstDeparture;
    /// <summary>Walking used for stop-to-stop transfers; null = only transfers.txt footpaths.</summary>
    public IWalkingAccess? Walking { get; init; }
    /// <summary>Longest walking transfer between stops (default 15 min ≈ 1,200 m at 4.8 km/h).</summary>
    public int MaxTransferWalkSeconds { get; init; } = 900;
    /// <summary>Minimum time to change vehicles at the same stop when transfers.txt says nothing.</summary>
    public int DefaultMinChangeSeconds { get; init; }
    /// <summary>Include trips of the previous service day that run past midnight (times ≥ 24:00), shifted by −24 h.</summary>
    public bool IncludePreviousDayOvernight { get; init; } = true;
}

/// <summary>Builds the <see cref="Timetable"/> of one service date from a <see cref="GtfsFeed"/>.</summary>
public static class TimetableBuilder
{
    /// <summary>
    /// The timetable of <paramref name="date"/>: trips whose service runs that day (calendar and calendar_dates), trips of the
    /// day before that run past midnight, frequency-based trips expanded into single runs (start_time ≤ t &lt; end_time).
    /// transfers.txt: same-stop rows without route/trip restriction set the stop's minimum change time (type 2) or forbid
    /// changing there (type 3); rows between two stops become footpaths (type 2: min_transfer_time; 0/1: walking time) or
    /// remove the walking transfer (type 3). Route- or trip-specific rows are not modelled.
    /// </summary>
    public static Timetable Build(GtfsFeed feed, DateOnly date, TimetableOptions? options = null)
    {
        options ??= new TimetableOptions();
        var stops = new TransitStop[feed.Stops.Count];
        for (int i = 0; i < stops.Length; i++)
        {
            var s = feed.Stops[i];
            int parent = s.ParentStationId is not null && feed.StopIndexById.TryGetValue(s.ParentStationId, out var p) ? p : -1;
            stops[i] = new TransitStop(s.Id, s.Name, s.Location, parent, s.LocationType);
        }
        var routes = feed.Routes.Select(r => new TransitRoute(r.Id, r.ShortName, r.LongName, r.RouteType)).ToArray();

        var frequenciesByTrip = new Dictionary<string, List<GtfsFrequency>>(StringComparer.Ordinal);
        foreach (var f in feed.Frequencies)
        {
            if (!frequenciesByTrip.TryGetValue(f.TripId, out var list)) frequenciesByTrip[f.TripId] = list = [];
            list.Add(f);
        }

        var today = feed.ActiveServices(date);
        var yesterday = options.IncludePreviousDayOvernight ? feed.ActiveServices(date.AddDays(-1)) : [];
        var trips = new List<TripInstance>();
        foreach (var schedule in feed.Schedules)
        {
            var trip = feed.Trips[schedule.TripIndex];
            bool runsToday = today.Contains(trip.ServiceId);
            bool runsYesterday = yesterday.Contains(trip.ServiceId);
            if (!runsToday && !runsYesterday) continue;
            foreach (var instance in Expand(schedule, trip, feed.RouteIndexById[trip.RouteId], frequenciesByTrip, options.FrequencyStopTimes))
            {
                if (runsToday) trips.Add(instance);
                if (runsYesterday && instance.Arrivals[^1] >= 86_400) trips.Add(instance.Shifted(-86_400, instance.TripId + "@previous-day"));
            }
        }

        var minChange = new int[stops.Length];
        Array.Fill(minChange, options.DefaultMinChangeSeconds);
        var footpaths = new Dictionary<(int, int), int>();
        if (options.Walking is not null)
        {
            var locations = stops.Select(s => s.LocationType == 0 ? s.Location : new GeoPoint(double.NaN, double.NaN)).ToArray();
            foreach (var w in options.Walking.WalkBetweenStops(locations, options.MaxTransferWalkSeconds))
            {
                footpaths[(w.FromStop, w.ToStop)] = w.Seconds;
            }
        }
        foreach (var t in feed.Transfers)
        {
            if (t.FromRouteId is not null || t.ToRouteId is not null) continue;
            int from = feed.StopIndexById[t.FromStopId], to = feed.StopIndexById[t.ToStopId];
            if (from == to)
            {
                if (t.TransferType == 2) minChange[from] = t.MinTransferSeconds!.Value;
                else if (t.TransferType == 3) minChange[from] = Timetable.NoChange;
                continue;
            }
            switch (t.TransferType)
            {
                case 2: footpaths[(from, to)] = t.MinTransferSeconds!.Value; break;
                case 3: footpaths.Remove((from, to)); break;
                case 0 or 1:
                    if (!footpaths.ContainsKey((from, to)))
                    {
                        footpaths[(from, to)] = t.MinTransferSeconds ?? (int)Math.Round(stops[from].Location.DistanceMeters(stops[to].Location) / (4.8 / 3.6));
                    }
                    break;
            }
        }
        var footpathList = footpaths.Select(kv => new Footpath(kv.Key.Item1, kv.Key.Item2, kv.Value)).ToList();
        return new Timetable(date, stops, routes, trips, footpathList, minChange);
    }

    private static IEnumerable<TripInstance> Expand(GtfsTripSchedule schedule, GtfsTrip trip, int routeIndex, Dictionary<string, List<GtfsFrequency>> frequencies, FrequencyStopTimes convention)
    {
        int n = schedule.StopIndices.Length;
        var canBoard = new bool[n];
        var canAlight = new bool[n];
        for (int i = 0; i < n; i++)
        {
            canBoard[i] = schedule.PickupTypes[i] != 1 && i < n - 1;
            canAlight[i] = schedule.DropOffTypes[i] != 1 && i > 0;
        }
        var template = new TripInstance
        {
            TripId = trip.Id, RouteIndex = routeIndex, Stops = schedule.StopIndices,
            Arrivals = schedule.ArrivalSeconds, Departures = schedule.DepartureSeconds, CanBoard = canBoard, CanAlight = canAlight,
        };
        if (!frequencies.TryGetValue(trip.Id, out var entries))
        {
            yield return template;
            yield break;
        }
        // Frequency-based: one run per start time; see FrequencyStopTimes for where the stop_times are anchored.
        int firstDeparture = convention == FrequencyStopTimes.RelativeToFirstDeparture ? schedule.DepartureSeconds[0] : 0;
        foreach (var f in entries)
        {
            for (int start = f.StartSeconds; start < f.EndSeconds; start += f.HeadwaySeconds)
            {
                yield return template.Shifted(start - firstDeparture, trip.Id + "@" + Timetable.FormatTime(start));
            }
        }
    }
}
