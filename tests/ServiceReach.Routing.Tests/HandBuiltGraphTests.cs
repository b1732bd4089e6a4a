using NetTopologySuite.Geometries;

namespace ServiceReach.Routing.Tests;

/// <summary>Tiny OSM files written in the test, with answers computed by hand from the geometry.</summary>
public class HandBuiltGraphTests
{
    private static readonly double M = OsmXml.MetersPerMilliDegreeLat;
    private static readonly RouterOptions AnyComponent = new() { MinComponentNodes = 1 };
    private const double WalkMs = 4.8 / 3.6;
    private const double BikeMs = 15 / 3.6;

    private static Router R(StreetNetwork n, Profile p) => new(n, p.Name, AnyComponent);

    private static double Time(Router r, GeoPoint a, GeoPoint b)
    {
        var sa = r.Snap(a);
        var sb = r.Snap(b);
        Assert.True(sa.Found, sa.Reason);
        Assert.True(sb.Found, sb.Reason);
        return r.OneToAll(sa, 1e6).TimeTo(sb);
    }

    [Fact]
    public void Oneway_rules_per_profile()
    {
        var net = new OsmXml()
            .Node(1, 0, 0).Node(2, 0, 1).Node(3, 0, 2)
            .Node(11, 5, 0).Node(12, 5, 2)
            .Node(21, 10, 0).Node(22, 10, 2)
            .Node(31, 15, 0).Node(32, 15, 2)
            .Node(41, 20, 0).Node(42, 20, 2)
            .Way(100, [1, 2, 3], "highway=residential", "oneway=yes")
            .Way(101, [11, 12], "highway=residential", "oneway=yes", "oneway:bicycle=no")
            .Way(102, [21, 22], "highway=residential", "oneway=yes", "cycleway=opposite_lane")
            .Way(103, [31, 32], "highway=residential", "oneway=-1")
            .Way(104, [41, 42], "highway=residential", "junction=roundabout")
            .Build();
        var bike = R(net, Profile.Bicycle);
        var walk = R(net, Profile.Pedestrian);
        double len = 2 * M;
        double bikeResidential = BikeMs * 0.95;

        Assert.Equal(len / bikeResidential, Time(bike, OsmXml.At(0, 0), OsmXml.At(0, 2)), 3);
        Assert.Equal(double.PositiveInfinity, Time(bike, OsmXml.At(0, 2), OsmXml.At(0, 0)));
        Assert.Equal(len / WalkMs, Time(walk, OsmXml.At(0, 2), OsmXml.At(0, 0)), 3);
        // oneway:bicycle=no and cycleway=opposite_lane open the contraflow for bikes only.
        Assert.Equal(len / bikeResidential, Time(bike, OsmXml.At(5, 2), OsmXml.At(5, 0)), 3);
        Assert.Equal(len / bikeResidential, Time(bike, OsmXml.At(10, 2), OsmXml.At(10, 0)), 3);
        // oneway=-1 runs against the node order; roundabouts are implied oneway.
        Assert.Equal(double.PositiveInfinity, Time(bike, OsmXml.At(15, 0), OsmXml.At(15, 2)));
        Assert.Equal(len / bikeResidential, Time(bike, OsmXml.At(15, 2), OsmXml.At(15, 0)), 3);
        Assert.Equal(double.PositiveInfinity, Time(bike, OsmXml.At(20, 2), OsmXml.At(20, 0)));
        Assert.Equal(len / WalkMs, Time(walk, OsmXml.At(20, 2), OsmXml.At(20, 0)), 3);
    }

