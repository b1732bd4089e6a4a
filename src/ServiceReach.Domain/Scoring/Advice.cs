using System.Globalization;

namespace ServiceReach.Domain.Scoring;

/// <summary>The answers domain.md §6 names, plus "nothing needed".</summary>
public enum InterventionKind
{
    NothingNeeded,
    Dorpspunt,
    Buurtkar,
    MobieleDienst,
    MobilityLink,
}

/// <summary>Thresholds of the advice rules (configuration; defaults documented in docs/scoring.md).</summary>
public sealed record AdviceSettings
{
    /// <summary>A dorpspunt needs a kern of at least this many residents ("hundreds or more").</summary>
    public int DorpspuntMinResidents { get; init; } = 300;

    /// <summary>… that misses at least this many daily categories within walking distance.</summary>
    public int DorpspuntMinMissingDaily { get; init; } = 2;

    /// <summary>A buurtkar serves kernen smaller than this that lack a food shop within walking distance …</summary>
    public int BuurtkarMaxResidents { get; init; } = 300;

    /// <summary>… and lie within this distance (straight line, metres) of another such kern, so one tour serves several.</summary>
    public double BuurtkarClusterMeters { get; init; } = 6000;

    /// <summary>Categories that count as "food" for the buurtkar rule.</summary>
    public IReadOnlyList<string> FoodCategories { get; init; } = ["bakery", "butcher", "food_shop", "supermarket"];
}

/// <summary>Advice for one kern: a primary intervention, others worth considering, and the reasons in plain language.</summary>
public sealed record KernAdvice(
    long KernId,
    string KernName,
    InterventionKind Primary,
    IReadOnlyList<InterventionKind> AlsoConsider,
    IReadOnlyList<string> MissingWithinWalking,
    IReadOnlyList<string> Reasons);

/// <summary>
/// Rule-based intervention advice (domain.md §6). Rules are applied in order dorpspunt → buurtkar → mobiele dienst →
/// mobility link; the first that applies is the primary advice, later ones that also apply are listed to consider.
/// Every advice states its reasons: residents, missing categories, current best times, nearest provider kern.
/// </summary>
public static class AdviceEngine
{
    public static IReadOnlyList<KernAdvice> Advise(
        IReadOnlyList<Place> kernen, ReachTable reach, ServiceCatalogue catalogue, AdviceSettings settings)
    {
        var names = kernen.ToDictionary(k => k.Id, k => k.Name);
        var missingByKern = new Dictionary<long, List<string>>();
        foreach (var k in kernen) missingByKern[k.Id] = MissingWithinWalking(k.Id, reach, catalogue);

        bool LacksFood(Place k)
        {
            foreach (var f in settings.FoodCategories)
            {
                if (reach.Categories.Contains(f) && !missingByKern[k.Id].Contains(f)) return false;
            }
            return true;
        }

        var result = new List<KernAdvice>(kernen.Count);
        foreach (var k in kernen)
        {
            var missing = missingByKern[k.Id];
            var applies = new List<InterventionKind>();
            var reasons = new List<string>();
            var who = $"{k.Name} ({k.Population.ToString("N0", CultureInfo.InvariantCulture)} residents, {k.Population65Plus.ToString("N0", CultureInfo.InvariantCulture)} aged 65+{(k.Population65IsAssumed ? ", estimated" : "")})";

            if (missing.Count == 0)
            {
                result.Add(new KernAdvice(k.Id, k.Name, InterventionKind.NothingNeeded, [], missing,
                    [$"{who} has every category of the catalogue within walking distance."]));
                continue;
            }

            var missingDaily = missing.Where(c => catalogue[c].Need == NeedFrequency.Daily).ToList();
            var missingOther = missing.Where(c => catalogue[c].Need != NeedFrequency.Daily).ToList();

            if (k.Population >= settings.DorpspuntMinResidents && missingDaily.Count >= settings.DorpspuntMinMissingDaily)
            {
                applies.Add(InterventionKind.Dorpspunt);
                reasons.Add($"Dorpspunt: {who} misses {missingDaily.Count} daily services within walking distance: {Describe(k.Id, missingDaily, reach, catalogue, names)}. " +
                            $"A kern of this size can carry a fixed point bundling shop, post point, ATM and meeting place.");
            }

            if (k.Population < settings.BuurtkarMaxResidents && LacksFood(k))
            {
                var partners = kernen.Where(o => o.Id != k.Id && o.Population < settings.BuurtkarMaxResidents && LacksFood(o)
                                                 && Geo.HaversineMeters(k.Lon, k.Lat, o.Lon, o.Lat) <= settings.BuurtkarClusterMeters)
                                     .Select(o => o.Name).Order(StringComparer.Ordinal).ToList();
                if (partners.Count > 0)
                {
                    applies.Add(InterventionKind.Buurtkar);
                    reasons.Add($"Buurtkar: {who} has no food shop within walking distance ({Describe(k.Id, settings.FoodCategories.Where(reach.Categories.Contains).ToList(), reach, catalogue, names)}), " +
                                $"and neither do nearby small kernen {string.Join(", ", partners)} (within {settings.BuurtkarClusterMeters / 1000:0.#} km): one tour can serve them together.");
                }
            }

            if (k.Population < settings.DorpspuntMinResidents && missingOther.Count > 0 || (applies.Count == 0 && missingOther.Count > 0 && missingDaily.Count == 0))
            {
                applies.Add(InterventionKind.MobieleDienst);
                reasons.Add($"Mobiele dienst: {who} misses weekly or occasional services within walking distance: {Describe(k.Id, missingOther, reach, catalogue, names)}. Visits on fixed days can bring them.");
            }

            var transportGaps = new List<string>();
            foreach (var c in missing)
            {
                var bike = reach.Get(k.Id, c, Mode.Bike);
                var bus = reach.Get(k.Id, c, Mode.BusWalk);
                var byBike = reach.Has(Mode.Bike) && bike.Seconds <= catalogue.ThresholdFor(c, Mode.Bike).Seconds;
                var byBus = reach.Has(Mode.BusWalk) && bus.Seconds <= catalogue.ThresholdFor(c, Mode.BusWalk).Seconds;
                if (byBike && !byBus) transportGaps.Add(c);
            }
            if (transportGaps.Count > 0)
            {
                applies.Add(InterventionKind.MobilityLink);
                reasons.Add($"Mobility link: {string.Join(", ", transportGaps.Select(c => catalogue[c].NameEn.ToLowerInvariant()))} exist within cycling reach " +
                            $"({Describe(k.Id, transportGaps, reach, catalogue, names, Mode.Bike)}) but not by bus within the threshold: for residents without a bike the gap is transport, not the service.");
            }

            if (applies.Count == 0)
            {
                reasons.Add($"{who} misses {Describe(k.Id, missing, reach, catalogue, names)} within walking distance, but no rule asks for an intervention: " +
                            "the services are reachable by bike or bus within the thresholds.");
                result.Add(new KernAdvice(k.Id, k.Name, InterventionKind.NothingNeeded, [], missing, reasons));
            }
            else
            {
                result.Add(new KernAdvice(k.Id, k.Name, applies[0], applies.Skip(1).ToList(), missing, reasons));
            }
        }
        return result;
    }

