namespace ServiceReach.Transit.Gtfs;

/// <summary>A WGS84 coordinate (degrees).</summary>
public readonly record struct GeoPoint(double Latitude, double Longitude)
{
    private const double EarthRadiusMeters = 6_371_008.8;

    /// <summary>Great-circle distance in metres (haversine).</summary>
    public double DistanceMeters(GeoPoint other)
    {
        double lat1 = Latitude * (Math.PI / 180), lat2 = other.Latitude * (Math.PI / 180);
        double dLat = lat2 - lat1, dLon = (other.Longitude - Longitude) * (Math.PI / 180);
        double h = Math.Sin(dLat / 2) * Math.Sin(dLat / 2) + Math.Cos(lat1) * Math.Cos(lat2) * Math.Sin(dLon / 2) * Math.Sin(dLon / 2);
        return 2 * EarthRadiusMeters * Math.Asin(Math.Min(1, Math.Sqrt(h)));
    }
}

public sealed record GtfsAgency(string Id, string Name, string Timezone);

/// <summary>A row of stops.txt. <see cref="LocationType"/>: 0 stop/platform, 1 station, 2 entrance, 3 generic node, 4 boarding area.</summary>
public sealed record GtfsStop(string Id, string? Code, string Name, GeoPoint Location, int LocationType, string? ParentStationId);

public sealed record GtfsRoute(string Id, string? AgencyId, string ShortName, string LongName, int RouteType);

public sealed record GtfsTrip(string Id, string RouteId, string ServiceId, string? Headsign, int? DirectionId);

/// <summary>
/// The stop times of one trip, ordered by stop_sequence. Times are seconds after midnight of the service day
/// (may exceed 86,400 for trips running past midnight). Stops are indices into <see cref="GtfsFeed.Stops"/>.
/// </summary>
public sealed class GtfsTripSchedule
{
    public required int TripIndex { get; init; }
    public required int[] StopIndices { get; init; }
    public required int[] ArrivalSeconds { get; init; }
    public required int[] DepartureSeconds { get; init; }
    /// <summary>pickup_type per stop (0 regular, 1 none, 2/3 on request — treated as allowed).</summary>
    public required byte[] PickupTypes { get; init; }
    public required byte[] DropOffTypes { get; init; }
}

public sealed record GtfsCalendar(string ServiceId, bool[] Weekdays, DateOnly StartDate, DateOnly EndDate)
{
    /// <summary>Weekdays indexed by <see cref="DayOfWeek"/> (Sunday = 0).</summary>
    public bool RunsOnWeekday(DayOfWeek day) => Weekdays[(int)day];
}

public sealed record GtfsCalendarDate(string ServiceId, DateOnly Date, int ExceptionType);

public sealed record GtfsFrequency(string TripId, int StartSeconds, int EndSeconds, int HeadwaySeconds, bool ExactTimes);

public sealed record GtfsTransfer(string FromStopId, string ToStopId, string? FromRouteId, string? ToRouteId, int TransferType, int? MinTransferSeconds);

/// <summary>One or several GTFS feeds merged into one model (ids carry each feed's prefix).</summary>
public sealed class GtfsFeed
{
    public List<GtfsAgency> Agencies { get; } = [];
    public List<GtfsStop> Stops { get; } = [];
    public List<GtfsRoute> Routes { get; } = [];
    public List<GtfsTrip> Trips { get; } = [];
    /// <summary>Schedules of trips that passed validation (trips without valid stop times have none).</summary>
    public List<GtfsTripSchedule> Schedules { get; } = [];
    public List<GtfsCalendar> Calendars { get; } = [];
    public List<GtfsCalendarDate> CalendarDates { get; } = [];
    public List<GtfsFrequency> Frequencies { get; } = [];
    public List<GtfsTransfer> Transfers { get; } = [];
    public GtfsValidationReport Report { get; } = new();

    internal Dictionary<string, int> StopIndexById { get; } = new(StringComparer.Ordinal);
    internal Dictionary<string, int> RouteIndexById { get; } = new(StringComparer.Ordinal);
    internal Dictionary<string, int> TripIndexById { get; } = new(StringComparer.Ordinal);

    public int? FindStop(string stopId) => StopIndexById.TryGetValue(stopId, out var i) ? i : null;
    public int? FindRoute(string routeId) => RouteIndexById.TryGetValue(routeId, out var i) ? i : null;
    public int? FindTrip(string tripId) => TripIndexById.TryGetValue(tripId, out var i) ? i : null;

    /// <summary>Whether a service_id runs on a date: calendar.txt weekday flags within its range, then calendar_dates additions (1) and removals (2).</summary>
    public HashSet<string> ActiveServices(DateOnly date)
    {
        var active = new HashSet<string>(StringComparer.Ordinal);
        foreach (var c in Calendars)
        {
            if (date >= c.StartDate && date <= c.EndDate && c.RunsOnWeekday(date.DayOfWeek)) active.Add(c.ServiceId);
        }
        foreach (var d in CalendarDates)
        {
            if (d.Date != date) continue;
            if (d.ExceptionType == 1) active.Add(d.ServiceId);
            else if (d.ExceptionType == 2) active.Remove(d.ServiceId);
        }
        return active;
    }

    /// <summary>First and last date any service runs (from calendar ranges and added dates).</summary>
    public (DateOnly First, DateOnly Last)? ServicePeriod()
    {
        DateOnly? first = null, last = null;
        foreach (var c in Calendars)
        {
            if (first is null || c.StartDate < first) first = c.StartDate;
            if (last is null || c.EndDate > last) last = c.EndDate;
        }
        foreach (var d in CalendarDates)
        {
            if (d.ExceptionType != 1) continue;
            if (first is null || d.Date < first) first = d.Date;
            if (last is null || d.Date > last) last = d.Date;
        }
        return first is null ? null : (first.Value, last!.Value);
    }
}
