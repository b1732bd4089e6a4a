using ServiceReach.Transit.Gtfs;
using ServiceReach.Transit.Model;
using ServiceReach.Transit.Routing;
using ServiceReach.Transit.Walking;

namespace ServiceReach.Transit.Tests;

/// <summary>Hand-built feeds whose answers are computed by hand in the comments.</summary>
public class TimetableSemanticsTests
{
    private static readonly DateOnly Monday = new(2024, 1, 1), Tuesday = new(2024, 1, 2), Saturday = new(2024, 1, 6), Sunday = new(2024, 1, 7);
    private static int T(int h, int m, int s = 0) => h * 3600 + m * 60 + s;

    // Stops 2.2 km apart (no walking between them at 1,200 m), except Q which is ~300 m north of P.
    private const string Stops = "stop_id,stop_name,stop_lat,stop_lon\n"
        + "A,A,51.00,4.00\nB,B,51.02,4.00\nC,C,51.04,4.00\nD,D,51.06,4.00\nX,X,51.08,4.00\nP,P,51.10,4.00\nQ,Q,51.1027,4.00\n";

    private static int Arrive(Timetable tt, string from, string to, int departure, int maxTransfers = 8)
        => TransitQueries.EarliestArrival(tt, [tt.RequireStop(from)], [tt.RequireStop(to)], departure, maxTransfers);

    [Fact]
    public void Overnight_trip_runs_past_midnight_and_its_tail_belongs_to_the_next_day()
    {
        const string stopTimes = "trip_id,arrival_time,departure_time,stop_id,stop_sequence\nN1,23:50:00,23:50:00,A,1\nN1,24:20:00,24:20:00,B,2\nN1,24:40:00,24:40:00,C,3\n";
        using var feed = TestFeed.Standard(Stops, "route_id,service_id,trip_id\nR1,WK,N1\n", stopTimes);
        var f = GtfsReader.Read(feed.Folder);
        var tuesday = TimetableBuilder.Build(f, Tuesday);
        // Tuesday's own run: leaves A 23:50, reaches C at 24:40 of the service day.
        Assert.Equal(T(24, 40), Arrive(tuesday, "A", "C", T(23, 45)));
        // Monday's run is at B at 00:20 Tuesday morning and at C 00:40.
        Assert.Equal(T(0, 40), Arrive(tuesday, "B", "C", T(0, 10)));
        // Monday: Sunday has no service, so the first way from B is Monday's own run at 24:20.
        var monday = TimetableBuilder.Build(f, Monday);
        Assert.Equal(["N1"], monday.TripIds);
        Assert.Equal(T(24, 40), Arrive(monday, "B", "C", T(0, 10)));
        // Saturday: Friday's run is still on the road at 00:20.
        var saturday = TimetableBuilder.Build(f, Saturday);
        Assert.Equal(["N1@previous-day"], saturday.TripIds);
        Assert.Equal(T(0, 40), Arrive(saturday, "B", "C", T(0, 10)));
        Assert.Equal(Raptor.Unreachable, Arrive(saturday, "A", "C", T(23, 0)));
    }

    [Fact]
    public void Calendar_dates_remove_and_add_service_days()
    {
        const string trips = "route_id,service_id,trip_id\nR1,WK,W1\nR2,EXTRA,E1\n";
        const string stopTimes = "trip_id,arrival_time,departure_time,stop_id,stop_sequence\nW1,08:00:00,08:00:00,A,1\nW1,08:30:00,08:30:00,B,2\nE1,10:00:00,10:00:00,A,1\nE1,10:45:00,10:45:00,B,2\n";
        const string dates = "service_id,date,exception_type\nWK,20240102,2\nEXTRA,20240106,1\nWK,20240107,1\n";
        using var feed = TestFeed.Standard(Stops, trips, stopTimes, ("calendar_dates.txt", dates));
        var f = GtfsReader.Read(feed.Folder);
        Assert.Equal(T(8, 30), Arrive(TimetableBuilder.Build(f, Monday), "A", "B", T(7, 0)));
        Assert.Equal(Raptor.Unreachable, Arrive(TimetableBuilder.Build(f, Tuesday), "A", "B", T(7, 0)));   // removed
        Assert.Equal(T(10, 45), Arrive(TimetableBuilder.Build(f, Saturday), "A", "B", T(7, 0)));          // only the added EXTRA
        Assert.Equal(T(8, 30), Arrive(TimetableBuilder.Build(f, Sunday), "A", "B", T(7, 0)));              // WK added on a Sunday
        Assert.Equal(Raptor.Unreachable, Arrive(TimetableBuilder.Build(f, Sunday), "A", "B", T(9, 0)));   // EXTRA runs only on Saturday
    }

