using ServiceReach.Testing;

namespace ServiceReach.Routing.Tests;

/// <summary>
/// The contraction hierarchy (<see cref="Router.ShortestPaths"/>) against plain Dijkstra (<see cref="Router.OneToMany"/>):
/// same seconds and metres, geometry from snapped point to snapped point with the path's length.
/// </summary>
public class ContractionHierarchyTests
{
    private static readonly double M = OsmXml.MetersPerMilliDegreeLat;
    private static readonly RouterOptions AnyComponent = new() { MinComponentNodes = 1 };
    private const double BikeResidentialMs = 15 / 3.6 * 0.95;

    // Own networks (not RealData.Puurs): once a hierarchy exists, ShortestPath uses it, and the A* tests on the
    // shared network should keep testing A*.
    private static readonly Lazy<StreetNetwork> Puurs = new(() => StreetNetwork.Build(RealData.PuursPath, Profile.BuiltIn));
    private static readonly Lazy<StreetNetwork> Rnv = new(() => StreetNetwork.Build(RnvPath, Profile.BuiltIn));
    private static string RnvPath => SharedGeoData.Require("osm/rnv-rhein-neckar.osm.pbf");

    /// <summary>
    /// A oneway street A(0,0) → B(0,4) and a two-way detour A – C(3,0) – D(3,4) – B, plus an island far east.
    /// Cycling from B's side to A's must take the detour; walking ignores the oneway.
    /// </summary>
    private static StreetNetwork OnewaySquare() => new OsmXml()
        .Node(1, 0, 0).Node(2, 0, 4).Node(3, 3, 0).Node(4, 3, 4)
        .Node(11, 50, 0).Node(12, 50, 2)
        .Way(100, [1, 2], "highway=residential", "oneway=yes")
        .Way(101, [1, 3, 4, 2], "highway=residential")
        .Way(102, [11, 12], "highway=residential")
        .Build();

    [Fact]
    public void Oneway_forces_the_detour_for_bikes_but_not_for_walkers()
    {
        var net = OnewaySquare();
        var bike = new Router(net, Profile.Bicycle.Name, AnyComponent);
        var walk = new Router(net, Profile.Pedestrian.Name, AnyComponent);
        var north = bike.Snap(OsmXml.At(0, 3));
        var south = bike.Snap(OsmXml.At(0, 1));
        double east = GeoPoint.DistanceMeters(OsmXml.At(0, 0), OsmXml.At(3, 0)) + GeoPoint.DistanceMeters(OsmXml.At(0, 4), OsmXml.At(3, 4));

        var paths = bike.ShortestPaths([(south, north), (north, south)]);
        // Both ends on the oneway edge: along it when that direction is open (the direct piece) ...
        Assert.True(paths[0].Found);
        Assert.Equal(2 * M / BikeResidentialMs, paths[0].Seconds, 3);
        Assert.Equal(2 * M, paths[0].Meters, 3);
        Assert.Equal(2, paths[0].Geometry!.NumPoints);
        // ... else forward to B, around the detour, and up the oneway again from A.
        Assert.True(paths[1].Found);
        Assert.Equal((6 * M + east) / BikeResidentialMs, paths[1].Seconds, 3);
        Assert.Equal(6 * M + east, paths[1].Meters, 3);
        Assert.Equal(OsmXml.At(3, 0).Lon, paths[1].Geometry!.EnvelopeInternal.MaxX, 9);
        AssertLine(paths[1], north, south);

        var w = walk.ShortestPaths([(walk.Snap(OsmXml.At(0, 3)), walk.Snap(OsmXml.At(0, 1)))]);
        Assert.Equal(2 * M, w[0].Meters, 3);
        AssertSameAsDijkstra(bike, Pairs(bike, SquarePoints()));
        AssertSameAsDijkstra(walk, Pairs(walk, SquarePoints()));
    }

