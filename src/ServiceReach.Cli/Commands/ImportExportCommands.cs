using System.CommandLine;
using System.Globalization;
using NetTopologySuite.Geometries;
using ServiceReach.Domain;
using ServiceReach.Exchange;
using ServiceReach.Exchange.Export;
using ServiceReach.Exchange.Import;
using ServiceReach.Exchange.Manifests;
using ServiceReach.Exchange.Population;
using ServiceReach.Storage;
using Spectre.Console;

namespace ServiceReach.Cli.Commands;

/// <summary>`import` (files into PostGIS, idempotent upsert with a report) and `export` (stored layers to GeoJSON / GeoPackage).</summary>
public static class ImportExportCommands
{
    private static readonly string[] LayerNames = ["kernen", "services", "population", "municipalities", "regions"];

    public static IEnumerable<Command> Create() => [CreateImport(), CreateExport()];

    /// <summary>Parses a layer name as used on the command line (also accepts the enum names).</summary>
    public static LayerKind ParseLayer(string text) => text.Trim().ToLowerInvariant() switch
    {
        "kernen" or "kern" => LayerKind.Kernen,
        "services" or "service-points" or "service_points" or "servicepoints" => LayerKind.ServicePoints,
        "population" or "population-units" or "population_units" or "populationunits" => LayerKind.PopulationUnits,
        "municipalities" or "municipality" or "gemeenten" => LayerKind.Municipalities,
        "regions" or "region" => LayerKind.Regions,
        _ => throw new ArgumentException($"Unknown layer '{text}'. Use one of: {string.Join(", ", LayerNames)}."),
    };

    private static ImportFormat ParseFormat(string text) => text.Trim().ToLowerInvariant() switch
    {
        "geojson" or "json" => ImportFormat.GeoJson,
        "shapefile" or "shp" => ImportFormat.Shapefile,
        "csv" => ImportFormat.Csv,
        "gpkg" or "geopackage" => ImportFormat.GeoPackage,
        "osm-pbf" or "pbf" => ImportFormat.OsmPbf,
        "osm-xml" or "osm" or "xml" => ImportFormat.OsmXml,
        _ => throw new ArgumentException($"Unknown format '{text}'. Use geojson, shapefile, csv, gpkg, osm-pbf or osm-xml."),
    };

