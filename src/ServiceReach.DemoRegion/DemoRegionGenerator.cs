using System.Globalization;
using System.Text;

namespace ServiceReach.DemoRegion;

/// <summary>What <see cref="DemoRegionGenerator.Generate"/> wrote.</summary>
/// <param name="OutputFolder">Full path of the folder written.</param>
/// <param name="Files">Relative paths ('/' separated) of every file written, sorted ordinally.</param>
public sealed record DemoRegionSummary(
    string OutputFolder,
    int Seed,
    IReadOnlyList<string> Files,
    int KernCount,
    int MunicipalityCount,
    int ServiceCount,
    int PopulationUnitCount,
    int PopulationTotal,
    int OsmNodeCount,
    int OsmWayCount,
    int BusStopCount,
    int BusTripCount,
    double West,
    double South,
    double East,
    double North);

/// <summary>
/// Generates the bundled FICTIONAL demo region: a Flemish-style network of one town, villages and hamlets in two invented
/// municipalities, with streets (OSM XML), kernen, services, population cells, municipalities and two bus lines (GTFS).
/// The same seed always yields byte-identical files.
/// </summary>
public static class DemoRegionGenerator
{
    public const int DefaultSeed = 20261123;

    /// <summary>The (fictional) year the population figures describe.</summary>
    public const int PopulationReferenceYear = 2026;

    public const string StreetsFile = "streets.osm";
    public const string KernenFile = "kernen.geojson";
    public const string KernBoundariesFile = "kernen-boundaries.geojson";
    public const string ServicesFile = "services.geojson";
    public const string PopulationFile = "population.geojson";
    public const string MunicipalitiesFile = "municipalities.geojson";
    public const string GtfsFolder = "gtfs";
    public const string ReadmeFile = "README.md";

    /// <summary>The service category codes used in services.geojson (the project's default catalogue).</summary>
    public static readonly IReadOnlyList<string> CategoryCodes =
    [
        "bakery", "butcher", "food_shop", "supermarket", "gp", "pharmacy", "primary_school", "nursery_school", "post_point",
        "atm_bank", "municipal_desk", "library", "welfare_centre", "childcare", "meeting_place", "digipunt",
    ];