    [Fact]
    public void Access_tags_per_profile()
    {
        var net = new OsmXml()
            .Node(1, 0, 0).Node(2, 0, 1)
            .Node(11, 5, 0).Node(12, 5, 1)
            .Node(21, 10, 0).Node(22, 10, 1)
            .Node(31, 15, 0).Node(32, 15, 1)
            .Node(41, 20, 0).Node(42, 20, 1)
            .Node(51, 25, 0).Node(52, 25, 1)
            .Node(61, 30, 0).Node(62, 30, 1)
            .Way(100, [1, 2], "highway=residential", "foot=no")
            .Way(101, [11, 12], "highway=cycleway", "bicycle=dismount")
            .Way(102, [21, 22], "highway=service", "access=private", "foot=yes")
            .Way(103, [31, 32], "highway=steps")
            .Way(104, [41, 42], "highway=trunk")
            .Way(105, [51, 52], "highway=trunk", "cycleway=track")
            .Way(106, [61, 62], "highway=footway", "bicycle=yes")
            .Build();
        var walk = R(net, Profile.Pedestrian);
        var bike = R(net, Profile.Bicycle);
        var wheel = R(net, Profile.ReducedMobility);

        var s = walk.Snap(OsmXml.At(0, 0.5), 20);
        Assert.False(s.Found);
        Assert.Contains("no edge usable", s.Reason);
        Assert.Equal(M / BikeMs / 0.95, Time(bike, OsmXml.At(0, 0), OsmXml.At(0, 1)), 3);
        Assert.Equal(M / (BikeMs * 0.3), Time(bike, OsmXml.At(5, 0), OsmXml.At(5, 1)), 3);
        Assert.Equal(M / WalkMs, Time(walk, OsmXml.At(10, 0), OsmXml.At(10, 1)), 3);
        Assert.False(bike.Snap(OsmXml.At(10, 0.5), 20).Found);
        Assert.Equal(M / WalkMs, Time(walk, OsmXml.At(15, 0), OsmXml.At(15, 1)), 3);
        Assert.False(wheel.Snap(OsmXml.At(15, 0.5), 20).Found);
        Assert.False(bike.Snap(OsmXml.At(20, 0.5), 20).Found);
        Assert.False(walk.Snap(OsmXml.At(20, 0.5), 20).Found);
        Assert.Equal(M / (BikeMs * 0.8), Time(bike, OsmXml.At(25, 0), OsmXml.At(25, 1)), 3);
        Assert.Equal(M / (BikeMs * 0.9), Time(bike, OsmXml.At(30, 0), OsmXml.At(30, 1)), 3);
    }

    [Fact]
    public void Snapping_mid_edge_gives_partial_costs()
    {
        var net = new OsmXml().Node(1, 0, 0).Node(2, 0, 1).Node(3, 0, 2).Way(100, [1, 2, 3], "highway=residential").Build();
        Assert.Equal(2, net.NodeCount); // node 2 is only shape
        Assert.Equal(1, net.EdgeCount);
        var walk = R(net, Profile.Pedestrian);
        var q = walk.Snap(OsmXml.At(0.2, 1.5));
        Assert.True(q.Found);
        Assert.Equal(51.0015, q.Point.Lat, 6);
        Assert.Equal(4.3, q.Point.Lon, 6);
        Assert.Equal(0.0002 * Math.Cos(51.0015 * Math.PI / 180) * M * 1000, q.DistanceMeters, 1);
        var fromStart = walk.OneToAll(walk.Snap(OsmXml.At(0, 0)), 1000);
        Assert.Equal(1.5 * M / WalkMs, fromStart.TimeTo(q), 3);
        Assert.Equal(1.5 * M, fromStart.DistanceTo(q), 2);
        // Both points on the same edge: the direct piece, not via an end node.
        var a = walk.Snap(OsmXml.At(0, 0.5));
        Assert.Equal(M / WalkMs, walk.OneToAll(a, 1000).TimeTo(q), 3);
        Assert.Equal(M, walk.OneToAll(a, 1000).DistanceTo(q), 2);
        // The bound applies to the point, not only to nodes.
        Assert.Equal(double.PositiveInfinity, walk.OneToAll(a, M / WalkMs - 1).TimeTo(q));
        var path = walk.ShortestPath(a, q);
        Assert.True(path.Found);
        Assert.Equal(M, path.Meters, 2);
        Assert.Equal(51.0005, path.Geometry!.StartPoint.Y, 6);
        Assert.Equal(51.0015, path.Geometry.EndPoint.Y, 6);
    }

