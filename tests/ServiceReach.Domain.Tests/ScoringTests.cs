using ServiceReach.Domain;
using ServiceReach.Domain.Scoring;

namespace ServiceReach.Domain.Tests;

/// <summary>A three-kern region built by hand; every expected number below is computed by hand in the comments.</summary>
public class ScoringTests
{
    private static readonly ServiceCatalogue Catalogue = ServiceCatalogue.Default; // walk/bike 900 s, bus 1800 s
    private static readonly string[] Cats = ["bakery", "primary_school", "library"]; // daily, daily, occasional
    private static readonly Mode[] Modes = [Mode.Walk, Mode.ReducedMobilityWalk, Mode.Bike, Mode.BusWalk];

    // Town has everything. Dorp (600 residents, 100 aged 65+) lacks bakery and school on foot. Gehucht (120, 30) lacks all.
    // Gehucht2 (80, 20) 2 km from Gehucht, also lacks food.
    private static readonly Place Town = new(1, "Stad", 4.60, 51.00, 5000, 1000);
    private static readonly Place Dorp = new(2, "Dorp", 4.63, 51.00, 600, 100);
    private static readonly Place Gehucht = new(3, "Gehucht", 4.66, 51.00, 120, 30);
    private static readonly Place Gehucht2 = new(4, "Gehucht-Twee", 4.66, 51.018, 80, 20);
    private static readonly Place[] Kernen = [Town, Dorp, Gehucht, Gehucht2];

    private static Reach R(Mode m, string c, double s, long provider = 1) => new(m, c, s, s * 1.3, 100, provider, s + 60, 101, s <= 900 ? 1 : 0);

    private static ReachTable Table()
    {
        var t = new ReachTable(Kernen, Cats, Modes);
        foreach (var c in Cats)
        {
            foreach (var m in Modes) t.Set(Town.Id, R(m, c, 300));
            // Dorp: bakery and school 1,350 s walking (1.5 × threshold), 1,800 s slow walking (2×), 450 s cycling, bus 2,700 s (1.5×).
            // Library is in Dorp itself.
            if (c == "library") { foreach (var m in Modes) t.Set(Dorp.Id, R(m, c, 600, 2)); }
            else
            {
                t.Set(Dorp.Id, R(Mode.Walk, c, 1350)); t.Set(Dorp.Id, R(Mode.ReducedMobilityWalk, c, 1800));
                t.Set(Dorp.Id, R(Mode.Bike, c, 450)); t.Set(Dorp.Id, R(Mode.BusWalk, c, 2700));
            }
            // Gehucht(s): everything 3,600 s walking (4×, capped at excess 2), slow walking unreachable, bike 1,200 s, no bus at all.
            foreach (var g in new[] { Gehucht, Gehucht2 })
            {
                t.Set(g.Id, R(Mode.Walk, c, 3600)); t.Set(g.Id, R(Mode.Bike, c, 1200));
            }
        }
        return t;
    }

    [Fact]
    public void Gap_score_is_the_documented_sum_of_hand_computed_parts()
    {
        var table = Table();
        var s = new GapSettings();

        // Town: everything within thresholds → 0.
        Assert.Equal(0, GapScorer.Score(Town, table, Catalogue, s).Total);

        // Dorp, bakery (daily, weight 3): under-65 = 500, best general mode = bike 450/900 = 0.5 → excess 0.
        // Seniors: best of slow walk 1800/900 = 2.0 and bus 2700/1800 = 1.5 → bus, excess 0.5; 1.5 × 100 × 0.5 = 75; × 3 = 225.
        // Same for primary school (daily) → 225. Library in the kern → 0. Total 450.
        var dorp = GapScorer.Score(Dorp, table, Catalogue, s);
        Assert.Equal(450, dorp.Total, 9);
        var bakery = dorp.Parts.Single(p => p.Category == "bakery");
        Assert.Equal(Mode.Bike, bakery.BestGeneralMode);
        Assert.Equal(Mode.BusWalk, bakery.BestSeniorMode);
        Assert.Equal(0.5, bakery.ExcessSenior, 9);
        Assert.Equal(225, bakery.Score, 9);
        Assert.Equal(dorp.Total, dorp.Parts.Sum(p => p.Score), 9);

        // Gehucht: under-65 = 90: bike 1200/900 → excess 1/3. Seniors: nothing reachable → cap 2.
        // Daily: 3 × (90 × 1/3 + 1.5 × 30 × 2) = 3 × (30 + 90) = 360, twice (bakery, school) = 720; library (occasional, 1 × 120) = 120. Total 840.
        var g = GapScorer.Score(Gehucht, table, Catalogue, s);
        Assert.Equal(840, g.Total, 9);
        Assert.Equal(2, g.Parts.Single(p => p.Category == "library").ExcessSenior);
    }

