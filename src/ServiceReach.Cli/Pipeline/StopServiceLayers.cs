using NetTopologySuite.Features;
using ServiceReach.Analysis;
using ServiceReach.Domain;
using ServiceReach.Transit.Analysis;
using TransitPoint = ServiceReach.Transit.Gtfs.GeoPoint;

namespace ServiceReach.Cli.Pipeline;

/// <summary>
/// Service level at stops (departures per hour per basismobiliteit time band) and, per kern, the nearest stop with at least
/// one departure an hour off-peak against the former basismobiliteit distance norms (domain.md §5).
/// </summary>
public static class StopServiceLayers
{
    /// <summary>Distance norm to a stop: 650 m for a (small) town, 750 m for villages and hamlets (500 m applies to cities).</summary>
    public static double NormMeters(string? typology) => typology switch
    {
        "city" => 500,
        "town" => 650,
        _ => 750,
    };

    public static IEnumerable<IFeature> Stops(BusContext bus, double minLon, double minLat, double maxLon, double maxLat)
    {
        var level = new ServiceLevel(bus.Timetable);
        var bands = TimeBand.Basismobiliteit;
        var perBand = level.ByBand(bands);
        for (var s = 0; s < bus.Timetable.StopCount; s++)
        {
            var stop = bus.Timetable.Stops[s];
            var p = stop.Location;
            if (p.Longitude < minLon || p.Longitude > maxLon || p.Latitude < minLat || p.Latitude > maxLat) continue;
            var total = 0.0;
            for (var b = 0; b < bands.Count; b++) total += perBand[b][s];
            if (total == 0) continue;
            var attrs = new AttributesTable { { "stop_id", stop.Id }, { "name", stop.Name } };
            for (var b = 0; b < bands.Count; b++) attrs.Add(("per_hour_" + bands[b].Name.Split(' ')[0] + "_" + bands[b].Name.Split(' ')[^1]).Replace('-', '_'), Math.Round(perBand[b][s], 2));
            // Rural norm: at least 2 an hour in the peaks and 1 an hour off-peak.
            attrs.Add("meets_rural_norm", perBand[0][s] >= 2 && perBand[2][s] >= 2 && perBand[1][s] >= 1 && perBand[3][s] >= 1);
            yield return new Feature(Geo.Point(p.Longitude, p.Latitude), attrs);
        }
    }

    /// <summary>Adds the nearest off-peak hourly stop to each kern feature.</summary>
    public static void AnnotateKernen(IList<IFeature> kernen, BusContext bus, IReadOnlyDictionary<long, string?> typology)
    {
        var level = new ServiceLevel(bus.Timetable);
        var points = kernen.Select(f => new TransitPoint(f.Geometry.Coordinate.Y, f.Geometry.Coordinate.X)).ToList();
        var nearest = level.NearestStopsWithService(points, 1.0, TimeBand.Basismobiliteit[1], bus.Walking, 1800);
        for (var i = 0; i < kernen.Count; i++)
        {
            var a = kernen[i].Attributes;
            var n = nearest[i];
            var norm = NormMeters(typology.GetValueOrDefault((long)a["kern_id"]));
            a.Add("hourly_stop", n?.StopName);
            a.Add("hourly_stop_m", n is null ? null : Math.Round(n.StraightLineMeters));
            a.Add("hourly_stop_walk_min", n?.WalkSeconds is { } w ? Math.Round(w / 60.0, 1) : null);
            a.Add("stop_norm_m", norm);
            a.Add("stop_norm_met", n is not null && n.StraightLineMeters <= norm);
        }
    }
}
