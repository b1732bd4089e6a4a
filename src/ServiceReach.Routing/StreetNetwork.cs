using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace ServiceReach.Routing;

/// <summary>
/// An immutable street graph for one or more <see cref="Profile"/>s, built from an OSM extract (PBF or XML) or
/// loaded from its binary cache file. Thread-safe: make <see cref="Router"/>s with <see cref="For(Profile)"/>.
/// </summary>
public sealed class StreetNetwork
{
    internal GraphData Data { get; }
    private readonly Profile[] _profiles;
    private readonly Lazy<SegmentGrid> _grid;
    private readonly RoutingGraph?[] _routingGraphs;
    internal OsmGraphBuilder.BuildStats? BuildStatistics { get; }

    internal StreetNetwork(GraphData data, Profile[] profiles, string sourceChecksum, NetworkBuildOptions options, OsmGraphBuilder.BuildStats? stats = null)
    {
        Data = data;
        _profiles = profiles;
        SourceChecksum = sourceChecksum;
        Options = options;
        BuildStatistics = stats;
        _routingGraphs = new RoutingGraph?[profiles.Length];
        _grid = new Lazy<SegmentGrid>(() => new SegmentGrid(Data, Options.SnapGridCellMeters), LazyThreadSafetyMode.ExecutionAndPublication);
        Bounds = ComputeBounds(data);
    }

    /// <summary>SHA-256 (hex) of the OSM file the network was built from.</summary>
    public string SourceChecksum { get; }

    public NetworkBuildOptions Options { get; }

    /// <summary>The profiles this network carries costs for.</summary>
    public IReadOnlyList<Profile> Profiles => _profiles;

    /// <summary>Number of graph nodes (junctions, way ends, gap boundaries).</summary>
    public int NodeCount => Data.NodeCount;

    /// <summary>Number of undirected edges (way pieces between graph nodes).</summary>
    public int EdgeCount => Data.EdgeCount;

    /// <summary>Number of intermediate shape points kept for snapping and isochrones.</summary>
    public int ShapePointCount => Data.ShapeLatE7.Length;

    /// <summary>WGS84 bounding box of the graph nodes.</summary>
    public GeoBox Bounds { get; }

    /// <summary>Bytes per edge held by the edge arrays (shape points excluded; all profiles' costs included).</summary>
    public double BytesPerEdge => Data.BytesPerEdge();

    /// <summary>Total length in metres of the edges a profile can use in at least one direction.</summary>
    public double TotalLengthMeters(string profileName)
    {
        int p = ProfileIndex(profileName);
        double sum = 0;
        var f = Data.ForwardSeconds[p];
        var b = Data.BackwardSeconds[p];
        for (int e = 0; e < EdgeCount; e++)
            if (!float.IsPositiveInfinity(f[e]) || !float.IsPositiveInfinity(b[e])) sum += Data.EdgeLength[e];
        return sum;
    }

    /// <summary>Total length in metres per highway value of the edges any profile can use.</summary>
    public IReadOnlyDictionary<string, double> LengthByHighway()
    {
        var d = new SortedDictionary<string, double>(StringComparer.Ordinal);
        for (int e = 0; e < EdgeCount; e++)
        {
            var h = Data.HighwayNames[Data.EdgeHighway[e]];
            d[h] = d.GetValueOrDefault(h) + Data.EdgeLength[e];
        }
        return d;
    }

    /// <summary>Reads an OSM extract (.osm.pbf, .osm/.xml) and builds the graph for the profiles.</summary>
    public static StreetNetwork Build(string osmPath, IReadOnlyList<Profile> profiles, NetworkBuildOptions? options = null)
        => OsmGraphBuilder.Build(osmPath, profiles, options ?? new NetworkBuildOptions(), FileChecksum(osmPath));

