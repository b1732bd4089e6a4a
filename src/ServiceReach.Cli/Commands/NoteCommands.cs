using System.CommandLine;
using Microsoft.EntityFrameworkCore;
using ServiceReach.Domain;
using ServiceReach.Storage;
using Spectre.Console;

namespace ServiceReach.Cli.Commands;

/// <summary>`note add` and `note list`: local knowledge attached to a kern, shown next to its score.</summary>
public static class NoteCommands
{
    public static IEnumerable<Command> Create()
    {
        var kern = new Option<string>("--kern") { Description = "Kern id or exact name.", Required = true };
        var text = new Option<string>("--text") { Description = "The note.", Required = true };
        var author = new Option<string>("--author") { Description = "Who says so.", DefaultValueFactory = _ => Environment.UserName };
        var add = new Command("add", "Attach a local-knowledge note to a kern.");
        add.Options.Add(kern);
        add.Options.Add(text);
        add.Options.Add(author);
        add.SetAction(async (p, ct) =>
        {
            await using var db = ServiceReachDb.Open(ServiceReachDb.ConnectionStringFromEnvironment());
            var k = await FindKern(db, p.GetValue(kern)!, ct);
            var note = p.GetValue(text)!.Trim();
            if (note.Length == 0) throw new ArgumentException("--text is empty.");
            db.KernNotes.Add(new KernNote { KernId = k.Id, Author = p.GetValue(author)!, Text = note, CreatedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync(ct);
            AnsiConsole.MarkupLine($"Note added to [bold]{Markup.Escape(k.Name)}[/].");
            return 0;
        });

        var listKern = new Option<string>("--kern") { Description = "Kern id or exact name.", Required = true };
        var list = new Command("list", "Show the notes of a kern.");
        list.Options.Add(listKern);
        list.SetAction(async (p, ct) =>
        {
            await using var db = ServiceReachDb.Open(ServiceReachDb.ConnectionStringFromEnvironment());
            var k = await FindKern(db, p.GetValue(listKern)!, ct);
            foreach (var n in await db.KernNotes.Where(n => n.KernId == k.Id).OrderBy(n => n.CreatedAt).ToListAsync(ct))
                Console.WriteLine($"{n.CreatedAt:yyyy-MM-dd} {n.Author}: {n.Text}");
            return 0;
        });

        var note = new Command("note", "Local knowledge about kernen.");
        note.Subcommands.Add(add);
        note.Subcommands.Add(list);
        return [note];
    }

    private static async Task<Kern> FindKern(ServiceReachDbContext db, string idOrName, CancellationToken ct)
    {
        var matches = long.TryParse(idOrName, out var id)
            ? await db.Kernen.Where(k => k.Id == id).ToListAsync(ct)
            : await db.Kernen.Where(k => k.Name == idOrName).ToListAsync(ct);
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new ArgumentException($"No kern '{idOrName}'."),
            _ => throw new ArgumentException($"'{idOrName}' names {matches.Count} kernen; use the id ({string.Join(", ", matches.Select(m => m.Id))})."),
        };
    }
}
