using ServiceReach.Transit.Gtfs;
using ServiceReach.Transit.Model;
using ServiceReach.Transit.Routing;

namespace ServiceReach.Transit.Tests;

/// <summary>
/// RAPTOR against a plain time-dependent Dijkstra written here, straight from the GTFS rows: its own service-day logic,
/// one edge per pair of consecutive stops holding every (departure, arrival) of the day, FIFO by a suffix minimum, and
/// walking edges between stops up to 5 minutes apart (own haversine, 4.8 km/h). As in RAPTOR, a walk must be followed by a
/// ride (no two walks in a row): the state is (stop, arrived on foot).
/// </summary>
public class DijkstraOracleTests(ITestOutputHelper output)
{
    private sealed class TimeDependentGraph
    {
        // Edge e goes From[e] → To[e]; its connections sorted by departure with the best arrival among departures ≥ each.
        public readonly List<int> From = [], To = [];
        public readonly List<int[]> Departures = [], SuffixBestArrival = [];
        public readonly List<int>[] Outgoing;
        public readonly List<(int To, int Seconds)>[] Walks;

        public TimeDependentGraph(GtfsFeed feed, DateOnly date, int maxWalkSeconds)
        {
            Outgoing = new List<int>[feed.Stops.Count];
            Walks = new List<(int, int)>[feed.Stops.Count];
            for (int a = 0; a < Walks.Length; a++)
            {
                Walks[a] = [];
                for (int b = 0; b < Walks.Length; b++)
                {
                    if (a == b) continue;
                    int seconds = (int)Math.Round(Haversine(feed.Stops[a].Location, feed.Stops[b].Location) / (4.8 / 3.6));
                    if (seconds <= maxWalkSeconds) Walks[a].Add((b, seconds));
                }
            }
            for (int i = 0; i < Outgoing.Length; i++) Outgoing[i] = [];
            var today = Services(feed, date);
            var yesterday = Services(feed, date.AddDays(-1));
            var connections = new Dictionary<(int, int), List<(int Dep, int Arr)>>();
            foreach (var s in feed.Schedules)
            {
                var serviceId = feed.Trips[s.TripIndex].ServiceId;
                var shifts = new List<int>();
                if (today.Contains(serviceId)) shifts.Add(0);
                if (yesterday.Contains(serviceId) && s.ArrivalSeconds[^1] >= 86400) shifts.Add(-86400);
                foreach (var shift in shifts)
                {
                    for (int i = 0; i + 1 < s.StopIndices.Length; i++)
                    {
                        var key = (s.StopIndices[i], s.StopIndices[i + 1]);
                        if (!connections.TryGetValue(key, out var list)) connections[key] = list = [];
                        list.Add((s.DepartureSeconds[i] + shift, s.ArrivalSeconds[i + 1] + shift));
                    }
                }
            }
            foreach (var ((u, v), list) in connections)
            {
                if (u == v) continue;
                list.Sort();
                var deps = list.Select(c => c.Dep).ToArray();
                var best = new int[list.Count];
                int min = int.MaxValue;
                for (int i = list.Count - 1; i >= 0; i--) { min = Math.Min(min, list[i].Arr); best[i] = min; }
                Outgoing[u].Add(From.Count);
                From.Add(u); To.Add(v); Departures.Add(deps); SuffixBestArrival.Add(best);
            }
        }

        private static HashSet<string> Services(GtfsFeed feed, DateOnly date)
        {
            var set = new HashSet<string>();
            foreach (var c in feed.Calendars)
            {
                bool weekday = date.DayOfWeek switch
                {
                    DayOfWeek.Monday => c.Weekdays[1], DayOfWeek.Tuesday => c.Weekdays[2], DayOfWeek.Wednesday => c.Weekdays[3],
                    DayOfWeek.Thursday => c.Weekdays[4], DayOfWeek.Friday => c.Weekdays[5], DayOfWeek.Saturday => c.Weekdays[6], _ => c.Weekdays[0],
                };
                if (weekday && c.StartDate <= date && date <= c.EndDate) set.Add(c.ServiceId);
            }
            foreach (var d in feed.CalendarDates.Where(d => d.Date == date))
            {
                if (d.ExceptionType == 1) set.Add(d.ServiceId); else set.Remove(d.ServiceId);
            }
            return set;
        }

