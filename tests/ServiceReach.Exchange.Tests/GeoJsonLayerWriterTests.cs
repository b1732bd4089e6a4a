using System.Text.Json;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;
using ServiceReach.Domain;
using ServiceReach.Exchange.GeoJson;

namespace ServiceReach.Exchange.Tests;

public class GeoJsonLayerWriterTests
{
    private static readonly GeometryFactory F = Geo.Wgs84;

    private static async Task<JsonElement> WriteAndParse(IEnumerable<IFeature> features, GeoJsonWriteOptions? options = null)
    {
        using var ms = new MemoryStream();
        await GeoJsonLayerWriter.WriteAsync(ms, features, options);
        return JsonDocument.Parse(ms.ToArray()).RootElement.Clone();
    }

    private static double SignedArea(JsonElement ring)
    {
        // Shoelace on lon/lat: positive = counter-clockwise.
        var pts = ring.EnumerateArray().Select(p => (X: p[0].GetDouble(), Y: p[1].GetDouble())).ToArray();
        double a = 0;
        for (var i = 0; i + 1 < pts.Length; i++) a += pts[i].X * pts[i + 1].Y - pts[i + 1].X * pts[i].Y;
        return a / 2;
    }

    [Fact]
    public async Task Polygons_follow_the_right_hand_rule_whatever_the_input_orientation()
    {
        // Clockwise shell with a counter-clockwise hole: both must be flipped.
        var shell = F.CreateLinearRing([new(4, 51), new(4, 51.1), new(4.1, 51.1), new(4.1, 51), new(4, 51)]);
        var hole = F.CreateLinearRing([new(4.02, 51.02), new(4.08, 51.02), new(4.08, 51.08), new(4.02, 51.08), new(4.02, 51.02)]);
        var cwPolygon = F.CreatePolygon(shell, [hole]);
        var ccwPolygon = (Polygon)cwPolygon.Reverse();
        var root = await WriteAndParse([new Feature(cwPolygon, new AttributesTable()), new Feature(F.CreateMultiPolygon([ccwPolygon]), new AttributesTable())]);

        var first = root.GetProperty("features")[0].GetProperty("geometry").GetProperty("coordinates");
        Assert.True(SignedArea(first[0]) > 0, "exterior ring must be counter-clockwise");
        Assert.True(SignedArea(first[1]) < 0, "hole must be clockwise");
        var second = root.GetProperty("features")[1].GetProperty("geometry");
        Assert.Equal("MultiPolygon", second.GetProperty("type").GetString());
        Assert.True(SignedArea(second.GetProperty("coordinates")[0][0]) > 0);
        Assert.True(SignedArea(second.GetProperty("coordinates")[0][1]) < 0);
        // Area magnitude unchanged: 0.1 × 0.1 = 0.01 and 0.06 × 0.06 = 0.0036 square degrees.
        Assert.Equal(0.01, SignedArea(first[0]), 9);
        Assert.Equal(-0.0036, SignedArea(first[1]), 9);
    }

    [Fact]
    public async Task Coordinates_are_rounded_to_six_decimals_and_attributes_keep_their_json_types()
    {
        var attributes = new AttributesTable
        {
            { "name", "Sint-Amands é" },
            { "population", 1234 },
            { "share", 0.25 },
            { "open", true },
            { "missing", null },
            { "categories", new[] { "bakery", "gp" } },
            { "nan", double.NaN },
            { "day", new DateOnly(2026, 11, 23) },
        };
        var root = await WriteAndParse([new Feature(F.CreatePoint(new Coordinate(4.12345649, 51.1234565)), attributes)]);
        Assert.Equal("FeatureCollection", root.GetProperty("type").GetString());
        var f = root.GetProperty("features")[0];
        var c = f.GetProperty("geometry").GetProperty("coordinates");
        Assert.Equal("4.123456", c[0].GetRawText());
        Assert.Equal("51.123457", c[1].GetRawText()); // 51.1234565 rounds half away from zero
        var p = f.GetProperty("properties");
        Assert.Equal("Sint-Amands é", p.GetProperty("name").GetString());
        Assert.Equal(1234, p.GetProperty("population").GetInt32());
        Assert.Equal(0.25, p.GetProperty("share").GetDouble());
        Assert.True(p.GetProperty("open").GetBoolean());
        Assert.Equal(JsonValueKind.Null, p.GetProperty("missing").ValueKind);
        Assert.Equal(["bakery", "gp"], p.GetProperty("categories").EnumerateArray().Select(e => e.GetString()).ToArray());
        Assert.Equal(JsonValueKind.Null, p.GetProperty("nan").ValueKind);
        Assert.Equal("2026-11-23", p.GetProperty("day").GetString());
    }

    [Fact]
    public async Task Lambert_geometries_are_reprojected_to_wgs84()
    {
        var p = Geo.Lambert2008.CreatePoint(new Coordinate(649328, 665262)); // Lambert 2008 false origin = 4.359216 E, 50.797815 N
        var root = await WriteAndParse([new Feature(p, new AttributesTable())]);
        var c = root.GetProperty("features")[0].GetProperty("geometry").GetProperty("coordinates");
        Assert.Equal(4.359216, c[0].GetDouble(), 5);
        Assert.Equal(50.797815, c[1].GetDouble(), 5);
    }

    [Fact]
    public async Task File_write_is_atomic_and_streams_many_features()
    {
        var dir = Directory.CreateTempSubdirectory("sr-geojson-");
        try
        {
            var path = Path.Combine(dir.FullName, "layer.geojson");
            await File.WriteAllTextAsync(path, "old content");
            IEnumerable<IFeature> Failing()
            {
                yield return new Feature(F.CreatePoint(new Coordinate(4, 51)), new AttributesTable());
                throw new InvalidOperationException("source failed");
            }
            await Assert.ThrowsAsync<InvalidOperationException>(() => GeoJsonLayerWriter.WriteAsync(path, Failing()));
            Assert.Equal("old content", await File.ReadAllTextAsync(path));
            Assert.Single(Directory.GetFiles(dir.FullName)); // no temp file left behind

            IEnumerable<IFeature> Many()
            {
                for (var i = 0; i < 20000; i++)
                    yield return new Feature(F.CreatePoint(new Coordinate(4 + i * 1e-5, 51)), new AttributesTable { { "i", i } });
            }
            var written = await GeoJsonLayerWriter.WriteAsync(path, Many());
            Assert.Equal(20000, written);
            using var doc = JsonDocument.Parse(await File.ReadAllBytesAsync(path));
            var features = doc.RootElement.GetProperty("features");
            Assert.Equal(20000, features.GetArrayLength());
            Assert.Equal(19999, features[19999].GetProperty("properties").GetProperty("i").GetInt32());
        }
        finally
        {
            dir.Delete(true);
        }
    }
}
