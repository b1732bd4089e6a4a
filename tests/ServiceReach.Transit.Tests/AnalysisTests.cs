using ServiceReach.Transit.Analysis;
using ServiceReach.Transit.Gtfs;
using ServiceReach.Transit.Model;
using ServiceReach.Transit.Routing;
using ServiceReach.Transit.Scenarios;
using ServiceReach.Transit.Walking;

namespace ServiceReach.Transit.Tests;

/// <summary>Door-to-door percentiles, service levels and scenarios on small feeds whose answers are worked out by hand here.</summary>
public class AnalysisTests
{
    private static readonly DateOnly Monday = new(2024, 1, 1);
    private const double MetersPerDegreeLat = 6_371_008.8 * Math.PI / 180;

    // A at 51.00 N, B 2,200 m north, C 2,200 m further. The origin O is 240 m south of A (180 s on foot at 4.8 km/h),
    // the destination D 240 m north of B.
    private static readonly GeoPoint A = new(51.0, 4.0), B = new(51.0 + 2200 / MetersPerDegreeLat, 4.0), C = new(51.0 + 4400 / MetersPerDegreeLat, 4.0);
    private static readonly GeoPoint O = new(51.0 - 240 / MetersPerDegreeLat, 4.0), D = new(B.Latitude + 240 / MetersPerDegreeLat, 4.0);
    private static string Stops => FormattableString.Invariant($"stop_id,stop_name,stop_lat,stop_lon\nA,A,{A.Latitude},{A.Longitude}\nB,B,{B.Latitude},{B.Longitude}\nC,C,{C.Latitude},{C.Longitude}\n");

    /// <summary>R1 runs A→B→C every 10 minutes from 07:00 to 08:50 (10 min A→B, 10 min B→C).</summary>
    private static Timetable Frequent()
    {
        using var feed = TestFeed.Standard(Stops, "route_id,service_id,trip_id\nR1,WK,F\n",
            "trip_id,arrival_time,departure_time,stop_id,stop_sequence\nF,07:00:00,07:00:00,A,1\nF,07:10:00,07:10:00,B,2\nF,07:20:00,07:20:00,C,3\n",
            ("frequencies.txt", "trip_id,start_time,end_time,headway_secs\nF,07:00:00,08:51:00,600\n"));
        return TimetableBuilder.Build(GtfsReader.Read(feed.Folder), Monday);
    }

    /// <summary>R2 runs A→B once, at 08:10.</summary>
    private static Timetable Single()
    {
        using var feed = TestFeed.Standard(Stops, "route_id,service_id,trip_id\nR2,WK,S\n",
            "trip_id,arrival_time,departure_time,stop_id,stop_sequence\nS,08:10:00,08:10:00,A,1\nS,08:20:00,08:20:00,B,2\n");
        return TimetableBuilder.Build(GtfsReader.Read(feed.Folder), Monday);
    }

    /// <summary>Expected travel minutes for leaving O at 07:00 + t: 3 min walk, wait for the next bus, 10 min ride, 3 min walk.</summary>
    private static int[] ExpectedMinutes(int[] busMinutesAfterSeven)
    {
        var result = new int[120];
        for (int t = 0; t < 120; t++)
        {
            var next = busMinutesAfterSeven.Where(b => b >= t + 3).DefaultIfEmpty(-1).Min();
            result[t] = next < 0 ? int.MaxValue : next - t + 10 + 3;
        }
        return result;
    }

    private static int NearestRankMinutes(int[] minutes, double p)
    {
        var sorted = minutes.Order().ToArray();
        return sorted[(int)Math.Ceiling(p / 100 * sorted.Length) - 1];
    }

    [Fact]
    public void Door_to_door_distribution_matches_the_hand_computed_minutes()
    {
        var analysis = new DoorToDoorAnalysis(Frequent(), new StraightLineWalking());
        var result = analysis.NearestDestination(O, [D]);
        var expected = ExpectedMinutes([.. Enumerable.Range(0, 12).Select(i => i * 10)]);
        Assert.Equal(expected.Select(m => m == int.MaxValue ? TravelTimeDistribution.Unreachable : m * 60), result.SecondsPerDeparture);
        foreach (var p in new[] { 5.0, 50, 95 })
        {
            int e = NearestRankMinutes(expected, p);
            Assert.Equal(e == int.MaxValue ? TravelTimeDistribution.Unreachable : e * 60, result.Percentile(p));
        }
    }

