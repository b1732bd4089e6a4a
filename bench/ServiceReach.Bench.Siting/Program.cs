using System.Diagnostics;
using System.Globalization;
using Npgsql;
using ServiceReach.Analysis;
using ServiceReach.Domain;
using ServiceReach.Exchange.Import;
using ServiceReach.Routing;
using ServiceReach.Siting;
using ServiceReach.Storage;

// Siting benchmarks (stopwatch, whole solver runs):
//   puurs <path/to/puurs.osm.pbf>      exact MCLP k = 1..10 on the Puurs region (needs SERVICEREACH_DB for a scratch import)
//   flanders [seed] [exact-seconds]    synthetic Flanders-sized instance: greedy, and exact with a time limit (gap to bound)
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
Console.WriteLine($"machine: {Environment.ProcessorCount} cores, load {File.ReadAllText("/proc/loadavg").Trim()}");
return args.FirstOrDefault() switch
{
    "puurs" when args.Length >= 2 => await Puurs(args[1]),
    "flanders" => Flanders(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1, args.Length > 2 ? double.Parse(args[2], CultureInfo.InvariantCulture) : 60),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: ServiceReach.Bench.Siting puurs <puurs.osm.pbf> | flanders [seed] [exact-seconds]");
    return 2;
}

static async Task<int> Puurs(string pbf)
{
    var adminCs = Environment.GetEnvironmentVariable("SERVICEREACH_DB") ?? throw new InvalidOperationException("Set SERVICEREACH_DB (a PostGIS server you own) for the scratch import.");
    var name = "bench_siting_" + Guid.NewGuid().ToString("N")[..12];
    await using (var c = new NpgsqlConnection(adminCs)) { await c.OpenAsync(); await new NpgsqlCommand($"CREATE DATABASE \"{name}\"", c).ExecuteNonQueryAsync(); }
    var cs = new NpgsqlConnectionStringBuilder(adminCs) { Database = name, Pooling = false }.ConnectionString;
    try
    {
        await using (var c = new NpgsqlConnection(cs)) { await c.OpenAsync(); await new NpgsqlCommand("CREATE EXTENSION IF NOT EXISTS postgis", c).ExecuteNonQueryAsync(); }
        await RegionLoader.LoadOsmAsync(cs, pbf, "osm-puurs");
        var network = StreetNetwork.Build(pbf, Profile.BuiltIn);
        var input = await StoredAnalysis.LoadAsync(cs, null, ServiceCatalogue.Default, "Puurs");
        input = input with { Kernen = input.Kernen.Select(k => k.Population > 0 ? k : k with { Population = 1 }).ToList() };
        var analysis = new AccessAnalysis(network, options: new AnalysisOptions { StreetModes = [Mode.Walk] }).Run(input);
        var candidates = CandidateSources.FromKernen(input.Kernen).Concat(CandidateSources.FromOsm(pbf)).ToList();

        var sw = Stopwatch.StartNew();
        var problem = SitingProblem.Build(analysis, network, candidates);
        var build = sw.Elapsed;
        Console.WriteLine($"Puurs: {problem.Demand.Count} demand points, {problem.Candidates.Count} candidates, {problem.Covering.PairCount} covering pairs, {problem.Median.PairCount} median pairs; matrix + instances {build.TotalSeconds:F2} s");
        for (int rep = 0; rep < 3; rep++)
        {
            sw.Restart();
            var exact = problem.Curve(10);
            var exactTime = sw.Elapsed;
            sw.Restart();
            var cpsat = problem.Curve(10, options: new ExactSolverOptions { Engine = ExactEngine.CpSat });
            var cpsatTime = sw.Elapsed;
            sw.Restart();
            var greedy = problem.Curve(10, exact: false);
            var greedyTime = sw.Elapsed;
            sw.Restart();
            for (int k = 1; k <= 10; k++) problem.Solve(SitingModel.Median, SiteLimit.Sites(k));
            var medianTime = sw.Elapsed;
            Console.WriteLine($"rep {rep}: MCLP exact k=1..10 {exactTime.TotalSeconds:F3} s (all optimal: {exact.All(c => c.ProvenOptimal)}), CP-SAT {cpsatTime.TotalSeconds:F3} s (same values: {exact.Zip(cpsat).All(z => Math.Abs(z.First.Savings - z.Second.Savings) < 1e-6)}), greedy k=1..10 {greedyTime.TotalSeconds:F4} s, p-median exact k=1..10 {medianTime.TotalSeconds:F3} s");
            if (rep == 0)
                foreach (var (e, g) in exact.Zip(greedy))
                    Console.WriteLine($"  k={e.Sites,2} exact {e.Savings,12:F1} (+{e.Marginal,10:F1})  greedy {g.Savings,12:F1}  ratio {(e.Savings > 0 ? g.Savings / e.Savings : 1):F4}");
        }
        return 0;
    }
    finally
    {
        NpgsqlConnection.ClearAllPools();
        await using var c = new NpgsqlConnection(adminCs);
        await c.OpenAsync();
        await new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", c).ExecuteNonQueryAsync();
    }
}

