using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ServiceReach.Domain;

namespace ServiceReach.Api.Tests;

/// <summary>The HTTP API against real PostGIS with the demo region (expectations from geodata/demo/README.md and the database).</summary>
public sealed class ApiTests(ApiFixture fx)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<JsonElement> Json(HttpResponseMessage r)
    {
        var text = await r.Content.ReadAsStringAsync(Ct);
        Assert.True(r.IsSuccessStatusCode, $"{(int)r.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    private static async Task<JsonElement> Problem(HttpResponseMessage r, HttpStatusCode expected)
    {
        var text = await r.Content.ReadAsStringAsync(Ct);
        Assert.True(r.StatusCode == expected, $"expected {(int)expected}, got {(int)r.StatusCode}: {text}");
        Assert.StartsWith("application/problem+json", r.Content.Headers.ContentType?.MediaType ?? "");
        return JsonDocument.Parse(text).RootElement;
    }

    private static StringContent Body(string json) => new(json, Encoding.UTF8, "application/json");

    [Fact]
    public async Task Health_ready_and_reference_pages_answer()
    {
        using var c = fx.Client();
        Assert.Equal("ok", (await Json(await c.GetAsync("/health", Ct))).GetProperty("status").GetString());
        var ready = await Json(await c.GetAsync("/health/ready", Ct));
        Assert.Equal("ready", ready.GetProperty("status").GetString());
        var openapi = await c.GetStringAsync("/openapi/v1.json", Ct);
        foreach (var path in new[] { "/api/isochrone", "/api/kernen/{id}", "/ogc/collections/{id}/items", "/api/scenarios", "/tiles/{layer}/{z}/{x}/{y}" })
            Assert.Contains($"\"{path}\"", openapi);
        // Request bodies are documented even though the handlers read them themselves (to name the bad field).
        foreach (var schema in new[] { "ScenarioRequest", "ServicePointRequest", "IsochroneRequest", "NoteRequest" })
            Assert.Contains($"\"{schema}\"", openapi);
        var scalar = await c.GetAsync("/scalar/", Ct);
        Assert.Equal(HttpStatusCode.OK, scalar.StatusCode);
        var map = await c.GetStringAsync("/", Ct);
        Assert.Contains("lib/maplibre-gl/maplibre-gl.js", map);
        Assert.Equal(HttpStatusCode.OK, (await c.GetAsync("/lib/maplibre-gl/maplibre-gl.js", Ct)).StatusCode);
    }

    [Fact]
    public async Task Kernen_match_the_database_and_carry_the_intended_advice()
    {
        using var c = fx.Client();
        var fc = await Json(await c.GetAsync("/api/kernen", Ct));
        var features = fc.GetProperty("features").EnumerateArray().ToList();
        Assert.Equal(await DemoDatabase.ScalarAsync(fx.ConnectionString, "SELECT count(*) FROM kern"), features.Count);
        string AdviceOf(string name) => features.Single(f => f.GetProperty("properties").GetProperty("name").GetString() == name)
            .GetProperty("properties").GetProperty("advice").GetString()!;
        // geodata/demo/README.md: Eikenrode is the dorpspunt case, Duivenhoek and Ooievaarshoek the buurtkar case.
        Assert.Equal("Dorpspunt", AdviceOf("Eikenrode"));
        Assert.Equal("Buurtkar", AdviceOf("Duivenhoek"));
        Assert.Equal("Buurtkar", AdviceOf("Ooievaarshoek"));
        var eik = features.Single(f => f.GetProperty("properties").GetProperty("name").GetString() == "Eikenrode").GetProperty("properties");
        var heid = features.Single(f => f.GetProperty("properties").GetProperty("name").GetString() == "Heidebeek").GetProperty("properties");
        Assert.True(eik.GetProperty("gap_score").GetDouble() > heid.GetProperty("gap_score").GetDouble());
    }

    [Fact]
    public async Task Kern_detail_has_reach_per_category_and_mode_advice_reasons_and_notes()
    {
        using var c = fx.Client();
        var id = await DemoDatabase.ScalarAsync(fx.ConnectionString, "SELECT id FROM kern WHERE name = 'Eikenrode'");
        var k = await Json(await c.GetAsync($"/api/kernen/{id}", Ct));
        Assert.Equal("Eikenrode", k.GetProperty("name").GetString());
        Assert.Equal("Dorpspunt", k.GetProperty("advice").GetProperty("primary").GetString());
        Assert.NotEmpty(k.GetProperty("advice").GetProperty("reasons").EnumerateArray());
        var reach = k.GetProperty("reach").EnumerateArray().ToList();
        // 16 categories × 5 modes (4 street modes + bus+walk from the demo GTFS).
        Assert.Equal(ServiceCatalogue.Default.Categories.Count * 5, reach.Count);
        // README: only a café is left in Eikenrode, so the meeting place is within walking distance and the bakery is not.
        var walkMeeting = reach.Single(r => r.GetProperty("category").GetString() == "meeting_place" && r.GetProperty("mode").GetString() == "Walk");
        Assert.True(walkMeeting.GetProperty("withinThreshold").GetBoolean());
        var walkBakery = reach.Single(r => r.GetProperty("category").GetString() == "bakery" && r.GetProperty("mode").GetString() == "Walk");
        Assert.False(walkBakery.GetProperty("withinThreshold").GetBoolean());
        Assert.Equal(HttpStatusCode.NotFound, (await c.GetAsync("/api/kernen/999999", Ct)).StatusCode);
    }

    [Fact]
    public async Task Walking_isochrone_bands_nest_and_stay_within_the_crow_flies_distance()
    {
        using var c = fx.Client();
        var id = await DemoDatabase.ScalarAsync(fx.ConnectionString, "SELECT id FROM kern WHERE name = 'Heidebeek'");
        var fc = await Json(await c.GetAsync($"/api/isochrone?kern={id}&mode=walk&minutes=5,10,15", Ct));
        var bands = fc.GetProperty("features").EnumerateArray().ToList();
        Assert.Equal([5.0, 10.0, 15.0], bands.Select(b => b.GetProperty("properties").GetProperty("minutes").GetDouble()));
        var areas = bands.Select(b => b.GetProperty("properties").GetProperty("area_km2").GetDouble()).ToList();
        Assert.True(areas[0] > 0 && areas[0] < areas[1] && areas[1] < areas[2], string.Join(", ", areas));
        // Walking 4.8 km/h: in 15 min nobody gets further than 1.2 km from the snapped origin as the crow flies (+ buffer width).
        var p = bands[2].GetProperty("properties");
        var (lon0, lat0) = (p.GetProperty("origin_lon").GetDouble(), p.GetProperty("origin_lat").GetDouble());
        var limit = 1200 + p.GetProperty("snap_meters").GetDouble() + 100;
        foreach (var (x, y) in Coordinates(bands[2].GetProperty("geometry")))
            Assert.True(Geo.HaversineMeters(lon0, lat0, x, y) <= limit, $"vertex ({x}, {y}) lies {Geo.HaversineMeters(lon0, lat0, x, y):F0} m away");
        Assert.True(areas[2] < Math.PI * 1.3 * 1.3);

        // POST gives the same bands as GET.
        var post = await Json(await c.PostAsync("/api/isochrone", Body($"{{\"kernId\":{id},\"mode\":\"walk\",\"minutes\":[5,10,15]}}"), Ct));
        Assert.Equal(areas, post.GetProperty("features").EnumerateArray().Select(b => b.GetProperty("properties").GetProperty("area_km2").GetDouble()));
    }

    [Fact]
    public async Task Bus_isochrones_add_the_area_a_bus_reaches_and_fall_back_to_walking_at_night()
    {
        using var c = fx.Client();
        // Lindeveld lies on line B (every 2 hours from 7): a lucky departure (5th percentile) of the morning window rides it.
        var id = await DemoDatabase.ScalarAsync(fx.ConnectionString, "SELECT id FROM kern WHERE name = 'Lindeveld'");
        static double Area(JsonElement fc) => fc.GetProperty("features").EnumerateArray().Single().GetProperty("properties").GetProperty("area_km2").GetDouble();
        var walk = await Json(await c.GetAsync($"/api/isochrone?kern={id}&mode=walk&minutes=30", Ct));
        var morning = await Json(await c.GetAsync($"/api/isochrone?kern={id}&mode=bus&minutes=30&departure=06:30&windowMinutes=150&percentile=5", Ct));
        var night = await Json(await c.GetAsync($"/api/isochrone?kern={id}&mode=bus&minutes=30&departure=22:30&windowMinutes=30", Ct));
        var props = morning.GetProperty("features")[0].GetProperty("properties");
        Assert.Equal("BusWalk", props.GetProperty("mode").GetString());
        Assert.Equal("06:30-09:00", props.GetProperty("departure_window").GetString());
        Assert.Equal(5, props.GetProperty("percentile").GetDouble());
        Assert.True(Area(morning) > 1.2 * Area(walk), $"bus {Area(morning)} km² vs walking {Area(walk)} km²");
        // No bus at night: the bus band is the walking band.
        Assert.Equal(Area(walk), Area(night), 0.0015);
        // Default limits for the bus are 15, 30 and 45 minutes; bands nest.
        var defaults = (await Json(await c.GetAsync($"/api/isochrone?kern={id}&mode=bus&departure=07:00", Ct))).GetProperty("features").EnumerateArray()
            .Select(f => (f.GetProperty("properties").GetProperty("minutes").GetDouble(), f.GetProperty("properties").GetProperty("area_km2").GetDouble())).ToList();
        Assert.Equal([15.0, 30.0, 45.0], defaults.Select(d => d.Item1));
        Assert.True(defaults[0].Item2 <= defaults[1].Item2 && defaults[1].Item2 <= defaults[2].Item2);
        // Bad input names the field.
        async Task Field(HttpResponseMessage r, string field)
        {
            var p = await Problem(r, HttpStatusCode.BadRequest);
            Assert.True(p.GetProperty("errors").TryGetProperty(field, out _), $"expected field '{field}' in {p}");
        }
        await Field(await c.GetAsync($"/api/isochrone?kern={id}&mode=bus&departure=25:99", Ct), "departure");
        await Field(await c.GetAsync($"/api/isochrone?kern={id}&mode=bus&percentile=0", Ct), "percentile");
        await Field(await c.GetAsync($"/api/isochrone?kern={id}&mode=bus&windowMinutes=0", Ct), "windowMinutes");
        await Field(await c.GetAsync($"/api/isochrone?kern={id}&mode=walk&departure=07:00", Ct), "departure");
    }

    private static IEnumerable<(double, double)> Coordinates(JsonElement geometry)
    {
        IEnumerable<(double, double)> Walk(JsonElement e)
        {
            if (e.ValueKind == JsonValueKind.Array && e.GetArrayLength() >= 2 && e[0].ValueKind == JsonValueKind.Number)
            {
                yield return (e[0].GetDouble(), e[1].GetDouble());
                yield break;
            }
            foreach (var child in e.EnumerateArray())
            foreach (var xy in Walk(child)) yield return xy;
        }
        return Walk(geometry.GetProperty("coordinates"));
    }

    [Fact]
    public async Task Notes_need_a_valid_key_and_nothing_is_written_without_one()
    {
        var id = await DemoDatabase.ScalarAsync(fx.ConnectionString, "SELECT id FROM kern WHERE name = 'Lindeveld'");
        var before = await DemoDatabase.ScalarAsync(fx.ConnectionString, "SELECT count(*) FROM kern_note");
        using var anon = fx.Client();
        var json = "{\"author\":\"Schepen\",\"text\":\"De bakker sluit in juni.\"}";
        var p = await Problem(await anon.PostAsync($"/api/kernen/{id}/notes", Body(json), Ct), HttpStatusCode.Unauthorized);
        Assert.True(p.GetProperty("errors").TryGetProperty("X-Api-Key", out _));
        using var wrong = fx.Client();
        wrong.DefaultRequestHeaders.Add("X-Api-Key", "not-the-key");
        await Problem(await wrong.PostAsync($"/api/kernen/{id}/notes", Body(json), Ct), HttpStatusCode.Unauthorized);
        Assert.Equal(before, await DemoDatabase.ScalarAsync(fx.ConnectionString, "SELECT count(*) FROM kern_note"));

        using var c = fx.KeyClient();
        Assert.Equal(HttpStatusCode.Created, (await c.PostAsync($"/api/kernen/{id}/notes", Body(json), Ct)).StatusCode);
        Assert.Equal(before + 1, await DemoDatabase.ScalarAsync(fx.ConnectionString, "SELECT count(*) FROM kern_note"));
        var detail = await Json(await anon.GetAsync($"/api/kernen/{id}", Ct));
        Assert.Contains(detail.GetProperty("notes").EnumerateArray(), n => n.GetProperty("text").GetString() == "De bakker sluit in juni.");
        // Bearer works too.
        using var bearer = fx.Client();
        bearer.DefaultRequestHeaders.Authorization = new("Bearer", ApiFixture.Key);
        Assert.Equal(HttpStatusCode.Created, (await bearer.PostAsync($"/api/kernen/{id}/notes", Body(json), Ct)).StatusCode);
    }

    [Fact]
    public async Task Service_points_and_categories_are_editable_with_a_key()
    {
        using var c = fx.KeyClient();
        var cat = await c.PostAsync("/api/categories", Body("{\"code\":\"repair_cafe\",\"nameNl\":\"Repaircafé\",\"nameEn\":\"Repair café\",\"needFrequency\":\"Occasional\"}"), Ct);
        Assert.Equal(HttpStatusCode.Created, cat.StatusCode);
        await Problem(await c.PostAsync("/api/categories", Body("{\"code\":\"repair_cafe\",\"nameNl\":\"x\",\"nameEn\":\"x\"}"), Ct), HttpStatusCode.Conflict);
        await Problem(await c.DeleteAsync("/api/categories/bakery", Ct), HttpStatusCode.Conflict);

        var created = await Json(await c.PostAsync("/api/service-points",
            Body("{\"name\":\"Repaircafé Lindeveld\",\"lon\":4.6283,\"lat\":51.0129,\"categories\":[\"repair_cafe\",\"meeting_place\"]}"), Ct));
        var id = created.GetProperty("id").GetInt64();
        Assert.Equal(2, await DemoDatabase.ScalarAsync(fx.ConnectionString, "SELECT count(*) FROM service_point_category WHERE service_point_id = @id", ("id", id)));
        await Problem(await c.DeleteAsync("/api/categories/repair_cafe", Ct), HttpStatusCode.Conflict);
        var put = await c.PutAsync($"/api/service-points/{id}",
            Body("{\"name\":\"Repaircafé Lindeveld\",\"lon\":4.6283,\"lat\":51.0129,\"categories\":[\"meeting_place\"],\"status\":\"Closed\"}"), Ct);
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal("Closed", (await DemoDatabase.ScalarAsync(fx.ConnectionString, "SELECT CASE WHEN status = 'Closed' THEN 1 ELSE 0 END FROM service_point WHERE id = @id", ("id", id))) == 1 ? "Closed" : "?");
        Assert.Equal(HttpStatusCode.NoContent, (await c.DeleteAsync($"/api/service-points/{id}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await c.DeleteAsync("/api/categories/repair_cafe", Ct)).StatusCode);
        Assert.Equal(0, await DemoDatabase.ScalarAsync(fx.ConnectionString, "SELECT count(*) FROM service_point WHERE id = @id", ("id", id)));
    }

    [Fact]
    public async Task Bad_input_gets_a_problem_naming_the_field_and_writes_nothing()
    {
        using var c = fx.KeyClient();
        long Points() => DemoDatabase.ScalarAsync(fx.ConnectionString, "SELECT count(*) FROM service_point").GetAwaiter().GetResult();
        long Categories() => DemoDatabase.ScalarAsync(fx.ConnectionString, "SELECT count(*) FROM service_category").GetAwaiter().GetResult();
        var (points, cats) = (Points(), Categories());

        async Task Field(HttpResponseMessage r, string field, HttpStatusCode status = HttpStatusCode.BadRequest)
        {
            var p = await Problem(r, status);
            Assert.True(p.GetProperty("errors").TryGetProperty(field, out _), $"expected field '{field}' in {p}");
        }

        // Truncated JSON: the problem names where the reader stopped.
        await Field(await c.PostAsync("/api/service-points", Body("{\"name\": \"x\", \"lon\": "), Ct), "lon");
        await Field(await c.PostAsync("/api/service-points", Body("not json at all"), Ct), "body");
        await Field(await c.PostAsync("/api/service-points", Body("{\"name\":\"x\",\"lon\":\"east\",\"lat\":51,\"categories\":[\"gp\"]}"), Ct), "lon");
        await Field(await c.PostAsync("/api/service-points", Body("{\"name\":\"x\",\"lon\":400,\"lat\":51,\"categories\":[\"gp\"]}"), Ct), "lon");
        await Field(await c.PostAsync("/api/service-points", Body("{\"name\":\"x\",\"lon\":4.6,\"lat\":-95,\"categories\":[\"gp\"]}"), Ct), "lat");
        await Field(await c.PostAsync("/api/service-points", Body("{\"name\":\"x\",\"lon\":4.6,\"lat\":51,\"categories\":[\"unicorn_stable\"]}"), Ct), "categories");
        await Field(await c.PostAsync("/api/service-points", Body("{\"name\":\"x'); DROP TABLE service_point; --\",\"lon\":4.6,\"lat\":51,\"categories\":[\"gp' OR '1'='1\"]}"), Ct), "categories");
        await Field(await c.PostAsync("/api/service-points", Body("{\"name\":\"x\",\"lon\":4.6,\"lat\":51,\"categories\":[\"gp\"],\"admin\":true}"), Ct), "admin");
        await Field(await c.PostAsync("/api/categories", Body("{\"code\":\"Robert'); DROP TABLE kern;--\",\"nameNl\":\"x\",\"nameEn\":\"x\"}"), Ct), "code");
        // Not JSON at all: the endpoint only accepts application/json (routing answers 415 as problem details).
        await Problem(await c.PostAsync("/api/service-points", new StringContent("name=x", Encoding.UTF8, "text/plain"), Ct), HttpStatusCode.UnsupportedMediaType);
        var huge = "{\"name\":\"" + new string('x', 1_100_000) + "\"}";
        await Field(await c.PostAsync("/api/service-points", Body(huge), Ct), "body", HttpStatusCode.RequestEntityTooLarge);

        await Field(await c.GetAsync("/api/isochrone?lon=4.65&lat=51.03&minutes=100000", Ct), "minutes");
        await Field(await c.GetAsync("/api/isochrone?lon=4.65&lat=51.03&minutes=5,10,15,20,25,30,35", Ct), "minutes");
        await Field(await c.GetAsync("/api/isochrone?lon=4.65&lat=51.03&mode=rocket", Ct), "mode");
        await Field(await c.GetAsync("/api/isochrone?lon=12.5&lat=41.9", Ct), "lon");
        await Field(await c.GetAsync("/api/isochrone?lon=-200&lat=51", Ct), "lon");
        await Field(await c.GetAsync("/api/reach?category=1%3BDROP%20TABLE%20kern", Ct), "category");
        await Field(await c.GetAsync("/ogc/collections/kernen/items?limit=100000000", Ct), "limit");
        await Field(await c.GetAsync("/ogc/collections/kernen/items?bbox=5,51,4,50", Ct), "bbox");
        await Field(await c.GetAsync("/tiles/kernen/30/0/0.mvt", Ct), "z");
        await Field(await c.GetAsync("/tiles/kernen'--/1/0/0.mvt", Ct), "layer", HttpStatusCode.NotFound);
        await Field(await c.PostAsync("/api/scenarios", Body("{\"name\":\"s\",\"add\":[{\"name\":\"p\",\"lon\":4.69,\"lat\":51.01,\"categories\":[\"nope\"]}]}"), Ct), "add[0].categories");

        Assert.Equal(points, Points());
        Assert.Equal(cats, Categories());
        Assert.Equal(8, await DemoDatabase.ScalarAsync(fx.ConnectionString, "SELECT count(*) FROM kern"));
        Assert.Equal(HttpStatusCode.OK, (await c.GetAsync("/health", Ct)).StatusCode);
    }

    [Fact]
    public async Task Reading_can_be_closed_and_cors_opened_by_configuration()
    {
        await using var closed = fx.Factory.WithWebHostBuilder(b =>
        {
            b.UseSetting("ServiceReach:ReadOpen", "false");
            b.UseSetting("ServiceReach:CorsOrigins:0", "https://maps.example.org");
        });
        using var anon = closed.CreateClient();
        await Problem(await anon.GetAsync("/api/kernen", Ct), HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.OK, (await anon.GetAsync("/health", Ct)).StatusCode);
        using var keyed = closed.CreateClient();
        keyed.DefaultRequestHeaders.Add("X-Api-Key", ApiFixture.Key);
        keyed.DefaultRequestHeaders.Add("Origin", "https://maps.example.org");
        var r = await keyed.GetAsync("/ogc/collections", Ct);
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Equal("https://maps.example.org", r.Headers.GetValues("Access-Control-Allow-Origin").Single());

        using var open = fx.Client();
        open.DefaultRequestHeaders.Add("Origin", "https://evil.example.org");
        var r2 = await open.GetAsync("/ogc/collections", Ct);
        Assert.False(r2.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Gaps_advice_reach_and_bus_departure_window()
    {
        using var c = fx.Client();
        var gaps = (await Json(await c.GetAsync("/api/gaps", Ct))).EnumerateArray().ToList();
        Assert.Equal(8, gaps.Count);
        var totals = gaps.Select(g => g.GetProperty("total").GetDouble()).ToList();
        Assert.Equal(totals.OrderByDescending(t => t), totals);
        foreach (var g in gaps)
            Assert.Equal(g.GetProperty("total").GetDouble(), g.GetProperty("parts").EnumerateArray().Sum(p => p.GetProperty("score").GetDouble()), 0.6);
        var id = await DemoDatabase.ScalarAsync(fx.ConnectionString, "SELECT id FROM kern WHERE name = 'Lindeveld'");
        var advice = (await Json(await c.GetAsync($"/api/advice?kern={id}", Ct))).EnumerateArray().Single();
        Assert.Equal("Lindeveld", advice.GetProperty("name").GetString());
        var reach = (await Json(await c.GetAsync($"/api/reach?kern={id}&category=gp&mode=bike", Ct))).EnumerateArray().Single();
        // README: Lindeveld's GP is in Heidebeek, inside 15 min by bike, outside 15 min walking.
        Assert.True(reach.GetProperty("withinThreshold").GetBoolean());
        var walk = (await Json(await c.GetAsync($"/api/reach?kern={id}&category=gp&mode=walk", Ct))).EnumerateArray().Single();
        Assert.False(walk.GetProperty("withinThreshold").GetBoolean());

        // Line B serves Lindeveld every 2 hours from 7: the median door-to-door time to the GP depends on the departure window.
        var morning = await Json(await c.GetAsync($"/api/kernen/{id}/bus?departure=06:50&windowMinutes=20", Ct));
        var night = await Json(await c.GetAsync($"/api/kernen/{id}/bus?departure=22:30&windowMinutes=30", Ct));
        double? Gp(JsonElement b) => b.GetProperty("categories").EnumerateArray().Single(x => x.GetProperty("category").GetString() == "gp")
            .GetProperty("medianMinutes") is { ValueKind: JsonValueKind.Number } m ? m.GetDouble() : null;
        Assert.NotEqual(Gp(morning), Gp(night));
        await Problem(await c.GetAsync($"/api/kernen/{id}/bus?departure=25:99", Ct), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Streets_base_layer_has_every_highway_way_of_the_extract()
    {
        using var c = fx.Client();
        var fc = await Json(await c.GetAsync("/api/streets", Ct));
        // Independent count: OSM XML ways with a highway tag, read with LINQ to XML.
        var osm = System.Xml.Linq.XDocument.Load(Path.Combine(DemoDatabase.Folder, "streets.osm"));
        var expected = osm.Root!.Elements("way").Count(w => w.Elements("tag").Any(t => (string?)t.Attribute("k") == "highway"));
        Assert.Equal(expected, fc.GetProperty("features").GetArrayLength());
        Assert.All(fc.GetProperty("features").EnumerateArray(), f => Assert.Equal("LineString", f.GetProperty("geometry").GetProperty("type").GetString()));
    }

    [Fact]
    public async Task Exports_download_with_content_disposition_and_match_the_database()
    {
        using var c = fx.Client();
        foreach (var (layer, table) in new[] { ("service_points", "service_point"), ("population_units", "population_unit"), ("municipalities", "municipality") })
        {
            var r = await c.GetAsync($"/api/exports/{layer}.geojson", Ct);
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            Assert.Equal("attachment", r.Content.Headers.ContentDisposition?.DispositionType);
            Assert.Equal($"servicereach-{layer}.geojson", r.Content.Headers.ContentDisposition?.FileName);
            Assert.Equal("application/geo+json", r.Content.Headers.ContentType?.MediaType);
            var doc = JsonDocument.Parse(await r.Content.ReadAsStringAsync(Ct)).RootElement;
            Assert.Equal(await DemoDatabase.ScalarAsync(fx.ConnectionString, $"SELECT count(*) FROM {table}"), doc.GetProperty("features").GetArrayLength());
        }
        var gaps = JsonDocument.Parse(await c.GetStringAsync("/api/exports/gaps.geojson", Ct)).RootElement;
        Assert.Equal(8, gaps.GetProperty("features").GetArrayLength());
        var reach = JsonDocument.Parse(await c.GetStringAsync("/api/exports/reach.geojson", Ct)).RootElement;
        Assert.Equal(8 * ServiceCatalogue.Default.Categories.Count * 5, reach.GetProperty("features").GetArrayLength());
        Assert.Equal(HttpStatusCode.NotFound, (await c.GetAsync("/api/exports/secrets.geojson", Ct)).StatusCode);
    }
}
