using Xunit;

namespace ServiceReach.Testing;

/// <summary>
/// Finds the real data in <c>../shared/geodata</c> (next to the repository) without ever copying it.
/// Tests that need it call <see cref="Require"/>, which skips the test with a clear message when the folder is absent.
/// </summary>
public static class SharedGeoData
{
    private static readonly Lazy<string?> Root = new(Locate);

    /// <summary>The geodata folder, or null when it is not on this machine.</summary>
    public static string? Folder => Root.Value;

    /// <summary>Full path of a file under the geodata folder; skips the calling test when it is missing.</summary>
    public static string Require(string relativePath)
    {
        var root = Root.Value;
        if (root is null)
        {
            Assert.Skip("../shared/geodata is not present next to the repository (set SERVICEREACH_GEODATA to point at it); this test needs real data from it.");
        }
        var full = Path.Combine(root, relativePath);
        if (!File.Exists(full) && !Directory.Exists(full))
        {
            Assert.Skip($"{relativePath} is missing from {root}; this test needs it.");
        }
        return full;
    }

    private static string? Locate()
    {
        var fromEnv = Environment.GetEnvironmentVariable("SERVICEREACH_GEODATA");
        if (!string.IsNullOrWhiteSpace(fromEnv))
        {
            return Directory.Exists(fromEnv) ? Path.GetFullPath(fromEnv) : null;
        }
        var repo = RepositoryRoot.Find();
        if (repo is null) return null;
        var candidate = Path.GetFullPath(Path.Combine(repo, "..", "shared", "geodata"));
        return Directory.Exists(candidate) ? candidate : null;
    }
}

/// <summary>The repository root: the first folder upwards from the test binaries that holds ServiceReach.sln.</summary>
public static class RepositoryRoot
{
    public static string? Find()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ServiceReach.sln"))) return dir.FullName;
            dir = dir.Parent;
        }
        return null;
    }

    public static string Require()
        => Find() ?? throw new InvalidOperationException("Cannot find ServiceReach.sln above " + AppContext.BaseDirectory);
}
