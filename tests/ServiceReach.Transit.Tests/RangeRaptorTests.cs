using ServiceReach.Transit.Analysis;
using ServiceReach.Transit.Gtfs;
using ServiceReach.Transit.Model;
using ServiceReach.Transit.Routing;
using ServiceReach.Transit.Walking;

namespace ServiceReach.Transit.Tests;

public class RangeRaptorTests
{
    [Fact]
    public void Range_raptor_on_rnv_equals_an_independent_run_for_every_minute_and_stop()
    {
        var feed = RealFeeds.Rnv();
        var tt = TimetableBuilder.Build(feed, RealFeeds.RnvDate, new TimetableOptions { Walking = new StraightLineWalking(), MaxTransferWalkSeconds = 300 });
        var random = new Random(7);
        var range = new Raptor(tt, maxTransfers: 5);
        var single = new Raptor(tt, maxTransfers: 5);
        for (int o = 0; o < 3; o++)
        {
            int origin = random.Next(tt.StopCount);
            StopAccess[] access = [new StopAccess(origin, 0)];
            int compared = 0, reached = 0;
            range.RunRange(access, 7 * 3600, 9 * 3600, 60, (departure, arrivals) =>
            {
                var expected = single.Run(access, departure);
                for (int s = 0; s < tt.StopCount; s++)
                {
                    if (expected[s] != arrivals[s]) Assert.Fail($"origin {tt.Stops[origin].Id}, departure {Timetable.FormatTime(departure)}, stop {tt.Stops[s].Id}: range {arrivals[s]}, single {expected[s]}");
                    if (expected[s] != Raptor.Unreachable) reached++;
                }
                compared++;
            });
            Assert.Equal(120, compared);
            Assert.True(reached > 120 * 500, $"origin {tt.Stops[origin].Id} reaches only {reached / 120} stops per departure");
        }
    }

    [Fact]
    public void Door_to_door_on_rnv_equals_per_minute_runs_with_access_and_egress()
    {
        var feed = RealFeeds.Rnv();
        var walking = new StraightLineWalking();
        var tt = TimetableBuilder.Build(feed, RealFeeds.RnvDate, new TimetableOptions { Walking = walking, MaxTransferWalkSeconds = 300 });
        var random = new Random(11);
        GeoPoint Near(int stop) => new(tt.Stops[stop].Location.Latitude + 0.001, tt.Stops[stop].Location.Longitude);   // ~111 m north
        var origins = Enumerable.Range(0, 3).Select(_ => Near(random.Next(tt.StopCount))).ToList();
        var destinations = Enumerable.Range(0, 4).Select(_ => Near(random.Next(tt.StopCount))).ToList();
        var options = new DoorToDoorOptions { WindowStart = 7 * 3600, WindowEnd = 8 * 3600, MaxTransfers = 4 };
        var result = new DoorToDoorAnalysis(tt, walking, options).NearestDestination(origins[0], destinations);
        var all = new DoorToDoorAnalysis(tt, walking, options).NearestByCategory(origins, new Dictionary<string, IReadOnlyList<GeoPoint>> { ["x"] = destinations })["x"];
        Assert.Equal(result.SecondsPerDeparture, all[0].SecondsPerDeparture);

        // Expected: one plain RAPTOR run per minute, then the best stop + egress walk, or the direct walk.
        var stopLocations = Enumerable.Range(0, tt.StopCount).Select(s => tt.StopPatternStart[s + 1] > tt.StopPatternStart[s] ? tt.Stops[s].Location : new GeoPoint(double.NaN, double.NaN)).ToList();
        var raptor = new Raptor(tt, 4) { FootpathAfterAccess = false };
        int reachable = 0;
        for (int o = 0; o < origins.Count; o++)
        {
            var access = walking.WalkFromPoint(origins[o], stopLocations, 900).Select(l => new StopAccess(l.Target, l.Seconds)).ToArray();
            var egress = destinations.SelectMany(d => walking.WalkFromPoint(d, stopLocations, 900)).ToList();
            int direct = walking.WalkFromPoint(origins[o], destinations, 900).Select(l => l.Seconds).DefaultIfEmpty(TravelTimeDistribution.Unreachable).Min();
            for (int i = 0; i < 60; i++)
            {
                int departure = 7 * 3600 + 60 * i;
                var arrivals = raptor.Run(access, departure);
                int best = direct;
                foreach (var e in egress)
                {
                    if (arrivals[e.Target] != Raptor.Unreachable) best = Math.Min(best, arrivals[e.Target] + e.Seconds - departure);
                }
                if (best > options.MaxTravelSeconds) best = TravelTimeDistribution.Unreachable;
                Assert.Equal(best, all[o].SecondsPerDeparture[i]);
                if (best != TravelTimeDistribution.Unreachable) reachable++;
            }
        }
        Assert.True(reachable > 100, $"only {reachable} of 180 origin-minutes reach a destination");
    }
}
