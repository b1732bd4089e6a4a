using System.Text;
using System.Text.Json;
using NetTopologySuite.Geometries;
using ServiceReach.Domain;
using ServiceReach.Exchange.Import;

namespace ServiceReach.Exchange.GeoJson;

/// <summary>
/// Streams the features of a GeoJSON FeatureCollection with <see cref="Utf8JsonReader"/> over a growing byte window:
/// only one feature is held in memory at a time, so a 2 GB file reads with flat memory. Coordinates are WGS84
/// (RFC 7946) unless the legacy <c>crs</c> member (as ogr2ogr writes it) or the caller declares otherwise.
/// </summary>
public sealed class GeoJsonRecordSource : IRecordSource
{
    private readonly string _path;
    private readonly int? _declaredEpsg;
    private readonly List<string> _notes = [];
    private readonly GeometryFactory _factory;
    private FileStream? _stream;

    public GeoJsonRecordSource(string path, int? declaredEpsg = null)
    {
        _path = path;
        _declaredEpsg = declaredEpsg;
        if (!File.Exists(path)) throw new ImportException(path, "file not found.");
        TotalBytes = new FileInfo(path).Length;
        Epsg = declaredEpsg ?? CoordinateSystems.Wgs84;
        _factory = NetTopologySuite.NtsGeometryServices.Instance.CreateGeometryFactory();
    }

    public int Epsg { get; private set; }
    public IReadOnlyList<string> Notes => _notes;
    public long BytesRead { get; private set; }
    public long? TotalBytes { get; }

    private enum Phase { Start, Root, Features, Done }

