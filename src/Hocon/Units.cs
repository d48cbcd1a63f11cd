using System.Globalization;

namespace ActorNet.Hocon;

/// <summary>
/// Duration and size parsing with the HOCON specification's unit tables. Pure functions, thread-safe.
/// Durations: ns, us, ms, s, m, h, d (and long forms); a bare number means milliseconds.
/// Sizes: B; kB/MB/GB/TB/PB/EB/ZB/YB = powers of 1000; K/M/G/T/P/E/Z/Y, Ki/Mi/..., KiB/MiB/... = powers of 1024;
/// a bare number means bytes.
/// </summary>
public static class Units
{
    private static readonly Dictionary<string, decimal> s_durationNanos = BuildDurations();
    private static readonly Dictionary<string, decimal> s_sizeBytes = BuildSizes();

    private static Dictionary<string, decimal> BuildDurations()
    {
        var d = new Dictionary<string, decimal>(StringComparer.Ordinal);
        void Add(decimal nanos, params string[] names)
        {
            foreach (var n in names)
            {
                d[n] = nanos;
            }
        }

        Add(1m, "ns", "nano", "nanos", "nanosecond", "nanoseconds");
        Add(1_000m, "us", "micro", "micros", "microsecond", "microseconds");
        Add(1_000_000m, "ms", "milli", "millis", "millisecond", "milliseconds");
        Add(1_000_000_000m, "s", "second", "seconds");
        Add(60_000_000_000m, "m", "minute", "minutes");
        Add(3_600_000_000_000m, "h", "hour", "hours");
        Add(86_400_000_000_000m, "d", "day", "days");
        return d;
    }

    private static Dictionary<string, decimal> BuildSizes()
    {
        var d = new Dictionary<string, decimal>(StringComparer.Ordinal);
        void Add(decimal bytes, params string[] names)
        {
            foreach (var n in names)
            {
                d[n] = bytes;
            }
        }

        Add(1m, "B", "b", "byte", "bytes");
        string[] si = ["k", "M", "G", "T", "P", "E", "Z", "Y"];
        string[] siWords = ["kilo", "mega", "giga", "tera", "peta", "exa", "zetta", "yotta"];
        string[] iecWords = ["kibi", "mebi", "gibi", "tebi", "pebi", "exbi", "zebi", "yobi"];
        decimal p1000 = 1m;
        decimal p1024 = 1m;
        for (var i = 0; i < si.Length; i++)
        {
            p1000 *= 1000m;
            p1024 *= 1024m;
            var letter = si[i];
            var upper = letter.ToUpperInvariant();
            Add(p1000, upper == "K" ? "kB" : upper + "B", siWords[i] + "byte", siWords[i] + "bytes");
            Add(p1024, upper, upper.ToLowerInvariant(), upper + "i", upper + "iB", iecWords[i] + "byte", iecWords[i] + "bytes");
        }

        return d;
    }

    /// <summary>Parses a duration such as <c>200ms</c>, <c>1 s</c>, <c>2 minutes</c>, <c>0.5s</c> or <c>1000</c> (ms).</summary>
    /// <param name="text">The duration text.</param>
    /// <param name="duration">The duration when parsing succeeds.</param>
    /// <returns>True when the text is a valid duration that fits in a <see cref="TimeSpan"/>.</returns>
    public static bool TryParseDuration(string text, out TimeSpan duration)
    {
        duration = default;
        if (text is null)
        {
            return false;
        }

        var t = text.Trim();
        if (t == "infinite")
        {
            duration = Timeout.InfiniteTimeSpan;
            return true;
        }

        if (!Split(t, out var number, out var unit))
        {
            return false;
        }

        decimal nanosPerUnit;
        if (unit.Length == 0)
        {
            nanosPerUnit = 1_000_000m;
        }
        else if (!s_durationNanos.TryGetValue(unit, out nanosPerUnit))
        {
            return false;
        }

        try
        {
            var ticks = decimal.Truncate(number * nanosPerUnit / 100m);
            if (ticks > long.MaxValue || ticks < long.MinValue)
            {
                return false;
            }

            duration = TimeSpan.FromTicks((long)ticks);
            return true;
        }
        catch (OverflowException)
        {
            return false;
        }
    }

    /// <summary>Parses a size such as <c>64KiB</c>, <c>1.5M</c> (1024-based), <c>10 MB</c> (1000-based) or <c>128000b</c>.</summary>
    /// <param name="text">The size text.</param>
    /// <param name="bytes">The number of bytes when parsing succeeds.</param>
    /// <returns>True when the text is a valid size that fits in a long.</returns>
    public static bool TryParseSize(string text, out long bytes)
    {
        bytes = 0;
        if (text is null || !Split(text.Trim(), out var number, out var unit))
        {
            return false;
        }

        decimal factor;
        if (unit.Length == 0)
        {
            factor = 1m;
        }
        else if (!s_sizeBytes.TryGetValue(unit, out factor))
        {
            return false;
        }

        try
        {
            var v = decimal.Truncate(number * factor);
            if (v > long.MaxValue || v < long.MinValue)
            {
                return false;
            }

            bytes = (long)v;
            return true;
        }
        catch (OverflowException)
        {
            return false;
        }
    }

    private static bool Split(string t, out decimal number, out string unit)
    {
        number = 0;
        unit = string.Empty;
        var i = t.Length;
        while (i > 0 && char.IsLetter(t[i - 1]))
        {
            i--;
        }

        unit = t[i..];
        var num = t[..i].TrimEnd();
        if (num.Length == 0 || num.Length > 40)
        {
            return false;
        }

        foreach (var c in num)
        {
            if (!(char.IsAsciiDigit(c) || c is '.' or '-' or '+' or 'e' or 'E'))
            {
                return false;
            }
        }

        try
        {
            return decimal.TryParse(num, NumberStyles.Float, CultureInfo.InvariantCulture, out number);
        }
        catch (OverflowException)
        {
            return false;
        }
    }
}
