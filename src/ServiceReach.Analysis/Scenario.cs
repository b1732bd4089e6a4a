using ServiceReach.Domain;
using ServiceReach.Domain.Scoring;

namespace ServiceReach.Analysis;

/// <summary>
/// A what-if: close service points, open new ones (e.g. a dorpspunt bundling several categories).
/// Applying it to an analysis reruns only the categories it touches.
/// </summary>
public sealed record Scenario(string Name)
{
    public IReadOnlyList<long> CloseServiceIds { get; init; } = [];
    public IReadOnlyList<ServiceInput> AddServices { get; init; } = [];

    /// <summary>A new dorpspunt at a point with the categories it will offer.</summary>
    public static Scenario Dorpspunt(string name, long newId, double lon, double lat, IReadOnlyList<string> categories, long? kernId = null)
        => new(name) { AddServices = [new ServiceInput(newId, name, lon, lat, categories, kernId)] };

    /// <summary>The input with the scenario applied, and the categories whose reach can change.</summary>
    public (AnalysisInput Input, IReadOnlySet<string> ChangedCategories) Apply(AnalysisInput input)
    {
        var changed = new HashSet<string>(StringComparer.Ordinal);
        var close = CloseServiceIds.ToHashSet();
        var known = input.Services.Select(s => s.Id).ToHashSet();
        foreach (var id in close)
        {
            if (!known.Contains(id)) throw new ArgumentException($"Scenario '{Name}': there is no service point {id} to close.");
        }
        var services = new List<ServiceInput>(input.Services.Count + AddServices.Count);
        foreach (var s in input.Services)
        {
            if (close.Contains(s.Id) && s.Status != ServiceStatus.Closed)
            {
                changed.UnionWith(s.Categories);
                services.Add(s with { Status = ServiceStatus.Closed });
            }
            else
            {
                services.Add(s);
            }
        }
        foreach (var a in AddServices)
        {
            if (!known.Add(a.Id)) throw new ArgumentException($"Scenario '{Name}': new service point id {a.Id} is already used.");
            foreach (var c in a.Categories)
            {
                if (!input.Catalogue.Contains(c)) throw new ArgumentException($"Scenario '{Name}': unknown category '{c}' for '{a.Name}'.");
            }
            changed.UnionWith(a.Categories);
            services.Add(a);
        }
        return (input with { Services = services }, changed);
    }
}

/// <summary>How one category's reach changed for a kern.</summary>
public sealed record ReachChange(string Category, Mode Mode, double SecondsBefore, double SecondsAfter)
{
    public double DeltaSeconds => SecondsAfter - SecondsBefore;
}

/// <summary>How a kern fares in a scenario against the base: gap score, advice and changed reach.</summary>
public sealed record KernChange(
    long KernId, string KernName, double GapBefore, double GapAfter,
    InterventionKind AdviceBefore, InterventionKind AdviceAfter, IReadOnlyList<ReachChange> Reach)
{
    public bool Gains => GapAfter < GapBefore || Reach.Any(r => r.DeltaSeconds < 0);
    public bool Loses => GapAfter > GapBefore || Reach.Any(r => r.DeltaSeconds > 0);
}

/// <summary>Compares two analyses of the same kernen: who gains, who loses.</summary>
public static class ScenarioComparison
{
    public static IReadOnlyList<KernChange> Compare(AnalysisResult before, AnalysisResult after)
    {
        var gapBefore = before.Gaps.ToDictionary(g => g.Place.Id, g => g.Total);
        var gapAfter = after.Gaps.ToDictionary(g => g.Place.Id, g => g.Total);
        var adviceBefore = before.Advice.ToDictionary(a => a.KernId, a => a.Primary);
        var adviceAfter = after.Advice.ToDictionary(a => a.KernId, a => a.Primary);
        var changes = new List<KernChange>();
        foreach (var k in before.Kernen)
        {
            if (!gapAfter.ContainsKey(k.Id)) continue;
            var reach = new List<ReachChange>();
            foreach (var c in before.KernReach.Categories)
            {
                foreach (var m in before.KernReach.Modes)
                {
                    var b = before.KernReach.Get(k.Id, c, m).Seconds;
                    var a = after.KernReach.Get(k.Id, c, m).Seconds;
                    if (!b.Equals(a)) reach.Add(new ReachChange(c, m, b, a));
                }
            }
            var gb = gapBefore[k.Id];
            var ga = gapAfter[k.Id];
            if (reach.Count > 0 || !gb.Equals(ga) || adviceBefore[k.Id] != adviceAfter[k.Id])
            {
                changes.Add(new KernChange(k.Id, k.Name, gb, ga, adviceBefore[k.Id], adviceAfter[k.Id], reach));
            }
        }
        return changes;
    }
}
