using System.CommandLine;

namespace ServiceReach.Cli.Commands;

/// <summary>`import` and `export` commands (owned by the importer work; placeholder until then).</summary>
public static class ImportExportCommands
{
    public static IEnumerable<Command> Create() => [];
}
