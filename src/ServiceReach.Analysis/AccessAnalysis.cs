using System.Diagnostics;
using ServiceReach.Domain;
using ServiceReach.Domain.Scoring;
using ServiceReach.Routing;

namespace ServiceReach.Analysis;

/// <summary>A kern → provider kern link: where residents of a kern find a category (the village network).</summary>
public sealed record ProviderLink(long KernId, string KernName, string Category, long ProviderKernId, string ProviderKernName, Mode Mode, double Seconds);

/// <summary>Everything one analysis produces.</summary>
public sealed record AnalysisResult(
    AnalysisInput Input,
    IReadOnlyList<Place> Kernen,
    ReachTable KernReach,
    IReadOnlyList<Place> Units,
    ReachTable? UnitReach,
    IReadOnlyList<PlaceGap> Gaps,
    IReadOnlyList<KernAdvice> Advice,
    IReadOnlyList<BasketShare> Indicator,
    IReadOnlyList<ProviderLink> Network,
    IReadOnlyDictionary<string, IReadOnlyList<string>> AbsentInMunicipality,
    IReadOnlyList<UnsnappedPoint> Unsnapped,
    string? BusDescription,
    TimeSpan Elapsed);

/// <summary>
/// The access analysis: reach of every kern (and population unit) × category × mode, gap scores with their parts,
/// intervention advice with reasons, the official basket indicator next to a straight-line version, and the village network.
/// Keeps its searches' inputs so a scenario reruns only the categories it changes.
/// </summary>
public sealed class AccessAnalysis
{
    private readonly StreetNetwork _network;
    private readonly IBusReach? _bus;
    private readonly AnalysisOptions _options;
    private readonly Dictionary<Mode, StreetModeReach> _modes = new();

    public AccessAnalysis(StreetNetwork network, IBusReach? bus = null, AnalysisOptions? options = null)
    {
        _network = network;
        _bus = bus;
        _options = options ?? new AnalysisOptions();
        foreach (var m in _options.StreetModes) _modes[m] = new StreetModeReach(network, m, _options);
    }

    public AnalysisOptions Options => _options;

    public IReadOnlyList<Mode> Modes => _bus is null ? _options.StreetModes : [.. _options.StreetModes, Mode.BusWalk];

    /// <summary>Applies a scenario to a finished analysis, rerunning only the categories it changes, and compares.</summary>
    public (AnalysisResult After, IReadOnlyList<KernChange> Changes) RunScenario(AnalysisResult baseline, Scenario scenario)
    {
        var (input, changed) = scenario.Apply(baseline.Input);
        var after = Run(input, baseline, changed);
        return (after, ScenarioComparison.Compare(baseline, after));
    }

    /// <summary>
    /// A transit scenario (a line's frequency changed, a route removed, a new line): the street modes are copied from the
    /// baseline and only bus+walk is recomputed with <paramref name="scenarioBus"/>.
    /// </summary>
    public static (AnalysisResult After, IReadOnlyList<KernChange> Changes) RunBusScenario(
        StreetNetwork network, AnalysisResult baseline, IBusReach scenarioBus, AnalysisOptions? options = null)
    {
        var analysis = new AccessAnalysis(network, scenarioBus, options);
        var after = analysis.Run(baseline.Input, baseline, new HashSet<string>(), recomputeBus: true);
        return (after, ScenarioComparison.Compare(baseline, after));
    }

    /// <summary>Runs the full analysis.</summary>
    public AnalysisResult Run(AnalysisInput input) => Run(input, previous: null, changedCategories: null);

    /// <summary>
    /// Runs the analysis for <paramref name="input"/>, reusing <paramref name="previous"/> reach for every category not in
    /// <paramref name="changedCategories"/> (a scenario that opens or closes a few service points reruns only their categories).
    /// </summary>
    public AnalysisResult Run(AnalysisInput input, AnalysisResult? previous, IReadOnlySet<string>? changedCategories)
        => Run(input, previous, changedCategories, recomputeBus: false);

