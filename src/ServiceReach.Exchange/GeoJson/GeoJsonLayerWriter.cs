using System.Buffers;
using System.Collections;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using NetTopologySuite.Algorithm;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;
using ServiceReach.Domain;

namespace ServiceReach.Exchange.GeoJson;

/// <summary>Options for <see cref="GeoJsonLayerWriter"/>.</summary>
public sealed record GeoJsonWriteOptions
{
    /// <summary>Optional layer name written as the (non-standard but widely read) top-level <c>name</c> member; QGIS shows it.</summary>
    public string? Name { get; init; }

    /// <summary>Decimal places of the coordinates; RFC 7946 §11.2 suggests 6 (about 10 cm).</summary>
    public int Decimals { get; init; } = 6;

    /// <summary>SRID assumed for geometries whose SRID is 0. Geometries in EPSG:31370 or 3812 are reprojected to WGS84.</summary>
    public int DefaultSrid { get; init; } = CoordinateSystems.Wgs84;

    /// <summary>Attribution written as a top-level member (e.g. "© OpenStreetMap contributors"), or null.</summary>
    public string? Attribution { get; init; }
}

/// <summary>
/// Writes a layer of features as an RFC 7946 GeoJSON FeatureCollection: WGS84 longitude/latitude, coordinates rounded to
/// 6 decimals, polygon exterior rings counter-clockwise and holes clockwise (the right-hand rule). Features are written one
/// by one so a layer of any size streams with flat memory. A file is written to a temporary name next to the target and
/// moved over it at the end, so readers never see half a file.
/// </summary>
public static class GeoJsonLayerWriter
{
    private const int FlushThresholdBytes = 64 * 1024;

    /// <summary>Writes the features to <paramref name="path"/> atomically. Returns the number of features written.</summary>
    public static Task<long> WriteAsync(string path, IEnumerable<IFeature> features, CancellationToken ct = default)
        => WriteAsync(path, features, null, ct);

    /// <summary>Writes the features to <paramref name="path"/> atomically. Returns the number of features written.</summary>
    public static async Task<long> WriteAsync(string path, IEnumerable<IFeature> features, GeoJsonWriteOptions? options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(features);
        return await AtomicFile.WriteAsync(path, (stream, token) => WriteAsync(stream, features, options, token), ct).ConfigureAwait(false);
    }

    /// <summary>Writes features from an asynchronous source (e.g. a database reader) to <paramref name="path"/> atomically.</summary>
    public static async Task<long> WriteAsync(string path, IAsyncEnumerable<IFeature> features, GeoJsonWriteOptions? options = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(features);
        return await AtomicFile.WriteAsync(path, (stream, token) => WriteAsync(stream, features, options, token), ct).ConfigureAwait(false);
    }

    /// <summary>Writes the features to an open stream (left open). Returns the number of features written.</summary>
    public static Task<long> WriteAsync(Stream stream, IEnumerable<IFeature> features, CancellationToken ct = default)
        => WriteAsync(stream, features, null, ct);

    /// <summary>Writes the features to an open stream (left open). Returns the number of features written.</summary>
    public static Task<long> WriteAsync(Stream stream, IEnumerable<IFeature> features, GeoJsonWriteOptions? options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(features);
        return WriteAsync(stream, features.ToAsyncEnumerable(), options, ct);
    }

    /// <summary>Writes features from an asynchronous source to an open stream (left open).</summary>
    public static async Task<long> WriteAsync(Stream stream, IAsyncEnumerable<IFeature> features, GeoJsonWriteOptions? options = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(features);
        options ??= new GeoJsonWriteOptions();
        await using var json = new Utf8JsonWriter(stream, WriterOptions);
        WriteHeader(json, options);
        long count = 0;
        await foreach (var feature in features.WithCancellation(ct).ConfigureAwait(false))
        {
            ct.ThrowIfCancellationRequested(); // also for in-memory sources, which do not look at the token
            WriteFeature(json, feature, options, count);
            count++;
            if (json.BytesPending > FlushThresholdBytes) await json.FlushAsync(ct).ConfigureAwait(false);
        }
        json.WriteEndArray();
        json.WriteEndObject();
        await json.FlushAsync(ct).ConfigureAwait(false);
        return count;
    }

