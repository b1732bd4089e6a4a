using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Implementation;
using ServiceReach.Domain;
using ServiceReach.Exchange.GeoJson;
using ServiceReach.Routing;

namespace ServiceReach.Api.Infrastructure;

/// <summary>The properties every band of one isochrone response repeats (already rounded as they are written).</summary>
public sealed record IsochroneOrigin(string Mode, double Lon, double Lat, double SnapMeters, string? Kern)
{
    /// <summary>Bus bands only: the departure window ("07:30-08:00") and the percentile over its departures.</summary>
    public string? DepartureWindow { get; init; }
    public double? Percentile { get; init; }
}

/// <summary>
/// Writes an isochrone response: the same bytes as <see cref="GeoJsonLayerWriter"/> gives for the band features
/// (coordinates rounded half away from zero to 6 decimals, exterior rings counter-clockwise, holes clockwise), but with the
/// coordinates formatted as fixed-point integers instead of through <c>double</c> formatting, and into one pooled buffer
/// so the response goes out with a Content-Length in one write. An isochrone response holds thousands of vertices
/// (Puurs, walk 5/10/15 min: ~6,000, 130 kB), so coordinate formatting was the largest cost around the routing call.
/// </summary>
public static class IsochroneJson
{
    /// <summary>Decimal places of the coordinates (RFC 7946 §11.2: 6 decimals ≈ 0.1 m), as in <see cref="GeoJsonWriteOptions.Decimals"/>.</summary>
    public const int Decimals = 6;

    private const double Scale = 1e6;

