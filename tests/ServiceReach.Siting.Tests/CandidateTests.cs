using ServiceReach.Testing;

namespace ServiceReach.Siting.Tests;

public sealed class CandidateTests
{
    [Fact]
    public void Osm_amenities_of_the_demo_region_become_candidates_with_their_names()
    {
        var osm = Path.Combine(RepositoryRoot.Require(), "geodata", "demo", "streets.osm");
        var sites = CandidateSources.FromOsm(osm);
        Assert.NotEmpty(sites);
        Assert.All(sites, s => Assert.Contains(s.Kind, CandidateSources.DefaultOsmAmenities));
        Assert.All(sites, s => Assert.InRange(s.Lon, 4.6040, 4.7184));   // the demo region's documented bounds
        Assert.Contains(sites, s => s.Kind == "place_of_worship");
        Assert.Equal(sites.Count, sites.Select(s => s.Id).Distinct().Count());
        Assert.Empty(CandidateSources.FromOsm(osm, ["no_such_amenity"]));
    }

    [Fact]
    public void User_candidates_keep_cost_and_notes_and_bad_features_name_the_file_and_feature()
    {
        var dir = Directory.CreateTempSubdirectory("siting");
        try
        {
            var good = Path.Combine(dir.FullName, "shops.geojson");
            File.WriteAllText(good, """
                {"type":"FeatureCollection","features":[
                 {"type":"Feature","properties":{"id":"shop-1","name":"Ex-bakkerij","cost":2.5,"notes":"owner: gemeente, free from 2027"},"geometry":{"type":"Point","coordinates":[4.65,51.02]}},
                 {"type":"Feature","properties":{"name":"Oude pastorij"},"geometry":{"type":"Point","coordinates":[4.66,51.03]}}]}
                """);
            var sites = CandidateSources.FromGeoJson(good);
            Assert.Equal(2, sites.Count);
            Assert.Equal(new CandidateSite("shop-1", "Ex-bakkerij", 4.65, 51.02, "vacant_shop", 2.5, "owner: gemeente, free from 2027"), sites[0]);
            Assert.Equal(1, sites[1].Cost);
            Assert.Equal("user/1", sites[1].Id);

            var bad = Path.Combine(dir.FullName, "bad.geojson");
            File.WriteAllText(bad, """
                {"type":"FeatureCollection","features":[
                 {"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[4.65,51.02]}},
                 {"type":"Feature","properties":{"cost":"a lot"},"geometry":{"type":"Point","coordinates":[4.65,51.02]}}]}
                """);
            var ex = Assert.Throws<InvalidDataException>(() => CandidateSources.FromGeoJson(bad));
            Assert.Contains("bad.geojson, feature 1", ex.Message);
        }
        finally { dir.Delete(true); }
    }
}
