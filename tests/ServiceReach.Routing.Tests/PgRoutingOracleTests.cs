using Npgsql;
using NpgsqlTypes;
using ServiceReach.Testing;

namespace ServiceReach.Routing.Tests;

/// <summary>
/// pgRouting as an independent oracle: our own edges and costs go into a scratch PostGIS database and our search
/// results must equal pgr_dijkstraCost (≥ 1,000 pairs per profile) and pgr_drivingDistance (node sets).
/// </summary>
public class PgRoutingOracleTests
{
    /// <summary>Writes the profile's edges as pgRouting's (id, source, target, cost, reverse_cost); ids are 1-based, −1 = closed.</summary>
    internal static void WriteEdges(NpgsqlConnection conn, StreetNetwork net, string profile, string table)
    {
        int p = net.ProfileIndex(profile);
        var d = net.Data;
        using (var cmd = new NpgsqlCommand($"DROP TABLE IF EXISTS {table}; CREATE TABLE {table} (id bigint primary key, source bigint, target bigint, cost float8, reverse_cost float8)", conn))
            cmd.ExecuteNonQuery();
        using (var w = conn.BeginBinaryImport($"COPY {table} (id, source, target, cost, reverse_cost) FROM STDIN (FORMAT BINARY)"))
        {
            for (int e = 0; e < d.EdgeCount; e++)
            {
                float f = d.ForwardSeconds[p][e], b = d.BackwardSeconds[p][e];
                if (float.IsPositiveInfinity(f) && float.IsPositiveInfinity(b)) continue;
                w.StartRow();
                w.Write((long)e + 1, NpgsqlDbType.Bigint);
                w.Write((long)d.EdgeFrom[e] + 1, NpgsqlDbType.Bigint);
                w.Write((long)d.EdgeTo[e] + 1, NpgsqlDbType.Bigint);
                w.Write(float.IsPositiveInfinity(f) ? -1.0 : (double)f, NpgsqlDbType.Double);
                w.Write(float.IsPositiveInfinity(b) ? -1.0 : (double)b, NpgsqlDbType.Double);
            }
            w.Complete();
        }
    }

    [Theory]
    [InlineData("pedestrian")]
    [InlineData("bicycle")]
    public void Times_equal_pgr_dijkstra_and_reach_equals_pgr_drivingDistance(string profile)
    {
        var net = RealData.Puurs;
        var cs = PostGisServer.CreateScratchDatabase("routing_oracle", withPgRouting: true);
        try
        {
            using var conn = new NpgsqlConnection(cs);
            conn.Open();
            WriteEdges(conn, net, profile, "edges");
            var router = net.For(profile);
            var g = router.Graph;
            // Random nodes of the two bank components (seeded: the same pairs every run).
            var candidates = Enumerable.Range(0, net.NodeCount).Where(n => g.ComponentSize[g.Component[n]] > 500).ToArray();
            var rng = new Random(20261123);
            var origins = Enumerable.Range(0, 40).Select(_ => candidates[rng.Next(candidates.Length)]).Distinct().ToArray();
            var targets = Enumerable.Range(0, 30).Select(_ => candidates[rng.Next(candidates.Length)]).Distinct().ToArray();
            Assert.True(origins.Length * targets.Length >= 1000);

            var expected = new Dictionary<(int, int), double>();
            using (var cmd = new NpgsqlCommand(
                "SELECT start_vid, end_vid, agg_cost FROM pgr_dijkstraCost('SELECT id, source, target, cost, reverse_cost FROM edges', @s, @t, directed => true)", conn))
            {
                cmd.Parameters.AddWithValue("s", origins.Select(o => (long)o + 1).ToArray());
                cmd.Parameters.AddWithValue("t", targets.Select(t => (long)t + 1).ToArray());
                using var r = cmd.ExecuteReader();
                while (r.Read()) expected[((int)(r.GetInt64(0) - 1), (int)(r.GetInt64(1) - 1))] = r.GetDouble(2);
            }
            int compared = 0, reachable = 0;
            foreach (var o in origins)
            {
                var all = router.OneToAllFromNode(o, double.PositiveInfinity);
                foreach (var t in targets)
                {
                    double ours = all.SecondsAtNode(t);
                    if (o == t) { Assert.Equal(0, ours); compared++; continue; }
                    if (expected.TryGetValue((o, t), out var pg))
                    {
                        Assert.True(Math.Abs(ours - pg) <= 1e-9 * Math.Max(1, pg), $"{profile} {o}→{t}: ours {ours:R} s, pgr_dijkstra {pg:R} s");
                        reachable++;
                    }
                    else
                    {
                        Assert.True(double.IsPositiveInfinity(ours), $"{profile} {o}→{t}: ours {ours} s, pgRouting finds no path");
                    }
                    compared++;
                }
            }
            Assert.True(compared >= 1000);
            Assert.True(reachable >= 300, $"only {reachable} reachable pairs");

            // Bounded one-to-all: node sets equal pgr_drivingDistance.
            foreach (var o in origins.Take(6))
            {
                const double limit = 617.3;
                var ours = router.OneToAllFromNode(o, limit).NodeIds.ToArray().Select(n => (long)n + 1).Order().ToArray();
                using var cmd = new NpgsqlCommand(
                    "SELECT node FROM pgr_drivingDistance('SELECT id, source, target, cost, reverse_cost FROM edges', @o, @d, directed => true) ORDER BY node", conn);
                cmd.Parameters.AddWithValue("o", (long)o + 1);
                cmd.Parameters.AddWithValue("d", limit);
                var pg = new List<long>();
                using (var r = cmd.ExecuteReader()) while (r.Read()) pg.Add(r.GetInt64(0));
                Assert.True(pg.Count > 10, $"pgr_drivingDistance reached only {pg.Count} nodes");
                Assert.Equal(pg.ToArray(), ours);
            }
        }
        finally
        {
            PostGisServer.DropScratchDatabase(cs);
        }
    }
}
