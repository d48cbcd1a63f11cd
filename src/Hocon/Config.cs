using System.Globalization;
using ActorNet.Hocon.Resolution;
using ActorNet.Hocon.Values;

namespace ActorNet.Hocon;

/// <summary>
/// An immutable configuration tree with typed getters. Built by <see cref="ConfigurationFactory"/>; layered with
/// <see cref="WithFallback"/> (the receiver wins) and resolved once with <see cref="Resolve"/>. Safe to share and read
/// from any thread. Paths use HOCON path syntax (<c>a.b."quoted.key"</c>). A missing path without a default, or a value
/// of the wrong type, throws <see cref="HoconException"/> naming the path, the origin (file:line) and what was expected.
/// </summary>
public sealed class Config
{
    private IReadOnlyList<ConfigEntry>? _entries;

    internal Config(HoconObject root)
    {
        Root = root;
    }

    /// <summary>The empty, resolved configuration.</summary>
    public static Config Empty { get; } = new(HoconObject.Empty);

    /// <summary>The root object of the tree.</summary>
    public HoconObject Root { get; }

    /// <summary>True when no substitution remains (getters never hit an unresolved value).</summary>
    public bool IsResolved => !Root.HasUnresolved;

    /// <summary>
    /// Layers this configuration over <paramref name="other"/>: objects merge key by key, and for any other value this
    /// configuration wins. Substitutions are not resolved; call <see cref="Resolve"/> on the final layering so that
    /// references (and <c>+=</c>, <c>${x}</c> self-references) can see values from every layer.
    /// </summary>
    /// <param name="other">The lower-priority configuration.</param>
    /// <returns>The merged (unresolved if either side is) configuration.</returns>
    public Config WithFallback(Config other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return ConfigurationFactory.Guard(() => new Config(ValueOps.MergeObjects(Root, other.Root)));
    }

    /// <summary>Replaces every substitution, looking up paths in this whole tree (then the environment if enabled).</summary>
    /// <param name="options">Resolution options; null means <see cref="ResolveOptions.Default"/> (environment fallback on).</param>
    /// <returns>A resolved configuration (this instance when nothing needed resolving).</returns>
    /// <exception cref="HoconException">On an undefined required substitution or a substitution cycle; the message names the path.</exception>
    public Config Resolve(ResolveOptions? options = null)
    {
        if (IsResolved)
        {
            return this;
        }

        return ConfigurationFactory.Guard(() => new Config(Resolver.Resolve(Root, options ?? ResolveOptions.Default)));
    }

    /// <summary>True when the path exists and its value is not <c>null</c>.</summary>
    /// <param name="path">The path expression.</param>
    /// <returns>Whether a non-null value exists at the path.</returns>
    /// <remarks>A path that crosses a non-object value (<c>a.b</c> when <c>a = 5</c>) does not exist: false, no exception.</remarks>
    public bool HasPath(string path) => Find(path, out _, throwOnNonObject: false) is { } v && v.Type != HoconValueType.Null;

    /// <summary>Returns the value at a path, or null when absent.</summary>
    /// <param name="path">The path expression.</param>
    /// <returns>The value, or null.</returns>
    /// <exception cref="HoconException">When the path crosses an unresolved substitution.</exception>
    public HoconValue? TryGetValue(string path) => Find(path, out _);

    /// <summary>Returns the value at a path.</summary>
    /// <param name="path">The path expression.</param>
    /// <returns>The value (possibly <see cref="HoconNull"/>).</returns>
    /// <exception cref="HoconException">When the path is missing.</exception>
    public HoconValue GetValue(string path) => Require(path);

    /// <summary>Returns a string; numbers and booleans are returned as written.</summary>
    /// <param name="path">The path expression.</param>
    /// <returns>The string.</returns>
    public string GetString(string path) => AsString(path, Require(path));

    /// <summary>Returns a string, or <paramref name="defaultValue"/> when the path is missing or null.</summary>
    /// <param name="path">The path expression.</param>
    /// <param name="defaultValue">Returned when the path is missing or null.</param>
    /// <returns>The string.</returns>
    public string GetString(string path, string defaultValue) => Optional(path) is { } v ? AsString(path, v) : defaultValue;

    /// <summary>Returns a 32-bit integer (a number, or a string holding one).</summary>
    /// <param name="path">The path expression.</param>
    /// <returns>The integer.</returns>
    public int GetInt(string path) => AsInt(path, Require(path));

    /// <summary>Returns a 32-bit integer, or <paramref name="defaultValue"/> when the path is missing or null.</summary>
    /// <param name="path">The path expression.</param>
    /// <param name="defaultValue">Returned when the path is missing or null.</param>
    /// <returns>The integer.</returns>
    public int GetInt(string path, int defaultValue) => Optional(path) is { } v ? AsInt(path, v) : defaultValue;

