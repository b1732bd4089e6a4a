using NetTopologySuite.Features;
using NetTopologySuite.Geometries;
using OsmSharp;
using OsmSharp.Streams;
using ServiceReach.Api.Infrastructure;

namespace ServiceReach.Api.Services;

/// <summary>
/// The streets of the configured OSM extract as lines (highway=* ways, with their highway value and name), read once on
/// first use: the web map's offline base layer, so no external tile server is needed.
/// </summary>
public sealed class StreetLines(ApiSettings settings)
{
    private const long MaxFileBytes = 64L * 1024 * 1024;
    private readonly Lazy<IReadOnlyList<IFeature>> _lines = new(() => Read(settings.StreetsOsm));

    public IReadOnlyList<IFeature> Lines => _lines.Value;

    private static List<IFeature> Read(string path)
    {
        var result = new List<IFeature>();
        if (new FileInfo(path).Length > MaxFileBytes) return result; // a base map for a whole country belongs in tiles, not one GeoJSON
        var nodes = new Dictionary<long, Coordinate>();
        using var stream = File.OpenRead(path);
        OsmStreamSource source = path.EndsWith(".pbf", StringComparison.OrdinalIgnoreCase) ? new PBFOsmStreamSource(stream) : new XmlOsmStreamSource(stream);
        var ways = new List<Way>();
        foreach (var g in source)
        {
            if (g is Node { Id: { } id, Longitude: { } lon, Latitude: { } lat }) nodes[id] = new Coordinate(lon, lat);
            else if (g is Way w && w.Tags is { } tags && tags.ContainsKey("highway") && w.Nodes is { Length: >= 2 }) ways.Add(w);
        }
        foreach (var w in ways)
        {
            var coords = new List<Coordinate>(w.Nodes.Length);
            foreach (var n in w.Nodes)
            {
                if (nodes.TryGetValue(n, out var c)) coords.Add(c);
            }
            if (coords.Count < 2) continue;
            result.Add(new Feature(ServiceReach.Domain.Geo.Wgs84.CreateLineString([.. coords]), new AttributesTable
            {
                { "highway", w.Tags.GetValue("highway") },
                { "name", w.Tags.TryGetValue("name", out var name) ? name : null },
            }));
        }
        return result;
    }
}
