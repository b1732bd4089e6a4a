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
}
