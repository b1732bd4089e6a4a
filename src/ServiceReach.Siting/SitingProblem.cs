using System.Globalization;
using ServiceReach.Analysis;
using ServiceReach.Domain;
using ServiceReach.Domain.Scoring;
using ServiceReach.Routing;

namespace ServiceReach.Siting;

/// <summary>
/// One category of the dorpspunt bundle. A demand point lacks it when neither the category nor any of
/// <paramref name="SatisfiedBy"/> lies within the threshold (a supermarket nearby means the dorpspunt's shop adds nothing).
/// </summary>
public sealed record BundleItem(string Category, IReadOnlyList<string> SatisfiedBy)
{
    public BundleItem(string category) : this(category, []) { }
}

/// <summary>Settings of the siting problem; every number is documented in docs/siting.md.</summary>
public sealed record SitingOptions
{
    /// <summary>What a dorpspunt offers (domain.md §6): shop, post point, ATM, meeting place, municipal desk.</summary>
    public IReadOnlyList<BundleItem> Bundle { get; init; } =
    [
        new("food_shop", ["bakery", "butcher", "supermarket"]),
        new("post_point"),
        new("atm_bank"),
        new("meeting_place"),
        new("municipal_desk"),
    ];

    /// <summary>How residents reach the dorpspunt: walking (default) or cycling.</summary>
    public Mode Mode { get; init; } = Mode.Walk;

    /// <summary>Coverage threshold in seconds; null = the catalogue's threshold of the first bundle category for the mode (900 s).</summary>
    public double? ThresholdSeconds { get; init; }

    /// <summary>Use population units as demand when the analysis has them (residents counted where they live); otherwise kern centres.</summary>
    public bool UsePopulationUnits { get; init; } = true;

    /// <summary>p-median: times are capped here (further counts as this far), which bounds the searches.</summary>
    public double MedianCapSeconds { get; init; } = 1800;

    /// <summary>Weight of a resident aged 65+ (the gap score's <see cref="GapSettings.Weight65Plus"/>, 1.5).</summary>
    public double Weight65Plus { get; init; } = new GapSettings().Weight65Plus;

    public double SnapMaxMeters { get; init; } = 500;
    public RouterOptions Router { get; init; } = new();
}

/// <summary>A demand point: residents, their weight, which bundle categories they lack today, and a readable label (a unit's nearest kern).</summary>
public sealed record DemandPoint(Place Place, double Weight, IReadOnlyList<string> Missing, IReadOnlyDictionary<string, double> SecondsToExisting, string? Label = null)
{
    public string Name => Label ?? Place.Name;
}

/// <summary>The siting model solved.</summary>
public enum SitingModel
{
    /// <summary>Maximal covering: maximise weighted residents × missing bundle categories newly within the threshold.</summary>
    Covering,
    /// <summary>p-median: minimise weighted residents × Σ over the bundle of the travel time to the nearest provider (existing or new).</summary>
    Median,
}

/// <summary>A bundle category a demand point gains, with its best time before and after.</summary>
public sealed record CategoryGain(string Category, double SecondsBefore, double SecondsAfter);

/// <summary>Who gains from a site: a demand point, its residents and the categories it gains.</summary>
public sealed record DemandGain(long PlaceId, string Name, int Residents, int Residents65Plus, double SecondsToSite, IReadOnlyList<CategoryGain> Categories);

/// <summary>A proposed site with its contribution (what the plan loses without it) and the reasons.</summary>
public sealed record SiteProposal(CandidateSite Site, double Contribution, int ResidentsGaining, int Residents65Gaining, IReadOnlyList<DemandGain> Gains, string Reason);

/// <summary>
/// A siting plan: the sites, the objective (covered value for <see cref="SitingModel.Covering"/>, total weighted seconds
/// for <see cref="SitingModel.Median"/>), the proven bound on it (upper for covering, lower for median; ±∞ when unknown,
/// e.g. greedy), the savings against today, and the reasons.
/// </summary>
public sealed record SitingPlan(
    SitingModel Model,
    SiteLimit Limit,
    string Method,
    IReadOnlyList<SiteProposal> Sites,
    double Objective,
    double Savings,
    double Bound,
    bool ProvenOptimal,
    int ResidentsGaining,
    int Residents65Gaining,
    TimeSpan Elapsed);

