using System.Diagnostics;
using System.Globalization;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;
using ServiceReach.Analysis;
using ServiceReach.Domain;
using ServiceReach.Domain.Scoring;
using ServiceReach.Exchange.GeoJson;
using ServiceReach.Exchange.GeoPackage;
using ServiceReach.Routing;
using Spectre.Console;

namespace ServiceReach.Cli.Pipeline;

/// <summary>What one region analysis needs: the street extract, optional GTFS feeds and a departure window, where to write.</summary>
public sealed record RegionAnalysisRequest(
    string ConnectionString,
    string OsmPath,
    string OutputFolder,
    string RegionName,
    ServiceCatalogue Catalogue,
    IReadOnlyList<string> GtfsPaths,
    DateOnly? ServiceDate,
    TimeOnly WindowStart,
    TimeOnly WindowEnd,
    string CacheFolder,
    string? Scenario = null);

/// <summary>
/// The analysis pipeline shared by `analyse` and `demo`: street graph (cached) → optional bus timetable → reach, gaps,
/// advice and indicator from the stored kernen, service points and population → GeoJSON layers → run stored in PostGIS.
/// </summary>
public static class RegionAnalysisRunner
{
    public static async Task<AnalysisResult> RunAsync(RegionAnalysisRequest req, CancellationToken ct)
    {
        var timings = new List<(string Step, TimeSpan Time)>();
        var sw = Stopwatch.StartNew();

        if (!File.Exists(req.OsmPath)) throw new FileNotFoundException($"Street extract not found: {req.OsmPath}", req.OsmPath);
        var network = StreetNetwork.LoadOrBuild(req.OsmPath, req.CacheFolder, ServiceReach.Siting.SitingProfiles.WithVan);
        timings.Add(("street graph (build or cache)", sw.Elapsed));
        sw.Restart();

        var box = new Envelope(network.Bounds.MinLon, network.Bounds.MaxLon, network.Bounds.MinLat, network.Bounds.MaxLat);
        var input = await StoredAnalysis.LoadAsync(req.ConnectionString, box, req.Catalogue, req.RegionName, ct);
        timings.Add(("load kernen, services, population", sw.Elapsed));
        sw.Restart();
        if (input.Kernen.Count == 0)
            throw new InvalidOperationException($"No kernen are stored inside the street extract's area ({req.OsmPath}). Import kernen first (`servicereach import kernen …`).");

        IBusReach? bus = null;
        BusContext? busContext = null;
        if (req.GtfsPaths.Count > 0)
        {
            busContext = BusReachFactory.Load(req.GtfsPaths, req.ServiceDate, req.WindowStart, req.WindowEnd, network);
            bus = busContext.Reach();
            timings.Add(("timetable", sw.Elapsed));
            sw.Restart();
        }

        var analysis = new AccessAnalysis(network, bus);
        var result = analysis.Run(input);
        timings.Add(("reach, gaps, advice", sw.Elapsed));
        sw.Restart();

        Directory.CreateDirectory(req.OutputFolder);
        var kernFeatures = AnalysisLayers.Kernen(result).ToList();
        var extra = new List<(string File, IEnumerable<IFeature> Features)>();
        if (busContext is not null)
        {
            var typology = await StoredAnalysis.KernTypologyAsync(req.ConnectionString, input.Kernen.Select(k => k.Id).ToList(), ct);
            StopServiceLayers.AnnotateKernen(kernFeatures, busContext, typology);
            extra.Add(("stops.geojson", StopServiceLayers.Stops(busContext, box.MinX, box.MinY, box.MaxX, box.MaxY).ToList()));
        }
        var layers = new (string File, IEnumerable<IFeature> Features)[]
        {
            ("kernen.geojson", kernFeatures),
            ("reach.geojson", AnalysisLayers.Reach(result)),
            ("network.geojson", AnalysisLayers.Network(result)),
            ("population-units.geojson", AnalysisLayers.Units(result)),
            ("services.geojson", AnalysisLayers.Services(result)),
            ("isochrones.geojson", AnalysisLayers.WalkIsochrones(network, result).ToList()),
        }.Concat(extra).ToArray();
        var written = new List<(string, long)>();
        foreach (var (file, features) in layers)
        {
            var n = await GeoJsonLayerWriter.WriteAsync(Path.Combine(req.OutputFolder, file), features, ct);
            written.Add((file, n));
        }
        // The same layers in one GeoPackage for QGIS.
        await GeoPackageLayerWriter.WriteAsync(Path.Combine(req.OutputFolder, "analysis.gpkg"),
            layers.Select(l => GeoPackageLayer.Of(Path.GetFileNameWithoutExtension(l.File).Replace('-', '_'), l.Features)).ToList(), ct);
        written.Add(("analysis.gpkg", layers.Length));
        await WriteReportAsync(Path.Combine(req.OutputFolder, "report.txt"), result, ct);
        timings.Add(("write layers", sw.Elapsed));
        sw.Restart();

        var runId = await StoredAnalysis.SaveRunAsync(req.ConnectionString, result, "access", req.Scenario,
            new { osm = Path.GetFileName(req.OsmPath), gtfs = req.GtfsPaths.Select(Path.GetFileName), date = req.ServiceDate?.ToString("O"),
                  window = $"{req.WindowStart:HH\\:mm}-{req.WindowEnd:HH\\:mm}", region = req.RegionName }, ct);

        PrintSummary(result, written, timings, runId, req.OutputFolder);
        return result;
    }