    public IEnumerable<SourceRecord> Read(CancellationToken ct)
    {
        _stream = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        var buffer = new byte[1 << 16];
        int start = 0, end = 0;
        var eof = false;
        var state = new JsonReaderState(new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var phase = Phase.Start;
        int newlineScanPos = 0;     // buffer offset up to which newlines were counted into linesAtScanPos
        long linesAtScanPos = 1;
        long featureNumber = 0;
        var sawFeatures = false;

        // Skip a UTF-8 byte order mark.
        end = FillInitial(buffer, ref eof);
        if (end >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF) start = 3;
        newlineScanPos = start;

        while (phase != Phase.Done)
        {
            ct.ThrowIfCancellationRequested();
            var step = Step(buffer, start, end, eof, ref state, ref phase, out var consumed, out var featureSlice, out var error, ref sawFeatures);
            if (error is not null)
            {
                var line = LineAt(buffer, error.Value.Offset, ref newlineScanPos, ref linesAtScanPos);
                throw new ImportException(_path, error.Value.Message + (featureNumber > 0 ? $" (after feature {featureNumber})" : ""), null, line);
            }
            if (step == StepResult.NeedMore)
            {
                if (eof)
                {
                    var line = LineAt(buffer, end, ref newlineScanPos, ref linesAtScanPos);
                    throw new ImportException(_path, $"the file ends before the GeoJSON is complete (truncated after feature {featureNumber}).", null, line);
                }
                // Count lines in what we drop, then slide the unconsumed tail to the front and read more.
                LineAt(buffer, start, ref newlineScanPos, ref linesAtScanPos);
                var remaining = end - start;
                if (start == 0 && remaining == buffer.Length) Array.Resize(ref buffer, buffer.Length * 2);
                else if (start > 0)
                {
                    Buffer.BlockCopy(buffer, start, buffer, 0, remaining);
                    newlineScanPos -= start;
                    start = 0;
                    end = remaining;
                }
                var read = _stream.Read(buffer, end, buffer.Length - end);
                if (read == 0) eof = true;
                end += read;
                BytesRead = _stream.Position;
                continue;
            }
            if (featureSlice.Length > 0)
            {
                featureNumber++;
                var featureStart = start + featureSlice.Offset;
                var line = LineAt(buffer, featureStart, ref newlineScanPos, ref linesAtScanPos);
                var record = ParseFeature(buffer.AsSpan(featureStart, featureSlice.Length), featureNumber, line);
                start += consumed;
                yield return record;
            }
            else
            {
                start += consumed;
            }
        }
        if (!sawFeatures) throw new ImportException(_path, "not a GeoJSON FeatureCollection: no \"features\" array.");
    }

    private int FillInitial(byte[] buffer, ref bool eof)
    {
        var n = _stream!.Read(buffer, 0, buffer.Length);
        if (n == 0) eof = true;
        BytesRead = _stream.Position;
        return n;
    }

    private static long LineAt(byte[] buffer, int offset, ref int scanPos, ref long linesAtScanPos)
    {
        if (offset > scanPos)
        {
            linesAtScanPos += buffer.AsSpan(scanPos, offset - scanPos).Count((byte)'\n');
            scanPos = offset;
        }
        return linesAtScanPos;
    }

    private enum StepResult { Progress, NeedMore }

    private readonly record struct Slice(int Offset, int Length);
    private readonly record struct ReadError(int Offset, string Message);

    /// <summary>
    /// Advances over one logical unit (a root member, or one feature) in the window. On incomplete data it returns
    /// NeedMore without consuming anything, so the caller can refill and retry from the same state.
    /// </summary>
    private StepResult Step(byte[] buffer, int start, int end, bool eof, ref JsonReaderState state, ref Phase phase,
        out int consumed, out Slice feature, out ReadError? error, ref bool sawFeatures)
    {
        consumed = 0;
        feature = default;
        error = null;
        var reader = new Utf8JsonReader(buffer.AsSpan(start, end - start), eof, state);
        try
        {
            switch (phase)
            {
                case Phase.Start:
                    if (!reader.Read()) return StepResult.NeedMore;
                    if (reader.TokenType != JsonTokenType.StartObject)
                    {
                        error = new ReadError(start + (int)reader.TokenStartIndex, "not GeoJSON: the file must start with a JSON object.");
                        return StepResult.Progress;
                    }
                    phase = Phase.Root;
                    break;

                case Phase.Root:
                {
                    if (!reader.Read()) return StepResult.NeedMore;
                    if (reader.TokenType == JsonTokenType.EndObject)
                    {
                        phase = Phase.Done;
                        break;
                    }
                    var name = reader.GetString();
                    if (!reader.Read()) return StepResult.NeedMore;
                    if (name == "features")
                    {
                        if (reader.TokenType != JsonTokenType.StartArray)
                        {
                            error = new ReadError(start + (int)reader.TokenStartIndex, "\"features\" must be an array.");
                            return StepResult.Progress;
                        }
                        sawFeatures = true;
                        phase = Phase.Features;
                        break;
                    }
                    if (name == "type")
                    {
                        if (reader.TokenType != JsonTokenType.String || reader.GetString() != "FeatureCollection")
                        {
                            error = new ReadError(start + (int)reader.TokenStartIndex, "only GeoJSON FeatureCollections can be imported (\"type\" is not \"FeatureCollection\").");
                            return StepResult.Progress;
                        }
                        break;
                    }
                    if (name == "crs" && reader.TokenType == JsonTokenType.StartObject)
                    {
                        if (sawFeatures)
                        {
                            error = new ReadError(start + (int)reader.TokenStartIndex, "the \"crs\" member comes after \"features\"; put it first (as ogr2ogr does) or declare the coordinate system.");
                            return StepResult.Progress;
                        }
                        var crsStart = (int)reader.TokenStartIndex;
                        if (!reader.TrySkip()) return StepResult.NeedMore;
                        var crsLength = (int)reader.BytesConsumed - crsStart;
                        ApplyLegacyCrs(buffer.AsSpan(start + crsStart, crsLength));
                        break;
                    }
                    if (!reader.TrySkip()) return StepResult.NeedMore;
                    break;
                }

                case Phase.Features:
                {
                    if (!reader.Read()) return StepResult.NeedMore;
                    if (reader.TokenType == JsonTokenType.EndArray)
                    {
                        phase = Phase.Root;
                        break;
                    }
                    if (reader.TokenType != JsonTokenType.StartObject)
                    {
                        error = new ReadError(start + (int)reader.TokenStartIndex, "every element of \"features\" must be a Feature object.");
                        return StepResult.Progress;
                    }
                    var featureStart = (int)reader.TokenStartIndex;
                    if (!reader.TrySkip()) return StepResult.NeedMore;
                    feature = new Slice(featureStart, (int)reader.BytesConsumed - featureStart);
                    break;
                }
            }
        }
        catch (JsonException ex)
        {
            error = new ReadError(start + (int)Math.Min(reader.BytesConsumed, end - start), "malformed JSON: " + ex.Message);
            return StepResult.Progress;
        }
        consumed = (int)reader.BytesConsumed;
        state = reader.CurrentState;
        return StepResult.Progress;
    }

    private void ApplyLegacyCrs(ReadOnlySpan<byte> json)
    {
        using var doc = JsonDocument.Parse(json.ToArray());
        if (!doc.RootElement.TryGetProperty("properties", out var props) || !props.TryGetProperty("name", out var nameEl)) return;
        var name = nameEl.GetString() ?? "";
        var epsg = CrsRecognizer.FromUrn(name);
        if (epsg is null)
            throw new ImportException(_path, $"the GeoJSON declares coordinate system '{name}', which ServiceReach does not know (known: EPSG:4326, 31370, 3812).");
        if (_declaredEpsg is not null && _declaredEpsg != epsg)
            throw new ImportException(_path, $"the file declares {name} but EPSG:{_declaredEpsg} was given; remove one of them.");
        Epsg = epsg.Value;
    }

    private SourceRecord ParseFeature(ReadOnlySpan<byte> json, long featureNumber, long line)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json.ToArray());
        }
        catch (JsonException ex)
        {
            throw new ImportException(_path, "malformed JSON: " + ex.Message, featureNumber, line, ex);
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (!root.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || type.GetString() != "Feature")
                throw new ImportException(_path, "object in \"features\" is not a GeoJSON Feature (\"type\": \"Feature\" missing).", featureNumber, line);
            Geometry? geometry = null;
            if (root.TryGetProperty("geometry", out var g) && g.ValueKind != JsonValueKind.Null)
            {
                try
                {
                    geometry = GeoJsonGeometryParser.Parse(g, _factory);
                }
                catch (FormatException ex)
                {
                    throw new ImportException(_path, "bad geometry: " + ex.Message, featureNumber, line, ex);
                }
            }
            var attributes = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
            if (root.TryGetProperty("properties", out var props) && props.ValueKind == JsonValueKind.Object)
            {
                foreach (var p in props.EnumerateObject()) attributes[p.Name] = JsonValues.ToObject(p.Value);
            }
            if (root.TryGetProperty("id", out var id) && !attributes.ContainsKey("id")) attributes["id"] = JsonValues.ToObject(id);
            return new SourceRecord(featureNumber, line, geometry, attributes);
        }
    }

    public void Dispose() => _stream?.Dispose();
}

