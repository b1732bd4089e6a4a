using ServiceReach.Domain;

namespace ServiceReach.Domain.Tests;

public class CoordinateSystemTests
{
    [Fact]
    public void Lambert_2008_maps_its_own_origin_to_its_false_origin()
    {
        // EPSG:3812 defines latitude of origin 50°47'52.134"N, central meridian 4°21'33.177"E → (649328, 665262); ETRS89 ≈ WGS84 here.
        var (x, y) = CoordinateSystems.Transform(4.359215833333333, 50.797815, CoordinateSystems.Wgs84, CoordinateSystems.BelgianLambert2008);
        Assert.Equal(649328, x, 0.01);
        Assert.Equal(665262, y, 0.01);
    }

    [Theory]
    [InlineData(CoordinateSystems.BelgianLambert72)]
    [InlineData(CoordinateSystems.BelgianLambert2008)]
    public void Projected_distances_agree_with_the_great_circle_within_half_a_percent(int epsg)
    {
        // Puurs to Hasselt, about 85 km across Flanders.
        double lon1 = 4.287, lat1 = 51.075, lon2 = 5.338, lat2 = 50.930;
        var a = CoordinateSystems.Transform(lon1, lat1, CoordinateSystems.Wgs84, epsg);
        var b = CoordinateSystems.Transform(lon2, lat2, CoordinateSystems.Wgs84, epsg);
        var planar = Math.Sqrt((a.X - b.X) * (a.X - b.X) + (a.Y - b.Y) * (a.Y - b.Y));
        var sphere = Geo.HaversineMeters(lon1, lat1, lon2, lat2);
        // The sphere (mean radius) and the ellipsoid differ by up to ~0.3 % at 51°N in this direction.
        Assert.InRange(planar / sphere, 0.995, 1.005);
    }

    [Fact]
    public void Round_trip_through_Lambert_72_returns_the_same_point()
    {
        var p = Geo.Point(4.287, 51.075);
        var l72 = CoordinateSystems.Transform(p, CoordinateSystems.Wgs84, CoordinateSystems.BelgianLambert72);
        Assert.Equal(31370, l72.SRID);
        Assert.InRange(l72.Coordinate.X, 100_000, 200_000);
        var back = CoordinateSystems.Transform(l72, CoordinateSystems.BelgianLambert72, CoordinateSystems.Wgs84);
        // ProjNet inverts the Helmert shift approximately: a centimetre is fine for our work.
        Assert.Equal(4.287, back.Coordinate.X, 1e-6);
        Assert.Equal(51.075, back.Coordinate.Y, 1e-6);
    }

    [Fact]
    public void Unknown_codes_are_an_error_not_a_guess()
    {
        var ex = Assert.Throws<NotSupportedException>(() => CoordinateSystems.Get(3857));
        Assert.Contains("EPSG:3857", ex.Message);
    }
}
