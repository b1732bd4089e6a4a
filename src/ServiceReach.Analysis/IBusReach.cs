using ServiceReach.Domain.Scoring;

namespace ServiceReach.Analysis;

/// <summary>
/// Door-to-door bus+walk reach over a departure window, from places to the nearest service of each category.
/// Implemented over the timetable (range-RAPTOR) with walking access and egress from the street engine.
/// </summary>
public interface IBusReach
{
    /// <summary>A short description for reports, e.g. "2026-03-03, departures 07:00–09:00 every minute".</summary>
    string Description { get; }

    /// <summary>
    /// For each category, one row per place (same order as <paramref name="places"/>): the median door-to-door seconds over the
    /// window to the nearest service of the category, with the 5th and 95th percentiles.
    /// </summary>
    IReadOnlyDictionary<string, IReadOnlyList<Reach>> Nearest(
        IReadOnlyList<Place> places,
        IReadOnlyDictionary<string, IReadOnlyList<ServiceInput>> servicesByCategory,
        Func<string, double> thresholdSeconds);
}
