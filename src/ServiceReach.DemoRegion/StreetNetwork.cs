namespace ServiceReach.DemoRegion;

internal sealed class OsmNodeRecord(long id, Vec position)
{
    public long Id { get; } = id;
    public Vec Position { get; } = position;
    public List<KeyValuePair<string, string>> Tags { get; } = [];
}

internal sealed class OsmWayRecord(long id, List<long> nodeRefs)
{
    public long Id { get; } = id;
    public List<long> NodeRefs { get; } = nodeRefs;
    public List<KeyValuePair<string, string>> Tags { get; } = [];
    public string? Tag(string key)
    {
        foreach (var t in Tags) if (t.Key == key) return t.Value;
        return null;
    }
}

/// <summary>The OSM data being built: nodes and ways with ids handed out in creation order (so the file is sorted by id).</summary>
internal sealed class OsmDataset
{
    public List<OsmNodeRecord> Nodes { get; } = [];
    public List<OsmWayRecord> Ways { get; } = [];

    public long AddNode(Vec position, params string[] tags)
    {
        if (position.X < 0 || position.Y < 0 || position.X > LocalProjection.WidthMetres || position.Y > LocalProjection.HeightMetres)
            throw new InvalidOperationException($"Demo region design error: node at ({position.X:F0}, {position.Y:F0}) m lies outside the region.");
        var node = new OsmNodeRecord(Nodes.Count + 1, position);
        AddTags(node.Tags, tags);
        Nodes.Add(node);
        return node.Id;
    }

    public Vec Position(long nodeId) => Nodes[(int)(nodeId - 1)].Position;

    public OsmWayRecord AddWay(List<long> nodeRefs, params string[] tags)
    {
        if (nodeRefs.Count < 2) throw new InvalidOperationException("Demo region design error: a way needs at least two nodes.");
        var way = new OsmWayRecord(Ways.Count + 1, nodeRefs);
        AddTags(way.Tags, tags);
        Ways.Add(way);
        return way;
    }

    public static void AddTags(List<KeyValuePair<string, string>> target, string[] keyValues)
    {
        if (keyValues.Length % 2 != 0) throw new ArgumentException("Tags come in key/value pairs.", nameof(keyValues));
        for (var i = 0; i < keyValues.Length; i += 2) target.Add(new(keyValues[i], keyValues[i + 1]));
    }
}

/// <summary>A kern's street grid as built: grid index → OSM node id.</summary>
internal sealed class KernGrid(KernSpec spec, double rotationRadians)
{
    public KernSpec Spec { get; } = spec;
    public double RotationRadians { get; } = rotationRadians;
    public Dictionary<(int I, int J), long> Nodes { get; } = [];
    public int Extent => (int)Math.Floor(Spec.Radius / Spec.Spacing);

    public Vec GridPoint(int i, int j) => Spec.Centre + new Vec(i * Spec.Spacing, j * Spec.Spacing).Rotated(RotationRadians);

    /// <summary>A point inside block (i, j)…(i+1, j+1), off the streets: where a service building stands.</summary>
    public Vec BlockPoint(int i, int j) => GridPoint(i, j) + new Vec(24, 15).Rotated(RotationRadians);

    public bool Contains(int i, int j) => (i * i + j * j) * Spec.Spacing * Spec.Spacing <= Spec.Radius * Spec.Radius;

    public long NodeAt(int i, int j) => Nodes.TryGetValue((i, j), out var id)
        ? id
        : throw new InvalidOperationException($"Demo region design error: kern {Spec.Name} has no grid node ({i}, {j}).");

    /// <summary>The grid node that lies furthest in the direction of <paramref name="target"/>: where a road leaves the kern.</summary>
    public long EdgeNodeToward(Vec target, OsmDataset data)
    {
        var direction = (target - Spec.Centre).Normalized;
        long best = 0;
        var bestScore = double.NegativeInfinity;
        for (var j = -Extent; j <= Extent; j++)
        {
            for (var i = -Extent; i <= Extent; i++)
            {
                if (!Nodes.TryGetValue((i, j), out var id)) continue;
                var score = (data.Position(id) - Spec.Centre).Dot(direction);
                if (score > bestScore + 1e-9) { bestScore = score; best = id; }
            }
        }
        return best;
    }
}

/// <summary>A road as built: every node along it, with the cumulative distance, so fractions of its length can be found.</summary>
internal sealed class BuiltRoad(RoadSpec spec, List<long> nodeRefs, List<double> cumulativeMetres, HashSet<long> bridgeNodes)
{
    public RoadSpec Spec { get; } = spec;
    public List<long> NodeRefs { get; } = nodeRefs;
    public List<double> CumulativeMetres { get; } = cumulativeMetres;
    public HashSet<long> BridgeNodes { get; } = bridgeNodes;
    public double Length => CumulativeMetres[^1];

    /// <summary>The interior node whose distance along the road is closest to the fraction.</summary>
    public int InteriorIndexAt(double fraction)
    {
        var target = fraction * Length;
        var best = 1;
        for (var k = 1; k < NodeRefs.Count - 1; k++)
        {
            if (Math.Abs(CumulativeMetres[k] - target) < Math.Abs(CumulativeMetres[best] - target)) best = k;
        }
        return best;
    }
}
