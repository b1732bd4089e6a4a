using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Features;
using ServiceReach.Api.Infrastructure;
using ServiceReach.Api.Services;
using ServiceReach.Domain;
using ServiceReach.Storage;

namespace ServiceReach.Api.Endpoints;

public sealed record NoteRequest(string Author, string Text);

public sealed record ServicePointRequest(string Name, double Lon, double Lat, string[] Categories, Channel Channel = Channel.Physical,
    ServiceStatus Status = ServiceStatus.Open, string? OpeningHours = null);

public sealed record CategoryRequest(string Code, string NameNl, string NameEn, NeedFrequency NeedFrequency = NeedFrequency.Weekly,
    Channel DefaultChannel = Channel.Physical, string[]? OsmTagRules = null);

/// <summary>Kernen, service points, categories and kern notes: reads are open (by default), writes need an API key.</summary>
public static partial class DataEndpoints
{
    [GeneratedRegex("^[a-z][a-z0-9_]{1,39}$")]
    private static partial Regex CategoryCode();

    public static void Map(WebApplication app)
    {
        var api = app.MapGroup("/api").WithTags("data");

        api.MapGet("/kernen", async (HttpContext ctx, ApiSettings settings, AnalysisService analysis, CancellationToken ct) =>
        {
            await using var db = ServiceReachDb.Open(settings.Database);
            var kernen = await db.Kernen.AsNoTracking().OrderBy(k => k.Id).ToListAsync(ct);
            var (gaps, advice) = await TryScores(analysis, ct);
            var features = kernen.Select(k => (IFeature)new Feature(k.Centre, new AttributesTable
            {
                { "id", k.Id }, { "name", k.Name }, { "municipality", k.MunicipalityCode }, { "population", k.Population },
                { "population_65plus", k.Population65Plus }, { "typology", k.Typology },
                { "gap_score", gaps.TryGetValue(k.Id, out var g) ? Math.Round(g, 1) : null },
                { "advice", advice.TryGetValue(k.Id, out var a) ? a : null },
            }));
            await FeatureJson.StreamAsync(ctx, features);
        }).WithSummary("All kernen as GeoJSON points, with gap score and primary advice of the current analysis.");

        api.MapGet("/kernen/{id:long}", async (long id, ApiSettings settings, AnalysisService analysis, CancellationToken ct) =>
        {
            await using var db = ServiceReachDb.Open(settings.Database);
            var kern = await db.Kernen.AsNoTracking().Include(k => k.Notes).FirstOrDefaultAsync(k => k.Id == id, ct);
            if (kern is null) return Problems.NotFound($"kern {id} does not exist.");
            var r = await analysis.CurrentAsync(ct);
            return Results.Ok(KernViews.Detail(kern, r));
        }).WithSummary("One kern: residents, reach per category and mode, gap score with its parts, advice with reasons, notes.");

        api.MapGet("/kernen/{id:long}/notes", async (long id, ApiSettings settings, CancellationToken ct) =>
        {
            await using var db = ServiceReachDb.Open(settings.Database);
            if (!await db.Kernen.AnyAsync(k => k.Id == id, ct)) return Problems.NotFound($"kern {id} does not exist.");
            var notes = await db.KernNotes.AsNoTracking().Where(n => n.KernId == id).OrderBy(n => n.CreatedAt).ThenBy(n => n.Id).ToListAsync(ct);
            return Results.Ok(notes);
        }).WithSummary("Local notes on a kern.");

        api.MapPost("/kernen/{id:long}/notes", async (long id, HttpRequest req, ApiSettings settings, CancellationToken ct) =>
        {
            var (body, error) = await Problems.ReadBody<NoteRequest>(req, ct);
            if (error is not null) return error;
            if (string.IsNullOrWhiteSpace(body!.Author) || body.Author.Length > 200) return Problems.Field("author", "give an author of 1–200 characters.");
            if (string.IsNullOrWhiteSpace(body.Text) || body.Text.Length > 4000) return Problems.Field("text", "give a note of 1–4000 characters.");
            await using var db = ServiceReachDb.Open(settings.Database);
            if (!await db.Kernen.AnyAsync(k => k.Id == id, ct)) return Problems.NotFound($"kern {id} does not exist.");
            var note = new KernNote { KernId = id, Author = body.Author.Trim(), Text = body.Text.Trim(), CreatedAt = DateTimeOffset.UtcNow };
            db.KernNotes.Add(note);
            await db.SaveChangesAsync(ct);
            return Results.Created($"/api/kernen/{id}/notes", note);
        }).Accepts<NoteRequest>("application/json").WithSummary("Add a local note to a kern (API key).");

        api.MapGet("/service-points", async (HttpContext ctx, string? category, ApiSettings settings, DbLayers layers, CancellationToken ct) =>
        {
            if (category is not null && !CategoryCode().IsMatch(category)) { await Problems.Field("category", "unknown category code.").ExecuteAsync(ctx); return; }
            var features = layers.ReadAsync(DbLayers.Find("service_points")!, null, 0, null, ct);
            if (category is not null) features = features.Where(f => ((string?)f.Attributes["categories"] ?? "").Split(',').Contains(category));
            await FeatureJson.StreamAsync(ctx, features);
        }).WithSummary("Service points as GeoJSON, optionally of one category.");

        api.MapPost("/service-points", async (HttpRequest req, ApiSettings settings, AnalysisService analysis, CancellationToken ct) =>
        {
            var (body, error) = await Problems.ReadBody<ServicePointRequest>(req, ct);
            if (error is not null) return error;
            await using var db = ServiceReachDb.Open(settings.Database);
            var (cats, invalid) = await ValidatePoint(body!, db, ct);
            if (invalid is not null) return invalid;
            var point = new ServicePoint
            {
                Name = body!.Name.Trim(), Location = Geo.Point(body.Lon, body.Lat), Categories = cats, Channel = body.Channel, Status = body.Status,
                OpeningHours = body.OpeningHours, Source = "api", SourceId = Guid.NewGuid().ToString("N"), UpdatedAt = DateTimeOffset.UtcNow,
            };
            db.ServicePoints.Add(point);
            await db.SaveChangesAsync(ct);
            analysis.MarkStale();
            return Results.Created($"/api/service-points/{point.Id}", new { id = point.Id, name = point.Name, categories = cats.Select(c => c.Code) });
        }).Accepts<ServicePointRequest>("application/json").WithSummary("Add a service point (API key).");

        api.MapPut("/service-points/{id:long}", async (long id, HttpRequest req, ApiSettings settings, AnalysisService analysis, CancellationToken ct) =>
        {
            var (body, error) = await Problems.ReadBody<ServicePointRequest>(req, ct);
            if (error is not null) return error;
            await using var db = ServiceReachDb.Open(settings.Database);
            var point = await db.ServicePoints.Include(p => p.Categories).FirstOrDefaultAsync(p => p.Id == id, ct);
            if (point is null) return Problems.NotFound($"service point {id} does not exist.");
            var (cats, invalid) = await ValidatePoint(body!, db, ct);
            if (invalid is not null) return invalid;
            point.Name = body!.Name.Trim();
            point.Location = Geo.Point(body.Lon, body.Lat);
            point.Categories = cats;
            point.Channel = body.Channel;
            point.Status = body.Status;
            point.OpeningHours = body.OpeningHours;
            point.UpdatedAt = DateTimeOffset.UtcNow;
            await db.SaveChangesAsync(ct);
            analysis.MarkStale();
            return Results.Ok(new { id = point.Id, name = point.Name, categories = cats.Select(c => c.Code) });
        }).Accepts<ServicePointRequest>("application/json").WithSummary("Change a service point (API key).");

        api.MapDelete("/service-points/{id:long}", async (long id, ApiSettings settings, AnalysisService analysis, CancellationToken ct) =>
        {
            await using var db = ServiceReachDb.Open(settings.Database);
            var n = await db.ServicePoints.Where(p => p.Id == id).ExecuteDeleteAsync(ct);
            if (n == 0) return Problems.NotFound($"service point {id} does not exist.");
            analysis.MarkStale();
            return Results.NoContent();
        }).WithSummary("Delete a service point (API key). To record that a service left, PUT it with status Closed instead.");

        api.MapGet("/categories", async (ApiSettings settings, CancellationToken ct) =>
        {
            await using var db = ServiceReachDb.Open(settings.Database);
            var cats = await db.ServiceCategories.AsNoTracking().OrderBy(c => c.Code).ToListAsync(ct);
            return Results.Ok(cats.Select(c => new
            {
                c.Code, c.NameNl, c.NameEn, c.NeedFrequency, c.DefaultChannel, c.OsmTagRules,
                builtIn = ServiceCatalogue.Default.Contains(c.Code),
            }));
        }).WithSummary("Service categories; built-in ones (the catalogue) are read-only, others editable.");

        api.MapPost("/categories", async (HttpRequest req, ApiSettings settings, CancellationToken ct) =>
        {
            var (body, error) = await Problems.ReadBody<CategoryRequest>(req, ct);
            if (error is not null) return error;
            if (ValidateCategory(body!) is { } invalid) return invalid;
            await using var db = ServiceReachDb.Open(settings.Database);
            if (await db.ServiceCategories.AnyAsync(c => c.Code == body!.Code, ct)) return Problems.Field("code", $"category '{body!.Code}' already exists.", 409);
            var cat = new ServiceCategory
            {
                Code = body!.Code, NameNl = body.NameNl.Trim(), NameEn = body.NameEn.Trim(), NeedFrequency = body.NeedFrequency,
                DefaultChannel = body.DefaultChannel, OsmTagRules = [.. body.OsmTagRules ?? []],
            };
            db.ServiceCategories.Add(cat);
            await db.SaveChangesAsync(ct);
            return Results.Created($"/api/categories/{cat.Code}", new { cat.Code, cat.NameNl, cat.NameEn, cat.NeedFrequency, cat.DefaultChannel, cat.OsmTagRules });
        }).Accepts<CategoryRequest>("application/json").WithSummary("Add an editable category (API key).");

        api.MapPut("/categories/{code}", async (string code, HttpRequest req, ApiSettings settings, CancellationToken ct) =>
        {
            var (body, error) = await Problems.ReadBody<CategoryRequest>(req, ct);
            if (error is not null) return error;
            if (body!.Code != code) return Problems.Field("code", "the code in the body must match the URL.");
            if (ValidateCategory(body) is { } invalid) return invalid;
            await using var db = ServiceReachDb.Open(settings.Database);
            var cat = await db.ServiceCategories.FirstOrDefaultAsync(c => c.Code == code, ct);
            if (cat is null) return Problems.NotFound($"category '{code}' does not exist.");
            cat.NameNl = body.NameNl.Trim();
            cat.NameEn = body.NameEn.Trim();
            cat.NeedFrequency = body.NeedFrequency;
            cat.DefaultChannel = body.DefaultChannel;
            cat.OsmTagRules = [.. body.OsmTagRules ?? []];
            await db.SaveChangesAsync(ct);
            return Results.Ok(new { cat.Code, cat.NameNl, cat.NameEn, cat.NeedFrequency, cat.DefaultChannel, cat.OsmTagRules });
        }).Accepts<CategoryRequest>("application/json").WithSummary("Change an editable category (API key).");

        api.MapDelete("/categories/{code}", async (string code, ApiSettings settings, CancellationToken ct) =>
        {
            if (ServiceCatalogue.Default.Contains(code)) return Problems.Field("code", $"'{code}' is a built-in category of the catalogue and cannot be deleted.", 409);
            await using var db = ServiceReachDb.Open(settings.Database);
            var cat = await db.ServiceCategories.Include(c => c.ServicePoints).FirstOrDefaultAsync(c => c.Code == code, ct);
            if (cat is null) return Problems.NotFound($"category '{code}' does not exist.");
            if (cat.ServicePoints.Count > 0) return Problems.Field("code", $"{cat.ServicePoints.Count} service points still use '{code}'.", 409);
            db.ServiceCategories.Remove(cat);
            await db.SaveChangesAsync(ct);
            return Results.NoContent();
        }).WithSummary("Delete an unused editable category (API key).");
    }

