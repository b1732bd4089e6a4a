using System.Globalization;
using ServiceReach.Analysis;
using ServiceReach.Testing;
using ServiceReach.Transit.Analysis;
using ServiceReach.Transit.Gtfs;
using ServiceReach.Transit.Model;
using ServiceReach.Transit.Scenarios;
using ServiceReach.Transit.Walking;

namespace ServiceReach.Analysis.Tests;

public sealed class OsmBusRouteTests
{
    [Fact]
    public void Reads_stops_in_order_and_drops_a_platform_next_to_its_stop_position()
    {
        var path = Path.Combine(Path.GetTempPath(), $"sr-route-{Guid.NewGuid():N}.osm");
        try
        {
            // stop 1, its platform 10 m away (one stop), stop 2, a member missing from the extract, stop 3.
            File.WriteAllText(path, """
                <?xml version="1.0" encoding="UTF-8"?>
                <osm version="0.6">
                  <node id="1" lat="51.000" lon="4.600" version="1"><tag k="name" v="Kerk"/></node>
                  <node id="2" lat="51.00009" lon="4.600" version="1"><tag k="name" v="Kerk perron"/></node>
                  <node id="3" lat="51.010" lon="4.600" version="1"><tag k="name" v="Dorp"/></node>
                  <node id="4" lat="51.020" lon="4.600" version="1"><tag k="name" v="Station"/></node>
                  <relation id="9" version="1">
                    <member type="node" ref="1" role="stop"/><member type="node" ref="2" role="platform"/>
                    <member type="node" ref="3" role="stop_entry_only"/><member type="node" ref="77" role="stop"/>
                    <member type="node" ref="4" role="stop"/>
                    <tag k="type" v="route"/><tag k="route" v="bus"/><tag k="ref" v="252"/>
                  </relation>
                  <relation id="10" version="1"><tag k="type" v="route"/><tag k="route" v="train"/></relation>
                </osm>
                """);
            var route = Assert.Single(OsmBusRoutes.Read(path));
            Assert.Equal(9, route.RelationId);
            Assert.Equal("252", route.Ref);
            Assert.Equal(["Kerk", "Dorp", "Station"], route.Stops.Select(s => s.Name).ToArray());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void The_Puurs_extract_has_27_bus_route_relations_and_adding_one_as_a_line_never_makes_a_trip_longer()
    {
        var pbf = SharedGeoData.Require("osm/puurs.osm.pbf");
        var gtfs = SharedGeoData.Require("gtfs/sncb-13-october.zip");
        var routes = OsmBusRoutes.Read(pbf);
        // osmium tags-filter -R puurs.osm.pbf r/route=bus finds 27 relations.
        Assert.Equal(27, routes.Count);
        var route = routes.Where(r => r.Stops.Count >= 5).OrderByDescending(r => r.Stops.Count).ThenBy(r => r.RelationId).First();

        var walking = new StraightLineWalking(detourFactor: 1.3);
        var timetable = TimetableBuilder.Build(GtfsReader.Read(new GtfsSource(gtfs)), new DateOnly(2019, 10, 15), new TimetableOptions { Walking = walking });
        var withLine = new TransitScenario(timetable, walking).AddLine(route.ToNewLine(headwayMinutes: 15)).Build();

        // Origins: the route's own stops; destination: its last stop. With the line every origin reaches it by bus.
        var origins = route.Stops.Take(route.Stops.Count - 1).Select(s => new GeoPoint(s.Lat, s.Lon)).ToList();
        var target = new Dictionary<string, IReadOnlyList<GeoPoint>> { ["end"] = [new GeoPoint(route.Stops[^1].Lat, route.Stops[^1].Lon)] };
        var before = new DoorToDoorAnalysis(timetable, walking).NearestByCategory(origins, target)["end"];
        var after = new DoorToDoorAnalysis(withLine, walking).NearestByCategory(origins, target)["end"];
        for (var i = 0; i < origins.Count; i++)
        {
            for (var d = 0; d < before[i].SecondsPerDeparture.Count; d++)
                Assert.True(after[i].SecondsPerDeparture[d] <= before[i].SecondsPerDeparture[d], string.Create(CultureInfo.InvariantCulture, $"origin {i}, departure {d}"));
            Assert.NotEqual(TravelTimeDistribution.Unreachable, after[i].P95);
        }
    }
}
