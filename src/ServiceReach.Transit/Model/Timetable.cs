using System.Text;
using ServiceReach.Transit.Gtfs;

namespace ServiceReach.Transit.Model;

/// <summary>A stop of the timetable. <see cref="ParentIndex"/> is the parent station's stop index or -1.</summary>
public sealed record TransitStop(string Id, string Name, GeoPoint Location, int ParentIndex, int LocationType = 0);

public sealed record TransitRoute(string Id, string ShortName, string LongName, int RouteType);

/// <summary>
/// One vehicle run on the service day, as the builder and scenarios see it (before flattening).
/// Times are seconds after midnight of the service date (negative for the tail of a trip that started the day before).
/// </summary>
public sealed class TripInstance
{
    public required string TripId { get; init; }
    public required int RouteIndex { get; init; }
    public required int[] Stops { get; init; }
    public required int[] Arrivals { get; init; }
    public required int[] Departures { get; init; }
    public required bool[] CanBoard { get; init; }
    public required bool[] CanAlight { get; init; }

    public TripInstance Shifted(int seconds, string tripId) => new()
    {
        TripId = tripId, RouteIndex = RouteIndex, Stops = Stops, CanBoard = CanBoard, CanAlight = CanAlight,
        Arrivals = Array.ConvertAll(Arrivals, a => a + seconds), Departures = Array.ConvertAll(Departures, d => d + seconds),
    };
}

/// <summary>A walk (or a timed transfer from transfers.txt) from one stop to another, usable after alighting.</summary>
public readonly record struct Footpath(int FromStop, int ToStop, int Seconds);

/// <summary>
/// The timetable of one service day as flat arrays for RAPTOR: route patterns (trips with the same stop sequence and
/// boarding/alighting rules, split so that no trip overtakes another), trips sorted by departure, stop times, footpaths.
/// Stop indices equal those of the <see cref="GtfsFeed"/> it was built from.
/// </summary>
public sealed class Timetable
{
    /// <summary>Minimum change time that forbids changing vehicles at a stop (transfer_type 3 on the same stop).</summary>
    public const int NoChange = 1_000_000;

    public DateOnly ServiceDate { get; }
    public IReadOnlyList<TransitStop> Stops { get; }
    public IReadOnlyList<TransitRoute> Routes { get; }
    /// <summary>The trip instances the arrays were built from (inputs for scenarios).</summary>
    public IReadOnlyList<TripInstance> Trips { get; }
    public IReadOnlyList<Footpath> FootpathList { get; }

    public int StopCount => Stops.Count;
    public int PatternCount => PatternRoute.Length;
    public int TripCount => TripIds.Length;

    // Patterns.
    public int[] PatternRoute { get; }
    /// <summary>Pattern p's stops are PatternStops[PatternStopStart[p] .. PatternStopStart[p+1]).</summary>
    public int[] PatternStopStart { get; }
    public int[] PatternStops { get; }
    public bool[] PatternCanBoard { get; }
    public bool[] PatternCanAlight { get; }
    /// <summary>Pattern p's trips are the (sorted) trip indices PatternTripStart[p] .. PatternTripStart[p+1).</summary>
    public int[] PatternTripStart { get; }

    // Trips (sorted within each pattern by departure; FIFO at every stop).
    public string[] TripIds { get; }
    public int[] TripPattern { get; }
    /// <summary>Trip t's time at its i-th pattern stop is Arrivals/Departures[TripTimeStart[t] + i].</summary>
    public int[] TripTimeStart { get; }
    public int[] Arrivals { get; }
    public int[] Departures { get; }

    // Stop → (pattern, position) pairs.
    public int[] StopPatternStart { get; }

    /// <summary>Whether any pattern (so any vehicle) calls at the stop: only such stops are worth walking to.</summary>
    public bool IsServed(int stop) => StopPatternStart[stop + 1] > StopPatternStart[stop];
    public int[] StopPatterns { get; }
    public int[] StopPatternPositions { get; }

