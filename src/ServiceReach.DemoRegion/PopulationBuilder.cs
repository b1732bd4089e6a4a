namespace ServiceReach.DemoRegion;

/// <summary>One population unit: a 200 m grid cell with its residents.</summary>
internal sealed record PopulationUnit(
    string UnitId,
    int CellX,
    int CellY,
    int Population,
    int Population65Plus,
    string AreaType,
    KernSpec? Kern,
    string? RibbonName,
    string Municipality)
{
    public Vec SouthWest => new(CellX * PopulationBuilder.CellMetres, CellY * PopulationBuilder.CellMetres);
    public Vec Centre => SouthWest + new Vec(PopulationBuilder.CellMetres / 2, PopulationBuilder.CellMetres / 2);
}

/// <summary>
/// Spreads residents over 200 m cells: each kern's total over the cells around its centre (denser in the middle),
/// each lint over the cells its road passes, each farm in its own cell. Integer shares use largest remainders,
/// so every kern's cells sum exactly to the kern's figures.
/// </summary>
internal static class PopulationBuilder
{
    public const double CellMetres = 200;

    public static List<PopulationUnit> Build(BuiltRegion region, int seed)
    {
        var rng = new SplitMix64(unchecked((ulong)seed * 0x9E3779B97F4A7C15UL + 0xABCDEFUL));
        var used = new HashSet<(int, int)>();
        var units = new List<PopulationUnit>();

        foreach (var kern in RegionPlan.Kernen)
        {
            var cells = new List<(int X, int Y)>();
            var reach = Math.Max(kern.Radius, CellMetres * 0.75);
            var minX = (int)Math.Floor((kern.Centre.X - reach) / CellMetres);
            var maxX = (int)Math.Floor((kern.Centre.X + reach) / CellMetres);
            var minY = (int)Math.Floor((kern.Centre.Y - reach) / CellMetres);
            var maxY = (int)Math.Floor((kern.Centre.Y + reach) / CellMetres);
            var own = CellOf(kern.Centre);
            for (var y = minY; y <= maxY; y++)
                for (var x = minX; x <= maxX; x++)
                    if ((x, y) == own || Vec.Distance(CellCentre(x, y), kern.Centre) <= reach) cells.Add((x, y));
            foreach (var c in cells)
                if (!used.Add(c)) throw new InvalidOperationException($"Demo region design error: kern {kern.Name} overlaps another population cell.");

            var weights = new double[cells.Count];
            for (var k = 0; k < cells.Count; k++)
            {
                var d = Vec.Distance(CellCentre(cells[k].X, cells[k].Y), kern.Centre) / reach;
                weights[k] = Math.Max(0.15, 1.3 - 0.9 * d) * rng.Range(0.75, 1.25);
            }
            AddUnits(units, cells, weights, kern.Population, kern.Population65Plus, "kern", kern, null, kern.Municipality, rng);
        }

        foreach (var ribbon in RegionPlan.Ribbons)
        {
            var road = region.Roads[ribbon.RoadKey];
            var cells = new List<(int X, int Y)>();
            for (var s = ribbon.FromFraction * road.Length; s <= ribbon.ToFraction * road.Length; s += 20)
            {
                var c = CellOf(PointAlong(region, road, s));
                if (!cells.Contains(c) && !used.Contains(c)) cells.Add(c);
            }
            if (cells.Count == 0) throw new InvalidOperationException($"Demo region design error: lint {ribbon.Name} has no free cell.");
            foreach (var c in cells) used.Add(c);
            var weights = new double[cells.Count];
            for (var k = 0; k < weights.Length; k++) weights[k] = rng.Range(0.6, 1.4);
            AddUnits(units, cells, weights, ribbon.Population, ribbon.Population65Plus, "lint", null, ribbon.Name, null, rng);
        }

        foreach (var farm in region.Farms)
        {
            var c = CellOf(farm.Position);
            if (!used.Add(c)) throw new InvalidOperationException($"Demo region design error: farm at the end of {farm.Spec.Name} shares a cell with other residents.");
            AddUnits(units, [c], [1.0], farm.Spec.FarmPopulation, farm.Spec.FarmPopulation65Plus, "verspreid", null, null, null, rng);
        }
        return units;
    }

    public static (int X, int Y) CellOf(Vec p) => ((int)Math.Floor(p.X / CellMetres), (int)Math.Floor(p.Y / CellMetres));

    public static Vec CellCentre(int x, int y) => new((x + 0.5) * CellMetres, (y + 0.5) * CellMetres);

    /// <summary>The municipality of a point outside any kern: the river is the border.</summary>
    public static string MunicipalityAt(Vec p) => p.X < RegionPlan.RiverX(p.Y) ? RegionPlan.MunicipalityWest : RegionPlan.MunicipalityEast;

    private static Vec PointAlong(BuiltRegion region, BuiltRoad road, double s)
    {
        for (var k = 1; k < road.NodeRefs.Count; k++)
        {
            if (road.CumulativeMetres[k] < s) continue;
            var a = region.Osm.Position(road.NodeRefs[k - 1]);
            var b = region.Osm.Position(road.NodeRefs[k]);
            var legLength = road.CumulativeMetres[k] - road.CumulativeMetres[k - 1];
            var t = legLength <= 0 ? 0 : (s - road.CumulativeMetres[k - 1]) / legLength;
            return a + (b - a) * t;
        }
        return region.Osm.Position(road.NodeRefs[^1]);
    }

    private static void AddUnits(List<PopulationUnit> units, List<(int X, int Y)> cells, double[] weights, int population, int population65,
        string areaType, KernSpec? kern, string? ribbonName, string? municipality, SplitMix64 rng)
    {
        var people = Apportion(population, weights, null);
        var olderWeights = new double[cells.Count];
        for (var k = 0; k < cells.Count; k++) olderWeights[k] = people[k] * rng.Range(0.7, 1.3);
        var older = Apportion(population65, olderWeights, people);
        for (var k = 0; k < cells.Count; k++)
        {
            var (x, y) = cells[k];
            units.Add(new PopulationUnit($"demo-pop-{units.Count + 1:D4}", x, y, people[k], older[k], areaType, kern, ribbonName,
                municipality ?? MunicipalityAt(CellCentre(x, y))));
        }
    }

    /// <summary>Largest-remainder apportionment of <paramref name="total"/> by weight, never above <paramref name="caps"/>.</summary>
    internal static int[] Apportion(int total, double[] weights, int[]? caps)
    {
        var n = weights.Length;
        var result = new int[n];
        var sum = 0.0;
        foreach (var w in weights) sum += w;
        if (sum <= 0) throw new InvalidOperationException("Cannot apportion residents over zero weight.");
        var assigned = 0;
        var remainders = new double[n];
        for (var k = 0; k < n; k++)
        {
            var exact = total * weights[k] / sum;
            result[k] = (int)Math.Floor(exact);
            if (caps is not null && result[k] > caps[k]) result[k] = caps[k];
            remainders[k] = exact - Math.Floor(exact);
            assigned += result[k];
        }
        while (assigned < total)
        {
            var best = -1;
            for (var k = 0; k < n; k++)
            {
                if (caps is not null && result[k] >= caps[k]) continue;
                if (best < 0 || remainders[k] > remainders[best]) best = k;
            }
            if (best < 0) throw new InvalidOperationException($"Cannot place {total} residents within the caps.");
            result[best]++;
            remainders[best] = -1 - result[best] / (double)(total + 1);
            assigned++;
        }
        return result;
    }
}
