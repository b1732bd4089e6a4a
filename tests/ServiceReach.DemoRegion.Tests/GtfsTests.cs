using System.Globalization;

namespace ServiceReach.DemoRegion.Tests;

public class GtfsTests
{
    private static int Seconds(string time)
    {
        var parts = time.Split(':').Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToArray();
        return parts[0] * 3600 + parts[1] * 60 + parts[2];
    }

    [Theory]
    [MemberData(nameof(OsmTests.Seeds), MemberType = typeof(OsmTests))]
    public void Gtfs_EveryReferenceExists_AndTimesNeverDecreaseWithinATrip(int seed)
    {
        var data = DemoData.For(seed);
        var agencies = data.Csv("agency.txt").Select(r => r["agency_id"]).ToHashSet();
        var routes = data.Csv("routes.txt");
        var services = data.Csv("calendar.txt").Select(r => r["service_id"]).ToHashSet();
        var stops = data.Csv("stops.txt").Select(r => r["stop_id"]).ToHashSet();
        var trips = data.Csv("trips.txt");
        var stopTimes = data.Csv("stop_times.txt");
        Assert.All(routes, r => Assert.Contains(r["agency_id"], agencies));
        Assert.All(trips, t => { Assert.Contains(t["route_id"], routes.Select(r => r["route_id"])); Assert.Contains(t["service_id"], services); });
        Assert.All(data.Csv("calendar_dates.txt"), d => Assert.Contains(d["service_id"], services));
        Assert.Equal(trips.Count, trips.Select(t => t["trip_id"]).Distinct().Count());
        var tripIds = trips.Select(t => t["trip_id"]).ToHashSet();
        Assert.All(stopTimes, st => { Assert.Contains(st["trip_id"], tripIds); Assert.Contains(st["stop_id"], stops); });
        foreach (var trip in stopTimes.GroupBy(st => st["trip_id"]))
        {
            var ordered = trip.OrderBy(st => int.Parse(st["stop_sequence"], CultureInfo.InvariantCulture)).ToList();
            Assert.True(ordered.Count >= 2);
            var previous = -1;
            foreach (var st in ordered)
            {
                var arrival = Seconds(st["arrival_time"]);
                var departure = Seconds(st["departure_time"]);
                Assert.True(arrival >= previous && departure >= arrival, $"trip {trip.Key} goes back in time at {st["stop_id"]}");
                previous = departure;
            }
        }
        Assert.All(tripIds, id => Assert.Contains(id, stopTimes.Select(st => st["trip_id"])));
        var calendar = data.Csv("calendar.txt");
        Assert.All(calendar, c => { Assert.Equal("20260101", c["start_date"]); Assert.Equal("20261231", c["end_date"]); });
        Assert.Contains(calendar, c => c["monday"] == "1" && c["friday"] == "1" && c["saturday"] == "0");
        Assert.Contains(calendar, c => c["saturday"] == "1" && c["monday"] == "0");
        Assert.Contains(data.Csv("calendar_dates.txt"), d => d["exception_type"] == "2");
        Assert.Single(data.Csv("feed_info.txt"));
    }

    [Theory]
    [MemberData(nameof(OsmTests.Seeds), MemberType = typeof(OsmTests))]
    public void Stops_LieWithin50MetresOfAStreet(int seed)
    {
        var data = DemoData.For(seed);
        var streets = data.Osm.Highways.Where(w => w.Highway is "tertiary" or "unclassified" or "residential").ToList();
        foreach (var stop in data.Csv("stops.txt"))
        {
            var p = Metres.Project(double.Parse(stop["stop_lat"], CultureInfo.InvariantCulture), double.Parse(stop["stop_lon"], CultureInfo.InvariantCulture));
            var nearest = double.MaxValue;
            foreach (var way in streets)
            {
                for (var k = 1; k < way.Refs.Count; k++)
                {
                    var a = data.Osm.Nodes[way.Refs[k - 1]];
                    var b = data.Osm.Nodes[way.Refs[k]];
                    nearest = Math.Min(nearest, Metres.ToSegment(p, Metres.Project(a.Lat, a.Lon), Metres.Project(b.Lat, b.Lon)));
                }
            }
            Assert.True(nearest <= 50, $"stop {stop["stop_id"]} is {nearest:F0} m from the nearest street");
        }
    }

