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
/// <param name="PinPollers">CPU pinning of the data-plane pollers (<c>notification.pin-pollers</c>).</param>
public sealed record SharedMemorySettings(
    string Root,
    NotificationMode Notification,
    int SpinIterations,
    TimeSpan MaxSleep,
    TimeSpan HeartbeatInterval,
    TimeSpan HeartbeatTimeout,
    PollerPinning PinPollers)
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
            r.Duration(P + "heartbeat.timeout", TimeSpan.FromTicks(10)),
            PollerPinning.Read(r, P + "notification.pin-pollers"));
        if (settings.HeartbeatTimeout <= settings.HeartbeatInterval)
        {
            r.Problem(P + "heartbeat.timeout", $"{P}heartbeat.timeout ({SettingsReader.Format(settings.HeartbeatTimeout)}) must be longer than {P}heartbeat.interval ({SettingsReader.Format(settings.HeartbeatInterval)}), or every peer looks dead; raise the timeout (10 intervals is a good start)");
        }

        return settings;
    }
}

/// <summary>
/// Where a node's data-plane poller runs (<c>actornet.shared-memory.notification.pin-pollers</c>): <c>auto</c> pins
/// node N's poller to CPU (N-1) mod (the CPUs the process may use) when it may use two or more and the mode spins;
/// <c>off</c> leaves placement to the kernel; a list of CPU numbers pins node N's poller to list[(N-1) mod length].
/// </summary>
/// <param name="Auto">The <c>auto</c> rule.</param>
/// <param name="Cpus">The explicit list; empty with <see cref="Auto"/> or for <c>off</c>.</param>
public sealed record PollerPinning(bool Auto, IReadOnlyList<int> Cpus)
{
    /// <summary>No pinning.</summary>
    public static PollerPinning Off { get; } = new(false, []);

    /// <summary>The default rule.</summary>
    public static PollerPinning Automatic { get; } = new(true, []);

    /// <summary>Reads the key, recording a problem with the fix when it is neither auto, off nor a list of CPU numbers 0..1023.</summary>
    public static PollerPinning Read(SettingsReader r, string path)
    {
        const string Fix = "use auto, off, or a list of CPU numbers such as [0, 1]";
        var value = r.Config.TryGetValue(path);
        switch (value)
        {
            case null:
                r.Problem(path, $"{path} is missing: {Fix}");
                return Off;
            case HoconArray:
                try
                {
                    var cpus = r.Config.GetIntList(path);
                    if (cpus.Count == 0 || cpus.Any(c => c is < 0 or > 1023))
                    {
                        r.Problem(path, $"{path} = [{string.Join(", ", cpus)}]: CPU numbers must be 0..1023 and at least one is needed; {Fix}");
                        return Off;
                    }

                    return new PollerPinning(false, cpus.ToArray());
                }
                catch (HoconException ex)
                {
                    r.Problem(path, $"{path}: {ex.Message}; {Fix}");
                    return Off;
                }

            default:
                var text = value is HoconString or HoconBoolean ? r.Config.GetString(path) : null;
                switch (text)
                {
                    case "auto":
                        return Automatic;
                    case "off" or "false" or "no":
                        return Off;
                    default:
                        r.Problem(path, $"{path} = {text ?? value.ToString()} is not valid: {Fix}");
                        return Off;
                }
        }
    }

    /// <summary>
    /// The CPU node <paramref name="nodeId"/>'s poller should run on, or null for no pinning, given the CPUs this
    /// process may use and whether the notification mode spins.
    /// </summary>
    public int? CpuFor(int nodeId, IReadOnlyList<int> allowedCpus, bool spins)
    {
        if (Cpus.Count > 0)
        {
            return Cpus[(nodeId - 1) % Cpus.Count];
        }

        if (!Auto || !spins || allowedCpus.Count < 2)
        {
            return null;
        }

        return allowedCpus[(nodeId - 1) % allowedCpus.Count];
    }
}
