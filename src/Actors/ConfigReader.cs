using ActorNet.Hocon;

namespace ActorNet.Actors;

/// <summary>
/// Config access with the kernel's conventions: <c>off</c> for optional durations, range checks that fail with
/// a <see cref="HoconException"/> naming the key, its origin and how to fix it.
/// </summary>
internal static class ConfigReader
{
    private static readonly Lazy<Config> s_reference = new(LoadReference);

    /// <summary>The embedded <c>hocon/reference.conf</c> (resource <c>ActorNet.reference.conf</c>), parsed unresolved.</summary>
    public static Config Reference => s_reference.Value;

    public static bool IsOff(Config config, string path) =>
        config.TryGetValue(path) is { Type: HoconValueType.String } && config.GetString(path).Trim() is "off" or "none";

    public static TimeSpan? OptionalDuration(Config config, string path)
    {
        if (!config.HasPath(path) || IsOff(config, path))
        {
            return null;
        }

        var value = config.GetTimeSpan(path);
        return value > TimeSpan.Zero ? value : null;
    }

    public static TimeSpan PositiveDuration(Config config, string path)
    {
        var value = config.GetTimeSpan(path);
        return value > TimeSpan.Zero ? value : throw Invalid(config, path, $"a positive duration (e.g. 10ms) but was {value}");
    }

    public static int IntAtLeast(Config config, string path, int min)
    {
        var value = config.GetInt(path);
        return value >= min ? value : throw Invalid(config, path, $"an integer >= {min} but was {value}");
    }

    public static int CountOrOff(Config config, string path) => IsOff(config, path) ? 0 : IntAtLeast(config, path, 0);

    public static HoconException Invalid(Config config, string path, string expected)
    {
        var origin = config.TryGetValue(path)?.Origin;
        return new HoconException(
            $"{origin?.Description ?? "config"}: key '{path}' must be {expected}",
            origin?.File,
            origin?.Line ?? 0,
            0,
            path);
    }

    private static Config LoadReference()
    {
        using var stream = typeof(ConfigReader).Assembly.GetManifestResourceStream("ActorNet.reference.conf")
            ?? throw new InvalidOperationException("embedded resource ActorNet.reference.conf is missing from ActorNet.Actors");
        using var reader = new StreamReader(stream);
        return ConfigurationFactory.ParseStringUnresolved(reader.ReadToEnd(), "reference.conf");
    }
}
