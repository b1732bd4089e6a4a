using System.Text.Json;
using System.Text.Json.Serialization;

namespace ServiceReach.Exchange.Import;

/// <summary>
/// A table joined to the input, adding its columns to each record. By key: a CSV whose <see cref="Key"/> column matches the
/// input field <see cref="On"/> (e.g. kern names by kern code). Spatial: a polygon file (.shp, .geojson, .gpkg) whose polygon
/// contains the record's point on surface (e.g. the kern type from a typology map); then Key and On are left out.
/// </summary>
public sealed record JoinSpec
{
    /// <summary>CSV or polygon file; relative paths are resolved against the mapping file's folder.</summary>
    public required string File { get; init; }
    /// <summary>Key column in the joined CSV (key joins only).</summary>
    public string? Key { get; init; }
    /// <summary>Field of the input record whose value is looked up in <see cref="Key"/> (key joins only).</summary>
    public string? On { get; init; }
    /// <summary>Columns to take from the joined table; null = all.</summary>
    public IReadOnlyList<string>? Columns { get; init; }
    /// <summary>Optional prefix for the joined columns, to avoid clashes.</summary>
    public string? Prefix { get; init; }
    public string? Encoding { get; init; }
}

/// <summary>
/// Says which input field feeds which field of a layer, so a municipality's own file imports without code. Field names of the
/// targets are listed in docs/importing.md; unmapped targets fall back to the usual names (<see cref="DefaultAliases"/>).
/// Loaded from JSON: <c>{"fields": {"name": "NAAM"}, "constants": {"channel": "mobile"}, "categoryValues": {"bakkerij": "bakery"},
/// "x": "X_LAMBERT", "y": "Y_LAMBERT", "crs": "EPSG:31370", "encoding": "iso-8859-1", "joins": [...]}</c>.
/// </summary>
public sealed record FieldMapping
{
    /// <summary>Target field → input field name (case-insensitive).</summary>
    public IReadOnlyDictionary<string, string> Fields { get; init; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
    /// <summary>Target field → constant value for every record (used when the mapped field is absent or empty).</summary>
    public IReadOnlyDictionary<string, string> Constants { get; init; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
    /// <summary>Input category value → catalogue category code (case-insensitive), e.g. "Bakkerij" → "bakery".</summary>
    public IReadOnlyDictionary<string, string> CategoryValues { get; init; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
    /// <summary>CSV: column of the x / longitude; null = detect (lon, lng, longitude, x, stop_lon, …).</summary>
    public string? X { get; init; }
    /// <summary>CSV: column of the y / latitude; null = detect.</summary>
    public string? Y { get; init; }
    /// <summary>Coordinate system of the input, e.g. "EPSG:31370"; overrides what the file says only when the request gives none.</summary>
    public string? Crs { get; init; }
    public string? Encoding { get; init; }
    /// <summary>CSV delimiter; null = detect from the header (comma, semicolon, tab).</summary>
    public string? Delimiter { get; init; }
    public IReadOnlyList<JoinSpec> Joins { get; init; } = [];
    /// <summary>Folder against which relative join paths resolve.</summary>
    [JsonIgnore] public string? BaseDirectory { get; init; }

    /// <summary>The mapping that uses the usual field names for every target.</summary>
    public static FieldMapping Default { get; } = new();

    /// <summary>
    /// Usual input names for each target field, tried in order when the mapping names none. They match the bundled demo
    /// region files, Statbel/Provincies in Cijfers files, GTFS stops and common Dutch spellings.
    /// </summary>
    public static IReadOnlyDictionary<string, string[]> DefaultAliases { get; } = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase)
    {
        ["source_id"] = ["source_id", "sourceid", "id", "unit_id", "stop_id"],
        ["name"] = ["name", "naam", "name_nl", "naam_nl", "stop_name", "municipality_nl", "short name"],
        ["municipality"] = ["nis_code", "niscode", "nis", "municipality_code", "municipality", "gemeente", "nis_gemeente"],
        ["population"] = ["population", "inwoners", "bevolking", "inhabitants", "pop"],
        ["population_65plus"] = ["population_65plus", "population65plus", "population_65_plus", "pop65", "inwoners_65plus"],
        ["typology"] = ["typology", "kerntypering_label", "typering", "type", "place"],
        ["categories"] = ["categories", "category", "categorie", "categorieen", "categorieën"],
        ["channel"] = ["channel", "kanaal"],
        ["opening_hours"] = ["opening_hours", "openingsuren"],
        ["status"] = ["status"],
        ["kern"] = ["kern_source_id", "kern", "kern_id"],
        ["valid_from"] = ["valid_from", "start_date"],
        ["valid_to"] = ["valid_to", "end_date", "closed_on"],
        ["reference_year"] = ["reference_year", "year", "jaar"],
        ["nis_code"] = ["nis_code", "niscode", "nis", "NIS_code", "code", "id"],
        ["description"] = ["description", "omschrijving"],
    };

    /// <summary>Loads a mapping file; errors name the file and line.</summary>
    public static FieldMapping Load(string path)
    {
        if (!File.Exists(path)) throw new ImportException(path, "mapping file not found.");
        MappingFile? file;
        try
        {
            using var s = File.OpenRead(path);
            file = JsonSerializer.Deserialize<MappingFile>(s, JsonOptions);
        }
        catch (JsonException ex)
        {
            throw new ImportException(path, "invalid mapping JSON: " + ex.Message, null, (ex.LineNumber ?? 0) + 1, ex);
        }
        if (file is null) throw new ImportException(path, "the mapping file is empty.");
        return FromFile(file, path, Path.GetDirectoryName(Path.GetFullPath(path)));
    }

    /// <summary>A mapping given inline as JSON (e.g. in a region manifest).</summary>
    public static FieldMapping FromJson(System.Text.Json.JsonElement json, string where, string? baseDirectory = null)
    {
        MappingFile? file;
        try { file = json.Deserialize<MappingFile>(JsonOptions); }
        catch (JsonException ex) { throw new ImportException(where, "invalid mapping: " + ex.Message, inner: ex); }
        return FromFile(file ?? new MappingFile(), where, baseDirectory);
    }

    private static FieldMapping FromFile(MappingFile file, string path, string? baseDirectory)
    {
        foreach (var key in (file.Fields ?? []).Keys.Concat((file.Constants ?? []).Keys))
        {
            if (!DefaultAliases.ContainsKey(key))
                throw new ImportException(path, $"unknown target field '{key}'. Known: {string.Join(", ", DefaultAliases.Keys)}.");
        }
        return new FieldMapping
        {
            Fields = new Dictionary<string, string>(file.Fields ?? [], StringComparer.OrdinalIgnoreCase),
            Constants = new Dictionary<string, string>(file.Constants ?? [], StringComparer.OrdinalIgnoreCase),
            CategoryValues = new Dictionary<string, string>(file.CategoryValues ?? [], StringComparer.OrdinalIgnoreCase),
            X = file.X,
            Y = file.Y,
            Crs = file.Crs,
            Encoding = file.Encoding,
            Delimiter = file.Delimiter,
            Joins = file.Joins ?? [],
            BaseDirectory = baseDirectory,
        };
    }

    /// <summary>The value of a target field in a record: mapped field, else the first usual name present, else the constant.</summary>
    public object? Get(SourceRecord record, string target, LayerKind? layer = null)
    {
        object? value = null;
        if (Fields.TryGetValue(target, out var field))
        {
            record.Attributes.TryGetValue(field, out value);
        }
        else if (DefaultAliases.TryGetValue(target, out var aliases))
        {
            // A kern file's own key is usually called "kern" or "geoitem"; for service points "kern" names the kern they serve.
            if (layer == LayerKind.Kernen && target == "source_id") aliases = KernSourceIdAliases;
            foreach (var a in aliases)
            {
                if (record.Attributes.TryGetValue(a, out value) && value is not null) break;
            }
        }
        if (value is null || value is string { Length: 0 })
        {
            if (Constants.TryGetValue(target, out var constant)) return constant;
        }
        return value;
    }

    private static readonly string[] KernSourceIdAliases = ["source_id", "sourceid", "id", "kern", "geoitem", "geoitem code", "kern_id", "code"];

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    private sealed class MappingFile
    {
        public Dictionary<string, string>? Fields { get; set; }
        public Dictionary<string, string>? Constants { get; set; }
        public Dictionary<string, string>? CategoryValues { get; set; }
        public string? X { get; set; }
        public string? Y { get; set; }
        public string? Crs { get; set; }
        public string? Encoding { get; set; }
        public string? Delimiter { get; set; }
        public List<JoinSpec>? Joins { get; set; }
    }
}