    /// <summary>Returns a 64-bit integer (a number, or a string holding one).</summary>
    /// <param name="path">The path expression.</param>
    /// <returns>The integer.</returns>
    public long GetLong(string path) => AsLong(path, Require(path));

    /// <summary>Returns a 64-bit integer, or <paramref name="defaultValue"/> when the path is missing or null.</summary>
    /// <param name="path">The path expression.</param>
    /// <param name="defaultValue">Returned when the path is missing or null.</param>
    /// <returns>The integer.</returns>
    public long GetLong(string path, long defaultValue) => Optional(path) is { } v ? AsLong(path, v) : defaultValue;

    /// <summary>Returns a double (a number, or a string holding one).</summary>
    /// <param name="path">The path expression.</param>
    /// <returns>The double.</returns>
    public double GetDouble(string path) => AsDouble(path, Require(path));

    /// <summary>Returns a double, or <paramref name="defaultValue"/> when the path is missing or null.</summary>
    /// <param name="path">The path expression.</param>
    /// <param name="defaultValue">Returned when the path is missing or null.</param>
    /// <returns>The double.</returns>
    public double GetDouble(string path, double defaultValue) => Optional(path) is { } v ? AsDouble(path, v) : defaultValue;

    /// <summary>Returns a boolean: <c>true</c>/<c>false</c>, or the strings true/false/yes/no/on/off.</summary>
    /// <param name="path">The path expression.</param>
    /// <returns>The boolean.</returns>
    public bool GetBoolean(string path) => AsBoolean(path, Require(path));

    /// <summary>Returns a boolean, or <paramref name="defaultValue"/> when the path is missing or null.</summary>
    /// <param name="path">The path expression.</param>
    /// <param name="defaultValue">Returned when the path is missing or null.</param>
    /// <returns>The boolean.</returns>
    public bool GetBoolean(string path, bool defaultValue) => Optional(path) is { } v ? AsBoolean(path, v) : defaultValue;

    /// <summary>Returns a duration ("200ms", "1 s", "2 minutes", "infinite"; a bare number is milliseconds).</summary>
    /// <param name="path">The path expression.</param>
    /// <returns>The duration (<see cref="Timeout.InfiniteTimeSpan"/> for "infinite").</returns>
    public TimeSpan GetTimeSpan(string path) => AsTimeSpan(path, Require(path));

    /// <summary>Returns a duration, or <paramref name="defaultValue"/> when the path is missing or null.</summary>
    /// <param name="path">The path expression.</param>
    /// <param name="defaultValue">Returned when the path is missing or null.</param>
    /// <returns>The duration.</returns>
    public TimeSpan GetTimeSpan(string path, TimeSpan defaultValue) => Optional(path) is { } v ? AsTimeSpan(path, v) : defaultValue;

    /// <summary>Returns a size in bytes ("64KiB", "1.5M" = 1.5 * 1024^2, "10 MB" = 10 * 1000^2; a bare number is bytes).</summary>
    /// <param name="path">The path expression.</param>
    /// <returns>The number of bytes.</returns>
    public long GetByteSize(string path) => AsByteSize(path, Require(path));

    /// <summary>Returns a size in bytes, or <paramref name="defaultValue"/> when the path is missing or null.</summary>
    /// <param name="path">The path expression.</param>
    /// <param name="defaultValue">Returned when the path is missing or null.</param>
    /// <returns>The number of bytes.</returns>
    public long GetByteSize(string path, long defaultValue) => Optional(path) is { } v ? AsByteSize(path, v) : defaultValue;

    /// <summary>Returns a list of strings (elements may be strings, numbers or booleans).</summary>
    /// <param name="path">The path expression.</param>
    /// <returns>The strings.</returns>
    public IReadOnlyList<string> GetStringList(string path) => List(path, Require(path), AsString);

    /// <summary>Returns a list of strings, or <paramref name="defaultValue"/> when the path is missing or null.</summary>
    /// <param name="path">The path expression.</param>
    /// <param name="defaultValue">Returned when the path is missing or null.</param>
    /// <returns>The strings.</returns>
    public IReadOnlyList<string> GetStringList(string path, IReadOnlyList<string> defaultValue) =>
        Optional(path) is { } v ? List(path, v, AsString) : defaultValue;

    /// <summary>Returns a list of 32-bit integers.</summary>
    /// <param name="path">The path expression.</param>
    /// <returns>The integers.</returns>
    public IReadOnlyList<int> GetIntList(string path) => List(path, Require(path), AsInt);