    /// <summary>
    /// Writes the region into <paramref name="outputFolder"/> (created when missing). Each file is replaced atomically;
    /// files of ours are overwritten, other files in the folder are left alone.
    /// </summary>
    public static DemoRegionSummary Generate(string outputFolder, int seed = DefaultSeed)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outputFolder);
        var folder = Path.GetFullPath(outputFolder);
        Directory.CreateDirectory(folder);

        var region = RegionBuilder.Build(seed);
        var units = PopulationBuilder.Build(region, seed);
        var gtfs = GtfsBuilder.Build(region, out var tripCount);

        var files = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            [StreetsFile] = OsmXmlWriter.Write(region.Osm),
            [KernenFile] = KernenGeoJson(region),
            [KernBoundariesFile] = KernBoundariesGeoJson(units),
            [ServicesFile] = ServicesGeoJson(region),
            [PopulationFile] = PopulationGeoJson(units),
            [MunicipalitiesFile] = MunicipalitiesGeoJson(units),
        };
        foreach (var (name, content) in gtfs) files[GtfsFolder + "/" + name] = content;

        var populationTotal = 0;
        foreach (var u in units) populationTotal += u.Population;
        var southWest = new Vec(0, 0);
        var northEast = new Vec(LocalProjection.WidthMetres, LocalProjection.HeightMetres);
        var fileNames = new List<string>(files.Keys) { ReadmeFile };
        fileNames.Sort(StringComparer.Ordinal);
        var summary = new DemoRegionSummary(folder, seed, fileNames, RegionPlan.Kernen.Length, RegionPlan.Municipalities.Length, region.Services.Count,
            units.Count, populationTotal, region.Osm.Nodes.Count, region.Osm.Ways.Count, region.Stops.Count, tripCount,
            LocalProjection.Lon(southWest), LocalProjection.Lat(southWest), LocalProjection.Lon(northEast), LocalProjection.Lat(northEast));
        files[ReadmeFile] = DemoReadme.Write(summary, units, seed);

        foreach (var (name, content) in files) AtomicFile.WriteText(Path.Combine(folder, name.Replace('/', Path.DirectorySeparatorChar)), content);
        return summary;
    }

    private static string KernenGeoJson(BuiltRegion region) =>
        GeoJsonText.FeatureCollection("kernen", RegionPlan.Kernen.Select(k => (
            new JsonProperties().Add("source_id", k.SourceId).Add("name", k.Name).Add("municipality", k.Municipality)
                .Add("nis_code", NisCode(k.Municipality)).Add("population", k.Population).Add("population_65plus", k.Population65Plus)
                .Add("typology", k.Typology).Add("fictional", true),
            GeoJsonText.Point(region.Osm.Position(region.Grids[k.Key].NodeAt(0, 0))))));

    private static string KernBoundariesGeoJson(List<PopulationUnit> units) =>
        GeoJsonText.FeatureCollection("kernen-boundaries", RegionPlan.Kernen.Select(k => (
            new JsonProperties().Add("source_id", k.SourceId).Add("name", k.Name).Add("municipality", k.Municipality)
                .Add("population", k.Population).Add("population_65plus", k.Population65Plus).Add("typology", k.Typology).Add("fictional", true),
            GeoJsonText.FromNts(GeoJsonText.UnionOfSquares(units.Where(u => u.Kern == k).Select(u => (u.SouthWest, PopulationBuilder.CellMetres)))))));

    private static string ServicesGeoJson(BuiltRegion region) =>
        GeoJsonText.FeatureCollection("services", region.Services.Select(s => (
            new JsonProperties().Add("source_id", s.Spec.SourceId).Add("name", s.Spec.Name).Add("categories", s.Spec.Categories)
                .Add("channel", s.Spec.Channel).Add("opening_hours", s.Spec.OpeningHours).Add("status", s.Spec.Status)
                .Add("kern", region.Grids[s.Spec.KernKey].Spec.Name).Add("kern_source_id", region.Grids[s.Spec.KernKey].Spec.SourceId)
                .Add("valid_from", s.Spec.ValidFrom).Add("valid_to", s.Spec.ValidTo)
                .Add("osm_id", s.OsmNodeId is { } id ? "node/" + id.ToString(CultureInfo.InvariantCulture) : null).Add("fictional", true),
            GeoJsonText.Point(s.Position))));

    private static string PopulationGeoJson(List<PopulationUnit> units) =>
        GeoJsonText.FeatureCollection("population", units.Select(u => (
            new JsonProperties().Add("unit_id", u.UnitId).Add("population", u.Population).Add("population_65plus", u.Population65Plus)
                .Add("area_type", u.AreaType).Add("kern", u.Kern?.Name).Add("kern_source_id", u.Kern?.SourceId).Add("lint", u.RibbonName)
                .Add("municipality", u.Municipality).Add("reference_year", PopulationReferenceYear).Add("fictional", true),
            GeoJsonText.Polygon([Square(u.SouthWest, PopulationBuilder.CellMetres)]))));

    private static string MunicipalitiesGeoJson(List<PopulationUnit> units)
    {
        var features = new List<(JsonProperties, string)>();
        foreach (var (name, nis) in RegionPlan.Municipalities)
        {
            int population = 0, older = 0;
            foreach (var u in units)
            {
                if (u.Municipality != name) continue;
                population += u.Population;
                older += u.Population65Plus;
            }
            features.Add((new JsonProperties().Add("nis_code", nis).Add("name", name).Add("population", population).Add("population_65plus", older).Add("fictional", true),
                GeoJsonText.Polygon([MunicipalityRing(name)])));
        }
        return GeoJsonText.FeatureCollection("municipalities", features);
    }

    internal static string NisCode(string municipality)
    {
        foreach (var (name, nis) in RegionPlan.Municipalities) if (name == municipality) return nis;
        throw new InvalidOperationException("Unknown municipality " + municipality);
    }

    /// <summary>West of the river is Heidebeek, east is Broekhoven; both rings counter-clockwise.</summary>
    internal static List<Vec> MunicipalityRing(string name)
    {
        var river = new List<Vec>();
        for (var y = 0.0; y <= LocalProjection.HeightMetres + 1e-9; y += 100) river.Add(new Vec(RegionPlan.RiverX(y), y));
        var w = LocalProjection.WidthMetres;
        var h = LocalProjection.HeightMetres;
        var ring = new List<Vec>();
        if (name == RegionPlan.MunicipalityWest)
        {
            ring.Add(new Vec(0, 0));
            ring.AddRange(river);
            ring.Add(new Vec(0, h));
        }
        else
        {
            ring.Add(new Vec(w, 0));
            ring.Add(new Vec(w, h));
            for (var k = river.Count - 1; k >= 0; k--) ring.Add(river[k]);
        }
        ring.Add(ring[0]);
        return ring;
    }

    private static List<Vec> Square(Vec southWest, double size) =>
        [southWest, southWest + new Vec(size, 0), southWest + new Vec(size, size), southWest + new Vec(0, size), southWest];
}
