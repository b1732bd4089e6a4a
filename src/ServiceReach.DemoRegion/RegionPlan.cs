namespace ServiceReach.DemoRegion;

/// <summary>A kern (village or town core) as designed: a street grid of <see cref="Spacing"/> metres inside a disc of <see cref="Radius"/>.</summary>
internal sealed record KernSpec(
    string Key,
    string Name,
    string Typology,
    string Municipality,
    Vec Centre,
    double Radius,
    double Spacing,
    double RotationDegrees,
    int Population,
    int Population65Plus,
    string[] StreetNames)
{
    public string SourceId => "demo-kern-" + Key;
}

/// <summary>A point of an inter-kern road; <see cref="BridgeToNext"/> marks the leg to the next point as a bridge.</summary>
internal readonly record struct RoadPoint(Vec Position, bool BridgeToNext = false);

internal enum Side { Left = 1, Right = -1 }

/// <summary>A road between two kernen. <see cref="CyclewaySide"/> adds a separate cycleway on that side outside the kernen.</summary>
internal sealed record RoadSpec(
    string Key,
    string FromKern,
    string ToKern,
    string Highway,
    string Name,
    RoadPoint[] Waypoints,
    Side? CyclewaySide = null);

/// <summary>A dead-end track leaving a road at a fraction of its length, ending at a farm with scattered residents.</summary>
internal sealed record TrackSpec(string RoadKey, double Fraction, Side Side, double Length, string Name, int FarmPopulation, int FarmPopulation65Plus, string[] ExtraTags);

/// <summary>Houses along a road between two fractions of its length: a lint (ribbon) outside any kern.</summary>
internal sealed record RibbonSpec(string Key, string Name, string RoadKey, double FromFraction, double ToFraction, int Population, int Population65Plus);

/// <summary>
/// A service point. It sits in block (<see cref="GridI"/>, <see cref="GridJ"/>) of its kern's street grid.
/// <see cref="OsmTags"/> null means the point is not mapped in OSM (planned, closed without trace, mobile or digital).
/// </summary>
internal sealed record ServiceSpec(
    string SourceId,
    string Name,
    string KernKey,
    int GridI,
    int GridJ,
    string[] Categories,
    string Channel,
    string OpeningHours,
    string Status,
    string[]? OsmTags,
    string? ValidFrom = null,
    string? ValidTo = null);

/// <summary>A bus stop either at a kern grid node or at a fraction along a road.</summary>
internal sealed record StopSpec(string StopId, string Name, string? KernKey, int GridI, int GridJ, string? RoadKey = null, double RoadFraction = 0);

/// <summary>
/// The hand-made design of the fictional region. Everything here is invented: names were checked against the Flemish
/// deelgemeente list so that no kern or municipality carries the name of a real one.
/// The seed only perturbs details (road bends, grid rotation, how residents spread over cells), never this design.
/// </summary>
internal static class RegionPlan
{
    public const string MunicipalityWest = "Heidebeek";
    public const string MunicipalityEast = "Broekhoven";
    public const string RiverName = "Kleine Wilge";

    public static readonly (string Name, string NisCode)[] Municipalities =
    [
        (MunicipalityWest, "99001"),
        (MunicipalityEast, "99002"),
    ];

    /// <summary>The river that splits the two municipalities: x as a function of y, in metres.</summary>
    public static double RiverX(double y) => 4880 + 120 * Math.Sin(y / 900.0) + 60 * Math.Sin(y / 370.0 + 1.0);

    /// <summary>The two places where a road bridges the river (y in metres).</summary>
    public const double NorthBridgeY = 3050;
    public const double SouthBridgeY = 650;

