using ServiceReach.Transit.Analysis;
using ServiceReach.Transit.Gtfs;
using ServiceReach.Transit.Model;
using ServiceReach.Transit.Walking;

namespace ServiceReach.Transit.Scenarios;

/// <summary>A stop of a new line: an existing stop (by id) or a new one at a point.</summary>
public sealed record NewLineStop(string? ExistingStopId = null, GeoPoint? Location = null, string? Name = null)
{
    public static NewLineStop Existing(string stopId) => new(ExistingStopId: stopId);
    public static NewLineStop At(GeoPoint location, string name) => new(Location: location, Name: name);
}

/// <summary>
/// A planned line: vehicles leave the first stop every <see cref="HeadwaySeconds"/> from <see cref="FirstDeparture"/> up to and including
/// <see cref="LastDeparture"/>; running time between stops = straight-line distance × <see cref="DetourFactor"/> at <see cref="SpeedKmh"/>,
/// plus <see cref="DwellSeconds"/> at each intermediate stop. With <see cref="BothDirections"/> the same runs go back.
/// </summary>
public sealed record NewLine(string RouteId, string Name, IReadOnlyList<NewLineStop> Stops, int HeadwaySeconds, double SpeedKmh,
    int FirstDeparture, int LastDeparture, int DwellSeconds = 0, bool BothDirections = true, double DetourFactor = 1.3, int RouteType = 3);

/// <summary>
/// A planner's change to a timetable, built by chaining edits on the base; <see cref="Build"/> gives a new timetable to analyse
/// with the same tools as the base, and <see cref="ScenarioComparison"/> reports the differences.
/// </summary>
public sealed class TransitScenario
{
    private readonly Timetable _base;
    private readonly List<TripInstance> _trips;
    private readonly List<TransitStop> _stops;
    private readonly List<TransitRoute> _routes;
    private readonly List<Footpath> _footpaths;
    private readonly IWalkingAccess? _walking;
    private readonly int _maxTransferWalkSeconds;
    private int _generated;

    /// <param name="walking">Walking for footpaths between new stops and the others (none when null).</param>
    public TransitScenario(Timetable baseTimetable, IWalkingAccess? walking = null, int maxTransferWalkSeconds = 900)
    {
        _base = baseTimetable;
        _trips = [.. baseTimetable.Trips];
        _stops = [.. baseTimetable.Stops];
        _routes = [.. baseTimetable.Routes];
        _footpaths = [.. baseTimetable.FootpathList];
        _walking = walking;
        _maxTransferWalkSeconds = maxTransferWalkSeconds;
    }

    public Timetable Base => _base;

    private int RequireRoute(string routeId)
    {
        for (int r = 0; r < _routes.Count; r++) if (_routes[r].Id == routeId) return r;
        throw new KeyNotFoundException($"route {routeId} is not in the timetable");
    }