    [Fact]
    public void Clipped_way_is_split_at_gaps_never_joined_or_dropped()
    {
        // Node 999 and 998 are referenced but missing, as in a bounding-box extract.
        var net = new OsmXml()
            .Node(1, 0, 0).Node(2, 0, 1).Node(3, 0, 3).Node(4, 0, 4).Node(5, 0, 6)
            .Way(100, [1, 2, 999, 3, 4, 998, 5], "highway=residential")
            .Way(101, [997, 996], "highway=residential")
            .Build();
        Assert.Equal(4, net.NodeCount);
        Assert.Equal(2, net.EdgeCount);
        Assert.Equal(4, net.BuildStatistics!.MissingNodeReferences); // 999, 998 in way 100; 997, 996 in way 101
        var walk = R(net, Profile.Pedestrian);
        Assert.Equal(M / WalkMs, Time(walk, OsmXml.At(0, 0), OsmXml.At(0, 1)), 3);
        Assert.Equal(M / WalkMs, Time(walk, OsmXml.At(0, 3), OsmXml.At(0, 4)), 3);
        Assert.Equal(double.PositiveInfinity, Time(walk, OsmXml.At(0, 0), OsmXml.At(0, 4)));
        Assert.False(walk.Snap(OsmXml.At(0, 6), 50).Found); // the lone node 5 forms no edge
        Assert.Equal(2 * M, net.TotalLengthMeters("pedestrian"), 2);
    }

    [Fact]
    public void Snapping_skips_small_islands_and_reports_unsnappable_points()
    {
        // A 3 × 3 grid (9 nodes) and, 5 m from the query, a 2-node island.
        var b = new OsmXml();
        long id = 1;
        for (int x = 0; x < 3; x++)
            for (int y = 0; y < 3; y++) b.Node(id++, x, y);
        long W(int x, int y) => x * 3 + y + 1;
        long wid = 100;
        for (int x = 0; x < 3; x++) b.Way(wid++, [W(x, 0), W(x, 1), W(x, 2)], "highway=residential");
        for (int y = 0; y < 3; y++) b.Way(wid++, [W(0, y), W(1, y), W(2, y)], "highway=residential");
        b.Node(50, 3, 1).Node(51, 3, 2).Way(200, [50, 51], "highway=footway");
        var net = b.Build();
        var walk = new Router(net, "pedestrian", new RouterOptions { MinComponentNodes = 5 });
        var query = OsmXml.At(3.07, 1.5);
        var snap = walk.Snap(query);
        Assert.True(snap.Found);
        Assert.Equal(9, snap.ComponentSize);
        Assert.Equal(OsmXml.Lon0 + 0.002, snap.Point.Lon, 7);
        var near = walk.Snap(query, 30);
        Assert.False(near.Found);
        Assert.Equal(2, near.ComponentSize);
        Assert.Contains("component of 2 nodes", near.Reason);
        // With islands allowed the island wins.
        Assert.Equal(2, R(net, Profile.Pedestrian).Snap(query).ComponentSize);
    }

