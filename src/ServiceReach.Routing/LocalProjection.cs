namespace ServiceReach.Routing;

/// <summary>
/// A local metric projection around a centre point: a sinusoidal (equal-area) projection whose radii are the
/// WGS84 meridional radius M and prime-vertical radius N at the centre latitude:
/// y = M·(φ−φ0), x = N·cos φ·(λ−λ0).
/// Why: it needs no projection library, is exactly invertible, and within 50 km of the centre it keeps areas
/// within ~0.002 % (only M's variation with latitude) and distances within ~0.01 % (shear grows with |λ−λ0|·sin φ),
/// well inside the 0.1 % the isochrone areas and buffers need.
/// </summary>
public sealed class LocalProjection
{
    private const double A = 6_378_137.0;
    private const double E2 = 0.00669437999014;
    private const double Deg = Math.PI / 180;
    private readonly double _lon0, _lat0, _m, _n, _sin0, _cos0;

    public LocalProjection(GeoPoint centre)
    {
        _lon0 = centre.Lon;
        _lat0 = centre.Lat;
        double s = Math.Sin(centre.Lat * Deg);
        _sin0 = s;
        _cos0 = Math.Cos(centre.Lat * Deg);
        double w = Math.Sqrt(1 - E2 * s * s);
        _n = A / w;
        _m = A * (1 - E2) / (w * w * w);
    }

    public GeoPoint Centre => new(_lon0, _lat0);

    public (double X, double Y) Forward(double lon, double lat)
        => (_n * CosLat(lat) * (lon - _lon0) * Deg, _m * (lat - _lat0) * Deg);

    public GeoPoint Inverse(double x, double y)
    {
        double lat = _lat0 + y / _m / Deg;
        double c = CosLat(lat);
        double lon = _lon0 + (c > 1e-12 ? x / (_n * c) / Deg : 0);
        return new GeoPoint(lon, lat);
    }

    /// <summary>
    /// cos φ, from the centre's sine and cosine by the angle-sum rule with short Taylor series of the offset when
    /// it is small (|Δφ| ≤ 0.02 rad ≈ 127 km: error below 1e-13). Why: isochrones project every shape point and
    /// outline vertex, and this costs a few multiplications instead of a cosine.
    /// </summary>
    private double CosLat(double lat)
    {
        double d = (lat - _lat0) * Deg;
        if (Math.Abs(d) > 0.02) return Math.Cos(lat * Deg);
        double d2 = d * d;
        double cosD = 1 - d2 * (0.5 - d2 * (1.0 / 24 - d2 / 720));
        double sinD = d * (1 - d2 * (1.0 / 6 - d2 / 120));
        return _cos0 * cosD - _sin0 * sinD;
    }
}
