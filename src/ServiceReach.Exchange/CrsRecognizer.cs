using System.Globalization;
using System.Text.RegularExpressions;
using ServiceReach.Domain;

namespace ServiceReach.Exchange;

/// <summary>
/// Recognises the coordinate systems ServiceReach knows (EPSG:4326, 31370, 3812) from a shapefile <c>.prj</c> (ESRI WKT or
/// WKT2), a GeoJSON legacy <c>crs</c> URN, or a user's text ("EPSG:31370", "lambert72"). Recognition is by authority code
/// when present, otherwise by the projection parameters (central meridian, standard parallels, false origin) — the
/// names ESRI and EPSG give to the same system differ. Anything else is rejected, never guessed.
/// </summary>
public static partial class CrsRecognizer
{
    /// <summary>The EPSG code of a .prj text, or null when it is not one of the known systems.</summary>
    public static int? FromWkt(string wkt)
    {
        ArgumentNullException.ThrowIfNull(wkt);
        var text = wkt.Trim();
        if (text.Length == 0) return null;
        var upper = text.ToUpperInvariant();
        var isProjected = upper.StartsWith("PROJCS", StringComparison.Ordinal) || upper.StartsWith("PROJCRS", StringComparison.Ordinal);

        // A trailing top-level authority (WKT1 AUTHORITY["EPSG","31370"] or WKT2 ID["EPSG",31370]) is decisive.
        var ids = AuthorityPattern().Matches(text);
        if (ids.Count > 0)
        {
            var last = ids[^1];
            if (int.TryParse(last.Groups["code"].Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var code)
                && last.Index + last.Length >= text.Length - 3)
            {
                if (code == 4258 && !isProjected) return CoordinateSystems.Wgs84; // ETRS89 geographic: equal to WGS84 within a metre
                return CoordinateSystems.IsKnown(code) ? code : null;
            }
        }

        if (!isProjected)
        {
            // Geographic: WGS 84 or ETRS89 (same within a metre in Belgium) in degrees.
            if ((upper.Contains("WGS_1984", StringComparison.Ordinal) || upper.Contains("WGS 84", StringComparison.Ordinal) || upper.Contains("WGS84", StringComparison.Ordinal)
                 || upper.Contains("ETRS", StringComparison.Ordinal) || upper.Contains("EUROPEAN_TERRESTRIAL", StringComparison.Ordinal))
                && (upper.StartsWith("GEOGCS", StringComparison.Ordinal) || upper.StartsWith("GEOGCRS", StringComparison.Ordinal) || upper.StartsWith("GEODCRS", StringComparison.Ordinal)))
            {
                return CoordinateSystems.Wgs84;
            }
            return null;
        }

        if (!upper.Contains("LAMBERT", StringComparison.Ordinal)) return null;
        var cm = Parameter(text, "central_meridian", "longitude of false origin");
        var sp1 = Parameter(text, "standard_parallel_1", "latitude of 1st standard parallel");
        var sp2 = Parameter(text, "standard_parallel_2", "latitude of 2nd standard parallel");
        var fe = Parameter(text, "false_easting", "easting at false origin");
        var fn = Parameter(text, "false_northing", "northing at false origin");
        if (cm is null || sp1 is null || sp2 is null || fe is null || fn is null) return null;
        var (lo, hi) = (Math.Min(sp1.Value, sp2.Value), Math.Max(sp1.Value, sp2.Value));

        // Belgian Lambert 72: CM 4°22'02.952", parallels 49°50' and 51°10', false origin (150000.013, 5400088.438).
        if (Near(cm.Value, 4.367486667, 1e-6) && Near(lo, 49.8333339, 1e-5) && Near(hi, 51.16666723, 1e-5)
            && Near(fe.Value, 150000.013, 0.01) && Near(fn.Value, 5400088.438, 0.01))
        {
            return CoordinateSystems.BelgianLambert72;
        }
        // Belgian Lambert 2008: CM 4°21'33.177", parallels 49°50' and 51°10', false origin (649328, 665262).
        if (Near(cm.Value, 4.359215833, 1e-6) && Near(lo, 49.83333333, 1e-5) && Near(hi, 51.16666667, 1e-5)
            && Near(fe.Value, 649328, 0.01) && Near(fn.Value, 665262, 0.01))
        {
            return CoordinateSystems.BelgianLambert2008;
        }
        return null;
    }

    /// <summary>EPSG code from a GeoJSON legacy crs name such as <c>urn:ogc:def:crs:EPSG::31370</c> or <c>urn:ogc:def:crs:OGC:1.3:CRS84</c>.</summary>
    public static int? FromUrn(string name)
    {
        if (name.EndsWith("CRS84", StringComparison.OrdinalIgnoreCase)) return CoordinateSystems.Wgs84;
        var m = UrnPattern().Match(name);
        if (!m.Success) return null;
        var code = int.Parse(m.Groups["code"].Value, CultureInfo.InvariantCulture);
        return CoordinateSystems.IsKnown(code) ? code : null;
    }

    /// <summary>Parses a user's CRS option: "4326", "EPSG:31370", "lambert72", "lambert2008", "wgs84".</summary>
    public static int Parse(string text)
    {
        var t = text.Trim().ToLowerInvariant().Replace(" ", "", StringComparison.Ordinal);
        int? code = t switch
        {
            "wgs84" or "crs84" => CoordinateSystems.Wgs84,
            "lambert72" or "bl72" => CoordinateSystems.BelgianLambert72,
            "lambert2008" or "bl2008" => CoordinateSystems.BelgianLambert2008,
            _ => int.TryParse(t.StartsWith("epsg:", StringComparison.Ordinal) ? t[5..] : t, NumberStyles.Integer, CultureInfo.InvariantCulture, out var c) ? c : null,
        };
        if (code is null || !CoordinateSystems.IsKnown(code.Value))
            throw new ArgumentException($"Unknown coordinate system '{text}'. Known: EPSG:4326 (wgs84), EPSG:31370 (lambert72), EPSG:3812 (lambert2008).");
        return code.Value;
    }

    /// <summary>
    /// The area where coordinates of a system make sense, in WGS84 degrees (EPSG area of use, widened by about 20 km).
    /// A point outside it means the declared system is wrong (e.g. degrees declared as Lambert), which is reported.
    /// </summary>
    public static (double MinLon, double MinLat, double MaxLon, double MaxLat) AreaOfUse(int epsg) => epsg switch
    {
        CoordinateSystems.BelgianLambert72 or CoordinateSystems.BelgianLambert2008 => (2.2, 49.3, 6.7, 51.7),
        _ => (-180, -90, 180, 90),
    };

    private static bool Near(double a, double b, double tol) => Math.Abs(a - b) <= tol;

    private static double? Parameter(string wkt, params string[] names)
    {
        foreach (var name in names)
        {
            var m = Regex.Match(wkt, "PARAMETER\\[\\s*\"" + Regex.Escape(name) + "\"\\s*,\\s*(?<v>[-+0-9.eE]+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
            if (m.Success && double.TryParse(m.Groups["v"].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var v)) return v;
        }
        return null;
    }

    [GeneratedRegex("(?:AUTHORITY|ID)\\[\\s*\"EPSG\"\\s*,\\s*\"?(?<code>\\d+)\"?\\s*\\]", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AuthorityPattern();

    [GeneratedRegex("EPSG:{1,2}(?:[0-9.]*:)?(?<code>\\d+)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex UrnPattern();
}
