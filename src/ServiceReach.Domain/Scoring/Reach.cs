namespace ServiceReach.Domain.Scoring;

/// <summary>A place whose residents we measure: a kern centre or a population unit.</summary>
public sealed record Place(
    long Id,
    string Name,
    double Lon,
    double Lat,
    int Population,
    int Population65Plus,
    string? MunicipalityCode = null,
    bool Population65IsAssumed = false);

/// <summary>
/// How one place reaches one category by one mode: the nearest and second-nearest open service point,
/// and how many lie within the threshold. Times are seconds door to door; <see cref="double.PositiveInfinity"/> means
/// none within the search limit. For <see cref="Mode.BusWalk"/> the times are the median over the departure window,
/// with the 5th and 95th percentiles alongside.
/// </summary>
public sealed record Reach(
    Mode Mode,
    string Category,
    double Seconds,
    double Meters,
    long? NearestServiceId,
    long? NearestServiceKernId,
    double SecondSeconds,
    long? SecondServiceId,
    int CountWithinThreshold,
    double? P5Seconds = null,
    double? P95Seconds = null)
{
    public bool IsReachable => !double.IsPositiveInfinity(Seconds);

    public static Reach None(Mode mode, string category)
        => new(mode, category, double.PositiveInfinity, double.PositiveInfinity, null, null, double.PositiveInfinity, null, 0);
}

/// <summary>Reach of every place × category × mode, the table all scores are computed from.</summary>
public sealed class ReachTable
{
    private readonly Dictionary<(long Place, string Category, Mode Mode), Reach> _cells = new();

    public ReachTable(IReadOnlyList<Place> places, IReadOnlyList<string> categories, IReadOnlyList<Mode> modes)
    {
        Places = places;
        Categories = categories;
        Modes = modes;
    }

    public IReadOnlyList<Place> Places { get; }
    public IReadOnlyList<string> Categories { get; }
    public IReadOnlyList<Mode> Modes { get; }

    public void Set(long placeId, Reach reach) => _cells[(placeId, reach.Category, reach.Mode)] = reach;

    /// <summary>The reach, or <see cref="Reach.None"/> when it was not computed (mode absent, no services at all).</summary>
    public Reach Get(long placeId, string category, Mode mode)
        => _cells.TryGetValue((placeId, category, mode), out var r) ? r : Reach.None(mode, category);

    public bool Has(Mode mode) => Modes.Contains(mode);
}