    /// <summary>Returns a list of 64-bit integers.</summary>
    /// <param name="path">The path expression.</param>
    /// <returns>The integers.</returns>
    public IReadOnlyList<long> GetLongList(string path) => List(path, Require(path), AsLong);

    /// <summary>Returns a list of doubles.</summary>
    /// <param name="path">The path expression.</param>
    /// <returns>The doubles.</returns>
    public IReadOnlyList<double> GetDoubleList(string path) => List(path, Require(path), AsDouble);

    /// <summary>Returns a list of booleans.</summary>
    /// <param name="path">The path expression.</param>
    /// <returns>The booleans.</returns>
    public IReadOnlyList<bool> GetBooleanList(string path) => List(path, Require(path), AsBoolean);

    /// <summary>Returns a list of durations.</summary>
    /// <param name="path">The path expression.</param>
    /// <returns>The durations.</returns>
    public IReadOnlyList<TimeSpan> GetTimeSpanList(string path) => List(path, Require(path), AsTimeSpan);

    /// <summary>Returns a list of sizes in bytes.</summary>
    /// <param name="path">The path expression.</param>
    /// <returns>The sizes.</returns>
    public IReadOnlyList<long> GetByteSizeList(string path) => List(path, Require(path), AsByteSize);

    /// <summary>Returns a list of objects as configs.</summary>
    /// <param name="path">The path expression.</param>
    /// <returns>The configs.</returns>
    public IReadOnlyList<Config> GetConfigList(string path) => List(path, Require(path), AsConfig);

    /// <summary>Returns the object at a path as a configuration; <see cref="Empty"/> when the path is missing or null.</summary>
    /// <param name="path">The path expression.</param>
    /// <returns>The sub-configuration.</returns>
    /// <exception cref="HoconException">When the value exists but is not an object.</exception>
    public Config GetConfig(string path) => Optional(path) is { } v ? AsConfig(path, v) : Empty;

    /// <summary>Every leaf (non-object value, or empty object) with its path and origin, in definition order.</summary>
    public IReadOnlyList<ConfigEntry> Entries => _entries ??= BuildEntries();

    /// <summary>Renders the tree as JSON (durations and sizes stay strings as written, e.g. "200ms").</summary>
    /// <param name="indented">True for two-space indentation.</param>
    /// <returns>The JSON document.</returns>
    public string ToJson(bool indented = false) => Root.ToJson(indented);

    /// <summary>Renders the tree as indented JSON.</summary>
    /// <returns>The JSON document.</returns>
    public override string ToString() => ToJson(true);

    private List<ConfigEntry> BuildEntries()
    {
        var list = new List<ConfigEntry>();
        var keys = new List<string>();
        void Walk(HoconObject o)
        {
            ConfigurationFactory.EnsureStack();
            foreach (var kv in o.Fields)
            {
                keys.Add(kv.Key);
                if (kv.Value is HoconObject child && child.Count > 0)
                {
                    Walk(child);
                }
                else
                {
                    list.Add(new ConfigEntry(ConfigPath.Render(keys), keys.ToArray(), kv.Value, kv.Value.Origin));
                }

                keys.RemoveAt(keys.Count - 1);
            }
        }

        Walk(Root);
        return list;
    }

    private HoconValue? Find(string path, out HoconObject parent, bool throwOnNonObject = true)
    {
        var keys = ConfigPath.Parse(path);
        parent = Root;
        HoconValue cur = Root;
        for (var i = 0; i < keys.Length; i++)
        {
            if (ValueOps.IsUnresolvedNode(cur))
            {
                throw Unresolved(ConfigPath.Render(keys[..i]), cur);
            }

            if (cur is not HoconObject o)
            {
                if (!throwOnNonObject)
                {
                    return null;
                }

                throw HoconException.AtOrigin(cur.Origin, path,
                    $"expected an object at '{ConfigPath.Render(keys[..i])}' to look up '{keys[i]}' but found {Describe(cur)}");
            }

            parent = o;
            if (!o.TryGetValue(keys[i], out var child))
            {
                return null;
            }

            cur = child;
        }

        if (ValueOps.IsUnresolvedNode(cur))
        {
            throw Unresolved(path, cur);
        }

        return cur;
    }

    private static HoconException Unresolved(string path, HoconValue v) =>
        HoconException.AtOrigin(v.Origin, path, "expected a resolved value but found a substitution (call Resolve() on the configuration first)");

    private HoconValue Require(string path)
    {
        var v = Find(path, out var parent);
        if (v is null)
        {
            throw HoconException.AtOrigin(parent.Origin, path, "expected a value at this path but the key is missing (add it to the configuration)");
        }

        return v;
    }

    private HoconValue? Optional(string path)
    {
        var v = Find(path, out _);
        return v is null or HoconNull ? null : v;
    }

