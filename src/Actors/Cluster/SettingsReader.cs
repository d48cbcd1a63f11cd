using System.Globalization;
using ActorNet.Hocon;

namespace ActorNet.Actors.Cluster;

/// <summary>One thing wrong with a configuration: the key, and a message that says what is wrong and how to fix it.</summary>
/// <param name="Path">Full HOCON path of the offending key, e.g. <c>actornet.node.id</c>.</param>
/// <param name="Message">Complete sentence naming the key, the bad value, the allowed values and the fix.</param>
public sealed record SettingsProblem(string Path, string Message)
{
    /// <summary>Returns <see cref="Message"/>.</summary>
    public override string ToString() => Message;
}

/// <summary>
/// Thrown by a settings record's <c>FromConfig</c> when the configuration is invalid. Carries every problem
/// found in that record, so an operator can fix them all in one pass.
/// </summary>
public sealed class SettingsException : Exception
{
    /// <summary>Creates the exception from the problems found (at least one).</summary>
    public SettingsException(IReadOnlyList<SettingsProblem> problems)
        : base(string.Join(Environment.NewLine, problems.Select(p => p.Message)))
    {
        Problems = problems;
    }

    /// <summary>Every problem found, in key order of reading.</summary>
    public IReadOnlyList<SettingsProblem> Problems { get; }
}

/// <summary>
/// Reads typed, range-checked values from a resolved <see cref="Config"/> for a settings record's
/// <c>FromConfig</c>. Each getter returns the value, or records a <see cref="SettingsProblem"/> (wrong type,
/// missing key, out of range) and returns a harmless placeholder so reading continues; the caller ends with
/// <see cref="ThrowIfInvalid"/>. Used on one thread, once per settings record; not thread-safe.
/// </summary>
public sealed class SettingsReader
{
    private readonly Config _config;
    private readonly List<SettingsProblem> _problems = [];

    /// <summary>Creates a reader over a resolved configuration (the whole tree, paths are absolute).</summary>
    public SettingsReader(Config config)
    {
        _config = config;
    }

    /// <summary>The configuration being read.</summary>
    public Config Config => _config;

    /// <summary>Problems recorded so far.</summary>
    public IReadOnlyList<SettingsProblem> Problems => _problems;

    /// <summary>Records a problem found by a cross-key check of the caller.</summary>
    public void Problem(string path, string message) => _problems.Add(new SettingsProblem(path, message));

    /// <summary>Throws a <see cref="SettingsException"/> carrying every recorded problem, if there is any.</summary>
    public void ThrowIfInvalid()
    {
        if (_problems.Count > 0)
        {
            throw new SettingsException(_problems.ToArray());
        }
    }

    /// <summary>Reads a string; <paramref name="check"/> returns an error phrase for a bad value or null when fine.</summary>
    public string String(string path, Func<string, string?>? check = null, string? fix = null)
    {
        var before = _problems.Count;
        var value = Read(path, "a string", c => c.GetString(path), string.Empty);
        if (check is not null && _problems.Count == before)
        {
            var error = check(value);
            if (error is not null)
            {
                Problem(path, $"{path} = \"{value}\" is invalid: {error}; {fix ?? "set " + path}");
            }
        }

        return value;
    }

    /// <summary>Reads a switch (on/off, yes/no, true/false).</summary>
    public bool Bool(string path) => Read(path, "on or off", c => c.GetBoolean(path), false);

    /// <summary>Reads an integer in [<paramref name="min"/>, <paramref name="max"/>]; <paramref name="meaning"/> explains the range.</summary>
    public int Int(string path, int min, int max, string meaning)
    {
        var value = Read(path, "an integer", c => c.GetInt(path), min);
        if (value < min || value > max)
        {
            Problem(path, $"{path} = {value.ToString(CultureInfo.InvariantCulture)} is out of range: {meaning} ({min.ToString(CultureInfo.InvariantCulture)}..{max.ToString(CultureInfo.InvariantCulture)}); set {path}");
            return min;
        }

        return value;
    }

    /// <summary>Reads a decimal number in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public double Double(string path, double min, double max, string meaning)
    {
        var value = Read(path, "a number", c => c.GetDouble(path), min);
        if (double.IsNaN(value) || value < min || value > max)
        {
            Problem(path, $"{path} = {value.ToString(CultureInfo.InvariantCulture)} is out of range: {meaning} ({min.ToString(CultureInfo.InvariantCulture)}..{max.ToString(CultureInfo.InvariantCulture)}); set {path}");
            return min;
        }

        return value;
    }