    [Fact]
    public void Snapped_ends_mid_edge_and_the_shortcut_the_oneway_forbids()
    {
        var net = OnewaySquare();
        var bike = new Router(net, Profile.Bicycle.Name, AnyComponent);
        // From the middle of the detour's east side to the middle of the oneway: via A and up the oneway (the short
        // way); back again the oneway may not be ridden south, so via B and the detour's north side.
        var onDetour = bike.Snap(OsmXml.At(3, 2));
        var onOneway = bike.Snap(OsmXml.At(0, 2));
        var paths = bike.ShortestPaths([(onDetour, onOneway), (onOneway, onDetour)]);
        double ew = GeoPoint.DistanceMeters(OsmXml.At(0, 0), OsmXml.At(3, 0));
        double ewNorth = GeoPoint.DistanceMeters(OsmXml.At(0, 4), OsmXml.At(3, 4));
        Assert.Equal(2 * M + ew + 2 * M, paths[0].Meters, 3);
        Assert.Equal(2 * M + ewNorth + 2 * M, paths[1].Meters, 3);
        Assert.True(paths[1].Geometry!.EnvelopeInternal.MaxY > OsmXml.At(0, 3.9).Lat, "the way back runs through B in the north");
        AssertLine(paths[0], onDetour, onOneway);
        AssertLine(paths[1], onOneway, onDetour);
        // The single-pair call answers from the hierarchy once it exists, with the same numbers.
        var single = bike.ShortestPath(onOneway, onDetour);
        Assert.Equal(paths[1].Seconds, single.Seconds);
        Assert.Equal(paths[1].Meters, single.Meters);
        Assert.True(paths[1].Geometry!.EqualsExact(single.Geometry!));
    }

    [Fact]
    public void Same_edge_both_directions_and_other_components()
    {
        var net = OnewaySquare();
        var walk = new Router(net, Profile.Pedestrian.Name, AnyComponent);
        var a = walk.Snap(OsmXml.At(0, 1));
        var b = walk.Snap(OsmXml.At(0, 3));
        var island = walk.Snap(OsmXml.At(50, 1));
        Assert.True(island.Found, island.Reason);
        var paths = walk.ShortestPaths([(a, b), (b, a), (a, a), (a, island), (island, b)]);
        Assert.Equal(2 * M, paths[0].Meters, 3);
        Assert.Equal(2 * M, paths[1].Meters, 3);
        Assert.Equal(paths[0].Seconds, paths[1].Seconds, 9);
        Assert.Equal(b.Point.Lat, paths[1].Geometry!.StartPoint.Y, 9);
        Assert.Equal(a.Point.Lat, paths[1].Geometry!.EndPoint.Y, 9);
        Assert.True(paths[2].Found);
        Assert.Equal(0, paths[2].Seconds);
        Assert.False(paths[3].Found);
        Assert.Null(paths[3].Geometry);
        Assert.False(paths[4].Found);
        var unsnapped = walk.Snap(OsmXml.At(200, 200), 10);
        Assert.False(walk.ShortestPaths([(a, unsnapped)])[0].Found);
    }

    [Fact]
    public void Random_grids_with_oneways_parallel_and_zero_length_edges_equal_dijkstra()
    {
        for (int seed = 1; seed <= 6; seed++)
        {
            var (net, points) = RandomGrid(seed);
            // Only a real test of parallel and zero-cost arcs when the grid holds them.
            var d = net.Data;
            Assert.Contains(0f, d.EdgeLength);
            var ends = new HashSet<(int, int)>();
            bool parallel = false;
            for (int e = 0; e < d.EdgeCount; e++) parallel |= !ends.Add((Math.Min(d.EdgeFrom[e], d.EdgeTo[e]), Math.Max(d.EdgeFrom[e], d.EdgeTo[e])));
            Assert.True(parallel);
            foreach (var profile in new[] { Profile.Pedestrian, Profile.Bicycle })
            {
                var r = new Router(net, profile.Name, AnyComponent);
                var snaps = points.Select(p => r.Snap(p, 2000)).Where(s => s.Found).ToArray();
                var pairs = new List<(SnapResult, SnapResult)>();
                foreach (var s in snaps) foreach (var t in snaps) pairs.Add((s, t));
                var (found, _) = AssertSameAsDijkstra(r, pairs);
                Assert.True(found > pairs.Count / 3, $"seed {seed} {profile.Name}: only {found} of {pairs.Count} pairs connected");
            }
        }
    }

    [Fact]
    public void Concurrent_first_calls_share_one_hierarchy_and_agree()
    {
        var (net, points) = RandomGrid(7);
        var routers = Enumerable.Range(0, 4).Select(_ => new Router(net, Profile.Bicycle.Name, AnyComponent)).ToArray();
        var snaps = points.Select(p => routers[0].Snap(p, 2000)).Where(s => s.Found).ToArray();
        var pairs = snaps.SelectMany(a => snaps.Select(b => (a, b))).ToList();
        var results = new IReadOnlyList<PathResult>[routers.Length];
        Parallel.For(0, routers.Length, i => results[i] = routers[i].ShortestPaths(pairs));
        for (int i = 1; i < routers.Length; i++)
        {
            Assert.Same(routers[0].Hierarchy, routers[i].Hierarchy);
            for (int k = 0; k < pairs.Count; k++)
            {
                Assert.Equal(results[0][k].Found, results[i][k].Found);
                Assert.Equal(results[0][k].Seconds, results[i][k].Seconds);
                Assert.Equal(results[0][k].Meters, results[i][k].Meters);
            }
        }
    }