    [Fact]
    public void A_single_bus_looks_worse_than_a_bus_every_ten_minutes()
    {
        var walking = new StraightLineWalking();
        var single = new DoorToDoorAnalysis(Single(), walking).NearestDestination(O, [D]);
        var frequent = new DoorToDoorAnalysis(Frequent(), walking).NearestDestination(O, [D]);
        // Single bus at 08:10 (minute 70): leaving at minute t ≤ 67 takes 70 − t + 13; later departures miss it.
        Assert.Equal(21 * 60, single.P5);            // sorted 16, 17, …: the 6th of 120
        Assert.Equal(75 * 60, single.P50);           // the 60th of the 68 reachable values 16…83
        Assert.Equal(TravelTimeDistribution.Unreachable, single.P95);
        Assert.True(frequent.P50 <= 22 * 60, frequent.ToString());
        Assert.True(single.P50 > frequent.P50 + 45 * 60);
    }

    [Fact]
    public void Nearest_destination_per_category_and_walk_only()
    {
        var analysis = new DoorToDoorAnalysis(Frequent(), new StraightLineWalking());
        var nearA = new GeoPoint(A.Latitude + 300 / MetersPerDegreeLat, A.Longitude);   // 300 m from A, 540 m from O
        var result = analysis.NearestByCategory([O], new Dictionary<string, IReadOnlyList<GeoPoint>>
        {
            ["gp"] = [D, C],                  // D is nearer by bus than C
            ["bakery"] = [nearA, D],          // walking to nearA: 540 m = 405 s, whatever the bus does
            ["far"] = [new GeoPoint(52, 5)],
        });
        var gp = result["gp"][0];
        Assert.Equal(23 * 60, gp.SecondsPerDeparture[0]);   // leave 07:00: at A 07:03, bus 07:10, at B 07:20, D 07:23
        Assert.All(result["bakery"][0].SecondsPerDeparture, s => Assert.Equal((int)Math.Round(540 / (4.8 / 3.6)), s));
        Assert.All(result["far"][0].SecondsPerDeparture, s => Assert.Equal(TravelTimeDistribution.Unreachable, s));
        // Which destination the typical (median) trip reaches: D (index 0) by bus, nearA (index 0) on foot, none for "far".
        Assert.Equal(0, gp.MedianDestination);
        for (var i = 0; i < gp.SecondsPerDeparture.Count; i++)
            Assert.Equal(gp.SecondsPerDeparture[i] == TravelTimeDistribution.Unreachable ? -1 : 0, gp.DestinationPerDeparture![i]);
        Assert.Equal(0, result["bakery"][0].MedianDestination);
        Assert.Equal(-1, result["far"][0].MedianDestination);
    }

    [Fact]
    public void Service_level_counts_boardable_departures_per_hour()
    {
        var tt = Frequent();
        var level = new ServiceLevel(tt);
        var peak = level.DeparturesPerHour(6 * 3600, 9 * 3600);
        Assert.Equal(12 / 3.0, peak[tt.RequireStop("A")], 9);   // 07:00 … 08:50
        Assert.Equal(11 / 3.0, peak[tt.RequireStop("B")], 9);   // 07:10 … 08:50; the 09:00 one falls outside [06:00, 09:00)
        var bands = level.ByBand(TimeBand.Basismobiliteit);
        Assert.Equal(0, bands[1][tt.RequireStop("A")]);
        Assert.Equal(0, peak[tt.RequireStop("C")]);               // terminus: nobody boards
        // Near C, the nearest stop with ≥ 1 departure/h is B (C has none).
        var nearest = level.NearestStopWithService(new GeoPoint(C.Latitude + 100 / MetersPerDegreeLat, C.Longitude), 1, TimeBand.Basismobiliteit[0], new StraightLineWalking(maxDistanceMeters: 5000), 3600);
        Assert.NotNull(nearest);
        Assert.Equal("B", nearest.StopId);
        Assert.Equal(2300, nearest.StraightLineMeters, 0);
        Assert.Equal((int)Math.Round(nearest.StraightLineMeters / (4.8 / 3.6)), nearest.WalkSeconds);
        Assert.Null(level.NearestStopWithService(O, 5, TimeBand.Basismobiliteit[0]));
    }

