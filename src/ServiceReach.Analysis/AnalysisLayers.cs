using NetTopologySuite.Features;
using NetTopologySuite.Geometries;
using ServiceReach.Domain;
using ServiceReach.Domain.Scoring;

namespace ServiceReach.Analysis;

/// <summary>
/// Turns an analysis into GIS layers (WGS84 features with flat attributes, which QGIS and web maps read directly):
/// kernen with gap scores and advice, the reach table, the village network, and population units with the basket indicator.
/// </summary>
public static class AnalysisLayers
{
    private static readonly GeometryFactory Factory = Geo.Wgs84;

    private static object? Num(double v, int digits = 1) => double.IsFinite(v) ? Math.Round(v, digits) : null;

    /// <summary>One point per kern: population, gap score and each category's part, primary advice and reasons.</summary>
    public static IEnumerable<IFeature> Kernen(AnalysisResult r)
    {
        var advice = r.Advice.ToDictionary(a => a.KernId);
        var gaps = r.Gaps.ToDictionary(g => g.Place.Id);
        var catalogue = r.Input.Catalogue;
        var basket = catalogue.Baskets.FirstOrDefault(b => b.Code == "flemish_basic") ?? catalogue.Baskets.FirstOrDefault();
        var notes = r.Input.Kernen.ToDictionary(k => k.Id, k => k.Notes);
        foreach (var k in r.Kernen)
        {
            var gap = gaps[k.Id];
            var a = advice[k.Id];
            var attrs = new AttributesTable
            {
                { "kern_id", k.Id },
                { "name", k.Name },
                { "municipality", k.MunicipalityCode },
                { "population", k.Population },
                { "population_65plus", k.Population65Plus },
                { "population_65plus_estimated", k.Population65IsAssumed },
                { "gap_score", Math.Round(gap.Total, 1) },
                { "gap_main", string.Join(", ", gap.Contributing.Take(3).Select(p => p.Category)) },
                { "advice", a.Primary.ToString() },
                { "advice_also", string.Join(", ", a.AlsoConsider) },
                { "missing_walking", string.Join(", ", a.MissingWithinWalking) },
                { "reasons", string.Join(" ", a.Reasons) },
                { "notes", string.Join(" | ", notes.GetValueOrDefault(k.Id) ?? []) },
            };
            if (basket is not null)
            {
                attrs.Add("basket_walk", r.KernReach.Has(Mode.Walk) && BasketIndicator.HasBasket(k.Id, basket, Mode.Walk, r.KernReach, catalogue));
                attrs.Add("basket_bike", r.KernReach.Has(Mode.Bike) && BasketIndicator.HasBasket(k.Id, basket, Mode.Bike, r.KernReach, catalogue));
            }
            foreach (var part in gap.Parts) attrs.Add("gap_" + part.Category, Math.Round(part.Score, 1));
            yield return new Feature(Factory.CreatePoint(new Coordinate(k.Lon, k.Lat)), attrs);
        }
    }

    /// <summary>One row per kern × category × mode (point at the kern): nearest and second-nearest, count within threshold.</summary>
    public static IEnumerable<IFeature> Reach(AnalysisResult r)
    {
        var catalogue = r.Input.Catalogue;
        var serviceNames = r.Input.Services.ToDictionary(s => s.Id, s => s.Name);
        var kernNames = r.Kernen.ToDictionary(k => k.Id, k => k.Name);
        foreach (var k in r.Kernen)
        {
            var pt = Factory.CreatePoint(new Coordinate(k.Lon, k.Lat));
            foreach (var c in r.KernReach.Categories)
            {
                foreach (var m in r.KernReach.Modes)
                {
                    var x = r.KernReach.Get(k.Id, c, m);
                    var thr = catalogue.ThresholdFor(c, m).Seconds;
                    yield return new Feature(pt, new AttributesTable
                    {
                        { "kern_id", k.Id },
                        { "kern", k.Name },
                        { "category", c },
                        { "mode", m.ToString() },
                        { "minutes", Num(x.Seconds / 60) },
                        { "meters", Num(x.Meters, 0) },
                        { "threshold_minutes", Math.Round(thr / 60, 1) },
                        { "within_threshold", x.Seconds <= thr },
                        { "nearest_service", x.NearestServiceId is { } s ? serviceNames.GetValueOrDefault(s) : null },
                        { "nearest_service_id", x.NearestServiceId },
                        { "provider_kern", x.NearestServiceKernId is { } pk ? kernNames.GetValueOrDefault(pk) : null },
                        { "second_minutes", Num(x.SecondSeconds / 60) },
                        { "count_within_threshold", x.CountWithinThreshold },
                        { "p5_minutes", x.P5Seconds is { } p5 ? Num(p5 / 60) : null },
                        { "p95_minutes", x.P95Seconds is { } p95 ? Num(p95 / 60) : null },
                    });
                }
            }
        }
    }

