using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using NetTopologySuite.Geometries;
using ServiceReach.Exchange.GeoJson;
using ServiceReach.Routing;

namespace ServiceReach.Api.Infrastructure;

/// <summary>The properties every band of one isochrone response repeats (already rounded as they are written).</summary>
public sealed record IsochroneOrigin(string Mode, double Lon, double Lat, double SnapMeters, string? Kern)
{
    /// <summary>Bus bands only: the departure window ("07:30-08:00") and the percentile over its departures.</summary>
    public string? DepartureWindow { get; init; }
    public double? Percentile { get; init; }
}

/// <summary>
/// Writes an isochrone response into one pooled buffer, so it goes out with a Content-Length in one write: the band
/// geometries exactly as <see cref="GeoJsonLayerWriter"/> writes them (its fast 6-decimal coordinates, RFC 7946 ring
/// orientation), with the band properties written from pre-encoded names instead of an attributes table.
/// </summary>
public static class IsochroneJson
{
    /// <summary>Decimal places of the coordinates (RFC 7946 §11.2: 6 decimals ≈ 0.1 m).</summary>
    public const int Decimals = GeoJsonCoordinates.Decimals;

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // As GeoJsonLayerWriter: é, ë, ø stay readable in kern names.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
        SkipValidation = true,
    };

    private static readonly JsonEncodedText Type = JsonEncodedText.Encode("type");
    private static readonly JsonEncodedText FeatureCollection = JsonEncodedText.Encode("FeatureCollection");
    private static readonly JsonEncodedText Features = JsonEncodedText.Encode("features");
    private static readonly JsonEncodedText Feature = JsonEncodedText.Encode("Feature");
    private static readonly JsonEncodedText Geometry = JsonEncodedText.Encode("geometry");
    private static readonly JsonEncodedText Properties = JsonEncodedText.Encode("properties");
    private static readonly JsonEncodedText ModeName = JsonEncodedText.Encode("mode");
    private static readonly JsonEncodedText MinutesName = JsonEncodedText.Encode("minutes");
    private static readonly JsonEncodedText AreaName = JsonEncodedText.Encode("area_km2");
    private static readonly JsonEncodedText OriginLonName = JsonEncodedText.Encode("origin_lon");
    private static readonly JsonEncodedText OriginLatName = JsonEncodedText.Encode("origin_lat");
    private static readonly JsonEncodedText SnapName = JsonEncodedText.Encode("snap_meters");
    private static readonly JsonEncodedText KernName = JsonEncodedText.Encode("kern");
    private static readonly JsonEncodedText WindowName = JsonEncodedText.Encode("departure_window");
    private static readonly JsonEncodedText PercentileName = JsonEncodedText.Encode("percentile");

    /// <summary>Bytes the response will take, give or take: sizes the pooled buffer so it rarely grows.</summary>
    public static int EstimateBytes(IReadOnlyList<IsochroneBand> bands)
    {
        long points = 0;
        foreach (var b in bands) points += b.Polygon?.NumPoints ?? 0;
        return (int)Math.Min(int.MaxValue / 2, 512 + 256L * bands.Count + 24 * points);
    }

    /// <summary>The FeatureCollection of the bands: geometry, then mode, minutes, area_km2, origin_lon/lat, snap_meters, kern.</summary>
    public static void Write(IBufferWriter<byte> output, IReadOnlyList<IsochroneBand> bands, IsochroneOrigin origin)
    {
        using var json = new Utf8JsonWriter(output, WriterOptions);
        json.WriteStartObject();
        json.WriteString(Type, FeatureCollection);
        json.WriteStartArray(Features);
        foreach (var band in bands)
        {
            json.WriteStartObject();
            json.WriteString(Type, Feature);
            json.WritePropertyName(Geometry);
            GeoJsonLayerWriter.WriteGeometry(json, band.Polygon);
            json.WriteStartObject(Properties);
            json.WriteString(ModeName, origin.Mode);
            WriteNumber(json, MinutesName, band.LimitSeconds / 60);
            WriteNumber(json, AreaName, Math.Round(band.AreaSquareMeters / 1e6, 3));
            WriteNumber(json, OriginLonName, origin.Lon);
            WriteNumber(json, OriginLatName, origin.Lat);
            WriteNumber(json, SnapName, origin.SnapMeters);
            if (origin.Kern is null) json.WriteNull(KernName); else json.WriteString(KernName, origin.Kern);
            if (origin.DepartureWindow is not null) json.WriteString(WindowName, origin.DepartureWindow);
            if (origin.Percentile is { } p) WriteNumber(json, PercentileName, p);
            json.WriteEndObject();
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
        json.Flush();
    }

    /// <summary>The GeoJSON text of one band geometry as the response holds it ("null" when empty; for tests).</summary>
    public static string GeometryToJson(Geometry? geometry)
    {
        using var output = new PooledBufferWriter(1024);
        using (var json = new Utf8JsonWriter(output, WriterOptions)) GeoJsonLayerWriter.WriteGeometry(json, geometry);
        return System.Text.Encoding.UTF8.GetString(output.WrittenSpan);
    }

    private static void WriteNumber(Utf8JsonWriter json, JsonEncodedText name, double value)
    {
        // As GeoJsonLayerWriter's attribute values: a number that is not finite becomes null.
        if (double.IsFinite(value)) json.WriteNumber(name, value); else json.WriteNull(name);
    }
}