    [Fact]
    public void Scenario_halving_headways_doubles_departures_and_shortens_waits()
    {
        var baseTt = Frequent();
        var scenario = new TransitScenario(baseTt).ScaleHeadways("R1", 0.5).Build();
        var perHour = new ServiceLevel(scenario).DeparturesPerHour(7 * 3600, 9 * 3600);
        Assert.Equal(23 / 2.0, perHour[scenario.RequireStop("A")], 9);   // 07:00, 07:05, …, 08:50
        var walking = new StraightLineWalking();
        var before = new DoorToDoorAnalysis(baseTt, walking).NearestDestination(O, [D]);
        var after = new DoorToDoorAnalysis(scenario, walking).NearestDestination(O, [D]);
        var expected = ExpectedMinutes([.. Enumerable.Range(0, 23).Select(i => i * 5)]);
        Assert.Equal(expected.Select(m => m == int.MaxValue ? TravelTimeDistribution.Unreachable : m * 60), after.SecondsPerDeparture);
        var change = ScenarioComparison.Compare([before], [after]).Single();
        Assert.True(change.DeltaP50 < 0);
        Assert.Equal((NearestRankMinutes(expected, 50) - NearestRankMinutes(ExpectedMinutes([.. Enumerable.Range(0, 12).Select(i => i * 10)]), 50)) * 60, change.DeltaP50);
    }

    [Fact]
    public void Scenario_removing_a_route_or_a_stop()
    {
        var baseTt = Frequent();
        var noRoute = new TransitScenario(baseTt).RemoveRoute("R1").Build();
        Assert.Equal(0, noRoute.TripCount);
        var noB = new TransitScenario(baseTt).RemoveStops("B").Build();
        Assert.Equal(baseTt.TripCount, noB.TripCount);
        Assert.Equal(7 * 3600 + 1200, TransitQueries.EarliestArrival(noB, [noB.RequireStop("A")], [noB.RequireStop("C")], 7 * 3600));
        Assert.Equal(Raptor.Unreachable, TransitQueries.EarliestArrival(noB, [noB.RequireStop("A")], [noB.RequireStop("B")], 7 * 3600));
        Assert.All(new ServiceLevel(noB).DeparturesPerHour(0, 86400).Select((v, i) => (v, i)).Where(x => x.i == noB.RequireStop("B")), x => Assert.Equal(0, x.v));
    }

    [Fact]
    public void Scenario_adds_a_line_from_stops_with_headway_and_speed()
    {
        var baseTt = Frequent();
        var n = new GeoPoint(B.Latitude, B.Longitude + 0.03);   // a new stop east of B
        double meters = B.DistanceMeters(n);
        var line = new NewLine("NEW", "Nieuwe lijn", [NewLineStop.Existing("B"), NewLineStop.At(n, "Nieuw")], HeadwaySeconds: 900, SpeedKmh: 20,
            FirstDeparture: 7 * 3600, LastDeparture: 9 * 3600);
        var scenario = new TransitScenario(baseTt, new StraightLineWalking()).AddLine(line).Build();
        Assert.Equal(baseTt.StopCount + 1, scenario.StopCount);
        Assert.Equal(baseTt.TripCount + 2 * 9, scenario.TripCount);   // 07:00 … 09:00 every 15 min, both ways
        int ride = (int)Math.Round(meters * 1.3 / (20 / 3.6));
        int newStop = scenario.RequireStop("NEW:new2");
        // From A at 07:00: bus to B 07:10, next NEW run 07:15, arrive 07:15 + ride.
        Assert.Equal(7 * 3600 + 900 + ride, TransitQueries.EarliestArrival(scenario, [scenario.RequireStop("A")], [newStop], 7 * 3600));
        // Back from the new stop to C: 07:00 + ride at B, then R1 (B departs hh:m0 + 10 min).
        int atB = 7 * 3600 + ride;
        int nextR1AtB = (int)Math.Ceiling((atB - (7 * 3600 + 600)) / 600.0) * 600 + 7 * 3600 + 600;
        Assert.Equal(nextR1AtB + 600, TransitQueries.EarliestArrival(scenario, [newStop], [scenario.RequireStop("C")], 7 * 3600));
        Assert.Equal(Raptor.Unreachable, TransitQueries.EarliestArrival(baseTt, [baseTt.RequireStop("A")], [baseTt.RequireStop("C")], 9 * 3600));
    }
}
