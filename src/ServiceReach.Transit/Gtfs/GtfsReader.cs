using System.Globalization;
using System.IO.Compression;
using System.Text;
using CsvHelper;

namespace ServiceReach.Transit.Gtfs;

/// <summary>
/// One feed to import: a .zip or a folder. <paramref name="IdPrefix"/> is put in front of every id of the feed
/// (stops, routes, trips, services, agencies) so several feeds can be merged without collisions, e.g. "rail:".
/// <paramref name="FallbackEncoding"/> is used for files that are not valid UTF-8 (default ISO-8859-1);
/// <paramref name="DeclaredEncodings"/> forces an encoding per file name (e.g. "stops.txt").
/// </summary>
public sealed record GtfsSource(string Path, string IdPrefix = "", Encoding? FallbackEncoding = null, IReadOnlyDictionary<string, Encoding>? DeclaredEncodings = null);

/// <summary>
/// Reads GTFS feeds (zip or folder) with CsvHelper into a <see cref="GtfsFeed"/>. Unknown files are ignored.
/// Fatal problems (missing required files/columns, unreadable source) throw <see cref="GtfsImportException"/>;
/// recoverable ones are reported in <see cref="GtfsFeed.Report"/> and the offending rows or trips skipped.
/// </summary>
public static class GtfsReader
{
    public static GtfsFeed Read(string path, string idPrefix = "") => Read(new GtfsSource(path, idPrefix));

    public static GtfsFeed Read(params GtfsSource[] sources)
    {
        var feed = new GtfsFeed();
        foreach (var source in sources)
        {
            ReadOne(feed, source);
            if (feed.Report.HasFatal) throw new GtfsImportException(feed.Report);
        }
        return feed;
    }

    private static void ReadOne(GtfsFeed feed, GtfsSource source)
    {
        using var files = GtfsFileSource.Open(source.Path);
        var ctx = new FeedContext(feed, source, files);
        string[] required = ["agency.txt", "stops.txt", "routes.txt", "trips.txt", "stop_times.txt"];
        foreach (var name in required)
        {
            if (!files.Exists(name)) feed.Report.Add(GtfsIssueSeverity.Fatal, Label(source, name), 0, "required file is missing");
        }
        if (!files.Exists("calendar.txt") && !files.Exists("calendar_dates.txt"))
        {
            feed.Report.Add(GtfsIssueSeverity.Fatal, Label(source, "calendar.txt"), 0, "neither calendar.txt nor calendar_dates.txt is present; no service days can be known");
        }
        if (feed.Report.HasFatal) return;

        ctx.ReadAgencies();
        ctx.ReadStops();
        ctx.ReadRoutes();
        ctx.ReadCalendar();
        ctx.ReadCalendarDates();
        ctx.ReadTrips();
        ctx.ReadStopTimes();
        ctx.ReadFrequencies();
        ctx.ReadTransfers();
    }

    internal static string Label(GtfsSource source, string file) => System.IO.Path.GetFileName(source.Path.TrimEnd('/', '\\')) + "/" + file;

