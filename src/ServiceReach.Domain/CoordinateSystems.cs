using NetTopologySuite.Geometries;
using ProjNet.CoordinateSystems;
using ProjNet.CoordinateSystems.Transformations;

namespace ServiceReach.Domain;

/// <summary>
/// The coordinate systems ServiceReach knows: WGS84 (EPSG:4326) for storage and exchange, Belgian Lambert 72
/// (EPSG:31370) and Belgian Lambert 2008 (EPSG:3812) for metric work. An unknown code is an error, never a guess.
/// </summary>
public static class CoordinateSystems
{
    public const int Wgs84 = 4326;
    public const int BelgianLambert72 = 31370;
    public const int BelgianLambert2008 = 3812;

    // Lambert 72 with the 7-parameter Helmert shift to WGS84 that EPSG publishes for Belge 1972 (transformation 15929),
    // the same one PROJ/GDAL use by default without grids; accurate to about a metre.
    internal const string Lambert72Wkt =
        "PROJCS[\"Belge 1972 / Belgian Lambert 72\",GEOGCS[\"Belge 1972\",DATUM[\"Reseau_National_Belge_1972\"," +
        "SPHEROID[\"International 1924\",6378388,297],TOWGS84[-106.8686,52.2978,-103.7239,0.3366,-0.457,1.8422,-1.2747]]," +
        "PRIMEM[\"Greenwich\",0],UNIT[\"degree\",0.0174532925199433]],PROJECTION[\"Lambert_Conformal_Conic_2SP\"]," +
        "PARAMETER[\"standard_parallel_1\",51.16666723333333],PARAMETER[\"standard_parallel_2\",49.8333339]," +
        "PARAMETER[\"latitude_of_origin\",90],PARAMETER[\"central_meridian\",4.367486666666666]," +
        "PARAMETER[\"false_easting\",150000.013],PARAMETER[\"false_northing\",5400088.438],UNIT[\"metre\",1],AUTHORITY[\"EPSG\",\"31370\"]]";

    internal const string Lambert2008Wkt =
        "PROJCS[\"ETRS89 / Belgian Lambert 2008\",GEOGCS[\"ETRS89\",DATUM[\"European_Terrestrial_Reference_System_1989\"," +
        "SPHEROID[\"GRS 1980\",6378137,298.257222101],TOWGS84[0,0,0,0,0,0,0]],PRIMEM[\"Greenwich\",0],UNIT[\"degree\",0.0174532925199433]]," +
        "PROJECTION[\"Lambert_Conformal_Conic_2SP\"],PARAMETER[\"standard_parallel_1\",49.83333333333334]," +
        "PARAMETER[\"standard_parallel_2\",51.16666666666666],PARAMETER[\"latitude_of_origin\",50.797815]," +
        "PARAMETER[\"central_meridian\",4.359215833333333],PARAMETER[\"false_easting\",649328],PARAMETER[\"false_northing\",665262]," +
        "UNIT[\"metre\",1],AUTHORITY[\"EPSG\",\"3812\"]]";

    private static readonly CoordinateSystemFactory CsFactory = new();
    private static readonly CoordinateTransformationFactory CtFactory = new();

    private static readonly Lazy<Dictionary<int, CoordinateSystem>> Systems = new(() => new()
    {
        [Wgs84] = GeographicCoordinateSystem.WGS84,
        [BelgianLambert72] = CsFactory.CreateFromWkt(Lambert72Wkt),
        [BelgianLambert2008] = CsFactory.CreateFromWkt(Lambert2008Wkt),
    });

    private static readonly Dictionary<(int, int), ICoordinateTransformation> Cache = new();
    private static readonly Lock CacheLock = new();

    public static IReadOnlyCollection<int> KnownCodes => Systems.Value.Keys;

    public static bool IsKnown(int epsg) => Systems.Value.ContainsKey(epsg);

    public static CoordinateSystem Get(int epsg)
        => Systems.Value.TryGetValue(epsg, out var cs)
            ? cs
            : throw new NotSupportedException($"EPSG:{epsg} is not a coordinate system ServiceReach knows (known: {string.Join(", ", KnownCodes.Select(c => "EPSG:" + c))}).");

    /// <summary>A cached transformation between two known systems.</summary>
    public static ICoordinateTransformation Transformation(int fromEpsg, int toEpsg)
    {
        lock (CacheLock)
        {
            if (!Cache.TryGetValue((fromEpsg, toEpsg), out var t))
            {
                t = CtFactory.CreateFromCoordinateSystems(Get(fromEpsg), Get(toEpsg));
                Cache[(fromEpsg, toEpsg)] = t;
            }
            return t;
        }
    }

    /// <summary>A copy of the geometry in another coordinate system (SRID set to the target code).</summary>
    public static Geometry Transform(Geometry geometry, int fromEpsg, int toEpsg)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        var copy = geometry.Copy();
        if (fromEpsg != toEpsg)
        {
            var math = Transformation(fromEpsg, toEpsg).MathTransform;
            copy.Apply(new MathTransformFilter(math));
            copy.GeometryChanged();
        }
        copy.SRID = toEpsg;
        return copy;
    }

    /// <summary>Transforms one (x, y) pair.</summary>
    public static (double X, double Y) Transform(double x, double y, int fromEpsg, int toEpsg)
    {
        if (fromEpsg == toEpsg) return (x, y);
        var r = Transformation(fromEpsg, toEpsg).MathTransform.Transform(x, y);
        return (r.x, r.y);
    }

    private sealed class MathTransformFilter(MathTransform math) : ICoordinateSequenceFilter
    {
        public bool Done => false;
        public bool GeometryChanged => true;

        public void Filter(CoordinateSequence seq, int i)
        {
            var (x, y) = math.Transform(seq.GetX(i), seq.GetY(i));
            seq.SetX(i, x);
            seq.SetY(i, y);
        }
    }
}
