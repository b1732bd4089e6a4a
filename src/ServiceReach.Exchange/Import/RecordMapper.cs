using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Utilities;
using NetTopologySuite.IO;
using ServiceReach.Domain;

namespace ServiceReach.Exchange.Import;

/// <summary>A feature rejected for a reason that does not invalidate the rest of the file.</summary>
internal sealed class RejectedFeatureException(string reason) : Exception(reason);

/// <summary>
/// Turns a <see cref="SourceRecord"/> into the values of one staging row: geometry reprojected to WGS84 and checked against the
/// declared system's area, invalid polygons repaired, fields read through the mapping, a stable id when the input has none.
/// </summary>
internal sealed class RecordMapper
{
    private readonly LayerKind _layer;
    private readonly FieldMapping _mapping;
    private readonly ServiceCatalogue _catalogue;
    private readonly string _file;
    private readonly int _sourceEpsg;
    private readonly (double MinLon, double MinLat, double MaxLon, double MaxLat) _area;
    private readonly List<string> _notes;

    public RecordMapper(LayerKind layer, FieldMapping mapping, ServiceCatalogue catalogue, string file, int sourceEpsg, List<string> notes)
    {
        _layer = layer;
        _mapping = mapping;
        _catalogue = catalogue;
        _file = file;
        _sourceEpsg = sourceEpsg;
        _area = CrsRecognizer.AreaOfUse(sourceEpsg);
        _notes = notes;
    }

    /// <summary>Whether the source id was derived from geometry and name (no id in the input).</summary>
    public bool LastIdWasDerived { get; private set; }

    /// <summary>Values in the order of <see cref="LayerSchema.Columns"/> for the layer (after feature_no and source_id).</summary>
    public (string SourceId, object?[] Values) Map(SourceRecord r)
    {
        var geometry = PrepareGeometry(r);
        var name = Text(r, "name");
        object?[] values;
        switch (_layer)
        {
            case LayerKind.Kernen:
            {
                Point centre;
                MultiPolygon? boundary = null;
                if (geometry is Point p) centre = p;
                else if (geometry is Polygon or MultiPolygon)
                {
                    boundary = ToMultiPolygon(geometry);
                    centre = (Point)geometry.InteriorPoint; // point on surface: always inside, unlike the centroid of a bent kern
                    centre.SRID = CoordinateSystems.Wgs84;
                }
                else throw new RejectedFeatureException($"a kern needs a Point or Polygon geometry, not {geometry.GeometryType}.");
                if (string.IsNullOrWhiteSpace(name)) throw new RejectedFeatureException("kern without a name.");
                var population = Int(r, "population");
                values = [name, centre, boundary, Text(r, "municipality"), population, Int(r, "population_65plus"), false, Text(r, "typology")];
                break;
            }
            case LayerKind.ServicePoints:
            {
                Point location = geometry switch
                {
                    Point p => p,
                    MultiPoint { NumGeometries: 1 } mp => (Point)mp.GetGeometryN(0),
                    _ => (Point)geometry.InteriorPoint,
                };
                location.SRID = CoordinateSystems.Wgs84;
                var categories = Categories(r);
                if (categories.Length == 0) throw new RejectedFeatureException("service point without any category.");
                var channel = EnumValue(r, "channel", Channel.Physical);
                var status = EnumValue(r, "status", ServiceStatus.Open);
                values = [string.IsNullOrWhiteSpace(name) ? categories[0] : name, location, channel.ToString(), Text(r, "opening_hours"), status.ToString(),
                          categories, Text(r, "kern"), Date(r, "valid_from"), Date(r, "valid_to")];
                break;
            }
            case LayerKind.PopulationUnits:
            {
                var population = Int(r, "population") ?? throw new RejectedFeatureException("population unit without a population count.");
                if (population < 0) throw new RejectedFeatureException($"negative population {population}.");
                values = [name, geometry, population, Int(r, "population_65plus"), Int(r, "reference_year")];
                break;
            }
            case LayerKind.Municipalities:
            {
                if (geometry is not (Polygon or MultiPolygon)) throw new RejectedFeatureException($"a municipality needs a polygon, not {geometry.GeometryType}.");
                var nis = Text(r, "nis_code") ?? Text(r, "municipality") ?? throw new RejectedFeatureException("municipality without a NIS code.");
                values = [nis, name ?? nis, ToMultiPolygon(geometry), Int(r, "population")];
                LastIdWasDerived = false;
                return (nis, values);
            }
            case LayerKind.Regions:
            {
                if (geometry is not (Polygon or MultiPolygon)) throw new RejectedFeatureException($"a region needs a polygon, not {geometry.GeometryType}.");
                if (string.IsNullOrWhiteSpace(name)) throw new RejectedFeatureException("region without a name.");
                values = [name, ToMultiPolygon(geometry), Text(r, "description")];
                LastIdWasDerived = false;
                return (name, values);
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(r));
        }
        var id = Text(r, "source_id");
        LastIdWasDerived = string.IsNullOrWhiteSpace(id);
        if (LastIdWasDerived) id = DerivedId(geometry, name);
        return (id!, values);
    }

