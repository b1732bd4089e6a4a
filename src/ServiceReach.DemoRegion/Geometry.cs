using System.Globalization;

namespace ServiceReach.DemoRegion;

/// <summary>A point or vector in the demo region's local plane, in metres east (X) and north (Y) of the south-west corner.</summary>
internal readonly record struct Vec(double X, double Y)
{
    public static Vec operator +(Vec a, Vec b) => new(a.X + b.X, a.Y + b.Y);
    public static Vec operator -(Vec a, Vec b) => new(a.X - b.X, a.Y - b.Y);
    public static Vec operator *(Vec a, double f) => new(a.X * f, a.Y * f);
    public double Length => Math.Sqrt(X * X + Y * Y);
    public Vec Normalized => this * (1.0 / Length);
    /// <summary>The vector turned 90° counter-clockwise: the left-hand side when travelling along this vector.</summary>
    public Vec LeftNormal => new(-Y, X);
    public double Dot(Vec o) => X * o.X + Y * o.Y;
    public Vec Rotated(double radians) => new(X * Math.Cos(radians) - Y * Math.Sin(radians), X * Math.Sin(radians) + Y * Math.Cos(radians));
    public static double Distance(Vec a, Vec b) => (a - b).Length;
}

/// <summary>
/// Maps the local metre plane onto WGS84 with a plain equirectangular projection around the region.
/// Over 8 × 6 km the scale error is far below the 1 cm of the 7-decimal coordinates we write, which is all a demo needs.
/// </summary>
internal static class LocalProjection
{
    public const double OriginLon = 4.6040;
    public const double OriginLat = 51.0030;
    public const double WidthMetres = 8000;
    public const double HeightMetres = 6000;

    /// <summary>Metres per degree of latitude on the mean-radius sphere (6 371 008.8 m).</summary>
    public const double MetresPerDegreeLat = 111_194.93;
    public static readonly double MetresPerDegreeLon = MetresPerDegreeLat * Math.Cos((OriginLat + 0.03) * Math.PI / 180.0);

    public static double Lon(Vec p) => Math.Round(OriginLon + p.X / MetresPerDegreeLon, 7);
    public static double Lat(Vec p) => Math.Round(OriginLat + p.Y / MetresPerDegreeLat, 7);

    public static string FormatDegrees(double value) => value.ToString("F7", CultureInfo.InvariantCulture);
}

/// <summary>SplitMix64: a tiny, fully specified generator, so a seed yields the same region on every runtime and platform.</summary>
internal sealed class SplitMix64(ulong seed)
{
    private ulong _state = seed;

    public ulong NextUInt64()
    {
        _state += 0x9E3779B97F4A7C15UL;
        var z = _state;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [min, max).</summary>
    public double Range(double min, double max) => min + (max - min) * NextDouble();
}

/// <summary>Writes a file by writing a temporary sibling first and moving it over the target, so readers never see half a file.</summary>
internal static class AtomicFile
{
    private static readonly System.Text.UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    public static void WriteText(string path, string content)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var temp = Path.Combine(directory, "." + Path.GetFileName(path) + "." + Guid.NewGuid().ToString("N") + ".tmp");
        try
        {
            File.WriteAllText(temp, content, Utf8NoBom);
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }
}
