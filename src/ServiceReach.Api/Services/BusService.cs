using System.Globalization;
using ServiceReach.Analysis;
using ServiceReach.Api.Infrastructure;
using ServiceReach.Transit.Analysis;
using ServiceReach.Transit.Gtfs;
using ServiceReach.Transit.Model;

namespace ServiceReach.Api.Services;

/// <summary>
/// The bus timetable for one service day (built once, lazily) with walking over the service's street network, so
/// bus+walk reach can be asked for any departure window. Mirrors ServiceReach.Cli's BusReachFactory (which should move
/// to ServiceReach.Analysis so both use one copy).
/// </summary>
public sealed class BusService(ApiSettings settings, StreetService streets)
{
    private readonly Lazy<(Timetable Timetable, StreetWalkingAccess Walking, DateOnly Day)?> _timetable = new(() => Build(settings, streets));

    public bool Available => !string.IsNullOrWhiteSpace(settings.Gtfs) && (File.Exists(settings.Gtfs) || Directory.Exists(settings.Gtfs));

    public (int Start, int End) DefaultWindow
    {
        get
        {
            var parts = settings.BusWindow.Split('-', StringSplitOptions.TrimEntries);
            return (ParseTime(parts[0]), ParseTime(parts[1]));
        }
    }

    /// <summary>Bus reach over a departure window (seconds after midnight), or null when no GTFS is configured.</summary>
    public IBusReach? For(int windowStart, int windowEnd)
    {
        if (!Available || _timetable.Value is not { } t) return null;
        var options = new DoorToDoorOptions { WindowStart = windowStart, WindowEnd = windowEnd };
        return new TransitBusReach(t.Timetable, t.Walking, options,
            $"{t.Day:yyyy-MM-dd} ({t.Day.DayOfWeek}), departures {Hhmm(windowStart)}–{Hhmm(windowEnd)} every minute, median with 5th/95th percentiles");
    }

    public static int ParseTime(string hhmm)
        => TimeOnly.TryParseExact(hhmm, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var t)
            ? t.Hour * 3600 + t.Minute * 60
            : throw new FormatException($"'{hhmm}' is not a time like 07:30.");

    public static string Hhmm(int seconds) => $"{seconds / 3600:00}:{seconds % 3600 / 60:00}";

    private static (Timetable, StreetWalkingAccess, DateOnly)? Build(ApiSettings settings, StreetService streets)
    {
        if (string.IsNullOrWhiteSpace(settings.Gtfs) || !(File.Exists(settings.Gtfs) || Directory.Exists(settings.Gtfs))) return null;
        var feed = GtfsReader.Read([new GtfsSource(settings.Gtfs, "")]);
        var day = string.IsNullOrWhiteSpace(settings.ServiceDate)
            ? FirstMidweekDayWithService(feed) ?? throw new InvalidDataException($"{settings.Gtfs}: no date with service found.")
            : DateOnly.ParseExact(settings.ServiceDate, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        var walking = new StreetWalkingAccess(streets.Network);
        return (TimetableBuilder.Build(feed, day, new TimetableOptions { Walking = walking }), walking, day);
    }

    private static DateOnly? FirstMidweekDayWithService(GtfsFeed feed)
    {
        var dates = feed.Calendars.SelectMany(c => new[] { c.StartDate, c.EndDate }).Concat(feed.CalendarDates.Select(d => d.Date)).ToList();
        if (dates.Count == 0) return null;
        var first = dates.Min();
        for (var d = first; d <= dates.Max() && d <= first.AddDays(400); d = d.AddDays(1))
        {
            if (d.DayOfWeek is DayOfWeek.Tuesday or DayOfWeek.Wednesday or DayOfWeek.Thursday && feed.ActiveServices(d).Count > 0) return d;
        }
        return null;
    }
}