    // Longest position written by the fast path: "[-180.123456,-90.123456,-1234.56]," has 35 bytes; a fallback number can
    // take up to 24 bytes, so 3 numbers plus brackets and commas fit in 96.
    private const int MaxPositionBytes = 96;

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // As GeoJsonLayerWriter: é, ë, ø stay readable in kern names.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
        SkipValidation = true,
    };

    private static readonly JsonEncodedText Type = JsonEncodedText.Encode("type");
    private static readonly JsonEncodedText FeatureCollection = JsonEncodedText.Encode("FeatureCollection");
    private static readonly JsonEncodedText Features = JsonEncodedText.Encode("features");
    private static readonly JsonEncodedText Feature = JsonEncodedText.Encode("Feature");
    private static readonly JsonEncodedText Geometry = JsonEncodedText.Encode("geometry");
    private static readonly JsonEncodedText Coordinates = JsonEncodedText.Encode("coordinates");
    private static readonly JsonEncodedText PolygonType = JsonEncodedText.Encode("Polygon");
    private static readonly JsonEncodedText MultiPolygonType = JsonEncodedText.Encode("MultiPolygon");
    private static readonly JsonEncodedText Properties = JsonEncodedText.Encode("properties");
    private static readonly JsonEncodedText ModeName = JsonEncodedText.Encode("mode");
    private static readonly JsonEncodedText MinutesName = JsonEncodedText.Encode("minutes");
    private static readonly JsonEncodedText AreaName = JsonEncodedText.Encode("area_km2");
    private static readonly JsonEncodedText OriginLonName = JsonEncodedText.Encode("origin_lon");
    private static readonly JsonEncodedText OriginLatName = JsonEncodedText.Encode("origin_lat");
    private static readonly JsonEncodedText SnapName = JsonEncodedText.Encode("snap_meters");
    private static readonly JsonEncodedText KernName = JsonEncodedText.Encode("kern");
    private static readonly JsonEncodedText WindowName = JsonEncodedText.Encode("departure_window");
    private static readonly JsonEncodedText PercentileName = JsonEncodedText.Encode("percentile");

    /// <summary>Bytes the response will take, give or take: sizes the pooled buffer so it rarely grows.</summary>
    public static int EstimateBytes(IReadOnlyList<IsochroneBand> bands)
    {
        long points = 0;
        foreach (var b in bands) points += b.Polygon?.NumPoints ?? 0;
        return (int)Math.Min(int.MaxValue / 2, 512 + 256L * bands.Count + 24 * points);
    }

    /// <summary>The FeatureCollection of the bands: geometry, then mode, minutes, area_km2, origin_lon/lat, snap_meters, kern.</summary>
    public static void Write(IBufferWriter<byte> output, IReadOnlyList<IsochroneBand> bands, IsochroneOrigin origin)
    {
        // Sized for the largest band up front: growing by doubling copied about as many bytes again as the band has.
        var largest = 0;
        foreach (var b in bands) largest = Math.Max(largest, b.Polygon?.NumPoints ?? 0);
        using var scratch = new PooledBufferWriter((int)Math.Min(int.MaxValue / 2, 64 + 24L * largest));
        using var json = new Utf8JsonWriter(output, WriterOptions);
        json.WriteStartObject();
        json.WriteString(Type, FeatureCollection);
        json.WriteStartArray(Features);
        foreach (var band in bands)
        {
            json.WriteStartObject();
            json.WriteString(Type, Feature);
            json.WritePropertyName(Geometry);
            WriteGeometry(json, band.Polygon, scratch);
            json.WriteStartObject(Properties);
            json.WriteString(ModeName, origin.Mode);
            WriteNumber(json, MinutesName, band.LimitSeconds / 60);
            WriteNumber(json, AreaName, Math.Round(band.AreaSquareMeters / 1e6, 3));
            WriteNumber(json, OriginLonName, origin.Lon);
            WriteNumber(json, OriginLatName, origin.Lat);
            WriteNumber(json, SnapName, origin.SnapMeters);
            if (origin.Kern is null) json.WriteNull(KernName); else json.WriteString(KernName, origin.Kern);
            if (origin.DepartureWindow is not null) json.WriteString(WindowName, origin.DepartureWindow);
            if (origin.Percentile is { } p) WriteNumber(json, PercentileName, p);
            json.WriteEndObject();
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
        json.Flush();
    }

    /// <summary>The GeoJSON text of one geometry, as <see cref="GeoJsonLayerWriter.GeometryToJson"/> writes it (for tests and reuse).</summary>
    public static string GeometryToJson(Geometry? geometry)
    {
        using var output = new PooledBufferWriter(1024);
        using var scratch = new PooledBufferWriter(1024);
        using (var json = new Utf8JsonWriter(output, WriterOptions)) WriteGeometry(json, geometry, scratch);
        return System.Text.Encoding.UTF8.GetString(output.WrittenSpan);
    }

    private static void WriteNumber(Utf8JsonWriter json, JsonEncodedText name, double value)
    {
        // As GeoJsonLayerWriter's attribute values: a number that is not finite becomes null.
        if (double.IsFinite(value)) json.WriteNumber(name, value); else json.WriteNull(name);
    }

    private static void WriteGeometry(Utf8JsonWriter json, Geometry? g, PooledBufferWriter scratch)
    {
        if (g is null || g.IsEmpty)
        {
            json.WriteNullValue();
            return;
        }
        var wgs84 = g.SRID is 0 or CoordinateSystems.Wgs84;
        if (wgs84 && g is Polygon polygon)
        {
            scratch.Clear();
            WritePolygonRings(scratch, polygon);
            json.WriteStartObject();
            json.WriteString(Type, PolygonType);
            json.WritePropertyName(Coordinates);
            json.WriteRawValue(scratch.WrittenSpan, skipInputValidation: true);
            json.WriteEndObject();
        }
        else if (wgs84 && g is MultiPolygon multi)
        {
            scratch.Clear();
            Byte(scratch, (byte)'[');
            for (var i = 0; i < multi.NumGeometries; i++)
            {
                if (i > 0) Byte(scratch, (byte)',');
                WritePolygonRings(scratch, (Polygon)multi.GetGeometryN(i));
            }
            Byte(scratch, (byte)']');
            json.WriteStartObject();
            json.WriteString(Type, MultiPolygonType);
            json.WritePropertyName(Coordinates);
            json.WriteRawValue(scratch.WrittenSpan, skipInputValidation: true);
            json.WriteEndObject();
        }
        else
        {
            // Other geometry types or a projected SRID (reprojection): the general writer; the router never gives these.
            json.WriteRawValue(GeoJsonLayerWriter.GeometryToJson(g, Decimals), skipInputValidation: true);
        }
    }

    private static void WritePolygonRings(PooledBufferWriter output, Polygon polygon)
    {
        // RFC 7946 §3.1.6 as GeoJsonLayerWriter: exterior ring counter-clockwise, holes clockwise (reversed while writing).
        Byte(output, (byte)'[');
        var shell = polygon.Shell.CoordinateSequence;
        WriteRing(output, shell, reverse: shell.Count >= 4 && !RingOrientation.IsCounterClockwise(shell));
        foreach (var hole in polygon.Holes)
        {
            Byte(output, (byte)',');
            var seq = hole.CoordinateSequence;
            WriteRing(output, seq, reverse: seq.Count >= 4 && RingOrientation.IsCounterClockwise(seq));
        }
        Byte(output, (byte)']');
    }

    private static void WriteRing(PooledBufferWriter output, CoordinateSequence seq, bool reverse)
    {
        var n = seq.Count;
        var hasZ = seq.HasZ;
        // The router's rings are packed XY sequences: read their array directly instead of two virtual calls per ordinate.
        var raw = !hasZ && seq is PackedDoubleCoordinateSequence packed ? packed.GetRawCoordinates() : null;
        var stride = seq.Dimension;
        Byte(output, (byte)'[');
        for (var k = 0; k < n; k++)
        {
            var i = reverse ? n - 1 - k : k;
            var span = output.GetSpan(MaxPositionBytes);
            var at = 0;
            if (k > 0) span[at++] = (byte)',';
            span[at++] = (byte)'[';
            double x, y;
            if (raw is not null) (x, y) = (raw[i * stride], raw[i * stride + 1]);
            else (x, y) = (seq.GetX(i), seq.GetY(i));
            at += FormatCoordinate(x, span[at..]);
            span[at++] = (byte)',';
            at += FormatCoordinate(y, span[at..]);
            if (hasZ)
            {
                var z = seq.GetZ(i);
                if (!double.IsNaN(z))
                {
                    span[at++] = (byte)',';
                    at += FormatShortest(Math.Round(z, 2, MidpointRounding.AwayFromZero), span[at..]);
                }
            }
            span[at++] = (byte)']';
            output.Advance(at);
        }
        Byte(output, (byte)']');
    }

    /// <summary>
    /// Writes <paramref name="value"/> rounded half away from zero to 6 decimals, exactly as Utf8JsonWriter writes
    /// <c>Math.Round(value, 6, MidpointRounding.AwayFromZero)</c> (shortest round-trip form, no "-0"). Math.Round scales by
    /// 10⁶, rounds and divides; the shortest decimal of k / 10⁶ is k with the point moved 6 places (no shorter decimal lies
    /// within half an ulp of it for |k| &lt; 2⁵³), so k's digits are written directly. Tiny and huge values, which the
    /// shortest form writes with an exponent, go through double formatting.
    /// </summary>
    public static int FormatCoordinate(double value, Span<byte> destination)
    {
        if (!double.IsFinite(value)) throw new InvalidOperationException("A coordinate is not a finite number; GeoJSON cannot hold it.");
        var scaled = Math.Round(value * Scale, MidpointRounding.AwayFromZero);
        if (scaled == 0)
        {
            destination[0] = (byte)'0';
            return 1;
        }
        var magnitude = Math.Abs(scaled);
        if (magnitude < 1000 || magnitude >= 1e15 || Math.Abs(value) >= 1e16)
            return FormatShortest(Math.Round(value, Decimals, MidpointRounding.AwayFromZero), destination);
        var at = 0;
        if (scaled < 0) destination[at++] = (byte)'-';
        var digits = (ulong)magnitude;
        var whole = digits / 1_000_000;
        var fraction = (uint)(digits - whole * 1_000_000);
        // Digits by hand, back to front and two at a time: no formatter calls for the ~12,000 numbers of a response.
        var wholeDigits = 1;
        for (var w = whole; w >= 10; w /= 10) wholeDigits++;
        at += wholeDigits;
        var d = at;
        while (whole >= 10)
        {
            var pair = (int)(whole % 100) * 2;
            destination[--d] = DigitPairs[pair + 1];
            destination[--d] = DigitPairs[pair];
            whole /= 100;
        }
        if (d > at - wholeDigits) destination[--d] = (byte)('0' + (int)whole);
        if (fraction != 0)
        {
            destination[at] = (byte)'.';
            var high = fraction / 10_000;
            var low = fraction - high * 10_000;
            var mid = low / 100;
            low -= mid * 100;
            destination[at + 1] = DigitPairs[(int)high * 2];
            destination[at + 2] = DigitPairs[(int)high * 2 + 1];
            destination[at + 3] = DigitPairs[(int)mid * 2];
            destination[at + 4] = DigitPairs[(int)mid * 2 + 1];
            destination[at + 5] = DigitPairs[(int)low * 2];
            destination[at + 6] = DigitPairs[(int)low * 2 + 1];
            var end = at + 6;
            while (destination[end] == (byte)'0') end--;
            at = end + 1;
        }
        return at;
    }

    private static ReadOnlySpan<byte> DigitPairs =>
        "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899"u8;

    private static int FormatShortest(double value, Span<byte> destination)
    {
        value.TryFormat(destination, out var written, default, CultureInfo.InvariantCulture);
        return written;
    }

    private static void Byte(PooledBufferWriter output, byte b)
    {
        output.GetSpan(1)[0] = b;
        output.Advance(1);
    }
}

/// <summary>An <see cref="IBufferWriter{T}"/> over arrays rented from <see cref="ArrayPool{T}.Shared"/>; returns them on dispose.</summary>
public sealed class PooledBufferWriter(int initialCapacity) : IBufferWriter<byte>, IDisposable
{
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(256, initialCapacity));
    private int _written;

    public int WrittenCount => _written;

    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _written);

    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _written);

    public void Clear() => _written = 0;

    public void Advance(int count)
    {
        if (count < 0 || _written + count > _buffer.Length) throw new ArgumentOutOfRangeException(nameof(count));
        _written += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsMemory(_written);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsSpan(_written);
    }

    private void Ensure(int sizeHint)
    {
        var need = Math.Max(1, sizeHint);
        if (_buffer.Length - _written >= need) return;
        var bigger = ArrayPool<byte>.Shared.Rent((int)Math.Min(Array.MaxLength, Math.Max((long)_buffer.Length * 2, (long)_written + need)));
        _buffer.AsSpan(0, _written).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = bigger;
    }

    public void Dispose()
    {
        var b = _buffer;
        _buffer = [];
        _written = 0;
        if (b.Length > 0) ArrayPool<byte>.Shared.Return(b);
    }
}
