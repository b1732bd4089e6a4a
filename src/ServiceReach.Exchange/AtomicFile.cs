namespace ServiceReach.Exchange;

/// <summary>Writes a file under a temporary name in the same folder and moves it over the target only when complete.</summary>
public static class AtomicFile
{
    public static async Task<T> WriteAsync<T>(string path, Func<Stream, CancellationToken, Task<T>> write, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(dir);
        var temp = Path.Combine(dir, "." + Path.GetFileName(full) + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp");
        try
        {
            T result;
            await using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
            {
                result = await write(stream, ct).ConfigureAwait(false);
                await stream.FlushAsync(ct).ConfigureAwait(false);
            }
            File.Move(temp, full, overwrite: true);
            return result;
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>Runs a writer that needs a file path (e.g. a GeoPackage/SQLite writer) on a temporary path, then moves it into place.</summary>
    public static T WriteViaTempPath<T>(string path, Func<string, T> write)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(dir);
        var temp = Path.Combine(dir, "." + Path.GetFileNameWithoutExtension(full) + "." + Guid.NewGuid().ToString("N")[..8] + Path.GetExtension(full));
        try
        {
            var result = write(temp);
            File.Move(temp, full, overwrite: true);
            return result;
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    private static void TryDelete(string path)
    {
        try { if (File.Exists(path)) File.Delete(path); }
        catch (IOException) { /* best effort: the temp file is hidden and named as such */ }
        catch (UnauthorizedAccessException) { }
    }
}