    /// <summary>Categories whose nearest service is beyond the walking threshold (or unknown).</summary>
    public static List<string> MissingWithinWalking(long placeId, ReachTable reach, ServiceCatalogue catalogue)
    {
        var missing = new List<string>();
        if (!reach.Has(Mode.Walk)) return missing;
        foreach (var c in reach.Categories)
        {
            if (reach.Get(placeId, c, Mode.Walk).Seconds > catalogue.ThresholdFor(c, Mode.Walk).Seconds) missing.Add(c);
        }
        return missing;
    }

    private static string Describe(long placeId, IReadOnlyList<string> cats, ReachTable reach, ServiceCatalogue catalogue,
        IReadOnlyDictionary<long, string> kernNames, Mode? only = null)
    {
        var parts = new List<string>();
        foreach (var c in cats)
        {
            var name = catalogue[c].NameEn.ToLowerInvariant();
            var times = new List<string>();
            foreach (var m in only is { } o ? [o] : new[] { Mode.Walk, Mode.Bike, Mode.BusWalk })
            {
                if (!reach.Has(m)) continue;
                var r = reach.Get(placeId, c, m);
                times.Add(r.IsReachable ? $"{Minutes(r.Seconds)} {ModeWord(m)}" : $"none {ModeWord(m)}");
            }
            var provider = BestProvider(placeId, c, reach);
            var where = provider is { } p && kernNames.TryGetValue(p, out var pn) ? $", nearest in {pn}" : "";
            parts.Add($"{name} ({string.Join(" / ", times)}{where})");
        }
        return string.Join("; ", parts);
    }

    private static long? BestProvider(long placeId, string c, ReachTable reach)
    {
        foreach (var m in new[] { Mode.Walk, Mode.Bike, Mode.BusWalk })
        {
            if (reach.Has(m) && reach.Get(placeId, c, m).NearestServiceKernId is { } k) return k;
        }
        return null;
    }

    public static string Minutes(double seconds) => $"{Math.Round(seconds / 60.0, MidpointRounding.AwayFromZero):0} min";

    private static string ModeWord(Mode m) => m switch
    {
        Mode.Walk => "walking",
        Mode.ReducedMobilityWalk => "walking slowly",
        Mode.Bike => "cycling",
        Mode.EBike => "by e-bike",
        _ => "by bus",
    };
}