    [Fact]
    public void Frequencies_expand_from_start_time_up_to_but_excluding_end_time()
    {
        const string stopTimes = "trip_id,arrival_time,departure_time,stop_id,stop_sequence\nF1,00:00:00,00:00:00,A,1\nF1,00:10:00,00:10:00,B,2\n";
        const string frequencies = "trip_id,start_time,end_time,headway_secs\nF1,06:00:00,07:00:00,900\n";
        using var feed = TestFeed.Standard(Stops, "route_id,service_id,trip_id\nR1,WK,F1\n", stopTimes, ("frequencies.txt", frequencies));
        var tt = TimetableBuilder.Build(GtfsReader.Read(feed.Folder), Monday);
        Assert.Equal(4, tt.TripCount); // 06:00, 06:15, 06:30, 06:45
        Assert.Equal(T(6, 10), Arrive(tt, "A", "B", T(5, 0)));
        Assert.Equal(T(6, 25), Arrive(tt, "A", "B", T(6, 1)));
        Assert.Equal(T(6, 55), Arrive(tt, "A", "B", T(6, 45)));
        Assert.Equal(Raptor.Unreachable, Arrive(tt, "A", "B", T(6, 46)));
    }

    // Line 1 A→X arrives X 08:10; line 2 X→D leaves X 08:13 and 08:20 (arrives D 08:30 / 08:37).
    private const string TransferTrips = "route_id,service_id,trip_id\nR1,WK,L1\nR2,WK,L2a\nR2,WK,L2b\n";
    private const string TransferStopTimes = "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
        + "L1,08:00:00,08:00:00,A,1\nL1,08:10:00,08:10:00,X,2\n"
        + "L2a,08:13:00,08:13:00,X,1\nL2a,08:30:00,08:30:00,D,2\n"
        + "L2b,08:20:00,08:20:00,X,1\nL2b,08:37:00,08:37:00,D,2\n";

    [Fact]
    public void Minimum_transfer_time_at_a_stop_is_respected()
    {
        using var without = TestFeed.Standard(Stops, TransferTrips, TransferStopTimes);
        Assert.Equal(T(8, 30), Arrive(TimetableBuilder.Build(GtfsReader.Read(without.Folder), Monday), "A", "D", T(7, 55)));

        using var with = TestFeed.Standard(Stops, TransferTrips, TransferStopTimes, ("transfers.txt", "from_stop_id,to_stop_id,transfer_type,min_transfer_time\nX,X,2,300\n"));
        var tt = TimetableBuilder.Build(GtfsReader.Read(with.Folder), Monday);
        Assert.Equal(T(8, 37), Arrive(tt, "A", "D", T(7, 55)));      // 08:10 + 5 min > 08:13
        Assert.Equal(T(8, 10), Arrive(tt, "A", "X", T(7, 55)));      // arriving is not delayed
        Assert.Equal(T(8, 30), Arrive(tt, "X", "D", T(8, 10)));      // starting at X needs no change time
        Assert.Equal(Raptor.Unreachable, Arrive(tt, "A", "D", T(7, 55), maxTransfers: 0));

        using var forbidden = TestFeed.Standard(Stops, TransferTrips, TransferStopTimes, ("transfers.txt", "from_stop_id,to_stop_id,transfer_type,min_transfer_time\nX,X,3,\n"));
        Assert.Equal(Raptor.Unreachable, Arrive(TimetableBuilder.Build(GtfsReader.Read(forbidden.Folder), Monday), "A", "D", T(7, 55)));
    }

