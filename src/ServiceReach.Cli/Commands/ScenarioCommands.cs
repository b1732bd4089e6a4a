using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;
using ServiceReach.Analysis;
using ServiceReach.Cli.Pipeline;
using ServiceReach.Domain;
using ServiceReach.Exchange.GeoJson;
using ServiceReach.Routing;
using ServiceReach.Storage;
using ServiceReach.Transit.Scenarios;
using Spectre.Console;

namespace ServiceReach.Cli.Commands;

/// <summary>`scenario` (what-if against the current situation) and `runs list|compare` (stored runs over time).</summary>
public static class ScenarioCommands
{
    public static IEnumerable<Command> Create() => [Scenario(), Runs()];

    private static Command Scenario()
    {
        var osm = new Option<string>("--osm") { Description = "OSM extract with the region's streets.", Required = true };
        var name = new Option<string>("--name") { Description = "Scenario name (stored with the run).", DefaultValueFactory = _ => "scenario" };
        var close = new Option<long[]>("--close") { Description = "Service point ids to close.", AllowMultipleArgumentsPerToken = true };
        var dorpspunt = new Option<string[]>("--dorpspunt") { Description = "A new dorpspunt: \"lon,lat:cat1,cat2[:name]\" (repeatable).", AllowMultipleArgumentsPerToken = true };
        var gtfs = new Option<string[]>("--gtfs") { Description = "GTFS feed(s) for bus+walk.", AllowMultipleArgumentsPerToken = true };
        var date = new Option<string?>("--date") { Description = "Service date (yyyy-mm-dd)." };
        var window = new Option<string>("--window") { Description = "Departure window.", DefaultValueFactory = _ => "07:00-09:00" };
        var headway = new Option<string[]>("--route-headway") { Description = "ROUTE_ID=factor: multiply a route's headways (0.5 = twice as often, 2 = half).", AllowMultipleArgumentsPerToken = true };
        var removeRoute = new Option<string[]>("--remove-route") { Description = "Route ids to remove.", AllowMultipleArgumentsPerToken = true };
        var osmLine = new Option<string[]>("--osm-line") { Description = "RELATION_ID=headway_minutes: run an OSM bus route relation of the --osm file as a new line (06:00–21:00, 25 km/h).", AllowMultipleArgumentsPerToken = true };
        var output = new Option<string>("--out", "-o") { Description = "Folder for changes.geojson and the report.", DefaultValueFactory = _ => "out/scenario" };
        var cache = new Option<string>("--cache") { DefaultValueFactory = _ => ".cache", Description = "Street graph cache folder." };
        var cmd = new Command("scenario", "What if: close service points, open a dorpspunt, change a bus line — rerun only what changed and report who gains and who loses.");
        foreach (var o in new Option[] { osm, name, close, dorpspunt, gtfs, date, window, headway, removeRoute, osmLine, output, cache }) cmd.Options.Add(o);
        cmd.SetAction(async (p, ct) =>
        {
            var cs = ServiceReachDb.ConnectionStringFromEnvironment();
            var network = StreetNetwork.LoadOrBuild(p.GetValue(osm)!, p.GetValue(cache)!, ServiceReach.Siting.SitingProfiles.WithVan);
            var box = new Envelope(network.Bounds.MinLon, network.Bounds.MaxLon, network.Bounds.MinLat, network.Bounds.MaxLat);
            var input = await StoredAnalysis.LoadAsync(cs, box, ServiceCatalogue.Default, Path.GetFileName(p.GetValue(osm)!), ct);
            var (start, end) = AnalysisCommands.ParseWindow(p.GetValue(window)!);
            var feeds = p.GetValue(gtfs) ?? [];
            var bus = feeds.Length > 0 ? BusReachFactory.Load(feeds, AnalysisCommands.ParseDate(p.GetValue(date)), start, end, network) : null;
            var analysis = new AccessAnalysis(network, bus?.Reach());
            var baseline = analysis.Run(input);
            var scenarioName = p.GetValue(name)!;

            var nextId = input.Services.Count == 0 ? 1 : input.Services.Max(s => s.Id) + 1;
            var added = new List<ServiceInput>();
            foreach (var spec in p.GetValue(dorpspunt) ?? []) added.Add(ParseDorpspunt(spec, nextId++, input));
            var serviceScenario = new Scenario(scenarioName) { CloseServiceIds = p.GetValue(close) ?? [], AddServices = added };
            var (after, changes) = analysis.RunScenario(baseline, serviceScenario);

            var headways = p.GetValue(headway) ?? [];
            var removed = p.GetValue(removeRoute) ?? [];
            var newLines = p.GetValue(osmLine) ?? [];
            if (headways.Length + removed.Length + newLines.Length > 0)
            {
                if (bus is null) throw new ArgumentException("--route-headway, --remove-route and --osm-line need --gtfs.");
                var transit = new TransitScenario(bus.Timetable, bus.Walking);
                foreach (var h in headways)
                {
                    var eq = h.IndexOf('=');
                    if (eq <= 0 || !double.TryParse(h[(eq + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var factor) || factor <= 0)
                        throw new ArgumentException($"--route-headway '{h}' must be ROUTE_ID=factor with a positive factor.");
                    transit = transit.ScaleHeadways(h[..eq], factor);
                }
                foreach (var r in removed) transit = transit.RemoveRoute(r);
                if (newLines.Length > 0)
                {
                    var relations = OsmBusRoutes.Read(p.GetValue(osm)!).ToDictionary(r => r.RelationId);
                    foreach (var spec in newLines)
                    {
                        var eq = spec.IndexOf('=');
                        if (eq <= 0 || !long.TryParse(spec[..eq], out var rel) || !int.TryParse(spec[(eq + 1)..], out var minutes) || minutes <= 0)
                            throw new ArgumentException($"--osm-line '{spec}' must be RELATION_ID=headway_minutes.");
                        if (!relations.TryGetValue(rel, out var route))
                            throw new ArgumentException($"--osm-line: relation {rel} is not a bus route in {p.GetValue(osm)} (known: {string.Join(", ", relations.Keys.Take(30))}).");
                        transit = transit.AddLine(route.ToNewLine(minutes));
                    }
                }
                var busAfter = AccessAnalysis.RunBusScenario(network, after, bus.Reach(transit.Build(), scenarioName));
                after = busAfter.After;
                changes = ServiceReach.Analysis.ScenarioComparison.Compare(baseline, after);
            }

            var baseRun = await StoredAnalysis.SaveRunAsync(cs, baseline, "access", null, new { osm = p.GetValue(osm), gtfs = feeds }, ct);
            var scenarioRun = await StoredAnalysis.SaveRunAsync(cs, after, "access", scenarioName,
                new { osm = p.GetValue(osm), gtfs = feeds, close = serviceScenario.CloseServiceIds, added, headways, removed, baseRun }, ct);

            Directory.CreateDirectory(p.GetValue(output)!);
            var kernPos = baseline.Kernen.ToDictionary(k => k.Id);
            var features = changes.Select(c => (IFeature)new Feature(Geo.Point(kernPos[c.KernId].Lon, kernPos[c.KernId].Lat), new AttributesTable
            {
                { "kern", c.KernName }, { "gap_before", Math.Round(c.GapBefore, 1) }, { "gap_after", Math.Round(c.GapAfter, 1) },
                { "advice_before", c.AdviceBefore.ToString() }, { "advice_after", c.AdviceAfter.ToString() },
                { "gains", c.Gains }, { "loses", c.Loses },
                { "changes", string.Join("; ", c.Reach.Select(r => $"{r.Category} {r.Mode}: {Min(r.SecondsBefore)} → {Min(r.SecondsAfter)}")) },
            })).ToList();
            await GeoJsonLayerWriter.WriteAsync(Path.Combine(p.GetValue(output)!, "changes.geojson"), features, ct);

            var table = new Table().Title($"Scenario [bold]{Markup.Escape(scenarioName)}[/] against the current situation").Border(TableBorder.Rounded);
            table.AddColumns("kern", "gap before → after", "advice before → after", "changed reach");
            foreach (var c in changes.OrderBy(c => c.GapAfter - c.GapBefore))
            {
                table.AddRow(Markup.Escape(c.KernName), $"{c.GapBefore:F0} → {c.GapAfter:F0}", $"{c.AdviceBefore} → {c.AdviceAfter}",
                    Markup.Escape(string.Join("; ", c.Reach.Take(4).Select(r => $"{r.Category} {r.Mode} {Min(r.SecondsBefore)}→{Min(r.SecondsAfter)}")) + (c.Reach.Count > 4 ? $" (+{c.Reach.Count - 4})" : "")));
            }
            AnsiConsole.Write(table);
            AnsiConsole.MarkupLine($"{changes.Count(c => c.Gains)} kernen gain, {changes.Count(c => c.Loses)} lose. Runs stored: base {baseRun}, scenario {scenarioRun}. Layer: {Markup.Escape(Path.Combine(p.GetValue(output)!, "changes.geojson"))}");
            return 0;
        });
        return cmd;
    }

    private static string Min(double s) => double.IsFinite(s) ? $"{s / 60:0.#} min" : "none";

    private static ServiceInput ParseDorpspunt(string spec, long id, AnalysisInput input)
    {
        var parts = spec.Split(':');
        var xy = parts[0].Split(',');
        if (parts.Length < 2 || xy.Length != 2
            || !double.TryParse(xy[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var lon)
            || !double.TryParse(xy[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var lat))
            throw new ArgumentException($"--dorpspunt '{spec}' must look like \"4.61,51.02:bakery,post_point[:name]\".");
        if (lon is < -180 or > 180 || lat is < -90 or > 90) throw new ArgumentException($"--dorpspunt '{spec}': lon/lat out of range.");
        var categories = parts[1].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList();
        var nearestKern = input.Kernen.OrderBy(k => Geo.HaversineMeters(lon, lat, k.Lon, k.Lat)).FirstOrDefault();
        return new ServiceInput(id, parts.Length > 2 ? parts[2] : "new dorpspunt", lon, lat, categories, nearestKern?.Id);
    }

    private static Command Runs()
    {
        var list = new Command("list", "Stored analysis runs, newest first.");
        list.SetAction(async (_, ct) =>
        {
            await using var db = ServiceReachDb.Open(ServiceReachDb.ConnectionStringFromEnvironment());
            var table = new Table().AddColumns("id", "kind", "scenario", "status", "finished");
            foreach (var r in await db.AnalysisRuns.OrderByDescending(r => r.Id).Take(50).ToListAsync(ct))
                table.AddRow(r.Id.ToString(CultureInfo.InvariantCulture), r.Kind, Markup.Escape(r.Scenario ?? "—"), r.Status.ToString(), r.FinishedAt?.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) ?? "");
            AnsiConsole.Write(table);
            return 0;
        });
        var a = new Argument<long>("before") { Description = "Run id of the earlier/base run." };
        var b = new Argument<long>("after") { Description = "Run id of the later/scenario run." };
        var compare = new Command("compare", "Compare two stored runs per kern: gap score and advice (two dates or two scenarios).");
        compare.Arguments.Add(a);
        compare.Arguments.Add(b);
        compare.SetAction(async (p, ct) =>
        {
            await using var db = ServiceReachDb.Open(ServiceReachDb.ConnectionStringFromEnvironment());
            var before = await Load(db, p.GetValue(a), ct);
            var after = await Load(db, p.GetValue(b), ct);
            var table = new Table().AddColumns("kern", "gap before", "gap after", "advice before", "advice after");
            foreach (var (id, x) in before)
            {
                if (!after.TryGetValue(id, out var y)) continue;
                if (Math.Abs(x.Gap - y.Gap) < 1e-6 && x.Advice == y.Advice) continue;
                table.AddRow(Markup.Escape(x.Name), x.Gap.ToString("F0", CultureInfo.InvariantCulture), y.Gap.ToString("F0", CultureInfo.InvariantCulture), x.Advice, y.Advice);
            }
            AnsiConsole.Write(table);
            return 0;
        });
        var runs = new Command("runs", "Stored analysis runs.");
        runs.Subcommands.Add(list);
        runs.Subcommands.Add(compare);
        return runs;
    }

    private static async Task<Dictionary<long, (string Name, double Gap, string Advice)>> Load(ServiceReachDbContext db, long id, CancellationToken ct)
    {
        var run = await db.AnalysisRuns.FindAsync([id], ct) ?? throw new ArgumentException($"There is no analysis run {id} (see `servicereach runs list`).");
        using var doc = JsonDocument.Parse(run.Summary ?? "{}");
        var result = new Dictionary<long, (string, double, string)>();
        if (!doc.RootElement.TryGetProperty("kernen", out var kernen)) return result;
        foreach (var k in kernen.EnumerateArray())
            result[k.GetProperty("id").GetInt64()] = (k.GetProperty("name").GetString() ?? "", k.GetProperty("gap").GetDouble(), k.GetProperty("advice").GetString() ?? "");
        return result;
    }
}
