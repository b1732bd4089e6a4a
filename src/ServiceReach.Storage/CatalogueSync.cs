using Microsoft.EntityFrameworkCore;
using ServiceReach.Domain;

namespace ServiceReach.Storage;

/// <summary>Writes the catalogue's categories into the store, so service points can reference them.</summary>
public static class CatalogueSync
{
    /// <summary>Inserts missing categories and updates changed ones; categories not in the catalogue are kept (points may still use them).</summary>
    public static async Task<int> ApplyAsync(ServiceReachDbContext db, ServiceCatalogue catalogue, CancellationToken ct = default)
    {
        var existing = await db.ServiceCategories.ToDictionaryAsync(c => c.Code, ct);
        var changed = 0;
        foreach (var def in catalogue.Categories)
        {
            var rules = def.OsmRules.Select(r => r.Text).ToList();
            if (!existing.TryGetValue(def.Code, out var cat))
            {
                db.ServiceCategories.Add(new ServiceCategory
                {
                    Code = def.Code, NameNl = def.NameNl, NameEn = def.NameEn, NeedFrequency = def.Need,
                    DefaultChannel = def.Channel, OsmTagRules = rules,
                });
                changed++;
            }
            else if (cat.NameNl != def.NameNl || cat.NameEn != def.NameEn || cat.NeedFrequency != def.Need
                     || cat.DefaultChannel != def.Channel || !cat.OsmTagRules.SequenceEqual(rules))
            {
                cat.NameNl = def.NameNl;
                cat.NameEn = def.NameEn;
                cat.NeedFrequency = def.Need;
                cat.DefaultChannel = def.Channel;
                cat.OsmTagRules = rules;
                changed++;
            }
        }
        await db.SaveChangesAsync(ct);
        return changed;
    }
}