/// <summary>Converts JSON values to plain CLR values: string, long, double, bool, null, List, Dictionary.</summary>
public static class JsonValues
{
    public static object? ToObject(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => e.GetString(),
        JsonValueKind.Number => e.TryGetInt64(out var l) ? l : e.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        JsonValueKind.Array => e.EnumerateArray().Select(ToObject).ToList(),
        JsonValueKind.Object => e.EnumerateObject().ToDictionary(p => p.Name, p => ToObject(p.Value)),
        _ => null,
    };
}

/// <summary>Parses RFC 7946 geometry objects with messages that say what is wrong.</summary>
public static class GeoJsonGeometryParser
{
    public static Geometry Parse(JsonElement g, GeometryFactory factory)
    {
        if (g.ValueKind != JsonValueKind.Object) throw new FormatException("geometry must be an object or null.");
        if (!g.TryGetProperty("type", out var typeEl) || typeEl.ValueKind != JsonValueKind.String) throw new FormatException("geometry has no \"type\".");
        var type = typeEl.GetString();
        if (type == "GeometryCollection")
        {
            if (!g.TryGetProperty("geometries", out var geoms) || geoms.ValueKind != JsonValueKind.Array) throw new FormatException("GeometryCollection without \"geometries\" array.");
            return factory.CreateGeometryCollection(geoms.EnumerateArray().Select(x => Parse(x, factory)).ToArray());
        }
        if (!g.TryGetProperty("coordinates", out var c) || c.ValueKind != JsonValueKind.Array) throw new FormatException($"{type} without \"coordinates\" array.");
        return type switch
        {
            "Point" => c.GetArrayLength() == 0 ? factory.CreatePoint() : factory.CreatePoint(Position(c)),
            "MultiPoint" => factory.CreateMultiPoint(c.EnumerateArray().Select(p => factory.CreatePoint(Position(p))).ToArray()),
            "LineString" => Line(c, factory),
            "MultiLineString" => factory.CreateMultiLineString(c.EnumerateArray().Select(l => Line(l, factory)).ToArray()),
            "Polygon" => Polygon(c, factory),
            "MultiPolygon" => factory.CreateMultiPolygon(c.EnumerateArray().Select(p => Polygon(p, factory)).ToArray()),
            _ => throw new FormatException($"unknown geometry type '{type}'."),
        };
    }

    private static Coordinate Position(JsonElement p)
    {
        if (p.ValueKind != JsonValueKind.Array || p.GetArrayLength() < 2) throw new FormatException("a position must be an array of at least two numbers.");
        var x = Number(p[0]);
        var y = Number(p[1]);
        return new Coordinate(x, y);
    }

    private static double Number(JsonElement e)
    {
        if (e.ValueKind != JsonValueKind.Number) throw new FormatException($"coordinate '{e.GetRawText()}' is not a number.");
        var v = e.GetDouble();
        if (!double.IsFinite(v)) throw new FormatException("coordinate is not finite.");
        return v;
    }

    private static Coordinate[] Positions(JsonElement arr)
    {
        if (arr.ValueKind != JsonValueKind.Array) throw new FormatException("expected an array of positions.");
        var result = new Coordinate[arr.GetArrayLength()];
        var i = 0;
        foreach (var p in arr.EnumerateArray()) result[i++] = Position(p);
        return result;
    }

    private static LineString Line(JsonElement c, GeometryFactory f)
    {
        var pts = Positions(c);
        if (pts.Length == 1) throw new FormatException("a LineString needs at least two positions.");
        return f.CreateLineString(pts);
    }

    private static Polygon Polygon(JsonElement c, GeometryFactory f)
    {
        if (c.ValueKind != JsonValueKind.Array) throw new FormatException("polygon coordinates must be an array of rings.");
        if (c.GetArrayLength() == 0) return f.CreatePolygon();
        var rings = new List<LinearRing>();
        foreach (var r in c.EnumerateArray())
        {
            var pts = Positions(r);
            if (pts.Length < 4) throw new FormatException($"a polygon ring needs at least 4 positions, this one has {pts.Length}.");
            if (!pts[0].Equals2D(pts[^1])) throw new FormatException("a polygon ring is not closed (first and last positions differ).");
            rings.Add(f.CreateLinearRing(pts));
        }
        return f.CreatePolygon(rings[0], rings.Skip(1).ToArray());
    }
}
