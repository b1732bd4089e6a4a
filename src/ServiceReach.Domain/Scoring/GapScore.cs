namespace ServiceReach.Domain.Scoring;

/// <summary>
/// Settings of the gap score; every number is configuration, documented in docs/scoring.md.
/// </summary>
public sealed record GapSettings
{
    /// <summary>Extra weight of a resident aged 65+ (1.5 = counts one and a half times).</summary>
    public double Weight65Plus { get; init; } = 1.5;

    /// <summary>Weight of a need by its frequency: a daily need weighs three times an occasional one.</summary>
    public IReadOnlyDictionary<NeedFrequency, double> NeedWeights { get; init; } = new Dictionary<NeedFrequency, double>
    {
        [NeedFrequency.Daily] = 3, [NeedFrequency.Weekly] = 2, [NeedFrequency.Occasional] = 1,
    };

    /// <summary>An excess is capped (2 = three times the threshold or unreachable), so one remote service cannot dominate.</summary>
    public double ExcessCap { get; init; } = 2.0;

    /// <summary>Modes residents under 65 use: the best of these counts.</summary>
    public IReadOnlyList<Mode> GeneralModes { get; init; } = [Mode.Walk, Mode.Bike, Mode.BusWalk];

    /// <summary>Modes residents of 65 and over use: we do not assume they cycle; walking at reduced speed or the bus.</summary>
    public IReadOnlyList<Mode> SeniorModes { get; init; } = [Mode.ReducedMobilityWalk, Mode.BusWalk];

    /// <summary>Share of residents aged 65+ assumed where no count is known (Flanders 2024: about 21 %).</summary>
    public double Assumed65Share { get; init; } = 0.21;
}

/// <summary>One category's part of a kern's gap score, with everything needed to explain it.</summary>
public sealed record CategoryGap(
    string Category,
    NeedFrequency Need,
    double NeedWeight,
    Mode? BestGeneralMode,
    double BestGeneralSeconds,
    double GeneralThresholdSeconds,
    double ExcessGeneral,
    Mode? BestSeniorMode,
    double BestSeniorSeconds,
    double SeniorThresholdSeconds,
    double ExcessSenior,
    int ResidentsUnder65,
    int Residents65Plus,
    double Score);

/// <summary>A place's gap score: the documented sum of its parts, never a single number alone.</summary>
public sealed record PlaceGap(Place Place, double Total, IReadOnlyList<CategoryGap> Parts)
{
    /// <summary>The parts that contribute, largest first.</summary>
    public IEnumerable<CategoryGap> Contributing => Parts.Where(p => p.Score > 0).OrderByDescending(p => p.Score);
}

/// <summary>
/// Gap score. Per category: unmet need = need weight × ((residents under 65) × excess of their best mode
/// + weight65 × (residents 65+) × excess of their best mode), where excess = min(cap, max(0, time / threshold − 1)).
/// The kern's score is the sum over categories. See docs/scoring.md.
/// </summary>
public static class GapScorer
{
    public static PlaceGap Score(Place place, ReachTable reach, ServiceCatalogue catalogue, GapSettings settings)
    {
        var parts = new List<CategoryGap>(reach.Categories.Count);
        var p65 = place.Population65Plus;
        var under65 = Math.Max(0, place.Population - p65);
        double total = 0;
        foreach (var code in reach.Categories)
        {
            var def = catalogue[code];
            var w = settings.NeedWeights.TryGetValue(def.Need, out var nw) ? nw : 1;
            var (gMode, gSec, gThr, gRatio) = Best(place.Id, code, reach, catalogue, settings.GeneralModes);
            var (sMode, sSec, sThr, sRatio) = Best(place.Id, code, reach, catalogue, settings.SeniorModes);
            var exG = Excess(gRatio, settings.ExcessCap);
            var exS = Excess(sRatio, settings.ExcessCap);
            var score = w * (under65 * exG + settings.Weight65Plus * p65 * exS);
            total += score;
            parts.Add(new CategoryGap(code, def.Need, w, gMode, gSec, gThr, exG, sMode, sSec, sThr, exS, under65, p65, score));
        }
        return new PlaceGap(place, total, parts);
    }

    private static double Excess(double ratio, double cap) => Math.Min(cap, Math.Max(0, ratio - 1));

    /// <summary>The mode with the lowest time-to-threshold ratio among those computed.</summary>
    private static (Mode? Mode, double Seconds, double Threshold, double Ratio) Best(
        long placeId, string code, ReachTable reach, ServiceCatalogue catalogue, IReadOnlyList<Mode> modes)
    {
        Mode? best = null;
        double bestRatio = double.PositiveInfinity, bestSec = double.PositiveInfinity, bestThr = 0;
        foreach (var m in modes)
        {
            if (!reach.Has(m)) continue;
            var r = reach.Get(placeId, code, m);
            var thr = catalogue.ThresholdFor(code, m).Seconds;
            var ratio = r.Seconds / thr;
            if (ratio < bestRatio || best is null)
            {
                best = m;
                bestRatio = ratio;
                bestSec = r.Seconds;
                bestThr = thr;
            }
        }
        return (best, bestSec, bestThr, bestRatio);
    }
}
