using System.Security.Cryptography;
using System.Text;

namespace ServiceReach.Api.Infrastructure;

/// <summary>
/// API keys, stored only as salted SHA-256 hashes (<c>name:saltHex:hashHex</c>). A request presents its key in
/// <c>X-Api-Key</c> or <c>Authorization: Bearer …</c>; the comparison is constant-time.
/// </summary>
public sealed class ApiKeys
{
    public const string Header = "X-Api-Key";

    private readonly List<(string Name, byte[] Salt, byte[] Hash)> _entries = [];

    public ApiKeys(IEnumerable<string> entries)
    {
        foreach (var e in entries)
        {
            var parts = e.Split(':');
            if (parts.Length != 3)
                throw new InvalidOperationException($"ServiceReach:ApiKeys entry '{Mask(e)}' must be name:saltHex:sha256Hex (make one with `ServiceReach.Api hash-key NAME KEY`).");
            try
            {
                var hash = Convert.FromHexString(parts[2]);
                if (hash.Length != 32) throw new FormatException("hash must be 32 bytes");
                _entries.Add((parts[0], Convert.FromHexString(parts[1]), hash));
            }
            catch (FormatException ex)
            {
                throw new InvalidOperationException($"ServiceReach:ApiKeys entry for '{parts[0]}': {ex.Message}; expected name:saltHex:sha256Hex.", ex);
            }
        }
    }

    public int Count => _entries.Count;

    /// <summary>A storable entry for <paramref name="key"/> with a fresh random salt.</summary>
    public static string Hash(string name, string key, byte[]? salt = null)
    {
        if (name.Contains(':')) throw new ArgumentException("A key name may not contain ':'.", nameof(name));
        salt ??= RandomNumberGenerator.GetBytes(16);
        return $"{name}:{Convert.ToHexString(salt)}:{Convert.ToHexString(Digest(salt, key))}";
    }

    /// <summary>The name of the key that matches, or null.</summary>
    public string? Verify(string? presented)
    {
        if (string.IsNullOrEmpty(presented) || presented.Length > 512) return null;
        string? match = null;
        foreach (var (name, salt, hash) in _entries)
        {
            // Check every entry so the time does not tell which one matched.
            if (CryptographicOperations.FixedTimeEquals(Digest(salt, presented), hash)) match ??= name;
        }
        return match;
    }

    /// <summary>The key a request presents, if any.</summary>
    public static string? Presented(HttpRequest request)
    {
        if (request.Headers.TryGetValue(Header, out var v) && v.Count > 0) return v[0];
        var auth = request.Headers.Authorization.ToString();
        return auth.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? auth[7..].Trim() : null;
    }

    private static byte[] Digest(byte[] salt, string key)
    {
        var bytes = new byte[salt.Length + Encoding.UTF8.GetByteCount(key)];
        salt.CopyTo(bytes, 0);
        Encoding.UTF8.GetBytes(key, bytes.AsSpan(salt.Length));
        return SHA256.HashData(bytes);
    }

    private static string Mask(string e) => e.Length <= 6 ? "…" : e[..6] + "…";
}