    /// <summary>
    /// Multiplies every headway of a route by <paramref name="factor"/> (0.5 = twice as many runs) over the same service span:
    /// per stop sequence, new runs start at the first original start and follow each other by factor × the local original headway;
    /// each copies the running times of the latest original run that started at or before it.
    /// </summary>
    public TransitScenario ScaleHeadways(string routeId, double factor)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(factor);
        int route = RequireRoute(routeId);
        var groups = _trips.Where(t => t.RouteIndex == route).GroupBy(t => string.Join(",", t.Stops)).ToList();
        _trips.RemoveAll(t => t.RouteIndex == route);
        foreach (var group in groups)
        {
            var originals = group.OrderBy(t => t.Departures[0]).ThenBy(t => t.TripId, StringComparer.Ordinal).ToList();
            if (originals.Count == 1)
            {
                _trips.Add(originals[0]);
                continue;
            }
            int first = originals[0].Departures[0], last = originals[^1].Departures[0];
            double time = first;
            int template = 0;
            while (time <= last + 1e-9)
            {
                while (template + 1 < originals.Count && originals[template + 1].Departures[0] <= time + 1e-9) template++;
                int start = (int)Math.Round(time);
                var source = originals[template];
                _trips.Add(source.Shifted(start - source.Departures[0], $"{source.TripId}#x{factor:0.###}@{Timetable.FormatTime(start)}"));
                // The local headway: gap to the next original run (the last gap for runs after the last original).
                int next = Math.Min(template + 1, originals.Count - 1);
                int previous = next == template ? template - 1 : template;
                double headway = originals[next].Departures[0] - originals[previous].Departures[0];
                if (headway <= 0) headway = 60;
                time += headway * factor;
            }
        }
        return this;
    }

    /// <summary>Removes every run of a route.</summary>
    public TransitScenario RemoveRoute(string routeId)
    {
        int route = RequireRoute(routeId);
        _trips.RemoveAll(t => t.RouteIndex == route);
        return this;
    }

    /// <summary>Closes stops: runs pass without stopping (runs left with fewer than two stops disappear); footpaths to/from them go.</summary>
    public TransitScenario RemoveStops(params string[] stopIds)
    {
        var removed = stopIds.Select(id => _base.FindStop(id) ?? FindNewStop(id) ?? throw new KeyNotFoundException($"stop {id} is not in the timetable")).ToHashSet();
        for (int k = _trips.Count - 1; k >= 0; k--)
        {
            var t = _trips[k];
            if (!t.Stops.Any(removed.Contains)) continue;
            var keep = Enumerable.Range(0, t.Stops.Length).Where(i => !removed.Contains(t.Stops[i])).ToArray();
            if (keep.Length < 2) { _trips.RemoveAt(k); continue; }
            var canBoard = keep.Select(i => t.CanBoard[i]).ToArray();
            var canAlight = keep.Select(i => t.CanAlight[i]).ToArray();
            canBoard[^1] = false;
            canAlight[0] = false;
            _trips[k] = new TripInstance
            {
                TripId = t.TripId, RouteIndex = t.RouteIndex, Stops = keep.Select(i => t.Stops[i]).ToArray(),
                Arrivals = keep.Select(i => t.Arrivals[i]).ToArray(), Departures = keep.Select(i => t.Departures[i]).ToArray(),
                CanBoard = canBoard, CanAlight = canAlight,
            };
        }
        _footpaths.RemoveAll(f => removed.Contains(f.FromStop) || removed.Contains(f.ToStop));
        return this;
    }

    private int? FindNewStop(string id)
    {
        for (int s = _base.StopCount; s < _stops.Count; s++) if (_stops[s].Id == id) return s;
        return null;
    }

    /// <summary>Adds a line with a fixed headway and running speed (see <see cref="NewLine"/>).</summary>
    public TransitScenario AddLine(NewLine line)
    {
        if (line.Stops.Count < 2) throw new ArgumentException($"line {line.RouteId} needs at least two stops");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(line.HeadwaySeconds);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(line.SpeedKmh);
        if (_routes.Any(r => r.Id == line.RouteId)) throw new ArgumentException($"route {line.RouteId} already exists");
        int route = _routes.Count;
        _routes.Add(new TransitRoute(line.RouteId, line.RouteId, line.Name, line.RouteType));
        var stops = new int[line.Stops.Count];
        for (int i = 0; i < stops.Length; i++)
        {
            var s = line.Stops[i];
            if (s.ExistingStopId is not null)
            {
                stops[i] = _base.FindStop(s.ExistingStopId) ?? FindNewStop(s.ExistingStopId) ?? throw new KeyNotFoundException($"line {line.RouteId}: stop {s.ExistingStopId} is not in the timetable");
            }
            else if (s.Location is { } location)
            {
                stops[i] = AddStop($"{line.RouteId}:new{i + 1}", s.Name ?? $"{line.Name} stop {i + 1}", location);
            }
            else throw new ArgumentException($"line {line.RouteId}: stop {i + 1} needs an existing stop id or a location");
        }
        AddRuns(line, route, stops);
        if (line.BothDirections) AddRuns(line, route, [.. stops.Reverse()]);
        return this;
    }

    private void AddRuns(NewLine line, int route, int[] stops)
    {
        int n = stops.Length;
        var offsetsArrival = new int[n];
        var offsetsDeparture = new int[n];
        double metersPerSecond = line.SpeedKmh / 3.6;
        double clock = 0;
        for (int i = 0; i < n; i++)
        {
            if (i > 0) clock += _stops[stops[i - 1]].Location.DistanceMeters(_stops[stops[i]].Location) * line.DetourFactor / metersPerSecond;
            offsetsArrival[i] = (int)Math.Round(clock);
            if (i > 0 && i < n - 1) clock += line.DwellSeconds;
            offsetsDeparture[i] = (int)Math.Round(clock);
        }
        var canBoard = Enumerable.Range(0, n).Select(i => i < n - 1).ToArray();
        var canAlight = Enumerable.Range(0, n).Select(i => i > 0).ToArray();
        for (int start = line.FirstDeparture; start <= line.LastDeparture; start += line.HeadwaySeconds)
        {
            _trips.Add(new TripInstance
            {
                TripId = $"{line.RouteId}#{++_generated}@{Timetable.FormatTime(start)}", RouteIndex = route, Stops = stops,
                Arrivals = offsetsArrival.Select(o => o + start).ToArray(), Departures = offsetsDeparture.Select(o => o + start).ToArray(),
                CanBoard = canBoard, CanAlight = canAlight,
            });
        }
    }

    private int AddStop(string id, string name, GeoPoint location)
    {
        int index = _stops.Count;
        _stops.Add(new TransitStop(id, name, location, -1));
        if (_walking is not null)
        {
            var others = _stops.Select((s, i) => i == index || s.LocationType != 0 ? new GeoPoint(double.NaN, double.NaN) : s.Location).ToArray();
            foreach (var leg in _walking.WalkFromPoint(location, others, _maxTransferWalkSeconds))
            {
                _footpaths.Add(new Footpath(index, leg.Target, leg.Seconds));
                _footpaths.Add(new Footpath(leg.Target, index, leg.Seconds));
            }
        }
        return index;
    }

    /// <summary>The scenario's timetable (stop indices of the base stay the same; new stops come after them).</summary>
    public Timetable Build() => _base.With(trips: _trips, stops: _stops, routes: _routes, footpaths: _footpaths);
}

