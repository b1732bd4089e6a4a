using OsmSharp;
using OsmSharp.Streams;
using ServiceReach.Testing;

namespace ServiceReach.Routing.Tests;

/// <summary>Networks built once per test run from the shared real extracts.</summary>
internal static class RealData
{
    private static readonly Lazy<StreetNetwork> PuursNetwork = new(() => StreetNetwork.Build(PuursPath, Profile.BuiltIn));
    private static string? _puursPath;

    public static string PuursPath => _puursPath ??= SharedGeoData.Require("osm/puurs.osm.pbf");

    public static StreetNetwork Puurs
    {
        get
        {
            _ = PuursPath; // skips when absent
            return PuursNetwork.Value;
        }
    }

    /// <summary>waterway=river lines of an extract (pieces of consecutive known nodes), read independently of the engine.</summary>
    public static List<NetTopologySuite.Geometries.LineString> Rivers(string osmPath)
    {
        var coords = new Dictionary<long, NetTopologySuite.Geometries.Coordinate>();
        var lines = new List<NetTopologySuite.Geometries.LineString>();
        var gf = new NetTopologySuite.Geometries.GeometryFactory();
        using var s = File.OpenRead(osmPath);
        foreach (var g in new PBFOsmStreamSource(s))
        {
            if (g is Node n && n.Id is long id && n.Latitude is double la && n.Longitude is double lo) coords[id] = new(lo, la);
            else if (g is Way w && w.Tags is not null && w.Tags.TryGetValue("waterway", out var ww) && ww == "river" && w.Nodes is not null)
            {
                var piece = new List<NetTopologySuite.Geometries.Coordinate>();
                foreach (var nid in w.Nodes.Append(long.MinValue))
                {
                    if (coords.TryGetValue(nid, out var c)) { piece.Add(c); continue; }
                    if (piece.Count >= 2) lines.Add(gf.CreateLineString(piece.ToArray()));
                    piece.Clear();
                }
            }
        }
        return lines;
    }

    /// <summary>The place=* nodes of an extract, read independently of the engine.</summary>
    public static List<(string Name, string Place, GeoPoint Point)> Places(string osmPath)
    {
        var list = new List<(string, string, GeoPoint)>();
        using var s = File.OpenRead(osmPath);
        foreach (var g in new PBFOsmStreamSource(s))
        {
            if (g is Node n && n.Tags is not null && n.Tags.TryGetValue("place", out var place) && n.Latitude is double la && n.Longitude is double lo)
                list.Add((n.Tags.TryGetValue("name", out var name) ? name : $"node {n.Id}", place, new GeoPoint(lo, la)));
        }
        return list;
    }
}
