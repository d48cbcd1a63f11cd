using System.Globalization;

namespace ActorNet.Hocon;

/// <summary>The kind of a <see cref="HoconValue"/>.</summary>
public enum HoconValueType
{
    /// <summary>An object: unordered key to value map (insertion order kept for rendering).</summary>
    Object,

    /// <summary>An ordered list of values.</summary>
    Array,

    /// <summary>A string (quoted, unquoted or concatenated).</summary>
    String,

    /// <summary>A number (integer or floating point), kept with its source text.</summary>
    Number,

    /// <summary><c>true</c> or <c>false</c>.</summary>
    Boolean,

    /// <summary>The <c>null</c> value (present, unlike a missing key).</summary>
    Null,

    /// <summary>A value that still contains a substitution; only seen in unresolved configs.</summary>
    Unresolved,
}

/// <summary>
/// A node of the configuration tree. Values are immutable once built and may be shared between trees and threads.
/// Created by the parser (<see cref="ConfigurationFactory"/>); read through <see cref="Config"/> getters or by walking
/// <see cref="Config.Root"/>. Every value keeps its <see cref="Origin"/>.
/// </summary>
public abstract class HoconValue
{
    private protected HoconValue(ConfigOrigin origin)
    {
        Origin = origin;
    }

    /// <summary>Where the value was written (file or description, line).</summary>
    public ConfigOrigin Origin { get; }

    /// <summary>The kind of value.</summary>
    public abstract HoconValueType Type { get; }

    /// <summary>True when this value or any value nested in it still holds a substitution.</summary>
    internal abstract bool HasUnresolved { get; }

    /// <summary>Text of a simple value (string, number, boolean, null) as used in concatenation; <c>null</c> for others.</summary>
    internal virtual string? ConcatText => null;

    /// <summary>Renders the value as JSON (resolved values only; unresolved parts render as their HOCON text).</summary>
    /// <param name="indented">True to indent nested values by two spaces per level.</param>
    /// <returns>The JSON text.</returns>
    public string ToJson(bool indented = false)
    {
        var sb = new System.Text.StringBuilder();
        JsonWriter.Write(sb, this, indented, 0);
        return sb.ToString();
    }

    /// <summary>Renders the value as compact JSON.</summary>
    /// <returns>The JSON text.</returns>
    public override string ToString() => ToJson(false);
}

/// <summary>A HOCON object: string keys to values, insertion order kept. Immutable.</summary>
public sealed class HoconObject : HoconValue
{
    private readonly OrderedDictionary<string, HoconValue> _fields;
    private bool _hasUnresolved; // changes only in MergeInPlaceWhileParsing, before the object is shared

    internal HoconObject(OrderedDictionary<string, HoconValue> fields, ConfigOrigin origin)
        : base(origin)
    {
        _fields = fields;
        foreach (var v in fields.Values)
        {
            if (v.HasUnresolved)
            {
                _hasUnresolved = true;
                break;
            }
        }
    }

    /// <summary>An empty object with no origin.</summary>
    public static HoconObject Empty { get; } = new(new OrderedDictionary<string, HoconValue>(), ConfigOrigin.None);

    /// <inheritdoc/>
    public override HoconValueType Type => HoconValueType.Object;

    internal override bool HasUnresolved => _hasUnresolved;

    /// <summary>Number of fields.</summary>
    public int Count => _fields.Count;

    /// <summary>The keys in the order they were first defined.</summary>
    public IEnumerable<string> Keys => _fields.Keys;

    /// <summary>The fields in the order they were first defined.</summary>
    public IEnumerable<KeyValuePair<string, HoconValue>> Fields => _fields;

    /// <summary>Returns the value of a direct field (a single key, not a path).</summary>
    /// <param name="key">The key, unquoted.</param>
    /// <exception cref="KeyNotFoundException">When the key is absent.</exception>
    public HoconValue this[string key] => _fields[key];

