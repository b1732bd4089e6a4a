using System.Globalization;
using NetTopologySuite.Geometries;
using OsmSharp;
using OsmSharp.Streams;
using ServiceReach.Domain;
using ServiceReach.Exchange.Import;

namespace ServiceReach.Exchange.Osm;

/// <summary>
/// Reads service points or kern centres from an OpenStreetMap PBF or XML file in one streaming pass.
/// Service points: nodes and ways whose tags match a catalogue category (<see cref="ServiceCatalogue.MatchOsm"/>); a way
/// becomes its point on surface (inside the building or area). Kern centres: <c>place=town|village|hamlet|suburb</c> nodes
/// with their <c>population</c> tag. Source ids are "node/123" and "way/456", stable across extracts.
/// Memory: node coordinates are kept in flat arrays (16 bytes a node) so ways can be placed; relations are not read.
/// </summary>
public sealed class OsmRecordSource : IRecordSource
{
    /// <summary>The place values that make a kern centre, in order of size.</summary>
    public static readonly IReadOnlyList<string> KernPlaceValues = ["town", "village", "hamlet", "suburb"];

    private readonly string _path;
    private readonly bool _pbf;
    private readonly LayerKind _layer;
    private readonly ServiceCatalogue _catalogue;
    private readonly List<string> _notes = [];
    private FileStream? _stream;

    public OsmRecordSource(string path, bool pbf, LayerKind layer, ServiceCatalogue? catalogue = null)
    {
        if (!File.Exists(path)) throw new ImportException(path, "file not found.");
        if (layer is not (LayerKind.ServicePoints or LayerKind.Kernen))
            throw new ImportException(path, $"OpenStreetMap files can feed service points or kernen, not {layer}.");
        _path = path;
        _pbf = pbf;
        _layer = layer;
        _catalogue = catalogue ?? ServiceCatalogue.Default;
        TotalBytes = new FileInfo(path).Length;
    }

    public int Epsg => CoordinateSystems.Wgs84;
    public IReadOnlyList<string> Notes => _notes;
    public long BytesRead => _stream is { CanRead: true } s ? s.Position : TotalBytes ?? 0;
    public long? TotalBytes { get; }

    public IEnumerable<SourceRecord> Read(CancellationToken ct)
    {
        _stream = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        OsmStreamSource source = _pbf ? new PBFOsmStreamSource(_stream) : new XmlOsmStreamSource(_stream);
        var nodes = new NodeStore();
        var factory = NetTopologySuite.NtsGeometryServices.Instance.CreateGeometryFactory(CoordinateSystems.Wgs84);
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        long n = 0, waysWithMissingNodes = 0;
        var keepNodes = _layer == LayerKind.ServicePoints;
        var enumerator = source.GetEnumerator();
        try
        {
            while (true)
            {
                ct.ThrowIfCancellationRequested();
                OsmGeo geo;
                try
                {
                    if (!enumerator.MoveNext()) break;
                    geo = enumerator.Current;
                }
                catch (Exception ex) when (ex is not OperationCanceledException and not ImportException)
                {
                    throw new ImportException(_path, $"cannot read the OpenStreetMap data after {n} features: {ex.Message}", inner: ex);
                }
                if (geo.Id is null) continue;
                if (geo is Node node)
                {
                    if (node.Latitude is null || node.Longitude is null) continue;
                    if (keepNodes) nodes.Add(node.Id!.Value, node.Longitude.Value, node.Latitude.Value);
                    if (node.Tags is null || node.Tags.Count == 0) continue;
                    FillTags(node.Tags, tags);
                    var record = Match(tags, "node/" + node.Id!.Value.ToString(CultureInfo.InvariantCulture), factory.CreatePoint(new Coordinate(node.Longitude.Value, node.Latitude.Value)), n + 1);
                    if (record is not null)
                    {
                        n++;
                        yield return record;
                    }
                }
                else if (geo is Way way && keepNodes)
                {
                    if (way.Tags is null || way.Tags.Count == 0 || way.Nodes is null || way.Nodes.Length == 0) continue;
                    FillTags(way.Tags, tags);
                    var categories = _catalogue.MatchOsm(tags);
                    if (categories.Count == 0) continue;
                    var geometry = WayGeometry(way, nodes, factory, out var missing);
                    if (missing) waysWithMissingNodes++;
                    if (geometry is null) continue;
                    var point = geometry is Point p ? p : (Point)geometry.InteriorPoint;
                    point.SRID = CoordinateSystems.Wgs84;
                    n++;
                    yield return new SourceRecord(n, 0, point, ServiceAttributes(tags, "way/" + way.Id!.Value.ToString(CultureInfo.InvariantCulture), categories));
                }
                else if (geo is Relation && !keepNodes)
                {
                    break; // kern centres come from nodes only; relations follow all nodes in sorted files
                }
            }
        }
        finally
        {
            enumerator.Dispose();
        }
        if (waysWithMissingNodes > 0)
            _notes.Add($"{Path.GetFileName(_path)}: {waysWithMissingNodes} matching ways reference nodes outside the extract; placed on the nodes present.");
    }