    // Footpaths (CSR by origin stop) and minimum change time when staying at a stop.
    public int[] FootpathStart { get; }
    public int[] FootpathTo { get; }
    public int[] FootpathSeconds { get; }
    public int[] MinChangeSeconds { get; }

    private readonly Dictionary<string, int> _stopIndex;
    private Timetable? _reversed;
    private readonly bool _isReversed;

    public Timetable(DateOnly serviceDate, IReadOnlyList<TransitStop> stops, IReadOnlyList<TransitRoute> routes,
        IReadOnlyList<TripInstance> trips, IReadOnlyList<Footpath> footpaths, int[] minChangeSeconds)
        : this(serviceDate, stops, routes, trips, footpaths, minChangeSeconds, false) { }

    private Timetable(DateOnly serviceDate, IReadOnlyList<TransitStop> stops, IReadOnlyList<TransitRoute> routes,
        IReadOnlyList<TripInstance> trips, IReadOnlyList<Footpath> footpaths, int[] minChangeSeconds, bool isReversed)
    {
        if (minChangeSeconds.Length != stops.Count) throw new ArgumentException("one minimum change time per stop is needed", nameof(minChangeSeconds));
        ServiceDate = serviceDate;
        Stops = stops;
        Routes = routes;
        Trips = trips;
        FootpathList = footpaths;
        MinChangeSeconds = minChangeSeconds;
        _isReversed = isReversed;
        _stopIndex = new Dictionary<string, int>(stops.Count, StringComparer.Ordinal);
        for (int i = 0; i < stops.Count; i++) _stopIndex.TryAdd(stops[i].Id, i);

        foreach (var t in trips) Validate(t, stops.Count, routes.Count);

        // Group trips by stop sequence + boarding rules.
        var groups = new Dictionary<string, List<TripInstance>>(StringComparer.Ordinal);
        var groupOrder = new List<string>();
        var key = new StringBuilder();
        foreach (var t in trips)
        {
            key.Clear();
            key.Append(t.RouteIndex).Append('|');
            for (int i = 0; i < t.Stops.Length; i++)
            {
                key.Append(t.Stops[i]).Append(t.CanBoard[i] ? 'b' : '-').Append(t.CanAlight[i] ? 'a' : '-').Append(',');
            }
            var k = key.ToString();
            if (!groups.TryGetValue(k, out var list)) { groups[k] = list = []; groupOrder.Add(k); }
            list.Add(t);
        }

        // Split each group into FIFO sub-patterns (a trip never overtakes an earlier one), as RAPTOR's trip search assumes.
        var patterns = new List<List<TripInstance>>();
        foreach (var k in groupOrder)
        {
            var list = groups[k];
            list.Sort(static (a, b) =>
            {
                int c = a.Departures[0].CompareTo(b.Departures[0]);
                if (c != 0) return c;
                c = a.Arrivals[^1].CompareTo(b.Arrivals[^1]);
                return c != 0 ? c : string.CompareOrdinal(a.TripId, b.TripId);
            });
            var subs = new List<List<TripInstance>>();
            foreach (var t in list)
            {
                List<TripInstance>? target = null;
                foreach (var sub in subs)
                {
                    if (NotBefore(t, sub[^1])) { target = sub; break; }
                }
                if (target is null) { target = []; subs.Add(target); }
                target.Add(t);
            }
            patterns.AddRange(subs);
        }

        int patternCount = patterns.Count;
        PatternRoute = new int[patternCount];
        PatternStopStart = new int[patternCount + 1];
        PatternTripStart = new int[patternCount + 1];
        int totalPatternStops = 0, totalTimes = 0;
        foreach (var p in patterns) { totalPatternStops += p[0].Stops.Length; totalTimes += p[0].Stops.Length * p.Count; }
        PatternStops = new int[totalPatternStops];
        PatternCanBoard = new bool[totalPatternStops];
        PatternCanAlight = new bool[totalPatternStops];
        TripIds = new string[trips.Count];
        TripPattern = new int[trips.Count];
        TripTimeStart = new int[trips.Count];
        Arrivals = new int[totalTimes];
        Departures = new int[totalTimes];
        int stopCursor = 0, tripCursor = 0, timeCursor = 0;
        for (int p = 0; p < patternCount; p++)
        {
            var first = patterns[p][0];
            PatternRoute[p] = first.RouteIndex;
            PatternStopStart[p] = stopCursor;
            PatternTripStart[p] = tripCursor;
            Array.Copy(first.Stops, 0, PatternStops, stopCursor, first.Stops.Length);
            Array.Copy(first.CanBoard, 0, PatternCanBoard, stopCursor, first.Stops.Length);
            Array.Copy(first.CanAlight, 0, PatternCanAlight, stopCursor, first.Stops.Length);
            stopCursor += first.Stops.Length;
            foreach (var t in patterns[p])
            {
                TripIds[tripCursor] = t.TripId;
                TripPattern[tripCursor] = p;
                TripTimeStart[tripCursor] = timeCursor;
                Array.Copy(t.Arrivals, 0, Arrivals, timeCursor, t.Stops.Length);
                Array.Copy(t.Departures, 0, Departures, timeCursor, t.Stops.Length);
                timeCursor += t.Stops.Length;
                tripCursor++;
            }
        }
        PatternStopStart[patternCount] = stopCursor;
        PatternTripStart[patternCount] = tripCursor;

        // Stop → pattern positions (CSR).
        StopPatternStart = new int[stops.Count + 1];
        for (int i = 0; i < totalPatternStops; i++) StopPatternStart[PatternStops[i] + 1]++;
        for (int s = 0; s < stops.Count; s++) StopPatternStart[s + 1] += StopPatternStart[s];
        StopPatterns = new int[totalPatternStops];
        StopPatternPositions = new int[totalPatternStops];
        var fill = (int[])StopPatternStart.Clone();
        for (int p = 0; p < patternCount; p++)
        {
            for (int i = PatternStopStart[p]; i < PatternStopStart[p + 1]; i++)
            {
                int s = PatternStops[i];
                StopPatterns[fill[s]] = p;
                StopPatternPositions[fill[s]] = i - PatternStopStart[p];
                fill[s]++;
            }
        }

        // Footpaths (CSR), keeping the fastest per pair.
        var best = new Dictionary<(int, int), int>();
        foreach (var f in footpaths)
        {
            if (f.FromStop == f.ToStop) continue;
            if ((uint)f.FromStop >= (uint)stops.Count || (uint)f.ToStop >= (uint)stops.Count || f.Seconds < 0)
                throw new ArgumentException($"footpath {f} names an unknown stop or has a negative time");
            if (!best.TryGetValue((f.FromStop, f.ToStop), out var s) || f.Seconds < s) best[(f.FromStop, f.ToStop)] = f.Seconds;
        }
        var sorted = best.OrderBy(kv => kv.Key.Item1).ThenBy(kv => kv.Key.Item2).ToList();
        FootpathStart = new int[stops.Count + 1];
        FootpathTo = new int[sorted.Count];
        FootpathSeconds = new int[sorted.Count];
        for (int i = 0; i < sorted.Count; i++)
        {
            FootpathStart[sorted[i].Key.Item1 + 1]++;
            FootpathTo[i] = sorted[i].Key.Item2;
            FootpathSeconds[i] = sorted[i].Value;
        }
        for (int s = 0; s < stops.Count; s++) FootpathStart[s + 1] += FootpathStart[s];
    }

