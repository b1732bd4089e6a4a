using NetTopologySuite;
using NetTopologySuite.Geometries;

namespace ServiceReach.Domain;

/// <summary>Geometry factories and small geodesy helpers shared by the domain.</summary>
public static class Geo
{
    /// <summary>Factory for stored geometries: WGS84, SRID 4326.</summary>
    public static readonly GeometryFactory Wgs84 = NtsGeometryServices.Instance.CreateGeometryFactory(CoordinateSystems.Wgs84);

    /// <summary>Factory for metric work in Belgian Lambert 2008 (EPSG:3812).</summary>
    public static readonly GeometryFactory Lambert2008 = NtsGeometryServices.Instance.CreateGeometryFactory(CoordinateSystems.BelgianLambert2008);

    public static Point Point(double lon, double lat) => Wgs84.CreatePoint(new Coordinate(lon, lat));

    private const double EarthRadiusMeters = 6371008.8;

    /// <summary>Great-circle distance in metres (haversine) between two WGS84 positions.</summary>
    public static double HaversineMeters(double lon1, double lat1, double lon2, double lat2)
    {
        var dLat = double.DegreesToRadians(lat2 - lat1);
        var dLon = double.DegreesToRadians(lon2 - lon1);
        var a = Math.Sin(dLat / 2) * Math.Sin(dLat / 2)
              + Math.Cos(double.DegreesToRadians(lat1)) * Math.Cos(double.DegreesToRadians(lat2)) * Math.Sin(dLon / 2) * Math.Sin(dLon / 2);
        return 2 * EarthRadiusMeters * Math.Asin(Math.Min(1, Math.Sqrt(a)));
    }
}
