using System.CommandLine;
using System.Globalization;
using ServiceReach.Cli.Pipeline;
using ServiceReach.DemoRegion;
using ServiceReach.Domain;
using ServiceReach.Exchange.Import;
using ServiceReach.Storage;
using Spectre.Console;

namespace ServiceReach.Cli.Commands;

/// <summary>`db migrate`, `analyse`, `demo`, `demo-data` and `catalogue`.</summary>
public static class AnalysisCommands
{
    public static IEnumerable<Command> Create() => [Db(), Analyse(), Demo(), DemoData(), Catalogue()];

    private static Command Db()
    {
        var migrate = new Command("migrate", "Create or update the PostGIS schema (EF Core migrations, each in a transaction) in SERVICEREACH_DB.");
        migrate.SetAction(async (_, ct) =>
        {
            var cs = ServiceReachDb.ConnectionStringFromEnvironment();
            await ServiceReachDb.MigrateAsync(cs, ct);
            await using var db = ServiceReachDb.Open(cs);
            await CatalogueSync.ApplyAsync(db, ServiceCatalogue.Default, ct);
            AnsiConsole.MarkupLine("[green]Schema is up to date.[/]");
            return 0;
        });
        var db = new Command("db", "Database maintenance.");
        db.Subcommands.Add(migrate);
        return db;
    }

    private static Option<string?> CatalogueOption() => new("--catalogue") { Description = "A catalogue JSON file (categories, OSM tag rules, thresholds, baskets); default: the built-in one (`servicereach catalogue` prints it)." };

    private static ServiceCatalogue LoadCatalogue(string? path) => path is null ? ServiceCatalogue.Default : ServiceCatalogue.LoadFile(path);

    private static Command Analyse()
    {
        var osm = new Option<string>("--osm") { Description = "OSM extract (.osm.pbf or .osm) with the streets of the region.", Required = true };
        var output = new Option<string>("--out", "-o") { Description = "Folder for the GeoJSON layers and report.", DefaultValueFactory = _ => "out/analysis" };
        var gtfs = new Option<string[]>("--gtfs") { Description = "GTFS feed(s), zip or folder, for bus+walk reach.", AllowMultipleArgumentsPerToken = true };
        var date = new Option<string?>("--date") { Description = "Service date for the timetable (yyyy-mm-dd); default: the first weekday with service." };
        var window = new Option<string>("--window") { Description = "Departure window, e.g. 07:00-09:00.", DefaultValueFactory = _ => "07:00-09:00" };
        var region = new Option<string>("--region-name") { Description = "Name used in reports.", DefaultValueFactory = _ => "region" };
        var cache = new Option<string>("--cache") { Description = "Folder for cached street graphs.", DefaultValueFactory = _ => ".cache" };
        var catalogue = CatalogueOption();
        var cmd = new Command("analyse", "Reach, gap scores, advice and the basket indicator for the stored kernen inside an OSM extract; writes GeoJSON layers and stores the run.");
        foreach (var o in new Option[] { osm, output, gtfs, date, window, region, cache, catalogue }) cmd.Options.Add(o);
        cmd.SetAction(async (p, ct) =>
        {
            var (start, end) = ParseWindow(p.GetValue(window)!);
            var req = new RegionAnalysisRequest(ServiceReachDb.ConnectionStringFromEnvironment(), p.GetValue(osm)!, p.GetValue(output)!,
                p.GetValue(region)!, LoadCatalogue(p.GetValue(catalogue)), p.GetValue(gtfs) ?? [], ParseDate(p.GetValue(date)), start, end, p.GetValue(cache)!);
            await RegionAnalysisRunner.RunAsync(req, ct);
            return 0;
        });
        return cmd;
    }

    private static Command Demo()
    {
        var data = new Option<string>("--data") { Description = "The demo region folder.", DefaultValueFactory = _ => "geodata/demo" };
        var output = new Option<string>("--out", "-o") { Description = "Folder for the GeoJSON layers and report.", DefaultValueFactory = _ => "out/demo" };
        var cache = new Option<string>("--cache") { Description = "Folder for cached street graphs.", DefaultValueFactory = _ => ".cache" };
        var cmd = new Command("demo", "The main job on the bundled fictional demo region: migrate, import geodata/demo, analyse walk/bike/bus reach, write layers, print a summary.");
        cmd.Options.Add(data);
        cmd.Options.Add(output);
        cmd.Options.Add(cache);
        cmd.SetAction(async (p, ct) =>
        {
            var folder = p.GetValue(data)!;
            if (!File.Exists(Path.Combine(folder, "streets.osm")))
                throw new FileNotFoundException($"{folder} does not hold the demo region (streets.osm missing). Regenerate it with `servicereach demo-data --out {folder}`.");
            var cs = ServiceReachDb.ConnectionStringFromEnvironment();
            AnsiConsole.MarkupLine("[grey]ServiceReach demo — a FICTIONAL region made by the project (geodata/demo/README.md).[/]");
            foreach (var report in await RegionLoader.LoadDemoAsync(cs, folder, ct))
                AnsiConsole.MarkupLine($"[grey]{Markup.Escape(report.ToString())}[/]");

            var gtfsFolder = Path.Combine(folder, "gtfs");
            var req = new RegionAnalysisRequest(cs, Path.Combine(folder, "streets.osm"), p.GetValue(output)!, "Demo region (fictional)",
                ServiceCatalogue.Default, Directory.Exists(gtfsFolder) ? [gtfsFolder] : [], new DateOnly(2026, 3, 3),
                new TimeOnly(7, 0), new TimeOnly(9, 0), p.GetValue(cache)!);
            await RegionAnalysisRunner.RunAsync(req, ct);
            return 0;
        });
        return cmd;
    }

    private static Command DemoData()
    {
        var output = new Option<string>("--out", "-o") { Description = "Where to write the demo region.", DefaultValueFactory = _ => "geodata/demo" };
        var cmd = new Command("demo-data", "Regenerate the fictional demo region (deterministic: the same files every time).");
        cmd.Options.Add(output);
        cmd.SetAction(p =>
        {
            var summary = DemoRegionGenerator.Generate(p.GetValue(output)!);
            AnsiConsole.MarkupLine($"[green]Demo region written to {Markup.Escape(p.GetValue(output)!)}[/]: {Markup.Escape(summary.ToString())}");
            return 0;
        });
        return cmd;
    }

    private static Command Catalogue()
    {
        var cmd = new Command("catalogue", "Print the default service catalogue (JSON), a starting point for your own --catalogue file.");
        cmd.SetAction(_ =>
        {
            Console.WriteLine(ServiceCatalogue.DefaultJson());
            return 0;
        });
        return cmd;
    }

    internal static (TimeOnly Start, TimeOnly End) ParseWindow(string text)
    {
        var parts = text.Split('-', StringSplitOptions.TrimEntries);
        if (parts.Length != 2 || !TimeOnly.TryParseExact(parts[0], "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var s)
            || !TimeOnly.TryParseExact(parts[1], "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var e) || e <= s)
            throw new ArgumentException($"--window '{text}' must look like 07:00-09:00 with the end after the start.");
        return (s, e);
    }

    internal static DateOnly? ParseDate(string? text)
    {
        if (text is null) return null;
        return DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? d
            : throw new ArgumentException($"--date '{text}' must be yyyy-mm-dd.");
    }
}
