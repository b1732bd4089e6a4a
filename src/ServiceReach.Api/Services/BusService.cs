using System.Globalization;
using ServiceReach.Analysis;
using ServiceReach.Api.Infrastructure;

namespace ServiceReach.Api.Services;

/// <summary>
/// The bus timetable for one service day (built once, lazily, by <see cref="BusReachFactory"/>) with walking over the
/// service's street network, so bus+walk reach can be asked for any departure window.
/// </summary>
public sealed class BusService(ApiSettings settings, StreetService streets)
{
    private readonly Lazy<BusContext?> _context = new(() => Build(settings, streets));

    public bool Available => !string.IsNullOrWhiteSpace(settings.Gtfs) && (File.Exists(settings.Gtfs) || Directory.Exists(settings.Gtfs));

    public (int Start, int End) DefaultWindow
    {
        get
        {
            var parts = settings.BusWindow.Split('-', StringSplitOptions.TrimEntries);
            return (ParseTime(parts[0]), ParseTime(parts[1]));
        }
    }

    /// <summary>The loaded timetable, or null when no GTFS is configured.</summary>
    public BusContext? Context => Available ? _context.Value : null;

    private BusIsochrones? _isochrones;

    /// <summary>Bus+walk isochrones over a departure window, or null when no GTFS is configured.</summary>
    public BusIsochrones? Isochrones => Context is { } context
        ? LazyInitializer.EnsureInitialized(ref _isochrones, () => new BusIsochrones(context, streets.Network))
        : null;

    /// <summary>Bus reach over a departure window (seconds after midnight), or null when no GTFS is configured.</summary>
    public IBusReach? For(int windowStart, int windowEnd) => Context?.Reach(window: (windowStart, windowEnd));

    public static int ParseTime(string hhmm)
        => TimeOnly.TryParseExact(hhmm, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var t)
            ? t.Hour * 3600 + t.Minute * 60
            : throw new FormatException($"'{hhmm}' is not a time like 07:30.");

    public static string Hhmm(int seconds) => BusContext.Hhmm(seconds);

    private static BusContext? Build(ApiSettings settings, StreetService streets)
    {
        if (string.IsNullOrWhiteSpace(settings.Gtfs) || !(File.Exists(settings.Gtfs) || Directory.Exists(settings.Gtfs))) return null;
        DateOnly? day = string.IsNullOrWhiteSpace(settings.ServiceDate)
            ? null
            : DateOnly.ParseExact(settings.ServiceDate, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        var (start, end) = (settings.BusWindow.Split('-', StringSplitOptions.TrimEntries) is [var a, var b]) ? (a, b) : ("07:00", "09:00");
        return BusReachFactory.Load([settings.Gtfs], day, TimeOnly.ParseExact(start, "HH:mm", CultureInfo.InvariantCulture),
            TimeOnly.ParseExact(end, "HH:mm", CultureInfo.InvariantCulture), streets.Network);
    }
}
