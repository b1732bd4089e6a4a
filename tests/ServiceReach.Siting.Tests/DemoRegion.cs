using System.Text.Json;
using ServiceReach.Analysis;
using ServiceReach.Domain;
using ServiceReach.Routing;
using ServiceReach.Testing;

namespace ServiceReach.Siting.Tests;

/// <summary>The fictional demo region (geodata/demo) read straight from its GeoJSON files, analysed for walking once.</summary>
public sealed class DemoRegionFixture
{
    public DemoRegionFixture()
    {
        var folder = Path.Combine(RepositoryRoot.Require(), "geodata", "demo");
        Network = StreetNetwork.Build(Path.Combine(folder, "streets.osm"), SitingProfiles.WithVan);
        var kernIds = new Dictionary<string, long>();
        var kernen = new List<KernInput>();
        foreach (var (p, x, y) in Features(Path.Combine(folder, "kernen.geojson")))
        {
            long id = kernen.Count + 1;
            kernIds[p.GetProperty("source_id").GetString()!] = id;
            kernen.Add(new KernInput(id, p.GetProperty("name").GetString()!, x, y, p.GetProperty("population").GetInt32(),
                p.GetProperty("population_65plus").GetInt32(), p.GetProperty("nis_code").GetString()));
        }
        var services = new List<ServiceInput>();
        foreach (var (p, x, y) in Features(Path.Combine(folder, "services.geojson")))
        {
            var status = Enum.Parse<ServiceStatus>(p.GetProperty("status").GetString()!, ignoreCase: true);
            var channel = Enum.Parse<Channel>(p.GetProperty("channel").GetString()!, ignoreCase: true);
            long? kern = p.GetProperty("kern_source_id").ValueKind == JsonValueKind.String ? kernIds[p.GetProperty("kern_source_id").GetString()!] : null;
            services.Add(new ServiceInput(services.Count + 1, p.GetProperty("name").GetString()!, x, y,
                p.GetProperty("categories").EnumerateArray().Select(c => c.GetString()!).ToList(), kern, status, channel));
        }
        var units = new List<PopulationInput>();
        foreach (var (p, x, y) in Features(Path.Combine(folder, "population.geojson")))
        {
            if (p.GetProperty("population").GetInt32() == 0) continue;
            units.Add(new PopulationInput(units.Count + 1, x, y, p.GetProperty("population").GetInt32(), p.GetProperty("population_65plus").GetInt32()));
        }
        Kernen = kernen;
        Input = new AnalysisInput(kernen, services, units, ServiceCatalogue.Default, "demo");
        Analysis = new AccessAnalysis(Network, options: new AnalysisOptions { StreetModes = [Mode.Walk] });
        Baseline = Analysis.Run(Input);
    }

    public StreetNetwork Network { get; }
    public IReadOnlyList<KernInput> Kernen { get; }
    public AnalysisInput Input { get; }
    public AccessAnalysis Analysis { get; }
    public AnalysisResult Baseline { get; }

    public KernInput Kern(string name) => Kernen.Single(k => k.Name == name);

    public TourStop Stop(string name, TimeSpan? duration = null, TimeOnly? earliest = null, TimeOnly? latest = null)
    {
        var k = Kern(name);
        return new TourStop("kern/" + k.Id, k.Name, k.Lon, k.Lat, k.Population, k.Population65Plus ?? 0, duration, earliest, latest, k.Id);
    }

    /// <summary>Properties and a representative point (a polygon's vertex mean: the cells are squares) of every feature.</summary>
    private static IEnumerable<(JsonElement Properties, double X, double Y)> Features(string path)
    {
        var doc = JsonDocument.Parse(File.ReadAllText(path));
        foreach (var f in doc.RootElement.GetProperty("features").EnumerateArray())
        {
            var g = f.GetProperty("geometry");
            var c = g.GetProperty("coordinates");
            if (g.GetProperty("type").GetString() == "Point")
            {
                yield return (f.GetProperty("properties"), c[0].GetDouble(), c[1].GetDouble());
                continue;
            }
            var ring = g.GetProperty("type").GetString() == "Polygon" ? c[0] : c[0][0];
            var pts = ring.EnumerateArray().Select(p => (p[0].GetDouble(), p[1].GetDouble())).ToList();
            pts.RemoveAt(pts.Count - 1);   // closing vertex
            yield return (f.GetProperty("properties"), pts.Average(p => p.Item1), pts.Average(p => p.Item2));
        }
    }
}
