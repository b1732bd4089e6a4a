using ServiceReach.Domain.Scoring;

namespace ServiceReach.Analysis;

/// <summary>
/// Door-to-door bus+walk reach over a departure window, for a set of places to the nearest of a set of services.
/// Implemented over the timetable (RAPTOR) with walking access and egress from the street engine.
/// </summary>
public interface IBusReach
{
    /// <summary>A short description for reports, e.g. "weekday 2026-03-03, 07:00–09:00 every minute".</summary>
    string Description { get; }

    /// <summary>
    /// For each place: the median door-to-door seconds to the nearest of <paramref name="services"/> over the window
    /// (with 5th and 95th percentiles), which service it is, and how many services are reached within the threshold at the median.
    /// </summary>
    IReadOnlyList<Reach> Nearest(IReadOnlyList<Place> places, IReadOnlyList<ServiceInput> services, string category, double thresholdSeconds);
}