    private static bool NotBefore(TripInstance later, TripInstance earlier)
    {
        for (int i = 0; i < later.Stops.Length; i++)
        {
            if (later.Arrivals[i] < earlier.Arrivals[i] || later.Departures[i] < earlier.Departures[i]) return false;
        }
        return true;
    }

    private static void Validate(TripInstance t, int stopCount, int routeCount)
    {
        int n = t.Stops.Length;
        if (n < 2 || t.Arrivals.Length != n || t.Departures.Length != n || t.CanBoard.Length != n || t.CanAlight.Length != n)
            throw new ArgumentException($"trip {t.TripId}: needs at least two stops and one time/flag per stop");
        if ((uint)t.RouteIndex >= (uint)routeCount) throw new ArgumentException($"trip {t.TripId}: unknown route index {t.RouteIndex}");
        for (int i = 0; i < n; i++)
        {
            if ((uint)t.Stops[i] >= (uint)stopCount) throw new ArgumentException($"trip {t.TripId}: unknown stop index {t.Stops[i]}");
            if (t.Departures[i] < t.Arrivals[i] || (i > 0 && t.Arrivals[i] < t.Departures[i - 1]))
                throw new ArgumentException($"trip {t.TripId}: times decrease at stop position {i}");
        }
    }

    public int? FindStop(string stopId) => _stopIndex.TryGetValue(stopId, out var i) ? i : null;

