using System.Net;
using ServiceReach.Exchange.Import;
using ServiceReach.Exchange.Manifests;
using ServiceReach.Testing;

namespace ServiceReach.Exchange.Tests;

/// <summary>The Klein-Brabant manifest against a local HTTP server on 127.0.0.1 serving the shared geodata folder.</summary>
public sealed class ManifestTests : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly DirectoryInfo _cache = Directory.CreateTempSubdirectory("sr-cache-");
    private string _root = "";
    private int _requests;
    private Task? _serving;

    private string Start()
    {
        _root = SharedGeoData.Folder ?? "";
        SharedGeoData.Require("osm/puurs.osm.pbf");
        for (var attempt = 0; ; attempt++)
        {
            var port = Random.Shared.Next(20000, 60000);
            try
            {
                _listener.Prefixes.Clear();
                _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
                _listener.Start();
                _serving = Task.Run(ServeAsync);
                return $"http://127.0.0.1:{port}/";
            }
            catch (HttpListenerException) when (attempt < 5) { }
        }
    }

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext ctx;
            try { ctx = await _listener.GetContextAsync(); }
            catch (Exception) { return; }
            Interlocked.Increment(ref _requests);
            var relative = Uri.UnescapeDataString(ctx.Request.Url!.AbsolutePath.TrimStart('/'));
            var path = Path.GetFullPath(Path.Combine(_root, relative));
            if (relative.Contains("corrupt", StringComparison.Ordinal))
            {
                var bytes = "not the file you expected"u8.ToArray();
                ctx.Response.ContentLength64 = bytes.Length;
                await ctx.Response.OutputStream.WriteAsync(bytes);
            }
            else if (!path.StartsWith(_root, StringComparison.Ordinal) || !File.Exists(path))
            {
                ctx.Response.StatusCode = 404;
            }
            else
            {
                await using var f = File.OpenRead(path);
                ctx.Response.ContentLength64 = f.Length;
                await f.CopyToAsync(ctx.Response.OutputStream);
            }
            ctx.Response.Close();
        }
    }

    private static RegionManifest KleinBrabant()
        => RegionManifest.Load(Path.Combine(RepositoryRoot.Require(), "geodata", "manifests", "klein-brabant.json"));

    [Fact]
    public async Task Manifest_checksums_match_the_shared_files()
    {
        var manifest = KleinBrabant();
        SharedGeoData.Require("osm/puurs.osm.pbf");
        foreach (var s in manifest.Sources)
        {
            var local = SharedGeoData.Require(s.Path);
            Assert.Equal(s.Sha256, await RegionManifest.Sha256Async(local));
            Assert.Equal(s.Size, new FileInfo(local).Length);
        }
        Assert.NotNull(manifest.ClipGeometry);
    }

    [Fact]
    public async Task Downloader_fetches_verifies_caches_and_rejects_a_wrong_checksum()
    {
        var baseUrl = Start();
        var manifest = KleinBrabant();
        using var http = new HttpClient();
        var downloader = new ManifestDownloader(http, _cache.FullName);

        var first = await downloader.FetchAsync(manifest, baseUrl);
        Assert.Equal(manifest.Sources.Count, first.Count);
        // Two sources share the OSM file: the second finds it in the cache.
        Assert.Equal(manifest.Sources.Select(s => s.Path).Distinct().Count(), first.Count(f => f.Downloaded));
        var requestsAfterFirst = _requests;
        foreach (var f in first) Assert.Equal(f.Source.Sha256, await RegionManifest.Sha256Async(f.LocalPath));

        var second = await downloader.FetchAsync(manifest, baseUrl);
        Assert.All(second, f => Assert.False(f.Downloaded));
        Assert.Equal(requestsAfterFirst, _requests);

        // A damaged cached file is fetched again.
        var osm = first.First(f => f.Source.Id == "osm-services").LocalPath;
        await File.WriteAllTextAsync(osm, "damaged");
        var repaired = await downloader.FetchAsync(manifest, manifest.Sources.First(s => s.Id == "osm-services"), baseUrl);
        Assert.True(repaired.Downloaded);
        Assert.Equal(repaired.Source.Sha256, await RegionManifest.Sha256Async(osm));

        // A server that sends other bytes: refused, nothing left in the cache.
        var wrong = manifest.Sources[0] with { Id = "bad", Path = "osm/corrupt.osm.pbf" };
        var ex = await Assert.ThrowsAsync<InvalidDataException>(() => downloader.FetchAsync(manifest, wrong, baseUrl));
        Assert.Contains("checksum mismatch", ex.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(downloader.CachePath(manifest, wrong)));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(downloader.CachePath(manifest, wrong))!, "*.part"));

        var missing = manifest.Sources[0] with { Id = "missing", Path = "osm/nowhere.osm.pbf" };
        var notFound = await Assert.ThrowsAsync<IOException>(() => downloader.FetchAsync(manifest, missing, baseUrl));
        Assert.Contains("HTTP 404", notFound.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fetched_region_imports_clipped_to_its_polygon()
    {
        var baseUrl = Start();
        var manifest = KleinBrabant();
        using var http = new HttpClient();
        var files = await new ManifestDownloader(http, _cache.FullName).FetchAsync(manifest, baseUrl);
        await using var db = await ScratchDb.CreateAsync();
        var reports = await RegionImporter.ImportAsync(new Importer(db.ConnectionString), manifest, files);

        Assert.Equal(LayerKind.Kernen, reports[0].Layer);
        var municipalities = reports.Single(r => r.Layer == LayerKind.Municipalities);
        Assert.Equal(0, municipalities.Rejected);
        // Independent check of the clip: municipalities whose polygon intersects the clip box, counted in PostGIS from the raw file.
        Assert.True(municipalities.Inserted is > 3 and < 30, $"{municipalities.Inserted} municipalities");
        Assert.Equal(319, municipalities.Inserted + municipalities.OutsideClip);
        Assert.Equal(municipalities.Inserted, await db.CountAsync("SELECT count(*) FROM municipality WHERE ST_Intersects(boundary, ST_MakeEnvelope(4.196, 51.047, 4.355, 51.130, 4326))"));
        Assert.Contains("Bornem", (await db.QueryAsync("SELECT name FROM municipality")).Select(r => (string)r[0]!));
        Assert.Equal(22, reports.Single(r => r.Layer == LayerKind.Regions).Inserted);
        Assert.True(reports.Single(r => r.Layer == LayerKind.ServicePoints).Inserted > 100);
        Assert.Equal("klein-brabant:osm-services", (await db.QueryAsync("SELECT DISTINCT source FROM service_point")).Single()[0]);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_listener.IsListening) _listener.Stop();
        _listener.Close();
        if (_serving is not null) await _serving.ConfigureAwait(false);
        _cache.Delete(true);
        _stop.Dispose();
    }
}
