using System.Text.Json;
using System.Text.Json.Serialization;

namespace ServiceReach.Routing;

/// <summary>
/// A travel mode as data: base speed, per-highway speed factors and access/oneway rules. The graph builder evaluates
/// it once per OSM way and stores the resulting forward/backward seconds per edge; routing never looks at tags.
/// Load custom ones with <see cref="FromJson"/>; the built-ins are <see cref="Pedestrian"/>, <see cref="ReducedMobility"/>,
/// <see cref="Bicycle"/> and <see cref="EBike"/>.
/// </summary>
public sealed record Profile
{
    /// <summary>Unique name used to pick a router (<c>network.For("bicycle")</c>).</summary>
    public required string Name { get; init; }

    /// <summary>Speed on a way with factor 1, in km/h.</summary>
    public required double SpeedKmh { get; init; }

    /// <summary>
    /// highway=* value → factor applied to <see cref="SpeedKmh"/>. A value not listed is not routable unless the
    /// profile's own access key explicitly allows it (then <see cref="ExplicitlyAllowedFactor"/> applies).
    /// Factors below 1 on busy roads without cycle infrastructure are how the bicycle profiles "prefer cycleways":
    /// costs stay seconds, but seconds at a lower realistic speed.
    /// </summary>
    public required Dictionary<string, double> HighwayFactors { get; init; }

    /// <summary>Access keys from most to least specific, e.g. ["foot", "access"]. The first key present on the way decides.</summary>
    public IReadOnlyList<string> AccessKeys { get; init; } = ["access"];

    /// <summary>Access value → speed factor; 0 = forbidden (no, private). Values not listed (yes, designated, permissive, destination…) allow with factor 1.</summary>
    public Dictionary<string, double> AccessValueFactors { get; init; } = new() { ["no"] = 0, ["private"] = 0 };

    /// <summary>Factor for a highway not in <see cref="HighwayFactors"/> when the first access key says yes/designated/permissive (0 = never).</summary>
    public double ExplicitlyAllowedFactor { get; init; }

    /// <summary>Highway values that are allowed only when the way has a cycleway tag (cycleway, cycleway:left/right/both) other than no/separate.</summary>
    public IReadOnlyList<string> HighwaysNeedingCycleway { get; init; } = [];

    /// <summary>Speed factor for a way allowed through <see cref="HighwaysNeedingCycleway"/>.</summary>
    public double CyclewayOnBusyRoadFactor { get; init; } = 1.0;

    /// <summary>Whether oneway rules apply at all.</summary>
    public bool RespectOneway { get; init; }

    /// <summary>Oneway keys from most to least specific (first present decides): e.g. ["oneway:bicycle", "oneway"].</summary>
    public IReadOnlyList<string> OnewayKeys { get; init; } = [];

    /// <summary>Tags ("key=value") that make the way oneway when no oneway key is present (junction=roundabout).</summary>
    public IReadOnlyList<string> ImpliedOnewayTags { get; init; } = [];

    /// <summary>Tags ("key=value") that lift a general oneway for this mode (cycleway=opposite…); ignored when the first oneway key is profile-specific and present.</summary>
    public IReadOnlyList<string> OnewayExceptionTags { get; init; } = [];

    /// <summary>Tags ("key=value") that exclude the way (e.g. tracktype=grade4 for reduced mobility).</summary>
    public IReadOnlyList<string> ExcludedTags { get; init; } = [];

    /// <summary>Ferry routes (route=ferry) are used when set: the waiting time in seconds added per ferry crossing.</summary>
    public double? FerryWaitSeconds { get; init; }

    /// <summary>Speed on a ferry in km/h.</summary>
    public double FerrySpeedKmh { get; init; } = 10;

