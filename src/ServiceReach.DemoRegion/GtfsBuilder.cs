using System.Globalization;
using System.Text;

namespace ServiceReach.DemoRegion;

/// <summary>
/// Writes the two fictional bus lines as GTFS. Running times come from the shortest drivable road distance between
/// consecutive stops at 30 km/h (rounded up to whole minutes), so the timetable and the street network agree.
/// </summary>
internal static class GtfsBuilder
{
    public const double BusSpeedMetresPerSecond = 30_000.0 / 3600.0;
    public const string WeekdayService = "WD";
    public const string SaturdayService = "SA";

    private static readonly HashSet<string> Drivable = ["tertiary", "unclassified", "residential"];

    public sealed record Trip(string RouteId, string ServiceId, string TripId, string Headsign, int DirectionId, List<(string StopId, int Seconds)> Times);

    public static Dictionary<string, string> Build(BuiltRegion region, out int tripCount)
    {
        var stops = new Dictionary<string, PlacedStop>();
        foreach (var s in region.Stops) stops[s.Spec.StopId] = s;
        var graph = DrivableGraph.From(region.Osm, Drivable);

        var trips = new List<Trip>();
        var lineA = RegionPlan.LineAStops;
        var lineAReverse = lineA.Reverse().ToArray();
        var lineB = RegionPlan.LineBStops;
        var lineBReverse = lineB.Reverse().ToArray();
        var runA = RunningSeconds(graph, stops, lineA);
        var runAReverse = RunningSeconds(graph, stops, lineAReverse);
        var runB = RunningSeconds(graph, stops, lineB);
        var runBReverse = RunningSeconds(graph, stops, lineBReverse);

        // Line A, weekdays: every 30 min in the peaks (6–9, 16–19), hourly otherwise, first departure 6:00, last 21:00.
        var weekdayA = new List<int>();
        for (var minute = 6 * 60; minute <= 21 * 60; minute += (minute is >= 6 * 60 and < 9 * 60 or >= 16 * 60 and < 19 * 60) ? 30 : 60)
            weekdayA.Add(minute);
        var saturdayA = new List<int>();
        for (var minute = 8 * 60; minute <= 19 * 60; minute += 60) saturdayA.Add(minute);

        AddTrips(trips, "A", WeekdayService, lineA, runA, 0, weekdayA, 5);
        AddTrips(trips, "A", WeekdayService, lineAReverse, runAReverse, 1, weekdayA, 10);
        AddTrips(trips, "A", SaturdayService, lineA, runA, 0, saturdayA, 5);
        AddTrips(trips, "A", SaturdayService, lineAReverse, runAReverse, 1, saturdayA, 10);

        // Line B, weekdays only: every two hours, plus a school trip to Heidebeek Scholen and back.
        var weekdayB = new List<int>();
        for (var minute = 7 * 60; minute <= 19 * 60; minute += 120) weekdayB.Add(minute);
        AddTrips(trips, "B", WeekdayService, lineB, runB, 0, weekdayB, 15);
        AddTrips(trips, "B", WeekdayService, lineBReverse, runBReverse, 1, weekdayB, 20);
        var schoolOut = lineB[..3];
        var schoolBack = schoolOut.Reverse().ToArray();
        AddTrips(trips, "B", WeekdayService, schoolOut, RunningSeconds(graph, stops, schoolOut), 0, [7 * 60 + 50], 0, "school");
        AddTrips(trips, "B", WeekdayService, schoolBack, RunningSeconds(graph, stops, schoolBack), 1, [15 * 60 + 40], 0, "school");
        tripCount = trips.Count;

        var files = new Dictionary<string, string>
        {
            ["agency.txt"] = Csv(["agency_id", "agency_name", "agency_url", "agency_timezone", "agency_lang"],
                [["DEMO", "Demobus (fictief)", "https://example.org/servicereach-demo", "Europe/Brussels", "nl"]]),
            ["routes.txt"] = Csv(["route_id", "agency_id", "route_short_name", "route_long_name", "route_type", "route_desc"],
                [["A", "DEMO", "A", "Groenhove - Heidebeek - Kapelle-ten-Bos - Ooievaarshoek", "3", "fictional demo line"],
                 ["B", "DEMO", "B", "Lindeveld - Heidebeek - Eikenrode - Kapelle-ten-Bos - Duivenhoek", "3", "fictional demo line"]]),
            ["calendar.txt"] = Csv(["service_id", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "start_date", "end_date"],
                [[WeekdayService, "1", "1", "1", "1", "1", "0", "0", "20260101", "20261231"],
                 [SaturdayService, "0", "0", "0", "0", "0", "1", "0", "20260101", "20261231"]]),
            // Public holidays that fall on a service day: no buses.
            ["calendar_dates.txt"] = Csv(["service_id", "date", "exception_type"],
                [[WeekdayService, "20260721", "2"], [SaturdayService, "20260815", "2"], [WeekdayService, "20261111", "2"], [WeekdayService, "20261225", "2"]]),
            ["feed_info.txt"] = Csv(["feed_publisher_name", "feed_publisher_url", "feed_lang", "feed_start_date", "feed_end_date", "feed_version"],
                [["ServiceReach demo region (FICTIONAL)", "https://example.org/servicereach-demo", "nl", "20260101", "20261231", "demo-1"]]),
        };

        var stopRows = new List<string[]>();
        foreach (var s in region.Stops)
        {
            stopRows.Add([s.Spec.StopId, s.Spec.Name, LocalProjection.FormatDegrees(LocalProjection.Lat(s.Position)),
                LocalProjection.FormatDegrees(LocalProjection.Lon(s.Position)), "0"]);
        }
        files["stops.txt"] = Csv(["stop_id", "stop_name", "stop_lat", "stop_lon", "location_type"], stopRows);

        var tripRows = new List<string[]>();
        var timeRows = new List<string[]>();
        foreach (var trip in trips)
        {
            tripRows.Add([trip.RouteId, trip.ServiceId, trip.TripId, trip.Headsign, trip.DirectionId.ToString(CultureInfo.InvariantCulture)]);
            for (var k = 0; k < trip.Times.Count; k++)
            {
                var time = FormatTime(trip.Times[k].Seconds);
                timeRows.Add([trip.TripId, time, time, trip.Times[k].StopId, (k + 1).ToString(CultureInfo.InvariantCulture)]);
            }
        }
        files["trips.txt"] = Csv(["route_id", "service_id", "trip_id", "trip_headsign", "direction_id"], tripRows);
        files["stop_times.txt"] = Csv(["trip_id", "arrival_time", "departure_time", "stop_id", "stop_sequence"], timeRows);
        return files;
    }

