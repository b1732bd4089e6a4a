using System.Text;
using ServiceReach.Exchange.GeoJson;
using ServiceReach.Exchange.Import;
using ServiceReach.Testing;

namespace ServiceReach.Exchange.Tests;

/// <summary>Each kind of bad input gets a clear message naming the file and the line or feature, and leaves the database as it was.</summary>
public sealed class BadInputTests : IAsyncLifetime
{
    private ScratchDb _db = null!;
    private DirectoryInfo _dir = null!;
    private List<object?[]> _before = null!;

    public async ValueTask InitializeAsync()
    {
        _db = await ScratchDb.CreateAsync();
        _dir = Directory.CreateTempSubdirectory("sr-bad-");
        // Something to protect: a committed import the failed ones must not touch.
        await new Importer(_db.ConnectionString).ImportAsync(new ImportRequest(LayerKind.ServicePoints, Write("good.geojson", Fc(Svc("a", 4.30, 51.10), Svc("b", 4.31, 51.10))), "test"));
        _before = await _db.SnapshotAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _db.DisposeAsync();
        _dir.Delete(true);
    }

    private string Write(string name, string text, Encoding? encoding = null)
    {
        var path = Path.Combine(_dir.FullName, name);
        File.WriteAllText(path, text, encoding ?? new UTF8Encoding(false));
        return path;
    }

    private static string Svc(string id, double lon, double lat, string categories = "[\"bakery\"]", string geometry = "")
        => $"{{\"type\":\"Feature\",\"properties\":{{\"source_id\":\"{id}\",\"name\":\"S {id}\",\"categories\":{categories}}},\"geometry\":" +
           (geometry.Length > 0 ? geometry : $"{{\"type\":\"Point\",\"coordinates\":[{lon.ToString(System.Globalization.CultureInfo.InvariantCulture)},{lat.ToString(System.Globalization.CultureInfo.InvariantCulture)}]}}") + "}";

    private static string Fc(params string[] features) => "{\"type\":\"FeatureCollection\",\"features\":[\n" + string.Join(",\n", features) + "\n]}\n";

    private async Task<ImportException> FailsAsync(ImportRequest request)
    {
        var ex = await Assert.ThrowsAsync<ImportException>(() => new Importer(_db.ConnectionString).ImportAsync(request));
        Assert.Contains(Path.GetFileNameWithoutExtension(request.Path), ex.Message, StringComparison.Ordinal);
        Assert.Equal(_before.Select(r => r[1]), (await _db.SnapshotAsync()).Select(r => r[1]));
        return ex;
    }

    [Fact]
    public async Task Truncated_geojson_names_the_file_and_the_line_and_changes_nothing()
    {
        var features = Enumerable.Range(0, 50).Select(i => Svc("t" + i, 4.3 + i * 1e-3, 51.1)).ToArray();
        var text = Fc(features);
        var path = Write("truncated.geojson", text[..(text.Length * 2 / 3)]);
        var ex = await FailsAsync(new ImportRequest(LayerKind.ServicePoints, path, "test"));
        Assert.Contains("truncated", ex.Message, StringComparison.Ordinal);
        // The cut falls inside the feature on this line (features are one per line, after the header line).
        var expectedLine = text[..(text.Length * 2 / 3)].Count(c => c == '\n') + 1;
        Assert.Equal(expectedLine, ex.Line);
    }

