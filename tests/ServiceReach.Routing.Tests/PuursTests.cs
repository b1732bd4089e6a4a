namespace ServiceReach.Routing.Tests;

/// <summary>Checks on the clipped Puurs extract (two river banks: Schelde and Rupel split the walking graph).</summary>
public class PuursTests
{
    [Fact]
    public void Clipped_extract_builds_with_gap_splits_and_two_large_bank_components()
    {
        var net = RealData.Puurs;
        var stats = net.BuildStatistics!;
        Assert.True(stats.MissingNodeReferences > 1000, $"expected the clipped ways' missing references to be counted, got {stats.MissingNodeReferences}");
        Assert.True(stats.GapSplits > 100);
        var walk = net.For(Profile.Pedestrian);
        var sizes = walk.Graph.ComponentSize.Where(s => s > 0).OrderDescending().ToArray();
        // Two banks, each far larger than any island.
        Assert.True(sizes[1] > 500, $"second component has {sizes[1]} nodes");
        Assert.True(sizes[2] < sizes[1] / 20, $"third component has {sizes[2]} nodes");
        Assert.InRange(net.BytesPerEdge, 1, 64);
    }

    [Fact]
    public void All_place_centres_snap_to_a_bank_component_with_plausible_detours()
    {
        var net = RealData.Puurs;
        // The 20 settlement centres (towns, villages, hamlets); place=locality marks field names, not centres.
        var places = RealData.Places(RealData.PuursPath).Where(p => p.Place is "town" or "village" or "hamlet").ToList();
        Assert.Equal(20, places.Count);
        var walk = net.For(Profile.Pedestrian);
        var sizes = walk.Graph.ComponentSize.Where(s => s > 0).OrderDescending().Take(2).ToArray();
        var snaps = places.Select(p => walk.Snap(p.Point)).ToArray();
        for (int i = 0; i < snaps.Length; i++)
        {
            Assert.True(snaps[i].Found, $"{places[i].Name}: {snaps[i].Reason}");
            Assert.Contains(snaps[i].ComponentSize, sizes);
            Assert.True(snaps[i].DistanceMeters < 200, $"{places[i].Name} snapped {snaps[i].DistanceMeters:F0} m away");
        }
        var rivers = RealData.Rivers(RealData.PuursPath);
        Assert.NotEmpty(rivers);
        var gf = new NetTopologySuite.Geometries.GeometryFactory();
        bool CrossesRiver(GeoPoint a, GeoPoint b)
        {
            var seg = gf.CreateLineString([new(a.Lon, a.Lat), new(b.Lon, b.Lat)]);
            return rivers.Any(r => r.Intersects(seg));
        }
        var matrix = walk.ManyToMany(snaps, snaps);
        int sameBankPairs = 0;
        for (int a = 0; a < snaps.Length; a++)
            for (int b = 0; b < snaps.Length; b++)
            {
                if (a == b) continue;
                bool sameComponent = walk.Graph.Component[walk.Graph.EdgeFrom[snaps[a].Edge]] == walk.Graph.Component[walk.Graph.EdgeFrom[snaps[b].Edge]];
                Assert.Equal(sameComponent, !float.IsPositiveInfinity(matrix.Seconds[a, b]));
                if (!sameComponent) continue;
                if (CrossesRiver(places[a].Point, places[b].Point))
                {
                    // Across the water the walk goes via a bridge: longer than the straight line, never shorter.
                    Assert.True(matrix.Meters[a, b] > GeoPoint.DistanceMeters(snaps[a].Point, snaps[b].Point));
                    continue;
                }
                sameBankPairs++;
                double straight = GeoPoint.DistanceMeters(snaps[a].Point, snaps[b].Point);
                double detour = matrix.Meters[a, b] / straight;
                Assert.True(detour is >= 1.0 and <= 2.0, $"{places[a].Name} → {places[b].Name}: {matrix.Meters[a, b]:F0} m over {straight:F0} m straight (×{detour:F2})");
                Assert.Equal(matrix.Meters[a, b] / (4.8 / 3.6), matrix.Seconds[a, b], matrix.Seconds[a, b] * 1e-4);
            }
        Assert.True(sameBankPairs >= 60, $"only {sameBankPairs} same-bank pairs");
    }

