using ServiceReach.Transit.Model;

namespace ServiceReach.Transit.Routing;

/// <summary>A stop reached from the origin (access) or leading to the destination (egress) after <see cref="Seconds"/> of walking.</summary>
public readonly record struct StopAccess(int Stop, int Seconds);

/// <summary>Called once per departure time of a range query, latest first, with the earliest arrival at every stop (<see cref="Raptor.Unreachable"/> if none).</summary>
public delegate void RangeCallback(int departureSeconds, ReadOnlySpan<int> earliestArrivals);

/// <summary>
/// RAPTOR (Delling, Pajor, Werneck 2012): round k scans the route patterns touched by stops improved in round k−1,
/// so round k holds the best arrivals using at most k vehicles; footpaths are relaxed after each round (not chained).
/// The range variant (rRAPTOR) runs departures from the latest to the earliest, keeping labels between runs: a label
/// from a later departure stays valid for an earlier one (one can wait), so each run only explores improvements.
/// A router owns its working arrays: use one per thread.
/// </summary>
public sealed class Raptor
{
    public const int Unreachable = int.MaxValue;

    private readonly Timetable _tt;
    private readonly int _rounds;
    private readonly int _stopCount;
    private readonly int[] _arrival;   // [(round)*S + stop]: earliest arrival with ≤ round vehicles
    private readonly int[] _ready;     // [(round)*S + stop]: earliest time one can board a vehicle there after that round
    private readonly int[] _rideArrival; // [(round)*S + stop]: earliest arrival by vehicle (walks start only from these)
    private readonly int[] _best;      // earliest arrival over all rounds
    private readonly int[] _markedStops;
    private readonly bool[] _isMarked;
    private int _markedCount;
    private readonly int[] _patternFrom;   // earliest marked position per queued pattern, -1 when not queued
    private readonly int[] _queuedPatterns;
    private readonly int[] _footStops;    // stops whose ride arrival improved in the current round
    private readonly bool[] _isFootMarked;
    private int _footCount;
    private readonly int[] _readyBefore;  // ready time of a marked stop before this round lowered it

    public Timetable Timetable => _tt;

    /// <summary>
    /// Whether one footpath may follow the access (true for stop-to-stop queries). Door-to-door queries turn it off:
    /// their access walks already reach every stop within walking distance.
    /// </summary>
    public bool FootpathAfterAccess { get; set; } = true;
    public int MaxTransfers => _rounds - 1;

