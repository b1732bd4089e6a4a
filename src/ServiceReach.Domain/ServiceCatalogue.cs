using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ServiceReach.Domain;

/// <summary>Travel-time threshold for one mode, with where the number comes from.</summary>
public sealed record Threshold(double Seconds, string Source);

/// <summary>A category definition in the catalogue (the editable configuration behind <see cref="ServiceCategory"/>).</summary>
public sealed record CategoryDefinition(
    string Code,
    string NameNl,
    string NameEn,
    NeedFrequency Need,
    Channel Channel,
    IReadOnlyList<OsmTagRule> OsmRules,
    IReadOnlyDictionary<Mode, Threshold> ThresholdOverrides)
{
    /// <summary>True when any of the category's OSM rules matches the tags.</summary>
    public bool MatchesOsm(IReadOnlyDictionary<string, string> tags)
    {
        foreach (var r in OsmRules)
        {
            if (r.Matches(tags)) return true;
        }
        return false;
    }
}

/// <summary>A named set of needs; each group is satisfied by any one of its categories (e.g. bakery OR butcher OR food shop).</summary>
public sealed record Basket(string Code, string Name, string Source, IReadOnlyList<IReadOnlyList<string>> Groups);

/// <summary>
/// The service catalogue: categories with OSM tag rules, need frequency, channel and per-mode thresholds with their source,
/// and named baskets. Defaults come from domain.md §4–5; users override them with their own JSON file.
/// </summary>
public sealed class ServiceCatalogue
{
    public IReadOnlyList<CategoryDefinition> Categories { get; }
    public IReadOnlyDictionary<Mode, Threshold> DefaultThresholds { get; }
    public IReadOnlyList<Basket> Baskets { get; }

    private readonly Dictionary<string, CategoryDefinition> _byCode;

    public ServiceCatalogue(IReadOnlyList<CategoryDefinition> categories, IReadOnlyDictionary<Mode, Threshold> thresholds, IReadOnlyList<Basket> baskets)
    {
        Categories = categories;
        DefaultThresholds = thresholds;
        Baskets = baskets;
        _byCode = new Dictionary<string, CategoryDefinition>(StringComparer.Ordinal);
        foreach (var c in categories)
        {
            if (!_byCode.TryAdd(c.Code, c)) throw new InvalidDataException($"Catalogue: category code '{c.Code}' appears twice.");
        }
        foreach (var b in baskets)
        {
            foreach (var g in b.Groups)
            {
                foreach (var code in g)
                {
                    if (!_byCode.ContainsKey(code)) throw new InvalidDataException($"Catalogue: basket '{b.Code}' names unknown category '{code}'.");
                }
            }
        }
        foreach (Mode m in Enum.GetValues<Mode>())
        {
            if (!thresholds.ContainsKey(m)) throw new InvalidDataException($"Catalogue: no threshold for mode {m}.");
        }
    }

    public CategoryDefinition this[string code]
        => _byCode.TryGetValue(code, out var c) ? c : throw new KeyNotFoundException($"Unknown service category '{code}'. Known: {string.Join(", ", _byCode.Keys)}.");

    public bool Contains(string code) => _byCode.ContainsKey(code);

    public bool TryGet(string code, out CategoryDefinition category) => _byCode.TryGetValue(code, out category!);

    /// <summary>The threshold for a category and mode: the category's override or the mode default.</summary>
    public Threshold ThresholdFor(string code, Mode mode)
        => this[code].ThresholdOverrides.TryGetValue(mode, out var t) ? t : DefaultThresholds[mode];

    /// <summary>All categories whose OSM rules match the tags, in catalogue order.</summary>
    public List<string> MatchOsm(IReadOnlyDictionary<string, string> tags)
    {
        var result = new List<string>();
        foreach (var c in Categories)
        {
            if (c.MatchesOsm(tags)) result.Add(c.Code);
        }
        return result;
    }

    public Basket Basket(string code)
    {
        foreach (var b in Baskets)
        {
            if (b.Code == code) return b;
        }
        throw new KeyNotFoundException($"Unknown basket '{code}'.");
    }

    private static readonly Lazy<ServiceCatalogue> DefaultInstance = new(() =>
    {
        using var s = Assembly.GetExecutingAssembly().GetManifestResourceStream("ServiceReach.Domain.Resources.catalogue.json")
            ?? throw new InvalidOperationException("Embedded default catalogue is missing.");
        return Load(s, "default catalogue");
    });