    /// <summary>Looks up a direct field (a single key, not a path).</summary>
    /// <param name="key">The key, unquoted.</param>
    /// <param name="value">The value when found.</param>
    /// <returns>True when the key exists.</returns>
    public bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out HoconValue? value) =>
        _fields.TryGetValue(key, out value);

    internal OrderedDictionary<string, HoconValue> CopyFields() => new(_fields);

    /// <summary>
    /// Merges <paramref name="over"/> into this object in place (later keys win). Only the parser calls this, on
    /// objects it created and has not yet handed out, so that repeated keys (a.k1 = 1, a.k2 = 2, ...) cost
    /// O(keys) instead of copying the whole object for every line.
    /// </summary>
    internal void MergeInPlaceWhileParsing(HoconObject over)
    {
        var rescan = false;
        foreach (var kv in over._fields)
        {
            HoconValue value;
            if (_fields.TryGetValue(kv.Key, out var existing))
            {
                value = Values.ValueOps.MergeWhileParsing(kv.Value, existing);
                rescan |= existing.HasUnresolved && !value.HasUnresolved;
            }
            else
            {
                value = kv.Value;
            }

            _fields[kv.Key] = value;
            _hasUnresolved |= value.HasUnresolved;
        }

        if (rescan)
        {
            _hasUnresolved = _fields.Values.Any(v => v.HasUnresolved);
        }
    }
}

/// <summary>A HOCON array (list). Immutable.</summary>
public sealed class HoconArray : HoconValue
{
    private readonly HoconValue[] _items;
    private readonly bool _hasUnresolved;

    internal HoconArray(HoconValue[] items, ConfigOrigin origin)
        : base(origin)
    {
        _items = items;
        foreach (var v in items)
        {
            if (v.HasUnresolved)
            {
                _hasUnresolved = true;
                break;
            }
        }
    }

    /// <inheritdoc/>
    public override HoconValueType Type => HoconValueType.Array;

    internal override bool HasUnresolved => _hasUnresolved;

    /// <summary>The elements in order.</summary>
    public IReadOnlyList<HoconValue> Items => _items;
}

/// <summary>A string value. Unquoted text such as <c>on</c>, <c>10s</c> or <c>100 MiB</c> is a string in HOCON.</summary>
public sealed class HoconString : HoconValue
{
    internal HoconString(string value, ConfigOrigin origin, bool isWhitespace = false)
        : base(origin)
    {
        Value = value;
        IsWhitespace = isWhitespace;
    }

    /// <summary>The string content (escapes already processed).</summary>
    public string Value { get; }

    /// <summary>True for the whitespace kept between concatenated values (parser internal).</summary>
    internal bool IsWhitespace { get; }

    /// <inheritdoc/>
    public override HoconValueType Type => HoconValueType.String;

    internal override bool HasUnresolved => false;

    internal override string? ConcatText => Value;
}

/// <summary>A number, kept with its source text (so <c>42</c> and <c>42.0</c> render as written).</summary>
public sealed class HoconNumber : HoconValue
{
    internal HoconNumber(string text, ConfigOrigin origin)
        : base(origin)
    {
        Text = text;
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
        {
            IsInteger = true;
            LongValue = l;
            Value = l;
        }
        else
        {
            Value = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
            IsInteger = false;
        }
    }

    /// <summary>The number as written in the source.</summary>
    public string Text { get; }

    /// <summary>The value as a double.</summary>
    public double Value { get; }

    /// <summary>True when the source text is an integer that fits in a 64-bit signed integer.</summary>
    public bool IsInteger { get; }

    /// <summary>The value as a long when <see cref="IsInteger"/>; 0 otherwise.</summary>
    public long LongValue { get; }

    /// <inheritdoc/>
    public override HoconValueType Type => HoconValueType.Number;

    internal override bool HasUnresolved => false;

    internal override string? ConcatText => Text;
}

/// <summary>A boolean (<c>true</c>/<c>false</c> literals only; <c>on</c>/<c>yes</c> are strings in HOCON).</summary>
public sealed class HoconBoolean : HoconValue
{
    internal HoconBoolean(bool value, ConfigOrigin origin)
        : base(origin)
    {
        Value = value;
    }

    /// <summary>The boolean value.</summary>
    public bool Value { get; }

    /// <inheritdoc/>
    public override HoconValueType Type => HoconValueType.Boolean;

    internal override bool HasUnresolved => false;

    internal override string? ConcatText => Value ? "true" : "false";
}

/// <summary>The <c>null</c> value: present in the tree (unlike a missing key) but holding nothing.</summary>
public sealed class HoconNull : HoconValue
{
    internal HoconNull(ConfigOrigin origin)
        : base(origin)
    {
    }

    /// <inheritdoc/>
    public override HoconValueType Type => HoconValueType.Null;

    internal override bool HasUnresolved => false;

    internal override string? ConcatText => "null";
}