    public Raptor(Timetable timetable, int maxTransfers = 8)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxTransfers);
        _tt = timetable;
        _rounds = maxTransfers + 1;
        _stopCount = timetable.StopCount;
        _arrival = new int[(_rounds + 1) * _stopCount];
        _ready = new int[(_rounds + 1) * _stopCount];
        _best = new int[_stopCount];
        _markedStops = new int[_stopCount];
        _isMarked = new bool[_stopCount];
        _patternFrom = new int[timetable.PatternCount];
        _queuedPatterns = new int[timetable.PatternCount];
        _rideArrival = new int[(_rounds + 1) * _stopCount];
        _footStops = new int[_stopCount];
        _isFootMarked = new bool[_stopCount];
        _readyBefore = new int[_stopCount];
        Array.Fill(_patternFrom, -1);
        Reset();
    }

    /// <summary>Earliest arrival at every stop (seconds after midnight; <see cref="Unreachable"/> if none), valid until the next query.</summary>
    public ReadOnlySpan<int> EarliestArrivals => _best;

    /// <summary>Earliest arrival at <paramref name="stop"/> using at most <paramref name="maxVehicles"/> vehicles.</summary>
    public int ArrivalWithVehicles(int stop, int maxVehicles) => _arrival[Math.Min(maxVehicles, _rounds) * _stopCount + stop];

    /// <summary>One earliest-arrival query: leave the origin(s) at <paramref name="departureSeconds"/> plus each access walk.</summary>
    public ReadOnlySpan<int> Run(ReadOnlySpan<StopAccess> access, int departureSeconds)
    {
        Reset();
        RunKeepingLabels(access, departureSeconds);
        return _best;
    }

    /// <summary>Earliest arrival at <paramref name="to"/> leaving <paramref name="from"/> at <paramref name="departureSeconds"/>.</summary>
    public int EarliestArrival(int from, int to, int departureSeconds)
    {
        Span<StopAccess> access = [new StopAccess(from, 0)];
        return Run(access, departureSeconds)[to];
    }

    /// <summary>
    /// Range query: departures <paramref name="windowStart"/>, +step, … &lt; <paramref name="windowEnd"/>, processed latest first
    /// with labels kept between departures. <paramref name="onDeparture"/> sees the earliest arrivals for each departure.
    /// </summary>
    public void RunRange(ReadOnlySpan<StopAccess> access, int windowStart, int windowEnd, int stepSeconds, RangeCallback onDeparture)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stepSeconds);
        Reset();
        int count = (windowEnd - windowStart + stepSeconds - 1) / stepSeconds;
        for (int i = count - 1; i >= 0; i--)
        {
            int departure = windowStart + i * stepSeconds;
            RunKeepingLabels(access, departure);
            onDeparture(departure, _best);
        }
    }

    private void Reset()
    {
        Array.Fill(_arrival, Unreachable);
        Array.Fill(_ready, Unreachable);
        Array.Fill(_rideArrival, Unreachable);
        Array.Fill(_best, Unreachable);
    }

    private void FootMark(int stop)
    {
        if (_isFootMarked[stop]) return;
        _isFootMarked[stop] = true;
        _footStops[_footCount++] = stop;
    }

    /// <summary>
    /// Lowers a label of <paramref name="round"/> and of every later round still above it, keeping labels monotone over rounds
    /// (round k always holds the best with at most k vehicles) without copying whole rounds. True when the round's label improved.
    /// </summary>
    private bool Lower(int[] labels, int round, int stop, int value)
    {
        int i = round * _stopCount + stop;
        if (value >= labels[i]) return false;
        labels[i] = value;
        for (int k = round + 1; k <= _rounds; k++)
        {
            i += _stopCount;
            if (value >= labels[i]) break;
            labels[i] = value;
        }
        return true;
    }

    /// <summary>Marks a stop whose ready time drops from <paramref name="readyBefore"/> (kept from the first drop of the round).</summary>
    private void Mark(int stop, int readyBefore)
    {
        if (_isMarked[stop]) return;
        _isMarked[stop] = true;
        _readyBefore[stop] = readyBefore;
        _markedStops[_markedCount++] = stop;
    }

    private void RunKeepingLabels(ReadOnlySpan<StopAccess> access, int departure)
    {
        int S = _stopCount;
        _markedCount = 0;
        _footCount = 0;
        // Round 0: be at the access stops; from there one may still take one footpath (as after a ride).
        foreach (var a in access)
        {
            int t = departure + a.Seconds;
            int before = _ready[a.Stop];
            if (Lower(_ready, 0, a.Stop, t)) Mark(a.Stop, before);
            if (Lower(_arrival, 0, a.Stop, t) && t < _best[a.Stop]) _best[a.Stop] = t;
            if (FootpathAfterAccess && Lower(_rideArrival, 0, a.Stop, t)) FootMark(a.Stop);
        }
        RelaxFootpaths(0);

        var patternStopStart = _tt.PatternStopStart;
        var patternStops = _tt.PatternStops;
        var canBoard = _tt.PatternCanBoard;
        var canAlight = _tt.PatternCanAlight;
        var patternTripStart = _tt.PatternTripStart;
        var tripTimeStart = _tt.TripTimeStart;
        var arrivals = _tt.Arrivals;
        var departures = _tt.Departures;
        var minChange = _tt.MinChangeSeconds;

        for (int k = 1; k <= _rounds && _markedCount > 0; k++)
        {
            int prev = (k - 1) * S, cur = k * S;
            // Queue patterns through the marked stops, from the earliest marked position. A pattern is only worth scanning
            // from a stop if one of its trips leaves there between the new ready time and the one before it: otherwise the
            // same trip was already boarded there with the earlier label (in an earlier round or departure), and everything
            // it leads to is already recorded.
            int queued = 0;
            for (int m = 0; m < _markedCount; m++)
            {
                int stop = _markedStops[m];
                _isMarked[stop] = false;
                int readyNow = _ready[prev + stop], readyBefore = _readyBefore[stop];
                for (int j = _tt.StopPatternStart[stop]; j < _tt.StopPatternStart[stop + 1]; j++)
                {
                    int p = _tt.StopPatterns[j], pos = _tt.StopPatternPositions[j];
                    if (!canBoard[patternStopStart[p] + pos]) continue;
                    if (readyBefore != Unreachable)
                    {
                        int lo = patternTripStart[p], hi = patternTripStart[p + 1];
                        while (lo < hi)
                        {
                            int mid = (lo + hi) >>> 1;
                            if (departures[tripTimeStart[mid] + pos] >= readyNow) hi = mid; else lo = mid + 1;
                        }
                        if (lo == patternTripStart[p + 1] || departures[tripTimeStart[lo] + pos] >= readyBefore) continue;
                    }
                    int current = _patternFrom[p];
                    if (current < 0) { _patternFrom[p] = pos; _queuedPatterns[queued++] = p; }
                    else if (pos < current) _patternFrom[p] = pos;
                }
            }
            _markedCount = 0;

            for (int q = 0; q < queued; q++)
            {
                int p = _queuedPatterns[q];
                int from = _patternFrom[p];
                _patternFrom[p] = -1;
                int stopBase = patternStopStart[p];
                int stopCount = patternStopStart[p + 1] - stopBase;
                int firstTrip = patternTripStart[p], endTrip = patternTripStart[p + 1];
                int trip = -1, timeBase = 0;
                for (int i = from; i < stopCount; i++)
                {
                    int stop = patternStops[stopBase + i];
                    if (trip >= 0 && canAlight[stopBase + i])
                    {
                        int a = arrivals[timeBase + i];
                        if (a < _rideArrival[cur + stop])
                        {
                            Lower(_rideArrival, k, stop, a);
                            FootMark(stop);
                            if (Lower(_arrival, k, stop, a) && a < _best[stop]) _best[stop] = a;
                            int before = _ready[cur + stop];
                            if (Lower(_ready, k, stop, a + minChange[stop])) Mark(stop, before);
                        }
                    }
                    if (!canBoard[stopBase + i]) continue;
                    int readyAt = _ready[prev + stop];
                    if (readyAt == Unreachable) continue;
                    if (trip >= 0)
                    {
                        if (readyAt > departures[timeBase + i]) continue;
                        // An earlier trip of this pattern may be catchable here.
                        while (trip > firstTrip && departures[tripTimeStart[trip - 1] + i] >= readyAt) trip--;
                    }
                    else
                    {
                        // Binary search for the first trip departing at or after readyAt (trips are FIFO).
                        int lo = firstTrip, hi = endTrip;
                        while (lo < hi)
                        {
                            int mid = (lo + hi) >>> 1;
                            if (departures[tripTimeStart[mid] + i] >= readyAt) hi = mid; else lo = mid + 1;
                        }
                        if (lo == endTrip) continue;
                        trip = lo;
                    }
                    timeBase = tripTimeStart[trip];
                }
            }
            RelaxFootpaths(k);
        }
        for (int m = 0; m < _markedCount; m++) _isMarked[_markedStops[m]] = false;
        _markedCount = 0;
    }

    /// <summary>Walk from every stop whose ride arrival improved in this round to its neighbours (one footpath, never two in a row).</summary>
    private void RelaxFootpaths(int round)
    {
        int cur = round * _stopCount;
        var start = _tt.FootpathStart;
        var to = _tt.FootpathTo;
        var seconds = _tt.FootpathSeconds;
        for (int m = 0; m < _footCount; m++)
        {
            int s = _footStops[m];
            _isFootMarked[s] = false;
            int a = _rideArrival[cur + s];
            for (int j = start[s]; j < start[s + 1]; j++)
            {
                int t = to[j];
                int c = a + seconds[j];
                if (Lower(_arrival, round, t, c) && c < _best[t]) _best[t] = c;
                int before = _ready[cur + t];
                if (Lower(_ready, round, t, c)) Mark(t, before);
            }
        }
        _footCount = 0;
    }
}