    public static readonly KernSpec[] Kernen =
    [
        new("heidebeek", "Heidebeek", "town", MunicipalityWest, new(3600, 2900), 820, 140, 8, 6000, 1320,
            ["Markt", "Kerkstraat", "Stationsstraat", "Molenstraat", "Schoolstraat", "Beekstraat", "Lindelaan", "Heidestraat",
             "Nieuwstraat", "Veldstraat", "Hoogstraat", "Pastorijstraat", "Kloosterstraat", "Akkerstraat", "Populierenlaan",
             "Berkenlaan", "Eikenlaan", "Wilgenstraat", "Rozenstraat", "Tulpenstraat", "Vijverstraat", "Sportlaan"]),
        new("groenhove", "Groenhove", "village", MunicipalityWest, new(1300, 4700), 480, 160, -12, 2300, 530,
            ["Dorpsplein", "Kerkweg", "Groenstraat", "Hovestraat", "Boomgaardstraat", "Meidoornlaan", "Smisstraat", "Bremstraat", "Hazelaarstraat", "Lijsterstraat"]),
        new("lindeveld", "Lindeveld", "village", MunicipalityWest, new(1700, 1100), 330, 160, 20, 820, 205,
            ["Lindeplein", "Veldkapelstraat", "Oude Baan", "Klaverstraat", "Korenbloemstraat", "Distelstraat"]),
        new("zavelhoek", "Zavelhoek", "hamlet", MunicipalityWest, new(450, 2800), 160, 150, 5, 170, 48,
            ["Zavelhoek", "Kruisstraat"]),
        new("kapelle-ten-bos", "Kapelle-ten-Bos", "village", MunicipalityEast, new(6300, 3500), 420, 160, -5, 1450, 350,
            ["Kapelplein", "Bosstraat", "Dreef", "Gemeenteplein", "Schransstraat", "Kastanjelaan", "Spoorweglaan", "Reigerstraat"]),
        new("eikenrode", "Eikenrode", "village", MunicipalityEast, new(6200, 1100), 340, 160, 15, 640, 190,
            ["Eikenplein", "Roderveld", "Kapelaniestraat", "Hooistraat", "Weidestraat", "Vlasstraat"]),
        new("duivenhoek", "Duivenhoek", "hamlet", MunicipalityEast, new(6900, 5450), 160, 150, -10, 240, 70,
            ["Duivenhoek", "Til"]),
        new("ooievaarshoek", "Ooievaarshoek", "hamlet", MunicipalityEast, new(7600, 4750), 160, 150, 12, 160, 52,
            ["Ooievaarshoek", "Nestweg"]),
    ];

    public static readonly RoadSpec[] Roads =
    [
        new("groenhovesteenweg", "heidebeek", "groenhove", "tertiary", "Groenhovesteenweg",
            [new(new(2500, 3850))], Side.Left),
        new("kapellebaan", "heidebeek", "kapelle-ten-bos", "tertiary", "Kapellebaan",
            [new(new(4650, NorthBridgeY - 40)), new(new(RiverX(NorthBridgeY) - 30, NorthBridgeY), BridgeToNext: true),
             new(new(RiverX(NorthBridgeY) + 30, NorthBridgeY)), new(new(5500, 3200))], Side.Right),
        new("lindeveldstraat", "heidebeek", "lindeveld", "tertiary", "Lindeveldstraat",
            [new(new(2700, 1900))]),
        new("eikenrodestraat", "heidebeek", "eikenrode", "tertiary", "Eikenrodestraat",
            [new(new(3850, 1700)), new(new(4200, 900)), new(new(4550, SouthBridgeY + 20)),
             new(new(RiverX(SouthBridgeY) - 30, SouthBridgeY), BridgeToNext: true), new(new(RiverX(SouthBridgeY) + 30, SouthBridgeY)),
             new(new(5450, 720))]),
        new("broekhovenweg", "kapelle-ten-bos", "eikenrode", "tertiary", "Broekhovenweg",
            [new(new(6520, 2300))]),
        new("ooievaarsweg", "kapelle-ten-bos", "ooievaarshoek", "unclassified", "Ooievaarsweg",
            [new(new(7050, 4150))]),
        new("duivenstraat", "kapelle-ten-bos", "duivenhoek", "unclassified", "Duivenstraat",
            [new(new(6450, 4500))]),
        new("hoekstraat", "duivenhoek", "ooievaarshoek", "unclassified", "Hoekstraat", []),
        new("zavelweg", "groenhove", "zavelhoek", "unclassified", "Zavelweg", [new(new(700, 3800))]),
        new("zandstraat", "zavelhoek", "lindeveld", "unclassified", "Zandstraat", [new(new(900, 1900))]),
    ];

    public static readonly TrackSpec[] Tracks =
    [
        new("groenhovesteenweg", 0.4, Side.Right, 450, "Hoevepad", 28, 9, ["tracktype", "grade2"]),
        new("lindeveldstraat", 0.5, Side.Left, 500, "Kouterweg", 24, 6, ["tracktype", "grade3"]),
        new("broekhovenweg", 0.5, Side.Right, 420, "Meersweg", 31, 8, ["tracktype", "grade2", "access", "agricultural", "foot", "no", "bicycle", "no"]),
        new("zandstraat", 0.5, Side.Right, 380, "Heiveldweg", 22, 7, ["tracktype", "grade4"]),
    ];

