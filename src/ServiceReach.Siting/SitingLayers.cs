using NetTopologySuite.Features;
using NetTopologySuite.Geometries;

namespace ServiceReach.Siting;

/// <summary>Siting results and tours as GIS layers (WGS84 features for the GeoJSON/GeoPackage writers).</summary>
public static class SitingLayers
{
    private static readonly GeometryFactory Factory = new(new PrecisionModel(), 4326);

    /// <summary>One point per proposed site with its contribution, who gains and the reason.</summary>
    public static IEnumerable<IFeature> Sites(SitingPlan plan)
    {
        int rank = 1;
        foreach (var p in plan.Sites)
        {
            yield return new Feature(Factory.CreatePoint(new Coordinate(p.Site.Lon, p.Site.Lat)), new AttributesTable
            {
                { "rank", rank++ },
                { "site_id", p.Site.Id },
                { "name", p.Site.Name },
                { "kind", p.Site.Kind },
                { "cost", p.Site.Cost },
                { "notes", p.Site.Notes },
                { "model", plan.Model.ToString() },
                { "method", plan.Method },
                { "contribution", Math.Round(p.Contribution, 2) },
                { "residents_gaining", p.ResidentsGaining },
                { "residents65_gaining", p.Residents65Gaining },
                { "places_gaining", p.Gains.Count },
                { "reason", p.Reason },
            });
        }
    }

    /// <summary>One line per (demand point → site it gains from), with the categories gained and the times before and after.</summary>
    public static IEnumerable<IFeature> Gains(SitingPlan plan, SitingProblem problem)
    {
        var where = problem.Demand.ToDictionary(d => d.Place.Id, d => new Coordinate(d.Place.Lon, d.Place.Lat));
        foreach (var p in plan.Sites)
        {
            var site = new Coordinate(p.Site.Lon, p.Site.Lat);
            foreach (var g in p.Gains)
            {
                yield return new Feature(Factory.CreateLineString([where[g.PlaceId], site]), new AttributesTable
                {
                    { "site_id", p.Site.Id },
                    { "place_id", g.PlaceId },
                    { "place", g.Name },
                    { "residents", g.Residents },
                    { "residents65", g.Residents65Plus },
                    { "seconds_to_site", Math.Round(g.SecondsToSite) },
                    { "categories", string.Join(",", g.Categories.Select(c => c.Category)) },
                    { "seconds_before", string.Join(",", g.Categories.Select(c => double.IsFinite(c.SecondsBefore) ? Math.Round(c.SecondsBefore).ToString(System.Globalization.CultureInfo.InvariantCulture) : "inf")) },
                });
            }
        }
    }

    /// <summary>The route of each day (one line per leg) and one point per visit with its times.</summary>
    public static IEnumerable<IFeature> Tour(TourPlan plan)
    {
        foreach (var d in plan.Days)
        {
            int leg = 0;
            foreach (var l in d.Legs)
            {
                yield return new Feature(l, new AttributesTable
                {
                    { "kind", "leg" }, { "day", d.Day.ToString() }, { "leg", ++leg },
                    { "leave", d.Leave.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture) },
                    { "return", d.Return.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture) },
                });
            }
            int order = 0;
            foreach (var v in d.Visits)
            {
                yield return new Feature(Factory.CreatePoint(new Coordinate(v.Stop.Lon, v.Stop.Lat)), new AttributesTable
                {
                    { "kind", "stop" }, { "day", d.Day.ToString() }, { "order", ++order }, { "stop_id", v.Stop.Id }, { "name", v.Stop.Name },
                    { "arrival", v.Arrival.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture) },
                    { "departure", v.Departure.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture) },
                    { "residents", v.Stop.Residents }, { "residents65", v.Stop.Residents65Plus },
                    { "drive_minutes", Math.Round(v.DriveSeconds / 60, 1) },
                });
            }
        }
        foreach (var u in plan.Unserved)
        {
            yield return new Feature(Factory.CreatePoint(new Coordinate(u.Lon, u.Lat)), new AttributesTable
            {
                { "kind", "unserved" }, { "stop_id", u.Id }, { "name", u.Name }, { "residents", u.Residents }, { "residents65", u.Residents65Plus },
            });
        }
    }
}
