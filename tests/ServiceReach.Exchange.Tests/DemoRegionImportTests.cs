using System.Text.Json;
using System.Text.Json.Nodes;
using ServiceReach.Exchange.Import;
using ServiceReach.Testing;

namespace ServiceReach.Exchange.Tests;

/// <summary>Imports the bundled fictional demo region (geodata/demo) with the default mapping, the README's main path.</summary>
public class DemoRegionImportTests
{
    private static string Demo(string file)
    {
        var path = Path.Combine(RepositoryRoot.Require(), "geodata", "demo", file);
        if (!File.Exists(path)) Assert.Skip($"{path} is not generated yet (servicereach demo-data --out geodata/demo).");
        return path;
    }

    private static int FeatureCount(string path)
        => JsonDocument.Parse(File.ReadAllBytes(path)).RootElement.GetProperty("features").GetArrayLength();

    [Fact]
    public async Task Demo_layers_import_with_the_default_mapping_and_reimport_changes_nothing()
    {
        var kernen = Demo("kernen.geojson");
        var services = Demo("services.geojson");
        var population = Demo("population.geojson");
        var municipalities = Demo("municipalities.geojson");
        await using var db = await ScratchDb.CreateAsync();
        var importer = new Importer(db.ConnectionString);

        var k = await importer.ImportAsync(new ImportRequest(LayerKind.Kernen, kernen, "demo"));
        var s = await importer.ImportAsync(new ImportRequest(LayerKind.ServicePoints, services, "demo"));
        var p = await importer.ImportAsync(new ImportRequest(LayerKind.PopulationUnits, population, "demo"));
        var m = await importer.ImportAsync(new ImportRequest(LayerKind.Municipalities, municipalities, "demo"));

        Assert.Equal(FeatureCount(kernen), k.Inserted);
        Assert.Equal(FeatureCount(services), s.Inserted);
        Assert.Equal(FeatureCount(population), p.Inserted);
        Assert.Equal(FeatureCount(municipalities), m.Inserted);
        Assert.All(new[] { k, s, p, m }, r => Assert.Equal(0, r.Rejected));

        // Attributes arrive: Eikenrode per the demo README has 640 residents, 190 aged 65+, NIS 99002.
        var eikenrode = await db.QueryAsync("SELECT population, population65_plus, municipality_code, typology FROM kern WHERE name = 'Eikenrode'");
        Assert.Equal([640, 190, "99002", "village"], eikenrode.Single());

        // Every service carries its categories and sits in the kern the file names (kern_source_id).
        var doc = JsonNode.Parse(File.ReadAllText(services))!["features"]!.AsArray();
        var expectedCategoryRows = doc.Sum(f => f!["properties"]!["categories"]!.AsArray().Count);
        Assert.Equal(expectedCategoryRows, await db.CountAsync("SELECT count(*) FROM service_point_category"));
        foreach (var f in doc)
        {
            var props = f!["properties"]!;
            var kernRef = (string?)props["kern_source_id"];
            if (kernRef is null) continue;
            var stored = await db.QueryAsync($"SELECT k.source_id FROM service_point p JOIN kern k ON k.id = p.kern_id WHERE p.source_id = '{(string)props["source_id"]!}'");
            Assert.Equal(kernRef, (string?)stored.Single()[0]);
        }
        var statuses = await db.QueryAsync("SELECT status, count(*) FROM service_point GROUP BY status ORDER BY status");
        var expectedClosed = doc.Count(f => (string?)f!["properties"]!["status"] == "closed");
        Assert.Equal(expectedClosed, statuses.Where(r => (string)r[0]! == "Closed").Sum(r => (long)r[1]!));

        // Same files again: nothing changes.
        var before = await db.SnapshotAsync();
        foreach (var (layer, path) in new[] { (LayerKind.Kernen, kernen), (LayerKind.ServicePoints, services), (LayerKind.PopulationUnits, population), (LayerKind.Municipalities, municipalities) })
        {
            var again = await importer.ImportAsync(new ImportRequest(layer, path, "demo"));
            Assert.Equal(0, again.Inserted);
            Assert.Equal(0, again.Updated);
            Assert.Equal(0, again.Closed);
            Assert.Equal(again.Read, again.Unchanged);
        }
        Assert.Equal(before.Select(r => r[1]), (await db.SnapshotAsync()).Select(r => r[1]));
    }

