using System.Text;
using ServiceReach.Domain;

namespace ServiceReach.Domain.Tests;

public class CatalogueTests
{
    private static Dictionary<string, string> Tags(params string[] kv)
    {
        var d = new Dictionary<string, string>();
        foreach (var s in kv)
        {
            var i = s.IndexOf('=');
            d[s[..i]] = s[(i + 1)..];
        }
        return d;
    }

    [Theory]
    [InlineData("shop=bakery", new[] { "shop=bakery" }, true)]
    [InlineData("shop=bakery|butcher", new[] { "shop=butcher" }, true)]
    [InlineData("shop=bakery|butcher", new[] { "shop=supermarket" }, false)]
    [InlineData("amenity=*", new[] { "amenity=bench" }, true)]
    [InlineData("amenity=*", new[] { "shop=bakery" }, false)]
    [InlineData("amenity=school&isced:level~1", new[] { "amenity=school", "isced:level=0;1" }, true)]
    [InlineData("amenity=school&isced:level~1", new[] { "amenity=school", "isced:level=2" }, false)]
    [InlineData("amenity=school&isced:level!=2|3", new[] { "amenity=school" }, true)]
    [InlineData("amenity=school&isced:level!=2|3", new[] { "amenity=school", "isced:level=3" }, false)]
    [InlineData("name~digipunt", new[] { "name=Digipunt Heidebeek" }, true)]
    public void Tag_rules_match_as_documented(string rule, string[] tags, bool expected)
        => Assert.Equal(expected, OsmTagRule.Parse(rule).Matches(Tags(tags)));

    [Theory]
    [InlineData("")]
    [InlineData("shop")]
    [InlineData("shop=")]
    public void Bad_tag_rules_are_rejected(string rule) => Assert.Throws<FormatException>(() => OsmTagRule.Parse(rule));

    [Fact]
    public void Default_catalogue_has_the_domain_categories_and_the_official_basket()
    {
        var c = ServiceCatalogue.Default;
        string[] expected = ["bakery", "butcher", "food_shop", "supermarket", "gp", "pharmacy", "primary_school", "nursery_school",
            "post_point", "atm_bank", "municipal_desk", "library", "welfare_centre", "childcare", "meeting_place", "digipunt"];
        Assert.Equal(expected, c.Categories.Select(x => x.Code).ToArray());
        var basket = c.Basket("flemish_basic");
        Assert.Equal(4, basket.Groups.Count);
        Assert.Contains("gp", basket.Groups[1]);
        Assert.Equal(900, c.ThresholdFor("gp", Mode.Walk).Seconds);
        Assert.Contains("Departement Omgeving", c.ThresholdFor("bakery", Mode.Bike).Source);
    }

    [Fact]
    public void Osm_tags_map_to_categories_and_a_post_box_is_not_a_post_point()
    {
        var c = ServiceCatalogue.Default;
        Assert.Equal(["bakery"], c.MatchOsm(Tags("shop=bakery")));
        Assert.Equal(["gp"], c.MatchOsm(Tags("amenity=doctors")));
        Assert.Empty(c.MatchOsm(Tags("amenity=post_box")));
        Assert.Equal(["post_point"], c.MatchOsm(Tags("amenity=post_office")));
        Assert.Equal(["primary_school", "nursery_school"], c.MatchOsm(Tags("amenity=school", "isced:level=0;1")));
        Assert.Empty(c.MatchOsm(Tags("amenity=school", "isced:level=2")));
        Assert.Empty(c.MatchOsm(Tags("healthcare=doctor", "healthcare:speciality=dentist")));
    }

    [Fact]
    public void A_user_catalogue_overrides_thresholds_and_bad_files_name_the_problem()
    {
        const string json = """
            { "thresholds": { "Walk": {"seconds": 600, "source": "gemeente X"}, "ReducedMobilityWalk": {"seconds": 600},
                              "Bike": {"seconds": 900}, "EBike": {"seconds": 900}, "BusWalk": {"seconds": 2400} },
              "categories": [ { "code": "gp", "nl": "Huisarts", "en": "GP", "need": "Weekly", "channel": "Physical",
                                "osm": ["amenity=doctors"], "thresholds": { "Walk": { "seconds": 1200, "source": "ouderenraad" } } } ],
              "baskets": [ { "code": "b", "groups": [["gp"]] } ] }
            """;
        var c = ServiceCatalogue.Load(new MemoryStream(Encoding.UTF8.GetBytes(json)), "mine.json");
        Assert.Equal(1200, c.ThresholdFor("gp", Mode.Walk).Seconds);
        Assert.Equal(2400, c.ThresholdFor("gp", Mode.BusWalk).Seconds);

        var unknownInBasket = json.Replace("[[\"gp\"]]", "[[\"dentist\"]]");
        var ex = Assert.Throws<InvalidDataException>(() => ServiceCatalogue.Load(new MemoryStream(Encoding.UTF8.GetBytes(unknownInBasket)), "mine.json"));
        Assert.Contains("dentist", ex.Message);

        var broken = Assert.Throws<InvalidDataException>(() => ServiceCatalogue.Load(new MemoryStream(Encoding.UTF8.GetBytes("{ \"thresholds\": ")), "broken.json"));
        Assert.Contains("broken.json", broken.Message);
    }
}
