using ServiceReach.Analysis;
using ServiceReach.Domain;
using ServiceReach.Domain.Scoring;

namespace ServiceReach.Api.Services;

/// <summary>JSON shapes of a kern's reach, gap and advice, built from an analysis result.</summary>
public static class KernViews
{
    private static double? Min(double seconds) => double.IsFinite(seconds) ? Math.Round(seconds / 60, 1) : null;

    public static object Reach(AnalysisResult r, long kernId, string? category = null, Mode? mode = null)
    {
        var names = r.Input.Services.ToDictionary(s => s.Id, s => s.Name);
        var kernNames = r.Kernen.ToDictionary(k => k.Id, k => k.Name);
        var rows = new List<object>();
        foreach (var c in r.KernReach.Categories)
        {
            if (category is not null && c != category) continue;
            foreach (var m in r.KernReach.Modes)
            {
                if (mode is not null && m != mode) continue;
                var x = r.KernReach.Get(kernId, c, m);
                var thr = r.Input.Catalogue.ThresholdFor(c, m).Seconds;
                rows.Add(new
                {
                    category = c, mode = m, minutes = Min(x.Seconds), thresholdMinutes = Math.Round(thr / 60, 1), withinThreshold = x.Seconds <= thr,
                    nearestService = x.NearestServiceId is { } s ? names.GetValueOrDefault(s) : null,
                    providerKern = x.NearestServiceKernId is { } pk ? kernNames.GetValueOrDefault(pk) : null,
                    countWithinThreshold = x.CountWithinThreshold, p5Minutes = x.P5Seconds is { } p5 ? Min(p5) : null, p95Minutes = x.P95Seconds is { } p95 ? Min(p95) : null,
                });
            }
        }
        return rows;
    }

    public static object Gap(PlaceGap g) => new
    {
        kernId = g.Place.Id, name = g.Place.Name, population = g.Place.Population, population65Plus = g.Place.Population65Plus,
        total = Math.Round(g.Total, 1),
        parts = g.Contributing.Select(p => new
        {
            category = p.Category, need = p.Need, score = Math.Round(p.Score, 1),
            bestMode = p.BestGeneralMode, bestMinutes = Min(p.BestGeneralSeconds), thresholdMinutes = Min(p.GeneralThresholdSeconds),
            bestSeniorMode = p.BestSeniorMode, bestSeniorMinutes = Min(p.BestSeniorSeconds),
        }),
    };

    public static object Advice(KernAdvice a) => new
    {
        kernId = a.KernId, name = a.KernName, primary = a.Primary, alsoConsider = a.AlsoConsider,
        missingWithinWalking = a.MissingWithinWalking, reasons = a.Reasons,
    };

    public static object Detail(Kern kern, AnalysisResult r)
    {
        var gap = r.Gaps.FirstOrDefault(g => g.Place.Id == kern.Id);
        var advice = r.Advice.FirstOrDefault(a => a.KernId == kern.Id);
        return new
        {
            id = kern.Id, name = kern.Name, municipality = kern.MunicipalityCode, population = kern.Population,
            population65Plus = kern.Population65Plus, typology = kern.Typology, lon = kern.Centre.X, lat = kern.Centre.Y,
            analysed = gap is not null,
            gap = gap is null ? null : Gap(gap),
            advice = advice is null ? null : Advice(advice),
            reach = gap is null ? null : Reach(r, kern.Id),
            bus = r.BusDescription,
            notes = kern.Notes.OrderBy(n => n.CreatedAt).Select(n => new { n.Id, n.Author, n.Text, n.CreatedAt }),
            notMeasured = "Opening hours, cost, social barriers and the digital divide are not measured; add local notes.",
        };
    }
}
