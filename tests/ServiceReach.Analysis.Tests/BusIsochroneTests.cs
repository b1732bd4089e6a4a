using System.Globalization;
using System.Text;
using NetTopologySuite.Geometries;
using ServiceReach.Analysis;
using ServiceReach.Routing;
using ServiceReach.Transit.Analysis;
using ServiceReach.Transit.Gtfs;
using ServiceReach.Transit.Model;
using Geo = ServiceReach.Domain.Geo;
using GeoPoint = ServiceReach.Routing.GeoPoint;

namespace ServiceReach.Analysis.Tests;

/// <summary>
/// Bus+walk isochrones on a hand-built corridor: one straight footway 7 km long with stop A at its west end and stop B
/// 6.3 km further east; a bus A → B every 10 minutes from 07:00, 5 minutes' ride. Leaving from A between 07:00 and
/// 07:29 the wait is 0…9 minutes, each three times, so the median (nearest rank 15 of 30) reaches B after 4 + 5 = 9
/// minutes and the 5th percentile after 0 + 5 = 5 minutes. The rest is walking at 4.8 km/h = 80 m/min.
/// </summary>
public sealed class BusIsochroneTests : IDisposable
{
    private const double Lat = 51.0;
    private const double LonA = 4.600, LonB = 4.690, LonEnd = 4.700;
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"sr-busiso-{Guid.NewGuid():N}");
    private readonly StreetNetwork _network;
    private readonly Timetable _timetable;

    public BusIsochroneTests()
    {
        Directory.CreateDirectory(_folder);
        // Nodes every 0.001° (~70 m) so the street has many vertices, as real ones do.
        int n = (int)Math.Round((LonEnd - LonA) / 0.001) + 1;
        var nodes = string.Join("\n", Enumerable.Range(0, n).Select(i =>
            string.Create(CultureInfo.InvariantCulture, $"  <node id=\"{i + 1}\" lat=\"{Lat}\" lon=\"{LonA + i * 0.001:F3}\" version=\"1\"/>")));
        var refs = string.Join("", Enumerable.Range(0, n).Select(i => $"<nd ref=\"{i + 1}\"/>"));
        var osm = Path.Combine(_folder, "corridor.osm");
        File.WriteAllText(osm, $"""
            <?xml version="1.0" encoding="UTF-8"?>
            <osm version="0.6" generator="test">
            {nodes}
              <way id="100" version="1">{refs}<tag k="highway" v="footway"/></way>
            </osm>
            """);
        _network = StreetNetwork.Build(osm, Profile.BuiltIn);

        var stopTimes = new StringBuilder("trip_id,arrival_time,departure_time,stop_id,stop_sequence\n");
        var trips = new StringBuilder("route_id,service_id,trip_id\n");
        for (int k = 0; k < 12; k++)
        {
            int dep = 7 * 60 + 10 * k;
            trips.Append(CultureInfo.InvariantCulture, $"R1,WK,T{k}\n");
            stopTimes.Append(CultureInfo.InvariantCulture, $"T{k},{dep / 60:00}:{dep % 60:00}:00,{dep / 60:00}:{dep % 60:00}:00,A,1\n");
            stopTimes.Append(CultureInfo.InvariantCulture, $"T{k},{(dep + 5) / 60:00}:{(dep + 5) % 60:00}:00,{(dep + 5) / 60:00}:{(dep + 5) % 60:00}:00,B,2\n");
        }
        Write("agency.txt", "agency_id,agency_name,agency_url,agency_timezone\nX,Test,http://example.org,Europe/Brussels\n");
        Write("routes.txt", "route_id,agency_id,route_short_name,route_long_name,route_type\nR1,X,1,One,3\n");
        Write("calendar.txt", "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\nWK,1,1,1,1,1,0,0,20240101,20240131\n");
        Write("stops.txt", string.Create(CultureInfo.InvariantCulture, $"stop_id,stop_name,stop_lat,stop_lon\nA,A,{Lat},{LonA}\nB,B,{Lat},{LonB}\n"));
        Write("trips.txt", trips.ToString());
        Write("stop_times.txt", stopTimes.ToString());
        var walking = new StreetWalkingAccess(_network);
        _timetable = TimetableBuilder.Build(GtfsReader.Read(_folder), new DateOnly(2024, 1, 2), new TimetableOptions { Walking = walking });
    }

    private void Write(string name, string text) => File.WriteAllText(Path.Combine(_folder, name), text, new UTF8Encoding(false));

    public void Dispose()
    {
        try { Directory.Delete(_folder, true); } catch (IOException) { }
    }

    private static readonly GeometryFactory Gf = new(new PrecisionModel(), 4326);

    /// <summary>The point <paramref name="meters"/> east (negative: west) of B on the street.</summary>
    private static Point FromB(double meters) => Gf.CreatePoint(new Coordinate(LonB + meters / Geo.HaversineMeters(0, Lat, 1, Lat), Lat));

    private BusIsochrones Isochrones() => new(_timetable, _network, new DoorToDoorOptions { WindowStart = 7 * 3600, WindowEnd = 7 * 3600 + 30 * 60 });

    [Fact]
    public void The_median_departure_reaches_B_after_nine_minutes_and_walks_on_for_the_rest()
    {
        var iso = Isochrones();
        // 15 min: 6 min of walking from B = 480 m each way (+ the 35 m buffer).
        var bands = iso.Compute(new GeoPoint(LonA, Lat), [8 * 60, 10 * 60, 15 * 60]);
        Assert.Equal(3, bands.Count);
        var b15 = bands[2].Polygon;
        Assert.True(b15.Covers(FromB(0)));
        Assert.True(b15.Covers(FromB(440)));
        Assert.True(b15.Covers(FromB(-440)));
        Assert.False(b15.Covers(FromB(560)));
        Assert.False(b15.Covers(FromB(-560)));
        // Walking alone from A covers 15 × 80 = 1,200 m; halfway along the corridor nothing is reached.
        Assert.True(b15.Covers(Gf.CreatePoint(new Coordinate(LonA + 1150 / Geo.HaversineMeters(0, Lat, 1, Lat), Lat))));
        Assert.False(b15.Covers(Gf.CreatePoint(new Coordinate((LonA + LonB) / 2, Lat))));
        // 10 min: 1 min after B = 80 m; 8 min: B is not reached on the median departure.
        Assert.True(bands[1].Polygon.Covers(FromB(60)));
        Assert.False(bands[1].Polygon.Covers(FromB(160)));
        Assert.False(bands[0].Polygon.Covers(FromB(0)));
        // Bands nest.
        Assert.True(bands[2].Polygon.Covers(bands[1].Polygon));
        Assert.True(bands[1].Polygon.Covers(bands[0].Polygon));
    }

    [Fact]
    public void A_lucky_departure_percentile_reaches_B_after_five_minutes()
    {
        var iso = Isochrones();
        var bands = iso.Compute(new GeoPoint(LonA, Lat), [8 * 60], new BusIsochroneOptions { Percentile = 5 });
        // 8 min: 3 min of walking from B = 240 m.
        Assert.True(bands[0].Polygon.Covers(FromB(200)));
        Assert.False(bands[0].Polygon.Covers(FromB(320)));
    }

    [Fact]
    public void Without_service_in_the_window_the_band_is_the_walking_band()
    {
        var iso = Isochrones();
        var origin = iso.Walking.Snap(new GeoPoint(LonA, Lat));
        var late = iso.Compute(origin, [15 * 60], new BusIsochroneOptions { Window = (20 * 3600, 21 * 3600) });
        var walk = iso.Walking.Isochrones(origin, [15 * 60]);
        Assert.Equal(walk[0].AreaSquareMeters, late[0].AreaSquareMeters, 1e-6 * walk[0].AreaSquareMeters);
        Assert.Throws<ArgumentException>(() => iso.Compute(origin, [600], new BusIsochroneOptions { Window = (8 * 3600, 8 * 3600) }));
    }
}