    private static async Task WriteReportAsync(string path, AnalysisResult r, CancellationToken ct)
    {
        var lines = new List<string>
        {
            $"ServiceReach access analysis — {r.Input.RegionName}",
            $"{r.Kernen.Count} kernen, {r.Input.Services.Count(s => s.CountsForReach)} open service points, {r.Units.Count} population units.",
            r.BusDescription is null ? "Bus: not computed (no timetable given)." : $"Bus: {r.BusDescription}.",
            "",
        };
        foreach (var a in r.Advice.OrderByDescending(a => r.Gaps.First(g => g.Place.Id == a.KernId).Total))
        {
            var gap = r.Gaps.First(g => g.Place.Id == a.KernId);
            lines.Add($"{a.KernName}: gap score {gap.Total:F0} ({string.Join(", ", gap.Contributing.Take(4).Select(p => $"{p.Category} {p.Score:F0}"))}) → {a.Primary}" +
                      (a.AlsoConsider.Count > 0 ? $" (also: {string.Join(", ", a.AlsoConsider)})" : ""));
            foreach (var reason in a.Reasons) lines.Add("  - " + reason);
            foreach (var note in r.Input.Kernen.First(k => k.Id == a.KernId).Notes) lines.Add("  * local note: " + note);
        }
        lines.Add("");
        lines.Add("Official basket indicator (share of residents with bakery/butcher/food shop, GP, pharmacy and school within 15 min):");
        foreach (var i in r.Indicator.Where(i => !i.Area.StartsWith("kern:", StringComparison.Ordinal)))
            lines.Add($"  {i.Area} {i.Mode}: network {i.Share:P0}, straight line {i.ShareStraightLine:P0} of {i.Residents:N0} residents");
        lines.Add("  (Flanders 2022, Departement Omgeving: 69 % walking, 98 % cycling.)");
        lines.Add("");
        lines.Add($"Residents lacking a category within 15 min walking ({(r.UnitReach is null ? "counted at kern centres" : "counted where they live, from population units")}):");
        foreach (var row in AnalysisLayers.Lacking(r, Mode.Walk).Where(x => x.ResidentsLacking > 0).OrderByDescending(x => x.ResidentsLacking))
            lines.Add($"  {row.Category,-16} {row.ResidentsLacking,8:N0} of {row.Residents:N0} residents ({(row.Residents == 0 ? 0 : (double)row.ResidentsLacking / row.Residents):P0}), {row.Residents65Lacking:N0} aged 65+");
        lines.Add("");
        lines.Add("Categories no kern of the municipality offers (they come from outside; the searches cross borders):");
        foreach (var (municipality, absent) in r.AbsentInMunicipality.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            lines.Add($"  {municipality}: {(absent.Count == 0 ? "none" : string.Join(", ", absent))}");
        if (r.Unsnapped.Count > 0)
        {
            lines.Add("");
            lines.Add("Points that could not be placed on the street network:");
            foreach (var u in r.Unsnapped) lines.Add($"  {u.Kind} {u.Id} '{u.Name}' ({u.Mode}): {u.Reason}");
        }
        lines.Add("");
        lines.Add("Not measured: opening hours, cost, social barriers, the digital divide (domain.md §7). Add local notes per kern.");
        var tmp = path + ".tmp";
        await File.WriteAllLinesAsync(tmp, lines, ct);
        File.Move(tmp, path, overwrite: true);
    }

    private static void PrintSummary(AnalysisResult r, List<(string File, long Count)> written, List<(string Step, TimeSpan Time)> timings, long runId, string outFolder)
    {
        var table = new Table().Title($"[bold]{Markup.Escape(r.Input.RegionName)}[/]: gaps and advice per kern").Border(TableBorder.Rounded);
        table.AddColumns("kern", "residents (65+)", "gap score", "main gaps", "advice");
        var gaps = r.Gaps.ToDictionary(g => g.Place.Id);
        foreach (var a in r.Advice.OrderByDescending(a => gaps[a.KernId].Total))
        {
            var g = gaps[a.KernId];
            table.AddRow(Markup.Escape(a.KernName),
                $"{g.Place.Population.ToString("N0", CultureInfo.InvariantCulture)} ({g.Place.Population65Plus.ToString("N0", CultureInfo.InvariantCulture)})",
                g.Total.ToString("F0", CultureInfo.InvariantCulture),
                Markup.Escape(string.Join(", ", g.Contributing.Take(3).Select(p => p.Category))),
                Markup.Escape(a.Primary + (a.AlsoConsider.Count > 0 ? " (+" + string.Join(", ", a.AlsoConsider) + ")" : "")));
        }
        AnsiConsole.Write(table);
        foreach (var i in r.Indicator.Where(i => i.Area.StartsWith("region:", StringComparison.Ordinal)))
        {
            AnsiConsole.MarkupLine($"Basket within 15 min [bold]{i.Mode}[/]: {i.Share.ToString("P0", CultureInfo.InvariantCulture)} of residents over the network " +
                                   $"({i.ShareStraightLine.ToString("P0", CultureInfo.InvariantCulture)} in a straight line; Flanders 2022: {(i.Mode == Mode.Walk ? "69 %" : "98 %")}).");
        }
        if (r.BusDescription is not null) AnsiConsole.MarkupLine($"Bus: {Markup.Escape(r.BusDescription)}.");
        if (r.Unsnapped.Count > 0) AnsiConsole.MarkupLine($"[yellow]{r.Unsnapped.Count} points could not be snapped to the street network (see report.txt).[/]");
        AnsiConsole.MarkupLine($"Layers in [bold]{Markup.Escape(outFolder)}[/]: {Markup.Escape(string.Join(", ", written.Select(w => $"{w.File} ({w.Count})")))}, report.txt");
        AnsiConsole.MarkupLine($"Stored as analysis run {runId}. Timings: {Markup.Escape(string.Join("; ", timings.Select(t => $"{t.Step} {t.Time.TotalSeconds:F2} s")))}");
    }
}
