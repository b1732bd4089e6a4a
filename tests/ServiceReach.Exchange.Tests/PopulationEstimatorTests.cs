using System.Text.Json.Nodes;
using ServiceReach.Exchange.Import;
using ServiceReach.Exchange.Population;
using ServiceReach.Testing;

namespace ServiceReach.Exchange.Tests;

public class PopulationEstimatorTests
{
    [Fact]
    public void Largest_remainder_keeps_the_total()
    {
        Assert.Equal([34, 33, 33], PopulationEstimator.LargestRemainder(100, [1 / 3.0, 1 / 3.0, 1 / 3.0]));
        Assert.Equal([1, 0, 0], PopulationEstimator.LargestRemainder(1, [0.4, 0.3, 0.3]));
        Assert.Equal([0, 7], PopulationEstimator.LargestRemainder(7, [0, 1]));
    }

    [Fact]
    public async Task Hand_computed_case_spreads_a_unit_over_kernen_by_weight_and_keeps_counted_populations()
    {
        await using var db = await ScratchDb.CreateAsync();
        var dir = Directory.CreateTempSubdirectory("sr-pop-");
        try
        {
            // One unit (≈ 7 × 11 km) with 100 residents, 10 aged 65+; kern A at its west, B at its east, C counted already.
            var unit = Path.Combine(dir.FullName, "unit.geojson");
            await File.WriteAllTextAsync(unit, """
                {"type":"FeatureCollection","features":[{"type":"Feature","properties":{"source_id":"u1","population":100,"population_65plus":10},
                 "geometry":{"type":"Polygon","coordinates":[[[4.0,51.0],[4.1,51.0],[4.1,51.1],[4.0,51.1],[4.0,51.0]]]}}]}
                """);
            var kernen = Path.Combine(dir.FullName, "kernen.geojson");
            await File.WriteAllTextAsync(kernen, """
                {"type":"FeatureCollection","features":[
                 {"type":"Feature","properties":{"source_id":"A","name":"A"},"geometry":{"type":"Point","coordinates":[4.01,51.05]}},
                 {"type":"Feature","properties":{"source_id":"B","name":"B"},"geometry":{"type":"Point","coordinates":[4.09,51.05]}},
                 {"type":"Feature","properties":{"source_id":"C","name":"C","population":999},"geometry":{"type":"Point","coordinates":[4.05,51.09]}}]}
                """);
            var importer = new Importer(db.ConnectionString);
            await importer.ImportAsync(new ImportRequest(LayerKind.PopulationUnits, unit, "units"));
            await importer.ImportAsync(new ImportRequest(LayerKind.Kernen, kernen, "k"));

            // 3 homes by A (≈ 700 m), 1 by B (≈ 700 m), 1 in the middle south, over 2 km from every centre → outside.
            // C (counted) attracts one home but keeps its count; that home's share is still C's, not spread elsewhere.
            WeightPoint[] homes = [new(4.0100, 51.0563), new(4.0150, 51.0500), new(4.0050, 51.0480), new(4.0900, 51.0563), new(4.0500, 51.0100), new(4.0500, 51.0850)];
            var report = await PopulationEstimator.EstimateAsync(db.ConnectionString, new PopulationEstimateRequest("units"), homes);
            // Shares: A 3/6, B 1/6, C 1/6, outside 1/6 of 100 residents, rounded by largest remainder (A 50, B 17, outside 17, C's 16 unused).
            var expected = PopulationEstimator.LargestRemainder(100, [1 / 6.0, 3 / 6.0, 1 / 6.0, 1 / 6.0]); // order: outside, A, B, C (kern ids ascending)
            var rows = await db.QueryAsync("SELECT source_id, population, population65_plus, population_is_estimate FROM kern ORDER BY source_id");
            Assert.Equal(["A", (int)expected[1], 5, true], rows[0]);
            Assert.Equal(["B", (int)expected[2], 2, true], rows[1]);
            Assert.Equal(["C", 999, null, false], rows[2]);
            Assert.Equal(2, report.KernenEstimated);
            Assert.Equal(expected[0], report.ResidentsOutsideKernen);
            Assert.Equal(100, report.ResidentsInKernen + report.ResidentsOutsideKernen);

            // Running again changes nothing; re-importing the kern file (no counts) keeps the estimates.
            var second = await PopulationEstimator.EstimateAsync(db.ConnectionString, new PopulationEstimateRequest("units"), homes);
            var rows2 = await db.QueryAsync("SELECT source_id, population, population65_plus, population_is_estimate FROM kern ORDER BY source_id");
            Assert.Equal(string.Join(";", rows.Select(r => string.Join(",", r))), string.Join(";", rows2.Select(r => string.Join(",", r))));
            Assert.Equal(0, second.KernenEstimated);
            var again = await importer.ImportAsync(new ImportRequest(LayerKind.Kernen, kernen, "k"));
            Assert.Equal(0, again.Updated);
        }
        finally
        {
            dir.Delete(true);
        }
    }

    [Fact]
    public async Task Demo_region_municipal_totals_spread_over_residential_cells_reproduce_the_kern_counts()
    {
        var demo = Path.Combine(RepositoryRoot.Require(), "geodata", "demo");
        if (!File.Exists(Path.Combine(demo, "population.geojson"))) Assert.Skip("geodata/demo is not generated yet.");
        await using var db = await ScratchDb.CreateAsync();
        var importer = new Importer(db.ConnectionString);
        // Kernen as outlines without their counts; municipal totals as the units to spread.
        var noCounts = new FieldMapping { Fields = new Dictionary<string, string> { ["population"] = "-", ["population_65plus"] = "-" } };
        await importer.ImportAsync(new ImportRequest(LayerKind.Kernen, Path.Combine(demo, "kernen-boundaries.geojson"), "demo", Mapping: noCounts));
        var unitsMapping = new FieldMapping { Fields = new Dictionary<string, string> { ["source_id"] = "nis_code" } };
        await importer.ImportAsync(new ImportRequest(LayerKind.PopulationUnits, Path.Combine(demo, "municipalities.geojson"), "demo-municipalities", Mapping: unitsMapping));

        // Weight points: the residents' cells (a stand-in for address points), weighted by their residents.
        var cells = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(demo, "population.geojson")))!["features"]!.AsArray();
        var points = cells.Select(c =>
        {
            var ring = c!["geometry"]!["coordinates"]![0]!.AsArray();
            var xs = ring.Take(ring.Count - 1).Select(p => (double)p![0]!).ToArray();
            var ys = ring.Take(ring.Count - 1).Select(p => (double)p![1]!).ToArray();
            return new WeightPoint(xs.Average(), ys.Average(), (double)c["properties"]!["population"]!);
        }).Where(p => p.Weight > 0).ToList();
        var report = await PopulationEstimator.EstimateAsync(db.ConnectionString, new PopulationEstimateRequest("demo-municipalities"), points);

        var truth = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(demo, "kernen.geojson")))!["features"]!.AsArray()
            .ToDictionary(f => (string)f!["properties"]!["source_id"]!, f => (int)f!["properties"]!["population"]!);
        var estimated = (await db.QueryAsync("SELECT source_id, population FROM kern WHERE population_is_estimate")).ToDictionary(r => (string)r[0]!, r => (int)r[1]!);
        Assert.Equal(truth.Count, estimated.Count);
        foreach (var (id, population) in truth) Assert.Equal(population, estimated[id]);
        Assert.Equal(truth.Values.Sum(), report.ResidentsInKernen);
    }
}
