using System.Net;
using System.Security.Cryptography;

namespace ServiceReach.Exchange.Manifests;

/// <summary>A file of a manifest, present in the cache with a verified checksum.</summary>
public sealed record CachedFile(ManifestSource Source, string LocalPath, bool Downloaded, long Bytes);

public sealed record DownloadProgress(string SourceId, long Bytes, long? TotalBytes);

/// <summary>
/// Downloads a manifest's files into a cache folder and verifies their SHA-256. A cached file whose checksum matches is not
/// fetched again; a download is hashed while it streams to a temporary file and moved into place only when the checksum
/// matches, so the cache never holds a wrong or half file. Base URLs may be http(s):// or file:// (a local mirror).
/// </summary>
public sealed class ManifestDownloader(HttpClient http, string cacheFolder)
{
    public string CacheFolder { get; } = Path.GetFullPath(cacheFolder);

    public async Task<IReadOnlyList<CachedFile>> FetchAsync(RegionManifest manifest, string? baseUrl = null, IProgress<DownloadProgress>? progress = null,
        IEnumerable<string>? onlySources = null, CancellationToken ct = default)
    {
        var only = onlySources?.ToHashSet(StringComparer.Ordinal);
        var result = new List<CachedFile>();
        foreach (var source in manifest.Sources)
        {
            if (only is not null && !only.Contains(source.Id)) continue;
            result.Add(await FetchAsync(manifest, source, baseUrl, progress, ct).ConfigureAwait(false));
        }
        return result;
    }

    public string CachePath(RegionManifest manifest, ManifestSource source)
        => Path.Combine(CacheFolder, manifest.Name, source.Path.Replace('/', Path.DirectorySeparatorChar));

    public async Task<CachedFile> FetchAsync(RegionManifest manifest, ManifestSource source, string? baseUrl = null, IProgress<DownloadProgress>? progress = null, CancellationToken ct = default)
    {
        var target = CachePath(manifest, source);
        if (File.Exists(target))
        {
            if (string.Equals(await RegionManifest.Sha256Async(target, ct).ConfigureAwait(false), source.Sha256, StringComparison.OrdinalIgnoreCase))
                return new CachedFile(source, target, false, new FileInfo(target).Length);
            File.Delete(target); // stale or corrupted: fetch again
        }
        var uri = ResolveUri(manifest, source, baseUrl);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var temp = target + "." + Guid.NewGuid().ToString("N")[..8] + ".part";
        try
        {
            long bytes = 0;
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            await using (var output = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
            {
                Stream input;
                long? total = source.Size;
                HttpResponseMessage? response = null;
                if (uri.IsFile)
                {
                    if (!File.Exists(uri.LocalPath)) throw new FileNotFoundException($"Source '{source.Id}': {uri.LocalPath} does not exist.");
                    input = File.OpenRead(uri.LocalPath);
                }
                else
                {
                    try
                    {
                        response = await http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
                    }
                    catch (HttpRequestException ex)
                    {
                        throw new IOException($"Source '{source.Id}': cannot download {uri}: {ex.Message}", ex);
                    }
                    if (response.StatusCode != HttpStatusCode.OK)
                    {
                        var status = (int)response.StatusCode;
                        response.Dispose();
                        throw new IOException($"Source '{source.Id}': {uri} answered HTTP {status}.");
                    }
                    total = response.Content.Headers.ContentLength ?? total;
                    input = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
                }
                await using (input)
                using (response)
                {
                    var buffer = new byte[1 << 16];
                    int n;
                    while ((n = await input.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
                    {
                        hash.AppendData(buffer, 0, n);
                        await output.WriteAsync(buffer.AsMemory(0, n), ct).ConfigureAwait(false);
                        bytes += n;
                        progress?.Report(new DownloadProgress(source.Id, bytes, total));
                    }
                }
            }
            var actual = Convert.ToHexStringLower(hash.GetHashAndReset());
            if (!string.Equals(actual, source.Sha256, StringComparison.OrdinalIgnoreCase))
                throw new InvalidDataException($"Source '{source.Id}': checksum mismatch for {uri} (expected sha256 {source.Sha256}, got {actual}); the file was discarded.");
            File.Move(temp, target, overwrite: true);
            return new CachedFile(source, target, true, bytes);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    private static Uri ResolveUri(RegionManifest manifest, ManifestSource source, string? baseUrl)
    {
        if (source.Url is not null && baseUrl is null) return new Uri(source.Url);
        var b = baseUrl ?? manifest.BaseUrl
            ?? throw new InvalidOperationException($"Manifest '{manifest.Name}' has no base URL and source '{source.Id}' no URL; give a base URL (a mirror of the geodata folder).");
        if (!b.Contains("://", StringComparison.Ordinal)) b = new Uri(Path.GetFullPath(b) + Path.DirectorySeparatorChar).AbsoluteUri; // a plain folder
        if (!b.EndsWith('/')) b += "/";
        return new Uri(new Uri(b), source.Path);
    }
}