    /// <summary>The default catalogue of domain.md §4–5.</summary>
    public static ServiceCatalogue Default => DefaultInstance.Value;

    /// <summary>The default catalogue as JSON text, a starting point for a user's own file.</summary>
    public static string DefaultJson()
    {
        using var s = Assembly.GetExecutingAssembly().GetManifestResourceStream("ServiceReach.Domain.Resources.catalogue.json")!;
        using var r = new StreamReader(s);
        return r.ReadToEnd();
    }

    public static ServiceCatalogue LoadFile(string path)
    {
        using var s = File.OpenRead(path);
        return Load(s, path);
    }

    public static ServiceCatalogue Load(Stream json, string sourceName)
    {
        CatalogueFile? file;
        try
        {
            file = JsonSerializer.Deserialize<CatalogueFile>(json, JsonOptions);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{sourceName}: invalid catalogue JSON at line {ex.LineNumber + 1}: {ex.Message}", ex);
        }
        if (file?.Categories is null || file.Thresholds is null)
            throw new InvalidDataException($"{sourceName}: a catalogue needs 'thresholds' and 'categories'.");

        var thresholds = new Dictionary<Mode, Threshold>();
        foreach (var (k, v) in file.Thresholds)
        {
            if (!Enum.TryParse<Mode>(k, ignoreCase: true, out var mode))
                throw new InvalidDataException($"{sourceName}: unknown mode '{k}' in thresholds (known: {string.Join(", ", Enum.GetNames<Mode>())}).");
            thresholds[mode] = ToThreshold(v, sourceName, k);
        }

        var categories = new List<CategoryDefinition>();
        foreach (var c in file.Categories)
        {
            if (string.IsNullOrWhiteSpace(c.Code)) throw new InvalidDataException($"{sourceName}: a category has no code.");
            var rules = new List<OsmTagRule>();
            foreach (var r in c.Osm ?? [])
            {
                try { rules.Add(OsmTagRule.Parse(r)); }
                catch (FormatException ex) { throw new InvalidDataException($"{sourceName}: category '{c.Code}': {ex.Message}", ex); }
            }
            var overrides = new Dictionary<Mode, Threshold>();
            foreach (var (k, v) in c.Thresholds ?? [])
            {
                if (!Enum.TryParse<Mode>(k, ignoreCase: true, out var mode))
                    throw new InvalidDataException($"{sourceName}: category '{c.Code}': unknown mode '{k}'.");
                overrides[mode] = ToThreshold(v, sourceName, c.Code + "." + k);
            }
            categories.Add(new CategoryDefinition(c.Code, c.Nl ?? c.Code, c.En ?? c.Code, c.Need, c.Channel, rules, overrides));
        }

        var baskets = new List<Basket>();
        foreach (var b in file.Baskets ?? [])
        {
            baskets.Add(new Basket(b.Code ?? "basket", b.Name ?? b.Code ?? "basket", b.Source ?? "", b.Groups ?? []));
        }
        return new ServiceCatalogue(categories, thresholds, baskets);
    }

    private static Threshold ToThreshold(ThresholdDto v, string sourceName, string what)
    {
        if (!(v.Seconds > 0) || double.IsInfinity(v.Seconds))
            throw new InvalidDataException($"{sourceName}: threshold '{what}' must be a positive number of seconds.");
        return new Threshold(v.Seconds, v.Source ?? "user configuration");
    }

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        Converters = { new JsonStringEnumConverter() },
    };

    private sealed class CatalogueFile
    {
        public Dictionary<string, ThresholdDto>? Thresholds { get; set; }
        public List<CategoryDto>? Categories { get; set; }
        public List<BasketDto>? Baskets { get; set; }
    }

    private sealed class ThresholdDto
    {
        public double Seconds { get; set; }
        public string? Source { get; set; }
    }

    private sealed class CategoryDto
    {
        public string Code { get; set; } = "";
        public string? Nl { get; set; }
        public string? En { get; set; }
        public NeedFrequency Need { get; set; }
        public Channel Channel { get; set; }
        public List<string>? Osm { get; set; }
        public Dictionary<string, ThresholdDto>? Thresholds { get; set; }
    }

    private sealed class BasketDto
    {
        public string? Code { get; set; }
        public string? Name { get; set; }
        public string? Source { get; set; }
        public List<IReadOnlyList<string>>? Groups { get; set; }
    }
}
