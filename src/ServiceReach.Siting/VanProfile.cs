using ServiceReach.Routing;

namespace ServiceReach.Siting;

/// <summary>Street profiles the tours need next to the built-in walking and cycling ones.</summary>
public static class SitingProfiles
{
    /// <summary>
    /// A small van (buurtkar, mobile library): 50 km/h base, 80 on motorways, 30 in residential streets, only where motor
    /// vehicles may drive (motor_vehicle/vehicle/access; destination traffic allowed), one-way streets respected.
    /// </summary>
    public static Profile Van { get; } = new()
    {
        Name = "van",
        SpeedKmh = 50,
        HighwayFactors = new()
        {
            ["motorway"] = 1.6, ["motorway_link"] = 1.0, ["trunk"] = 1.4, ["trunk_link"] = 1.0, ["primary"] = 1.2, ["primary_link"] = 1.0,
            ["secondary"] = 1.0, ["secondary_link"] = 1.0, ["tertiary"] = 0.9, ["tertiary_link"] = 0.9, ["unclassified"] = 0.8,
            ["residential"] = 0.6, ["living_street"] = 0.2, ["service"] = 0.4, ["road"] = 0.6,
        },
        AccessKeys = ["motor_vehicle", "vehicle", "access"],
        AccessValueFactors = new() { ["no"] = 0, ["private"] = 0, ["agricultural"] = 0, ["forestry"] = 0, ["delivery"] = 1, ["destination"] = 1 },
        RespectOneway = true,
        OnewayKeys = ["oneway"],
        ImpliedOnewayTags = ["junction=roundabout", "junction=circular", "highway=motorway", "highway=motorway_link"],
        ExcludedTags = ["area=yes"],
    };

    /// <summary>The built-in profiles plus the van: what a network for siting and tours should be built with.</summary>
    public static IReadOnlyList<Profile> WithVan { get; } = [.. Profile.BuiltIn, Van];
}