/// <summary>How one origin's travel-time percentiles change between the base and a scenario (seconds; negative = faster).</summary>
public sealed record DistributionChange(int OriginIndex, int BaseP5, int BaseP50, int BaseP95, int ScenarioP5, int ScenarioP50, int ScenarioP95, double BaseReachable, double ScenarioReachable)
{
    private static int? Delta(int b, int s) => b == TravelTimeDistribution.Unreachable || s == TravelTimeDistribution.Unreachable ? null : s - b;
    public int? DeltaP5 => Delta(BaseP5, ScenarioP5);
    public int? DeltaP50 => Delta(BaseP50, ScenarioP50);
    public int? DeltaP95 => Delta(BaseP95, ScenarioP95);
}

/// <summary>Side-by-side results of the base and a scenario.</summary>
public static class ScenarioComparison
{
    public static IReadOnlyList<DistributionChange> Compare(IReadOnlyList<TravelTimeDistribution> baseline, IReadOnlyList<TravelTimeDistribution> scenario)
    {
        if (baseline.Count != scenario.Count) throw new ArgumentException("the base and the scenario must cover the same origins");
        return baseline.Select((b, i) => new DistributionChange(i, b.P5, b.P50, b.P95, scenario[i].P5, scenario[i].P50, scenario[i].P95, b.ReachableShare, scenario[i].ReachableShare)).ToList();
    }

    /// <summary>Departures per hour per stop in a band, base vs scenario (scenario-only stops have base 0).</summary>
    public static IReadOnlyList<(int Stop, double Base, double Scenario)> CompareServiceLevel(Timetable baseline, Timetable scenario, TimeBand band)
    {
        var b = new ServiceLevel(baseline).DeparturesPerHour(band.Start, band.End);
        var s = new ServiceLevel(scenario).DeparturesPerHour(band.Start, band.End);
        return Enumerable.Range(0, s.Length).Select(i => (i, i < b.Length ? b[i] : 0, s[i])).Where(x => x.Item2 != x.Item3).ToList();
    }
}