static int Flanders(int seed, double exactSeconds)
{
    foreach (var (label, networkMeters) in new[] { ("walk 15 min (1,200 m)", 1200.0), ("bike 15 min (3,750 m)", 3750.0) })
    {
    var sw = Stopwatch.StartNew();
    var inst = SyntheticFlanders.Build(seed, demandCount: 2500, candidateCount: 5000, networkMeters, out var description);
    Console.WriteLine($"synthetic Flanders, {label} (seed {seed}): {description}; built in {sw.Elapsed.TotalSeconds:F2} s");
    foreach (var k in new[] { 10, 50, 100 })
    {
        sw.Restart();
        var greedy = GreedySolver.Solve(inst, SiteLimit.Sites(k));
        var greedyTime = sw.Elapsed;
        foreach (var engine in new[] { ExactEngine.Scip, ExactEngine.CpSat })
        {
            sw.Restart();
            var exact = ExactSolver.Solve(inst, SiteLimit.Sites(k), new ExactSolverOptions { TimeLimitSeconds = exactSeconds, Engine = engine });
            var exactTime = sw.Elapsed;
            Console.WriteLine($"k={k,3}: greedy {greedy.Savings,14:F1} in {greedyTime.TotalSeconds:F3} s | {engine,-5} {exact.Savings,14:F1} bound {exact.UpperBound,14:F1} gap {exact.Gap:P3} optimal {exact.ProvenOptimal} in {exactTime.TotalSeconds:F2} s | greedy/bound {greedy.Savings / exact.UpperBound:F4}");
        }
    }
    sw.Restart();
    var curve = CoverageCurve.Greedy(inst, 10);
    Console.WriteLine($"greedy curve k=1..10 in {sw.Elapsed.TotalSeconds:F3} s; k=10 value {curve[^1].Savings:F1}");
    }
    return 0;
}

/// <summary>
/// A Flanders-like covering instance: kernen drawn around ~300 municipal centres over a 230 × 100 km box (clustered, as
/// villages are), residents log-normal (median ~600), missing bundle categories more likely in small kernen; candidates
/// placed near kernen in proportion to their size; a candidate covers a kern within the network distance (1,200 m walking or
/// 3,750 m cycling), taken as the straight line × 1.3 (a typical detour factor).
/// </summary>
internal static class SyntheticFlanders
{
    public static FacilityInstance Build(int seed, int demandCount, int candidateCount, double networkMeters, out string description)
    {
        var rnd = new Random(seed);
        int centres = 300;
        var cx = new double[centres];
        var cy = new double[centres];
        for (int c = 0; c < centres; c++) { cx[c] = rnd.NextDouble() * 230_000; cy[c] = rnd.NextDouble() * 100_000; }
        var x = new double[demandCount];
        var y = new double[demandCount];
        var value = new double[demandCount];
        long residents = 0;
        for (int i = 0; i < demandCount; i++)
        {
            int c = rnd.Next(centres);
            x[i] = cx[c] + Normal(rnd) * 2500;
            y[i] = cy[c] + Normal(rnd) * 2500;
            int pop = (int)Math.Clamp(Math.Exp(Math.Log(600) + Normal(rnd) * 1.0), 30, 30_000);
            residents += pop;
            int p65 = (int)(pop * 0.21);
            double pMissing = pop < 500 ? 0.8 : pop < 2000 ? 0.45 : 0.1;
            int missing = 0;
            for (int b = 0; b < 5; b++) if (rnd.NextDouble() < pMissing) missing++;
            value[i] = (pop - p65 + 1.5 * p65) * missing;
        }
        // Candidates near kernen, more around bigger ones (cumulative weights by value + 1).
        var cum = new double[demandCount];
        double acc = 0;
        for (int i = 0; i < demandCount; i++) { acc += Math.Sqrt(value[i] + 1); cum[i] = acc; }
        var px = new double[candidateCount];
        var py = new double[candidateCount];
        for (int j = 0; j < candidateCount; j++)
        {
            int i = Array.BinarySearch(cum, rnd.NextDouble() * acc);
            if (i < 0) i = ~i;
            i = Math.Min(i, demandCount - 1);
            px[j] = x[i] + Normal(rnd) * 700;
            py[j] = y[i] + Normal(rnd) * 700;
        }
        // Coverage by a uniform grid of 1 km cells (only neighbouring cells can be within 920 m).
        double radius = networkMeters / 1.3, cell = radius;
        var grid = new Dictionary<(int, int), List<int>>();
        for (int i = 0; i < demandCount; i++)
        {
            var key = ((int)Math.Floor(x[i] / cell), (int)Math.Floor(y[i] / cell));
            if (!grid.TryGetValue(key, out var l)) grid[key] = l = [];
            l.Add(i);
        }
        var covers = new List<IReadOnlyList<int>>(candidateCount);
        long pairs = 0;
        for (int j = 0; j < candidateCount; j++)
        {
            var list = new List<int>();
            int gx = (int)Math.Floor(px[j] / cell), gy = (int)Math.Floor(py[j] / cell);
            for (int dx = -1; dx <= 1; dx++)
                for (int dy = -1; dy <= 1; dy++)
                    if (grid.TryGetValue((gx + dx, gy + dy), out var l))
                        foreach (var i in l)
                            if (Math.Pow(x[i] - px[j], 2) + Math.Pow(y[i] - py[j], 2) <= radius * radius) list.Add(i);
            list.Sort();
            pairs += list.Count;
            covers.Add(list);
        }
        description = $"{demandCount} kernen ({residents:N0} residents), {candidateCount} candidates, {pairs:N0} covering pairs";
        return FacilityInstance.Covering(value, covers);
    }

    private static double Normal(Random rnd) => Math.Sqrt(-2 * Math.Log(1 - rnd.NextDouble())) * Math.Cos(2 * Math.PI * rnd.NextDouble());
}
