using ServiceReach.Routing;
using ServiceReach.Transit.Analysis;
using ServiceReach.Transit.Gtfs;
using ServiceReach.Transit.Model;

namespace ServiceReach.Analysis;

/// <summary>A loaded one-day timetable with the street walking and the departure window it is analysed with.</summary>
public sealed record BusContext(Timetable Timetable, StreetWalkingAccess Walking, DoorToDoorOptions Options, DateOnly Date, string Feeds)
{
    /// <summary>Bus+walk reach over the context's window, or another window (seconds after midnight), or a scenario timetable.</summary>
    public IBusReach Reach(Timetable? scenarioTimetable = null, string? label = null, (int Start, int End)? window = null)
    {
        var options = window is { } w ? Options with { WindowStart = w.Start, WindowEnd = w.End } : Options;
        return new TransitBusReach(scenarioTimetable ?? Timetable, Walking, options,
            $"{Date:yyyy-MM-dd} ({Date.DayOfWeek}), departures {Hhmm(options.WindowStart)}–{Hhmm(options.WindowEnd)} every minute, " +
            $"median with 5th/95th percentiles, {(scenarioTimetable ?? Timetable).StopCount} stops{(label is null ? "" : ", scenario: " + label)}");
    }

    public static string Hhmm(int seconds) => $"{seconds / 3600:00}:{seconds % 3600 / 60:00}";
}

/// <summary>Builds the bus+walk reach from GTFS feeds, with walking over the same street network as the other modes (used by the CLI and the service).</summary>
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