    [Fact]
    public async Task Changed_services_file_updates_what_changed_and_closes_what_disappeared()
    {
        var services = Demo("services.geojson");
        await using var db = await ScratchDb.CreateAsync();
        var importer = new Importer(db.ConnectionString);
        await importer.ImportAsync(new ImportRequest(LayerKind.Kernen, Demo("kernen.geojson"), "demo"));
        await importer.ImportAsync(new ImportRequest(LayerKind.ServicePoints, services, "demo"));

        var root = JsonNode.Parse(File.ReadAllText(services))!;
        var features = root["features"]!.AsArray();
        var openOnes = features.Where(f => (string?)f!["properties"]!["status"] == "open").ToList();
        var removed = (string)openOnes[0]!["properties"]!["source_id"]!;
        var renamed = (string)openOnes[1]!["properties"]!["source_id"]!;
        var recategorised = (string)openOnes[2]!["properties"]!["source_id"]!;
        features.Remove(openOnes[0]);
        openOnes[1]!["properties"]!["name"] = "Nieuwe naam";
        openOnes[2]!["properties"]!["categories"] = new JsonArray("digipunt", "library");
        var dir = Directory.CreateTempSubdirectory("sr-demo-");
        try
        {
            var changed = Path.Combine(dir.FullName, "services.geojson");
            await File.WriteAllTextAsync(changed, root.ToJsonString());
            var report = await importer.ImportAsync(new ImportRequest(LayerKind.ServicePoints, changed, "demo", AsOf: new DateOnly(2026, 11, 1)));
            Assert.Equal(0, report.Inserted);
            Assert.Equal(2, report.Updated);
            Assert.Equal(1, report.Closed);
            Assert.Equal(features.Count - 2, report.Unchanged);

            var closedRow = (await db.QueryAsync($"SELECT status, valid_to FROM service_point WHERE source_id = '{removed}'")).Single();
            Assert.Equal("Closed", closedRow[0]);
            Assert.Equal(new DateOnly(2026, 11, 1), (DateOnly)closedRow[1]!);
            Assert.Equal("Nieuwe naam", (await db.QueryAsync($"SELECT name FROM service_point WHERE source_id = '{renamed}'")).Single()[0]);
            var cats = await db.QueryAsync($"SELECT c.category_code FROM service_point_category c JOIN service_point p ON p.id = c.service_point_id WHERE p.source_id = '{recategorised}' ORDER BY 1");
            Assert.Equal(["digipunt", "library"], cats.Select(r => (string)r[0]!));

            // Re-importing the changed file again: the closed point stays closed, nothing else moves.
            var again = await importer.ImportAsync(new ImportRequest(LayerKind.ServicePoints, changed, "demo", AsOf: new DateOnly(2026, 11, 2)));
            Assert.Equal((0L, 0L, 0L), (again.Inserted, again.Updated, again.Closed));
            Assert.Equal(new DateOnly(2026, 11, 1), (DateOnly)(await db.QueryAsync($"SELECT valid_to FROM service_point WHERE source_id = '{removed}'")).Single()[0]!);
        }
        finally
        {
            dir.Delete(true);
        }
    }

    [Fact]
    public async Task Outlines_can_be_added_to_kernen_while_keeping_their_stored_centres()
    {
        var centres = Demo("kernen.geojson");
        var outlines = Demo("kernen-boundaries.geojson");
        await using var db = await ScratchDb.CreateAsync();
        var importer = new Importer(db.ConnectionString);
        await importer.ImportAsync(new ImportRequest(LayerKind.Kernen, centres, "demo"));
        var before = await db.QueryAsync("SELECT source_id, ST_AsText(centre), municipality_code, population, population65_plus, typology FROM kern ORDER BY source_id");
        // The outline file names the municipality by name, not NIS code: map the (absent) nis_code so the stored code stays.
        var mapping = new FieldMapping { Fields = new Dictionary<string, string> { ["municipality"] = "nis_code" } };
        var report = await importer.ImportAsync(new ImportRequest(LayerKind.Kernen, outlines, "demo", Mapping: mapping) { KeepStoredCentre = true });
        Assert.Equal(FeatureCount(outlines), report.Updated);
        var after = await db.QueryAsync("SELECT source_id, ST_AsText(centre), municipality_code, population, population65_plus, typology, boundary IS NOT NULL, ST_Contains(boundary, centre) FROM kern ORDER BY source_id");
        Assert.Equal(before.Select(r => string.Join(" ", r)), after.Select(r => string.Join(" ", r.Take(6))));
        Assert.All(after, r => Assert.True((bool)r[6]!, $"kern {r[0]}: no outline"));
        Assert.All(after, r => Assert.True((bool)r[7]!, $"kern {r[0]}: its centre lies outside its outline"));
        // Same again: nothing changes.
        var again = await importer.ImportAsync(new ImportRequest(LayerKind.Kernen, outlines, "demo", Mapping: mapping) { KeepStoredCentre = true });
        Assert.Equal(0, again.Updated);
    }
}
