using ServiceReach.Analysis;
using ServiceReach.Routing;
using ServiceReach.Transit.Analysis;
using ServiceReach.Transit.Gtfs;
using ServiceReach.Transit.Model;

namespace ServiceReach.Cli.Pipeline;

/// <summary>A loaded timetable with the walking and window it is analysed with.</summary>
public sealed record BusContext(Timetable Timetable, StreetWalkingAccess Walking, DoorToDoorOptions Options, DateOnly Date, string Feeds)
{
    public IBusReach Reach(Timetable? scenarioTimetable = null, string? label = null)
        => new TransitBusReach(scenarioTimetable ?? Timetable, Walking, Options,
            $"{Date:yyyy-MM-dd} ({Date.DayOfWeek}), departures {Options.WindowStart / 3600:00}:{Options.WindowStart % 3600 / 60:00}–{Options.WindowEnd / 3600:00}:{Options.WindowEnd % 3600 / 60:00} every minute, " +
            $"median with 5th/95th percentiles, {(scenarioTimetable ?? Timetable).StopCount} stops{(label is null ? "" : ", scenario: " + label)}");
}

/// <summary>Builds the bus+walk reach from GTFS feeds, with walking over the same street network as the other modes.</summary>
public static class BusReachFactory
{
    public static BusContext Load(IReadOnlyList<string> gtfsPaths, DateOnly? date, TimeOnly start, TimeOnly end, StreetNetwork network)
    {
        // Several feeds at once (bus + rail): ids are prefixed per feed so they cannot collide.
        var sources = gtfsPaths.Select((p, i) => new GtfsSource(p, gtfsPaths.Count > 1 ? $"f{i + 1}:" : "")).ToArray();
        var feed = GtfsReader.Read(sources);
        var day = date ?? FirstMidweekDayWithService(feed)
                  ?? throw new InvalidDataException($"{string.Join(", ", gtfsPaths)}: no date with service found in calendar.txt or calendar_dates.txt.");
        var walking = new StreetWalkingAccess(network);
        var timetable = TimetableBuilder.Build(feed, day, new TimetableOptions { Walking = walking });
        var options = new DoorToDoorOptions
        {
            WindowStart = start.Hour * 3600 + start.Minute * 60,
            WindowEnd = end.Hour * 3600 + end.Minute * 60,
        };
        return new BusContext(timetable, walking, options, day, string.Join(", ", gtfsPaths.Select(Path.GetFileName)));
    }

    public static IBusReach Create(IReadOnlyList<string> gtfsPaths, DateOnly? date, TimeOnly start, TimeOnly end, StreetNetwork network)
        => Load(gtfsPaths, date, start, end, network).Reach();

    /// <summary>The first Tuesday, Wednesday or Thursday on which any service runs: a typical weekday.</summary>
    public static DateOnly? FirstMidweekDayWithService(GtfsFeed feed)
    {
        var dates = feed.Calendars.SelectMany(c => new[] { c.StartDate, c.EndDate }).Concat(feed.CalendarDates.Select(d => d.Date)).ToList();
        if (dates.Count == 0) return null;
        var first = dates.Min();
        var last = dates.Max();
        for (var d = first; d <= last && d <= first.AddDays(400); d = d.AddDays(1))
        {
            if (d.DayOfWeek is DayOfWeek.Tuesday or DayOfWeek.Wednesday or DayOfWeek.Thursday && feed.ActiveServices(d).Count > 0) return d;
        }
        return null;
    }
}