    /// <summary>
    /// The id of a feature that has none: "geo:" + 16 hex digits of SHA-256 over the name and the geometry's WKB with
    /// coordinates rounded to 1e-7 degree (≈1 cm). Stable across re-imports of an unchanged feature; a moved or renamed
    /// feature gets a new id (so it shows as one closed and one new).
    /// </summary>
    public static string DerivedId(Geometry wgs84, string? name)
    {
        var rounded = wgs84.Copy();
        rounded.Apply(new RoundFilter());
        var wkb = new WKBWriter(ByteOrder.LittleEndian, handleSRID: false).Write(rounded);
        var nameBytes = Encoding.UTF8.GetBytes((name ?? "").Trim() + "\u001f");
        var all = new byte[nameBytes.Length + wkb.Length];
        nameBytes.CopyTo(all, 0);
        wkb.CopyTo(all, nameBytes.Length);
        return "geo:" + Convert.ToHexStringLower(SHA256.HashData(all))[..16];
    }

    private sealed class RoundFilter : ICoordinateSequenceFilter
    {
        public bool Done => false;
        public bool GeometryChanged => true;
        public void Filter(CoordinateSequence seq, int i)
        {
            seq.SetX(i, Math.Round(seq.GetX(i), 7, MidpointRounding.AwayFromZero));
            seq.SetY(i, Math.Round(seq.GetY(i), 7, MidpointRounding.AwayFromZero));
        }
    }

    private Geometry PrepareGeometry(SourceRecord r)
    {
        var g = r.Geometry;
        if (g is null || g.IsEmpty) throw new RejectedFeatureException("empty or missing geometry.");
        // Polygon validity is checked in the source system (metric for Lambert), then the result reprojected.
        if (g is Polygon or MultiPolygon && !g.IsValid)
        {
            var reason = new NetTopologySuite.Operation.Valid.IsValidOp(g).ValidationError?.ToString() ?? "invalid";
            var fixedGeometry = GeometryFixer.Fix(g);
            if (fixedGeometry.IsEmpty || fixedGeometry is not (Polygon or MultiPolygon))
                throw new RejectedFeatureException($"invalid polygon that cannot be repaired ({reason}).");
            _notes.Add($"{Path.GetFileName(_file)}, {r.Where}: invalid polygon repaired ({reason}).");
            g = fixedGeometry;
        }
        var wgs = CoordinateSystems.Transform(g, _sourceEpsg, CoordinateSystems.Wgs84);
        var env = wgs.EnvelopeInternal;
        if (!(env.MinX >= _area.MinLon && env.MaxX <= _area.MaxLon && env.MinY >= _area.MinLat && env.MaxY <= _area.MaxLat))
        {
            var src = g.EnvelopeInternal;
            throw new ImportException(_file,
                $"coordinates ({src.MinX.ToString("G8", CultureInfo.InvariantCulture)}, {src.MinY.ToString("G8", CultureInfo.InvariantCulture)}) lie outside the area of EPSG:{_sourceEpsg}; " +
                "the declared coordinate system is probably wrong (e.g. degrees read as Lambert, or Lambert metres read as degrees).",
                r.FeatureNumber, r.Line);
        }
        return wgs;
    }

