using System.Globalization;
using System.Text.Json;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;
using ServiceReach.Api.Infrastructure;
using ServiceReach.Api.Services;

namespace ServiceReach.Api.Endpoints;

/// <summary>OGC API – Features (Part 1: core, GeoJSON) under /ogc, and Mapbox vector tiles from PostGIS under /tiles.</summary>
public static class OgcEndpoints
{
    private static readonly string[] Conformance =
    [
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
    ];

    public static void Map(WebApplication app)
    {
        var ogc = app.MapGroup("/ogc").WithTags("ogc api features");

        ogc.MapGet("/", (HttpRequest req) => Results.Json(new
        {
            title = "ServiceReach",
            description = "Kernen, service points, population and access analysis layers (OGC API – Features).",
            links = new object[]
            {
                Link(req, "/ogc", "self", "application/json", "This document"),
                Link(req, "/openapi/v1.json", "service-desc", "application/vnd.oai.openapi+json;version=3.0", "The API definition"),
                Link(req, "/scalar", "service-doc", "text/html", "API reference"),
                Link(req, "/ogc/conformance", "conformance", "application/json", "Conformance classes"),
                Link(req, "/ogc/collections", "data", "application/json", "Collections"),
            },
        })).WithSummary("Landing page.");

        ogc.MapGet("/conformance", () => Results.Json(new { conformsTo = Conformance })).WithSummary("Conformance classes.");

        ogc.MapGet("/collections", (HttpRequest req) => Results.Json(new
        {
            links = new[] { Link(req, "/ogc/collections", "self", "application/json", "Collections") },
            collections = AllCollections().Select(c => Collection(req, c.Id, c.Title)),
        })).WithSummary("The published collections.");

        ogc.MapGet("/collections/{id}", (HttpRequest req, string id) =>
            AllCollections().Where(c => c.Id == id).ToList() is [var c] ? Results.Json(Collection(req, c.Id, c.Title)) : Problems.NotFound($"collection '{Trim(id)}' does not exist."))
            .WithSummary("One collection.");

        ogc.MapGet("/collections/{id}/items", async (HttpContext ctx, string id, string? bbox, string? limit, string? offset,
            ApiSettings settings, DbLayers layers, AnalysisService analysis) =>
        {
            var ct = ctx.RequestAborted;
            if (!TryInt(limit, 10, 1, settings.MaxPageSize, out var lim)) { await Problems.Field("limit", $"give a whole number from 1 to {settings.MaxPageSize}.").ExecuteAsync(ctx); return; }
            if (!TryInt(offset, 0, 0, int.MaxValue, out var off)) { await Problems.Field("offset", "give a whole number ≥ 0.").ExecuteAsync(ctx); return; }
            Envelope? box = null;
            if (bbox is not null && !TryBbox(bbox, out box)) { await Problems.Field("bbox", "give minLon,minLat,maxLon,maxLat in WGS84 with min ≤ max.").ExecuteAsync(ctx); return; }

            long matched;
            IAsyncEnumerable<IFeature> page;
            if (DbLayers.Find(id) is { } db)
            {
                matched = await layers.CountAsync(db, box, ct);
                page = layers.ReadAsync(db, box, off, lim, ct);
            }
            else if (AnalysisLayerSet.Find(id) is { } al)
            {
                var r = await analysis.CurrentAsync(ct);
                var all = al.Features(r).Where(f => box is null || (f.Geometry is not null && box.Intersects(f.Geometry.EnvelopeInternal))).ToList();
                matched = all.Count;
                page = all.Skip(off).Take(lim).ToAsyncEnumerable();
            }
            else
            {
                await Problems.NotFound($"collection '{Trim(id)}' does not exist.").ExecuteAsync(ctx);
                return;
            }
            await WriteItems(ctx, id, page, matched, off, lim, bbox, ct);
        }).WithSummary("Features of a collection as GeoJSON: bbox=minLon,minLat,maxLon,maxLat, limit (default 10), offset; next link while more remain.");

        ogc.MapGet("/collections/{id}/items/{fid:long}", async (HttpContext ctx, string id, long fid, DbLayers layers) =>
        {
            if (DbLayers.Find(id) is not { } db) { await Problems.NotFound($"collection '{Trim(id)}' has no addressable features.").ExecuteAsync(ctx); return; }
            await foreach (var f in layers.ReadAsync(db, null, 0, 1, ctx.RequestAborted, fid))
            {
                {
                    ctx.Response.ContentType = FeatureJson.ContentType;
                    await using var w = new Utf8JsonWriter(ctx.Response.Body);
                    FeatureJson.WriteFeature(w, f, fid);
                    return;
                }
            }
            await Problems.NotFound($"feature {fid} does not exist in '{id}'.").ExecuteAsync(ctx);
        }).WithSummary("One feature by id (stored collections).");

        app.MapGet("/tiles/{layer}/{z:int}/{x:int}/{y}", async (HttpContext ctx, string layer, int z, int x, string y, DbLayers layers) =>
        {
            if (DbLayers.Find(layer) is not { } db) { await Problems.Field("layer", $"unknown layer; use {string.Join(", ", DbLayers.All.Select(l => l.Id))}.", 404).ExecuteAsync(ctx); return; }
            var yText = y.EndsWith(".mvt", StringComparison.Ordinal) ? y[..^4] : y.EndsWith(".pbf", StringComparison.Ordinal) ? y[..^4] : y;
            if (z is < 0 or > 22) { await Problems.Field("z", "zoom must be 0–22.").ExecuteAsync(ctx); return; }
            var n = 1L << z;
            if (x < 0 || x >= n) { await Problems.Field("x", $"x must be 0–{n - 1} at zoom {z}.").ExecuteAsync(ctx); return; }
            if (!int.TryParse(yText, NumberStyles.None, CultureInfo.InvariantCulture, out var yy) || yy < 0 || yy >= n) { await Problems.Field("y", $"y must be 0–{n - 1} at zoom {z}.").ExecuteAsync(ctx); return; }
            var bytes = await layers.TileAsync(db, z, x, yy, ctx.RequestAborted);
            ctx.Response.ContentType = "application/vnd.mapbox-vector-tile";
            ctx.Response.Headers.CacheControl = "public, max-age=60";
            await ctx.Response.Body.WriteAsync(bytes, ctx.RequestAborted);
        }).WithTags("tiles").WithSummary("Mapbox vector tile of a stored layer (kernen, service_points, population_units, municipalities) from PostGIS ST_AsMVT.");
    }