    public int RequireStop(string stopId) => FindStop(stopId) ?? throw new KeyNotFoundException($"stop {stopId} is not in the timetable");

    /// <summary>Stop indices to use for a stop id: the stop itself, or for a station all its child stops.</summary>
    public IReadOnlyList<int> StopsFor(string stopOrStationId)
    {
        int s = RequireStop(stopOrStationId);
        var children = new List<int>();
        for (int i = 0; i < Stops.Count; i++) if (Stops[i].ParentIndex == s) children.Add(i);
        if (children.Count == 0 || IsServed(s)) children.Insert(0, s);
        return children;
    }

    /// <summary>
    /// The same timetable with time running backwards (times negated, stop sequences reversed, footpaths reversed):
    /// an earliest-arrival query on it from the destination at −T answers "latest departure to arrive by T".
    /// </summary>
    public Timetable Reversed()
    {
        if (_reversed is not null) return _reversed;
        var trips = new TripInstance[Trips.Count];
        for (int k = 0; k < trips.Length; k++)
        {
            var t = Trips[k];
            int n = t.Stops.Length;
            var stops = new int[n];
            var arr = new int[n];
            var dep = new int[n];
            var board = new bool[n];
            var alight = new bool[n];
            for (int i = 0; i < n; i++)
            {
                int j = n - 1 - i;
                stops[i] = t.Stops[j];
                arr[i] = -t.Departures[j];
                dep[i] = -t.Arrivals[j];
                board[i] = t.CanAlight[j];
                alight[i] = t.CanBoard[j];
            }
            trips[k] = new TripInstance { TripId = t.TripId, RouteIndex = t.RouteIndex, Stops = stops, Arrivals = arr, Departures = dep, CanBoard = board, CanAlight = alight };
        }
        var footpaths = FootpathList.Select(f => new Footpath(f.ToStop, f.FromStop, f.Seconds)).ToList();
        var reversed = new Timetable(ServiceDate, Stops, Routes, trips, footpaths, MinChangeSeconds, !_isReversed) { _reversed = this };
        // Several threads may build it at once; all copies are equal, keep the first.
        return Interlocked.CompareExchange(ref _reversed, reversed, null) ?? reversed;
    }

    /// <summary>A copy with other trips, stops or footpaths (for scenarios); omitted arguments keep the current ones.</summary>
    public Timetable With(IReadOnlyList<TripInstance>? trips = null, IReadOnlyList<TransitStop>? stops = null,
        IReadOnlyList<TransitRoute>? routes = null, IReadOnlyList<Footpath>? footpaths = null, int[]? minChangeSeconds = null)
    {
        if (_isReversed) throw new InvalidOperationException("derive scenarios from the forward timetable");
        var s = stops ?? Stops;
        var change = minChangeSeconds ?? (s.Count == Stops.Count ? MinChangeSeconds : [.. MinChangeSeconds, .. new int[s.Count - Stops.Count]]);
        return new Timetable(ServiceDate, s, routes ?? Routes, trips ?? Trips, footpaths ?? FootpathList, change);
    }

    public static string FormatTime(int seconds)
    {
        int s = seconds;
        var sign = s < 0 ? "-" : "";
        s = Math.Abs(s);
        return $"{sign}{s / 3600:00}:{s / 60 % 60:00}:{s % 60:00}";
    }
}