    [Fact]
    public void Isochrone_bands_nest_and_grow()
    {
        var net = RealData.Puurs;
        var walk = net.For(Profile.Pedestrian);
        var puurs = RealData.Places(RealData.PuursPath).First(p => p.Name == "Puurs");
        var origin = walk.Snap(puurs.Point);
        var bands = walk.Isochrones(origin, [300, 600, 900]);
        Assert.Equal(3, bands.Count);
        for (int i = 1; i < bands.Count; i++)
        {
            Assert.True(bands[i].AreaSquareMeters > bands[i - 1].AreaSquareMeters);
            // Nested exactly: a larger reached set gives a pointwise smaller distance field, so each traced band covers the previous one.
            Assert.True(bands[i].Polygon.Covers(bands[i - 1].Polygon), $"band {bands[i].LimitSeconds} does not cover band {bands[i - 1].LimitSeconds}");
        }
        // A 15-minute walk (1.2 km) cannot cover more than the disc of that radius plus the buffer.
        Assert.InRange(bands[2].AreaSquareMeters, 0.3e6, Math.PI * 1235 * 1235);
        // Every reached node lies inside the band of its time.
        var reach = walk.OneToAll(origin, 900);
        var gf = bands[2].Polygon.Factory;
        foreach (var n in reach.ReachedNodes())
        {
            var band = bands.First(b => b.LimitSeconds >= n.Seconds);
            Assert.True(band.Polygon.Covers(gf.CreatePoint(new NetTopologySuite.Geometries.Coordinate(n.Point.Lon, n.Point.Lat))));
        }
    }

    [Theory]
    [InlineData("pedestrian")]
    [InlineData("bicycle")]
    public void Shortest_paths_equal_one_to_all_times_and_their_geometry_has_their_length(string profile)
    {
        var net = RealData.Puurs;
        var r = net.For(profile);
        var b = net.Bounds;
        var rng = new Random(5);
        GeoPoint Random() => new(b.MinLon + rng.NextDouble() * (b.MaxLon - b.MinLon), b.MinLat + rng.NextDouble() * (b.MaxLat - b.MinLat));
        var points = Enumerable.Range(0, 60).Select(_ => r.Snap(Random(), 2000)).Where(s => s.Found).ToArray();
        int found = 0;
        for (int i = 0; i + 1 < points.Length; i += 2)
        {
            var all = r.OneToAll(points[i], double.PositiveInfinity);
            var path = r.ShortestPath(points[i], points[i + 1]);
            double expected = all.TimeTo(points[i + 1]);
            if (double.IsPositiveInfinity(expected)) { Assert.False(path.Found); continue; }
            found++;
            Assert.True(Math.Abs(path.Seconds - expected) <= 1e-9 * expected, $"A* {path.Seconds:R} vs Dijkstra {expected:R}");
            Assert.Equal(all.DistanceTo(points[i + 1]), path.Meters, 1e-6 * path.Meters);
            var coords = path.Geometry!.Coordinates;
            double geomLength = 0;
            for (int k = 1; k < coords.Length; k++) geomLength += GeoPoint.DistanceMeters(new(coords[k - 1].X, coords[k - 1].Y), new(coords[k].X, coords[k].Y));
            Assert.Equal(path.Meters, geomLength, Math.Max(0.5, path.Meters * 1e-4));
            Assert.Equal(points[i].Point.Lon, coords[0].X, 9);
            Assert.Equal(points[i + 1].Point.Lat, coords[^1].Y, 9);
        }
        Assert.True(found >= 10, $"only {found} connected pairs");
    }
}
