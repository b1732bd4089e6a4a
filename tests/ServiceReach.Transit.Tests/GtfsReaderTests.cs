using System.Text;
using ServiceReach.Transit.Gtfs;
using ServiceReach.Transit.Model;

namespace ServiceReach.Transit.Tests;

public class GtfsReaderTests
{
    private const string Stops = "stop_id,stop_name,stop_lat,stop_lon\nS1,Eerste,51.00,4.00\nS2,Tweede,51.02,4.00\nS3,Derde,51.04,4.00\n";
    private const string Trips = "route_id,service_id,trip_id\nR1,WK,T1\nR1,WK,T2\n";
    private const string StopTimes = "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
        + "T1,08:00:00,08:00:00,S1,1\nT1,08:10:00,08:11:00,S2,2\nT1,08:20:00,08:20:00,S3,3\n"
        + "T2,09:00:00,09:00:00,S1,1\nT2,09:10:00,09:10:00,S2,2\nT2,09:20:00,09:20:00,S3,3\n";

    [Theory]
    [InlineData("08:05:09", 8 * 3600 + 5 * 60 + 9)]
    [InlineData("7:05:09", 7 * 3600 + 5 * 60 + 9)]
    [InlineData("25:30:00", 25 * 3600 + 30 * 60)]
    [InlineData("", -1)]
    [InlineData("24:60:00", -2)]
    [InlineData("8:6o:00", -2)]
    [InlineData("08:05", -2)]
    public void Parses_times_including_past_midnight(string text, int expected) => Assert.Equal(expected, GtfsReader.ParseTime(text));

    [Fact]
    public void Reads_a_folder_and_the_same_feed_zipped_with_unknown_files_ignored()
    {
        using var feed = TestFeed.Standard(Stops, Trips, StopTimes, ("shapes_extra_vendor.txt", "x,y\n1,2\n"), ("fare_rules.txt", "fare_id\nf\n"));
        var fromFolder = GtfsReader.Read(feed.Folder);
        var fromZip = GtfsReader.Read(feed.Zip());
        foreach (var f in new[] { fromFolder, fromZip })
        {
            Assert.Empty(f.Report.Issues);
            Assert.Equal(3, f.Stops.Count);
            Assert.Equal(2, f.Schedules.Count);
            Assert.Equal([8 * 3600, 8 * 3600 + 600, 8 * 3600 + 1200], f.Schedules[0].ArrivalSeconds);
            Assert.Equal(8 * 3600 + 660, f.Schedules[0].DepartureSeconds[1]);
        }
    }