    [Fact]
    public async Task Malformed_json_reports_the_line_of_the_error()
    {
        var lines = Enumerable.Range(0, 10).Select(i => Svc("m" + i, 4.3, 51.1 + i * 1e-3)).ToArray();
        lines[6] = lines[6].Replace("\"name\":", "\"name\" ", StringComparison.Ordinal); // missing colon in the 7th feature = line 8
        var ex = await FailsAsync(new ImportRequest(LayerKind.ServicePoints, Write("malformed.geojson", Fc(lines)), "test"));
        Assert.Equal(8, ex.Line);
        Assert.Contains("malformed JSON", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Duplicate_source_ids_name_both_features()
    {
        var path = Write("dupes.geojson", Fc(Svc("x1", 4.30, 51.1), Svc("x2", 4.31, 51.1), Svc("x1", 4.32, 51.1)));
        var ex = await FailsAsync(new ImportRequest(LayerKind.ServicePoints, path, "test"));
        Assert.Equal(3, ex.FeatureNumber);
        Assert.Equal(4, ex.Line);
        Assert.Contains("duplicate source id 'x1' (also feature 1)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lambert_metres_in_a_geojson_without_crs_are_outside_wgs84_and_rejected_as_a_whole()
    {
        // RFC 7946 GeoJSON is WGS84; Lambert 72 metres there are impossible longitudes.
        var path = Write("lambert.geojson", Fc(Svc("l1", 4.3, 51.1), Svc("l2", 152000, 212000)));
        var ex = await FailsAsync(new ImportRequest(LayerKind.ServicePoints, path, "test"));
        Assert.Equal(2, ex.FeatureNumber);
        Assert.Contains("outside the area of EPSG:4326", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Degrees_declared_as_Lambert_in_a_csv_are_outside_Belgium()
    {
        var path = Write("points.csv", "id;name;x;y;categories\n1;Bakker;152000;212000;bakery\n2;Slager;4,35;51,1;butcher\n");
        var ex = await FailsAsync(new ImportRequest(LayerKind.ServicePoints, path, "test", SourceEpsg: 31370));
        Assert.Equal(2, ex.FeatureNumber);
        Assert.Equal(3, ex.Line);
        Assert.Contains("outside the area of EPSG:31370", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Projected_csv_without_declared_crs_is_refused()
    {
        var path = Write("xy.csv", "id,name,x,y,categories\n1,Bakker,152000,212000,bakery\n");
        var ex = await FailsAsync(new ImportRequest(LayerKind.ServicePoints, path, "test"));
        Assert.Contains("no coordinate system was declared", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Empty_and_invalid_geometries_are_rejected_or_repaired_with_reasons_and_strict_mode_rolls_back()
    {
        var bowTie = "{\"type\":\"Polygon\",\"coordinates\":[[[4.30,51.10],[4.31,51.11],[4.31,51.10],[4.30,51.11],[4.30,51.10]]]}";
        var path = Write("geoms.geojson", Fc(
            Svc("ok", 4.30, 51.12),
            Svc("empty", 0, 0, geometry: "{\"type\":\"Point\",\"coordinates\":[]}"),
            Svc("null", 0, 0, geometry: "null"),
            Svc("bowtie", 0, 0, geometry: bowTie),
            Svc("nocat", 4.3, 51.1, categories: "[\"ufo_shop\"]")));
        var strict = await FailsAsync(new ImportRequest(LayerKind.ServicePoints, path, "test2") { FailOnRejected = true });
        Assert.Equal(2, strict.FeatureNumber);

        var report = await new Importer(_db.ConnectionString).ImportAsync(new ImportRequest(LayerKind.ServicePoints, path, "test2"));
        Assert.Equal(5, report.Read);
        Assert.Equal(3, report.Rejected);
        Assert.Equal(2, report.Inserted); // "ok" and the repaired bow tie (placed at its point on surface)
        Assert.Contains(report.Problems, p => p.Contains("geoms.geojson, feature 2 (line 3): rejected: empty or missing geometry", StringComparison.Ordinal));
        Assert.Contains(report.Problems, p => p.Contains("feature 3 (line 4): rejected: empty or missing geometry", StringComparison.Ordinal));
        Assert.Contains(report.Problems, p => p.Contains("feature 4 (line 5): invalid polygon repaired (Self-intersection", StringComparison.Ordinal));
        Assert.Contains(report.Problems, p => p.Contains("feature 5 (line 6): rejected: unknown service category 'ufo_shop'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Unclosed_polygon_ring_is_a_clear_error()
    {
        var open = "{\"type\":\"Polygon\",\"coordinates\":[[[4.30,51.10],[4.31,51.11],[4.31,51.10],[4.30,51.11]]]}";
        var ex = await FailsAsync(new ImportRequest(LayerKind.ServicePoints, Write("open.geojson", Fc(Svc("o", 0, 0, geometry: open))), "test"));
        Assert.Contains("bad geometry", ex.Message, StringComparison.Ordinal);
        Assert.Equal(1, ex.FeatureNumber);
    }

    [Fact]
    public async Task Shapefile_without_prj_is_refused_unless_the_crs_is_declared_and_unknown_prj_is_refused()
    {
        var shp = SharedGeoData.Require("admin/pic-shapefiles/kernwinkelgebied.shp");
        foreach (var ext in new[] { ".shp", ".shx", ".dbf", ".cpg" }) File.Copy(Path.ChangeExtension(shp, ext), Path.Combine(_dir.FullName, "winkel" + ext));
        var copy = Path.Combine(_dir.FullName, "winkel.shp");
        var ex = await FailsAsync(new ImportRequest(LayerKind.Regions, copy, "test"));
        Assert.Contains("no .prj", ex.Message, StringComparison.Ordinal);

        // UTM 31N is a real system, but not one ServiceReach knows: refused, not guessed.
        File.WriteAllText(Path.ChangeExtension(copy, ".prj"), "PROJCS[\"WGS_1984_UTM_Zone_31N\",GEOGCS[\"GCS_WGS_1984\",DATUM[\"D_WGS_1984\",SPHEROID[\"WGS_1984\",6378137.0,298.257223563]],PRIMEM[\"Greenwich\",0.0],UNIT[\"Degree\",0.0174532925199433]],PROJECTION[\"Transverse_Mercator\"],PARAMETER[\"False_Easting\",500000.0],PARAMETER[\"False_Northing\",0.0],PARAMETER[\"Central_Meridian\",3.0],PARAMETER[\"Scale_Factor\",0.9996],PARAMETER[\"Latitude_Of_Origin\",0.0],UNIT[\"Meter\",1.0]]");
        var unknown = await FailsAsync(new ImportRequest(LayerKind.Regions, copy, "test"));
        Assert.Contains("unknown coordinate system", unknown.Message, StringComparison.Ordinal);
        File.Delete(Path.ChangeExtension(copy, ".prj"));

        var mapping = new FieldMapping { Fields = new Dictionary<string, string> { ["name"] = "naam" } };
        var ok = await new Importer(_db.ConnectionString).ImportAsync(new ImportRequest(LayerKind.Regions, copy, "test", Mapping: mapping, SourceEpsg: 31370));
        Assert.True(ok.Inserted > 0);
    }

    [Fact]
    public async Task Iso_8859_1_csv_is_detected_and_read_correctly()
    {
        var stops = SharedGeoData.Require("gtfs/atb-region-nord-2019/stops.txt");
        var mapping = new FieldMapping { Constants = new Dictionary<string, string> { ["categories"] = "meeting_place" } };
        var report = await new Importer(_db.ConnectionString).ImportAsync(new ImportRequest(LayerKind.ServicePoints, stops, "atb", Format: ImportFormat.Csv, Mapping: mapping));
        var rows = File.ReadAllLines(stops, Encoding.Latin1).Skip(1).Where(l => l.Length > 0).ToList();
        Assert.Equal(rows.Count, report.Read);
        Assert.Equal(rows.Count, report.Inserted);
        Assert.Contains(report.Problems, p => p.Contains("stops.txt: not valid UTF-8 (first non-UTF-8 byte on line 2); read as ISO-8859-1", StringComparison.Ordinal));
        // Independent decoding of one row: the first stop's name as Latin-1.
        var first = rows[0].Split(',');
        Assert.Equal(first[1], (await _db.QueryAsync($"SELECT name FROM service_point WHERE source = 'atb' AND source_id = '{first[0]}'")).Single()[0]);
        Assert.Contains('ø', first[1]);
        Assert.Equal(0, await _db.CountAsync("SELECT count(*) FROM service_point WHERE source = 'atb' AND name LIKE '%' || chr(65533) || '%'"));
    }

    [Fact]
    public void Streaming_reader_keeps_memory_flat_on_a_large_file()
    {
        // ~36 MB of features; the reader holds one feature at a time, so the managed heap must stay far below the file size.
        var path = Path.Combine(_dir.FullName, "large.geojson");
        const int count = 120_000;
        using (var w = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 16))
        {
            w.Write("{\"type\":\"FeatureCollection\",\"features\":[\n");
            for (var i = 0; i < count; i++)
            {
                if (i > 0) w.Write(",\n");
                w.Write($"{{\"type\":\"Feature\",\"properties\":{{\"source_id\":\"f{i}\",\"name\":\"Service number {i} with a longer name to make the line heavier\",\"categories\":[\"bakery\",\"gp\"],\"note\":\"{new string('x', 120)}\"}},\"geometry\":{{\"type\":\"Point\",\"coordinates\":[4.{i % 100000:D6},51.{i % 99991:D6}]}}}}");
            }
            w.Write("\n]}\n");
        }
        var size = new FileInfo(path).Length;
        Assert.True(size > 30_000_000);
        GC.Collect();
        var baseline = GC.GetTotalMemory(true);
        long peak = 0, n = 0, lastLine = 0;
        using var source = new GeoJsonRecordSource(path);
        foreach (var r in source.Read(CancellationToken.None))
        {
            n++;
            lastLine = r.Line;
            // Live memory after a full collection: garbage not yet collected (GC timing varies with machine load) is not retained memory.
            if ((n & 16383) == 0) peak = Math.Max(peak, GC.GetTotalMemory(true) - baseline);
        }
        Assert.Equal(count, n);
        Assert.Equal(count + 1, lastLine);
        Assert.True(peak < size / 4, $"managed heap grew by {peak / 1e6:F0} MB while reading a {size / 1e6:F0} MB file");
    }
}