    /// <summary>Writes the versioned binary cache file atomically (temporary file, then rename).</summary>
    public void Save(string path)
    {
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(dir);
        var tmp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var s = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                Data.Write(s, SourceChecksum, ProfilesJson(_profiles));
                s.Flush(true);
            }
            File.Move(tmp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(tmp)) File.Delete(tmp);
        }
    }

    /// <summary>Loads a cache file written by <see cref="Save"/>; throws <see cref="InvalidDataException"/> naming the file when it is corrupt or of another version.</summary>
    public static StreetNetwork Load(string path)
    {
        using var s = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        var (data, checksum, profilesJson) = GraphData.Read(s, path);
        Profile[] profiles;
        try
        {
            var list = JsonSerializer.Deserialize<List<string>>(profilesJson) ?? throw new InvalidDataException("no profiles");
            profiles = list.Select(Profile.FromJson).ToArray();
        }
        catch (Exception ex) when (ex is JsonException or FormatException)
        {
            throw new InvalidDataException($"{path}: corrupt profile section: {ex.Message}", ex);
        }
        if (profiles.Length != data.ForwardSeconds.Length) throw new InvalidDataException($"{path}: profile count does not match cost arrays.");
        return new StreetNetwork(data, profiles, checksum, new NetworkBuildOptions());
    }

    /// <summary>
    /// Loads the cache for this OSM file and profile set from <paramref name="cacheFolder"/> when it exists, has the
    /// current format version, the same source checksum and the same profiles; otherwise builds and saves it.
    /// </summary>
    public static StreetNetwork LoadOrBuild(string osmPath, string cacheFolder, IReadOnlyList<Profile> profiles)
    {
        var checksum = FileChecksum(osmPath);
        var profilesJson = ProfilesJson(profiles);
        var key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{GraphData.FormatVersion}|{checksum}|{profilesJson}")))[..16].ToLowerInvariant();
        var name = Path.GetFileName(osmPath);
        var cachePath = Path.Combine(cacheFolder, $"{name}.{key}.srnet");
        if (File.Exists(cachePath))
        {
            try
            {
                var loaded = Load(cachePath);
                if (loaded.SourceChecksum == checksum && ProfilesJson(loaded._profiles) == profilesJson) return loaded;
            }
            catch (InvalidDataException)
            {
                // Stale or damaged cache: rebuild below and overwrite it.
            }
        }
        var built = OsmGraphBuilder.Build(osmPath, profiles, new NetworkBuildOptions(), checksum);
        built.Save(cachePath);
        return built;
    }

    /// <summary>A router for one of the network's profiles.</summary>
    public Router For(Profile profile) => new(this, profile.Name);

    /// <summary>A router for a profile by name.</summary>
    public Router For(string profileName) => new(this, profileName);

    internal int ProfileIndex(string name)
    {
        for (int i = 0; i < _profiles.Length; i++)
            if (_profiles[i].Name == name) return i;
        throw new ArgumentException($"The network has no profile '{name}' (it has: {string.Join(", ", _profiles.Select(p => p.Name))}).", nameof(name));
    }

    internal SegmentGrid Grid => _grid.Value;

    internal RoutingGraph RoutingGraphFor(int profileIndex)
    {
        var g = Volatile.Read(ref _routingGraphs[profileIndex]);
        if (g is not null) return g;
        lock (_routingGraphs)
        {
            return _routingGraphs[profileIndex] ??= new RoutingGraph(Data, profileIndex);
        }
    }

    internal GeoPoint NodePoint(int node) => new(Data.NodeLonE7[node] * 1e-7, Data.NodeLatE7[node] * 1e-7);

    private static string ProfilesJson(IReadOnlyList<Profile> profiles)
        => JsonSerializer.Serialize(profiles.Select(p => p.ToJson()).ToList());

    internal static string FileChecksum(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"OSM file not found: {path}", path);
        using var s = File.OpenRead(path);
        return Convert.ToHexString(SHA256.HashData(s)).ToLowerInvariant();
    }

    private static GeoBox ComputeBounds(GraphData d)
    {
        if (d.NodeCount == 0) return default;
        int minLat = int.MaxValue, minLon = int.MaxValue, maxLat = int.MinValue, maxLon = int.MinValue;
        for (int i = 0; i < d.NodeCount; i++)
        {
            minLat = Math.Min(minLat, d.NodeLatE7[i]); maxLat = Math.Max(maxLat, d.NodeLatE7[i]);
            minLon = Math.Min(minLon, d.NodeLonE7[i]); maxLon = Math.Max(maxLon, d.NodeLonE7[i]);
        }
        for (int i = 0; i < d.ShapeLatE7.Length; i++)
        {
            minLat = Math.Min(minLat, d.ShapeLatE7[i]); maxLat = Math.Max(maxLat, d.ShapeLatE7[i]);
            minLon = Math.Min(minLon, d.ShapeLonE7[i]); maxLon = Math.Max(maxLon, d.ShapeLonE7[i]);
        }
        return new GeoBox(minLon * 1e-7, minLat * 1e-7, maxLon * 1e-7, maxLat * 1e-7);
    }
}