/// <summary>
/// The dorpspunt siting problem for one analysis: demand points with what they lack, candidate sites, and the walking
/// (or cycling) times between them over the street network. Builds the covering and p-median instances and turns
/// solutions into plans with reasons and scenarios.
/// </summary>
public sealed class SitingProblem
{
    private SitingProblem(SitingOptions options, double threshold, IReadOnlyList<DemandPoint> demand, IReadOnlyList<CandidateSite> candidates,
        float[,] seconds, IReadOnlyList<string> unsnapped)
    {
        Options = options;
        ThresholdSeconds = threshold;
        Demand = demand;
        Candidates = candidates;
        Seconds = seconds;
        Unsnapped = unsnapped;
        Covering = BuildCovering();
        Median = BuildMedian();
    }

    public SitingOptions Options { get; }
    public double ThresholdSeconds { get; }
    public IReadOnlyList<DemandPoint> Demand { get; }
    public IReadOnlyList<CandidateSite> Candidates { get; }
    /// <summary>Seconds[d, c] from demand point d to candidate c over the network (+∞ beyond the search limit).</summary>
    public float[,] Seconds { get; }
    /// <summary>Candidates or demand points that could not be snapped to the street network, with the reason.</summary>
    public IReadOnlyList<string> Unsnapped { get; }
    public FacilityInstance Covering { get; }
    public FacilityInstance Median { get; }

    public FacilityInstance Instance(SitingModel model) => model == SitingModel.Covering ? Covering : Median;

    /// <summary>Builds the problem from a finished analysis (its reach table says what each place lacks) and the street network.</summary>
    public static SitingProblem Build(AnalysisResult analysis, StreetNetwork network, IReadOnlyList<CandidateSite> candidates, SitingOptions? options = null)
    {
        options ??= new SitingOptions();
        if (options.Bundle.Count == 0) throw new ArgumentException("The dorpspunt bundle is empty.", nameof(options));
        var catalogue = analysis.Input.Catalogue;
        foreach (var b in options.Bundle)
        {
            foreach (var c in b.SatisfiedBy.Prepend(b.Category))
                if (!catalogue.Contains(c)) throw new ArgumentException($"Bundle category '{c}' is not in the catalogue.", nameof(options));
        }
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var c in candidates)
            if (!ids.Add(c.Id)) throw new ArgumentException($"Candidate id '{c.Id}' appears twice.", nameof(candidates));
        var (places, reach) = options.UsePopulationUnits && analysis.UnitReach is not null && analysis.Units.Count > 0
            ? (analysis.Units, analysis.UnitReach)
            : (analysis.Kernen, analysis.KernReach);
        if (!reach.Has(options.Mode)) throw new ArgumentException($"The analysis did not compute mode {options.Mode}.", nameof(options));
        double threshold = options.ThresholdSeconds ?? catalogue.ThresholdFor(options.Bundle[0].Category, options.Mode).Seconds;
        double w65 = options.Weight65Plus;

