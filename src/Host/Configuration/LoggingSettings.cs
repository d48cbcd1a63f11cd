using ActorNet.Actors.Cluster;
using ActorNet.Hocon;
using Serilog.Events;

namespace ActorNet.Host.Configuration;

/// <summary>Format of console log output (<c>actornet.logging.console.format</c>).</summary>
public enum ConsoleLogFormat
{
    /// <summary>One readable line per event.</summary>
    Human,

    /// <summary>The same JSON lines as the files.</summary>
    Json,
}

/// <summary>Logging settings (<c>actornet.logging</c>), read once by <see cref="Logging.ActorNetLogging.Create"/>.</summary>
/// <param name="Level">Minimum level.</param>
/// <param name="ConsoleEnabled">Write events to standard error.</param>
/// <param name="ConsoleFormat">Console format.</param>
/// <param name="FileEnabled">Write JSON-lines files.</param>
/// <param name="FileFolder">Folder of the JSON-lines files.</param>
/// <param name="RollSize">File size that starts a new file, bytes; null = never roll.</param>
/// <param name="RetainedFiles">Rolled files kept per node.</param>
/// <param name="AsyncBufferSize">Events buffered for the background writer.</param>
/// <param name="BlockWhenFull">Callers wait when the buffer is full (otherwise events are dropped).</param>
public sealed record LoggingSettings(
    LogEventLevel Level,
    bool ConsoleEnabled,
    ConsoleLogFormat ConsoleFormat,
    bool FileEnabled,
    string FileFolder,
    long? RollSize,
    int RetainedFiles,
    int AsyncBufferSize,
    bool BlockWhenFull)
{
    private static readonly Dictionary<string, LogEventLevel> s_levels = new()
    {
        ["verbose"] = LogEventLevel.Verbose,
        ["debug"] = LogEventLevel.Debug,
        ["information"] = LogEventLevel.Information,
        ["info"] = LogEventLevel.Information,
        ["warning"] = LogEventLevel.Warning,
        ["error"] = LogEventLevel.Error,
        ["fatal"] = LogEventLevel.Fatal,
    };

    private static readonly Dictionary<string, ConsoleLogFormat> s_formats = new()
    {
        ["human"] = ConsoleLogFormat.Human,
        ["json"] = ConsoleLogFormat.Json,
    };

    /// <summary>Builds the settings from a resolved configuration.</summary>
    /// <exception cref="SettingsException">Every invalid key, each with the fix.</exception>
    public static LoggingSettings FromConfig(Config config)
    {
        var r = new SettingsReader(config);
        var settings = Read(r);
        r.ThrowIfInvalid();
        return settings;
    }

    /// <summary>Reads the settings, recording problems in <paramref name="r"/>.</summary>
    public static LoggingSettings Read(SettingsReader r)
    {
        const string P = "actornet.logging.";
        return new LoggingSettings(
            r.Choice(P + "level", s_levels),
            r.Bool(P + "console.enabled"),
            r.Choice(P + "console.format", s_formats),
            r.Bool(P + "file.enabled"),
            r.String(P + "file.folder", v => v.Length > 0 ? null : "a folder is required (e.g. logs)"),
            r.BytesOrOff(P + "file.roll-size", 4096, long.MaxValue),
            r.Int(P + "file.retained-files", 1, 10_000, "rolled files kept per node"),
            r.Int(P + "async.buffer-size", 1, 10_000_000, "events buffered in memory"),
            r.Bool(P + "async.block-when-full"));
    }
}
