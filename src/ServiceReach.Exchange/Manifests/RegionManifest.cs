using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using NetTopologySuite.Geometries;
using ServiceReach.Domain;
using ServiceReach.Exchange.GeoJson;
using ServiceReach.Exchange.Import;

namespace ServiceReach.Exchange.Manifests;

/// <summary>One file a region needs: where to get it, what it must hash to, and which layer it feeds.</summary>
public sealed record ManifestSource
{
    /// <summary>Short id, unique in the manifest (e.g. "osm", "rail-gtfs", "deelgemeenten").</summary>
    public required string Id { get; init; }
    /// <summary>What the file is: osm, gtfs, kernen, services, population, municipalities, regions.</summary>
    public required string Kind { get; init; }
    /// <summary>Path relative to the manifest's base URL (the layout of a geodata mirror), also the cache path.</summary>
    public required string Path { get; init; }
    /// <summary>Absolute URL overriding base URL + path (e.g. the publisher's own download link).</summary>
    public string? Url { get; init; }
    /// <summary>Lower-case hex SHA-256 of the file; a download that does not match is discarded.</summary>
    public required string Sha256 { get; init; }
    public long? Size { get; init; }
    public string? Licence { get; init; }
    public string? Attribution { get; init; }
    /// <summary>Layer to import into (kernen, services, population, municipalities, regions); null = not imported (osm network, gtfs).</summary>
    public string? Layer { get; init; }
    /// <summary>Inline field mapping for the import, same syntax as a mapping file.</summary>
    public JsonElement? Mapping { get; init; }
    public string? Description { get; init; }
}

/// <summary>
/// A region's sources with checksums and a clip polygon, e.g. geodata/manifests/klein-brabant.json. URLs are built from
/// <see cref="BaseUrl"/> (overridable: a mirror, a local folder as file:// or a test server) plus each source's path, unless the
/// source names its own URL.
/// </summary>
public sealed record RegionManifest
{
    public required string Name { get; init; }
    public string? Title { get; init; }
    public string? Description { get; init; }
    /// <summary>Where the files are published; null = must be given when downloading.</summary>
    public string? BaseUrl { get; init; }
    /// <summary>GeoJSON geometry (WGS84) of the region; imports keep only features intersecting it.</summary>
    public JsonElement? Clip { get; init; }
    public required IReadOnlyList<ManifestSource> Sources { get; init; }

    /// <summary>The clip polygon as a geometry, or null.</summary>
    [JsonIgnore]
    public Geometry? ClipGeometry => Clip is { ValueKind: JsonValueKind.Object } c ? GeoJsonGeometryParser.Parse(c, Geo.Wgs84) : null;

    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static RegionManifest Load(string path)
    {
        if (!File.Exists(path)) throw new ImportException(path, "manifest not found.");
        RegionManifest? m;
        try
        {
            using var s = File.OpenRead(path);
            m = JsonSerializer.Deserialize<RegionManifest>(s, Options);
        }
        catch (JsonException ex)
        {
            throw new ImportException(path, "invalid manifest JSON: " + ex.Message, null, (ex.LineNumber ?? 0) + 1, ex);
        }
        if (m is null) throw new ImportException(path, "the manifest is empty.");
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var s in m.Sources)
        {
            if (!ids.Add(s.Id)) throw new ImportException(path, $"source id '{s.Id}' appears twice.");
            if (s.Sha256.Length != 64 || !s.Sha256.All(Uri.IsHexDigit)) throw new ImportException(path, $"source '{s.Id}': sha256 must be 64 hex digits.");
            if (s.Path.Contains("..", StringComparison.Ordinal) || System.IO.Path.IsPathRooted(s.Path)) throw new ImportException(path, $"source '{s.Id}': path must be relative and stay inside the cache.");
        }
        try { _ = m.ClipGeometry; }
        catch (FormatException ex) { throw new ImportException(path, "bad clip polygon: " + ex.Message, inner: ex); }
        return m;
    }

    public string ToJson() => JsonSerializer.Serialize(this, Options);

    /// <summary>Lower-case hex SHA-256 of a file, streamed.</summary>
    public static async Task<string> Sha256Async(string path, CancellationToken ct = default)
    {
        await using var s = File.OpenRead(path);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(s, ct).ConfigureAwait(false));
    }
}