        private static double Haversine(GeoPoint a, GeoPoint b)
        {
            const double r = 6_371_008.8;
            double p1 = a.Latitude * Math.PI / 180, p2 = b.Latitude * Math.PI / 180;
            double dp = p2 - p1, dl = (b.Longitude - a.Longitude) * Math.PI / 180;
            double h = Math.Pow(Math.Sin(dp / 2), 2) + Math.Cos(p1) * Math.Cos(p2) * Math.Pow(Math.Sin(dl / 2), 2);
            return 2 * r * Math.Asin(Math.Sqrt(h));
        }

        public int EarliestArrival(int from, int to, int departure)
        {
            // Node = stop * 2 + (1 when arrived on foot).
            var dist = new Dictionary<int, int> { [from * 2] = departure };
            var done = new HashSet<int>();
            var queue = new PriorityQueue<int, int>();
            queue.Enqueue(from * 2, departure);
            void Relax(int node, int time)
            {
                if (!dist.TryGetValue(node, out var old) || time < old) { dist[node] = time; queue.Enqueue(node, time); }
            }
            while (queue.TryDequeue(out var node, out var t))
            {
                if (!done.Add(node)) continue;
                int u = node / 2;
                if (u == to) return t;
                if (node % 2 == 0)
                {
                    foreach (var (w, seconds) in Walks[u]) Relax(w * 2 + 1, t + seconds);
                }
                foreach (var e in Outgoing[u])
                {
                    int i = Array.BinarySearch(Departures[e], t);
                    if (i < 0) i = ~i;
                    else while (i > 0 && Departures[e][i - 1] == t) i--;
                    if (i >= Departures[e].Length) continue;
                    Relax(To[e] * 2, SuffixBestArrival[e][i]);
                }
            }
            return Raptor.Unreachable;
        }
    }

    [Fact]
    public void Raptor_equals_time_dependent_dijkstra_on_500_random_rnv_queries()
    {
        var feed = RealFeeds.Rnv();
        // The edge model lets a rider get off anywhere: valid only without pickup/drop-off restrictions, as in this feed.
        Assert.All(feed.Schedules, s => Assert.True(s.PickupTypes.All(p => p != 1) && s.DropOffTypes.All(p => p != 1)));
        Assert.Empty(feed.Transfers);
        Assert.Empty(feed.Frequencies);

        var date = RealFeeds.RnvDate;
        const int maxWalkSeconds = 300;
        var graph = new TimeDependentGraph(feed, date, maxWalkSeconds);
        var tt = TimetableBuilder.Build(feed, date, new TimetableOptions { Walking = new Walking.StraightLineWalking(), MaxTransferWalkSeconds = maxWalkSeconds });
        var raptor = new Raptor(tt, maxTransfers: 40);
        var servedStops = Enumerable.Range(0, tt.StopCount).Where(s => tt.StopPatternStart[s + 1] > tt.StopPatternStart[s]).ToArray();
        var random = new Random(20161115);
        int reachable = 0, withTransfer = 0;
        for (int q = 0; q < 500; q++)
        {
            int from = servedStops[random.Next(servedStops.Length)];
            int to = servedStops[random.Next(servedStops.Length)];
            int departure = random.Next(4 * 3600, 23 * 3600);
            int expected = graph.EarliestArrival(from, to, departure);
            int actual = raptor.EarliestArrival(from, to, departure);
            Assert.True(expected == actual, $"query {q}: {tt.Stops[from].Id} → {tt.Stops[to].Id} at {Timetable.FormatTime(departure)}: Dijkstra {Fmt(expected)}, RAPTOR {Fmt(actual)}");
            if (actual != Raptor.Unreachable)
            {
                reachable++;
                if (raptor.ArrivalWithVehicles(to, 1) > actual) withTransfer++;
            }
        }
        output.WriteLine($"{reachable} of 500 reachable, {withTransfer} of them need a transfer");
        Assert.True(reachable > 400, $"only {reachable} of 500 random queries reachable: the comparison would prove little");
        Assert.True(withTransfer > 200);
    }

    private static string Fmt(int t) => t == Raptor.Unreachable ? "unreachable" : Timetable.FormatTime(t);
}