    /// <summary>Parses GTFS time "H:MM:SS" (hours may exceed 23). Returns -1 for empty, -2 for malformed.</summary>
    public static int ParseTime(string s)
    {
        var span = s.AsSpan().Trim();
        if (span.IsEmpty) return -1;
        int first = span.IndexOf(':');
        if (first <= 0) return -2;
        int second = span[(first + 1)..].IndexOf(':');
        if (second < 0) return -2;
        second += first + 1;
        if (!int.TryParse(span[..first], NumberStyles.None, CultureInfo.InvariantCulture, out var h)) return -2;
        if (!int.TryParse(span[(first + 1)..second], NumberStyles.None, CultureInfo.InvariantCulture, out var m) || m > 59) return -2;
        if (!int.TryParse(span[(second + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var sec) || sec > 59) return -2;
        if (second - first - 1 != 2 || span.Length - second - 1 != 2) return -2;
        return h * 3600 + m * 60 + sec;
    }

    public static bool TryParseDate(string s, out DateOnly date)
        => DateOnly.TryParseExact(s.Trim(), "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);

    /// <summary>Decodes bytes: BOM wins; else strict UTF-8; else the declared/fallback encoding.</summary>
    public static string Decode(byte[] bytes, Encoding? declared, Encoding fallback, out Encoding used)
    {
        if (bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF)
        {
            used = Encoding.UTF8;
            return new UTF8Encoding(false, false).GetString(bytes, 3, bytes.Length - 3);
        }
        if (bytes.Length >= 2 && bytes[0] == 0xFF && bytes[1] == 0xFE) { used = Encoding.Unicode; return Encoding.Unicode.GetString(bytes, 2, bytes.Length - 2); }
        if (bytes.Length >= 2 && bytes[0] == 0xFE && bytes[1] == 0xFF) { used = Encoding.BigEndianUnicode; return Encoding.BigEndianUnicode.GetString(bytes, 2, bytes.Length - 2); }
        if (declared is not null) { used = declared; return declared.GetString(bytes); }
        try
        {
            used = Encoding.UTF8;
            return new UTF8Encoding(false, true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            used = fallback;
            return fallback.GetString(bytes);
        }
    }

    private sealed class FeedContext(GtfsFeed feed, GtfsSource source, GtfsFileSource files)
    {
        private readonly string _p = source.IdPrefix;
        private readonly GtfsValidationReport _report = feed.Report;
        private readonly HashSet<string> _knownServices = new(StringComparer.Ordinal);
        private readonly int _firstTripIndex = feed.Trips.Count;

        private string Id(string raw) => _p + raw;
        private string? OptId(string raw) => raw.Length == 0 ? null : _p + raw;

        private CsvTable? Open(string name, params string[] requiredColumns)
        {
            if (!files.Exists(name)) return null;
            var bytes = files.ReadAllBytes(name);
            Encoding? declared = null;
            source.DeclaredEncodings?.TryGetValue(name, out declared);
            var text = Decode(bytes, declared, source.FallbackEncoding ?? Encoding.Latin1, out var used);
            if (used.CodePage != Encoding.UTF8.CodePage)
            {
                _report.Add(GtfsIssueSeverity.Info, Label(source, name), 0, $"decoded as {used.WebName}" + (declared is null ? " (not valid UTF-8)" : " (declared)"));
            }
            var table = new CsvTable(Label(source, name), text);
            var missing = requiredColumns.Where(c => !table.Has(c)).ToList();
            if (missing.Count > 0)
            {
                _report.Add(GtfsIssueSeverity.Fatal, table.File, 1, "missing required column(s): " + string.Join(", ", missing));
                return null;
            }
            return table;
        }

        public void ReadAgencies()
        {
            var t = Open("agency.txt", "agency_name");
            if (t is null) return;
            int id = t.Col("agency_id"), name = t.Col("agency_name"), tz = t.Col("agency_timezone");
            foreach (var (row, _) in t.Rows())
            {
                feed.Agencies.Add(new GtfsAgency(Id(CsvTable.Get(row, id)), CsvTable.Get(row, name), CsvTable.Get(row, tz)));
            }
        }

        public void ReadStops()
        {
            var t = Open("stops.txt", "stop_id");
            if (t is null) return;
            int id = t.Col("stop_id"), code = t.Col("stop_code"), name = t.Col("stop_name"), lat = t.Col("stop_lat"), lon = t.Col("stop_lon"),
                type = t.Col("location_type"), parent = t.Col("parent_station");
            int firstStop = feed.Stops.Count;
            foreach (var (row, line) in t.Rows())
            {
                var stopId = CsvTable.Get(row, id);
                if (stopId.Length == 0) { _report.Add(GtfsIssueSeverity.Recoverable, t.File, line, "empty stop_id; row skipped"); continue; }
                var typeText = CsvTable.Get(row, type);
                int locationType = 0;
                if (typeText.Length > 0 && !int.TryParse(typeText, NumberStyles.Integer, CultureInfo.InvariantCulture, out locationType))
                {
                    _report.Add(GtfsIssueSeverity.Recoverable, t.File, line, $"stop {stopId}: location_type '{typeText}' is not a number; treated as 0");
                    locationType = 0;
                }
                bool hasLat = double.TryParse(CsvTable.Get(row, lat), NumberStyles.Float, CultureInfo.InvariantCulture, out var la);
                bool hasLon = double.TryParse(CsvTable.Get(row, lon), NumberStyles.Float, CultureInfo.InvariantCulture, out var lo);
                bool coordinatesValid = hasLat && hasLon && la is >= -90 and <= 90 && lo is >= -180 and <= 180 && !(la == 0 && lo == 0);
                if (!coordinatesValid && locationType <= 2)
                {
                    _report.Add(GtfsIssueSeverity.Recoverable, t.File, line, $"stop {stopId} has no valid coordinates (stop_lat='{CsvTable.Get(row, lat)}', stop_lon='{CsvTable.Get(row, lon)}'); stop skipped");
                    continue;
                }
                var fullId = Id(stopId);
                if (feed.StopIndexById.ContainsKey(fullId)) { _report.Add(GtfsIssueSeverity.Recoverable, t.File, line, $"duplicate stop_id {stopId}; row skipped"); continue; }
                feed.StopIndexById[fullId] = feed.Stops.Count;
                feed.Stops.Add(new GtfsStop(fullId, NullIfEmpty(CsvTable.Get(row, code)), CsvTable.Get(row, name),
                    coordinatesValid ? new GeoPoint(la, lo) : new GeoPoint(double.NaN, double.NaN), locationType, OptId(CsvTable.Get(row, parent))));
            }
            for (int i = firstStop; i < feed.Stops.Count; i++)
            {
                var s = feed.Stops[i];
                if (s.ParentStationId is not null && !feed.StopIndexById.ContainsKey(s.ParentStationId))
                {
                    _report.Add(GtfsIssueSeverity.Recoverable, t.File, 0, $"stop {s.Id}: parent_station {s.ParentStationId} does not exist; link dropped");
                    feed.Stops[i] = s with { ParentStationId = null };
                }
            }
        }

        public void ReadRoutes()
        {
            var t = Open("routes.txt", "route_id");
            if (t is null) return;
            int id = t.Col("route_id"), agency = t.Col("agency_id"), sn = t.Col("route_short_name"), ln = t.Col("route_long_name"), type = t.Col("route_type");
            foreach (var (row, line) in t.Rows())
            {
                var routeId = CsvTable.Get(row, id);
                if (routeId.Length == 0) { _report.Add(GtfsIssueSeverity.Recoverable, t.File, line, "empty route_id; row skipped"); continue; }
                var fullId = Id(routeId);
                if (feed.RouteIndexById.ContainsKey(fullId)) { _report.Add(GtfsIssueSeverity.Recoverable, t.File, line, $"duplicate route_id {routeId}; row skipped"); continue; }
                if (!int.TryParse(CsvTable.Get(row, type), NumberStyles.Integer, CultureInfo.InvariantCulture, out var routeType))
                {
                    _report.Add(GtfsIssueSeverity.Recoverable, t.File, line, $"route {routeId}: route_type '{CsvTable.Get(row, type)}' invalid; treated as bus (3)");
                    routeType = 3;
                }
                feed.RouteIndexById[fullId] = feed.Routes.Count;
                feed.Routes.Add(new GtfsRoute(fullId, OptId(CsvTable.Get(row, agency)), CsvTable.Get(row, sn), CsvTable.Get(row, ln), routeType));
            }
        }

        public void ReadCalendar()
        {
            var t = Open("calendar.txt", "service_id", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "start_date", "end_date");
            if (t is null) return;
            int id = t.Col("service_id"), start = t.Col("start_date"), end = t.Col("end_date");
            // Index by DayOfWeek: Sunday = 0.
            int[] dayCols = [t.Col("sunday"), t.Col("monday"), t.Col("tuesday"), t.Col("wednesday"), t.Col("thursday"), t.Col("friday"), t.Col("saturday")];
            foreach (var (row, line) in t.Rows())
            {
                var serviceId = CsvTable.Get(row, id);
                if (!TryParseDate(CsvTable.Get(row, start), out var s) || !TryParseDate(CsvTable.Get(row, end), out var e))
                {
                    _report.Add(GtfsIssueSeverity.Recoverable, t.File, line, $"service {serviceId}: start_date/end_date must be YYYYMMDD; row skipped");
                    continue;
                }
                var days = new bool[7];
                for (int d = 0; d < 7; d++) days[d] = CsvTable.Get(row, dayCols[d]) == "1";
                feed.Calendars.Add(new GtfsCalendar(Id(serviceId), days, s, e));
                _knownServices.Add(Id(serviceId));
            }
        }

        public void ReadCalendarDates()
        {
            var t = Open("calendar_dates.txt", "service_id", "date", "exception_type");
            if (t is null) return;
            int id = t.Col("service_id"), date = t.Col("date"), type = t.Col("exception_type");
            foreach (var (row, line) in t.Rows())
            {
                var serviceId = CsvTable.Get(row, id);
                var typeText = CsvTable.Get(row, type);
                if (!TryParseDate(CsvTable.Get(row, date), out var d)) { _report.Add(GtfsIssueSeverity.Recoverable, t.File, line, $"service {serviceId}: date '{CsvTable.Get(row, date)}' is not YYYYMMDD; row skipped"); continue; }
                if (typeText is not ("1" or "2")) { _report.Add(GtfsIssueSeverity.Recoverable, t.File, line, $"service {serviceId}: exception_type '{typeText}' must be 1 or 2; row skipped"); continue; }
                feed.CalendarDates.Add(new GtfsCalendarDate(Id(serviceId), d, typeText == "1" ? 1 : 2));
                _knownServices.Add(Id(serviceId));
            }
        }

        public void ReadTrips()
        {
            var t = Open("trips.txt", "route_id", "service_id", "trip_id");
            if (t is null) return;
            int route = t.Col("route_id"), service = t.Col("service_id"), id = t.Col("trip_id"), head = t.Col("trip_headsign"), dir = t.Col("direction_id");
            var unknownServices = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (row, line) in t.Rows())
            {
                var tripId = CsvTable.Get(row, id);
                var routeId = Id(CsvTable.Get(row, route));
                if (tripId.Length == 0) { _report.Add(GtfsIssueSeverity.Recoverable, t.File, line, "empty trip_id; row skipped"); continue; }
                if (!feed.RouteIndexById.ContainsKey(routeId)) { _report.Add(GtfsIssueSeverity.Recoverable, t.File, line, $"trip {tripId}: unknown route_id {CsvTable.Get(row, route)}; trip skipped"); continue; }
                var fullId = Id(tripId);
                if (feed.TripIndexById.ContainsKey(fullId)) { _report.Add(GtfsIssueSeverity.Recoverable, t.File, line, $"duplicate trip_id {tripId}; row skipped"); continue; }
                var serviceId = Id(CsvTable.Get(row, service));
                if (!_knownServices.Contains(serviceId) && unknownServices.Add(serviceId))
                {
                    _report.Add(GtfsIssueSeverity.Recoverable, t.File, line, $"trip {tripId}: service_id {CsvTable.Get(row, service)} is in neither calendar file; its trips never run");
                }
                int? direction = int.TryParse(CsvTable.Get(row, dir), NumberStyles.Integer, CultureInfo.InvariantCulture, out var dv) ? dv : null;
                feed.TripIndexById[fullId] = feed.Trips.Count;
                feed.Trips.Add(new GtfsTrip(fullId, routeId, serviceId, NullIfEmpty(CsvTable.Get(row, head)), direction));
            }
        }

        private struct RawStopTime
        {
            public int Trip, Sequence, Stop, Arrival, Departure, Line;
            public byte Pickup, DropOff;
        }

        public void ReadStopTimes()
        {
            var t = Open("stop_times.txt", "trip_id", "stop_id", "stop_sequence", "arrival_time", "departure_time");
            if (t is null) return;
            int trip = t.Col("trip_id"), stop = t.Col("stop_id"), seq = t.Col("stop_sequence"), arr = t.Col("arrival_time"), dep = t.Col("departure_time"),
                pu = t.Col("pickup_type"), dof = t.Col("drop_off_type");
            var raw = new List<RawStopTime>(1024);
            var badTrips = new HashSet<int>();
            var unknownTrips = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (row, line) in t.Rows())
            {
                var tripId = CsvTable.Get(row, trip);
                if (!feed.TripIndexById.TryGetValue(Id(tripId), out var tripIndex) || tripIndex < _firstTripIndex)
                {
                    if (unknownTrips.Add(tripId)) _report.Add(GtfsIssueSeverity.Recoverable, t.File, line, $"unknown trip_id {tripId}; its stop times are skipped");
                    continue;
                }
                if (badTrips.Contains(tripIndex)) continue;
                var stopId = CsvTable.Get(row, stop);
                if (!feed.StopIndexById.TryGetValue(Id(stopId), out var stopIndex))
                {
                    _report.Add(GtfsIssueSeverity.Recoverable, t.File, line, $"trip {tripId}: unknown or invalid stop_id {stopId}; trip skipped");
                    badTrips.Add(tripIndex);
                    continue;
                }
                if (feed.Stops[stopIndex].LocationType is not (0 or 4))
                {
                    _report.Add(GtfsIssueSeverity.Recoverable, t.File, line, $"trip {tripId}: stop_id {stopId} is a station/entrance/node (location_type {feed.Stops[stopIndex].LocationType}), not a stop; trip skipped");
                    badTrips.Add(tripIndex);
                    continue;
                }
                if (!int.TryParse(CsvTable.Get(row, seq), NumberStyles.Integer, CultureInfo.InvariantCulture, out var sequence))
                {
                    _report.Add(GtfsIssueSeverity.Recoverable, t.File, line, $"trip {tripId}: stop_sequence '{CsvTable.Get(row, seq)}' is not an integer; trip skipped");
                    badTrips.Add(tripIndex);
                    continue;
                }
                int a = ParseTime(CsvTable.Get(row, arr)), d = ParseTime(CsvTable.Get(row, dep));
                if (a == -2 || d == -2)
                {
                    _report.Add(GtfsIssueSeverity.Recoverable, t.File, line, $"trip {tripId}: bad time (arrival_time '{CsvTable.Get(row, arr)}', departure_time '{CsvTable.Get(row, dep)}'); trip skipped");
                    badTrips.Add(tripIndex);
                    continue;
                }
                if (a < 0) a = d;
                if (d < 0) d = a;
                raw.Add(new RawStopTime
                {
                    Trip = tripIndex, Sequence = sequence, Stop = stopIndex, Arrival = a, Departure = d, Line = line,
                    Pickup = ParseByte(CsvTable.Get(row, pu)), DropOff = ParseByte(CsvTable.Get(row, dof)),
                });
            }
            raw.Sort(static (x, y) => x.Trip != y.Trip ? x.Trip.CompareTo(y.Trip) : x.Sequence.CompareTo(y.Sequence));
            int i = 0;
            while (i < raw.Count)
            {
                int j = i;
                while (j < raw.Count && raw[j].Trip == raw[i].Trip) j++;
                int tripIndex = raw[i].Trip;
                if (!badTrips.Contains(tripIndex))
                {
                    var schedule = BuildSchedule(raw, i, j, t.File);
                    if (schedule is not null) feed.Schedules.Add(schedule);
                }
                i = j;
            }
        }

        private GtfsTripSchedule? BuildSchedule(List<RawStopTime> raw, int from, int to, string file)
        {
            int n = to - from;
            var tripId = feed.Trips[raw[from].Trip].Id;
            if (n < 2) { _report.Add(GtfsIssueSeverity.Recoverable, file, raw[from].Line, $"trip {tripId} has fewer than two stop times; trip skipped"); return null; }
            var stops = new int[n];
            var arr = new int[n];
            var dep = new int[n];
            var pickup = new byte[n];
            var drop = new byte[n];
            for (int k = 0; k < n; k++)
            {
                var r = raw[from + k];
                if (k > 0 && r.Sequence == raw[from + k - 1].Sequence)
                {
                    _report.Add(GtfsIssueSeverity.Recoverable, file, r.Line, $"trip {tripId}: stop_sequence {r.Sequence} repeated; trip skipped");
                    return null;
                }
                stops[k] = r.Stop; arr[k] = r.Arrival; dep[k] = r.Departure; pickup[k] = r.Pickup; drop[k] = r.DropOff;
            }
            if (arr[0] < 0 || arr[n - 1] < 0)
            {
                _report.Add(GtfsIssueSeverity.Recoverable, file, raw[arr[0] < 0 ? from : to - 1].Line, $"trip {tripId}: first and last stop need times; trip skipped");
                return null;
            }
            // Non-timepoint stops without times: interpolate linearly by stop index between the surrounding timed stops.
            for (int k = 1; k < n - 1; k++)
            {
                if (arr[k] >= 0) continue;
                int next = k + 1;
                while (arr[next] < 0) next++;
                int prev = k - 1;
                for (int m = k; m < next; m++)
                {
                    arr[m] = dep[m] = dep[prev] + (int)Math.Round((arr[next] - dep[prev]) * (double)(m - prev) / (next - prev));
                }
                k = next - 1;
            }
            for (int k = 0; k < n; k++)
            {
                if (dep[k] < arr[k] || (k > 0 && arr[k] < dep[k - 1]))
                {
                    _report.Add(GtfsIssueSeverity.Recoverable, file, raw[from + k].Line, $"trip {tripId}: times decrease at stop_sequence {raw[from + k].Sequence}; trip skipped");
                    return null;
                }
            }
            return new GtfsTripSchedule { TripIndex = raw[from].Trip, StopIndices = stops, ArrivalSeconds = arr, DepartureSeconds = dep, PickupTypes = pickup, DropOffTypes = drop };
        }

        public void ReadFrequencies()
        {
            var t = Open("frequencies.txt", "trip_id", "start_time", "end_time", "headway_secs");
            if (t is null) return;
            int trip = t.Col("trip_id"), start = t.Col("start_time"), end = t.Col("end_time"), headway = t.Col("headway_secs"), exact = t.Col("exact_times");
            foreach (var (row, line) in t.Rows())
            {
                var tripId = CsvTable.Get(row, trip);
                if (!feed.TripIndexById.ContainsKey(Id(tripId))) { _report.Add(GtfsIssueSeverity.Recoverable, t.File, line, $"unknown trip_id {tripId}; row skipped"); continue; }
                int s = ParseTime(CsvTable.Get(row, start)), e = ParseTime(CsvTable.Get(row, end));
                if (s < 0 || e < 0 || e < s) { _report.Add(GtfsIssueSeverity.Recoverable, t.File, line, $"trip {tripId}: bad start_time/end_time; row skipped"); continue; }
                if (!int.TryParse(CsvTable.Get(row, headway), NumberStyles.Integer, CultureInfo.InvariantCulture, out var h) || h <= 0)
                {
                    _report.Add(GtfsIssueSeverity.Recoverable, t.File, line, $"trip {tripId}: headway_secs must be a positive integer; row skipped");
                    continue;
                }
                feed.Frequencies.Add(new GtfsFrequency(Id(tripId), s, e, h, CsvTable.Get(row, exact) == "1"));
            }
        }

        public void ReadTransfers()
        {
            var t = Open("transfers.txt", "from_stop_id", "to_stop_id", "transfer_type");
            if (t is null) return;
            int from = t.Col("from_stop_id"), to = t.Col("to_stop_id"), fr = t.Col("from_route_id"), tr = t.Col("to_route_id"), type = t.Col("transfer_type"), min = t.Col("min_transfer_time");
            foreach (var (row, line) in t.Rows())
            {
                var f = Id(CsvTable.Get(row, from));
                var o = Id(CsvTable.Get(row, to));
                if (!feed.StopIndexById.ContainsKey(f) || !feed.StopIndexById.ContainsKey(o))
                {
                    _report.Add(GtfsIssueSeverity.Recoverable, t.File, line, $"transfer {CsvTable.Get(row, from)} -> {CsvTable.Get(row, to)} names an unknown stop; row skipped");
                    continue;
                }
                var typeText = CsvTable.Get(row, type);
                int transferType = typeText.Length == 0 ? 0 : int.TryParse(typeText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var tt) ? tt : -1;
                if (transferType is < 0 or > 5) { _report.Add(GtfsIssueSeverity.Recoverable, t.File, line, $"transfer_type '{typeText}' invalid; row skipped"); continue; }
                int? minTime = int.TryParse(CsvTable.Get(row, min), NumberStyles.Integer, CultureInfo.InvariantCulture, out var mt) && mt >= 0 ? mt : null;
                if (transferType == 2 && minTime is null) { _report.Add(GtfsIssueSeverity.Recoverable, t.File, line, "transfer_type 2 without a valid min_transfer_time; row skipped"); continue; }
                feed.Transfers.Add(new GtfsTransfer(f, o, OptId(CsvTable.Get(row, fr)), OptId(CsvTable.Get(row, tr)), transferType, minTime));
            }
        }

        private static byte ParseByte(string s) => s.Length == 1 && s[0] is >= '0' and <= '3' ? (byte)(s[0] - '0') : (byte)0;
        private static string? NullIfEmpty(string s) => s.Length == 0 ? null : s;
    }

    /// <summary>A decoded CSV file with its header; rows come with their physical line numbers.</summary>
    private sealed class CsvTable
    {
        private static readonly CsvReaderOptions Options = CsvReaderOptions.Default with { TrackLineNumbers = true, PoolStrings = true, HasHeader = true };
        private readonly string _text;
        private readonly Dictionary<string, int> _columns = new(StringComparer.Ordinal);
        public string File { get; }

        public CsvTable(string file, string text)
        {
            File = file;
            _text = text;
            using var reader = CsvReader.FromText(text, Options);
            var header = reader.Headers;
            for (int i = 0; i < header.Count; i++)
            {
                var name = header[i].Trim().Trim('\uFEFF').ToLowerInvariant();
                _columns.TryAdd(name, i);
            }
        }

        public bool Has(string column) => _columns.ContainsKey(column);
        public int Col(string column) => _columns.TryGetValue(column, out var i) ? i : -1;

        public static string Get(CsvReader row, int col) => col >= 0 && col < row.FieldCount ? row.GetString(col).Trim() : "";

        /// <summary>Data rows (the reader positioned on each), skipping rows whose fields are all empty.</summary>
        public IEnumerable<(CsvReader Row, int Line)> Rows()
        {
            using var reader = CsvReader.FromText(_text, Options);
            while (reader.Read())
            {
                bool empty = true;
                for (int i = 0; i < reader.FieldCount; i++)
                {
                    if (!string.IsNullOrWhiteSpace(reader.GetString(i))) { empty = false; break; }
                }
                if (empty) continue;
                yield return (reader, (int)reader.LineNumber);
            }
        }
    }

    /// <summary>Files of a feed in a folder or zip (entries may sit in one sub-folder).</summary>
    private sealed class GtfsFileSource : IDisposable
    {
        private readonly string? _folder;
        private readonly ZipArchive? _zip;
        private readonly Dictionary<string, ZipArchiveEntry> _entries = new(StringComparer.OrdinalIgnoreCase);

        private GtfsFileSource(string? folder, ZipArchive? zip)
        {
            _folder = folder;
            _zip = zip;
            if (zip is null) return;
            foreach (var e in zip.Entries.OrderBy(e => e.FullName.Count(c => c == '/')))
            {
                if (e.FullName.EndsWith('/')) continue;
                _entries.TryAdd(e.Name, e);
            }
        }

        public static GtfsFileSource Open(string path)
        {
            if (Directory.Exists(path)) return new GtfsFileSource(path, null);
            if (File.Exists(path))
            {
                try { return new GtfsFileSource(null, ZipFile.OpenRead(path)); }
                catch (InvalidDataException ex) { throw new InvalidDataException($"{path} is neither a folder nor a readable zip file: {ex.Message}", ex); }
            }
            throw new FileNotFoundException($"GTFS source {path} is neither a folder nor a zip file", path);
        }

        public bool Exists(string name) => _zip is not null ? _entries.ContainsKey(name) : File.Exists(Path.Combine(_folder!, name));

        public byte[] ReadAllBytes(string name)
        {
            if (_zip is null) return File.ReadAllBytes(Path.Combine(_folder!, name));
            var entry = _entries[name];
            using var s = entry.Open();
            using var ms = new MemoryStream(checked((int)entry.Length));
            s.CopyTo(ms);
            return ms.ToArray();
        }

        public void Dispose() => _zip?.Dispose();
    }
}