    // Line 1 A→P arrives 09:00; line 2 Q→D leaves Q 09:05 and 09:20. P and Q are ~300 m apart.
    private const string WalkTrips = "route_id,service_id,trip_id\nR1,WK,M1\nR2,WK,M2a\nR2,WK,M2b\n";
    private const string WalkStopTimes = "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
        + "M1,08:40:00,08:40:00,A,1\nM1,09:00:00,09:00:00,P,2\n"
        + "M2a,09:05:00,09:05:00,Q,1\nM2a,09:25:00,09:25:00,D,2\n"
        + "M2b,09:20:00,09:20:00,Q,1\nM2b,09:40:00,09:40:00,D,2\n";

    [Fact]
    public void A_transfer_possible_only_by_walking()
    {
        using var feed = TestFeed.Standard(Stops, WalkTrips, WalkStopTimes);
        var f = GtfsReader.Read(feed.Folder);
        double meters = f.Stops[f.FindStop("P")!.Value].Location.DistanceMeters(f.Stops[f.FindStop("Q")!.Value].Location);
        Assert.InRange(meters, 290, 310);

        Assert.Equal(Raptor.Unreachable, Arrive(TimetableBuilder.Build(f, Monday), "A", "D", T(8, 30)));
        // 300 m at 4.8 km/h = 225 s: at Q 09:03:45, in time for 09:05.
        var walking = TimetableBuilder.Build(f, Monday, new TimetableOptions { Walking = new StraightLineWalking() });
        Assert.Equal(T(9, 25), Arrive(walking, "A", "D", T(8, 30)));
        Assert.Equal(T(9, 0) + (int)Math.Round(meters / (4.8 / 3.6)), Arrive(walking, "A", "Q", T(8, 30)));
        // Twice the detour: 450 s, at Q 09:07:30 — only the 09:20 run remains.
        var slow = TimetableBuilder.Build(f, Monday, new TimetableOptions { Walking = new StraightLineWalking(detourFactor: 2) });
        Assert.Equal(T(9, 40), Arrive(slow, "A", "D", T(8, 30)));
        // A timed transfer in transfers.txt replaces the walk: 10 minutes.
        using var timed = TestFeed.Standard(Stops, WalkTrips, WalkStopTimes, ("transfers.txt", "from_stop_id,to_stop_id,transfer_type,min_transfer_time\nP,Q,2,600\n"));
        Assert.Equal(T(9, 40), Arrive(TimetableBuilder.Build(GtfsReader.Read(timed.Folder), Monday, new TimetableOptions { Walking = new StraightLineWalking() }), "A", "D", T(8, 30)));
    }

    [Fact]
    public void Overtaking_trips_are_split_into_fifo_patterns()
    {
        // S1 slow (08:00→09:00), S2 express leaving later but arriving earlier (08:05→08:30) on the same stops.
        const string stopTimes = "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
            + "S1,08:00:00,08:00:00,A,1\nS1,09:00:00,09:00:00,B,2\nS2,08:05:00,08:05:00,A,1\nS2,08:30:00,08:30:00,B,2\n";
        using var feed = TestFeed.Standard(Stops, "route_id,service_id,trip_id\nR1,WK,S1\nR1,WK,S2\n", stopTimes);
        var tt = TimetableBuilder.Build(GtfsReader.Read(feed.Folder), Monday);
        Assert.Equal(2, tt.PatternCount);
        Assert.Equal(T(8, 30), Arrive(tt, "A", "B", T(7, 0)));
    }

    [Fact]
    public void Pickup_and_drop_off_types_are_respected()
    {
        // Trip: A (no pickup) → B → C (no drop-off... last stop regular), B drop-off forbidden.
        const string stopTimes = "trip_id,arrival_time,departure_time,stop_id,stop_sequence,pickup_type,drop_off_type\n"
            + "K1,08:00:00,08:00:00,A,1,1,0\nK1,08:10:00,08:10:00,B,2,0,1\nK1,08:20:00,08:20:00,C,3,0,0\n";
        using var feed = TestFeed.Standard(Stops, "route_id,service_id,trip_id\nR1,WK,K1\n", stopTimes);
        var tt = TimetableBuilder.Build(GtfsReader.Read(feed.Folder), Monday);
        Assert.Equal(Raptor.Unreachable, Arrive(tt, "A", "C", T(7, 0)));
        Assert.Equal(T(8, 20), Arrive(tt, "B", "C", T(7, 0)));
    }
}
