using System.Net;
using System.Text.Json;
using NetTopologySuite.IO.VectorTiles.Mapbox;

namespace ServiceReach.Api.Tests;

/// <summary>OGC API – Features paging and bbox, and PostGIS vector tiles, checked against SQL counts on the same database.</summary>
public sealed class OgcAndTileTests(ApiFixture fx)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Landing_conformance_and_collections()
    {
        using var c = fx.Client();
        var landing = JsonDocument.Parse(await c.GetStringAsync("/ogc", Ct)).RootElement;
        var rels = landing.GetProperty("links").EnumerateArray().Select(l => l.GetProperty("rel").GetString()).ToList();
        Assert.Contains("conformance", rels);
        Assert.Contains("data", rels);
        var conf = JsonDocument.Parse(await c.GetStringAsync("/ogc/conformance", Ct)).RootElement;
        Assert.Contains(conf.GetProperty("conformsTo").EnumerateArray(), x => x.GetString()!.EndsWith("/conf/geojson", StringComparison.Ordinal));
        var cols = JsonDocument.Parse(await c.GetStringAsync("/ogc/collections", Ct)).RootElement.GetProperty("collections")
            .EnumerateArray().Select(x => x.GetProperty("id").GetString()).ToList();
        Assert.Equal(["kernen", "service_points", "population_units", "municipalities", "gaps", "reach", "network", "unit_reach"], cols);
        Assert.Equal(HttpStatusCode.NotFound, (await c.GetAsync("/ogc/collections/nope", Ct)).StatusCode);
    }

    [Fact]
    public async Task Paging_with_next_links_returns_every_feature_once()
    {
        using var c = fx.Client();
        var expected = await DemoDatabase.ScalarAsync(fx.ConnectionString, "SELECT count(*) FROM population_unit");
        var ids = new List<long>();
        string? url = "/ogc/collections/population_units/items?limit=25";
        var pages = 0;
        while (url is not null)
        {
            var page = JsonDocument.Parse(await c.GetStringAsync(url, Ct)).RootElement;
            Assert.Equal(expected, page.GetProperty("numberMatched").GetInt64());
            ids.AddRange(page.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("id").GetInt64()));
            url = page.GetProperty("links").EnumerateArray().Where(l => l.GetProperty("rel").GetString() == "next")
                .Select(l => new Uri(l.GetProperty("href").GetString()!).PathAndQuery).FirstOrDefault();
            pages++;
        }
        Assert.Equal(expected, ids.Count);
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Equal((int)Math.Ceiling(expected / 25.0), pages);
    }

    [Fact]
    public async Task Bbox_filter_matches_postgis()
    {
        using var c = fx.Client();
        const string bbox = "4.60,51.00,4.66,51.04";
        var expected = await DemoDatabase.ScalarAsync(fx.ConnectionString,
            "SELECT count(*) FROM service_point WHERE ST_Intersects(location, ST_MakeEnvelope(4.60, 51.00, 4.66, 51.04, 4326))");
        var page = JsonDocument.Parse(await c.GetStringAsync($"/ogc/collections/service_points/items?bbox={bbox}&limit=1000", Ct)).RootElement;
        Assert.True(expected > 0);
        Assert.Equal(expected, page.GetProperty("numberReturned").GetInt64());
        foreach (var f in page.GetProperty("features").EnumerateArray())
        {
            var xy = f.GetProperty("geometry").GetProperty("coordinates");
            Assert.InRange(xy[0].GetDouble(), 4.60, 4.66);
            Assert.InRange(xy[1].GetDouble(), 51.00, 51.04);
        }
        var one = page.GetProperty("features")[0];
        var single = JsonDocument.Parse(await c.GetStringAsync($"/ogc/collections/service_points/items/{one.GetProperty("id").GetInt64()}", Ct)).RootElement;
        Assert.Equal(one.GetProperty("properties").GetProperty("name").GetString(), single.GetProperty("properties").GetProperty("name").GetString());
    }

    [Fact]
    public async Task Vector_tile_holds_the_kernen_postgis_places_in_the_tile()
    {
        using var c = fx.Client();
        // Zoom 11 tile containing Heidebeek (4.6555, 51.0291): x = floor((lon+180)/360·2^z), y from the Web Mercator formula.
        const int z = 11;
        var n = 1 << z;
        var x = (int)Math.Floor((4.655482 + 180) / 360 * n);
        var latRad = 51.02908 * Math.PI / 180;
        var y = (int)Math.Floor((1 - Math.Log(Math.Tan(latRad) + 1 / Math.Cos(latRad)) / Math.PI) / 2 * n);
        var r = await c.GetAsync($"/tiles/kernen/{z}/{x}/{y}.mvt", Ct);
        Assert.Equal("application/vnd.mapbox-vector-tile", r.Content.Headers.ContentType?.MediaType);
        await using var s = await r.Content.ReadAsStreamAsync(Ct);
        var tile = new MapboxTileReader().Read(s, new NetTopologySuite.IO.VectorTiles.Tiles.Tile(x, y, z));
        var layer = Assert.Single(tile.Layers);
        Assert.Equal("kernen", layer.Name);
        var expected = await DemoDatabase.ScalarAsync(fx.ConnectionString,
            "SELECT count(*) FROM kern WHERE ST_Intersects(ST_Transform(centre, 3857), ST_TileEnvelope(@z, @x, @y))", ("z", z), ("x", x), ("y", y));
        Assert.True(expected > 0);
        Assert.Equal(expected, layer.Features.Count);
        Assert.Contains(layer.Features, f => (string)f.Attributes["name"] == "Heidebeek");
    }
}