    private static IEnumerable<(string Id, string Title)> AllCollections()
        => DbLayers.All.Select(l => (l.Id, l.Title)).Concat(AnalysisLayerSet.All.Select(l => (l.Id, l.Title)));

    private static object Collection(HttpRequest req, string id, string title) => new
    {
        id, title,
        itemType = "feature",
        crs = new[] { "http://www.opengis.net/def/crs/OGC/1.3/CRS84" },
        links = new[]
        {
            Link(req, $"/ogc/collections/{id}", "self", "application/json", title),
            Link(req, $"/ogc/collections/{id}/items", "items", FeatureJson.ContentType, $"{title} (GeoJSON)"),
        },
    };

    private static async Task WriteItems(HttpContext ctx, string id, IAsyncEnumerable<IFeature> page, long matched, int offset, int limit, string? bbox, CancellationToken ct)
    {
        ctx.Response.ContentType = FeatureJson.ContentType;
        await using var w = new Utf8JsonWriter(ctx.Response.Body);
        w.WriteStartObject();
        w.WriteString("type", "FeatureCollection");
        w.WriteStartArray("features");
        var returned = 0;
        await foreach (var f in page.WithCancellation(ct))
        {
            FeatureJson.WriteFeature(w, f, f.Attributes?.Exists("id") == true ? f.Attributes["id"] : offset + returned + 1);
            returned++;
            if (w.BytesPending > 64 * 1024) await w.FlushAsync(ct);
        }
        w.WriteEndArray();
        w.WriteNumber("numberMatched", matched);
        w.WriteNumber("numberReturned", returned);
        w.WriteString("timeStamp", DateTimeOffset.UtcNow);
        w.WriteStartArray("links");
        var q = bbox is null ? "" : "&bbox=" + Uri.EscapeDataString(bbox);
        WriteLink(w, Url(ctx.Request, $"/ogc/collections/{id}/items?limit={limit}&offset={offset}{q}"), "self");
        if (offset + returned < matched && returned > 0) WriteLink(w, Url(ctx.Request, $"/ogc/collections/{id}/items?limit={limit}&offset={offset + returned}{q}"), "next");
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteLink(Utf8JsonWriter w, string href, string rel)
    {
        w.WriteStartObject();
        w.WriteString("href", href);
        w.WriteString("rel", rel);
        w.WriteString("type", FeatureJson.ContentType);
        w.WriteEndObject();
    }

    private static object Link(HttpRequest req, string path, string rel, string type, string title) => new { href = Url(req, path), rel, type, title };

    private static string Url(HttpRequest req, string path) => $"{req.Scheme}://{req.Host}{req.PathBase}{path}";

    private static bool TryInt(string? text, int fallback, int min, int max, out int value)
    {
        value = fallback;
        if (text is null) return true;
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= min && value <= max;
    }

    public static bool TryBbox(string text, out Envelope? box)
    {
        box = null;
        var p = text.Split(',');
        if (p.Length != 4) return false;
        var v = new double[4];
        for (var i = 0; i < 4; i++)
        {
            if (!double.TryParse(p[i], NumberStyles.Float, CultureInfo.InvariantCulture, out v[i]) || !double.IsFinite(v[i])) return false;
        }
        if (v[0] > v[2] || v[1] > v[3] || v[0] < -180 || v[2] > 180 || v[1] < -90 || v[3] > 90) return false;
        box = new Envelope(v[0], v[2], v[1], v[3]);
        return true;
    }

    private static string Trim(string s) => s.Length > 40 ? s[..40] + "…" : s;
}
