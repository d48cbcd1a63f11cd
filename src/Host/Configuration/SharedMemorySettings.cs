using ActorNet.Actors.Cluster;
using ActorNet.Hocon;

namespace ActorNet.Host.Configuration;

/// <summary>How a receiver learns that frames arrived (<c>actornet.shared-memory.notification.mode</c>).</summary>
public enum NotificationMode
{
    /// <summary>Busy spin on the ring indices.</summary>
    Polling,

    /// <summary>Sleep on a futex/event; the sender wakes the receiver only when it is asleep.</summary>
    Interrupt,

    /// <summary>Spin for a while, then sleep as in <see cref="Interrupt"/>.</summary>
    Adaptive,
}

/// <summary>
/// Shared-memory facility settings (<c>actornet.shared-memory</c>), built once at start-up by
/// <see cref="FromConfig"/> and handed to the data plane as plain values.
/// </summary>
/// <param name="Root">Folder holding <c>&lt;cluster&gt;/node-&lt;id&gt;</c> segments.</param>
/// <param name="Notification">Notification mode.</param>
/// <param name="SpinIterations">Adaptive mode: empty polls before sleeping.</param>
/// <param name="MaxSleep">Longest sleep before re-checking the rings.</param>
/// <param name="HeartbeatInterval">Period of the segment heartbeat word.</param>
/// <param name="HeartbeatTimeout">Age of a peer's heartbeat word that means the peer is dead.</param>
public sealed record SharedMemorySettings(
    string Root,
    NotificationMode Notification,
    int SpinIterations,
    TimeSpan MaxSleep,
    TimeSpan HeartbeatInterval,
    TimeSpan HeartbeatTimeout)
{
    private static readonly Dictionary<string, NotificationMode> s_modes = new()
    {
        ["polling"] = NotificationMode.Polling,
        ["interrupt"] = NotificationMode.Interrupt,
        ["adaptive"] = NotificationMode.Adaptive,
    };

    /// <summary>Builds the settings from a resolved configuration.</summary>
    /// <exception cref="SettingsException">Every invalid key, each with the fix.</exception>
    public static SharedMemorySettings FromConfig(Config config)
    {
        var r = new SettingsReader(config);
        var settings = Read(r);
        r.ThrowIfInvalid();
        return settings;
    }

    /// <summary>Reads the settings, recording problems in <paramref name="r"/>.</summary>
    public static SharedMemorySettings Read(SettingsReader r)
    {
        const string P = "actornet.shared-memory.";
        var settings = new SharedMemorySettings(
            r.String(P + "root", v => v.Length > 0 ? null : "a folder is required (e.g. /dev/shm/actornet)"),
            r.Choice(P + "notification.mode", s_modes),
            r.Int(P + "notification.spin-iterations", 0, 10_000_000, "empty polls before sleeping"),
            r.Duration(P + "notification.max-sleep", TimeSpan.FromTicks(10)),
            r.Duration(P + "heartbeat.interval", TimeSpan.FromTicks(10)),
            r.Duration(P + "heartbeat.timeout", TimeSpan.FromTicks(10)));
        if (settings.HeartbeatTimeout <= settings.HeartbeatInterval)
        {
            r.Problem(P + "heartbeat.timeout", $"{P}heartbeat.timeout ({SettingsReader.Format(settings.HeartbeatTimeout)}) must be longer than {P}heartbeat.interval ({SettingsReader.Format(settings.HeartbeatInterval)}), or every peer looks dead; raise the timeout (10 intervals is a good start)");
        }

        return settings;
    }
}
