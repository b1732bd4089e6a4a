using System.CommandLine;
using ServiceReach.Cli.Commands;

var root = new RootCommand("ServiceReach: who can reach the basic services of daily life on foot, by bike and by bus, and where a dorpspunt, mobile service or buurtkar would close the gap.");
foreach (var c in ImportExportCommands.Create()) root.Subcommands.Add(c);
return await root.Parse(args).InvokeAsync();
