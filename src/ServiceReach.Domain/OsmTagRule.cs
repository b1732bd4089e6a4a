namespace ServiceReach.Domain;

/// <summary>
/// A user-editable rule that says which OpenStreetMap objects belong to a service category.
/// Syntax: clauses joined by <c>&amp;</c>, all of which must hold. A clause is
/// <c>key=value</c>, <c>key=v1|v2</c> (any of), <c>key=*</c> (present), <c>key!=value</c> (absent or different),
/// or <c>key~text</c> (value contains text, case-insensitive; for semicolon lists such as <c>isced:level=0;1</c>).
/// Examples: <c>shop=bakery</c>, <c>amenity=school&amp;isced:level~1</c>, <c>amenity=social_facility&amp;social_facility=outreach|day_care</c>.
/// </summary>
public sealed class OsmTagRule
{
    private readonly Clause[] _clauses;

    public string Text { get; }

    private OsmTagRule(string text, Clause[] clauses)
    {
        Text = text;
        _clauses = clauses;
    }

    public static OsmTagRule Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split('&', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0) throw new FormatException($"OSM tag rule '{text}' is empty.");
        var clauses = new Clause[parts.Length];
        for (var i = 0; i < parts.Length; i++) clauses[i] = Clause.Parse(parts[i], text);
        return new OsmTagRule(text, clauses);
    }

    /// <summary>True when every clause holds for the given tags.</summary>
    public bool Matches(IReadOnlyDictionary<string, string> tags)
    {
        foreach (var c in _clauses)
        {
            if (!c.Matches(tags)) return false;
        }
        return true;
    }

    public override string ToString() => Text;

    private enum Op { Equals, NotEquals, Present, Contains }

    private sealed record Clause(string Key, Op Op, string[] Values)
    {
        public static Clause Parse(string s, string rule)
        {
            int idx;
            if ((idx = s.IndexOf("!=", StringComparison.Ordinal)) > 0)
                return new Clause(s[..idx].Trim(), Op.NotEquals, SplitValues(s[(idx + 2)..], rule));
            if ((idx = s.IndexOf('~', StringComparison.Ordinal)) > 0)
                return new Clause(s[..idx].Trim(), Op.Contains, SplitValues(s[(idx + 1)..], rule));
            if ((idx = s.IndexOf('=', StringComparison.Ordinal)) > 0)
            {
                var value = s[(idx + 1)..].Trim();
                return value == "*"
                    ? new Clause(s[..idx].Trim(), Op.Present, [])
                    : new Clause(s[..idx].Trim(), Op.Equals, SplitValues(value, rule));
            }
            throw new FormatException($"OSM tag rule '{rule}': clause '{s}' needs key=value, key!=value, key~text or key=*.");
        }

        private static string[] SplitValues(string v, string rule)
        {
            var values = v.Split('|', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            if (values.Length == 0) throw new FormatException($"OSM tag rule '{rule}' has a clause without a value.");
            return values;
        }

        public bool Matches(IReadOnlyDictionary<string, string> tags)
        {
            var has = tags.TryGetValue(Key, out var actual);
            switch (Op)
            {
                case Op.Present:
                    return has;
                case Op.Equals:
                    return has && Array.IndexOf(Values, actual!.Trim()) >= 0;
                case Op.NotEquals:
                    return !has || Array.IndexOf(Values, actual!.Trim()) < 0;
                default:
                    if (!has) return false;
                    foreach (var v in Values)
                    {
                        if (actual!.Contains(v, StringComparison.OrdinalIgnoreCase)) return true;
                    }
                    return false;
            }
        }
    }
}