    private static MultiPolygon ToMultiPolygon(Geometry g)
    {
        var mp = g switch
        {
            MultiPolygon m => m,
            Polygon p => Geo.Wgs84.CreateMultiPolygon([p]),
            _ => throw new RejectedFeatureException($"expected a polygon, got {g.GeometryType}."),
        };
        mp.SRID = CoordinateSystems.Wgs84;
        return mp;
    }

    private string? Text(SourceRecord r, string target)
    {
        var v = _mapping.Get(r, target, _layer);
        return v switch
        {
            null => null,
            string s => s.Trim().Length == 0 ? null : s.Trim(),
            double d => d.ToString("R", CultureInfo.InvariantCulture),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => v.ToString(),
        };
    }

    private int? Int(SourceRecord r, string target)
    {
        var v = _mapping.Get(r, target, _layer);
        switch (v)
        {
            case null: return null;
            case long l: return checked((int)l);
            case int i: return i;
            case double d when Math.Abs(d - Math.Round(d)) < 1e-9: return (int)Math.Round(d);
            case decimal m when m == decimal.Round(m): return (int)m;
            case string s:
                // Statbel writes "14 293" (thin/normal space as thousands separator).
                var t = s.Replace(" ", "", StringComparison.Ordinal).Replace("\u00a0", "", StringComparison.Ordinal).Replace("\u202f", "", StringComparison.Ordinal);
                if (t.Length == 0) return null;
                if (int.TryParse(t, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n)) return n;
                if (double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var dd) && Math.Abs(dd - Math.Round(dd)) < 1e-9) return (int)dd;
                throw new RejectedFeatureException($"field '{target}' is not a whole number: '{s}'.");
            default:
                throw new RejectedFeatureException($"field '{target}' is not a whole number: '{v}'.");
        }
    }

    private DateOnly? Date(SourceRecord r, string target)
    {
        var s = Text(r, target);
        if (s is null) return null;
        if (DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) return d;
        if (DateTime.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var dt)) return DateOnly.FromDateTime(dt);
        throw new RejectedFeatureException($"field '{target}' is not a date (yyyy-mm-dd): '{s}'.");
    }

    private T EnumValue<T>(SourceRecord r, string target, T fallback) where T : struct, Enum
    {
        var s = Text(r, target);
        if (s is null) return fallback;
        if (Enum.TryParse<T>(s, ignoreCase: true, out var v) && Enum.IsDefined(v)) return v;
        throw new RejectedFeatureException($"field '{target}' has unknown value '{s}' (expected {string.Join(", ", Enum.GetNames<T>()).ToLowerInvariant()}).");
    }

    private string[] Categories(SourceRecord r)
    {
        var v = _mapping.Get(r, "categories", _layer);
        var raw = new List<string>();
        switch (v)
        {
            case null: break;
            case string s when s.TrimStart().StartsWith('['):
                try
                {
                    foreach (var e in JsonDocument.Parse(s).RootElement.EnumerateArray()) raw.Add(e.ToString());
                }
                catch (JsonException) { throw new RejectedFeatureException($"categories '{s}' is not a JSON array."); }
                break;
            case string s:
                raw.AddRange(s.Split([';', ',', '|'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
                break;
            case System.Collections.IEnumerable list:
                foreach (var o in list) if (o is not null) raw.Add(Convert.ToString(o, CultureInfo.InvariantCulture)!.Trim());
                break;
            default:
                raw.Add(Convert.ToString(v, CultureInfo.InvariantCulture)!);
                break;
        }
        var codes = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var value in raw)
        {
            var code = _mapping.CategoryValues.TryGetValue(value, out var mapped) ? mapped : value;
            if (!_catalogue.Contains(code))
            {
                var lower = code.ToLowerInvariant();
                if (!_catalogue.Contains(lower))
                    throw new RejectedFeatureException($"unknown service category '{value}' (map it with categoryValues in a mapping file; known: {string.Join(", ", _catalogue.Categories.Select(c => c.Code))}).");
                code = lower;
            }
            codes.Add(code);
        }
        return [.. codes];
    }
}
