using ServiceReach.Domain;

namespace ServiceReach.Siting.Tests;

/// <summary>Buurtkar tours and the mobile schedule on the fictional demo region's street network.</summary>
public sealed class DemoTourTests(DemoRegionFixture fx) : IClassFixture<DemoRegionFixture>
{
    private static readonly string[] SmallKernen = ["Zavelhoek", "Eikenrode", "Duivenhoek", "Ooievaarshoek", "Lindeveld"];

    /// <summary>Checks every day of a plan against the working day, the stop durations, the windows and the travel table.</summary>
    private static void AssertFeasible(TourPlan plan, TourPlanner.TravelTable travel, IReadOnlyList<TourStop> stops, TourOptions o)
    {
        int Node(TourStop s) => stops.ToList().IndexOf(s) + 1;
        foreach (var d in plan.Days)
        {
            Assert.True(d.Leave >= o.DayStart, $"{d.Day}: leaves {d.Leave} before {o.DayStart}");
            Assert.True(d.Return <= o.DayEnd, $"{d.Day}: back {d.Return} after the working day ends at {o.DayEnd}");
            int prev = 0;
            var prevDeparture = d.Leave;
            foreach (var v in d.Visits)
            {
                int node = Node(v.Stop);
                var drive = TimeSpan.FromSeconds(Math.Ceiling(travel.Seconds[prev, node]));
                Assert.True(v.Arrival >= prevDeparture.Add(drive), $"{d.Day}: {v.Stop.Name} reached at {v.Arrival}, before {prevDeparture} + {drive}");
                Assert.Equal(v.Stop.Duration ?? o.StopDuration, v.Departure - v.Arrival);
                if (v.Stop.Earliest is { } e) Assert.True(v.Arrival >= e, $"{v.Stop.Name} arrives {v.Arrival} before its window opens at {e}");
                if (v.Stop.Latest is { } l) Assert.True(v.Arrival <= l, $"{v.Stop.Name} arrives {v.Arrival} after its window closes at {l}");
                prev = node;
                prevDeparture = v.Departure;
            }
            var back = TimeSpan.FromSeconds(Math.Ceiling(travel.Seconds[prev, 0]));
            Assert.True(d.Return >= prevDeparture.Add(back).Add(TimeSpan.FromSeconds(-1)));
            Assert.Equal(d.Visits.Count + 1, d.Legs.Count);
        }
        var visited = plan.Days.SelectMany(d => d.Visits).Select(v => v.Stop.Id).ToList();
        Assert.Equal(visited.Count, visited.Distinct().Count());   // at most once a week
        Assert.Equal(stops.Count, visited.Count + plan.Unserved.Count);
    }

    [Fact]
    public void Weekly_tour_serves_every_small_kern_within_the_working_day_and_windows()
    {
        var depot = fx.Stop("Heidebeek");
        var stops = SmallKernen.Select(n => n == "Eikenrode" ? fx.Stop(n, earliest: new TimeOnly(10, 0), latest: new TimeOnly(10, 30)) : fx.Stop(n)).ToList();
        var o = new TourOptions { Days = [DayOfWeek.Tuesday, DayOfWeek.Friday], DayStart = new(9, 0), DayEnd = new(12, 0) };
        var travel = TourPlanner.Travel(fx.Network, depot, stops, o);
        var plan = TourPlanner.Plan(travel, depot, stops, o);
        AssertFeasible(plan, travel, stops, o);
        // Five 45-min stops in two 3-hour days with short drives (the region is 8 × 6 km): all fit.
        Assert.Empty(plan.Unserved);
        Assert.Equal(SmallKernen.Sum(n => fx.Kern(n).Population), plan.ResidentsServed);
        var md = TourPlanner.Timetable(plan);
        Assert.Contains("Eikenrode", md);
        Assert.All(SitingLayers.Tour(plan).Where(f => (string)f.Attributes["kind"] == "leg"), f => Assert.True(f.Geometry.Length > 0));
    }

    [Fact]
    public void Tight_day_serves_the_most_weighted_residents_an_exhaustive_search_finds()
    {
        var depot = fx.Stop("Heidebeek");
        var stops = SmallKernen.Select(n => fx.Stop(n, duration: TimeSpan.FromMinutes(30))).ToList();
        var o = new TourOptions { Days = [DayOfWeek.Wednesday], DayStart = new(9, 0), DayEnd = new(10, 45) };
        var travel = TourPlanner.Travel(fx.Network, depot, stops, o);
        var plan = TourPlanner.Plan(travel, depot, stops, o);
        AssertFeasible(plan, travel, stops, o);

        // Oracle: every ordered subset, feasible when depot → stops → depot fits the day.
        double horizon = (o.DayEnd - o.DayStart).TotalSeconds, best = 0;
        void Search(List<int> route, double t, double value)
        {
            if (t + Math.Ceiling(travel.Seconds[route.Count == 0 ? 0 : route[^1], 0]) <= horizon) best = Math.Max(best, value);
            for (int s = 1; s <= stops.Count; s++)
            {
                if (route.Contains(s)) continue;
                double arrive = t + Math.Ceiling(travel.Seconds[route.Count == 0 ? 0 : route[^1], s]);
                double leave = arrive + 1800;
                if (leave > horizon) continue;
                route.Add(s);
                Search(route, leave, value + TourPlanner.Weighted(stops[s - 1], o));
                route.RemoveAt(route.Count - 1);
            }
        }
        Search([], 0, 0);
        Assert.NotEmpty(plan.Unserved);   // 105 min cannot hold five 30-min stops
        Assert.Equal(best, plan.WeightedServed, 6);
    }

    [Fact]
    public void Mobile_schedule_gives_each_kern_its_visits_on_spread_days()
    {
        var depot = fx.Stop("Heidebeek");
        var requests = SmallKernen.Select((n, i) => new MobileVisitRequest(fx.Stop(n, duration: TimeSpan.FromMinutes(60)), i < 2 ? 2 : 1)).ToList();
        var o = new TourOptions { DayStart = new(9, 0), DayEnd = new(13, 0) };
        var schedule = MobileScheduler.Plan(fx.Network, depot, requests, o);
        foreach (var r in requests)
        {
            var days = o.Days.Where(d => schedule.Assignment[d].Contains(r.Stop)).ToList();
            Assert.Equal(r.VisitsPerWeek, days.Count);
            for (int i = 1; i < days.Count; i++) Assert.True(days[i] - days[i - 1] >= 2, $"{r.Stop.Name} visited on consecutive days {days[i - 1]}, {days[i]}");
        }
        Assert.Empty(schedule.Routes.Unserved);
        foreach (var d in schedule.Routes.Days) Assert.True(d.Return <= o.DayEnd);
        Assert.Equal(requests.Sum(r => r.VisitsPerWeek), schedule.Routes.Days.Sum(d => d.Visits.Count));
    }
}