    private AnalysisResult Run(AnalysisInput input, AnalysisResult? previous, IReadOnlySet<string>? changedCategories, bool recomputeBus)
    {
        var sw = Stopwatch.StartNew();
        var catalogue = input.Catalogue;
        var categories = catalogue.Categories.Select(c => c.Code).ToList();
        var kernen = input.Kernen.Select(k => PlaceFactory.FromKern(k, _options.Gap)).ToList();
        var units = input.PopulationUnits.Select(u => PlaceFactory.FromUnit(u, _options.Gap)).ToList();
        var modes = Modes;

        var reachable = input.Services.Where(s => s.CountsForReach).ToList();
        foreach (var s in reachable)
        {
            foreach (var c in s.Categories)
            {
                if (!catalogue.Contains(c)) throw new InvalidDataException($"Service point {s.Id} '{s.Name}' names unknown category '{c}'.");
            }
        }
        var serviceKern = input.Services.ToDictionary(s => s.Id, s => s.KernId);
        var byCategory = categories.ToDictionary(c => c, c => reachable.Where(s => s.Categories.Contains(c)).ToList());

        var kernReach = new ReachTable(kernen, categories, modes);
        var unitReach = units.Count > 0 ? new ReachTable(units, categories, modes) : null;

        foreach (var mode in _options.StreetModes)
        {
            var m = _modes[mode];
            var maxThreshold = categories.Max(c => catalogue.ThresholdFor(c, mode).Seconds);
            Dictionary<long, Dictionary<long, double>>? counts = null;
            foreach (var c in categories)
            {
                if (previous is not null && changedCategories is not null && !changedCategories.Contains(c))
                {
                    CopyCategory(previous.KernReach, kernReach, kernen, c, mode);
                    if (unitReach is not null && previous.UnitReach is not null) CopyCategory(previous.UnitReach, unitReach, units, c, mode);
                    continue;
                }
                counts ??= m.CountSearches(kernen, reachable, maxThreshold);
                var thr = catalogue.ThresholdFor(c, mode).Seconds;
                m.ComputeCategory(c, kernen, byCategory[c], serviceKern, thr, kernReach, counts);
                if (unitReach is not null) m.ComputeCategory(c, units, byCategory[c], serviceKern, thr, unitReach, null);
            }
        }

        if (_bus is not null)
        {
            var toCompute = new Dictionary<string, IReadOnlyList<ServiceInput>>(StringComparer.Ordinal);
            foreach (var c in categories)
            {
                if (!recomputeBus && previous is not null && changedCategories is not null && !changedCategories.Contains(c))
                {
                    CopyCategory(previous.KernReach, kernReach, kernen, c, Mode.BusWalk);
                    if (unitReach is not null && previous.UnitReach is not null) CopyCategory(previous.UnitReach, unitReach, units, c, Mode.BusWalk);
                    continue;
                }
                toCompute[c] = byCategory[c];
            }
            if (toCompute.Count > 0)
            {
                double Threshold(string c) => catalogue.ThresholdFor(c, Mode.BusWalk).Seconds;
                foreach (var (c, rows) in _bus.Nearest(kernen, toCompute, Threshold))
                {
                    foreach (var r in Zip(kernen, rows)) kernReach.Set(r.Id, r.Reach);
                }
                if (unitReach is not null)
                {
                    foreach (var (c, rows) in _bus.Nearest(units, toCompute, Threshold))
                    {
                        foreach (var r in Zip(units, rows)) unitReach.Set(r.Id, r.Reach);
                    }
                }
            }
        }

        var gaps = kernen.Select(k => GapScorer.Score(k, kernReach, catalogue, _options.Gap)).ToList();
        var advice = AdviceEngine.Advise(kernen, kernReach, catalogue, _options.Advice);
        var indicator = Indicator(input, kernen, kernReach, units, unitReach, reachable);
        var network = ProviderLinks(kernen, kernReach, categories);
        var absent = AbsentPerMunicipality(input, categories);

        var unsnapped = new List<UnsnappedPoint>();
        var kernNames = kernen.ToDictionary(k => k.Id, k => k.Name);
        var serviceNames = input.Services.ToDictionary(s => s.Id, s => s.Name);
        foreach (var m in _modes.Values) unsnapped.AddRange(m.Unsnapped(kernNames, serviceNames, "kern").Where(u => u.Kind != "kern" || kernNames.ContainsKey(u.Id)));

        return new AnalysisResult(input, kernen, kernReach, units, unitReach, gaps, advice, indicator, network, absent,
            unsnapped.DistinctBy(u => (u.Kind, u.Id, u.Mode)).ToList(), _bus?.Description, sw.Elapsed);
    }