    private static IResult? ValidateCategory(CategoryRequest c)
    {
        if (string.IsNullOrEmpty(c.Code) || !CategoryCode().IsMatch(c.Code)) return Problems.Field("code", "use 2–40 characters: lower-case letters, digits, underscore, starting with a letter.");
        if (ServiceCatalogue.Default.Contains(c.Code)) return Problems.Field("code", $"'{c.Code}' is a built-in category and read-only.", 409);
        if (string.IsNullOrWhiteSpace(c.NameNl) || c.NameNl.Length > 100) return Problems.Field("nameNl", "give a Dutch name of 1–100 characters.");
        if (string.IsNullOrWhiteSpace(c.NameEn) || c.NameEn.Length > 100) return Problems.Field("nameEn", "give an English name of 1–100 characters.");
        if (c.OsmTagRules is { Length: > 50 }) return Problems.Field("osmTagRules", "at most 50 rules.");
        foreach (var rule in c.OsmTagRules ?? [])
        {
            try { OsmTagRule.Parse(rule); }
            catch (Exception ex) when (ex is FormatException or ArgumentException) { return Problems.Field("osmTagRules", ex.Message); }
        }
        return null;
    }

    private static async Task<(List<ServiceCategory> Categories, IResult? Error)> ValidatePoint(ServicePointRequest b, ServiceReachDbContext db, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(b.Name) || b.Name.Length > 200) return ([], Problems.Field("name", "give a name of 1–200 characters."));
        if (!double.IsFinite(b.Lon) || b.Lon is < -180 or > 180) return ([], Problems.Field("lon", "longitude must lie between -180 and 180."));
        if (!double.IsFinite(b.Lat) || b.Lat is < -90 or > 90) return ([], Problems.Field("lat", "latitude must lie between -90 and 90."));
        if (b.Categories is null || b.Categories.Length == 0 || b.Categories.Length > 30) return ([], Problems.Field("categories", "give 1–30 category codes."));
        if (b.OpeningHours is { Length: > 500 }) return ([], Problems.Field("openingHours", "at most 500 characters."));
        var codes = b.Categories.Distinct().ToList();
        var cats = await db.ServiceCategories.Where(c => codes.Contains(c.Code)).ToListAsync(ct);
        var unknown = codes.Except(cats.Select(c => c.Code)).ToList();
        if (unknown.Count > 0) return ([], Problems.Field("categories", $"unknown category: {string.Join(", ", unknown.Select(u => u.Length > 40 ? u[..40] + "…" : u))} (see GET /api/categories)."));
        return (cats, null);
    }

    private static async Task<(Dictionary<long, double> Gaps, Dictionary<long, string> Advice)> TryScores(AnalysisService analysis, CancellationToken ct)
    {
        var r = await analysis.CurrentAsync(ct);
        return (r.Gaps.ToDictionary(g => g.Place.Id, g => g.Total), r.Advice.ToDictionary(a => a.KernId, a => a.Primary.ToString()));
    }
}
