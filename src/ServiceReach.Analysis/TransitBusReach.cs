using ServiceReach.Domain;
using ServiceReach.Domain.Scoring;
using ServiceReach.Transit.Analysis;
using ServiceReach.Transit.Model;
using TransitPoint = ServiceReach.Transit.Gtfs.GeoPoint;

namespace ServiceReach.Analysis;

/// <summary>
/// Bus+walk reach from the transit engine: one range-RAPTOR per place over the departure window serves every category at
/// once (egress is per category). The reach's time is the median over the window; the 5th and 95th percentiles come along,
/// so a kern with one bus at 08:10 does not look as good as one with a bus every ten minutes.
/// The nearest service is the one reached on the median trip (the typical departure); the count within the threshold is 1
/// when that trip lies within it, else 0 (per-service counts would need one search per service).
/// </summary>
public sealed class TransitBusReach(Timetable timetable, Transit.Walking.IWalkingAccess walking, DoorToDoorOptions options, string description) : IBusReach
{
    private readonly DoorToDoorAnalysis _analysis = new(timetable, walking, options);

    public string Description { get; } = description;

    public IReadOnlyDictionary<string, IReadOnlyList<Reach>> Nearest(
        IReadOnlyList<Place> places, IReadOnlyDictionary<string, IReadOnlyList<ServiceInput>> servicesByCategory, Func<string, double> thresholdSeconds)
    {
        var origins = places.Select(p => new TransitPoint(p.Lat, p.Lon)).ToList();
        var destinations = servicesByCategory.ToDictionary(
            kv => kv.Key,
            kv => (IReadOnlyList<TransitPoint>)kv.Value.Select(s => new TransitPoint(s.Lat, s.Lon)).ToList());
        var result = new Dictionary<string, IReadOnlyList<Reach>>(StringComparer.Ordinal);
        if (origins.Count == 0 || destinations.Count == 0)
        {
            foreach (var c in servicesByCategory.Keys) result[c] = places.Select(_ => Reach.None(Mode.BusWalk, c)).ToList();
            return result;
        }
        var distributions = _analysis.NearestByCategory(origins, destinations);
        foreach (var (category, perPlace) in distributions)
        {
            var services = servicesByCategory[category];
            var thr = thresholdSeconds(category);
            var rows = new Reach[perPlace.Length];
            for (var i = 0; i < perPlace.Length; i++)
            {
                var d = perPlace[i];
                double Sec(int s) => s == TravelTimeDistribution.Unreachable ? double.PositiveInfinity : s;
                var p50 = Sec(d.P50);
                var destination = d.MedianDestination;
                var service = destination >= 0 ? services[destination] : null;
                rows[i] = new Reach(Mode.BusWalk, category, p50, double.NaN, service?.Id, service?.KernId, double.PositiveInfinity, null,
                    p50 <= thr ? 1 : 0, Sec(d.P5), Sec(d.P95));
            }
            result[category] = rows;
        }
        return result;
    }
}
