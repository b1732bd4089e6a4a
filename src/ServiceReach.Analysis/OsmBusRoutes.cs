using OsmSharp;
using OsmSharp.Streams;
using ServiceReach.Transit.Scenarios;
using TransitPoint = ServiceReach.Transit.Gtfs.GeoPoint;

namespace ServiceReach.Analysis;

/// <summary>A bus route relation from OpenStreetMap: its stops in order (no timetable — OSM has none).</summary>
public sealed record OsmBusRoute(long RelationId, string? Ref, string? Name, IReadOnlyList<(double Lon, double Lat, string Name)> Stops)
{
    /// <summary>
    /// A planned line along this route for a transit scenario: a run every <paramref name="headwayMinutes"/> from
    /// <paramref name="firstDeparture"/> to <paramref name="lastDeparture"/> (seconds after midnight) at <paramref name="speedKmh"/>.
    /// </summary>
    public NewLine ToNewLine(int headwayMinutes, double speedKmh = 25, int firstDeparture = 6 * 3600, int lastDeparture = 21 * 3600, int dwellSeconds = 20)
    {
        if (Stops.Count < 2) throw new InvalidOperationException($"OSM relation {RelationId} has fewer than two stops; it cannot become a line.");
        if (headwayMinutes <= 0) throw new ArgumentOutOfRangeException(nameof(headwayMinutes), "The headway must be positive.");
        var stops = Stops.Select(s => NewLineStop.At(new TransitPoint(s.Lat, s.Lon), s.Name)).ToList();
        return new NewLine($"osm-{RelationId}", Ref ?? Name ?? $"OSM {RelationId}", stops, headwayMinutes * 60, speedKmh,
            firstDeparture, lastDeparture, dwellSeconds, BothDirections: false);
    }
}

/// <summary>
/// Reads <c>type=route</c> + <c>route=bus</c> relations and their stop nodes (roles <c>stop*</c> and <c>platform*</c>; a stop and
/// its platform next to each other count once) from an OSM file, in two streaming passes so memory does not grow with the file.
/// </summary>
public static class OsmBusRoutes
{
    public static IReadOnlyList<OsmBusRoute> Read(string osmPath)
    {
        if (!File.Exists(osmPath)) throw new FileNotFoundException($"OSM file not found: {osmPath}", osmPath);
        var relations = new List<(long Id, string? Ref, string? Name, List<long> Nodes)>();
        var wanted = new HashSet<long>();
        foreach (var geo in Open(osmPath))
        {
            if (geo is not Relation r || r.Tags is null || !r.Tags.Contains("type", "route") || !r.Tags.Contains("route", "bus")) continue;
            var nodes = new List<long>();
            foreach (var m in r.Members ?? [])
            {
                var role = m.Role ?? "";
                if (m.Type != OsmGeoType.Node || !(role.StartsWith("stop", StringComparison.Ordinal) || role.StartsWith("platform", StringComparison.Ordinal))) continue;
                nodes.Add(m.Id);
                wanted.Add(m.Id);
            }
            relations.Add((r.Id!.Value, r.Tags.TryGetValue("ref", out var rf) ? rf : null, r.Tags.TryGetValue("name", out var nm) ? nm : null, nodes));
        }

        var coordinates = new Dictionary<long, (double Lon, double Lat, string Name)>();
        foreach (var geo in Open(osmPath))
        {
            if (geo is not Node n || n.Id is not { } id || !wanted.Contains(id) || n.Longitude is not { } lon || n.Latitude is not { } lat) continue;
            coordinates[id] = (lon, lat, n.Tags is not null && n.Tags.TryGetValue("name", out var name) ? name : $"node {id}");
        }

        var result = new List<OsmBusRoute>(relations.Count);
        foreach (var (id, rf, name, nodes) in relations)
        {
            var stops = new List<(double Lon, double Lat, string Name)>();
            foreach (var nodeId in nodes)
            {
                // Members outside a clipped extract have no coordinates: they are left out, the rest of the route is kept.
                if (!coordinates.TryGetValue(nodeId, out var c)) continue;
                // A stop_position and its platform a few metres apart are one stop for a passenger.
                if (stops.Count > 0 && Domain.Geo.HaversineMeters(stops[^1].Lon, stops[^1].Lat, c.Lon, c.Lat) < 60) continue;
                stops.Add(c);
            }
            result.Add(new OsmBusRoute(id, rf, name, stops));
        }
        return result;
    }

    private static IEnumerable<OsmGeo> Open(string path)
    {
        using var stream = File.OpenRead(path);
        OsmStreamSource source = path.EndsWith(".pbf", StringComparison.OrdinalIgnoreCase) ? new PBFOsmStreamSource(stream) : new XmlOsmStreamSource(stream);
        foreach (var geo in source) yield return geo;
    }
}