    public static readonly RibbonSpec[] Ribbons =
    [
        new("lint-groenhovesteenweg", "Lint Groenhovesteenweg", "groenhovesteenweg", 0.25, 0.8, 220, 52),
        new("lint-ooievaarsweg", "Lint Ooievaarsweg", "ooievaarsweg", 0.2, 0.8, 130, 36),
        new("lint-eikenrodestraat", "Lint Eikenrodestraat", "eikenrodestraat", 0.7, 0.9, 90, 24),
    ];

    private static string[] T(params string[] tags) => tags;

    public static readonly ServiceSpec[] Services =
    [
        // Heidebeek, the town: nearly every category, some twice.
        new("demo-svc-01", "Bakkerij Van Hove", "heidebeek", 1, 0, ["bakery"], "physical", "Tu-Sa 06:30-18:00; Su 07:00-12:30", "open", T("shop", "bakery")),
        new("demo-svc-02", "Slagerij Peeters", "heidebeek", -1, 0, ["butcher"], "physical", "Tu-Fr 08:00-18:00; Sa 08:00-16:00", "open", T("shop", "butcher")),
        new("demo-svc-03", "Supermarkt De Linde", "heidebeek", 2, -2, ["supermarket"], "physical", "Mo-Sa 08:30-19:30; Su 09:00-12:30", "open", T("shop", "supermarket")),
        new("demo-svc-04", "Nachtwinkel Heidebeek", "heidebeek", -2, 2, ["food_shop"], "physical", "Mo-Su 10:00-22:00", "open", T("shop", "convenience")),
        new("demo-svc-05", "Huisartsenpraktijk De Beek", "heidebeek", 0, 2, ["gp"], "physical", "Mo-Fr 08:00-12:00,14:00-19:00; Sa 09:00-12:00", "open", T("amenity", "doctors", "healthcare", "doctor")),
        new("demo-svc-06", "Dokter Janssens", "heidebeek", -3, -1, ["gp"], "physical", "Mo,Tu,Th,Fr 09:00-12:00,16:00-18:30", "open", T("amenity", "doctors", "healthcare", "doctor")),
        new("demo-svc-07", "Apotheek Heidebeek", "heidebeek", 1, 1, ["pharmacy"], "physical", "Mo-Fr 08:30-12:30,13:30-18:30; Sa 09:00-12:30", "open", T("amenity", "pharmacy", "healthcare", "pharmacy", "dispensing", "yes")),
        new("demo-svc-08", "Gemeentelijke Basisschool De Regenboog", "heidebeek", 2, 3, ["primary_school", "nursery_school"], "physical", "Mo,Tu,Th,Fr 08:25-15:30; We 08:25-12:05", "open", T("amenity", "school", "isced:level", "0;1")),
        new("demo-svc-09", "Vrije Basisschool Sint-Jozef", "heidebeek", 1, -3, ["primary_school"], "physical", "Mo,Tu,Th,Fr 08:30-15:35; We 08:30-12:10", "open", T("amenity", "school", "isced:level", "1")),
        new("demo-svc-10", "Kleuterschool Het Vlindertje", "heidebeek", -2, -3, ["nursery_school"], "physical", "Mo,Tu,Th,Fr 08:30-15:30; We 08:30-12:00", "open", T("amenity", "kindergarten", "isced:level", "0")),
        new("demo-svc-11", "Postpunt Heidebeek", "heidebeek", 2, -1, ["post_point"], "physical", "Mo-Sa 09:00-18:00", "open", T("amenity", "post_office", "post_office", "post_partner")),
        new("demo-svc-12", "Kempische Spaarkas Heidebeek", "heidebeek", -1, 1, ["atm_bank"], "physical", "Mo-Fr 09:00-12:00,14:00-16:30", "open", T("amenity", "bank", "atm", "yes")),
        new("demo-svc-13", "Geldautomaat Markt", "heidebeek", 0, -1, ["atm_bank"], "physical", "24/7", "open", T("amenity", "atm")),
        new("demo-svc-14", "Gemeentehuis Heidebeek", "heidebeek", -1, -1, ["municipal_desk"], "physical", "Mo-Fr 08:30-12:00; We 13:30-19:00", "open", T("amenity", "townhall", "townhall:type", "municipal")),
        new("demo-svc-15", "Bibliotheek Heidebeek met Digipunt", "heidebeek", -2, 0, ["library", "digipunt"], "physical", "Mo,We,Fr 14:00-19:00; Sa 10:00-13:00", "open", T("amenity", "library", "service:digital_help", "yes")),
        new("demo-svc-16", "Lokaal dienstencentrum 't Heike", "heidebeek", -3, 2, ["welfare_centre"], "physical", "Mo-Fr 09:00-17:00", "open", T("amenity", "social_facility", "social_facility", "outreach", "social_facility:for", "senior")),
        new("demo-svc-17", "Kinderdagverblijf De Kabouters", "heidebeek", 3, 1, ["childcare"], "physical", "Mo-Fr 07:00-18:30", "open", T("amenity", "childcare")),
        new("demo-svc-18", "Café De Zwaan", "heidebeek", -1, 2, ["meeting_place"], "physical", "Mo,We-Su 10:00-24:00", "open", T("amenity", "pub")),
        new("demo-svc-19", "Ontmoetingscentrum De Schakel", "heidebeek", 3, -2, ["meeting_place"], "physical", "Mo-Fr 09:00-22:00; Sa,Su 10:00-18:00", "open", T("amenity", "community_centre")),
        new("demo-svc-20", "E-loket Heidebeek", "heidebeek", -1, -1, ["municipal_desk"], "digital", "24/7", "open", null),

        // Groenhove, the large village: the daily basket and a few more; a welfare centre is only planned.
        new("demo-svc-21", "Bakkerij Het Korenaar", "groenhove", 1, 0, ["bakery"], "physical", "Tu-Sa 06:30-18:30; Su 07:00-12:00", "open", T("shop", "bakery")),
        new("demo-svc-22", "Buurtwinkel 't Hoekske", "groenhove", 0, 1, ["food_shop"], "physical", "Mo-Sa 08:00-19:00; Su 08:00-12:00", "open", T("shop", "convenience")),
        new("demo-svc-23", "Basisschool Groenhove", "groenhove", -1, 1, ["primary_school", "nursery_school"], "physical", "Mo,Tu,Th,Fr 08:30-15:30; We 08:30-12:00", "open", T("amenity", "school", "isced:level", "0;1")),
        new("demo-svc-24", "Huisartsenpraktijk Groenhove", "groenhove", 1, -1, ["gp"], "physical", "Mo-Fr 08:30-12:00,15:00-19:00", "open", T("amenity", "doctors", "healthcare", "doctor")),
        new("demo-svc-25", "Apotheek Groenhove", "groenhove", 1, 1, ["pharmacy"], "physical", "Mo-Fr 08:30-12:30,14:00-18:30; Sa 09:00-12:00", "open", T("amenity", "pharmacy", "healthcare", "pharmacy", "dispensing", "yes")),
        new("demo-svc-26", "Geldautomaat Groenhove", "groenhove", 0, -1, ["atm_bank"], "physical", "24/7", "open", T("amenity", "atm")),
        new("demo-svc-27", "Café Sportwereld", "groenhove", -1, 0, ["meeting_place"], "physical", "Tu-Su 09:00-23:00", "open", T("amenity", "pub")),
        new("demo-svc-28", "Kinderopvang Klein Groen", "groenhove", 2, 0, ["childcare"], "physical", "Mo-Fr 07:00-18:00", "open", T("amenity", "childcare")),
        new("demo-svc-29", "Lokaal dienstencentrum Groenhove (gepland)", "groenhove", -1, -1, ["welfare_centre"], "physical", "Mo-Fr 09:00-16:00", "planned", null, ValidFrom: "2027-01-01"),

        // Lindeveld: bakery, school and café, but no GP or pharmacy: those are in Heidebeek, in cycling but not walking reach.
        new("demo-svc-30", "Bakkerij Lindeveld", "lindeveld", 1, 0, ["bakery"], "physical", "We-Su 07:00-13:00", "open", T("shop", "bakery")),
        new("demo-svc-31", "Vrije Basisschool Lindeveld", "lindeveld", -1, 1, ["primary_school", "nursery_school"], "physical", "Mo,Tu,Th,Fr 08:30-15:30; We 08:30-12:00", "open", T("amenity", "school", "isced:level", "0;1")),
        new("demo-svc-32", "Café Den Hoek", "lindeveld", 0, -1, ["meeting_place"], "physical", "Th-Su 11:00-23:00", "open", T("amenity", "pub")),

        // Kapelle-ten-Bos: main village of Broekhoven with the municipal desk.
        new("demo-svc-33", "Gemeentehuis Broekhoven", "kapelle-ten-bos", 0, 1, ["municipal_desk"], "physical", "Mo-Fr 09:00-12:00; Th 14:00-19:00", "open", T("amenity", "townhall", "townhall:type", "municipal")),
        new("demo-svc-34", "Buurtsuper Kapelle", "kapelle-ten-bos", 1, 0, ["food_shop"], "physical", "Mo-Sa 08:00-19:00", "open", T("shop", "convenience")),
        new("demo-svc-35", "Slagerij Kapelle", "kapelle-ten-bos", -1, 0, ["butcher"], "physical", "Tu-Sa 08:00-18:00", "open", T("shop", "butcher")),
        new("demo-svc-36", "Huisartsenpraktijk Kapelle", "kapelle-ten-bos", 1, 1, ["gp"], "physical", "Mo-Fr 08:00-12:00,16:00-19:00", "open", T("amenity", "doctors", "healthcare", "doctor")),
        new("demo-svc-37", "Apotheek Kapelle", "kapelle-ten-bos", -1, 1, ["pharmacy"], "physical", "Mo-Fr 08:30-12:30,14:00-18:30; Sa 09:00-12:30", "open", T("amenity", "pharmacy", "healthcare", "pharmacy", "dispensing", "yes")),
        new("demo-svc-38", "Basisschool De Kapelle", "kapelle-ten-bos", 0, -1, ["primary_school", "nursery_school"], "physical", "Mo,Tu,Th,Fr 08:30-15:30; We 08:30-12:00", "open", T("amenity", "school", "isced:level", "0;1")),
        new("demo-svc-39", "Postpunt Kapelle", "kapelle-ten-bos", 1, -1, ["post_point"], "physical", "Mo-Fr 09:00-12:30,14:00-18:00; Sa 09:00-12:00", "open", T("amenity", "post_office", "post_office", "post_partner")),
        new("demo-svc-40", "Bibliotheek Broekhoven, uitleenpost Kapelle", "kapelle-ten-bos", -1, -1, ["library"], "physical", "We 14:00-18:00; Sa 10:00-12:00", "open", T("amenity", "library")),
        new("demo-svc-41", "OC Kapelle met Digipunt", "kapelle-ten-bos", 2, 0, ["meeting_place", "digipunt"], "physical", "Tu,Th 13:30-16:30; Fr 19:00-23:00", "open", T("amenity", "community_centre", "service:digital_help", "yes")),
        new("demo-svc-42", "E-loket Broekhoven", "kapelle-ten-bos", 0, 1, ["municipal_desk"], "digital", "24/7", "open", null),

        // Eikenrode: the dorpspunt candidate. Only a café is left; the bank and the school closed.
        new("demo-svc-43", "Café In de Kroon", "eikenrode", 0, 1, ["meeting_place"], "physical", "Mo,Th-Su 10:00-23:00", "open", T("amenity", "pub")),
        new("demo-svc-44", "Voormalig bankkantoor Eikenrode", "eikenrode", 1, 0, ["atm_bank"], "physical", "off", "closed", T("disused:amenity", "bank"), ValidTo: "2023-12-31"),
        new("demo-svc-45", "Basisschool Eikenrode (gesloten 2024)", "eikenrode", -1, 0, ["primary_school"], "physical", "off", "closed", null, ValidTo: "2024-06-30"),

        // Duivenhoek: only a mobile library stop.
        new("demo-svc-46", "Bibliobus halte Duivenhoek", "duivenhoek", 0, 0, ["library"], "mobile", "We 14:00-15:00", "open", null),
    ];