    [Theory]
    [InlineData("pedestrian")]
    [InlineData("bicycle")]
    public void Puurs_random_pairs_equal_dijkstra(string profile)
    {
        _ = RealData.PuursPath; // skips when absent
        var r = Puurs.Value.For(profile);
        var (found, unreachable) = AssertSameAsDijkstra(r, RandomPairs(r, 520, seed: 11));
        Assert.True(found >= 500, $"only {found} connected pairs ({unreachable} unreachable)");
    }

    [Fact]
    public void Rhein_neckar_walking_random_pairs_equal_dijkstra()
    {
        _ = RnvPath; // skips when absent
        var r = Rnv.Value.For(Profile.Pedestrian);
        var (found, unreachable) = AssertSameAsDijkstra(r, RandomPairs(r, 210, seed: 12));
        Assert.True(found >= 200, $"only {found} connected pairs ({unreachable} unreachable)");
    }

    // ------------------------------------------------------------------ helpers

    private static GeoPoint[] SquarePoints() =>
        [OsmXml.At(0, 0), OsmXml.At(0, 1), OsmXml.At(0, 2.5), OsmXml.At(0, 4), OsmXml.At(1.5, 0), OsmXml.At(3, 1), OsmXml.At(3, 3.5), OsmXml.At(2, 4), OsmXml.At(50, 1)];

    private static List<(SnapResult, SnapResult)> Pairs(Router r, GeoPoint[] points)
    {
        var snaps = points.Select(p => r.Snap(p)).ToArray();
        var pairs = new List<(SnapResult, SnapResult)>();
        foreach (var a in snaps) foreach (var b in snaps) pairs.Add((a, b));
        return pairs;
    }

    /// <summary>
    /// Seeded random points in the extract's box, snapped and paired off until <paramref name="connected"/> pairs lie
    /// in one component; up to 30 pairs across components (the river banks) are kept too.
    /// </summary>
    private static List<(SnapResult, SnapResult)> RandomPairs(Router r, int connected, int seed)
    {
        var b = r.Network.Bounds;
        var g = r.Graph;
        var rng = new Random(seed);
        var pairs = new List<(SnapResult, SnapResult)>();
        SnapResult Next()
        {
            while (true)
            {
                var s = r.Snap(new GeoPoint(b.MinLon + rng.NextDouble() * (b.MaxLon - b.MinLon), b.MinLat + rng.NextDouble() * (b.MaxLat - b.MinLat)), 2000);
                if (s.Found) return s;
            }
        }
        int same = 0, across = 0;
        while (same < connected)
        {
            var (x, y) = (Next(), Next());
            bool one = g.Component[g.EdgeFrom[x.Edge]] == g.Component[g.EdgeFrom[y.Edge]];
            if (one) same++;
            else if (++across > 30) continue;
            pairs.Add((x, y));
        }
        return pairs;
    }

