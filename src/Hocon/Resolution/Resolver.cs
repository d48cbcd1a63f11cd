using System.Runtime.CompilerServices;
using ActorNet.Hocon.Values;

namespace ActorNet.Hocon.Resolution;

/// <summary>
/// Replaces substitutions in one tree, following the reference implementation: substitutions look up the final
/// value of their path in the whole tree; a substitution inside a value assigned to a path that refers back to that
/// path (self-reference, <c>+=</c>) sees the value the path had before that assignment (the lower layers of a delayed
/// merge); an included file's substitutions are tried relative to the include point first, then from the root, then
/// (if enabled) as environment variables. Undefined optional substitutions remove their field or array element.
/// Single use, single thread.
/// </summary>
internal sealed class Resolver
{
    private const int MaxChain = 400;

    private readonly HoconObject _root;
    private readonly ResolveOptions _options;
    private readonly Dictionary<HoconValue, HoconValue?> _memo = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<HoconValue> _inProgress = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<HoconValue, Func<HoconValue?>> _replacements = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<(HoconValue, int), HoconValue?> _stackMemo = [];
    private readonly List<string> _chain = [];
    private int _optionalDepth;

    private Resolver(HoconObject root, ResolveOptions options)
    {
        _root = root;
        _options = options;
    }

    public static HoconObject Resolve(HoconObject root, ResolveOptions options)
    {
        if (!root.HasUnresolved)
        {
            return root;
        }

        var r = new Resolver(root, options);
        try
        {
            return (HoconObject?)r.ResolveValue(root) ?? HoconObject.Empty;
        }
        catch (InsufficientExecutionStackException)
        {
            throw new HoconException("expected substitutions that can be resolved but found a chain nested too deeply to resolve");
        }
    }

    private sealed class CycleException : Exception
    {
        public CycleException(string message)
            : base(message)
        {
        }
    }

    private HoconValue? ResolveValue(HoconValue v)
    {
        if (!v.HasUnresolved)
        {
            return v;
        }

        if (_memo.TryGetValue(v, out var memo))
        {
            return memo;
        }

        RuntimeHelpers.EnsureSufficientExecutionStack();
        if (v is HoconSubstitution or HoconConcatenation or HoconDelayedMerge)
        {
            if (!_inProgress.Add(v))
            {
                throw new CycleException("cycle");
            }

            if (_inProgress.Count > MaxChain)
            {
                throw HoconException.AtOrigin(v.Origin, null, $"expected substitutions nested at most {MaxChain} deep but found a longer chain: {string.Join(" -> ", _chain.TakeLast(5))} ...");
            }
        }

        HoconValue? result;
        try
        {
            result = v switch
            {
                HoconObject o => ResolveObject(o),
                HoconArray a => ResolveArray(a),
                HoconSubstitution s => ResolveSubstitution(s),
                HoconConcatenation c => ResolveConcat(c),
                HoconDelayedMerge d => ResolveStack(d, 0),
                _ => v,
            };
        }
        finally
        {
            _inProgress.Remove(v);
        }

        _memo[v] = result;
        return result;
    }

    private HoconObject ResolveObject(HoconObject o)
    {
        var fields = new OrderedDictionary<string, HoconValue>();
        foreach (var kv in o.Fields)
        {
            var r = ResolveValue(kv.Value);
            if (r is not null)
            {
                fields[kv.Key] = r;
            }
        }

        return new HoconObject(fields, o.Origin);
    }

    private HoconArray ResolveArray(HoconArray a)
    {
        var items = new List<HoconValue>(a.Items.Count);
        foreach (var item in a.Items)
        {
            var r = ResolveValue(item);
            if (r is not null)
            {
                items.Add(r);
            }
        }

        return new HoconArray(items.ToArray(), a.Origin);
    }

    private HoconValue? ResolveConcat(HoconConcatenation c)
    {
        // No replacement for a concatenation: a reference back to it while it is being resolved is a cycle, which an
        // optional substitution (${?a}foo, a += x) turns into "undefined" and a required one reports.
        var parts = new List<HoconValue>(c.Pieces.Length);
        foreach (var p in c.Pieces)
        {
            var r = ResolveValue(p);
            if (r is HoconNull && ValueOps.IsUnresolvedNode(p))
            {
                // The spec: a substitution that evaluates to null becomes the empty string in a concatenation.
                r = new HoconString(string.Empty, r.Origin);
            }

            if (r is not null)
            {
                parts.Add(r);
            }
        }

        if (parts.Count == 0)
        {
            // Every piece was an undefined optional substitution: the value is undefined (the field disappears).
            return null;
        }

        return ValueOps.Join(parts, c.Origin)
            ?? throw HoconException.AtOrigin(c.Origin, null, ValueOps.JoinProblem(parts));
    }

