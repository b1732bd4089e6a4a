using System.Diagnostics;
using System.Globalization;
using Npgsql;
using ServiceReach.Exchange.Import;
using ServiceReach.Storage;

// Import throughput benchmark: ServiceReach importer vs ogr2ogr on the same files into the same PostGIS, same run.
// Usage: dotnet run -c Release --project bench/ServiceReach.Bench.Exchange [-- --runs 3 --geodata ../shared/geodata]
// Needs SERVICEREACH_DB (a PostGIS server) and ogr2ogr on PATH (apt-get install gdal-bin) for the peer.

var runs = 3;
string? geodata = null;
for (var i = 0; i < args.Length; i++)
{
    if (args[i] == "--runs") runs = int.Parse(args[++i], CultureInfo.InvariantCulture);
    else if (args[i] == "--geodata") geodata = args[++i];
}
geodata ??= FindGeodata() ?? throw new InvalidOperationException("Cannot find ../shared/geodata; pass --geodata.");
var admin = ServiceReachDb.ConnectionStringFromEnvironment();

var cases = new (string Name, LayerKind Layer, string File, FieldMapping? Mapping, string[] OgrArgs)[]
{
    ("deelgemeenten shapefile (Lambert 72 → WGS84)", LayerKind.Kernen, Path.Combine(geodata, "admin/pic-shapefiles/deelgemeente2024.shp"),
        new FieldMapping { Fields = new Dictionary<string, string> { ["source_id"] = "geoitem", ["name"] = "naam" } }, ["-nln", "ogr_bench", "-t_srs", "EPSG:4326", "-nlt", "PROMOTE_TO_MULTI"]),
    ("deelgemeenten GeoJSON (WGS84)", LayerKind.Kernen, Path.Combine(geodata, "admin/geojson/deelgemeente2024.wgs84.geojson"),
        new FieldMapping { Fields = new Dictionary<string, string> { ["source_id"] = "geoitem", ["name"] = "naam" } }, ["-nln", "ogr_bench", "-nlt", "PROMOTE_TO_MULTI"]),
    ("Puurs OSM PBF → service points", LayerKind.ServicePoints, Path.Combine(geodata, "osm/puurs.osm.pbf"), null, ["points", "multipolygons"]), // ogr2ogr loads every tagged node and area (no tag filter): more rows, same file reading
};

Console.WriteLine($"Import benchmark, {runs} runs each, median shown. {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, load average {LoadAverage()}.");
Console.WriteLine("| case | features | ServiceReach first import | features/s | re-import (no change) | ogr2ogr same file (rows) | ratio ogr2ogr/ServiceReach |");
Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
foreach (var c in cases)
{
    if (!File.Exists(c.File)) { Console.WriteLine($"| {c.Name} | missing {c.File} | | | | | |"); continue; }
    var first = new List<double>();
    var again = new List<double>();
    var ogr = new List<double>();
    long features = 0, ogrRows = 0;
    for (var r = 0; r < runs; r++)
    {
        var cs = CreateDatabase(admin);
        try
        {
            await ServiceReachDb.MigrateAsync(cs);
            var importer = new Importer(cs);
            var sw = Stopwatch.StartNew();
            var report = await importer.ImportAsync(new ImportRequest(c.Layer, c.File, "bench", Mapping: c.Mapping));
            first.Add(sw.Elapsed.TotalSeconds);
            features = report.Inserted;
            sw.Restart();
            var second = await importer.ImportAsync(new ImportRequest(c.Layer, c.File, "bench", Mapping: c.Mapping));
            again.Add(sw.Elapsed.TotalSeconds);
            if (second.Inserted + second.Updated != 0) throw new InvalidOperationException("re-import changed rows");
            ogr.Add(RunOgr2Ogr(cs, c.File, c.OgrArgs));
            ogrRows = CountOgrRows(cs);
        }
        finally
        {
            DropDatabase(admin, cs);
        }
    }
    var f = Median(first);
    var o = Median(ogr);
    Console.WriteLine($"| {c.Name} | {features:N0} | {f:F2} s | {features / f:N0} | {Median(again):F2} s | {(double.IsNaN(o) ? "n/a" : o.ToString("F2", CultureInfo.InvariantCulture) + $" s ({ogrRows:N0})")} | {(double.IsNaN(o) ? "n/a" : (o / f).ToString("F2", CultureInfo.InvariantCulture))} |");
}
return 0;

