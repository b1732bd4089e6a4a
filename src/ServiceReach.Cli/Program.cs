using System.CommandLine;
using ServiceReach.Cli.Commands;
using Spectre.Console;

var root = new RootCommand("ServiceReach: who can reach the basic services of daily life on foot, by bike and by bus, and where a dorpspunt, mobile service or buurtkar would close the gap.");
foreach (var c in AnalysisCommands.Create()) root.Subcommands.Add(c);
foreach (var c in ImportExportCommands.Create()) root.Subcommands.Add(c);
foreach (var c in NoteCommands.Create()) root.Subcommands.Add(c);
foreach (var c in ScenarioCommands.Create()) root.Subcommands.Add(c);
foreach (var c in SitingCommands.Create()) root.Subcommands.Add(c);

try
{
    return await root.Parse(args).InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (OperationCanceledException)
{
    AnsiConsole.MarkupLine("[yellow]Cancelled.[/]");
    return 130;
}
catch (Exception ex) when (ex is IOException or InvalidDataException or InvalidOperationException or ArgumentException or NotSupportedException
                               or UnauthorizedAccessException or Npgsql.NpgsqlException or FormatException)
{
    // Expected failures (bad input, missing files, database down) get one clear line, not a stack trace.
    AnsiConsole.MarkupLine($"[red]error:[/] {Markup.Escape(ex.Message)}");
    if (ex.InnerException is { } inner) AnsiConsole.MarkupLine($"[grey]  because: {Markup.Escape(inner.Message)}[/]");
    return 1;
}