    /// <summary>The village network: a line from each kern to the kern that provides a category (skipping self-provision).</summary>
    public static IEnumerable<IFeature> Network(AnalysisResult r)
    {
        var pos = r.Kernen.ToDictionary(k => k.Id, k => new Coordinate(k.Lon, k.Lat));
        foreach (var l in r.Network)
        {
            if (l.KernId == l.ProviderKernId || !pos.TryGetValue(l.ProviderKernId, out var to)) continue;
            yield return new Feature(Factory.CreateLineString([pos[l.KernId], to]), new AttributesTable
            {
                { "kern", l.KernName },
                { "provider_kern", l.ProviderKernName },
                { "category", l.Category },
                { "mode", l.Mode.ToString() },
                { "minutes", Num(l.Seconds / 60) },
            });
        }
    }

    /// <summary>Population units (as their representative points) with basket flags, for the population-weighted figures.</summary>
    public static IEnumerable<IFeature> Units(AnalysisResult r)
    {
        if (r.UnitReach is null) yield break;
        var catalogue = r.Input.Catalogue;
        var basket = catalogue.Baskets.FirstOrDefault();
        foreach (var u in r.Units)
        {
            var attrs = new AttributesTable
            {
                { "unit_id", u.Id },
                { "population", u.Population },
                { "population_65plus", u.Population65Plus },
            };
            if (basket is not null)
            {
                attrs.Add("basket_walk", r.UnitReach.Has(Mode.Walk) && BasketIndicator.HasBasket(u.Id, basket, Mode.Walk, r.UnitReach, catalogue));
                attrs.Add("basket_bike", r.UnitReach.Has(Mode.Bike) && BasketIndicator.HasBasket(u.Id, basket, Mode.Bike, r.UnitReach, catalogue));
            }
            foreach (var c in r.UnitReach.Categories) attrs.Add("walk_" + c, Num(r.UnitReach.Get(u.Id, c, Mode.Walk).Seconds / 60));
            yield return new Feature(Factory.CreatePoint(new Coordinate(u.Lon, u.Lat)), attrs);
        }
    }

    /// <summary>The service points the analysis read, with status and channel (closed and mobile ones are shown, not routed to).</summary>
    public static IEnumerable<IFeature> Services(AnalysisResult r)
    {
        foreach (var s in r.Input.Services)
        {
            yield return new Feature(Factory.CreatePoint(new Coordinate(s.Lon, s.Lat)), new AttributesTable
            {
                { "service_id", s.Id }, { "name", s.Name }, { "categories", string.Join(",", s.Categories) },
                { "status", s.Status.ToString() }, { "channel", s.Channel.ToString() }, { "kern_id", s.KernId },
            });
        }
    }

    /// <summary>5/10/15-minute walking isochrones from the most populous kern, the map planners look at first.</summary>
    public static IEnumerable<IFeature> WalkIsochrones(ServiceReach.Routing.StreetNetwork network, AnalysisResult r)
    {
        var biggest = r.Kernen.OrderByDescending(k => k.Population).ThenBy(k => k.Id).FirstOrDefault();
        if (biggest is null) yield break;
        var router = network.For(ModeProfiles.ProfileName(Mode.Walk));
        var origin = router.Snap(new ServiceReach.Routing.GeoPoint(biggest.Lon, biggest.Lat));
        if (!origin.Found) yield break;
        foreach (var band in router.Isochrones(origin, [300, 600, 900]))
        {
            yield return new Feature(band.Polygon, new AttributesTable
            {
                { "kern", biggest.Name }, { "mode", Mode.Walk.ToString() }, { "minutes", band.LimitSeconds / 60 },
                { "area_km2", Math.Round(band.AreaSquareMeters / 1e6, 3) },
            });
        }
    }

    /// <summary>Population-weighted figures: residents and residents 65+ lacking each category within the walking threshold.</summary>
    public static IReadOnlyList<(string Category, Mode Mode, int Residents, int ResidentsLacking, int Residents65, int Residents65Lacking)> Lacking(AnalysisResult r, Mode mode)
    {
        var (places, reach) = r.UnitReach is not null ? (r.Units, r.UnitReach) : (r.Kernen, r.KernReach);
        var rows = new List<(string, Mode, int, int, int, int)>();
        if (!reach.Has(mode)) return rows;
        foreach (var c in reach.Categories)
        {
            var thr = r.Input.Catalogue.ThresholdFor(c, mode).Seconds;
            int all = 0, lack = 0, all65 = 0, lack65 = 0;
            foreach (var p in places)
            {
                all += p.Population;
                all65 += p.Population65Plus;
                if (reach.Get(p.Id, c, mode).Seconds > thr)
                {
                    lack += p.Population;
                    lack65 += p.Population65Plus;
                }
            }
            rows.Add((c, mode, all, lack, all65, lack65));
        }
        return rows;
    }
}
