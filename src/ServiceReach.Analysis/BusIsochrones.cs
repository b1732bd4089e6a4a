using ServiceReach.Routing;
using ServiceReach.Transit.Analysis;
using ServiceReach.Transit.Model;
using ServiceReach.Transit.Routing;

namespace ServiceReach.Analysis;

/// <summary>Settings of a bus+walk isochrone.</summary>
public sealed record BusIsochroneOptions
{
    /// <summary>Departure window (seconds after midnight, end exclusive); null = the context's window.</summary>
    public (int Start, int End)? Window { get; init; }
    /// <summary>Which percentile over the window's departures a place must be reached in (50 = on the typical departure).</summary>
    public double Percentile { get; init; } = 50;
    /// <summary>Buffer and population settings of the drawn bands.</summary>
    public IsochroneOptions? Drawing { get; init; }
}

/// <summary>
/// Bus+walk isochrones over a departure window, the way R5/Conveyal draw them: for every departure minute, walk to
/// the stops (street network), ride (range-RAPTOR over the one-day timetable), and walk on from every stop reached,
/// each with its own arrival time (a multi-seed street search); per street node the chosen percentile of the
/// departures' times is kept, and the bands are drawn from that field exactly like walking bands (reached road
/// pieces, buffered). Walking the whole way counts. Walking after the ride is bounded by the band's limit, not by
/// <see cref="DoorToDoorOptions.MaxEgressSeconds"/>: an isochrone shows everything reachable in the time.
/// </summary>
public sealed class BusIsochrones
{
    private readonly Timetable _timetable;
    private readonly Router _walk;
    private readonly DoorToDoorOptions _options;
    private readonly Lazy<(int[] Stops, SnapResult[] Snaps)> _servedStops;

