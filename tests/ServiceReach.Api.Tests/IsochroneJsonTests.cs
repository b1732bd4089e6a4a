using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;
using ServiceReach.Api.Endpoints;
using ServiceReach.Api.Infrastructure;
using ServiceReach.Api.Services;
using ServiceReach.Domain;
using ServiceReach.Exchange.GeoJson;
using ServiceReach.Routing;
using ServiceReach.Storage;

namespace ServiceReach.Api.Tests;

/// <summary>
/// The isochrone response's writer (<see cref="IsochroneJson"/>, whose geometries come from the general writer's fast
/// 6-decimal coordinates) against an independent reference written here the plain way — each coordinate rounded with
/// Math.Round and written by Utf8JsonWriter, rings oriented with NTS — and against <see cref="GeoJsonLayerWriter"/>'s
/// file output: same bytes, coordinates with at most 6 decimals.
/// </summary>
public sealed partial class IsochroneJsonTests(ApiFixture fx)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly GeometryFactory Wgs84 = new(new PrecisionModel(), CoordinateSystems.Wgs84);

    /// <summary>RFC 7946 polygon GeoJSON written the straightforward way (the reference for the fast coordinate path).</summary>
    private static string ReferenceJson(Geometry g)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            void Ring(LinearRing ring, bool counterClockwise)
            {
                var coords = ring.Coordinates;
                if (coords.Length >= 4 && NetTopologySuite.Algorithm.Orientation.IsCCW(coords) != counterClockwise) Array.Reverse(coords);
                json.WriteStartArray();
                foreach (var c in coords)
                {
                    json.WriteStartArray();
                    foreach (var v in new[] { c.X, c.Y })
                    {
                        var r = Math.Round(v, 6, MidpointRounding.AwayFromZero);
                        json.WriteNumberValue(r == 0 ? 0 : r);
                    }
                    json.WriteEndArray();
                }
                json.WriteEndArray();
            }
            void Rings(Polygon p)
            {
                json.WriteStartArray();
                Ring(p.Shell, counterClockwise: true);
                foreach (var h in p.Holes) Ring(h, counterClockwise: false);
                json.WriteEndArray();
            }
            json.WriteStartObject();
            json.WriteString("type", g.GeometryType);
            json.WritePropertyName("coordinates");
            if (g is Polygon polygon) Rings(polygon);
            else
            {
                json.WriteStartArray();
                for (var i = 0; i < g.NumGeometries; i++) Rings((Polygon)g.GetGeometryN(i));
                json.WriteEndArray();
            }
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    [Fact]
    public void Coordinates_are_written_as_the_reference_writer_writes_them()
    {
        // Edge cases of the fixed-point path: halves at the 7th decimal, trailing zeros, integers, values near zero that the
        // shortest form writes with an exponent, negative values that round to zero, large values.
        var values = new List<double>
        {
            0, -0.0, 1, -1, 4.2846015, -4.2846015, 51.0000005, 51.07, 179.9999995, -179.9999996, 90, -90, 0.5, 0.0000005, -0.0000005,
            0.0000004, 0.000001, -0.000001, 0.00001, 0.0001, 0.00099, 0.001, -0.00123449, 0.0123456789, 123456.123456789, 1e9 + 0.25, 1e12, 3e15, 2e16,
            double.Epsilon, 4.1234565, 4.12345650000001, 4.1234564999999,
        };
        var rnd = new Random(20261123);
        for (var i = 0; i < 200_000; i++)
        {
            values.Add((rnd.NextDouble() - 0.5) * 360);
            values.Add(Math.Round((rnd.NextDouble() - 0.5) * 360, rnd.Next(0, 9)) + (rnd.Next(3) - 1) * 5e-7);
            values.Add((rnd.NextDouble() - 0.5) * Math.Pow(10, rnd.Next(-8, 10)));
        }
        // Many values per ring keep the comparison fast; each ring is closed so NTS accepts it.
        for (var start = 0; start + 3 <= values.Count; start += 1000)
        {
            var chunk = values.Skip(start).Take(1000).ToList();
            var coords = new List<Coordinate>();
            for (var i = 0; i + 1 < chunk.Count; i += 2) coords.Add(new Coordinate(chunk[i], chunk[i + 1]));
            coords.Add(coords[0].Copy());
            if (coords.Count < 4) continue;
            var ring = Wgs84.CreatePolygon(coords.ToArray());
            Assert.Equal(ReferenceJson(ring), IsochroneJson.GeometryToJson(ring));
            // The router builds packed sequences, which the writer reads through their raw array.
            var packed = Wgs84.CreatePolygon(new NetTopologySuite.Geometries.Implementation.PackedDoubleCoordinateSequence(coords.ToArray(), 2, 0));
            Assert.Equal(ReferenceJson(packed), IsochroneJson.GeometryToJson(packed));
        }
    }

    [Fact]
    public void Rings_are_oriented_and_multipolygons_and_empty_geometries_are_written_as_the_reference()
    {
        // Clockwise shell with a counter-clockwise hole: both get reversed (RFC 7946 right-hand rule).
        var shell = Wgs84.CreateLinearRing([new(4.0, 51.0), new(4.0, 51.1), new(4.1, 51.1), new(4.1, 51.0), new(4.0, 51.0)]);
        var hole = Wgs84.CreateLinearRing([new(4.02, 51.02), new(4.08, 51.02), new(4.08, 51.08), new(4.02, 51.08), new(4.02, 51.02)]);
        var withHole = Wgs84.CreatePolygon(shell, [hole]);
        var other = Wgs84.CreatePolygon([new(4.2, 51.0), new(4.3, 51.0), new(4.3, 51.1), new(4.2, 51.0)]);
        var multi = Wgs84.CreateMultiPolygon([withHole, other]);
        foreach (var g in new Geometry[] { withHole, other, multi })
            Assert.Equal(ReferenceJson(g), IsochroneJson.GeometryToJson(g));
        Assert.Equal("null", IsochroneJson.GeometryToJson(Wgs84.CreatePolygon()));
    }

    [Fact]
    public void Ring_orientation_is_the_one_NTS_computes_also_for_packed_sequences_and_degenerate_rings()
    {
        var rnd = new Random(7);
        for (var k = 0; k < 20_000; k++)
        {
            // Few distinct values make repeated points, flat tops and collapsed segments common.
            var n = rnd.Next(3, 12);
            var packed = new double[2 * (n + 1)];
            for (var i = 0; i < n; i++)
            {
                packed[2 * i] = rnd.Next(0, 4);
                packed[2 * i + 1] = rnd.Next(0, 4);
            }
            packed[2 * n] = packed[0];
            packed[2 * n + 1] = packed[1];
            var seq = new NetTopologySuite.Geometries.Implementation.PackedDoubleCoordinateSequence(packed, 2, 0);
            var array = new NetTopologySuite.Geometries.Implementation.CoordinateArraySequence(seq.ToCoordinateArray());
            var expected = NetTopologySuite.Algorithm.Orientation.IsCCW(array);
            Assert.Equal(expected, ServiceReach.Exchange.GeoJson.RingOrientation.IsCounterClockwise(seq));
            Assert.Equal(expected, ServiceReach.Exchange.GeoJson.RingOrientation.IsCounterClockwise(array));
        }
        // A packed polygon (as the router builds them) is written as the reference writes it.
        var ring = Wgs84.CreateLinearRing(new NetTopologySuite.Geometries.Implementation.PackedDoubleCoordinateSequence(
            [4.0, 51.0, 4.0, 51.1, 4.1, 51.1, 4.1, 51.0, 4.0, 51.0], 2, 0));
        var polygon = Wgs84.CreatePolygon(ring);
        Assert.Equal(ReferenceJson(polygon), IsochroneJson.GeometryToJson(polygon));
    }

    [Fact]
    public async Task Isochrone_response_has_at_most_six_decimals_the_reference_bytes_and_unchanged_areas()
    {
        using var c = fx.Client();
        var id = await DemoDatabase.ScalarAsync(fx.ConnectionString, "SELECT id FROM kern WHERE name = 'Heidebeek'");
        var r = await c.GetAsync($"/api/isochrone?kern={id}&mode=walk&minutes=5,10,15", Ct);
        var body = await r.Content.ReadAsByteArrayAsync(Ct);
        Assert.True(r.IsSuccessStatusCode, Encoding.UTF8.GetString(body));
        Assert.Equal("application/geo+json", r.Content.Headers.ContentType?.MediaType);
        Assert.Equal(body.Length, r.Content.Headers.ContentLength);
        var text = Encoding.UTF8.GetString(body);

        // Every number inside "coordinates" has at most IsochroneJson.Decimals (6) decimals and no exponent.
        var rings = CoordinatesArrays().Matches(text);
        Assert.Equal(3, rings.Count);
        var numbers = 0;
        foreach (Match m in rings)
        {
            foreach (Match n in Number().Matches(m.Groups[1].Value))
            {
                numbers++;
                var v = n.Value;
                Assert.DoesNotContain("e", v, StringComparison.OrdinalIgnoreCase);
                var dot = v.IndexOf('.', StringComparison.Ordinal);
                Assert.True(dot < 0 || v.Length - dot - 1 <= IsochroneJson.Decimals, $"coordinate {v} has more than {IsochroneJson.Decimals} decimals");
            }
        }
        Assert.True(numbers > 100, $"only {numbers} coordinate numbers");

        // The same search in-process: the areas in the response are the router's areas, and the whole body is what the
        // general GeoJSON writer gives for the same features (the response before the fast writer).
        var streets = fx.Factory.Services.GetRequiredService<StreetService>();
        var doc = JsonDocument.Parse(body).RootElement;
        var props = doc.GetProperty("features")[0].GetProperty("properties");
        var kern = props.GetProperty("kern").GetString();
        Assert.True(AnalysisEndpoints.TryParseMode("walk", out var mode));
        var router = streets.For(mode);
        var (lon, lat) = await KernCentre(id);
        var origin = router.Snap(new GeoPoint(lon, lat));
        var bands = router.Isochrones(origin, [300, 600, 900]);
        Assert.Equal(bands.Select(b => Math.Round(b.AreaSquareMeters / 1e6, 3)),
            doc.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("properties").GetProperty("area_km2").GetDouble()));
        var features = bands.Select(b => (IFeature)new Feature(b.Polygon, new AttributesTable
        {
            { "mode", mode.ToString() }, { "minutes", b.LimitSeconds / 60 }, { "area_km2", Math.Round(b.AreaSquareMeters / 1e6, 3) },
            { "origin_lon", Math.Round(lon, 6) }, { "origin_lat", Math.Round(lat, 6) }, { "snap_meters", Math.Round(origin.DistanceMeters, 1) },
            { "kern", kern },
        })).ToList();
        using var reference = new MemoryStream();
        await GeoJsonLayerWriter.WriteAsync(reference, features, Ct);
        Assert.Equal(Encoding.UTF8.GetString(reference.ToArray()), text);
    }

    private async Task<(double Lon, double Lat)> KernCentre(long id)
    {
        await using var db = ServiceReachDb.Open(fx.ConnectionString);
        var kern = await db.Kernen.AsNoTracking().FirstAsync(k => k.Id == id, Ct);
        return (kern.Centre.X, kern.Centre.Y);
    }

    [GeneratedRegex("\"coordinates\":(\\[[^a-z\"]*\\])\\}")]
    private static partial Regex CoordinatesArrays();

    [GeneratedRegex("-?[0-9][0-9.eE+-]*")]
    private static partial Regex Number();
}
