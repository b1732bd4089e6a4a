using System.Diagnostics;
using ServiceReach.Testing;
using ServiceReach.Transit.Gtfs;
using ServiceReach.Transit.Model;

namespace ServiceReach.Transit.Tests;

/// <summary>Shared, loaded-once real feeds (the RNV feed takes a couple of seconds to parse).</summary>
public static class RealFeeds
{
    private static readonly Lazy<GtfsFeed> RnvFeed = new(() => GtfsReader.Read(SharedGeoData.Require("gtfs/rnv-2016/rnv-gtfs.zip")));

    public static GtfsFeed Rnv()
    {
        SharedGeoData.Require("gtfs/rnv-2016/rnv-gtfs.zip");
        return RnvFeed.Value;
    }

    /// <summary>A Tuesday inside the RNV period (2016-10-22 → 2016-12-10).</summary>
    public static readonly DateOnly RnvDate = new(2016, 11, 15);
}

public class RealFeedTests(ITestOutputHelper output)
{
    [Fact]
    public void Rnv_feed_loads_with_the_published_counts()
    {
        var sw = Stopwatch.StartNew();
        var feed = RealFeeds.Rnv();
        output.WriteLine($"loaded in {sw.ElapsedMilliseconds} ms; issues: {feed.Report.Issues.Count}");
        foreach (var i in feed.Report.Issues.Take(10)) output.WriteLine(i.ToString());
        Assert.False(feed.Report.HasFatal);
        Assert.Equal(2057, feed.Stops.Count);
        Assert.Equal(100, feed.Routes.Count);
        Assert.Equal(20636, feed.Trips.Count);
        Assert.Equal(424266, feed.Schedules.Sum(s => s.StopIndices.Length));
        var tt = TimetableBuilder.Build(feed, RealFeeds.RnvDate);
        output.WriteLine($"timetable {RealFeeds.RnvDate}: {tt.TripCount} trips, {tt.PatternCount} patterns");
        Assert.True(tt.TripCount > 3000, $"only {tt.TripCount} trips run on {RealFeeds.RnvDate}");
    }

    [Fact]
    public void Sncb_feed_runs_only_through_calendar_dates()
    {
        var path = SharedGeoData.Require("gtfs/sncb-13-october.zip");
        var feed = GtfsReader.Read(path);
        Assert.False(feed.Report.HasFatal);
        Assert.Equal(2636, feed.Stops.Count);
        Assert.Equal(17776, feed.Trips.Count);
        // All weekday flags are 0: any running service comes from calendar_dates additions.
        Assert.All(feed.Calendars, c => Assert.DoesNotContain(true, c.Weekdays));
        var tuesday = new DateOnly(2019, 10, 8);
        var active = feed.ActiveServices(tuesday);
        Assert.NotEmpty(active);
        Assert.All(active, s => Assert.Contains(feed.CalendarDates, d => d.ServiceId == s && d.Date == tuesday && d.ExceptionType == 1));
        var tt = TimetableBuilder.Build(feed, tuesday);
        output.WriteLine($"SNCB {tuesday}: {active.Count} services, {tt.TripCount} trips, {tt.PatternCount} patterns");
        Assert.True(tt.TripCount > 1000);
        // Outside the period nothing runs.
        Assert.Empty(feed.ActiveServices(new DateOnly(2020, 1, 7)));
    }

    [Fact]
    public void Atb_stops_in_ISO_8859_1_decode_Norwegian_letters()
    {
        var feed = GtfsReader.Read(SharedGeoData.Require("gtfs/atb-region-nord-2019"));
        Assert.False(feed.Report.HasFatal);
        var olsoya = feed.Stops[feed.FindStop("16242135")!.Value];
        Assert.Equal("Olsøya", olsoya.Name);
        Assert.Equal("Hjørundhølen bru", feed.Stops[feed.FindStop("16242167")!.Value].Name);
        Assert.DoesNotContain(feed.Stops, s => s.Name.Contains('\uFFFD', StringComparison.Ordinal) || s.Name.Contains('Ã', StringComparison.Ordinal));
        Assert.Contains(feed.Stops, s => s.Name.Contains('å', StringComparison.Ordinal) || s.Name.Contains('æ', StringComparison.Ordinal));
        Assert.Contains(feed.Report.Issues, i => i.Severity == GtfsIssueSeverity.Info && i.File.EndsWith("stops.txt", StringComparison.Ordinal) && i.Message.Contains("iso-8859-1", StringComparison.Ordinal));
        Assert.Empty(feed.Calendars);
        Assert.NotEmpty(feed.CalendarDates);
    }
}
