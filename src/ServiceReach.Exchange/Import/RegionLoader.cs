using ServiceReach.Domain;
using ServiceReach.Storage;

namespace ServiceReach.Exchange.Import;

/// <summary>Loads the bundled fictional demo region (geodata/demo) into a store: schema, catalogue, and its four layers.</summary>
public static class DemoRegionLoader
{
    /// <summary>The demo layers in import order (municipalities before kernen before the points that refer to them).</summary>
    public static readonly IReadOnlyList<(LayerKind Layer, string File)> Layers =
    [
        (LayerKind.Municipalities, "municipalities.geojson"), (LayerKind.Kernen, "kernen.geojson"),
        (LayerKind.ServicePoints, "services.geojson"), (LayerKind.PopulationUnits, "population.geojson"),
    ];

    /// <summary>Migrates, writes the default catalogue and imports every demo layer with source "demo" (idempotent).</summary>
    public static async Task<IReadOnlyList<ImportReport>> LoadAsync(string connectionString, string folder, CancellationToken ct = default)
    {
        await ServiceReachDb.MigrateAsync(connectionString, ct);
        await using (var db = ServiceReachDb.Open(connectionString)) await CatalogueSync.ApplyAsync(db, ServiceCatalogue.Default, ct);
        var importer = new Importer(connectionString);
        var reports = new List<ImportReport>();
        foreach (var (layer, file) in Layers)
        {
            reports.Add(await importer.ImportAsync(new ImportRequest(layer, Path.Combine(folder, file), "demo"), ct: ct));
        }
        return reports;
    }
}
