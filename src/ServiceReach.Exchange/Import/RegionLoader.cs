using ServiceReach.Domain;
using ServiceReach.Storage;

namespace ServiceReach.Exchange.Import;

/// <summary>
/// Fills a store in one call: schema, the default catalogue, then a region's layers — the bundled fictional demo region
/// (geodata/demo), or the kernen (place nodes) and service points (catalogue tag rules) of an OpenStreetMap extract.
/// Idempotent: loading the same files again changes nothing.
/// </summary>
public static class RegionLoader
{
    /// <summary>The demo layers in import order (municipalities before kernen before the points that refer to them).</summary>
    public static readonly IReadOnlyList<(LayerKind Layer, string File)> DemoLayers =
    [
        (LayerKind.Municipalities, "municipalities.geojson"), (LayerKind.Kernen, "kernen.geojson"),
        (LayerKind.ServicePoints, "services.geojson"), (LayerKind.PopulationUnits, "population.geojson"),
    ];

    /// <summary>Loads the demo region from <paramref name="folder"/> with source "demo".</summary>
    public static Task<IReadOnlyList<ImportReport>> LoadDemoAsync(string connectionString, string folder, CancellationToken ct = default)
        => LoadAsync(connectionString, DemoLayers.Select(l => new ImportRequest(l.Layer, Path.Combine(folder, l.File), "demo")), ct);

    /// <summary>Loads the kernen and service points of an OSM extract (PBF or XML) under <paramref name="source"/>.</summary>
    public static Task<IReadOnlyList<ImportReport>> LoadOsmAsync(string connectionString, string osmPath, string source, CancellationToken ct = default)
        => LoadAsync(connectionString, [new ImportRequest(LayerKind.Kernen, osmPath, source), new ImportRequest(LayerKind.ServicePoints, osmPath, source)], ct);

    private static async Task<IReadOnlyList<ImportReport>> LoadAsync(string connectionString, IEnumerable<ImportRequest> requests, CancellationToken ct)
    {
        await ServiceReachDb.MigrateAsync(connectionString, ct);
        await using (var db = ServiceReachDb.Open(connectionString)) await CatalogueSync.ApplyAsync(db, ServiceCatalogue.Default, ct);
        var importer = new Importer(connectionString);
        var reports = new List<ImportReport>();
        foreach (var request in requests) reports.Add(await importer.ImportAsync(request, ct: ct));
        return reports;
    }
}
