using System.Diagnostics;
using OsmSharp;
using OsmSharp.Streams;
using ServiceReach.Routing;

namespace ServiceReach.Bench.Routing;

/// <summary>
/// Scaling bench: the Puurs graph tiled N times (joined at tile borders), then multi-source nearest + second-nearest
/// for 12 service categories × walk and bike (3,600 s bound), with the service points copied into every tile.
/// Run one tile count per process so the peak working set belongs to that size.
/// </summary>
internal static class MosaicBench
{
    private static readonly (string Key, string Value)[] Categories =
    [
        ("shop", "supermarket"), ("shop", "bakery"), ("amenity", "pharmacy"), ("amenity", "bank"), ("amenity", "post_office"),
        ("amenity", "library"), ("amenity", "school"), ("amenity", "doctors"), ("amenity", "restaurant"), ("amenity", "cafe"),
        ("shop", "butcher"), ("amenity", "kindergarten"),
    ];

    public static int Run(string osm, int tiles)
    {
        (int cols, int rows) = tiles switch { 1 => (1, 1), 10 => (5, 2), 135 => (15, 9), _ => (tiles, 1) };
        var baseNet = StreetNetwork.Build(osm, [Profile.Pedestrian, Profile.Bicycle]);
        var pois = ReadPois(osm);
        GC.Collect();
        var total = Stopwatch.StartNew();
        var net = cols * rows == 1 ? baseNet : Mosaic.Tile(baseNet, cols, rows);
        double tileMs = total.Elapsed.TotalMilliseconds;
        var b = baseNet.Bounds;
        double w = b.MaxLon - b.MinLon, h = b.MaxLat - b.MinLat;
        long searchedNodes = 0;
        var perProfile = new List<string>();
        foreach (var profile in new[] { Profile.Pedestrian, Profile.Bicycle })
        {
            var sw = Stopwatch.StartNew();
            var router = net.For(profile);
            int sources = 0;
            // Categories in parallel on the machine's cores (each search owns its label arrays).
            Parallel.ForEach(Categories, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, cat =>
            {
                var points = new List<GeoPoint>();
                foreach (var p in pois[cat])
                    for (int r = 0; r < rows; r++)
                        for (int c = 0; c < cols; c++) points.Add(new GeoPoint(p.Lon + c * w, p.Lat + r * h));
                var snaps = router.SnapMany(points);
                Interlocked.Add(ref sources, snaps.Count);
                var result = router.NearestSources(snaps, 3600);
                Interlocked.Add(ref searchedNodes, result.ReachedNodeCount);
            });
            perProfile.Add($"{profile.Name} {sw.Elapsed.TotalSeconds:F1} s ({sources} sources, largest component {router.Graph.ComponentSize.Max():N0} nodes)");
        }
        total.Stop();
        var proc = Process.GetCurrentProcess();
        Console.WriteLine($"| {cols * rows} ({cols}×{rows}) | {net.NodeCount:N0} | {net.EdgeCount:N0} | {tileMs / 1000:F2} | {string.Join("; ", perProfile)} | {total.Elapsed.TotalSeconds:F1} | {proc.PeakWorkingSet64 / 1048576.0:F0} |");
        return 0;
    }

    private static Dictionary<(string, string), List<GeoPoint>> ReadPois(string osm)
    {
        var result = Categories.ToDictionary(c => c, _ => new List<GeoPoint>());
        var coords = new Dictionary<long, GeoPoint>();
        using var s = File.OpenRead(osm);
        foreach (var g in new PBFOsmStreamSource(s))
        {
            if (g is Node n && n.Id is long id && n.Latitude is double la && n.Longitude is double lo)
            {
                coords[id] = new GeoPoint(lo, la);
                Add(n.Tags, new GeoPoint(lo, la));
            }
            else if (g is Way way && way.Nodes is not null && way.Tags is not null)
            {
                var known = way.Nodes.Where(coords.ContainsKey).Select(k => coords[k]).ToList();
                if (known.Count > 0) Add(way.Tags, new GeoPoint(known.Average(p => p.Lon), known.Average(p => p.Lat)));
            }
        }
        void Add(OsmSharp.Tags.TagsCollectionBase? tags, GeoPoint p)
        {
            if (tags is null) return;
            foreach (var cat in Categories)
                if (tags.TryGetValue(cat.Key, out var v) && v == cat.Value) result[cat].Add(p);
        }
        return result;
    }
}
