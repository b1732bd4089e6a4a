namespace ServiceReach.Domain.Scoring;

/// <summary>Share of residents with a whole basket within the threshold by one mode, for one area.</summary>
public sealed record BasketShare(string Area, Mode Mode, int Residents, int ResidentsWithBasket, int ResidentsWithBasketStraightLine)
{
    public double Share => Residents == 0 ? 0 : (double)ResidentsWithBasket / Residents;
    public double ShareStraightLine => Residents == 0 ? 0 : (double)ResidentsWithBasketStraightLine / Residents;
}

/// <summary>
/// The official Flemish indicator (Departement Omgeving, "Toegang tot basisvoorzieningen", 2022: 69 % walking, 98 % cycling):
/// the share of residents who have every group of the basket within 15 minutes. We compute it over the street network
/// and, for comparison with the published method, over straight lines (1,200 m walking, 3,750 m cycling).
/// </summary>
public static class BasketIndicator
{
    /// <summary>True when every group of the basket has a service within the mode's threshold over the network.</summary>
    public static bool HasBasket(long placeId, Basket basket, Mode mode, ReachTable reach, ServiceCatalogue catalogue)
    {
        foreach (var group in basket.Groups)
        {
            var ok = false;
            foreach (var c in group)
            {
                if (reach.Categories.Contains(c) && reach.Get(placeId, c, mode).Seconds <= catalogue.ThresholdFor(c, mode).Seconds)
                {
                    ok = true;
                    break;
                }
            }
            if (!ok) return false;
        }
        return true;
    }

    /// <summary>
    /// Shares per area (the key function maps a place to an area name; use it for kern, municipality and region).
    /// <paramref name="straightLineMeters"/> returns the straight-line distance from a place to the nearest open service of a category.
    /// </summary>
    public static IReadOnlyList<BasketShare> Shares(
        IReadOnlyList<Place> places, Func<Place, string> area, Basket basket, Mode mode, double straightLineLimitMeters,
        ReachTable reach, ServiceCatalogue catalogue, Func<Place, string, double> straightLineMeters)
    {
        var acc = new SortedDictionary<string, (int R, int N, int S)>(StringComparer.Ordinal);
        foreach (var p in places)
        {
            var key = area(p);
            acc.TryGetValue(key, out var a);
            a.R += p.Population;
            if (HasBasket(p.Id, basket, mode, reach, catalogue)) a.N += p.Population;
            if (basket.Groups.All(g => g.Any(c => straightLineMeters(p, c) <= straightLineLimitMeters))) a.S += p.Population;
            acc[key] = a;
        }
        return acc.Select(kv => new BasketShare(kv.Key, mode, kv.Value.R, kv.Value.N, kv.Value.S)).ToList();
    }
}
