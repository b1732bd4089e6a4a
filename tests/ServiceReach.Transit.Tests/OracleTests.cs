using ServiceReach.Testing;
using ServiceReach.Transit.Gtfs;
using ServiceReach.Transit.Model;
using ServiceReach.Transit.Routing;

namespace ServiceReach.Transit.Tests;

/// <summary>The exact answers of ../shared/geodata/README.md (GTFS reference sample feed, service date 2007-01-01; GraphHopper's GtfsIT).</summary>
public class OracleTests
{
    private static readonly Lazy<Timetable> SampleTimetable = new(() =>
    {
        var feed = GtfsReader.Read(SharedGeoData.Require("transit-oracle/google-sample-feed-beatty/sample-feed"));
        // The expectations come from GraphHopper, which adds a frequency trip's stop_times to start_time as they are
        // (CITY2's template leaves EMSI at 0:30, so its 06:00 run leaves EMSI at 06:30 and NADAV at 06:44).
        return TimetableBuilder.Build(feed, new DateOnly(2007, 1, 1), new TimetableOptions { FrequencyStopTimes = FrequencyStopTimes.AddedToStartTime });
    });

    private static Timetable Load()
    {
        SharedGeoData.Require("transit-oracle/google-sample-feed-beatty/sample-feed");
        return SampleTimetable.Value;
    }

    private static int T(int h, int m) => h * 3600 + m * 60;

    private static int TravelTime(Timetable tt, string from, string to, int departure)
        => TransitQueries.EarliestArrival(tt, tt.StopsFor(from), tt.StopsFor(to), departure) - departure;

    [Fact]
    public void NADAV_to_NANAA_departing_midnight_arrives_0649()
        => Assert.Equal(T(6, 49), TransitQueries.EarliestArrival(Load(), Load().StopsFor("NADAV"), Load().StopsFor("NANAA"), 0));

    [Theory]
    [InlineData("NADAV", "NANAA", 6, 54, 0, 25)]
    [InlineData("NADAV", "NANAA", 7, 44, 0, 5)]
    [InlineData("NADAV", "DADAN", 0, 0, 6, 19)]
    [InlineData("STAGECOACH", "NANAA", 0, 0, 6, 5)]
    [InlineData("STAGECOACH", "NADAV", 0, 0, 6, 12)]
    public void Earliest_arrival_travel_times(string from, string to, int depH, int depM, int expH, int expM)
        => Assert.Equal(T(expH, expM), TravelTime(Load(), from, to, T(depH, depM)));

    [Theory]
    [InlineData(6, 49, 0, 5)]
    [InlineData(6, 50, 0, 6)]
    public void Arrive_by_travel_times(int byH, int byM, int expH, int expM)
    {
        var tt = Load();
        int arriveBy = T(byH, byM);
        int departure = TransitQueries.LatestDeparture(tt, tt.StopsFor("NADAV"), tt.StopsFor("NANAA"), arriveBy);
        Assert.Equal(T(expH, expM), arriveBy - departure);
    }

    [Fact]
    public void Range_query_pareto_departures_include_the_first_one_after_the_window()
    {
        var tt = Load();
        var journeys = TransitQueries.ParetoJourneys(tt, tt.StopsFor("NADAV"), tt.StopsFor("NANAA"), T(6, 0), T(10, 0));
        string[] expected = ["06:44", "07:14", "07:44", "08:14", "08:44", "08:54", "09:04", "09:14", "09:24", "09:34", "09:44", "09:54", "10:04"];
        Assert.Equal(expected, journeys.Select(j => Timetable.FormatTime(j.Departure)[..5]).ToArray());
        // Each journey here is one CITY2 ride of five minutes.
        Assert.All(journeys, j => Assert.Equal(300, j.Arrival - j.Departure));
    }

    [Fact]
    public void Range_query_equals_independent_runs_for_every_minute()
    {
        var tt = Load();
        var from = tt.StopsFor("NADAV");
        var to = tt.StopsFor("NANAA");
        var range = TransitQueries.ArrivalsOverWindow(tt, from, to, T(6, 0), T(10, 0));
        Assert.Equal(240, range.Length);
        for (int i = 0; i < range.Length; i++)
        {
            Assert.Equal(TransitQueries.EarliestArrival(tt, from, to, T(6, 0) + 60 * i), range[i]);
        }
    }

    [Fact]
    public void Under_the_GTFS_reference_frequency_reading_CITY2_leaves_its_first_stop_at_start_time()
    {
        // Hand-computed: CITY2's 06:00 run leaves EMSI at 06:00, so NADAV 06:14 (0:44 − 0:30 after) and NANAA 06:19.
        var feed = GtfsReader.Read(SharedGeoData.Require("transit-oracle/google-sample-feed-beatty/sample-feed"));
        var tt = TimetableBuilder.Build(feed, new DateOnly(2007, 1, 1));
        Assert.Equal(T(6, 19), TransitQueries.EarliestArrival(tt, tt.StopsFor("NADAV"), tt.StopsFor("NANAA"), 0));
        Assert.Equal(T(6, 5), TransitQueries.EarliestArrival(tt, tt.StopsFor("STAGECOACH"), tt.StopsFor("NANAA"), 0));
    }
}
