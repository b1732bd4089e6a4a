namespace ServiceReach.Routing.Tests;

/// <summary>
/// Nearest-only multi-source search against one plain search per source (brute force), and seeded isochrones /
/// travel-time fields against the single-origin search they must reduce to.
/// </summary>
public class MultiSourceAndFieldTests
{
    private static List<SnapResult> RandomSnaps(Router router, int count, int seed)
    {
        var b = router.Network.Bounds;
        var rng = new Random(seed);
        var list = new List<SnapResult>();
        while (list.Count < count)
        {
            var s = router.Snap(new GeoPoint(b.MinLon + rng.NextDouble() * (b.MaxLon - b.MinLon), b.MinLat + rng.NextDouble() * (b.MaxLat - b.MinLat)), 300);
            if (s.Found) list.Add(s);
        }
        return list;
    }

    [Theory]
    [InlineData("pedestrian", true)]
    [InlineData("bicycle", true)]
    [InlineData("bicycle", false)]
    public void Nearest_source_equals_the_minimum_over_one_search_per_source(string profile, bool toward)
    {
        var router = RealData.Puurs.For(profile);
        var sources = RandomSnaps(router, 12, 11);
        var queries = RandomSnaps(router, 150, 12);
        const double max = 1800;
        var nearest = router.NearestSource(sources, max, toward);
        var both = router.NearestSources(sources, max, toward);
        int reached = 0;
        foreach (var q in queries)
        {
            // Brute force: the trip from the query to each source (toward) or from each source to the query.
            double best = double.PositiveInfinity;
            for (int i = 0; i < sources.Count; i++)
            {
                double t = toward ? router.OneToMany(q, [sources[i]], max).Seconds[0] : router.OneToMany(sources[i], [q], max).Seconds[0];
                best = Math.Min(best, t);
            }
            var hit = nearest.Nearest(q);
            if (double.IsPositiveInfinity(best)) { Assert.False(hit.Found); continue; }
            reached++;
            Assert.True(hit.Found);
            Assert.Equal(best, hit.Seconds, best * 1e-9 + 1e-9);
            Assert.Equal(both.Nearest(q).Seconds, hit.Seconds, best * 1e-9 + 1e-9);
            Assert.False(nearest.SecondNearest(q).Found);
        }
        Assert.True(reached > 30, $"only {reached} of {queries.Count} queries reach a source");
    }

    [Fact]
    public void A_seed_starting_later_draws_the_band_of_the_remaining_time()
    {
        var walk = RealData.Puurs.For(Profile.Pedestrian);
        var origin = RandomSnaps(walk, 1, 5)[0];
        var plain = walk.Isochrones(origin, [480])[0];
        var delayed = walk.Isochrones([new IsochroneSeed(origin, 120)], [600])[0];
        Assert.True(plain.AreaSquareMeters > 10_000);
        Assert.Equal(plain.AreaSquareMeters, delayed.AreaSquareMeters, plain.AreaSquareMeters * 1e-6);
        Assert.Equal(plain.ReachedRoadMeters, delayed.ReachedRoadMeters, plain.ReachedRoadMeters * 1e-6);
        // Beyond the limit the seed draws nothing.
        Assert.True(walk.Isochrones([new IsochroneSeed(origin, 700)], [600])[0].Polygon.IsEmpty);
    }

