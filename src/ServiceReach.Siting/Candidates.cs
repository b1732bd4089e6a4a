using System.Globalization;
using System.Text.Json;
using OsmSharp;
using OsmSharp.Streams;
using ServiceReach.Analysis;

namespace ServiceReach.Siting;

/// <summary>
/// A place a dorpspunt could go: a kern centre, a building OSM offers (community centre, church, school, town hall,
/// library) or a user-given building (a vacant shop), with an optional opening cost and notes (owner, availability).
/// </summary>
public sealed record CandidateSite(string Id, string Name, double Lon, double Lat, string Kind, double Cost = 1, string? Notes = null, long? KernId = null);

/// <summary>Where candidate sites come from.</summary>
public static class CandidateSources
{
    /// <summary>The OSM amenity values offered as candidates by default (domain.md §6: central, reachable buildings).</summary>
    public static readonly IReadOnlyList<string> DefaultOsmAmenities = ["community_centre", "place_of_worship", "school", "townhall", "library"];

    /// <summary>Every kern centre as a candidate (id <c>kern/&lt;id&gt;</c>).</summary>
    public static IReadOnlyList<CandidateSite> FromKernen(IEnumerable<KernInput> kernen)
        => kernen.Select(k => new CandidateSite("kern/" + k.Id.ToString(CultureInfo.InvariantCulture), k.Name, k.Lon, k.Lat, "kern_centre", KernId: k.Id)).ToList();

    /// <summary>
    /// Nodes and ways tagged amenity=&lt;one of <paramref name="amenities"/>&gt; in an OSM file (.osm or .pbf). A way stands
    /// at the mean of its nodes. Read in two passes so no node table of the whole file is kept.
    /// </summary>
    public static IReadOnlyList<CandidateSite> FromOsm(string osmPath, IReadOnlyCollection<string>? amenities = null)
    {
        var wanted = new HashSet<string>(amenities ?? DefaultOsmAmenities, StringComparer.Ordinal);
        var result = new List<CandidateSite>();
        var wayNodes = new Dictionary<long, (string Name, string Amenity, long[] Nodes)>();
        var needed = new HashSet<long>();
        foreach (var geo in Read(osmPath))
        {
            if (geo.Tags is null || !geo.Tags.TryGetValue("amenity", out var amenity) || !wanted.Contains(amenity)) continue;
            var name = geo.Tags.TryGetValue("name", out var n) ? n : amenity;
            if (geo is Node node && node.Latitude is { } lat && node.Longitude is { } lon)
            {
                result.Add(new CandidateSite("node/" + node.Id!.Value.ToString(CultureInfo.InvariantCulture), name, lon, lat, amenity));
            }
            else if (geo is Way way && way.Nodes is { Length: > 0 } nodes)
            {
                wayNodes[way.Id!.Value] = (name, amenity, nodes);
                needed.UnionWith(nodes);
            }
        }
        if (wayNodes.Count > 0)
        {
            var coords = new Dictionary<long, (double Lon, double Lat)>();
            foreach (var geo in Read(osmPath))
            {
                if (geo is Node node && needed.Contains(node.Id!.Value) && node.Latitude is { } lat && node.Longitude is { } lon)
                    coords[node.Id.Value] = (lon, lat);
            }
            foreach (var (id, (name, amenity, nodes)) in wayNodes.OrderBy(kv => kv.Key))
            {
                // A closed way repeats its first node; count it once.
                var distinct = nodes.Distinct().Where(coords.ContainsKey).ToList();
                if (distinct.Count == 0) continue;
                result.Add(new CandidateSite("way/" + id.ToString(CultureInfo.InvariantCulture), name,
                    distinct.Average(x => coords[x].Lon), distinct.Average(x => coords[x].Lat), amenity));
            }
        }
        return result.OrderBy(c => c.Id, StringComparer.Ordinal).ToList();
    }

    private static IEnumerable<OsmGeo> Read(string path)
    {
        using var stream = File.OpenRead(path);
        OsmStreamSource source = path.EndsWith(".pbf", StringComparison.OrdinalIgnoreCase) ? new PBFOsmStreamSource(stream) : new XmlOsmStreamSource(stream);
        foreach (var g in source) yield return g;
    }

    /// <summary>
    /// User candidates from a GeoJSON file of points (WGS84): properties <c>id</c>, <c>name</c>, <c>kind</c> (default
    /// "vacant_shop"), <c>cost</c> (default 1) and <c>notes</c>. Bad features raise an error naming the file and feature.
    /// </summary>
    public static IReadOnlyList<CandidateSite> FromGeoJson(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        if (!doc.RootElement.TryGetProperty("features", out var features) || features.ValueKind != JsonValueKind.Array)
            throw new InvalidDataException($"{path}: not a GeoJSON FeatureCollection (no 'features' array).");
        var result = new List<CandidateSite>();
        int index = 0;
        foreach (var f in features.EnumerateArray())
        {
            string where = $"{path}, feature {index}";
            if (!f.TryGetProperty("geometry", out var g) || g.ValueKind != JsonValueKind.Object || g.GetProperty("type").GetString() != "Point")
                throw new InvalidDataException($"{where}: candidate sites must be Point geometries.");
            var c = g.GetProperty("coordinates");
            double lon = c[0].GetDouble(), lat = c[1].GetDouble();
            if (lon is < -180 or > 180 || lat is < -90 or > 90) throw new InvalidDataException($"{where}: coordinates ({lon}, {lat}) are not WGS84 lon/lat.");
            var p = f.TryGetProperty("properties", out var pp) && pp.ValueKind == JsonValueKind.Object ? pp : default;
            string? Str(string key) => p.ValueKind == JsonValueKind.Object && p.TryGetProperty(key, out var v) && v.ValueKind != JsonValueKind.Null
                ? (v.ValueKind == JsonValueKind.String ? v.GetString() : v.GetRawText()) : null;
            double cost = 1;
            if (Str("cost") is { } cs && !double.TryParse(cs, NumberStyles.Float, CultureInfo.InvariantCulture, out cost) || cost < 0)
                throw new InvalidDataException($"{where}: cost '{Str("cost")}' is not a number ≥ 0.");
            var id = Str("id") ?? "user/" + index.ToString(CultureInfo.InvariantCulture);
            result.Add(new CandidateSite(id, Str("name") ?? id, lon, lat, Str("kind") ?? "vacant_shop", cost, Str("notes")));
            index++;
        }
        return result;
    }
}
