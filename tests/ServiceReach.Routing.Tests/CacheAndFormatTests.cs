using ServiceReach.Testing;

namespace ServiceReach.Routing.Tests;

public class CacheAndFormatTests
{
    [Fact]
    public void Xml_and_pbf_twins_build_the_same_graph()
    {
        var xml = StreetNetwork.Build(SharedGeoData.Require("osm/wechel.osm"), Profile.BuiltIn);
        var pbf = StreetNetwork.Build(SharedGeoData.Require("osm/wechel.osm.pbf"), Profile.BuiltIn);
        Assert.True(pbf.EdgeCount > 100);
        Assert.Equal(pbf.NodeCount, xml.NodeCount);
        Assert.Equal(pbf.EdgeCount, xml.EdgeCount);
        Assert.Equal(pbf.Data.EdgeFrom, xml.Data.EdgeFrom);
        Assert.Equal(pbf.Data.NodeLatE7, xml.Data.NodeLatE7);
        foreach (var p in Profile.BuiltIn)
            Assert.Equal(pbf.TotalLengthMeters(p.Name), xml.TotalLengthMeters(p.Name), 3);
    }

    [Fact]
    public void Cache_round_trips_and_rejects_damage()
    {
        var src = SharedGeoData.Require("osm/wechel.osm.pbf");
        var folder = Path.Combine(Path.GetTempPath(), $"sr-cache-{Guid.NewGuid():N}");
        try
        {
            var built = StreetNetwork.LoadOrBuild(src, folder, Profile.BuiltIn);
            var files = Directory.GetFiles(folder);
            var cache = Assert.Single(files);
            var stamp = File.GetLastWriteTimeUtc(cache);
            var loaded = StreetNetwork.LoadOrBuild(src, folder, Profile.BuiltIn);
            Assert.Equal(stamp, File.GetLastWriteTimeUtc(cache)); // loaded, not rebuilt
            Assert.Null(loaded.BuildStatistics);
            Assert.Equal(built.SourceChecksum, loaded.SourceChecksum);
            Assert.Equal(built.Data.EdgeTo, loaded.Data.EdgeTo);
            Assert.Equal(built.Data.ShapeLonE7, loaded.Data.ShapeLonE7);
            Assert.Equal(built.Data.BackwardSeconds[2], loaded.Data.BackwardSeconds[2]);
            Assert.Equal(built.Bounds, loaded.Bounds);
            Assert.Equal(Profile.Bicycle.ToJson(), loaded.Profiles[2].ToJson());
            // Same answers from both.
            var c = built.Bounds.Centre;
            var a = built.For(Profile.Bicycle);
            var b = loaded.For(Profile.Bicycle);
            var sa = a.Snap(c);
            var sb = b.Snap(c);
            Assert.True(sa.Found);
            Assert.Equal(a.OneToAll(sa, 600).ReachedNodeCount, b.OneToAll(sb, 600).ReachedNodeCount);
            // A different profile set gets its own cache file.
            StreetNetwork.LoadOrBuild(src, folder, [Profile.Pedestrian]);
            Assert.Equal(2, Directory.GetFiles(folder).Length);

            // Truncated file: a clear error naming the file; LoadOrBuild then rebuilds over it.
            var bytes = File.ReadAllBytes(cache);
            File.WriteAllBytes(cache, bytes[..(bytes.Length / 2)]);
            var ex = Assert.Throws<InvalidDataException>(() => StreetNetwork.Load(cache));
            Assert.Contains(cache, ex.Message);
            var rebuilt = StreetNetwork.LoadOrBuild(src, folder, Profile.BuiltIn);
            Assert.Equal(built.EdgeCount, rebuilt.EdgeCount);
            Assert.Equal(bytes.Length, new FileInfo(cache).Length);
            // Another format version is refused by Load.
            bytes[8] = 99;
            File.WriteAllBytes(cache, bytes);
            Assert.Contains("version 99", Assert.Throws<InvalidDataException>(() => StreetNetwork.Load(cache)).Message);
            Assert.Empty(Directory.GetFiles(folder, "*.tmp"));
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }

    [Fact]
    public void Profiles_load_from_json_and_bad_json_names_the_line()
    {
        var json = Profile.EBike.ToJson();
        var back = Profile.FromJson(json);
        Assert.Equal(22, back.SpeedKmh);
        Assert.Equal(Profile.EBike.HighwayFactors["cycleway"], back.HighwayFactors["cycleway"]);
        Assert.Equal(Profile.EBike.OnewayKeys, back.OnewayKeys);
        var custom = Profile.FromJson("""
            { "name": "runner", "speedKmh": 10,
              "highwayFactors": { "footway": 1, "path": 0.8 },
              "accessKeys": ["foot", "access"] }
            """);
        Assert.Equal("runner", custom.Name);
        Assert.Equal(0.8, custom.HighwayFactors["path"]);
        var ex = Assert.Throws<FormatException>(() => Profile.FromJson("{\n \"name\": \"x\",\n \"speedKmh\": oops }"));
        Assert.Contains("line 3", ex.Message);
        Assert.Throws<FormatException>(() => Profile.FromJson("""{ "name": "x", "speedKmh": -1, "highwayFactors": {} }"""));
    }

    [Fact]
    public void Ferries_are_optional_with_a_waiting_time()
    {
        var b = new OsmXml().Node(1, 0, 0).Node(2, 0, 1).Node(3, 0, 2).Node(4, 0, 3)
            .Way(100, [1, 2], "highway=residential")
            .Way(101, [2, 3], "route=ferry")
            .Way(102, [3, 4], "highway=residential");
        var withFerry = Profile.Pedestrian with { Name = "walk-ferry", FerryWaitSeconds = 600, FerrySpeedKmh = 6 };
        var net = b.Build([Profile.Pedestrian, withFerry]);
        double m = OsmXml.MetersPerMilliDegreeLat;
        var plain = new Router(net, "pedestrian", new RouterOptions { MinComponentNodes = 1 });
        var ferry = new Router(net, "walk-ferry", new RouterOptions { MinComponentNodes = 1 });
        Assert.Equal(double.PositiveInfinity, plain.OneToAll(plain.Snap(OsmXml.At(0, 0)), 1e5).TimeTo(plain.Snap(OsmXml.At(0, 3))));
        double expected = 2 * m / (4.8 / 3.6) + m / (6 / 3.6) + 600;
        Assert.Equal(expected, ferry.OneToAll(ferry.Snap(OsmXml.At(0, 0)), 1e5).TimeTo(ferry.Snap(OsmXml.At(0, 3))), 2);
    }
}
