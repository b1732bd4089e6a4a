namespace ServiceReach.Routing;

/// <summary>A WGS84 position (longitude, latitude in degrees).</summary>
public readonly record struct GeoPoint(double Lon, double Lat)
{
    /// <summary>Great-circle distance in metres (haversine on the WGS84 mean radius).</summary>
    public static double DistanceMeters(GeoPoint a, GeoPoint b)
    {
        const double R = 6_371_008.8;
        double dLat = (b.Lat - a.Lat) * Math.PI / 180, dLon = (b.Lon - a.Lon) * Math.PI / 180;
        double h = Math.Sin(dLat / 2) * Math.Sin(dLat / 2)
                   + Math.Cos(a.Lat * Math.PI / 180) * Math.Cos(b.Lat * Math.PI / 180) * Math.Sin(dLon / 2) * Math.Sin(dLon / 2);
        return 2 * R * Math.Asin(Math.Min(1, Math.Sqrt(h)));
    }

    public override string ToString() => FormattableString.Invariant($"({Lon:F7}, {Lat:F7})");
}

/// <summary>An axis-aligned WGS84 box.</summary>
public readonly record struct GeoBox(double MinLon, double MinLat, double MaxLon, double MaxLat)
{
    public GeoPoint Centre => new((MinLon + MaxLon) / 2, (MinLat + MaxLat) / 2);
}