    [Fact]
    public void Missing_required_file_is_fatal_and_named()
    {
        using var feed = TestFeed.Standard(Stops, Trips, StopTimes);
        feed.Delete("stop_times.txt");
        var ex = Assert.Throws<GtfsImportException>(() => GtfsReader.Read(feed.Folder));
        Assert.Contains(ex.Report.Fatal, i => i.File.EndsWith("stop_times.txt", StringComparison.Ordinal));
        Assert.Contains("stop_times.txt", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_both_calendar_files_is_fatal()
    {
        using var feed = TestFeed.Standard(Stops, Trips, StopTimes);
        feed.Delete("calendar.txt");
        var ex = Assert.Throws<GtfsImportException>(() => GtfsReader.Read(feed.Folder));
        Assert.Contains(ex.Report.Fatal, i => i.Message.Contains("calendar_dates.txt", StringComparison.Ordinal));
    }

    [Fact]
    public void Missing_required_column_is_fatal_and_names_file_and_header_line()
    {
        using var feed = TestFeed.Standard(Stops, "route_id,trip_id\nR1,T1\n", StopTimes);
        var ex = Assert.Throws<GtfsImportException>(() => GtfsReader.Read(feed.Folder));
        var issue = Assert.Single(ex.Report.Fatal);
        Assert.EndsWith("trips.txt", issue.File, StringComparison.Ordinal);
        Assert.Equal(1, issue.Line);
        Assert.Contains("service_id", issue.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_and_decreasing_times_skip_only_that_trip_and_name_the_line()
    {
        const string stopTimes = "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
            + "T1,08:00:00,08:00:00,S1,1\nT1,08:1O:00,08:10:00,S2,2\nT1,08:20:00,08:20:00,S3,3\n"   // line 3: letter O in the time
            + "T2,09:00:00,09:00:00,S1,1\nT2,08:50:00,08:50:00,S2,2\nT2,09:20:00,09:20:00,S3,3\n"   // line 6: runs backwards
            + "T3,10:00:00,10:00:00,S1,1\nT3,10:10:00,10:10:00,S3,2\n";
        using var feed = TestFeed.Standard(Stops, Trips + "R1,WK,T3\n", stopTimes);
        var f = GtfsReader.Read(feed.Folder);
        Assert.False(f.Report.HasFatal);
        var issues = f.Report.Recoverable.ToList();
        Assert.Contains(issues, i => i.File.EndsWith("stop_times.txt", StringComparison.Ordinal) && i.Line == 3 && i.Message.Contains("T1", StringComparison.Ordinal));
        Assert.Contains(issues, i => i.File.EndsWith("stop_times.txt", StringComparison.Ordinal) && i.Line == 6 && i.Message.Contains("decrease", StringComparison.Ordinal));
        var schedule = Assert.Single(f.Schedules);
        Assert.Equal("T3", f.Trips[schedule.TripIndex].Id);
    }

    [Fact]
    public void Stop_without_coordinates_is_skipped_with_its_trips()
    {
        const string stops = "stop_id,stop_name,stop_lat,stop_lon\nS1,Eerste,51.00,4.00\nS2,Tweede,,\nS3,Derde,51.04,4.00\n";
        using var feed = TestFeed.Standard(stops, Trips, StopTimes);
        var f = GtfsReader.Read(feed.Folder);
        Assert.Contains(f.Report.Recoverable, i => i.File.EndsWith("stops.txt", StringComparison.Ordinal) && i.Line == 3 && i.Message.Contains("S2", StringComparison.Ordinal));
        Assert.Equal(2, f.Stops.Count);
        Assert.Empty(f.Schedules);
        Assert.Contains(f.Report.Recoverable, i => i.File.EndsWith("stop_times.txt", StringComparison.Ordinal) && i.Line == 3);
    }

    [Fact]
    public void Missing_intermediate_times_are_interpolated()
    {
        const string stopTimes = "trip_id,arrival_time,departure_time,stop_id,stop_sequence\nT1,08:00:00,08:00:00,S1,1\nT1,,,S2,2\nT1,08:20:00,08:20:00,S3,3\n";
        using var feed = TestFeed.Standard(Stops, "route_id,service_id,trip_id\nR1,WK,T1\n", stopTimes);
        var f = GtfsReader.Read(feed.Folder);
        Assert.Equal(8 * 3600 + 600, f.Schedules.Single().ArrivalSeconds[1]);
    }

    [Fact]
    public void Utf8_with_bom_reads_header_and_accents()
    {
        using var feed = TestFeed.Standard(Stops, Trips, StopTimes);
        var bytes = new UTF8Encoding(true).GetPreamble().Concat(Encoding.UTF8.GetBytes("stop_id,stop_name,stop_lat,stop_lon\nS1,Café Sint-Amands,51.00,4.00\nS2,Tweede,51.02,4.00\nS3,Derde,51.04,4.00\n")).ToArray();
        feed.WriteBytes("stops.txt", bytes);
        var f = GtfsReader.Read(feed.Folder);
        Assert.Empty(f.Report.Issues);
        Assert.Equal("Café Sint-Amands", f.Stops[0].Name);
        Assert.Equal("S1", f.Stops[0].Id);
    }

    [Fact]
    public void Latin1_is_detected_and_a_declared_encoding_wins()
    {
        using var feed = TestFeed.Standard(Stops, Trips, StopTimes);
        feed.WriteBytes("stops.txt", Encoding.Latin1.GetBytes("stop_id,stop_name,stop_lat,stop_lon\nS1,Søndre Øy på Ærø,51.00,4.00\nS2,Tweede,51.02,4.00\nS3,Derde,51.04,4.00\n"));
        var detected = GtfsReader.Read(feed.Folder);
        Assert.Equal("Søndre Øy på Ærø", detected.Stops[0].Name);
        Assert.Contains(detected.Report.Issues, i => i.Severity == GtfsIssueSeverity.Info && i.Message.Contains("iso-8859-1", StringComparison.Ordinal));

        // Valid UTF-8 bytes of "Ã¸" would be read as UTF-8 unless Latin-1 is declared for the file.
        feed.WriteBytes("stops.txt", Encoding.UTF8.GetBytes("stop_id,stop_name,stop_lat,stop_lon\nS1,ø,51.00,4.00\nS2,Tweede,51.02,4.00\nS3,Derde,51.04,4.00\n"));
        var declared = GtfsReader.Read(new GtfsSource(feed.Folder, DeclaredEncodings: new Dictionary<string, Encoding> { ["stops.txt"] = Encoding.Latin1 }));
        Assert.Equal("Ã¸", declared.Stops[0].Name);
        Assert.Equal("ø", GtfsReader.Read(feed.Folder).Stops[0].Name);
    }

    [Fact]
    public void Several_feeds_merge_with_prefixed_ids()
    {
        using var feed = TestFeed.Standard(Stops, Trips, StopTimes);
        var f = GtfsReader.Read(new GtfsSource(feed.Folder, "bus:"), new GtfsSource(feed.Zip(), "rail:"));
        Assert.Equal(6, f.Stops.Count);
        Assert.Equal(4, f.Schedules.Count);
        Assert.NotNull(f.FindStop("bus:S1"));
        Assert.NotNull(f.FindStop("rail:S1"));
        Assert.Null(f.FindStop("S1"));
        Assert.Equal("rail:WK", f.Trips[f.FindTrip("rail:T2")!.Value].ServiceId);
        var tt = TimetableBuilder.Build(f, new DateOnly(2024, 1, 2));
        Assert.Equal(4, tt.TripCount);
        Assert.Equal(8 * 3600 + 1200, Routing.TransitQueries.EarliestArrival(tt, [tt.RequireStop("rail:S1")], [tt.RequireStop("rail:S3")], 7 * 3600));
        // The feeds' stops coincide but no walking was configured: no way across.
        Assert.Equal(Routing.Raptor.Unreachable, Routing.TransitQueries.EarliestArrival(tt, [tt.RequireStop("rail:S1")], [tt.RequireStop("bus:S3")], 7 * 3600));
    }

    [Fact]
    public void Parent_stations_link_their_platforms()
    {
        const string stops = "stop_id,stop_name,stop_lat,stop_lon,location_type,parent_station\n"
            + "ST,Station,51.00,4.00,1,\nP1,Perron 1,51.0001,4.00,0,ST\nP2,Perron 2,51.0002,4.00,0,ST\nS3,Derde,51.04,4.00,0,\nX,Wees,51.05,4.00,0,NOPE\n";
        const string stopTimes = "trip_id,arrival_time,departure_time,stop_id,stop_sequence\nT1,08:00:00,08:00:00,P2,1\nT1,08:20:00,08:20:00,S3,2\n";
        using var feed = TestFeed.Standard(stops, "route_id,service_id,trip_id\nR1,WK,T1\n", stopTimes);
        var f = GtfsReader.Read(feed.Folder);
        Assert.Contains(f.Report.Recoverable, i => i.Message.Contains("NOPE", StringComparison.Ordinal));
        var tt = TimetableBuilder.Build(f, new DateOnly(2024, 1, 2));
        Assert.Equal([tt.RequireStop("P1"), tt.RequireStop("P2")], tt.StopsFor("ST"));
        Assert.Equal(8 * 3600 + 1200, Routing.TransitQueries.EarliestArrival(tt, tt.StopsFor("ST"), tt.StopsFor("S3"), 7 * 3600));
    }

    [Fact]
    public void Stop_times_at_a_station_skip_the_trip()
    {
        const string stops = "stop_id,stop_name,stop_lat,stop_lon,location_type,parent_station\nST,Station,51.00,4.00,1,\nS2,Tweede,51.02,4.00,0,\nS3,Derde,51.04,4.00,0,\n";
        const string stopTimes = "trip_id,arrival_time,departure_time,stop_id,stop_sequence\nT1,08:00:00,08:00:00,ST,1\nT1,08:10:00,08:10:00,S2,2\n"
            + "T2,08:00:00,08:00:00,S2,1\nT2,08:10:00,08:10:00,S3,2\n";
        using var feed = TestFeed.Standard(stops, Trips, stopTimes);
        var f = GtfsReader.Read(feed.Folder);
        Assert.Contains(f.Report.Recoverable, i => i.File.EndsWith("stop_times.txt", StringComparison.Ordinal) && i.Line == 2 && i.Message.Contains("location_type 1", StringComparison.Ordinal));
        Assert.Equal("T2", f.Trips[Assert.Single(f.Schedules).TripIndex].Id);
    }
}
