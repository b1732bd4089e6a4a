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

/// <summary>A feature outside the import's clip polygon.</summary>
internal sealed class OutsideClipException() : Exception("outside the clip polygon");

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
    private readonly Func<int> _sourceEpsg;
    private readonly List<string> _notes;

    private readonly NetTopologySuite.Geometries.Prepared.IPreparedGeometry? _clip;

    /// <param name="sourceEpsg">Asked per record: a GeoJSON file's legacy crs member is only known once reading has begun.</param>
    public RecordMapper(LayerKind layer, FieldMapping mapping, ServiceCatalogue catalogue, string file, Func<int> sourceEpsg, List<string> notes, Geometry? clip = null)
    {
        _clip = clip is null ? null : NetTopologySuite.Geometries.Prepared.PreparedGeometryFactory.Prepare(clip);
        _layer = layer;
        _mapping = mapping;
        _catalogue = catalogue;
        _file = file;
        _sourceEpsg = sourceEpsg;
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
    /// The id of a feature that has none: "geo:" + 16 hex digits of SHA-256 over the trimmed name, the geometry's dimension
    /// (point/line/area, so a shapefile's one-part MultiPolygon equals a GeoJSON Polygon), its number of vertices and its
    /// centroid rounded to 1e-6 degree (≈ 10 cm). Stable across re-imports of an unchanged feature and
    /// across formats (a shapefile and its GeoJSON conversion, whose last digits differ, give the same id); a moved or
    /// renamed feature gets a new id (it shows as one closed and one new). Hashing every vertex would make the id depend on
    /// the last digit any converter wrote.
    /// </summary>
    public static string DerivedId(Geometry wgs84, string? name)
    {
        var c = wgs84 is Point p ? p.Coordinate : wgs84.Centroid.Coordinate;
        var text = string.Create(CultureInfo.InvariantCulture,
            $"{(name ?? "").Trim()}\u001f{(int)wgs84.Dimension}\u001f{wgs84.NumPoints}\u001f{Math.Round(c.X, 6, MidpointRounding.AwayFromZero):F6}\u001f{Math.Round(c.Y, 6, MidpointRounding.AwayFromZero):F6}");
        return "geo:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
    }

    private Geometry PrepareGeometry(SourceRecord r)
    {
        var g = r.Geometry;
        if (g is null || g.IsEmpty) throw new RejectedFeatureException("empty or missing geometry.");
        g = TwoD.Apply(g);
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
        var epsg = _sourceEpsg();
        var area = CrsRecognizer.AreaOfUse(epsg);
        var wgs = CoordinateSystems.Transform(g, epsg, CoordinateSystems.Wgs84);
        var env = wgs.EnvelopeInternal;
        if (!(env.MinX >= area.MinLon && env.MaxX <= area.MaxLon && env.MinY >= area.MinLat && env.MaxY <= area.MaxLat))
        {
            var src = g.EnvelopeInternal;
            throw new ImportException(_file,
                $"coordinates ({src.MinX.ToString("G8", CultureInfo.InvariantCulture)}, {src.MinY.ToString("G8", CultureInfo.InvariantCulture)}) lie outside the area of EPSG:{epsg}; " +
                "the declared coordinate system is probably wrong (e.g. degrees read as Lambert, or Lambert metres read as degrees).",
                r.FeatureNumber, r.Line);
        }
        if (_clip is not null && !_clip.Intersects(wgs)) throw new OutsideClipException();
        return wgs;
    }

    /// <summary>Drops Z and M (shapefile PolygonZ, GeoPackage XYZ): the store holds 2D geometries.</summary>
    private sealed class TwoD : GeometryTransformer
    {
        public static Geometry Apply(Geometry g)
        {
            var needed = false;
            g.Apply(new SequenceCheck(() => needed = true));
            return needed ? new TwoD().Transform(g) : g;
        }

        protected override CoordinateSequence TransformCoordinates(CoordinateSequence coords, Geometry parent)
        {
            var result = Factory.CoordinateSequenceFactory.Create(coords.Count, 2, 0);
            for (var i = 0; i < coords.Count; i++)
            {
                result.SetX(i, coords.GetX(i));
                result.SetY(i, coords.GetY(i));
            }
            return result;
        }

        private sealed class SequenceCheck(Action found) : ICoordinateSequenceFilter
        {
            private bool _found;
            public bool Done => _found;
            public bool GeometryChanged => false;
            public void Filter(CoordinateSequence seq, int i)
            {
                if (seq.Dimension > 2 || seq.Measures > 0)
                {
                    _found = true;
                    found();
                }
            }
        }
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
