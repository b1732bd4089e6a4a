using System.Globalization;
using ServiceReach.Analysis;
using ServiceReach.Domain.Scoring;

namespace ServiceReach.Siting;

/// <summary>
/// The inputs the CLI (`sites`, `tour`) and the web service (`/api/sites`, `/api/tours`) both derive from a stored analysis:
/// the candidate list, a kern as a tour stop, the kernen advised a buurtkar or mobile service, and weekday lists.
/// </summary>
public static class SitingSetup
{
    /// <summary>Candidates: every kern centre, then (unless <paramref name="osmPath"/> is null) OSM community buildings, then user candidates.</summary>
    public static List<CandidateSite> Candidates(IEnumerable<KernInput> kernen, string? osmPath, string? extraGeoJsonPath = null)
    {
        var candidates = new List<CandidateSite>(CandidateSources.FromKernen(kernen));
        if (osmPath is not null) candidates.AddRange(CandidateSources.FromOsm(osmPath));
        if (extraGeoJsonPath is not null) candidates.AddRange(CandidateSources.FromGeoJson(extraGeoJsonPath));
        return candidates;
    }

    /// <summary>A kern as a tour stop (id <c>kern/ID</c>); 65+ residents estimated with the gap score's share when unknown.</summary>
    public static TourStop KernStop(KernInput k)
        => new("kern/" + k.Id.ToString(CultureInfo.InvariantCulture), k.Name, k.Lon, k.Lat, k.Population,
            k.Population65Plus ?? (int)Math.Round(k.Population * new GapSettings().Assumed65Share), KernId: k.Id);

    /// <summary>Kernen whose primary advice is a buurtkar or a mobile service (docs/scoring.md), in input order.</summary>
    public static List<KernInput> AdvisedTourKernen(AnalysisResult result)
    {
        var ids = result.Advice.Where(a => a.Primary is InterventionKind.Buurtkar or InterventionKind.MobieleDienst).Select(a => a.KernId).ToHashSet();
        return result.Input.Kernen.Where(k => ids.Contains(k.Id)).ToList();
    }

    /// <summary>Weekdays from text like <c>Mon,Thu</c> (first three letters, any case); <see cref="FormatException"/> names the bad item.</summary>
    public static List<DayOfWeek> ParseDays(string text)
    {
        var days = new List<DayOfWeek>();
        foreach (var d in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var day = d[..Math.Min(3, d.Length)].ToLowerInvariant() switch
            {
                "mon" => DayOfWeek.Monday, "tue" => DayOfWeek.Tuesday, "wed" => DayOfWeek.Wednesday, "thu" => DayOfWeek.Thursday,
                "fri" => DayOfWeek.Friday, "sat" => DayOfWeek.Saturday, "sun" => DayOfWeek.Sunday,
                _ => throw new FormatException($"'{d}' is not a weekday (Mon..Sun)."),
            };
            if (!days.Contains(day)) days.Add(day);
        }
        if (days.Count == 0) throw new FormatException("give at least one weekday, e.g. Mon,Thu.");
        return days;
    }
}