    /// <summary>The GeoJSON text of one geometry (RFC 7946 rules applied), e.g. for an API response.</summary>
    public static string GeometryToJson(Geometry geometry, int decimals = 6)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            WriteGeometry(json, PrepareGeometry(geometry, CoordinateSystems.Wgs84, 0), decimals);
        }
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>
    /// Writes one geometry (WGS84 assumed when its SRID is 0; Belgian Lambert reprojected) into an open writer with
    /// 6-decimal coordinates, or a JSON null when it is null or empty — for responses that write their own features.
    /// </summary>
    public static void WriteGeometry(Utf8JsonWriter json, Geometry? geometry)
    {
        ArgumentNullException.ThrowIfNull(json);
        if (geometry is null || geometry.IsEmpty) json.WriteNullValue();
        else WriteGeometry(json, PrepareGeometry(geometry, CoordinateSystems.Wgs84, 0), GeoJsonCoordinates.Decimals);
    }

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // Keep é, ë, ø readable in the file; JSON allows any Unicode in strings.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
        SkipValidation = false,
    };

    private static void WriteHeader(Utf8JsonWriter json, GeoJsonWriteOptions options)
    {
        json.WriteStartObject();
        json.WriteString("type", "FeatureCollection");
        if (options.Name is not null) json.WriteString("name", options.Name);
        if (options.Attribution is not null) json.WriteString("attribution", options.Attribution);
        json.WriteStartArray("features");
    }

    private static void WriteFeature(Utf8JsonWriter json, IFeature feature, GeoJsonWriteOptions options, long index)
    {
        json.WriteStartObject();
        json.WriteString("type", "Feature");
        var attributes = feature.Attributes;
        if (attributes is not null && attributes.Exists("id"))
        {
            // RFC 7946 §3.2: a feature identifier is a string or a number; keep it also as a property for tools that ignore ids.
            var id = attributes["id"];
            if (id is string s) json.WriteString("id", s);
            else if (id is not null && IsNumber(id))
            {
                json.WritePropertyName("id");
                WriteNumber(json, id);
            }
        }
        json.WritePropertyName("geometry");
        if (feature.Geometry is null || feature.Geometry.IsEmpty)
        {
            json.WriteNullValue();
        }
        else
        {
            WriteGeometry(json, PrepareGeometry(feature.Geometry, options.DefaultSrid, index), options.Decimals);
        }
        json.WritePropertyName("properties");
        if (attributes is null)
        {
            json.WriteNullValue();
        }
        else
        {
            json.WriteStartObject();
            foreach (var name in attributes.GetNames())
            {
                json.WritePropertyName(name);
                WriteValue(json, attributes[name], 0);
            }
            json.WriteEndObject();
        }
        json.WriteEndObject();
    }

    private static Geometry PrepareGeometry(Geometry geometry, int defaultSrid, long index)
    {
        var srid = geometry.SRID == 0 ? defaultSrid : geometry.SRID;
        if (srid == CoordinateSystems.Wgs84) return geometry;
        if (!CoordinateSystems.IsKnown(srid))
            throw new InvalidOperationException($"Feature {index + 1}: geometry has SRID {srid}, which cannot be reprojected to WGS84 for GeoJSON.");
        return CoordinateSystems.Transform(geometry, srid, CoordinateSystems.Wgs84);
    }

    private static void WriteGeometry(Utf8JsonWriter json, Geometry g, int decimals)
    {
        json.WriteStartObject();
        switch (g)
        {
            case Point p:
                json.WriteString("type", "Point");
                json.WritePropertyName("coordinates");
                WritePosition(json, p.CoordinateSequence, 0, decimals);
                break;
            case LinearRing r:
                // A ring on its own is a LineString in GeoJSON.
                json.WriteString("type", "LineString");
                json.WritePropertyName("coordinates");
                WriteSequence(json, r.CoordinateSequence, reverse: false, decimals);
                break;
            case LineString l:
                json.WriteString("type", "LineString");
                json.WritePropertyName("coordinates");
                WriteSequence(json, l.CoordinateSequence, reverse: false, decimals);
                break;
            case Polygon poly:
                json.WriteString("type", "Polygon");
                json.WritePropertyName("coordinates");
                WritePolygonRings(json, poly, decimals);
                break;
            case MultiPoint mp:
                json.WriteString("type", "MultiPoint");
                json.WriteStartArray("coordinates");
                for (var i = 0; i < mp.NumGeometries; i++) WritePosition(json, ((Point)mp.GetGeometryN(i)).CoordinateSequence, 0, decimals);
                json.WriteEndArray();
                break;
            case MultiLineString ml:
                json.WriteString("type", "MultiLineString");
                json.WriteStartArray("coordinates");
                for (var i = 0; i < ml.NumGeometries; i++) WriteSequence(json, ((LineString)ml.GetGeometryN(i)).CoordinateSequence, false, decimals);
                json.WriteEndArray();
                break;
            case MultiPolygon mpoly:
                json.WriteString("type", "MultiPolygon");
                json.WriteStartArray("coordinates");
                for (var i = 0; i < mpoly.NumGeometries; i++) WritePolygonRings(json, (Polygon)mpoly.GetGeometryN(i), decimals);
                json.WriteEndArray();
                break;
            case GeometryCollection gc:
                json.WriteString("type", "GeometryCollection");
                json.WriteStartArray("geometries");
                for (var i = 0; i < gc.NumGeometries; i++) WriteGeometry(json, gc.GetGeometryN(i), decimals);
                json.WriteEndArray();
                break;
            default:
                throw new NotSupportedException($"Geometry type {g.GeometryType} cannot be written as GeoJSON.");
        }
        json.WriteEndObject();
    }

    private static void WritePolygonRings(Utf8JsonWriter json, Polygon polygon, int decimals)
    {
        json.WriteStartArray();
        // RFC 7946 §3.1.6: exterior rings counter-clockwise, holes clockwise. Reverse while writing instead of copying.
        var shell = polygon.Shell.CoordinateSequence;
        WriteSequence(json, shell, reverse: shell.Count >= 4 && !RingOrientation.IsCounterClockwise(shell), decimals);
        foreach (var hole in polygon.Holes)
        {
            var seq = hole.CoordinateSequence;
            WriteSequence(json, seq, reverse: seq.Count >= 4 && RingOrientation.IsCounterClockwise(seq), decimals);
        }
        json.WriteEndArray();
    }

    // Per-thread scratch for the fast path: a sequence is formatted here, then handed to the writer as one raw value.
    [ThreadStatic] private static ArrayBufferWriter<byte>? t_sequence;

    private static void WriteSequence(Utf8JsonWriter json, CoordinateSequence seq, bool reverse, int decimals)
    {
        if (decimals == GeoJsonCoordinates.Decimals)
        {
            var scratch = t_sequence ??= new ArrayBufferWriter<byte>(4096);
            scratch.ResetWrittenCount();
            GeoJsonCoordinates.WriteSequence(scratch, seq, reverse);
            json.WriteRawValue(scratch.WrittenSpan, skipInputValidation: true);
            return;
        }
        json.WriteStartArray();
        var n = seq.Count;
        for (var i = 0; i < n; i++) WritePosition(json, seq, reverse ? n - 1 - i : i, decimals);
        json.WriteEndArray();
    }

    private static void WritePosition(Utf8JsonWriter json, CoordinateSequence seq, int i, int decimals)
    {
        json.WriteStartArray();
        json.WriteNumberValue(Round(seq.GetX(i), decimals));
        json.WriteNumberValue(Round(seq.GetY(i), decimals));
        if (seq.HasZ)
        {
            var z = seq.GetZ(i);
            if (!double.IsNaN(z)) json.WriteNumberValue(Math.Round(z, 2, MidpointRounding.AwayFromZero));
        }
        json.WriteEndArray();
    }

    private static double Round(double v, int decimals)
    {
        if (!double.IsFinite(v)) throw new InvalidOperationException("A coordinate is not a finite number; GeoJSON cannot hold it.");
        var r = Math.Round(v, decimals, MidpointRounding.AwayFromZero);
        return r == 0 ? 0 : r; // no "-0"
    }

    private static bool IsNumber(object v) => v is byte or sbyte or short or ushort or int or uint or long or ulong or float or double or decimal;

    private static void WriteNumber(Utf8JsonWriter json, object v)
    {
        switch (v)
        {
            case byte b: json.WriteNumberValue(b); break;
            case sbyte sb: json.WriteNumberValue(sb); break;
            case short s: json.WriteNumberValue(s); break;
            case ushort us: json.WriteNumberValue(us); break;
            case int i: json.WriteNumberValue(i); break;
            case uint ui: json.WriteNumberValue(ui); break;
            case long l: json.WriteNumberValue(l); break;
            case ulong ul: json.WriteNumberValue(ul); break;
            case decimal m: json.WriteNumberValue(m); break;
            case float f:
                if (float.IsFinite(f)) json.WriteNumberValue(f); else json.WriteNullValue();
                break;
            case double d:
                if (double.IsFinite(d)) json.WriteNumberValue(d); else json.WriteNullValue();
                break;
        }
    }

    private static void WriteValue(Utf8JsonWriter json, object? value, int depth)
    {
        if (depth > 32) throw new InvalidOperationException("Attribute value is nested too deeply (a cycle?).");
        switch (value)
        {
            case null:
            case DBNull:
                json.WriteNullValue();
                return;
            case string s:
                json.WriteStringValue(s);
                return;
            case bool b:
                json.WriteBooleanValue(b);
                return;
            case char c:
                json.WriteStringValue(c.ToString());
                return;
            case DateTime dt:
                json.WriteStringValue(dt.ToString("O", CultureInfo.InvariantCulture));
                return;
            case DateTimeOffset dto:
                json.WriteStringValue(dto.ToString("O", CultureInfo.InvariantCulture));
                return;
            case DateOnly d:
                json.WriteStringValue(d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                return;
            case TimeOnly t:
                json.WriteStringValue(t.ToString("HH:mm:ss", CultureInfo.InvariantCulture));
                return;
            case TimeSpan ts:
                json.WriteNumberValue(ts.TotalSeconds);
                return;
            case Enum e:
                json.WriteStringValue(e.ToString());
                return;
            case JsonElement el:
                el.WriteTo(json);
                return;
            case JsonDocument doc:
                doc.RootElement.WriteTo(json);
                return;
            case Geometry g:
                json.WriteStringValue(g.AsText());
                return;
            case IAttributesTable table:
                json.WriteStartObject();
                foreach (var name in table.GetNames())
                {
                    json.WritePropertyName(name);
                    WriteValue(json, table[name], depth + 1);
                }
                json.WriteEndObject();
                return;
            case IDictionary dict:
                json.WriteStartObject();
                foreach (DictionaryEntry entry in dict)
                {
                    json.WritePropertyName(Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? "");
                    WriteValue(json, entry.Value, depth + 1);
                }
                json.WriteEndObject();
                return;
            case IEnumerable seq:
                json.WriteStartArray();
                foreach (var item in seq) WriteValue(json, item, depth + 1);
                json.WriteEndArray();
                return;
        }
        if (IsNumber(value))
        {
            WriteNumber(json, value);
            return;
        }
        json.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
    }
}