    private static Command CreateImport()
    {
        var file = new Argument<string?>("file") { Description = "Input file: .geojson, .shp (with .prj/.cpg), .csv, .gpkg, .osm.pbf or .osm", Arity = ArgumentArity.ZeroOrOne };
        var layer = new Option<string?>("--layer", "-l") { Description = "Layer to feed: " + string.Join(", ", LayerNames) };
        var manifest = new Option<string?>("--manifest") { Description = "Region manifest (e.g. geodata/manifests/klein-brabant.json): download, verify and import all its layers instead of one file" };
        var baseUrl = new Option<string?>("--base-url") { Description = "With --manifest: where the manifest's paths are published (URL or local folder), overriding its baseUrl" };
        var cache = new Option<string?>("--cache") { Description = "With --manifest: download cache folder (default ~/.cache/servicereach)" };
        var keepCentres = new Option<bool>("--keep-centres") { Description = "Kernen only: existing kernen keep their stored centre and the values this file leaves empty (add outlines to known kernen)" };
        var estimateFrom = new Option<string?>("--estimate-population") { Description = "Kernen only: after the import, estimate missing kern populations by spreading the totals of the population units of this source over homes (see docs/importing.md)" };
        var homes = new Option<string?>("--homes") { Description = "With --estimate-population: OSM file whose residential buildings and address points are the homes (default: the imported file when it is OSM)" };
        var source = new Option<string?>("--source", "-s") { Description = "Source name, the upsert key with each feature's id (default: the file name without extension)" };
        var format = new Option<string?>("--format", "-f") { Description = "geojson, shapefile, csv, gpkg, osm-pbf, osm-xml (default: from the extension)" };
        var mapping = new Option<string?>("--mapping", "-m") { Description = "JSON mapping file: which input field feeds which layer field (see docs/importing.md)" };
        var crs = new Option<string?>("--crs") { Description = "Coordinate system of the input when the file does not say: EPSG:4326, EPSG:31370 (lambert72), EPSG:3812 (lambert2008)" };
        var encoding = new Option<string?>("--encoding") { Description = "Text encoding of CSV/DBF (default: detect UTF-8, else ISO-8859-1)" };
        var asOf = new Option<string?>("--as-of") { Description = "Date recorded on service points that disappeared (yyyy-mm-dd, default today)" };
        var catalogue = new Option<string?>("--catalogue") { Description = "Service catalogue JSON (OSM tag → category rules); default: the built-in catalogue" };
        var strict = new Option<bool>("--strict") { Description = "Roll the whole import back when any feature is rejected" };
        var sourceLayer = new Option<string?>("--source-layer") { Description = "GeoPackage layer to read when the file has several" };

        var command = new Command("import", "Import kernen, service points, population units, municipalities or regions from a file into PostGIS. " +
                                            "Re-importing the same source updates in place; services that disappeared are marked closed.");
        command.Arguments.Add(file);
        foreach (var o in new Option[] { layer, source, format, mapping, crs, encoding, asOf, catalogue, strict, sourceLayer, manifest, baseUrl, cache, keepCentres, estimateFrom, homes }) command.Options.Add(o);
        command.SetAction(async (parse, ct) =>
        {
            try
            {
                var cat = parse.GetValue(catalogue) is { } catalogueFile ? ServiceCatalogue.LoadFile(catalogueFile) : null;
                // Importing into a fresh database should just work: apply pending migrations first (a no-op when current).
                await ServiceReachDb.MigrateAsync(ServiceReachDb.ConnectionStringFromEnvironment(), ct);
                if (parse.GetValue(manifest) is { } manifestPath)
                    return await ImportManifestAsync(manifestPath, parse.GetValue(baseUrl), parse.GetValue(cache), cat, ct);
                var path = parse.GetValue(file) ?? throw new ArgumentException("Give a file to import (or --manifest).");
                var request = new ImportRequest(
                    ParseLayer(parse.GetValue(layer) ?? throw new ArgumentException("Give --layer (" + string.Join(", ", LayerNames) + ").")),
                    path,
                    parse.GetValue(source) ?? DefaultSourceName(path),
                    parse.GetValue(format) is { } f ? ParseFormat(f) : null,
                    parse.GetValue(mapping) is { } m ? FieldMapping.Load(m) : null,
                    parse.GetValue(crs) is { } c ? CrsRecognizer.Parse(c) : null,
                    parse.GetValue(encoding),
                    parse.GetValue(asOf) is { } d ? DateOnly.ParseExact(d, "yyyy-MM-dd", CultureInfo.InvariantCulture) : null)
                {
                    FailOnRejected = parse.GetValue(strict),
                    SourceLayer = parse.GetValue(sourceLayer),
                    KeepStoredCentre = parse.GetValue(keepCentres),
                };
                var importer = new Importer(ServiceReachDb.ConnectionStringFromEnvironment(), cat);
                ImportReport? report = null;
                await AnsiConsole.Progress()
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                    .StartAsync(async ctx =>
                    {
                        var task = ctx.AddTask($"Importing {Markup.Escape(Path.GetFileName(path))}", maxValue: 1.0);
                        var progress = new DirectProgress<ImportProgress>(p =>
                        {
                            task.Description = $"{Markup.Escape(Path.GetFileName(path))}: {p.Stage} ({p.Read:N0} features)";
                            if (p.TotalBytes is > 0) task.Value = Math.Min(1.0, (double)p.BytesRead / p.TotalBytes.Value);
                        });
                        report = await importer.ImportAsync(request, progress, ct);
                        task.Value = 1.0;
                    });
                PrintReport(report!);
                if (parse.GetValue(estimateFrom) is { } unitsSource)
                {
                    if (request.Layer != LayerKind.Kernen) throw new ArgumentException("--estimate-population applies to --layer kernen.");
                    var importedOsm = (request.Format ?? Importer.DetectFormat(path)) is ImportFormat.OsmPbf or ImportFormat.OsmXml;
                    var homesFile = parse.GetValue(homes) ?? (importedOsm ? path
                        : throw new ArgumentException("--estimate-population needs --homes (an OSM file with buildings and addresses)."));
                    var estimate = await PopulationEstimator.EstimateAsync(ServiceReachDb.ConnectionStringFromEnvironment(),
                        new PopulationEstimateRequest(unitsSource, KernSource: request.Source), PopulationEstimator.FromOsm(homesFile), ct);
                    AnsiConsole.MarkupLine($"Population estimate: {estimate.KernenEstimated} kernen updated from {estimate.UnitsSpread} units; " +
                                           $"{estimate.ResidentsInKernen:N0} residents in kernen, {estimate.ResidentsOutsideKernen:N0} outside (estimate, flagged as such).");
                    foreach (var n in estimate.Notes.Take(10)) AnsiConsole.MarkupLine("[yellow]•[/] " + Markup.Escape(n));
                }
                return 0;
            }
            catch (Exception ex) when (ex is ImportException or ArgumentException or InvalidDataException or FormatException or InvalidOperationException or IOException)
            {
                AnsiConsole.MarkupLine("[red]Import failed, nothing was changed:[/] " + Markup.Escape(ex.Message));
                return 1;
            }
        });
        return command;
    }

