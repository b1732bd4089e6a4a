using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;
using ServiceReach.Domain;
using ServiceReach.Domain.Scoring;
using ServiceReach.Storage;

namespace ServiceReach.Analysis;

/// <summary>Reads an analysis input from the PostGIS store and stores finished runs there, with their inputs.</summary>
public static class StoredAnalysis
{
    /// <summary>Kernen, service points (all statuses; only open physical ones are routed to) and population units inside a box.</summary>
    public static async Task<AnalysisInput> LoadAsync(string connectionString, Envelope? box, ServiceCatalogue catalogue, string regionName, CancellationToken ct = default)
    {
        await using var db = ServiceReachDb.Open(connectionString);
        var area = box is null ? null : Geo.Wgs84.ToGeometry(box);
        var kernen = await db.Kernen.AsNoTracking().Include(k => k.Notes)
            .Where(k => area == null || area.Intersects(k.Centre))
            .OrderBy(k => k.Id)
            .ToListAsync(ct);
        var services = await db.ServicePoints.AsNoTracking().Include(s => s.Categories)
            .Where(s => area == null || area.Intersects(s.Location))
            .OrderBy(s => s.Id)
            .ToListAsync(ct);
        var units = await db.PopulationUnits.AsNoTracking()
            .Where(u => area == null || area.Intersects(u.Geometry))
            .OrderBy(u => u.Id)
            .ToListAsync(ct);
        var municipalities = await db.Municipalities.AsNoTracking().Where(m => m.Boundary != null).ToListAsync(ct);
        var prepared = municipalities
            .Select(m => (m.NisCode, Shape: NetTopologySuite.Geometries.Prepared.PreparedGeometryFactory.Prepare(m.Boundary!)))
            .ToList();
        var kernMunicipality = kernen.Where(k => k.MunicipalityCode != null).Select(k => (k.Centre, k.MunicipalityCode)).ToList();
        // A population unit belongs to the municipality its point lies in; without boundaries, to that of the nearest kern.
        string? MunicipalityOf(Point p)
        {
            foreach (var (code, shape) in prepared)
            {
                if (shape.Contains(p)) return code;
            }
            string? best = null;
            var bestDistance = double.PositiveInfinity;
            foreach (var (centre, code) in kernMunicipality)
            {
                var d = Geo.HaversineMeters(p.X, p.Y, centre.X, centre.Y);
                if (d < bestDistance) { bestDistance = d; best = code; }
            }
            return best;
        }
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        return new AnalysisInput(
            kernen.Select(k => new KernInput(k.Id, k.Name, k.Centre.X, k.Centre.Y, k.Population ?? 0, k.Population65Plus, k.MunicipalityCode)
            {
                Notes = k.Notes.OrderBy(n => n.CreatedAt).Select(n => $"{n.Text} ({n.Author}, {n.CreatedAt:yyyy-MM-dd})").ToList(),
            }).ToList(),
            services.Select(s => new ServiceInput(s.Id, s.Name, s.Location.X, s.Location.Y,
                s.Categories.Select(c => c.Code).Where(catalogue.Contains).Order(StringComparer.Ordinal).ToList(),
                s.KernId,
                // A point past its validity date counts as closed, one not yet valid as planned.
                s.ValidTo is { } to && to < today ? ServiceStatus.Closed : s.ValidFrom is { } from && from > today && s.Status == ServiceStatus.Open ? ServiceStatus.Planned : s.Status,
                s.Channel)).ToList(),
            units.Select(u =>
            {
                var p = u.Geometry is Point pt ? pt : u.Geometry.InteriorPoint;
                return new PopulationInput(u.Id, p.X, p.Y, u.Population, u.Population65Plus, MunicipalityOf(p));
            }).ToList(),
            catalogue,
            regionName);
    }

    /// <summary>The typology label of each kern (town, village, hamlet, …), for norms that depend on it.</summary>
    public static async Task<IReadOnlyDictionary<long, string?>> KernTypologyAsync(string connectionString, IReadOnlyList<long> ids, CancellationToken ct = default)
    {
        await using var db = ServiceReachDb.Open(connectionString);
        return await db.Kernen.AsNoTracking().Where(k => ids.Contains(k.Id)).ToDictionaryAsync(k => k.Id, k => k.Typology, ct);
    }

    /// <summary>Stores a finished run: its parameters and a summary with every kern's score parts and advice, for later comparison.</summary>
    public static async Task<long> SaveRunAsync(string connectionString, AnalysisResult result, string kind, string? scenario, object parameters, CancellationToken ct = default)
    {
        var summary = new
        {
            region = result.Input.RegionName,
            elapsed_seconds = result.Elapsed.TotalSeconds,
            bus = result.BusDescription,
            kernen = result.Gaps.Select(g => new
            {
                id = g.Place.Id,
                name = g.Place.Name,
                gap = Math.Round(g.Total, 2),
                parts = g.Parts.Where(p => p.Score > 0).ToDictionary(p => p.Category, p => Math.Round(p.Score, 2)),
                advice = result.Advice.First(a => a.KernId == g.Place.Id).Primary.ToString(),
            }),
            indicator = result.Indicator.Where(i => !i.Area.StartsWith("kern:", StringComparison.Ordinal))
                .Select(i => new { area = i.Area, mode = i.Mode.ToString(), share = Math.Round(i.Share, 4), straight_line = Math.Round(i.ShareStraightLine, 4) }),
        };
        await using var db = ServiceReachDb.Open(connectionString);
        var run = new AnalysisRun
        {
            Kind = kind,
            Scenario = scenario,
            Status = RunStatus.Succeeded,
            StartedAt = DateTimeOffset.UtcNow - result.Elapsed,
            FinishedAt = DateTimeOffset.UtcNow,
            Parameters = JsonSerializer.Serialize(parameters),
            Summary = JsonSerializer.Serialize(summary),
        };
        db.AnalysisRuns.Add(run);
        await db.SaveChangesAsync(ct);
        return run.Id;
    }
}
