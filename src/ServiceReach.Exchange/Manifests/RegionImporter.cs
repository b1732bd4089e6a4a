using ServiceReach.Exchange.Import;

namespace ServiceReach.Exchange.Manifests;

/// <summary>Imports the layer sources of a fetched manifest, each as source "region:id", clipped to the region polygon.</summary>
public static class RegionImporter
{
    /// <summary>Parses a manifest layer name.</summary>
    public static LayerKind ParseLayer(string layer) => layer.Trim().ToLowerInvariant() switch
    {
        "kernen" => LayerKind.Kernen,
        "services" or "service_points" => LayerKind.ServicePoints,
        "population" or "population_units" => LayerKind.PopulationUnits,
        "municipalities" => LayerKind.Municipalities,
        "regions" => LayerKind.Regions,
        _ => throw new ArgumentException($"Unknown layer '{layer}' in manifest (kernen, services, population, municipalities, regions)."),
    };

    public static async Task<IReadOnlyList<ImportReport>> ImportAsync(Importer importer, RegionManifest manifest, IReadOnlyList<CachedFile> files,
        IProgress<ImportProgress>? progress = null, CancellationToken ct = default)
    {
        var clip = manifest.ClipGeometry;
        var reports = new List<ImportReport>();
        // Kernen first, so service points find their kern.
        foreach (var file in files.Where(f => f.Source.Layer is not null).OrderBy(f => ParseLayer(f.Source.Layer!) == LayerKind.Kernen ? 0 : 1))
        {
            var s = file.Source;
            var mapping = s.Mapping is { } m ? FieldMapping.FromJson(m, $"manifest {manifest.Name}, source {s.Id}") : null;
            var request = new ImportRequest(ParseLayer(s.Layer!), file.LocalPath, $"{manifest.Name}:{s.Id}", Mapping: mapping) { Clip = clip };
            reports.Add(await importer.ImportAsync(request, progress, ct).ConfigureAwait(false));
        }
        return reports;
    }
}