    private static string Describe(HoconValue v) => v switch
    {
        HoconObject => "an object",
        HoconArray => "a list",
        HoconString s => $"the string \"{Short(s.Value)}\"",
        HoconNumber n => $"the number {n.Text}",
        HoconBoolean b => b.Value ? "true" : "false",
        HoconNull => "null",
        _ => "an unresolved substitution",
    };

    private static string Short(string s) => s.Length > 60 ? s[..60] + "..." : s;

    private static HoconException Wrong(string path, HoconValue v, string expected) =>
        HoconException.AtOrigin(v.Origin, path, $"expected {expected} but found {Describe(v)}");

    private static string AsString(string path, HoconValue v) => v switch
    {
        HoconString s => s.Value,
        HoconNumber or HoconBoolean => v.ConcatText!,
        _ => throw Wrong(path, v, "a string"),
    };

    private static bool TryNumber(HoconValue v, out double d, out long? l)
    {
        d = 0;
        l = null;
        switch (v)
        {
            case HoconNumber n:
                d = n.Value;
                l = n.IsInteger ? n.LongValue : null;
                return true;
            case HoconString s:
                var t = s.Value.Trim();
                if (long.TryParse(t, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var pl))
                {
                    d = pl;
                    l = pl;
                    return true;
                }

                return double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out d) && double.IsFinite(d);
            default:
                return false;
        }
    }

    private static long AsLong(string path, HoconValue v)
    {
        if (!TryNumber(v, out var d, out var l))
        {
            throw Wrong(path, v, "an integer");
        }

        if (l is { } exact)
        {
            return exact;
        }

        if (d == Math.Floor(d) && d >= long.MinValue && d <= long.MaxValue)
        {
            return (long)d;
        }

        throw Wrong(path, v, "an integer (no fraction, within 64-bit range)");
    }

    private static int AsInt(string path, HoconValue v)
    {
        var l = AsLong(path, v);
        if (l is < int.MinValue or > int.MaxValue)
        {
            throw Wrong(path, v, $"an integer between {int.MinValue} and {int.MaxValue}");
        }

        return (int)l;
    }

    private static double AsDouble(string path, HoconValue v) =>
        TryNumber(v, out var d, out _) ? d : throw Wrong(path, v, "a number");

    private static bool AsBoolean(string path, HoconValue v)
    {
        if (v is HoconBoolean b)
        {
            return b.Value;
        }

        if (v is HoconString s)
        {
            switch (s.Value.Trim().ToLowerInvariant())
            {
                case "true":
                case "yes":
                case "on":
                    return true;
                case "false":
                case "no":
                case "off":
                    return false;
            }
        }

        throw Wrong(path, v, "a boolean (true/false, yes/no, on/off)");
    }

    private static TimeSpan AsTimeSpan(string path, HoconValue v)
    {
        if (v is HoconNumber n)
        {
            var ms = n.Value;
            if (ms * TimeSpan.TicksPerMillisecond is > long.MaxValue or < long.MinValue)
            {
                throw Wrong(path, v, "a duration within the range of TimeSpan");
            }

            return TimeSpan.FromTicks((long)(ms * TimeSpan.TicksPerMillisecond));
        }

        if (v is HoconString s && Units.TryParseDuration(s.Value, out var t))
        {
            return t;
        }

        throw Wrong(path, v, "a duration such as 200ms, 1 s, 2 minutes (units ns, us, ms, s, m, h, d; a bare number is milliseconds)");
    }

    private static long AsByteSize(string path, HoconValue v)
    {
        if (v is HoconNumber { IsInteger: true } n)
        {
            return n.LongValue;
        }

        if (v is HoconString s && Units.TryParseSize(s.Value, out var bytes))
        {
            return bytes;
        }

        throw Wrong(path, v, "a size such as 64KiB, 1.5M, 10 MB (units B, kB/MB/GB = powers of 1000, K/M/G, KiB/MiB/GiB = powers of 1024)");
    }

    private static Config AsConfig(string path, HoconValue v) =>
        v is HoconObject o ? new Config(o) : throw Wrong(path, v, "an object");

    private static List<T> List<T>(string path, HoconValue v, Func<string, HoconValue, T> convert)
    {
        if (v is not HoconArray a)
        {
            throw Wrong(path, v, "a list");
        }

        var result = new List<T>(a.Items.Count);
        for (var i = 0; i < a.Items.Count; i++)
        {
            var item = a.Items[i];
            if (ValueOps.IsUnresolvedNode(item))
            {
                throw Unresolved($"{path}[{i}]", item);
            }

            result.Add(convert($"{path}[{i}]", item));
        }

        return result;
    }
}