    /// <summary>
    /// A 7 × 7 street grid (1 milli-degree spacing) with random highway types and oneways, some blocks joined by a
    /// second, curved way (parallel edges) and some junctions split into two OSM nodes at one position joined by a
    /// way of length 0 (zero-cost arcs). Returns the network and random points to snap.
    /// </summary>
    private static (StreetNetwork Net, GeoPoint[] Points) RandomGrid(int seed)
    {
        var rng = new Random(seed);
        const int N = 7;
        string[] highways = ["residential", "footway", "cycleway", "primary", "service", "steps"];
        string[] oneways = ["oneway=yes", "oneway=-1"];
        var osm = new OsmXml();
        long Id(int x, int y) => 1 + x * N + y;
        var twin = new Dictionary<long, long>();
        long nextId = 1000, wayId = 1;
        for (int x = 0; x < N; x++)
            for (int y = 0; y < N; y++)
            {
                osm.Node(Id(x, y), x, y);
                if (rng.NextDouble() < 0.2)
                {
                    long t = nextId++;
                    osm.Node(t, x, y);
                    twin[Id(x, y)] = t;
                    osm.Way(wayId++, [Id(x, y), t], "highway=footway");
                }
            }
        // A node's twin (when it has one) takes over some of its streets, so the zero-length way carries traffic.
        long End(int x, int y) => twin.TryGetValue(Id(x, y), out var t) && rng.NextDouble() < 0.5 ? t : Id(x, y);
        void Street(long a, long b, int ax, int ay, int bx, int by)
        {
            var tags = new List<string> { "highway=" + highways[rng.Next(highways.Length)] };
            if (rng.NextDouble() < 0.35) tags.Add(oneways[rng.Next(2)]);
            osm.Way(wayId++, [a, b], tags.ToArray());
            if (rng.NextDouble() < 0.15)
            {
                // A curved second street between the same two nodes, over a shape node of its own.
                long mid = nextId++;
                osm.Node(mid, (ax + bx) / 2.0 + (ay != by ? 0.3 : 0), (ay + by) / 2.0 + (ax != bx ? 0.3 : 0));
                var t2 = new List<string> { "highway=" + highways[rng.Next(highways.Length)] };
                if (rng.NextDouble() < 0.35) t2.Add(oneways[rng.Next(2)]);
                osm.Way(wayId++, [a, mid, b], t2.ToArray());
            }
        }
        for (int x = 0; x < N; x++)
            for (int y = 0; y < N; y++)
            {
                if (x + 1 < N && rng.NextDouble() < 0.85) Street(End(x, y), End(x + 1, y), x, y, x + 1, y);
                if (y + 1 < N && rng.NextDouble() < 0.85) Street(End(x, y), End(x, y + 1), x, y, x, y + 1);
            }
        var points = Enumerable.Range(0, 24).Select(_ => OsmXml.At(rng.NextDouble() * (N - 1), rng.NextDouble() * (N - 1))).ToArray();
        return (osm.Build(), points);
    }

    /// <summary>
    /// For each pair: found exactly when Dijkstra reaches the destination; seconds and metres within 1e-9 relative;
    /// geometry from the origin's snapped point to the destination's, as long as the path (0.5 %, at least 0.5 m).
    /// </summary>
    private static (int Found, int Unreachable) AssertSameAsDijkstra(Router r, IReadOnlyList<(SnapResult From, SnapResult To)> pairs)
    {
        var paths = r.ShortestPaths(pairs);
        Assert.Equal(pairs.Count, paths.Count);
        int found = 0, unreachable = 0;
        for (int i = 0; i < pairs.Count; i++)
        {
            var (a, b) = pairs[i];
            var p = paths[i];
            if (!a.Found || !b.Found) { Assert.False(p.Found); continue; }
            var dijkstra = r.OneToMany(a, [b]);
            double sec = dijkstra.Seconds[0], met = dijkstra.Meters[0];
            if (double.IsPositiveInfinity(sec))
            {
                Assert.False(p.Found, $"pair {i}: Dijkstra finds no path, the hierarchy one of {p.Seconds} s");
                unreachable++;
                continue;
            }
            Assert.True(p.Found, $"pair {i}: Dijkstra {sec} s, the hierarchy none");
            found++;
            Assert.True(Math.Abs(p.Seconds - sec) <= 1e-9 * sec + 1e-12, $"pair {i}: seconds {p.Seconds:R} vs Dijkstra {sec:R}");
            Assert.True(Math.Abs(p.Meters - met) <= 1e-9 * met + 1e-12, $"pair {i}: metres {p.Meters:R} vs Dijkstra {met:R}");
            AssertLine(p, a, b);
        }
        return (found, unreachable);
    }

    private static void AssertLine(PathResult p, SnapResult a, SnapResult b)
    {
        var c = p.Geometry!.Coordinates;
        Assert.Equal(4326, p.Geometry.SRID);
        Assert.Equal(a.Point.Lon, c[0].X, 9);
        Assert.Equal(a.Point.Lat, c[0].Y, 9);
        Assert.Equal(b.Point.Lon, c[^1].X, 9);
        Assert.Equal(b.Point.Lat, c[^1].Y, 9);
        double length = 0;
        for (int k = 1; k < c.Length; k++) length += GeoPoint.DistanceMeters(new(c[k - 1].X, c[k - 1].Y), new(c[k].X, c[k].Y));
        Assert.True(Math.Abs(length - p.Meters) <= Math.Max(0.5, 0.005 * p.Meters), $"geometry {length:F2} m vs path {p.Meters:F2} m");
    }
}