    public static readonly StopSpec[] Stops =
    [
        new("GRH-KERK", "Groenhove Kerk", "groenhove", 0, 0),
        new("GRH-STWG", "Groenhovesteenweg", null, 0, 0, "groenhovesteenweg", 0.5),
        new("HDB-NOORD", "Heidebeek Noord", "heidebeek", -1, 4),
        new("HDB-MARKT", "Heidebeek Markt", "heidebeek", 0, 0),
        new("HDB-SCHOL", "Heidebeek Scholen", "heidebeek", 1, -2),
        new("KTB-KERK", "Kapelle-ten-Bos Kerk", "kapelle-ten-bos", 0, 0),
        new("OOH-DORP", "Ooievaarshoek", "ooievaarshoek", 0, 0),
        new("LDV-DORP", "Lindeveld Dorp", "lindeveld", 0, 0),
        new("EKR-DORP", "Eikenrode Dorp", "eikenrode", 0, 0),
        new("DVH-DORP", "Duivenhoek", "duivenhoek", 0, 0),
    ];

    /// <summary>Line A: the frequent line (every 30 min in peaks, hourly off-peak, hourly on Saturday).</summary>
    public static readonly string[] LineAStops = ["GRH-KERK", "GRH-STWG", "HDB-NOORD", "HDB-MARKT", "KTB-KERK", "OOH-DORP"];

    /// <summary>Line B: the thin line (every 2 hours on weekdays) plus a school trip Lindeveld ↔ Heidebeek Scholen.</summary>
    public static readonly string[] LineBStops = ["LDV-DORP", "HDB-MARKT", "HDB-SCHOL", "EKR-DORP", "KTB-KERK", "DVH-DORP"];
}