    private static void AddTrips(List<Trip> trips, string routeId, string serviceId, string[] stopIds, int[] runSeconds, int directionId,
        List<int> startMinutes, int minuteOffset, string? kind = null)
    {
        foreach (var start in startMinutes)
        {
            var departure = (start + minuteOffset) * 60;
            var times = new List<(string, int)> { (stopIds[0], departure) };
            var elapsed = 0;
            for (var k = 1; k < stopIds.Length; k++)
            {
                elapsed += runSeconds[k - 1];
                times.Add((stopIds[k], departure + elapsed));
            }
            var clock = FormatTime(departure).Replace(":", "")[..4];
            var tripId = $"{routeId}-{serviceId}-{directionId}-{clock}" + (kind is null ? "" : "-" + kind);
            trips.Add(new Trip(routeId, serviceId, tripId, NameOf(stopIds[^1]), directionId, times));
        }
    }

    private static string NameOf(string stopId)
    {
        foreach (var s in RegionPlan.Stops) if (s.StopId == stopId) return s.Name;
        throw new InvalidOperationException("Unknown stop " + stopId);
    }

    /// <summary>Whole minutes between consecutive stops: road distance at bus speed, rounded up, at least one minute.</summary>
    private static int[] RunningSeconds(DrivableGraph graph, Dictionary<string, PlacedStop> stops, string[] stopIds)
    {
        var result = new int[stopIds.Length - 1];
        for (var k = 1; k < stopIds.Length; k++)
        {
            var metres = graph.ShortestMetres(stops[stopIds[k - 1]].StreetNodeId, stops[stopIds[k]].StreetNodeId);
            if (double.IsPositiveInfinity(metres)) throw new InvalidOperationException($"Demo region design error: no drivable route from {stopIds[k - 1]} to {stopIds[k]}.");
            result[k - 1] = Math.Max(1, (int)Math.Ceiling(metres / BusSpeedMetresPerSecond / 60.0)) * 60;
        }
        return result;
    }

    public static string FormatTime(int seconds) =>
        string.Create(CultureInfo.InvariantCulture, $"{seconds / 3600:D2}:{seconds / 60 % 60:D2}:{seconds % 60:D2}");

    private static string Csv(string[] header, IEnumerable<string[]> rows)
    {
        var sb = new StringBuilder();
        sb.Append(string.Join(',', header)).Append('\n');
        foreach (var row in rows)
        {
            for (var k = 0; k < row.Length; k++)
            {
                if (k > 0) sb.Append(',');
                var value = row[k];
                if (value.IndexOfAny([',', '"', '\n']) >= 0) value = "\"" + value.Replace("\"", "\"\"") + "\"";
                sb.Append(value);
            }
            sb.Append('\n');
        }
        return sb.ToString();
    }
}

/// <summary>The streets a bus may use, as a directed graph (one-way streets one way only), for shortest road distances.</summary>
internal sealed class DrivableGraph
{
    private readonly Dictionary<long, List<(long To, double Metres)>> _edges = [];

    public static DrivableGraph From(OsmDataset osm, HashSet<string> highways)
    {
        var graph = new DrivableGraph();
        foreach (var way in osm.Ways)
        {
            var highway = way.Tag("highway");
            if (highway is null || !highways.Contains(highway) || way.Tag("access") == "private") continue;
            var oneway = way.Tag("oneway") == "yes";
            for (var k = 1; k < way.NodeRefs.Count; k++)
            {
                var a = way.NodeRefs[k - 1];
                var b = way.NodeRefs[k];
                var metres = Vec.Distance(osm.Position(a), osm.Position(b));
                graph.Add(a, b, metres);
                if (!oneway) graph.Add(b, a, metres);
            }
        }
        return graph;
    }

    private void Add(long from, long to, double metres)
    {
        if (!_edges.TryGetValue(from, out var list)) _edges[from] = list = [];
        list.Add((to, metres));
    }

    public double ShortestMetres(long from, long to)
    {
        var best = new Dictionary<long, double> { [from] = 0 };
        var queue = new PriorityQueue<long, double>();
        queue.Enqueue(from, 0);
        while (queue.TryDequeue(out var node, out var distance))
        {
            if (node == to) return distance;
            if (distance > best[node]) continue;
            if (!_edges.TryGetValue(node, out var list)) continue;
            foreach (var (next, metres) in list)
            {
                var candidate = distance + metres;
                if (best.TryGetValue(next, out var known) && known <= candidate) continue;
                best[next] = candidate;
                queue.Enqueue(next, candidate);
            }
        }
        return double.PositiveInfinity;
    }
}
