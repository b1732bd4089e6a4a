using System.Text.Json;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;
using ServiceReach.Exchange.GeoJson;

namespace ServiceReach.Api.Infrastructure;

/// <summary>Writes GeoJSON features with the project's RFC 7946 geometry rules (via <see cref="GeoJsonLayerWriter.GeometryToJson"/>).</summary>
public static class FeatureJson
{
    public const string ContentType = "application/geo+json";

    public static void WriteFeature(Utf8JsonWriter w, IFeature f, object? id = null)
    {
        w.WriteStartObject();
        w.WriteString("type", "Feature");
        if (id is not null) WriteValue(w, "id", id);
        w.WritePropertyName("geometry");
        if (f.Geometry is null || f.Geometry.IsEmpty) w.WriteNullValue();
        else w.WriteRawValue(GeoJsonLayerWriter.GeometryToJson(f.Geometry), skipInputValidation: true);
        w.WriteStartObject("properties");
        if (f.Attributes is not null)
        {
            foreach (var name in f.Attributes.GetNames()) WriteValue(w, name, f.Attributes[name]);
        }
        w.WriteEndObject();
        w.WriteEndObject();
    }

    public static void WriteValue(Utf8JsonWriter w, string name, object? v)
    {
        switch (v)
        {
            case null: w.WriteNull(name); break;
            case string s: w.WriteString(name, s); break;
            case bool b: w.WriteBoolean(name, b); break;
            case int i: w.WriteNumber(name, i); break;
            case long l: w.WriteNumber(name, l); break;
            case double d when double.IsFinite(d): w.WriteNumber(name, d); break;
            case double: w.WriteNull(name); break;
            case float f when float.IsFinite(f): w.WriteNumber(name, f); break;
            case decimal m: w.WriteNumber(name, m); break;
            case DateTimeOffset t: w.WriteString(name, t); break;
            case DateOnly dt: w.WriteString(name, dt.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)); break;
            case string[] arr:
                w.WriteStartArray(name);
                foreach (var s in arr) w.WriteStringValue(s);
                w.WriteEndArray();
                break;
            default: w.WriteString(name, Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture)); break;
        }
    }

    /// <summary>Streams a FeatureCollection to the response (the project's writer: flat memory, RFC 7946).</summary>
    public static async Task StreamAsync(HttpContext ctx, IEnumerable<IFeature> features, string? downloadName = null)
    {
        Prepare(ctx, downloadName);
        await GeoJsonLayerWriter.WriteAsync(ctx.Response.Body, features, ctx.RequestAborted);
    }

    public static async Task StreamAsync(HttpContext ctx, IAsyncEnumerable<IFeature> features, string? downloadName = null)
    {
        Prepare(ctx, downloadName);
        await GeoJsonLayerWriter.WriteAsync(ctx.Response.Body, features, null, ctx.RequestAborted);
    }

    private static void Prepare(HttpContext ctx, string? downloadName)
    {
        ctx.Response.ContentType = ContentType;
        if (downloadName is not null)
            ctx.Response.Headers.ContentDisposition = new System.Net.Mime.ContentDisposition { FileName = downloadName, DispositionType = "attachment" }.ToString();
    }

    public static Feature Point(double lon, double lat, AttributesTable attrs)
        => new(ServiceReach.Domain.Geo.Wgs84.CreatePoint(new Coordinate(lon, lat)), attrs);
}
