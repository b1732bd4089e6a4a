using System.Buffers;
using System.Globalization;
using System.Text.Json;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Implementation;

namespace ServiceReach.Exchange.GeoJson;

/// <summary>
/// Fast GeoJSON coordinates: positions rounded half away from zero to 6 decimals (RFC 7946 §11.2, about 10 cm), written
/// as fixed-point digits instead of through <c>double</c> formatting. Polygon and line layers hold thousands of vertices
/// per feature (an isochrone response ~6,000), so number formatting was the largest cost of writing them.
/// </summary>
public static class GeoJsonCoordinates
{
    /// <summary>The decimal places this fast path writes.</summary>
    public const int Decimals = 6;

    private const double Scale = 1e6;

    // Longest position: "[-180.123456,-90.123456,-1234.56]," has 35 bytes; a fallback number can take up to 24 bytes,
    // so 3 numbers plus brackets and commas fit in 96.
    private const int MaxPositionBytes = 96;

    /// <summary>
    /// Writes a coordinate sequence as a JSON array of positions (x, y and a z when present) with x and y rounded to 6
    /// decimals, backwards when <paramref name="reverse"/> (to orient a ring). Same bytes as writing each rounded number
    /// with <see cref="Utf8JsonWriter"/>, at a fraction of the cost.
    /// </summary>
    public static void WriteSequence(IBufferWriter<byte> output, CoordinateSequence seq, bool reverse)
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

    private static void Byte(IBufferWriter<byte> output, byte b)
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
