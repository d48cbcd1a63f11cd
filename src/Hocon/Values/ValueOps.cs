using System.Text;

namespace ActorNet.Hocon.Values;

/// <summary>Merging and concatenation rules shared by the parser and the resolver. Pure, thread-safe.</summary>
internal static class ValueOps
{
    /// <summary>
    /// <paramref name="over"/>.withFallback(<paramref name="under"/>): objects merge field by field; a resolved
    /// non-object wins outright; anything involving an unresolved value becomes a delayed merge.
    /// </summary>
    public static HoconValue Merge(HoconValue over, HoconValue under)
    {
        ConfigurationFactory.EnsureStack();
        if (over is HoconObject o)
        {
            if (under is HoconObject u)
            {
                return MergeObjects(o, u);
            }

            if (IsUnresolvedNode(under))
            {
                return Delayed([o, .. Layers(under)], o.Origin);
            }

            return o;
        }

        if (IsUnresolvedNode(over))
        {
            return Delayed([.. Layers(over), .. Layers(under)], over.Origin);
        }

        return over;
    }

    /// <summary>Maximum number of layers one path may stack up with unresolved assignments.</summary>
    public const int MaxLayers = 1000;

    /// <summary>
    /// Merge used by the parser: objects the parser created are merged in place (see
    /// <see cref="HoconObject.MergeInPlaceWhileParsing"/>); everything else as <see cref="Merge"/>.
    /// </summary>
    public static HoconValue MergeWhileParsing(HoconValue over, HoconValue under)
    {
        ConfigurationFactory.EnsureStack();
        if (over is HoconObject o && under is HoconObject u && !ReferenceEquals(u, HoconObject.Empty))
        {
            u.MergeInPlaceWhileParsing(o);
            return u;
        }

        return Merge(over, under);
    }

    private static HoconDelayedMerge Delayed(HoconValue[] layers, ConfigOrigin origin)
    {
        if (layers.Length > MaxLayers)
        {
            throw HoconException.AtOrigin(origin, null,
                $"expected at most {MaxLayers} stacked assignments with substitutions to one path but found more");
        }

        return new HoconDelayedMerge(layers, origin);
    }

    public static bool IsUnresolvedNode(HoconValue v) => v is HoconSubstitution or HoconConcatenation or HoconDelayedMerge;

    private static HoconValue[] Layers(HoconValue v) => v is HoconDelayedMerge d ? d.Layers : [v];

    public static HoconObject MergeObjects(HoconObject over, HoconObject under)
    {
        if (under.Count == 0)
        {
            return over;
        }

        if (over.Count == 0)
        {
            return new HoconObject(under.CopyFields(), over.Origin);
        }

        var fields = under.CopyFields();
        foreach (var kv in over.Fields)
        {
            fields[kv.Key] = fields.TryGetValue(kv.Key, out var existing) ? Merge(kv.Value, existing) : kv.Value;
        }

        return new HoconObject(fields, over.Origin);
    }

    /// <summary>Builds the value of a concatenation at parse time (joined now when nothing is unresolved).</summary>
    public static HoconValue Concat(List<HoconValue> pieces, ConfigOrigin origin, string source, int line, int column)
    {
        if (pieces.Count == 1)
        {
            return pieces[0];
        }

        foreach (var p in pieces)
        {
            if (IsUnresolvedNode(p))
            {
                return new HoconConcatenation(pieces.ToArray(), origin);
            }
        }

        return Join(pieces, origin) ?? throw HoconException.Parse(source, line, column, JoinProblem(pieces));
    }

    /// <summary>Joins resolved pieces; returns null when types cannot be concatenated.</summary>
    public static HoconValue? Join(IReadOnlyList<HoconValue> pieces, ConfigOrigin origin)
    {
        var objects = 0;
        var arrays = 0;
        var simple = 0;
        HoconValue? single = null;
        foreach (var p in pieces)
        {
            if (p is HoconString { IsWhitespace: true })
            {
                continue;
            }

            single = p;
            switch (p)
            {
                case HoconObject:
                    objects++;
                    break;
                case HoconArray:
                    arrays++;
                    break;
                default:
                    simple++;
                    break;
            }
        }

        if (objects + arrays + simple == 0)
        {
            // Only whitespace: keep it as a string (as the reference does).
            var ws = new StringBuilder();
            foreach (var p in pieces)
            {
                ws.Append(((HoconString)p).Value);
            }

            return new HoconString(ws.ToString(), origin);
        }

        if (objects + arrays + simple == 1 && (objects + arrays == 1))
        {
            return single;
        }

        if (objects > 0 && arrays + simple == 0)
        {
            HoconObject? acc = null;
            foreach (var p in pieces)
            {
                if (p is HoconObject o)
                {
                    acc = acc is null ? o : MergeObjects(o, acc);
                }
            }

            return acc;
        }

        if (arrays > 0 && objects + simple == 0)
        {
            var items = new List<HoconValue>();
            foreach (var p in pieces)
            {
                if (p is HoconArray a)
                {
                    items.AddRange(a.Items);
                }
            }

            return new HoconArray(items.ToArray(), origin);
        }

        if (objects + arrays == 0)
        {
            if (pieces.Count == 1)
            {
                return pieces[0];
            }

            var sb = new StringBuilder();
            foreach (var p in pieces)
            {
                sb.Append(p.ConcatText);
            }

            return new HoconString(sb.ToString(), origin);
        }

        return null;
    }

    public static string JoinProblem(IReadOnlyList<HoconValue> pieces)
    {
        var kinds = pieces.Where(p => p is not HoconString { IsWhitespace: true }).Select(p => p.Type.ToString().ToLowerInvariant()).Distinct();
        return $"expected values of one kind in a concatenation but found {string.Join(" and ", kinds)} (objects, arrays and simple values cannot be concatenated with each other)";
    }

    /// <summary>Prefixes every substitution path with the include point (the reference's relativize).</summary>
    public static HoconValue Relativize(HoconValue v, string[] prefix)
    {
        if (prefix.Length == 0 || !v.HasUnresolved)
        {
            return v;
        }

        ConfigurationFactory.EnsureStack();

        switch (v)
        {
            case HoconSubstitution s:
                return new HoconSubstitution([.. prefix, .. s.Path], s.Optional, s.PrefixLength + prefix.Length, s.Origin);
            case HoconConcatenation c:
                return new HoconConcatenation(c.Pieces.Select(p => Relativize(p, prefix)).ToArray(), c.Origin);
            case HoconDelayedMerge d:
                return new HoconDelayedMerge(d.Layers.Select(p => Relativize(p, prefix)).ToArray(), d.Origin);
            case HoconArray a:
                return new HoconArray(a.Items.Select(p => Relativize(p, prefix)).ToArray(), a.Origin);
            case HoconObject o:
                var fields = new OrderedDictionary<string, HoconValue>();
                foreach (var kv in o.Fields)
                {
                    fields[kv.Key] = Relativize(kv.Value, prefix);
                }

                return new HoconObject(fields, o.Origin);
            default:
                return v;
        }
    }

    /// <summary>Wraps <paramref name="value"/> in objects for the keys path[from..] except the first.</summary>
    public static HoconValue WrapPath(string[] path, int from, HoconValue value)
    {
        for (var i = path.Length - 1; i > from; i--)
        {
            var f = new OrderedDictionary<string, HoconValue> { [path[i]] = value };
            value = new HoconObject(f, value.Origin);
        }

        return value;
    }
}