    /// <summary>Speed in metres per second.</summary>
    [JsonIgnore]
    public double SpeedMetersPerSecond => SpeedKmh / 3.6;

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = false,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>Reads a profile from JSON (camelCase property names); throws a clear error on bad input.</summary>
    public static Profile FromJson(string json)
    {
        Profile? p;
        try
        {
            p = JsonSerializer.Deserialize<Profile>(json, JsonOptions);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"Invalid profile JSON at line {ex.LineNumber + 1}, position {ex.BytePositionInLine}: {ex.Message}", ex);
        }
        if (p is null) throw new FormatException("Profile JSON is null.");
        p.Validate();
        return p;
    }

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Name)) throw new FormatException("Profile has no name.");
        if (!(SpeedKmh > 0) || double.IsInfinity(SpeedKmh)) throw new FormatException($"Profile '{Name}': speedKmh must be positive, got {SpeedKmh}.");
        foreach (var (k, v) in HighwayFactors)
            if (!(v >= 0) || double.IsInfinity(v)) throw new FormatException($"Profile '{Name}': highway factor for '{k}' must be ≥ 0, got {v}.");
        if (FerryWaitSeconds is < 0) throw new FormatException($"Profile '{Name}': ferryWaitSeconds must be ≥ 0.");
        if (!(FerrySpeedKmh > 0)) throw new FormatException($"Profile '{Name}': ferrySpeedKmh must be positive.");
    }

    private static Dictionary<string, double> WalkHighways() => new()
    {
        ["primary"] = 1, ["primary_link"] = 1, ["secondary"] = 1, ["secondary_link"] = 1, ["tertiary"] = 1, ["tertiary_link"] = 1,
        ["unclassified"] = 1, ["residential"] = 1, ["living_street"] = 1, ["service"] = 1, ["services"] = 1, ["road"] = 1,
        ["track"] = 1, ["path"] = 1, ["footway"] = 1, ["pedestrian"] = 1, ["steps"] = 1, ["cycleway"] = 1, ["bridleway"] = 1,
        ["byway"] = 1, ["corridor"] = 1, ["elevator"] = 1, ["platform"] = 1,
    };

    /// <summary>Walking at 4.8 km/h on every highway except motorways and trunks; respects foot/access; no oneway.</summary>
    public static Profile Pedestrian { get; } = new()
    {
        Name = "pedestrian",
        SpeedKmh = 4.8,
        HighwayFactors = WalkHighways(),
        AccessKeys = ["foot", "access"],
        AccessValueFactors = new() { ["no"] = 0, ["private"] = 0, ["use_sidepath"] = 0 },
        ExplicitlyAllowedFactor = 1,
        RespectOneway = true,
        OnewayKeys = ["oneway:foot"],
    };

    /// <summary>Walking with reduced mobility at 3 km/h: no steps, no rough tracks or paths.</summary>
    public static Profile ReducedMobility { get; } = Pedestrian with
    {
        Name = "reduced-mobility",
        SpeedKmh = 3.0,
        HighwayFactors = RemoveKeys(WalkHighways(), "steps", "bridleway", "byway"),
        ExplicitlyAllowedFactor = 0,
        ExcludedTags =
        [
            "highway=steps", "tracktype=grade3", "tracktype=grade4", "tracktype=grade5", "surface=sand", "surface=mud",
            "surface=dirt", "surface=earth", "surface=ground", "surface=grass", "surface=gravel", "surface=pebblestone",
            "smoothness=bad", "smoothness=very_bad", "smoothness=horrible", "smoothness=very_horrible", "smoothness=impassable",
            "sac_scale=mountain_hiking", "wheelchair=no",
        ],
    };

    private static Dictionary<string, double> BikeHighways() => new()
    {
        ["cycleway"] = 1.0, ["primary"] = 0.8, ["primary_link"] = 0.8, ["secondary"] = 0.85, ["secondary_link"] = 0.85,
        ["tertiary"] = 0.9, ["tertiary_link"] = 0.9, ["unclassified"] = 0.95, ["residential"] = 0.95, ["living_street"] = 0.6,
        ["service"] = 0.9, ["road"] = 0.9, ["track"] = 0.8, ["path"] = 0.8, ["bridleway"] = 0.6,
        ["pedestrian"] = 0.4, ["footway"] = 0.3, ["steps"] = 0.1,
    };

    /// <summary>Cycling at 15 km/h: oneway and oneway:bicycle, bicycle=no excluded, bicycle=dismount at walking pace, no motorway; trunks only with a cycleway.</summary>
    public static Profile Bicycle { get; } = new()
    {
        Name = "bicycle",
        SpeedKmh = 15,
        HighwayFactors = BikeHighways(),
        AccessKeys = ["bicycle", "vehicle", "access"],
        AccessValueFactors = new() { ["no"] = 0, ["private"] = 0, ["use_sidepath"] = 0, ["dismount"] = 0.3 },
        ExplicitlyAllowedFactor = 0.9,
        HighwaysNeedingCycleway = ["trunk", "trunk_link"],
        CyclewayOnBusyRoadFactor = 0.8,
        RespectOneway = true,
        OnewayKeys = ["oneway:bicycle", "oneway"],
        ImpliedOnewayTags = ["junction=roundabout", "junction=circular", "highway=motorway", "highway=motorway_link"],
        OnewayExceptionTags =
        [
            "cycleway=opposite", "cycleway=opposite_lane", "cycleway=opposite_track", "cycleway:left=opposite_lane",
            "cycleway:right=opposite_lane", "cycleway:left=opposite_track", "cycleway:right=opposite_track",
        ],
    };

    /// <summary>Pedelec at 22 km/h with the bicycle rules.</summary>
    public static Profile EBike { get; } = Bicycle with { Name = "e-bike", SpeedKmh = 22 };

    /// <summary>The four built-in profiles.</summary>
    public static IReadOnlyList<Profile> BuiltIn { get; } = [Pedestrian, ReducedMobility, Bicycle, EBike];

    private static Dictionary<string, double> RemoveKeys(Dictionary<string, double> d, params string[] keys)
    {
        foreach (var k in keys) d.Remove(k);
        return d;
    }

    /// <summary>
    /// Speed factors for travelling along (forward) and against (backward) the way's node order; 0 = not allowed.
    /// <paramref name="tag"/> returns a tag value or null.
    /// </summary>
    internal (double Forward, double Backward) Evaluate(Func<string, string?> tag)
    {
        var highway = tag("highway");
        if (highway is null) return (0, 0);
        foreach (var t in ExcludedTags)
            if (HasTag(tag, t)) return (0, 0);

        string? access = null;
        int accessKeyIndex = -1;
        for (int i = 0; i < AccessKeys.Count; i++)
        {
            access = tag(AccessKeys[i]);
            if (access is not null) { accessKeyIndex = i; break; }
        }
        double factor;
        // The mode's own key saying yes/designated (bicycle=yes on a footway) lifts a low highway factor.
        bool explicitlyAllowed = accessKeyIndex >= 0 && accessKeyIndex < AccessKeys.Count - 1 && IsExplicitYes(access) && ExplicitlyAllowedFactor > 0;
        if (HighwayFactors.TryGetValue(highway, out var f) && f > 0)
        {
            factor = explicitlyAllowed ? Math.Max(f, ExplicitlyAllowedFactor) : f;
        }
        else if (HighwaysNeedingCycleway.Contains(highway) && HasCycleway(tag))
        {
            factor = CyclewayOnBusyRoadFactor;
        }
        else if (explicitlyAllowed && highway is not ("proposed" or "construction" or "abandoned" or "disused" or "razed"))
        {
            factor = ExplicitlyAllowedFactor;
        }
        else
        {
            return (0, 0);
        }
        if (access is not null)
        {
            var first = access.Split(';')[0].Trim();
            if (AccessValueFactors.TryGetValue(first, out var af)) factor *= af;
        }
        if (factor <= 0) return (0, 0);

        if (!RespectOneway) return (factor, factor);
        string? oneway = null;
        int onewayKeyIndex = -1;
        for (int i = 0; i < OnewayKeys.Count; i++)
        {
            oneway = tag(OnewayKeys[i]);
            if (oneway is not null) { onewayKeyIndex = i; break; }
        }
        int direction = 0; // 0 both, 1 forward only, -1 backward only
        if (oneway is not null)
        {
            direction = oneway switch { "yes" or "true" or "1" => 1, "-1" or "reverse" => -1, _ => 0 };
            // A mode-specific key (oneway:bicycle) beats the exceptions; the general key can be lifted by them.
            if (direction != 0 && onewayKeyIndex == OnewayKeys.Count - 1 && OnewayKeys.Count > 1)
                foreach (var t in OnewayExceptionTags)
                    if (HasTag(tag, t)) { direction = 0; break; }
        }
        else
        {
            foreach (var t in ImpliedOnewayTags)
                if (HasTag(tag, t)) { direction = 1; break; }
            if (direction != 0)
                foreach (var t in OnewayExceptionTags)
                    if (HasTag(tag, t)) { direction = 0; break; }
        }
        return direction switch { 1 => (factor, 0), -1 => (0, factor), _ => (factor, factor) };
    }

    private static bool IsExplicitYes(string? v) => v is "yes" or "designated" or "permissive" or "official";

    private static bool HasCycleway(Func<string, string?> tag)
    {
        foreach (var k in new[] { "cycleway", "cycleway:both", "cycleway:left", "cycleway:right" })
        {
            var v = tag(k);
            if (v is not null && v != "no" && v != "separate" && v != "none") return true;
        }
        return false;
    }

    private static bool HasTag(Func<string, string?> tag, string keyEqualsValue)
    {
        int eq = keyEqualsValue.IndexOf('=');
        if (eq < 0) return tag(keyEqualsValue) is not null;
        return tag(keyEqualsValue[..eq]) == keyEqualsValue[(eq + 1)..];
    }
}