    private HoconValue? ResolveStack(HoconDelayedMerge d, int i)
    {
        if (i >= d.Layers.Length)
        {
            return null;
        }

        if (_stackMemo.TryGetValue((d, i), out var cached))
        {
            return cached;
        }

        HoconValue? below = null;
        var belowDone = false;
        HoconValue? Below()
        {
            if (!belowDone)
            {
                below = ResolveStack(d, i + 1);
                belowDone = true;
            }

            return below;
        }

        var previous = Replace(d, Below);
        HoconValue? top;
        try
        {
            top = ResolveValue(d.Layers[i]);
        }
        finally
        {
            Restore(d, previous);
        }

        HoconValue? result;
        if (top is null)
        {
            result = Below();
        }
        else if (top is HoconObject o)
        {
            result = Below() is HoconObject u ? ValueOps.MergeObjects(o, u) : o;
        }
        else
        {
            result = top;
        }

        _stackMemo[(d, i)] = result;
        return result;
    }

    private Func<HoconValue?>? Replace(HoconValue node, Func<HoconValue?> replacement)
    {
        _replacements.TryGetValue(node, out var previous);
        _replacements[node] = replacement;
        return previous;
    }

    private void Restore(HoconValue node, Func<HoconValue?>? previous)
    {
        if (previous is null)
        {
            _replacements.Remove(node);
        }
        else
        {
            _replacements[node] = previous;
        }
    }

    private HoconValue? ResolveSubstitution(HoconSubstitution s)
    {
        var rendered = s.Render();
        _chain.Add(rendered);
        if (s.Optional)
        {
            _optionalDepth++;
        }

        try
        {
            var found = Lookup(s.Path, out var value);
            if (!found && s.PrefixLength > 0)
            {
                found = Lookup(s.Path[s.PrefixLength..], out value);
            }

            if (!found && _options.UseEnvironment)
            {
                var name = string.Join('.', s.Path[s.PrefixLength..]);
                var env = _options.Environment is null
                    ? System.Environment.GetEnvironmentVariable(name)
                    : _options.Environment.GetValueOrDefault(name);
                if (env is not null)
                {
                    return new HoconString(env, new ConfigOrigin("environment variable " + name, null, 0));
                }
            }

            if (!found)
            {
                if (s.Optional)
                {
                    return null;
                }

                throw HoconException.AtOrigin(s.Origin, ConfigPath.Render(s.Path[s.PrefixLength..]),
                    $"could not resolve substitution {rendered}: expected a value at that path but found none");
            }

            return value;
        }
        catch (CycleException)
        {
            if (s.Optional)
            {
                return null;
            }

            if (_optionalDepth > 0)
            {
                // An enclosing optional substitution is part of the cycle: it becomes undefined, as in the reference.
                throw;
            }

            throw HoconException.AtOrigin(s.Origin, ConfigPath.Render(s.Path[s.PrefixLength..]),
                $"substitution cycle: expected {rendered} to reach a value but it refers back to itself ({string.Join(" -> ", _chain)})");
        }
        finally
        {
            _chain.RemoveAt(_chain.Count - 1);
            if (s.Optional)
            {
                _optionalDepth--;
            }
        }
    }

    /// <summary>Finds the resolved value at <paramref name="path"/>; false when absent (or undefined).</summary>
    private bool Lookup(string[] path, out HoconValue? value)
    {
        value = null;
        HoconValue? cur = _root;
        for (var i = 0; i < path.Length; i++)
        {
            cur = Deref(cur!, final: false);
            if (cur is not HoconObject o || !o.TryGetValue(path[i], out var child))
            {
                return false;
            }

            cur = child;
        }

        value = Deref(cur!, final: true);
        return value is not null;
    }

    private HoconValue? Deref(HoconValue node, bool final)
    {
        if (_replacements.TryGetValue(node, out var replacement))
        {
            return replacement();
        }

        if (node is HoconObject && !final)
        {
            return node;
        }

        return ResolveValue(node);
    }
}