    [Fact]
    public void Isochrone_includes_partial_edge_up_to_the_reachable_point()
    {
        var net = new OsmXml().Node(1, 0, 0).Node(2, 0, 9).Way(100, [1, 2], "highway=residential").Build();
        var walk = R(net, Profile.Pedestrian);
        var origin = walk.Snap(OsmXml.At(0, 0));
        double r = 35;
        var bands = walk.Isochrones(origin, [300, 150], new IsochroneOptions { BufferMeters = r });
        Assert.Equal([150.0, 300.0], bands.Select(b => b.LimitSeconds).ToArray());
        double reach = 300 * WalkMs; // 400 m
        Assert.Equal(reach, bands[1].ReachedRoadMeters, 3);
        Assert.Equal(reach / 2, bands[0].ReachedRoadMeters, 3);
        // A stadium: rectangle 2r × reach plus a full disc of radius r (traced outline within 0.5 %).
        double stadium = 2 * r * reach + Math.PI * r * r;
        Assert.Equal(stadium, bands[1].AreaSquareMeters, stadium * 0.005);
        Assert.Equal(stadium, bands[1].Polygon.Area * Math.Pow(M * 1000, 2) * Math.Cos(51.002 * Math.PI / 180), stadium * 0.01);
        Assert.True(bands[1].Polygon.Covers(bands[0].Polygon));
        Assert.Equal(4326, bands[1].Polygon.SRID);
        var gf = new GeometryFactory(new PrecisionModel(), 4326);
        Point P(double east, double northMeters) => gf.CreatePoint(new Coordinate(OsmXml.Lon0 + east / 1000, OsmXml.Lat0 + northMeters / M / 1000));
        Assert.True(bands[1].Polygon.Covers(P(0, 380)));
        Assert.False(bands[1].Polygon.Covers(P(0, 440)));
        Assert.False(bands[0].Polygon.Covers(P(0, 240)));
        Assert.False(bands[1].Polygon.Covers(P(0.8, 200))); // ~56 m east of the road
    }

    [Fact]
    public void Isochrone_sums_population_units_inside_each_band()
    {
        var net = new OsmXml().Node(1, 0, 0).Node(2, 0, 9).Way(100, [1, 2], "highway=residential").Build();
        var walk = R(net, Profile.Pedestrian);
        var gf = new GeometryFactory(new PrecisionModel(), 4326);
        double lonPerMeter = 1 / (M * 1000 * Math.Cos(51.001 * Math.PI / 180)), latPerMeter = 1 / (M * 1000);
        Coordinate C(double eastM, double northM) => new(OsmXml.Lon0 + eastM * lonPerMeter, OsmXml.Lat0 + northM * latPerMeter);
        var units = new List<PopulationUnit>
        {
            new(gf.CreatePoint(C(0, 200)), 10),   // on the road, 200 m out: inside 300 s (400 m), outside 120 s (160 m)
            new(gf.CreatePoint(C(100, 100)), 5),  // 100 m east of the road: never inside a 35 m buffer
            // 0–70 m east of the road, 100–120 m north: the 35 m buffer covers half of it.
            new(gf.CreatePolygon([C(0, 100), C(70, 100), C(70, 120), C(0, 120), C(0, 100)]), 8),
        };
        var bands = walk.Isochrones(walk.Snap(OsmXml.At(0, 0)), [120, 300], new IsochroneOptions { BufferMeters = 35, Population = units });
        Assert.Equal(4, bands[0].Population!.Value, 0.05);
        Assert.Equal(14, bands[1].Population!.Value, 0.05);
        var viaCallback = walk.Isochrones(walk.Snap(OsmXml.At(0, 0)), [300], new IsochroneOptions { PopulationCallback = g => g.Area > 0 ? 42 : 0 });
        Assert.Equal(42, viaCallback[0].Population);
    }