    [Fact]
    public void A_population_callback_may_draw_another_isochrone_on_the_same_thread()
    {
        // The per-thread buffers are taken while a call draws: a nested call must neither see nor spoil them.
        var walk = RealData.Puurs.For(Profile.Pedestrian);
        var pair = RandomSnaps(walk, 2, 31);
        var plain = walk.Isochrones(pair[0], [300, 600, 900]);
        double nestedArea = walk.Isochrones(pair[1], [600])[0].AreaSquareMeters;
        var nested = walk.Isochrones(pair[0], [300, 600, 900], new IsochroneOptions
        {
            PopulationCallback = _ => walk.Isochrones(pair[1], [600])[0].AreaSquareMeters,
        });
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(plain[i].AreaSquareMeters, nested[i].AreaSquareMeters);
            Assert.True(plain[i].Polygon.EqualsExact(nested[i].Polygon));
            Assert.Equal(nestedArea, nested[i].Population);
        }
    }

    [Fact]
    public void Two_seeds_draw_the_union_of_their_own_bands()
    {
        var walk = RealData.Puurs.For(Profile.Pedestrian);
        var pair = RandomSnaps(walk, 2, 8);
        var a = walk.Isochrones(pair[0], [600])[0];
        var b = walk.Isochrones(pair[1], [600])[0];
        var both = walk.Isochrones([new IsochroneSeed(pair[0], 0), new IsochroneSeed(pair[1], 0)], [600])[0];
        var union = a.Polygon.Union(b.Polygon);
        // Same pieces, same grid up to its origin: the outlines agree to a fraction of a grid cell.
        Assert.Equal(union.Area, both.Polygon.Area, union.Area * 0.01);
        Assert.True(both.AreaSquareMeters <= a.AreaSquareMeters + b.AreaSquareMeters + 1);
    }

    [Fact]
    public void Travel_time_fields_match_searches_and_combine_by_percentile()
    {
        var walk = RealData.Puurs.For(Profile.Pedestrian);
        var origin = RandomSnaps(walk, 1, 21)[0];
        // Targets around the origin (±2 km), most of them within the field's hour and a half of walking.
        var rng = new Random(22);
        var snaps = Enumerable.Range(0, 60)
            .Select(_ => walk.Snap(new GeoPoint(origin.Point.Lon + (rng.NextDouble() - 0.5) * 0.06, origin.Point.Lat + (rng.NextDouble() - 0.5) * 0.036), 300))
            .Where(s => s.Found).Prepend(origin).ToList();
        var fields = new[] { 0.0, 60, 300 }.Select(start => walk.TravelTimes([new IsochroneSeed(origin, start)], 6000)).ToArray();
        var targets = snaps.Skip(1).ToList();
        var direct = walk.OneToMany(origin, targets, 6000);
        int finite = 0;
        for (int i = 0; i < targets.Count; i++)
        {
            double expected = direct.Seconds[i];
            Assert.Equal(double.IsPositiveInfinity(expected), double.IsPositiveInfinity(fields[0].SecondsTo(targets[i])));
            if (double.IsPositiveInfinity(expected)) continue;
            finite++;
            Assert.Equal(expected, fields[0].SecondsTo(targets[i]), 1e-6);
        }
        Assert.True(finite > 5, $"only {finite} of {targets.Count} targets reached");
        // The median of (t, t + 60, t + 300) is t + 60 everywhere: the field of the seed starting at 60.
        var median = TravelTimeField.Percentile(fields, 50);
        Assert.Equal(fields[1].ReachedNodeCount, median.ReachedNodeCount);
        foreach (var q in targets) Assert.Equal(fields[1].SecondsTo(q), median.SecondsTo(q));
        var fromMedian = walk.Isochrones(median, [900])[0];
        var fromSeed = walk.Isochrones([new IsochroneSeed(origin, 60)], [900])[0];
        Assert.Equal(fromSeed.AreaSquareMeters, fromMedian.AreaSquareMeters, fromSeed.AreaSquareMeters * 1e-9);
        // The same field object listed several times counts once per listing (departures that share one search).
        var mostlyEarly = TravelTimeField.Percentile([fields[0], fields[0], fields[0], fields[2]], 50);
        var mostlyLate = TravelTimeField.Percentile([fields[0], fields[2], fields[2], fields[2]], 50);
        foreach (var q in targets)
        {
            Assert.Equal(fields[0].SecondsTo(q), mostlyEarly.SecondsTo(q));
            Assert.Equal(fields[2].SecondsTo(q), mostlyLate.SecondsTo(q));
        }
        // A field cannot draw beyond the time it was computed for.
        Assert.Throws<ArgumentException>(() => walk.Isochrones(median, [6100]));
        Assert.Throws<ArgumentOutOfRangeException>(() => TravelTimeField.Percentile(fields, 0));
    }
}
