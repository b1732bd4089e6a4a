using System.Text;

namespace ServiceReach.Exchange;

/// <summary>Text encodings of input files: declared by name, or detected (valid UTF-8, else ISO-8859-1 with a note naming the line).</summary>
public static class TextEncodings
{
    static TextEncodings() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>An encoding by name ("utf-8", "iso-8859-1", "latin1", "windows-1252", "cp1252"), with a clear error for unknown names.</summary>
    public static Encoding Get(string name)
    {
        var n = name.Trim().ToLowerInvariant();
        n = n switch
        {
            "latin1" or "latin-1" or "88591" or "8859-1" or "iso88591" => "iso-8859-1",
            "cp1252" or "1252" or "ansi" => "windows-1252",
            "utf8" => "utf-8",
            _ => n,
        };
        try
        {
            var e = Encoding.GetEncoding(n);
            // Never write or expect a BOM implicitly; readers detect one anyway.
            return e is UTF8Encoding ? new UTF8Encoding(false) : e;
        }
        catch (ArgumentException)
        {
            throw new ArgumentException($"Unknown text encoding '{name}' (try utf-8, iso-8859-1 or windows-1252).");
        }
    }

    /// <summary>
    /// Detects the encoding of a text file by scanning it (streamed) for invalid UTF-8. Returns UTF-8 when the whole file
    /// decodes, else ISO-8859-1 and a note naming the first line with a non-UTF-8 byte.
    /// </summary>
    public static (Encoding Encoding, string? Note) Detect(string path)
    {
        var decoder = new UTF8Encoding(false, throwOnInvalidBytes: true).GetDecoder();
        var buffer = new byte[1 << 16];
        var chars = new char[buffer.Length + 4];
        long line = 1;
        using var s = File.OpenRead(path);
        int n;
        while ((n = s.Read(buffer, 0, buffer.Length)) > 0)
        {
            try
            {
                decoder.GetChars(buffer, 0, n, chars, 0, flush: false);
            }
            catch (DecoderFallbackException ex)
            {
                var at = Math.Clamp(ex.Index < 0 ? 0 : ex.Index, 0, n);
                line += buffer.AsSpan(0, at).Count((byte)'\n');
                return (Encoding.Latin1, $"{Path.GetFileName(path)}: not valid UTF-8 (first non-UTF-8 byte on line {line}); read as ISO-8859-1. Declare the encoding to override.");
            }
            line += buffer.AsSpan(0, n).Count((byte)'\n');
        }
        return (new UTF8Encoding(false), null);
    }
}
