using System.Globalization;

namespace ServiceReach.Api.Infrastructure;

/// <summary>
/// Service settings, read from configuration section <c>ServiceReach</c> (appsettings.json, environment variables
/// <c>ServiceReach__Key</c>, command line <c>--ServiceReach:Key=…</c>). The database falls back to <c>SERVICEREACH_DB</c>.
/// </summary>
public sealed record ApiSettings
{
    public const string Section = "ServiceReach";

    /// <summary>Npgsql connection string of the PostGIS store.</summary>
    public required string Database { get; init; }

    /// <summary>OSM extract the street network is built from once at start (cached under <see cref="CacheFolder"/>).</summary>
    public string StreetsOsm { get; init; } = "geodata/demo/streets.osm";

    /// <summary>Optional GTFS feed (zip or folder) for bus+walk reach; empty = no bus.</summary>
    public string? Gtfs { get; init; } = "geodata/demo/gtfs";

    /// <summary>Service date for the timetable (yyyy-MM-dd); empty = first midweek day with service.</summary>
    public string? ServiceDate { get; init; }

    /// <summary>Default bus departure window, e.g. 07:00-09:00.</summary>
    public string BusWindow { get; init; } = "07:00-09:00";

    public string CacheFolder { get; init; } = ".cache";

    /// <summary>Region name used in analysis runs.</summary>
    public string RegionName { get; init; } = "region";

    /// <summary>When true (default) every GET is open; when false reads need an API key too.</summary>
    public bool ReadOpen { get; init; } = true;

    /// <summary>API keys as <c>name:saltHex:sha256Hex</c> entries (see <see cref="ApiKeys.Hash"/>); never the keys themselves.</summary>
    public IReadOnlyList<string> ApiKeys { get; init; } = [];

    /// <summary>Origins allowed by CORS (e.g. https://maps.example.org); empty = no cross-origin access; "*" = any.</summary>
    public IReadOnlyList<string> CorsOrigins { get; init; } = [];

    /// <summary>Largest request body accepted, bytes.</summary>
    public long MaxRequestBytes { get; init; } = 1_000_000;

    /// <summary>Largest page an items or list request may ask for.</summary>
    public int MaxPageSize { get; init; } = 10_000;

    /// <summary>Largest isochrone limit, minutes.</summary>
    public int MaxIsochroneMinutes { get; init; } = 120;

    /// <summary>Fault drills only: hold a background job this long before it saves, so a test can stop the database meanwhile.</summary>
    public int JobHoldBeforeSaveMs { get; init; }

    public static ApiSettings From(IConfiguration configuration)
    {
        var s = configuration.GetSection(Section);
        var db = s["Database"];
        if (string.IsNullOrWhiteSpace(db)) db = Environment.GetEnvironmentVariable("SERVICEREACH_DB");
        if (string.IsNullOrWhiteSpace(db))
        {
            throw new InvalidOperationException(
                "No database configured: set SERVICEREACH_DB (e.g. `eval \"$(scripts/postgis.sh env)\"`) or ServiceReach:Database.");
        }
        var d = new ApiSettings { Database = db };
        return d with
        {
            StreetsOsm = s["StreetsOsm"] ?? d.StreetsOsm,
            Gtfs = s["Gtfs"] ?? d.Gtfs,
            ServiceDate = s["ServiceDate"] ?? d.ServiceDate,
            BusWindow = s["BusWindow"] ?? d.BusWindow,
            CacheFolder = s["CacheFolder"] ?? d.CacheFolder,
            RegionName = s["RegionName"] ?? d.RegionName,
            ReadOpen = s["ReadOpen"] is { } ro ? bool.Parse(ro) : d.ReadOpen,
            ApiKeys = List(s, "ApiKeys", Environment.GetEnvironmentVariable("SERVICEREACH_API_KEYS")),
            CorsOrigins = List(s, "CorsOrigins", null),
            MaxRequestBytes = s["MaxRequestBytes"] is { } mb ? long.Parse(mb, CultureInfo.InvariantCulture) : d.MaxRequestBytes,
            MaxPageSize = s["MaxPageSize"] is { } mp ? int.Parse(mp, CultureInfo.InvariantCulture) : d.MaxPageSize,
            MaxIsochroneMinutes = s["MaxIsochroneMinutes"] is { } mi ? int.Parse(mi, CultureInfo.InvariantCulture) : d.MaxIsochroneMinutes,
            JobHoldBeforeSaveMs = s["JobHoldBeforeSaveMs"] is { } jh ? int.Parse(jh, CultureInfo.InvariantCulture) : 0,
        };
    }

    /// <summary>A list from an array section (Key:0, Key:1 …) or a comma/semicolon separated value, plus an extra env value.</summary>
    private static List<string> List(IConfigurationSection s, string key, string? extra)
    {
        var items = new List<string>();
        var section = s.GetSection(key);
        foreach (var child in section.GetChildren())
        {
            if (!string.IsNullOrWhiteSpace(child.Value)) items.Add(child.Value.Trim());
        }
        foreach (var text in new[] { section.Value, extra })
        {
            if (string.IsNullOrWhiteSpace(text)) continue;
            items.AddRange(text.Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        }
        return items;
    }
}