static double Median(List<double> v)
{
    if (v.Count == 0 || v.Any(double.IsNaN)) return double.NaN;
    var s = v.OrderBy(x => x).ToList();
    return s.Count % 2 == 1 ? s[s.Count / 2] : (s[s.Count / 2 - 1] + s[s.Count / 2]) / 2;
}

static double RunOgr2Ogr(string cs, string file, string[] extra)
{
    var b = new NpgsqlConnectionStringBuilder(cs);
    var pg = $"PG:host={b.Host} port={b.Port} user={b.Username} dbname={b.Database}" + (string.IsNullOrEmpty(b.Password) ? "" : $" password={b.Password}");
    var psi = new ProcessStartInfo("ogr2ogr") { RedirectStandardError = true, RedirectStandardOutput = true };
    foreach (var a in new[] { "-f", "PostgreSQL", pg, file }.Concat(extra).Concat(["-overwrite", "--config", "PG_USE_COPY", "YES"])) psi.ArgumentList.Add(a);
    var sw = Stopwatch.StartNew();
    try
    {
        using var p = Process.Start(psi)!;
        p.StandardOutput.ReadToEnd();
        var err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) { Console.Error.WriteLine("ogr2ogr failed: " + err); return double.NaN; }
    }
    catch (System.ComponentModel.Win32Exception)
    {
        return double.NaN;
    }
    return sw.Elapsed.TotalSeconds;
}

static long CountOgrRows(string cs)
{
    using var conn = new NpgsqlConnection(cs);
    conn.Open();
    long total = 0;
    foreach (var table in new[] { "ogr_bench", "points", "multipolygons" })
    {
        using var exists = new NpgsqlCommand("SELECT to_regclass(@t) IS NOT NULL", conn);
        exists.Parameters.AddWithValue("t", "public." + table);
        if (!(bool)exists.ExecuteScalar()!) continue;
        using var count = new NpgsqlCommand($"SELECT count(*) FROM public.{table}", conn);
        total += (long)count.ExecuteScalar()!;
    }
    return total;
}

static string CreateDatabase(string adminCs)
{
    var name = "bench_" + Guid.NewGuid().ToString("N")[..16];
    using (var conn = new NpgsqlConnection(adminCs))
    {
        conn.Open();
        using var cmd = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", conn);
        cmd.ExecuteNonQuery();
    }
    var cs = new NpgsqlConnectionStringBuilder(adminCs) { Database = name, Pooling = false }.ConnectionString;
    using (var conn = new NpgsqlConnection(cs))
    {
        conn.Open();
        using var cmd = new NpgsqlCommand("CREATE EXTENSION IF NOT EXISTS postgis", conn);
        cmd.ExecuteNonQuery();
    }
    return cs;
}

static void DropDatabase(string adminCs, string cs)
{
    NpgsqlConnection.ClearAllPools();
    using var conn = new NpgsqlConnection(adminCs);
    conn.Open();
    using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{new NpgsqlConnectionStringBuilder(cs).Database}\" WITH (FORCE)", conn);
    cmd.ExecuteNonQuery();
}

static string? FindGeodata()
{
    var dir = new DirectoryInfo(AppContext.BaseDirectory);
    while (dir is not null)
    {
        var candidate = Path.Combine(dir.FullName, "..", "shared", "geodata");
        if (File.Exists(Path.Combine(dir.FullName, "ServiceReach.sln")) && Directory.Exists(candidate)) return Path.GetFullPath(candidate);
        dir = dir.Parent;
    }
    return null;
}

static string LoadAverage()
{
    try { return File.ReadAllText("/proc/loadavg").Split(' ')[0]; }
    catch (IOException) { return "?"; }
}