    /// <summary>Reads a duration that must be at least <paramref name="min"/> (and at most <paramref name="max"/> when given).</summary>
    public TimeSpan Duration(string path, TimeSpan min, TimeSpan? max = null)
    {
        var value = Read(path, "a duration such as 200ms or 1 s", c => c.GetTimeSpan(path), min);
        CheckDuration(path, value, min, max);
        return value < min ? min : value;
    }

    /// <summary>Reads a duration that may be <c>off</c> (returned as null).</summary>
    public TimeSpan? DurationOrOff(string path, TimeSpan min, TimeSpan? max = null)
    {
        if (IsOff(path))
        {
            return null;
        }

        return Duration(path, min, max);
    }

    /// <summary>Reads a size in bytes in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public long Bytes(string path, long min, long max)
    {
        var value = Read(path, "a size such as 64KiB or 10 MB", c => c.GetByteSize(path), min);
        if (value < min || value > max)
        {
            Problem(path, $"{path} = {value.ToString(CultureInfo.InvariantCulture)} bytes is out of range ({min.ToString(CultureInfo.InvariantCulture)}..{max.ToString(CultureInfo.InvariantCulture)} bytes); set {path}");
            return min;
        }

        return value;
    }

    /// <summary>Reads a size that may be <c>off</c> (returned as null).</summary>
    public long? BytesOrOff(string path, long min, long max) => IsOff(path) ? null : Bytes(path, min, max);

    /// <summary>Reads one of a fixed set of kebab-case words and maps it to <typeparamref name="T"/>.</summary>
    public T Choice<T>(string path, IReadOnlyDictionary<string, T> choices)
        where T : struct
    {
        var first = choices.First().Value;
        var before = _problems.Count;
        var word = Read(path, "one of " + string.Join(" | ", choices.Keys), c => c.GetString(path), string.Empty);
        if (choices.TryGetValue(word.Trim().ToLowerInvariant(), out var value))
        {
            return value;
        }

        if (_problems.Count == before)
        {
            Problem(path, $"{path} = \"{word}\" is not a valid choice: use one of {string.Join(" | ", choices.Keys)}; set {path}");
        }

        return first;
    }

    /// <summary>Reads a list of strings.</summary>
    public IReadOnlyList<string> StringList(string path) =>
        Read<IReadOnlyList<string>>(path, "a list of strings such as [\"a\", \"b\"]", c => c.GetStringList(path).ToArray(), []);

    /// <summary>True when the key holds <c>off</c> (or false / no).</summary>
    public bool IsOff(string path)
    {
        try
        {
            if (!_config.HasPath(path))
            {
                return false;
            }

            var text = _config.GetString(path);
            return text is "off" or "false" or "no";
        }
        catch (HoconException)
        {
            return false;
        }
    }

    private T Read<T>(string path, string expected, Func<Config, T> get, T placeholder)
    {
        try
        {
            if (!_config.HasPath(path))
            {
                Problem(path, $"{path} is missing: it must be {expected}; set {path} (see hocon/reference.conf for its meaning)");
                return placeholder;
            }

            return get(_config);
        }
        catch (HoconException ex)
        {
            // The getter's message reads "origin: path: expected X but found Y"; keep only what follows the path.
            var at = ex.Message.IndexOf(path + ": ", StringComparison.Ordinal);
            var detail = at >= 0 ? ex.Message[(at + path.Length + 2)..] : ex.Message;
            Problem(path, $"{path} has the wrong type: {detail}; set it to {expected}");
            return placeholder;
        }
        catch (FormatException ex)
        {
            Problem(path, $"{path} has the wrong type: expected {expected} ({ex.Message}); set {path}");
            return placeholder;
        }
        catch (OverflowException)
        {
            Problem(path, $"{path} is too large: expected {expected}; set {path}");
            return placeholder;
        }
    }

    private void CheckDuration(string path, TimeSpan value, TimeSpan min, TimeSpan? max)
    {
        if (value < min || (max is { } m && value > m))
        {
            var range = max is { } top ? $"{Format(min)}..{Format(top)}" : $"at least {Format(min)}";
            Problem(path, $"{path} = {Format(value)} is out of range: it must be {range}; set {path}");
        }
    }

    /// <summary>Formats a duration the way HOCON writes it (e.g. 200ms, 5s).</summary>
    public static string Format(TimeSpan value)
    {
        if (value.Ticks % TimeSpan.TicksPerMillisecond != 0)
        {
            return (value.Ticks / 10.0).ToString(CultureInfo.InvariantCulture) + "us";
        }

        var ms = (long)value.TotalMilliseconds;
        return ms % 1000 == 0 && ms != 0 ? (ms / 1000).ToString(CultureInfo.InvariantCulture) + "s" : ms.ToString(CultureInfo.InvariantCulture) + "ms";
    }
}