    [Fact]
    public void Advice_follows_the_rules_and_states_its_reasons()
    {
        var advice = AdviceEngine.Advise(Kernen, Table(), Catalogue, new AdviceSettings()).ToDictionary(a => a.KernId);

        Assert.Equal(InterventionKind.NothingNeeded, advice[Town.Id].Primary);

        // Dorp: 600 ≥ 300 residents and 2 daily categories missing on foot → dorpspunt; bakery within cycling but the bus takes 45 min
        // (> 30) → a mobility link is also worth considering.
        var dorp = advice[Dorp.Id];
        Assert.Equal(InterventionKind.Dorpspunt, dorp.Primary);
        Assert.Contains(InterventionKind.MobilityLink, dorp.AlsoConsider);
        Assert.Equal(["bakery", "primary_school"], dorp.MissingWithinWalking);
        Assert.Contains("600 residents", dorp.Reasons[0]);
        Assert.Contains("bakery (23 min walking / 8 min cycling / 45 min by bus, nearest in Stad)", dorp.Reasons[0]);

        // Gehucht: 120 < 300 residents, no food shop on foot, and Gehucht-Twee (2 km away) neither → buurtkar first;
        // the library (occasional) → mobile service too. Nothing within cycling threshold → no mobility link.
        var g = advice[Gehucht.Id];
        Assert.Equal(InterventionKind.Buurtkar, g.Primary);
        Assert.Contains("Gehucht-Twee", g.Reasons[0]);
        Assert.Contains(InterventionKind.MobieleDienst, g.AlsoConsider);
        Assert.DoesNotContain(InterventionKind.MobilityLink, g.AlsoConsider);
    }

    [Fact]
    public void A_lone_small_kern_gets_no_buurtkar()
    {
        Place[] two = [Town, Gehucht];
        var t = Table();
        var a = AdviceEngine.Advise(two, t, Catalogue, new AdviceSettings()).Single(x => x.KernId == Gehucht.Id);
        Assert.DoesNotContain(InterventionKind.Buurtkar, a.AlsoConsider.Prepend(a.Primary));
        Assert.Equal(InterventionKind.MobieleDienst, a.Primary);
    }

    [Fact]
    public void Basket_indicator_counts_residents_with_every_group_on_the_network_and_in_a_straight_line()
    {
        // A basket of two groups: {bakery} and {primary_school}.
        var basket = new Basket("b", "test", "", [["bakery"], ["primary_school"]]);
        var t = Table();
        // Straight line: Town 500 m, Dorp 1,000 m (within 1,200 m, although 22.5 min on the network), Gehucht 3,000 m.
        double Straight(Place p, string c) => p.Id switch { 1 => 500, 2 => 1000, _ => 3000 };
        var walk = BasketIndicator.Shares(Kernen, _ => "all", basket, Mode.Walk, 1200, t, Catalogue, Straight).Single();
        Assert.Equal(5800, walk.Residents);
        Assert.Equal(5000, walk.ResidentsWithBasket);            // only the town
        Assert.Equal(5600, walk.ResidentsWithBasketStraightLine); // town + Dorp
        var bike = BasketIndicator.Shares(Kernen, _ => "all", basket, Mode.Bike, 3750, t, Catalogue, Straight).Single();
        Assert.Equal(5600, bike.ResidentsWithBasket);             // Gehucht(s) at 20 min cycling miss out
        Assert.Equal(5800, bike.ResidentsWithBasketStraightLine);
        Assert.Equal(5600.0 / 5800, bike.Share, 9);
    }
}