    [Fact]
    public void LineA_MeetsTheRuralFrequencyNorm_AndLineBIsThin()
    {
        var data = DemoData.For(DemoRegionGenerator.DefaultSeed);
        var trips = data.Csv("trips.txt").ToDictionary(t => t["trip_id"]);
        var departures = data.Csv("stop_times.txt")
            .Where(st => st["stop_id"] == "HDB-MARKT" && trips[st["trip_id"]]["service_id"] == "WD")
            .Select(st => (Route: trips[st["trip_id"]]["route_id"], Direction: trips[st["trip_id"]]["direction_id"], Time: Seconds(st["departure_time"])))
            .ToList();
        for (var direction = 0; direction <= 1; direction++)
        {
            var a = departures.Where(d => d.Route == "A" && d.Direction == direction.ToString(CultureInfo.InvariantCulture)).Select(d => d.Time).Order().ToList();
            // Rural norm: at least two an hour in the peaks, at least one an hour between 6 and 21.
            foreach (var peakHour in new[] { 7, 8, 16, 17, 18 }) Assert.True(a.Count(t => t >= peakHour * 3600 && t < (peakHour + 1) * 3600) >= 2, $"line A dir {direction} hour {peakHour}");
            for (var hour = 7; hour < 21; hour++) Assert.True(a.Any(t => t >= hour * 3600 && t < (hour + 1) * 3600), $"line A dir {direction} has a gap at {hour}h");
            var b = departures.Where(d => d.Route == "B" && d.Direction == direction.ToString(CultureInfo.InvariantCulture)).Select(d => d.Time).Order().ToList();
            Assert.InRange(b.Count, 5, 9);
        }
        Assert.DoesNotContain(data.Csv("trips.txt"), t => t["route_id"] == "B" && t["service_id"] == "SA");
    }

    [Fact]
    public void RideTimes_AreNeverFasterThanStraightLineAt30KmH_NorAbsurdlySlow()
    {
        var data = DemoData.For(DemoRegionGenerator.DefaultSeed);
        var stops = data.Csv("stops.txt").ToDictionary(s => s["stop_id"], s =>
            Metres.Project(double.Parse(s["stop_lat"], CultureInfo.InvariantCulture), double.Parse(s["stop_lon"], CultureInfo.InvariantCulture)));
        foreach (var trip in data.Csv("stop_times.txt").GroupBy(st => st["trip_id"]))
        {
            var ordered = trip.OrderBy(st => int.Parse(st["stop_sequence"], CultureInfo.InvariantCulture)).ToList();
            for (var k = 1; k < ordered.Count; k++)
            {
                var metres = Metres.Between(stops[ordered[k - 1]["stop_id"]], stops[ordered[k]["stop_id"]]);
                var seconds = Seconds(ordered[k]["arrival_time"]) - Seconds(ordered[k - 1]["departure_time"]);
                Assert.True(seconds >= metres / (30 / 3.6), $"{trip.Key}: {metres:F0} m in {seconds} s is faster than 30 km/h as the crow flies");
                Assert.True(seconds <= 60 + 2.5 * metres / (30 / 3.6), $"{trip.Key}: {metres:F0} m in {seconds} s is implausibly slow");
            }
        }
    }

    [Fact]
    public void EveryKernButZavelhoek_HasAStopWithin650Metres_AndZavelhoekNoneWithin750()
    {
        var data = DemoData.For(DemoRegionGenerator.DefaultSeed);
        var stops = data.Csv("stops.txt").Select(s =>
            Metres.Project(double.Parse(s["stop_lat"], CultureInfo.InvariantCulture), double.Parse(s["stop_lon"], CultureInfo.InvariantCulture))).ToList();
        foreach (var kern in data.Features("kernen.geojson"))
        {
            var c = kern.GetProperty("geometry").GetProperty("coordinates");
            var p = Metres.Project(c[1].GetDouble(), c[0].GetDouble());
            var nearest = stops.Min(s => Metres.Between(p, s));
            if (kern.GetProperty("properties").GetProperty("name").GetString() == "Zavelhoek") Assert.True(nearest > 750, $"Zavelhoek has a stop at {nearest:F0} m");
            else Assert.True(nearest < 650, $"{kern.GetProperty("properties").GetProperty("name")} has its nearest stop at {nearest:F0} m");
        }
    }
}
