using System.Diagnostics;
using ServiceReach.Domain;
using ServiceReach.Exchange.Import;
using ServiceReach.Exchange.Osm;
using ServiceReach.Testing;

namespace ServiceReach.Exchange.Tests;

public class OsmImportTests
{
    /// <summary>Runs osmium tags-filter (an independent implementation of tag matching) and counts the matching nodes and ways.</summary>
    private static (int Nodes, int Ways) OsmiumCount(string pbf, string expressions)
    {
        var output = Path.Combine(Path.GetTempPath(), "sr-osmium-" + Guid.NewGuid().ToString("N") + ".opl");
        try
        {
            var psi = new ProcessStartInfo("osmium") { RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var a in new[] { "tags-filter", "-R", "-O", "-f", "opl", "-o", output, pbf }.Concat(expressions.Split(' '))) psi.ArgumentList.Add(a);
            using var p = Process.Start(psi)!;
            p.WaitForExit();
            Assert.Equal(0, p.ExitCode);
            var lines = File.ReadAllLines(output);
            return (lines.Count(l => l.StartsWith('n')), lines.Count(l => l.StartsWith('w')));
        }
        finally
        {
            File.Delete(output);
        }
    }

    private static void RequireOsmium()
    {
        try
        {
            using var p = Process.Start(new ProcessStartInfo("osmium", "--version") { RedirectStandardOutput = true, RedirectStandardError = true })!;
            p.WaitForExit();
        }
        catch (System.ComponentModel.Win32Exception)
        {
            Assert.Skip("osmium-tool is not installed (apt-get install osmium-tool); it provides the independent count.");
        }
    }

    [Fact]
    public async Task Puurs_service_counts_per_category_match_osmium()
    {
        var pbf = SharedGeoData.Require("osm/puurs.osm.pbf");
        RequireOsmium();
        await using var db = await ScratchDb.CreateAsync();
        var report = await new Importer(db.ConnectionString).ImportAsync(new ImportRequest(LayerKind.ServicePoints, pbf, "osm-puurs"));
        Assert.Equal(0, report.Rejected);
        Assert.Equal(report.Read, report.Inserted);

        // Categories whose catalogue rules osmium's filter language expresses exactly.
        var oracle = new Dictionary<string, string>
        {
            ["supermarket"] = "nw/shop=supermarket",
            ["bakery"] = "nw/shop=bakery,pastry",
            ["butcher"] = "nw/shop=butcher,deli",
            ["pharmacy"] = "nw/amenity=pharmacy nw/healthcare=pharmacy",
            ["library"] = "nw/amenity=library",
            ["post_point"] = "nw/amenity=post_office nw/post_office=post_partner,post_annex",
            ["municipal_desk"] = "nw/amenity=townhall",
            ["childcare"] = "nw/amenity=childcare",
        };
        foreach (var (category, expression) in oracle)
        {
            var (nodes, ways) = OsmiumCount(pbf, expression);
            var storedNodes = await db.CountAsync($"SELECT count(*) FROM service_point p JOIN service_point_category c ON c.service_point_id = p.id WHERE c.category_code = '{category}' AND p.source_id LIKE 'node/%'");
            var storedWays = await db.CountAsync($"SELECT count(*) FROM service_point p JOIN service_point_category c ON c.service_point_id = p.id WHERE c.category_code = '{category}' AND p.source_id LIKE 'way/%'");
            Assert.True((nodes, ways) == (storedNodes, storedWays), $"{category}: osmium {nodes} nodes + {ways} ways, imported {storedNodes} + {storedWays}");
        }
        // Ways are stored at their point on surface: inside the building outline.
        Assert.True(await db.CountAsync("SELECT count(*) FROM service_point WHERE source_id LIKE 'way/%'") > 10);
    }

    [Fact]
    public async Task Place_nodes_become_kernen_and_services_are_assigned_to_the_nearest_centre()
    {
        var pbf = SharedGeoData.Require("osm/puurs.osm.pbf");
        await using var db = await ScratchDb.CreateAsync();
        var importer = new Importer(db.ConnectionString);
        var kernen = await importer.ImportAsync(new ImportRequest(LayerKind.Kernen, pbf, "osm-puurs"));

        // Independent count with a plain OsmSharp scan of the raw tags.
        var expected = new List<(string Id, string Name, string Place)>();
        using (var stream = File.OpenRead(pbf))
        {
            foreach (var geo in new OsmSharp.Streams.PBFOsmStreamSource(stream))
            {
                if (geo is OsmSharp.Node n && n.Tags is not null && n.Tags.TryGetValue("place", out var place)
                    && place is "town" or "village" or "hamlet" or "suburb" && n.Tags.TryGetValue("name", out var name))
                    expected.Add(("node/" + n.Id, name, place));
            }
        }
        Assert.Equal(expected.Count, kernen.Inserted);
        var stored = await db.QueryAsync("SELECT source_id, name, typology FROM kern ORDER BY source_id");
        Assert.Equal(expected.OrderBy(e => e.Id, StringComparer.Ordinal).Select(e => $"{e.Id}|{e.Name}|{e.Place}"), stored.Select(r => $"{r[0]}|{r[1]}|{r[2]}"));
        Assert.Contains(stored, r => (string)r[1]! == "Puurs" && (string)r[2]! == "town");

        await importer.ImportAsync(new ImportRequest(LayerKind.ServicePoints, pbf, "osm-puurs"));
        // Every assigned point's kern is the nearest centre within 2 km; points farther than 2 km from all centres stay unassigned.
        var wrong = await db.CountAsync("""
            SELECT count(*) FROM service_point p
            LEFT JOIN LATERAL (SELECT k.id, ST_Distance(k.centre::geography, p.location::geography) d FROM kern k ORDER BY k.centre::geography <-> p.location::geography LIMIT 1) n ON true
            WHERE p.kern_id IS DISTINCT FROM (CASE WHEN n.d <= 2000 THEN n.id END)
            """);
        Assert.Equal(0, wrong);
        Assert.True(await db.CountAsync("SELECT count(*) FROM service_point WHERE kern_id IS NOT NULL") > 100);
    }

    [Fact]
    public void Osm_xml_and_pbf_twins_give_the_same_service_points()
    {
        var pbf = SharedGeoData.Require("osm/wechel.osm.pbf");
        var xml = SharedGeoData.Require("osm/wechel.osm");
        static List<string> Read(IRecordSource s) => s.Read(CancellationToken.None)
            .Select(r => $"{r.Attributes["source_id"]}|{string.Join(",", (List<string>)r.Attributes["categories"]!)}|{r.Geometry!.Coordinate.X:F7}|{r.Geometry.Coordinate.Y:F7}").ToList();
        using var a = new OsmRecordSource(pbf, pbf: true, LayerKind.ServicePoints, ServiceCatalogue.Default);
        using var b = new OsmRecordSource(xml, pbf: false, LayerKind.ServicePoints, ServiceCatalogue.Default);
        var fromPbf = Read(a);
        Assert.NotEmpty(fromPbf);
        Assert.Equal(fromPbf, Read(b));
    }
}