    [Fact]
    public void Isochrone_keeps_holes_and_does_not_cross_unbridged_gaps()
    {
        // A square loop (10 × 10 milli-degrees) and a parallel road 3 milli-degrees west joined only at the far north.
        var net = new OsmXml()
            .Node(1, 0, 0).Node(2, 10, 0).Node(3, 10, 10).Node(4, 0, 10)
            .Node(5, -3, 0).Node(6, -3, 20).Node(7, 0, 20)
            .Way(100, [1, 2, 3, 4, 1], "highway=residential")
            .Way(101, [4, 7, 6, 5], "highway=residential")
            .Build();
        var walk = R(net, Profile.Pedestrian);
        var origin = walk.Snap(OsmXml.At(0, 0));
        var bands = walk.Isochrones(origin, [2400, 500], new IsochroneOptions { BufferMeters = 40 });
        var gf = new GeometryFactory(new PrecisionModel(), 4326);
        var full = bands[1].Polygon;
        Assert.True(full.Covers(gf.CreatePoint(new Coordinate(OsmXml.Lon0 + 0.005, OsmXml.Lat0))));
        Assert.False(full.Covers(gf.CreatePoint(new Coordinate(OsmXml.Lon0 + 0.005, OsmXml.Lat0 + 0.005)))); // the hole
        var poly = Assert.IsType<Polygon>(full);
        Assert.Equal(1, poly.NumInteriorRings);
        // 500 s = 667 m: along the loop both ways from the corner, never onto the western road 210 m away.
        Assert.False(bands[0].Polygon.Covers(gf.CreatePoint(new Coordinate(OsmXml.Lon0 - 0.003, OsmXml.Lat0 + 0.001))));
        Assert.True(bands[0].Polygon.Covers(gf.CreatePoint(new Coordinate(OsmXml.Lon0, OsmXml.Lat0 + 0.005))));
    }

    [Fact]
    public void Multi_source_gives_nearest_and_second_nearest_in_the_right_direction()
    {
        var net = new OsmXml()
            .Node(1, 0, 0).Node(2, 0, 1).Node(3, 0, 2).Node(4, 0, 3).Node(5, 0, 4)
            .Node(9, 1, 2)
            .Way(100, [1, 2, 3, 4, 5], "highway=residential", "oneway=yes")
            .Way(101, [3, 9], "highway=residential")
            .Build();
        var walk = R(net, Profile.Pedestrian);
        var bike = R(net, Profile.Bicycle);
        var sourcesW = walk.SnapMany([OsmXml.At(0, 0), OsmXml.At(0, 4)]);
        var w = walk.NearestSources(sourcesW, 1e5);
        var q = walk.Snap(OsmXml.At(0, 1));
        Assert.Equal(new SourceHit(0, M / WalkMs, M).SourceIndex, w.Nearest(q).SourceIndex);
        Assert.Equal(M / WalkMs, w.Nearest(q).Seconds, 3);
        Assert.Equal(1, w.SecondNearest(q).SourceIndex);
        Assert.Equal(3 * M / WalkMs, w.SecondNearest(q).Seconds, 3);
        Assert.Equal(3 * M, w.SecondNearest(q).Meters, 2);
        // Bounded: the second source is beyond 2 × 111 m of walking.
        var bounded = walk.NearestSources(sourcesW, 2 * M / WalkMs);
        Assert.False(bounded.SecondNearest(q).Found);

        // Cycling toward the sources: the oneway runs north, so from (0,1) only the northern source is reachable.
        var sourcesB = bike.SnapMany([OsmXml.At(0, 0), OsmXml.At(0, 4)]);
        var toward = bike.NearestSources(sourcesB, 1e5);
        var qb = bike.Snap(OsmXml.At(0, 1));
        Assert.Equal(1, toward.Nearest(qb).SourceIndex);
        Assert.Equal(3 * M / (BikeMs * 0.95), toward.Nearest(qb).Seconds, 3);
        Assert.False(toward.SecondNearest(qb).Found);
        var from = bike.NearestSources(sourcesB, 1e5, towardSources: false);
        Assert.Equal(0, from.Nearest(qb).SourceIndex);
        Assert.False(from.SecondNearest(qb).Found);
        // The side street node 9 (east of node 3): walk 2 × 111 m + 70 m to source 0.
        var q9 = walk.Snap(OsmXml.At(1, 2));
        double side = 0.001 * Math.Cos(51.002 * Math.PI / 180) * M * 1000;
        Assert.Equal((2 * M + side) / WalkMs, w.Nearest(q9).Seconds, 1);
        Assert.Equal((2 * M + side) / WalkMs, w.SecondNearest(q9).Seconds, 1);
        Assert.NotEqual(w.Nearest(q9).SourceIndex, w.SecondNearest(q9).SourceIndex);
    }
}