        var demand = new List<DemandPoint>(places.Count);
        bool units = !ReferenceEquals(places, analysis.Kernen);
        foreach (var p in places)
        {
            // Units are named after the kern nearest to them (straight line: a label, not a measure).
            string? label = units && analysis.Kernen.Count > 0
                ? analysis.Kernen.MinBy(k => Geo.HaversineMeters(k.Lon, k.Lat, p.Lon, p.Lat))!.Name + ", " + p.Name
                : null;
            var missing = new List<string>();
            var existing = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var b in options.Bundle)
            {
                double best = double.PositiveInfinity;
                foreach (var c in b.SatisfiedBy.Prepend(b.Category)) best = Math.Min(best, reach.Get(p.Id, c, options.Mode).Seconds);
                existing[b.Category] = best;
                if (!(best <= threshold)) missing.Add(b.Category);
            }
            var p65 = Math.Min(p.Population, p.Population65Plus);
            double weight = (p.Population - p65) + w65 * p65;
            demand.Add(new DemandPoint(p, weight, missing, existing, label));
        }

        var router = new Router(network, ModeProfiles.ProfileName(options.Mode), options.Router);
        var demandSnaps = router.SnapMany(demand.Select(d => new GeoPoint(d.Place.Lon, d.Place.Lat)).ToList(), options.SnapMaxMeters);
        var candidateSnaps = router.SnapMany(candidates.Select(c => new GeoPoint(c.Lon, c.Lat)).ToList(), options.SnapMaxMeters);
        var unsnapped = new List<string>();
        for (int i = 0; i < demand.Count; i++)
            if (!demandSnaps[i].Found) unsnapped.Add($"demand {demand[i].Name} ({demand[i].Place.Id}): {demandSnaps[i].Reason}");
        for (int j = 0; j < candidates.Count; j++)
            if (!candidateSnaps[j].Found) unsnapped.Add($"candidate {candidates[j].Name} ({candidates[j].Id}): {candidateSnaps[j].Reason}");
        // Residents walk from home to the site: demand points are the origins.
        var matrix = router.ManyToMany(demandSnaps, candidateSnaps, Math.Max(threshold, options.MedianCapSeconds));
        return new SitingProblem(options, threshold, demand, candidates, matrix.Seconds, unsnapped);
    }

    /// <summary>
    /// Builds the problem from plain arrays (tests, benchmarks): demand with what it lacks, candidates and a time matrix.
    /// </summary>
    public static SitingProblem FromMatrix(IReadOnlyList<DemandPoint> demand, IReadOnlyList<CandidateSite> candidates, float[,] seconds, double thresholdSeconds, SitingOptions? options = null)
    {
        if (seconds.GetLength(0) != demand.Count || seconds.GetLength(1) != candidates.Count)
            throw new ArgumentException($"Matrix is {seconds.GetLength(0)} × {seconds.GetLength(1)}, expected {demand.Count} × {candidates.Count}.", nameof(seconds));
        return new SitingProblem(options ?? new SitingOptions(), thresholdSeconds, demand, candidates, seconds, []);
    }

    private FacilityInstance BuildCovering()
    {
        var values = new double[Demand.Count];
        var pairs = new List<(int, int, double)>();
        for (int i = 0; i < Demand.Count; i++)
        {
            values[i] = Demand[i].Weight * Demand[i].Missing.Count;
            if (values[i] <= 0) continue;
            for (int j = 0; j < Candidates.Count; j++)
                if (Seconds[i, j] <= ThresholdSeconds) pairs.Add((i, j, 0));
        }
        return FacilityInstance.Create(values, Candidates.Count, pairs, Candidates.Select(c => c.Cost).ToList());
    }

    private FacilityInstance BuildMedian()
    {
        double cap = Options.MedianCapSeconds;
        var fallback = new double[Demand.Count];
        var pairs = new List<(int, int, double)>();
        var bundle = Options.Bundle;
        for (int i = 0; i < Demand.Count; i++)
        {
            var d = Demand[i];
            double f = 0;
            foreach (var b in bundle) f += Math.Min(cap, d.SecondsToExisting[b.Category]);
            fallback[i] = d.Weight * f;
            for (int j = 0; j < Candidates.Count; j++)
            {
                double t = Seconds[i, j];
                if (!(t < cap)) continue;
                double c = 0;
                foreach (var b in bundle) c += Math.Min(Math.Min(cap, d.SecondsToExisting[b.Category]), t);
                pairs.Add((i, j, d.Weight * c));
            }
        }
        return FacilityInstance.Create(fallback, Candidates.Count, pairs, Candidates.Select(c => c.Cost).ToList());
    }

    /// <summary>Solves one model exactly (CP-SAT) or greedily, and explains the answer.</summary>
    public SitingPlan Solve(SitingModel model, SiteLimit limit, bool exact = true, ExactSolverOptions? options = null)
    {
        var inst = Instance(model);
        var s = exact ? ExactSolver.Solve(inst, limit, options) : GreedySolver.Solve(inst, limit);
        return Explain(model, limit, s);
    }

    /// <summary>The coverage curve k = 1..<paramref name="maxSites"/> of the covering model.</summary>
    public IReadOnlyList<CurvePoint> Curve(int maxSites = 10, bool exact = true, ExactSolverOptions? options = null)
        => exact ? CoverageCurve.Exact(Covering, maxSites, options) : CoverageCurve.Greedy(Covering, maxSites);

    /// <summary>Turns chosen sites into a plan: per site who gains which categories, from what time to what time.</summary>
    public SitingPlan Explain(SitingModel model, SiteLimit limit, FacilitySolution solution)
    {
        var inst = Instance(model);
        var open = solution.Open;
        // Each demand point is served by its nearest chosen site.
        var gainsBySite = open.ToDictionary(j => j, _ => new List<DemandGain>());
        var gaining = new HashSet<int>();
        for (int i = 0; i < Demand.Count; i++)
        {
            int best = -1;
            float bestT = float.PositiveInfinity;
            foreach (var j in open)
                if (Seconds[i, j] < bestT) { bestT = Seconds[i, j]; best = j; }
            if (best < 0) continue;
            var d = Demand[i];
            var cats = new List<CategoryGain>();
            foreach (var b in Options.Bundle)
            {
                double before = d.SecondsToExisting[b.Category];
                bool gains = model == SitingModel.Covering ? bestT <= ThresholdSeconds && !(before <= ThresholdSeconds) : bestT < Math.Min(before, Options.MedianCapSeconds);
                if (gains) cats.Add(new CategoryGain(b.Category, before, bestT));
            }
            if (cats.Count == 0) continue;
            gaining.Add(i);
            gainsBySite[best].Add(new DemandGain(d.Place.Id, d.Name, d.Place.Population, d.Place.Population65Plus, bestT, cats));
        }
        var proposals = new List<SiteProposal>();
        foreach (var j in open)
        {
            var without = open.Where(x => x != j).ToList();
            double contribution = solution.Savings - inst.Savings(without);
            var gains = gainsBySite[j].OrderByDescending(g => g.Residents).ThenBy(g => g.PlaceId).ToList();
            int res = gains.Sum(g => g.Residents), res65 = gains.Sum(g => g.Residents65Plus);
            proposals.Add(new SiteProposal(Candidates[j], contribution, res, res65, gains, Reason(Candidates[j], gains, res, res65)));
        }
        proposals = proposals.OrderByDescending(p => p.Contribution).ThenBy(p => p.Site.Id, StringComparer.Ordinal).ToList();
        double objective = model == SitingModel.Covering ? solution.Savings : inst.TotalFallback - solution.Savings;
        return new SitingPlan(model, limit, solution.Method, proposals, objective, solution.Savings,
            model == SitingModel.Covering ? solution.UpperBound : inst.TotalFallback - solution.UpperBound, solution.ProvenOptimal,
            gaining.Sum(i => Demand[i].Place.Population), gaining.Sum(i => Demand[i].Place.Population65Plus), solution.Elapsed);
    }

    private string Reason(CandidateSite site, List<DemandGain> gains, int residents, int residents65)
    {
        var mode = Options.Mode == Mode.Walk ? "walking" : Options.Mode.ToString().ToLowerInvariant();
        if (gains.Count == 0) return $"{site.Name} ({site.Kind}): no resident gains a bundle category within {ThresholdSeconds / 60:F0} min {mode}.";
        var byCat = gains.SelectMany(g => g.Categories.Select(c => (g, c))).GroupBy(x => x.c.Category)
            .Select(grp => string.Create(CultureInfo.InvariantCulture,
                $"{grp.Key} for {grp.Sum(x => x.g.Residents)} ({Minutes(grp.Min(x => x.c.SecondsBefore))}–{Minutes(grp.Max(x => x.c.SecondsBefore))} → {Minutes(grp.Min(x => x.c.SecondsAfter))}–{Minutes(grp.Max(x => x.c.SecondsAfter))} min)"));
        var top = string.Join(", ", gains.Take(3).Select(g => $"{g.Name} ({g.Residents})"));
        return string.Create(CultureInfo.InvariantCulture,
            $"{site.Name} ({site.Kind}): {residents} residents ({residents65} aged 65+) in {gains.Count} places gain {mode} access — {string.Join("; ", byCat)}. Largest: {top}.{(site.Notes is { Length: > 0 } n ? " Notes: " + n : "")}");
    }

    private static string Minutes(double seconds) => double.IsPositiveInfinity(seconds) ? "∞" : (seconds / 60).ToString("F0", CultureInfo.InvariantCulture);

    /// <summary>
    /// The plan as a scenario for <see cref="AccessAnalysis.RunScenario"/>: one new service point per site offering the
    /// bundle categories (ids from <paramref name="firstId"/> up), so its effect on gaps and advice can be shown.
    /// </summary>
    public Scenario ToScenario(SitingPlan plan, long firstId, IReadOnlyList<KernInput>? kernen = null)
    {
        var categories = Options.Bundle.Select(b => b.Category).ToList();
        var added = new List<ServiceInput>();
        long id = firstId;
        foreach (var p in plan.Sites)
        {
            var kern = p.Site.KernId ?? kernen?.OrderBy(k => Geo.HaversineMeters(k.Lon, k.Lat, p.Site.Lon, p.Site.Lat)).Select(k => (long?)k.Id).FirstOrDefault();
            added.Add(new ServiceInput(id++, "dorpspunt " + p.Site.Name, p.Site.Lon, p.Site.Lat, categories, kern));
        }
        return new Scenario($"dorpspunten: {string.Join(", ", plan.Sites.Select(s => s.Site.Name))}") { AddServices = added };
    }
}