    private SourceRecord? Match(Dictionary<string, string> tags, string id, Point point, long featureNumber)
    {
        if (_layer == LayerKind.ServicePoints)
        {
            var categories = _catalogue.MatchOsm(tags);
            return categories.Count == 0 ? null : new SourceRecord(featureNumber, 0, point, ServiceAttributes(tags, id, categories));
        }
        if (!tags.TryGetValue("place", out var place) || !KernPlaceValues.Contains(place)) return null;
        if (!tags.TryGetValue("name", out var name)) return null;
        var attributes = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase)
        {
            ["source_id"] = id,
            ["name"] = name,
            ["typology"] = place,
            ["population"] = ParsePopulation(tags.GetValueOrDefault("population")),
        };
        return new SourceRecord(featureNumber, 0, point, attributes);
    }

    private static Dictionary<string, object?> ServiceAttributes(Dictionary<string, string> tags, string id, List<string> categories)
        => new(StringComparer.OrdinalIgnoreCase)
        {
            ["source_id"] = id,
            ["name"] = tags.GetValueOrDefault("name"),
            ["categories"] = categories,
            ["opening_hours"] = tags.GetValueOrDefault("opening_hours"),
        };

    /// <summary>OSM population tags are free text ("1.234", "ca. 500"); only a plain whole number is used.</summary>
    private static long? ParsePopulation(string? value)
    {
        if (value is null) return null;
        var t = value.Trim().Replace(" ", "", StringComparison.Ordinal);
        return long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : null;
    }

    private static void FillTags(OsmSharp.Tags.TagsCollectionBase source, Dictionary<string, string> target)
    {
        target.Clear();
        foreach (var t in source) target[t.Key] = t.Value;
    }

    private static Geometry? WayGeometry(Way way, NodeStore nodes, GeometryFactory factory, out bool missing)
    {
        var coords = new List<Coordinate>(way.Nodes.Length);
        missing = false;
        foreach (var id in way.Nodes)
        {
            if (nodes.TryGet(id, out var lon, out var lat)) coords.Add(new Coordinate(lon, lat));
            else missing = true;
        }
        if (coords.Count == 0) return null;
        if (coords.Count == 1) return factory.CreatePoint(coords[0]);
        var closed = !missing && way.Nodes.Length >= 4 && way.Nodes[0] == way.Nodes[^1];
        if (closed)
        {
            var polygon = factory.CreatePolygon(coords.ToArray());
            if (polygon.IsValid) return polygon;
        }
        return factory.CreateLineString(coords.ToArray());
    }

    public void Dispose() => _stream?.Dispose();

    /// <summary>Node coordinates in flat, growing arrays; ids arrive sorted in PBF/XML, else they are sorted once before lookup.</summary>
    private sealed class NodeStore
    {
        private long[] _ids = new long[1 << 16];
        private double[] _lon = new double[1 << 16];
        private double[] _lat = new double[1 << 16];
        private int _count;
        private bool _sorted = true;
        private bool _sortChecked = true;

        public void Add(long id, double lon, double lat)
        {
            if (_count == _ids.Length)
            {
                Array.Resize(ref _ids, _count * 2);
                Array.Resize(ref _lon, _count * 2);
                Array.Resize(ref _lat, _count * 2);
            }
            if (_count > 0 && id <= _ids[_count - 1]) { _sorted = false; _sortChecked = false; }
            _ids[_count] = id;
            _lon[_count] = lon;
            _lat[_count] = lat;
            _count++;
        }

        public bool TryGet(long id, out double lon, out double lat)
        {
            if (!_sortChecked) SortNow();
            var i = Array.BinarySearch(_ids, 0, _count, id);
            if (i < 0)
            {
                lon = lat = 0;
                return false;
            }
            lon = _lon[i];
            lat = _lat[i];
            return true;
        }

        private void SortNow()
        {
            if (!_sorted)
            {
                var order = new int[_count];
                for (var i = 0; i < _count; i++) order[i] = i;
                var keys = _ids.AsSpan(0, _count).ToArray();
                Array.Sort(keys, order);
                var lon = new double[_ids.Length];
                var lat = new double[_ids.Length];
                for (var i = 0; i < _count; i++)
                {
                    lon[i] = _lon[order[i]];
                    lat[i] = _lat[order[i]];
                }
                keys.CopyTo(_ids, 0);
                _lon = lon;
                _lat = lat;
                _sorted = true;
            }
            _sortChecked = true;
        }
    }
}