    private static async Task<int> ImportManifestAsync(string manifestPath, string? baseUrl, string? cacheFolder, ServiceCatalogue? catalogue, CancellationToken ct)
    {
        var manifest = RegionManifest.Load(manifestPath);
        cacheFolder ??= Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "servicereach");
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(30) };
        var downloader = new ManifestDownloader(http, cacheFolder);
        IReadOnlyList<CachedFile> files = [];
        await AnsiConsole.Progress().StartAsync(async ctx =>
        {
            var task = ctx.AddTask($"Fetching {Markup.Escape(manifest.Name)}", maxValue: manifest.Sources.Count);
            var list = new List<CachedFile>();
            foreach (var s in manifest.Sources)
            {
                task.Description = $"{Markup.Escape(s.Id)}: {Markup.Escape(s.Path)}";
                list.Add(await downloader.FetchAsync(manifest, s, baseUrl, null, ct));
                task.Increment(1);
            }
            files = list;
        });
        foreach (var f in files) AnsiConsole.MarkupLine($"{Markup.Escape(f.Source.Id)}: {(f.Downloaded ? "downloaded" : "cached")}, sha256 verified → {Markup.Escape(f.LocalPath)}");
        var reports = await RegionImporter.ImportAsync(new Importer(ServiceReachDb.ConnectionStringFromEnvironment(), catalogue), manifest, files, null, ct);
        foreach (var r in reports) PrintReport(r);
        return 0;
    }

    private static string DefaultSourceName(string path)
    {
        var name = Path.GetFileName(path);
        foreach (var ext in new[] { ".osm.pbf", ".osm.xml", ".geojson", ".json", ".shp", ".csv", ".gpkg", ".osm", ".pbf" })
        {
            if (name.EndsWith(ext, StringComparison.OrdinalIgnoreCase)) return name[..^ext.Length];
        }
        return Path.GetFileNameWithoutExtension(name);
    }

    private static void PrintReport(ImportReport report)
    {
        var table = new Table().Title($"{Markup.Escape(Path.GetFileName(report.File))} → {report.Layer} (source '{Markup.Escape(report.Source)}')");
        table.AddColumn("");
        table.AddColumn(new TableColumn("features").RightAligned());
        void Row(string name, long value) => table.AddRow(name, value.ToString("N0", CultureInfo.InvariantCulture));
        Row("read", report.Read);
        Row("inserted", report.Inserted);
        Row("updated", report.Updated);
        Row("unchanged", report.Unchanged);
        if (report.Layer == LayerKind.ServicePoints) Row("closed (disappeared)", report.Closed);
        if (report.Removed > 0) Row("removed", report.Removed);
        if (report.Missing > 0) Row("missing from file (kept)", report.Missing);
        if (report.OutsideClip > 0) Row("outside the region", report.OutsideClip);
        Row("rejected", report.Rejected);
        table.AddRow("seconds", report.Elapsed.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture));
        AnsiConsole.Write(table);
        const int shown = 25;
        foreach (var p in report.Problems.Take(shown)) AnsiConsole.MarkupLine("[yellow]•[/] " + Markup.Escape(p));
        if (report.Problems.Count > shown) AnsiConsole.MarkupLine($"[yellow]… and {report.Problems.Count - shown} more.[/]");
    }

    private static Command CreateExport()
    {
        var layers = new Option<string[]>("--layer", "-l")
        {
            Description = "Layer(s) to export: " + string.Join(", ", LayerNames) + ". GeoJSON takes one; a GeoPackage can hold several (repeat the option).",
            Required = true,
            AllowMultipleArgumentsPerToken = true,
        };
        var output = new Option<string>("--out", "-o") { Description = "Output file: .geojson or .gpkg", Required = true };
        var region = new Option<string?>("--region") { Description = "Only features intersecting this stored region (by name)" };
        var municipality = new Option<string?>("--municipality") { Description = "Only features in this municipality (NIS code or name)" };
        var bbox = new Option<string?>("--bbox") { Description = "Only features intersecting minLon,minLat,maxLon,maxLat (WGS84)" };
        var openOnly = new Option<bool>("--open-only") { Description = "Leave out closed service points" };
        var boundaries = new Option<bool>("--kern-boundaries") { Description = "Export kernen as their outlines instead of centre points" };

        var command = new Command("export", "Export stored layers as GeoJSON (RFC 7946, WGS84) or GeoPackage for QGIS, filtered by region, municipality or bounding box.");
        foreach (var o in new Option[] { layers, output, region, municipality, bbox, openOnly, boundaries }) command.Options.Add(o);
        command.SetAction(async (parse, ct) =>
        {
            try
            {
                var kinds = parse.GetValue(layers)!.SelectMany(l => l.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Select(ParseLayer).Distinct().ToList();
                var path = parse.GetValue(output)!;
                var filter = new ExportFilter(parse.GetValue(region), parse.GetValue(municipality), parse.GetValue(bbox) is { } b ? ParseBbox(b) : null)
                {
                    IncludeClosed = !parse.GetValue(openOnly),
                    KernGeometry = parse.GetValue(boundaries) ? KernGeometry.Boundary : KernGeometry.Centre,
                };
                var exporter = new Exporter(ServiceReachDb.ConnectionStringFromEnvironment());
                await exporter.ValidateFilterAsync(filter, ct);
                if (path.EndsWith(".gpkg", StringComparison.OrdinalIgnoreCase))
                {
                    var counts = await exporter.ExportGeoPackageAsync(path, kinds, filter, ct);
                    for (var i = 0; i < kinds.Count; i++) AnsiConsole.MarkupLine($"{Exporter.LayerName(kinds[i])}: {counts[i]:N0} features");
                }
                else
                {
                    if (kinds.Count != 1) throw new ArgumentException("A GeoJSON file holds one layer; export several layers to a .gpkg or run export once per layer.");
                    var n = await exporter.ExportGeoJsonAsync(kinds[0], path, filter, ct);
                    AnsiConsole.MarkupLine($"{Exporter.LayerName(kinds[0])}: {n:N0} features");
                }
                AnsiConsole.MarkupLine("Wrote " + Markup.Escape(Path.GetFullPath(path)));
                return 0;
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or IOException)
            {
                AnsiConsole.MarkupLine("[red]Export failed:[/] " + Markup.Escape(ex.Message));
                return 1;
            }
        });
        return command;
    }

    private static Envelope ParseBbox(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length != 4 || !parts.All(p => double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out _)))
            throw new ArgumentException($"--bbox '{text}' must be four numbers: minLon,minLat,maxLon,maxLat.");
        var v = parts.Select(p => double.Parse(p, CultureInfo.InvariantCulture)).ToArray();
        if (v[0] >= v[2] || v[1] >= v[3]) throw new ArgumentException($"--bbox '{text}': min must be below max.");
        return new Envelope(v[0], v[2], v[1], v[3]);
    }

    /// <summary>Reports progress on the calling thread (no synchronisation context hop, unlike Progress&lt;T&gt;).</summary>
    private sealed class DirectProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