    public BusIsochrones(Timetable timetable, StreetNetwork network, DoorToDoorOptions options)
    {
        _timetable = timetable;
        _walk = network.For(Profile.Pedestrian);
        _options = options;
        _servedStops = new Lazy<(int[], SnapResult[])>(SnapServedStops, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public BusIsochrones(BusContext context, StreetNetwork network) : this(context.Timetable, network, context.Options) { }

    /// <summary>The walking router the bands are drawn on.</summary>
    public Router Walking => _walk;

    /// <summary>Bands for <paramref name="limitsSeconds"/> from a point; empty bands when the point does not snap.</summary>
    public IReadOnlyList<IsochroneBand> Compute(GeoPoint origin, double[] limitsSeconds, BusIsochroneOptions? options = null)
    {
        options ??= new BusIsochroneOptions();
        var snapped = _walk.Snap(origin);
        return Compute(snapped, limitsSeconds, options);
    }

    /// <summary>Bands for <paramref name="limitsSeconds"/> from a snapped point of the walking network.</summary>
    public IReadOnlyList<IsochroneBand> Compute(SnapResult origin, double[] limitsSeconds, BusIsochroneOptions? options = null)
    {
        options ??= new BusIsochroneOptions();
        ArgumentNullException.ThrowIfNull(limitsSeconds);
        if (limitsSeconds.Length == 0) return [];
        double max = limitsSeconds.Max();
        if (!(max >= 0) || !double.IsFinite(max)) throw new ArgumentException("Limits must be finite, non-negative seconds.", nameof(limitsSeconds));
        var field = Field(origin, max, options);
        return _walk.Isochrones(field, limitsSeconds, options.Drawing);
    }

    /// <summary>The percentile travel-time field over the window (seconds from departure to every walking node).</summary>
    public TravelTimeField Field(SnapResult origin, double maxSeconds, BusIsochroneOptions? options = null)
    {
        options ??= new BusIsochroneOptions();
        if (!(options.Percentile > 0 && options.Percentile <= 100)) throw new ArgumentOutOfRangeException(nameof(options), "The percentile must be in (0, 100].");
        var (start, end) = options.Window ?? (_options.WindowStart, _options.WindowEnd);
        if (end <= start) throw new ArgumentException($"The departure window {BusContext.Hhmm(start)}–{BusContext.Hhmm(end)} is empty.", nameof(options));
        var walkOnly = _walk.TravelTimes([new IsochroneSeed(origin, 0)], maxSeconds);
        if (!origin.Found) return walkOnly;

        // Access: walking times from the origin to the served stops, within the access limit and the band.
        var (stops, stopSnaps) = _servedStops.Value;
        var access = new List<StopAccess>();
        double accessLimit = Math.Min(_options.MaxAccessSeconds, maxSeconds);
        var toStops = _walk.OneToMany(origin, stopSnaps, accessLimit);
        for (int i = 0; i < stops.Length; i++)
            if (toStops.Seconds[i] <= accessLimit) access.Add(new StopAccess(stops[i], (int)Math.Round(toStops.Seconds[i])));

        int step = _options.StepSeconds;
        int departures = (end - start + step - 1) / step;
        var fields = new TravelTimeField[departures];
        if (access.Count == 0)
        {
            // No stop within walking distance: every departure is the walk.
            Array.Fill(fields, walkOnly);
            return TravelTimeField.Percentile(fields, options.Percentile);
        }
        var raptor = new Raptor(_timetable, _options.MaxTransfers) { FootpathAfterAccess = false };
        var stopIndex = new Dictionary<int, int>(stops.Length);
        for (int i = 0; i < stops.Length; i++) stopIndex[stops[i]] = i;
        var seeds = new List<IsochroneSeed>();
        // The field of a departure depends only on the stop arrivals; consecutive minutes often share them
        // (same next bus, later start), so equal seed sets reuse one search.
        TravelTimeField? previous = null;
        List<IsochroneSeed>? previousSeeds = null;
        raptor.RunRange(access.ToArray(), start, end, step, (departure, arrivals) =>
        {
            seeds.Clear();
            seeds.Add(new IsochroneSeed(origin, 0));
            for (int i = 0; i < stops.Length; i++)
            {
                int a = arrivals[stops[i]];
                if (a == Raptor.Unreachable) continue;
                double after = a - departure;
                if (after <= maxSeconds) seeds.Add(new IsochroneSeed(stopSnaps[i], after));
            }
            TravelTimeField field;
            if (seeds.Count == 1) field = walkOnly;
            else if (previous is not null && previousSeeds is not null && SameSeeds(previousSeeds, seeds)) field = previous;
            else
            {
                field = _walk.TravelTimes(seeds, maxSeconds);
                previousSeeds = [.. seeds];
            }
            previous = field;
            fields[(departure - start) / step] = field;
        });
        return TravelTimeField.Percentile(fields, options.Percentile);
    }

    private static bool SameSeeds(List<IsochroneSeed> a, List<IsochroneSeed> b)
    {
        if (a.Count != b.Count) return false;
        for (int i = 0; i < a.Count; i++)
            if (!ReferenceEquals(a[i].Point, b[i].Point) || a[i].StartSeconds != b[i].StartSeconds) return false;
        return true;
    }

    private (int[] Stops, SnapResult[] Snaps) SnapServedStops()
    {
        // Only stops a vehicle serves are worth walking to; stops that do not snap to the walking network are left out.
        var stops = new List<int>();
        var points = new List<GeoPoint>();
        for (int s = 0; s < _timetable.StopCount; s++)
        {
            if (!_timetable.IsServed(s)) continue;
            var loc = _timetable.Stops[s].Location;
            stops.Add(s);
            points.Add(new GeoPoint(loc.Longitude, loc.Latitude));
        }
        var snaps = _walk.SnapMany(points, 300);
        var keptStops = new List<int>();
        var keptSnaps = new List<SnapResult>();
        for (int i = 0; i < stops.Count; i++)
        {
            if (!snaps[i].Found) continue;
            keptStops.Add(stops[i]);
            keptSnaps.Add(snaps[i]);
        }
        return (keptStops.ToArray(), keptSnaps.ToArray());
    }
}
