using System.Diagnostics;
using System.Xml.Linq;
using Npgsql;
using ServiceReach.Testing;

namespace ServiceReach.Routing.Tests;

/// <summary>
/// Graph parity with osm2pgrouting on the complete Rhein-Neckar extract: a profile made from osm2pgrouting's own
/// pedestrian mapconfig (the same highway values, no access rules — the mapconfig has none) must give a total
/// length within 2 % of osm2pgrouting's ways table.
/// </summary>
public class Osm2PgRoutingParityTests
{
    private const string MapConfig = "/usr/share/osm2pgrouting/mapconfig_for_pedestrian.xml";

    [Fact]
    public void Walking_graph_length_matches_osm2pgrouting_within_two_percent()
    {
        var pbf = SharedGeoData.Require("osm/rnv-rhein-neckar.osm.pbf");
        if (!File.Exists("/usr/bin/osm2pgrouting") || !File.Exists("/usr/bin/osmium") || !File.Exists(MapConfig))
            Assert.Skip("osm2pgrouting, osmium-tool or the pedestrian mapconfig is not installed (apt-get install osm2pgrouting osmium-tool).");
        var work = Path.Combine(Path.GetTempPath(), $"sr-o2p-{Guid.NewGuid():N}");
        Directory.CreateDirectory(work);
        var cs = PostGisServer.CreateScratchDatabase("routing_o2p", withPgRouting: true);
        try
        {
            // Debian's mapconfig has an invalid "--" inside its trailing comments: drop those lines in our copy.
            var config = Path.Combine(work, "mapconfig.xml");
            File.WriteAllLines(config, File.ReadAllLines(MapConfig).Where(l => !l.Contains("--")));
            var highways = XDocument.Load(config).Descendants("tag_name").Where(t => (string?)t.Attribute("name") == "highway")
                .Descendants("tag_value").Select(v => (string)v.Attribute("name")!).ToArray();
            Assert.Contains("residential", highways);

            var osm = Path.Combine(work, "rnv.osm");
            Run("osmium", $"cat \"{pbf}\" -o \"{osm}\" --overwrite");
            var b = new NpgsqlConnectionStringBuilder(cs);
            Run("osm2pgrouting", $"-f \"{osm}\" -c \"{config}\" -d {b.Database} -h {b.Host} -p {b.Port} -U {b.Username} --clean", b.Password);
            double theirs;
            using (var conn = new NpgsqlConnection(cs))
            {
                conn.Open();
                using var cmd = new NpgsqlCommand("SELECT sum(length_m) FROM ways", conn);
                theirs = Convert.ToDouble(cmd.ExecuteScalar());
            }

            var mapconfigProfile = new Profile
            {
                Name = "osm2pgrouting-pedestrian", SpeedKmh = 4.8, AccessKeys = [],
                HighwayFactors = highways.ToDictionary(h => h, _ => 1.0),
            };
            var net = StreetNetwork.Build(pbf, [mapconfigProfile, Profile.Pedestrian]);
            double ours = net.TotalLengthMeters(mapconfigProfile.Name);
            TestContext.Current.SendDiagnosticMessage($"osm2pgrouting {theirs / 1000:F1} km, ours (mapconfig tags) {ours / 1000:F1} km, ours (pedestrian profile with access rules) {net.TotalLengthMeters("pedestrian") / 1000:F1} km");
            Assert.True(theirs > 1_000_000);
            Assert.InRange(ours / theirs, 0.98, 1.02);
        }
        finally
        {
            PostGisServer.DropScratchDatabase(cs);
            Directory.Delete(work, true);
        }
    }

    private static void Run(string exe, string args, string? password = null)
    {
        var psi = new ProcessStartInfo(exe, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (password is not null) psi.Environment["PGPASSWORD"] = password;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{exe} {args} failed ({p.ExitCode}): {stderr.Result}\n{stdout.Result}");
    }
}