    private static IEnumerable<(long Id, Reach Reach)> Zip(IReadOnlyList<Place> places, IReadOnlyList<Reach> reaches)
    {
        if (places.Count != reaches.Count) throw new InvalidOperationException("Bus reach returned a different number of rows than places.");
        for (var i = 0; i < places.Count; i++) yield return (places[i].Id, reaches[i]);
    }

    private static void CopyCategory(ReachTable from, ReachTable to, IReadOnlyList<Place> places, string category, Mode mode)
    {
        foreach (var p in places) to.Set(p.Id, from.Get(p.Id, category, mode));
    }

    /// <summary>The official basket share by kern, municipality and region, over the network and in a straight line.</summary>
    private List<BasketShare> Indicator(AnalysisInput input, List<Place> kernen, ReachTable kernReach, List<Place> units,
        ReachTable? unitReach, List<ServiceInput> reachable)
    {
        var catalogue = input.Catalogue;
        if (!catalogue.Baskets.Any(b => b.Code == _options.BasketCode)) return [];
        var basket = catalogue.Basket(_options.BasketCode);
        var nearestStraight = new Dictionary<(long, string), double>();
        double Straight(Place p, string c)
        {
            if (nearestStraight.TryGetValue((p.Id, c), out var d)) return d;
            d = double.PositiveInfinity;
            foreach (var s in reachable)
            {
                if (!s.Categories.Contains(c)) continue;
                d = Math.Min(d, Geo.HaversineMeters(p.Lon, p.Lat, s.Lon, s.Lat));
            }
            nearestStraight[(p.Id, c)] = d;
            return d;
        }

        // Residents are counted where they live: population units when we have them, else the kern centres.
        var (places, reach) = unitReach is not null ? (units, unitReach) : (kernen, kernReach);
        var result = new List<BasketShare>();
        foreach (var (mode, limit) in new[] { (Mode.Walk, _options.StraightLineWalkMeters), (Mode.Bike, _options.StraightLineBikeMeters) })
        {
            if (!reach.Has(mode)) continue;
            result.AddRange(BasketIndicator.Shares(kernen, k => "kern:" + k.Name, basket, mode, limit, kernReach, catalogue, Straight));
            result.AddRange(BasketIndicator.Shares(places, p => "municipality:" + (p.MunicipalityCode ?? "?"), basket, mode, limit, reach, catalogue, Straight));
            result.AddRange(BasketIndicator.Shares(places, _ => "region:" + input.RegionName, basket, mode, limit, reach, catalogue, Straight));
        }
        return result;
    }

    /// <summary>For each kern and category the kern that provides it, by the first mode that reaches it within its threshold.</summary>
    private List<ProviderLink> ProviderLinks(List<Place> kernen, ReachTable reach, List<string> categories)
    {
        var names = kernen.ToDictionary(k => k.Id, k => k.Name);
        var links = new List<ProviderLink>();
        foreach (var k in kernen)
        {
            foreach (var c in categories)
            {
                foreach (var m in new[] { Mode.Walk, Mode.Bike, Mode.BusWalk, Mode.EBike })
                {
                    if (!reach.Has(m)) continue;
                    var r = reach.Get(k.Id, c, m);
                    if (r.NearestServiceKernId is not { } provider || !r.IsReachable) continue;
                    links.Add(new ProviderLink(k.Id, k.Name, c, provider, names.GetValueOrDefault(provider, "?"), m, r.Seconds));
                    break;
                }
            }
        }
        return links;
    }

    /// <summary>Per municipality: categories no kern of it offers (they must come from outside; the searches cross borders).</summary>
    private static Dictionary<string, IReadOnlyList<string>> AbsentPerMunicipality(AnalysisInput input, List<string> categories)
    {
        var kernMunicipality = input.Kernen.ToDictionary(k => k.Id, k => k.MunicipalityCode);
        var present = new Dictionary<string, HashSet<string>>();
        foreach (var k in input.Kernen)
        {
            if (k.MunicipalityCode is { } m) present.TryAdd(m, []);
        }
        foreach (var s in input.Services)
        {
            if (!s.CountsForReach || s.KernId is not { } kid || kernMunicipality.GetValueOrDefault(kid) is not { } m) continue;
            present[m].UnionWith(s.Categories);
        }
        return present.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<string>)categories.Where(c => !kv.Value.Contains(c)).ToList());
    }
}
