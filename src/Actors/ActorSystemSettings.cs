using ActorNet.Actors.Dispatch;
using ActorNet.Hocon;

namespace ActorNet.Actors;

/// <summary>
/// The kernel's settings (Akka's <c>ActorSystem.Settings</c>), built once from the <c>actornet.actor</c> block.
/// Immutable; read from any thread.
/// </summary>
/// <param name="Dispatchers">Configured dispatchers by id (config path); must contain the default dispatcher.</param>
/// <param name="Mailboxes">Configured mailbox types by id (config path); must contain the default mailbox.</param>
/// <param name="SchedulerTick">Scheduler resolution (<c>scheduler.tick-duration</c>).</param>
/// <param name="SchedulerWheelSize">Buckets in the timer wheel (<c>scheduler.ticks-per-wheel</c>), rounded up to a power of two.</param>
/// <param name="AskTimeout">Timeout of an Ask without an explicit one (<c>ask-timeout</c>).</param>
/// <param name="LogDeadLetters">How many dead letters are logged at Information (0 = none).</param>
/// <param name="LogDeadLettersDuringShutdown">Whether dead letters are logged while the system terminates.</param>
/// <param name="DebugLifecycle">Log actor start, restart and stop at Debug.</param>
/// <param name="DebugUnhandled">Log unhandled messages at Debug.</param>
/// <param name="CoordinatedShutdown">Phases and timeouts of coordinated shutdown.</param>
public sealed record ActorSystemSettings(
    IReadOnlyDictionary<string, DispatcherSettings> Dispatchers,
    IReadOnlyDictionary<string, MailboxSettings> Mailboxes,
    TimeSpan SchedulerTick,
    int SchedulerWheelSize,
    TimeSpan AskTimeout,
    int LogDeadLetters,
    bool LogDeadLettersDuringShutdown,
    bool DebugLifecycle,
    bool DebugUnhandled,
    CoordinatedShutdownSettings CoordinatedShutdown)
{
    /// <summary>Root of the kernel's keys.</summary>
    public const string ConfigRoot = "actornet.actor";

    /// <summary>
    /// The resolved configuration the settings came from (null for <see cref="Default"/>); dispatchers and
    /// mailboxes not in <see cref="Dispatchers"/>/<see cref="Mailboxes"/> are looked up in it by path.
    /// </summary>
    public Config? Config { get; init; }

    /// <summary>
    /// Reads the settings from a resolved config that already contains the reference defaults (see
    /// <see cref="WithReference"/>). Fails fast with a <see cref="HoconException"/> naming the wrong key.
    /// </summary>
    public static ActorSystemSettings FromConfig(Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var actor = ConfigRoot;
        var dispatchers = new Dictionary<string, DispatcherSettings>(StringComparer.Ordinal)
        {
            [DispatcherSettings.DefaultId] = ReadDispatcher(config, DispatcherSettings.DefaultId),
            [DispatcherSettings.PinnedId] = ReadDispatcher(config, DispatcherSettings.PinnedId),
        };
        var mailboxes = new Dictionary<string, MailboxSettings>(StringComparer.Ordinal)
        {
            [MailboxSettings.DefaultId] = ReadMailbox(config, MailboxSettings.DefaultId),
            [MailboxSettings.BoundedId] = ReadMailbox(config, MailboxSettings.BoundedId),
        };
        return new ActorSystemSettings(
            dispatchers,
            mailboxes,
            ConfigReader.PositiveDuration(config, $"{actor}.scheduler.tick-duration"),
            ConfigReader.IntAtLeast(config, $"{actor}.scheduler.ticks-per-wheel", 1),
            ConfigReader.PositiveDuration(config, $"{actor}.ask-timeout"),
            ConfigReader.CountOrOff(config, $"{actor}.log-dead-letters"),
            config.GetBoolean($"{actor}.log-dead-letters-during-shutdown"),
            config.GetBoolean($"{actor}.debug.lifecycle"),
            config.GetBoolean($"{actor}.debug.unhandled"),
            CoordinatedShutdownSettings.FromConfig(config.GetConfig($"{actor}.coordinated-shutdown")))
        {
            Config = config,
        };
    }

    /// <summary>
    /// Layers <paramref name="config"/> (unresolved or resolved) over the embedded <c>reference.conf</c> and
    /// resolves the result, as Akka does with its reference configuration.
    /// </summary>
    public static Config WithReference(Config config) => config.WithFallback(ConfigReader.Reference).Resolve();

    /// <summary>Reads the dispatcher block at <paramref name="id"/> (a config path with a <c>type</c> key).</summary>
    public static DispatcherSettings ReadDispatcher(Config config, string id)
    {
        if (!config.HasPath(id))
        {
            throw new HoconException($"dispatcher [{id}] is not configured: add a block {id} {{ type = thread-pool | pinned, throughput = 30 }}", null, 0, 0, id);
        }

        var type = config.GetString($"{id}.type", "thread-pool");
        var kind = type switch
        {
            "thread-pool" or "default" or "Dispatcher" => DispatcherKind.ThreadPool,
            "pinned" or "PinnedDispatcher" => DispatcherKind.Pinned,
            _ => throw ConfigReader.Invalid(config, $"{id}.type", $"thread-pool or pinned but was '{type}'"),
        };
        var throughput = config.HasPath($"{id}.throughput") ? ConfigReader.IntAtLeast(config, $"{id}.throughput", 1) : 30;
        return new DispatcherSettings(id, kind, throughput, ConfigReader.OptionalDuration(config, $"{id}.throughput-deadline-time"));
    }

    /// <summary>Reads the mailbox block at <paramref name="id"/> (<c>mailbox-capacity</c>, 0 = unbounded).</summary>
    public static MailboxSettings ReadMailbox(Config config, string id)
    {
        if (!config.HasPath(id))
        {
            throw new HoconException($"mailbox [{id}] is not configured: add a block {id} {{ mailbox-capacity = 1000 }}", null, 0, 0, id);
        }

        var capacity = config.HasPath($"{id}.mailbox-capacity") ? ConfigReader.IntAtLeast(config, $"{id}.mailbox-capacity", 0) : 0;
        return new MailboxSettings(id, capacity);
    }

    /// <summary>The built-in defaults, identical to the <c>actornet.actor</c> block of <c>reference.conf</c>.</summary>
    public static ActorSystemSettings Default { get; } = new(
        new Dictionary<string, DispatcherSettings>
        {
            [DispatcherSettings.DefaultId] = DispatcherSettings.Default,
            [DispatcherSettings.PinnedId] = DispatcherSettings.Pinned,
        },
        new Dictionary<string, MailboxSettings>
        {
            [MailboxSettings.DefaultId] = MailboxSettings.Default,
            [MailboxSettings.BoundedId] = MailboxSettings.Bounded,
        },
        TimeSpan.FromMilliseconds(10),
        512,
        TimeSpan.FromSeconds(5),
        10,
        false,
        false,
        false,
        CoordinatedShutdownSettings.Default);
}

/// <summary>One phase of coordinated shutdown.</summary>
/// <param name="Name">Phase name (kebab-case, as Akka's).</param>
/// <param name="Timeout">How long the phase's tasks may take together.</param>
/// <param name="Recover">When true a failed or timed-out phase is logged and the next phase runs; when false the remaining phases are skipped (the system is still terminated).</param>
/// <param name="DependsOn">Phases that must complete first.</param>
public sealed record PhaseSettings(string Name, TimeSpan Timeout, bool Recover, IReadOnlyList<string> DependsOn);

/// <summary>Coordinated-shutdown settings (<c>actornet.actor.coordinated-shutdown</c>).</summary>
/// <param name="Phases">Every phase; ordered topologically by <see cref="CoordinatedShutdown"/>.</param>
/// <param name="RunByActorSystemTerminate">Whether <c>ActorSystem.Terminate()</c> runs all phases first (Akka's default) or stops actors at once.</param>
public sealed record CoordinatedShutdownSettings(IReadOnlyList<PhaseSettings> Phases, bool RunByActorSystemTerminate)
{
    /// <summary>Reads <c>actornet.actor.coordinated-shutdown</c> (the block itself is passed).</summary>
    public static CoordinatedShutdownSettings FromConfig(Config block)
    {
        var defaultTimeout = ConfigReader.PositiveDuration(block, "default-phase-timeout");
        var phasesBlock = block.GetConfig("phases");
        var phases = new List<PhaseSettings>();
        foreach (var name in phasesBlock.Root.Keys)
        {
            var quoted = "\"" + name + "\"";
            var timeout = phasesBlock.HasPath($"{quoted}.timeout") ? ConfigReader.PositiveDuration(phasesBlock, $"{quoted}.timeout") : defaultTimeout;
            var recover = phasesBlock.GetBoolean($"{quoted}.recover", true);
            var dependsOn = phasesBlock.GetStringList($"{quoted}.depends-on", []);
            phases.Add(new PhaseSettings(name, timeout, recover, dependsOn));
        }

        return new CoordinatedShutdownSettings(phases, block.GetBoolean("run-by-actor-system-terminate"));
    }

    /// <summary>Akka's phase names in their default order.</summary>
    public static IReadOnlyList<string> DefaultPhaseNames { get; } =
    [
        "before-service-unbind", "service-unbind", "service-requests-done", "service-stop", "before-cluster-shutdown",
        "cluster-leave", "cluster-exiting", "cluster-exiting-done", "cluster-shutdown", "before-actor-system-terminate",
        "actor-system-terminate",
    ];

    /// <summary>Akka's phases (without sharding), each depending on the one before; 5 s each, 10 s for exiting and terminate.</summary>
    public static CoordinatedShutdownSettings Default { get; } = new(BuildDefaultPhases(), true);

    private static PhaseSettings[] BuildDefaultPhases()
    {
        var phases = new PhaseSettings[DefaultPhaseNames.Count];
        for (var i = 0; i < phases.Length; i++)
        {
            var name = DefaultPhaseNames[i];
            var timeout = name is "cluster-exiting" or "actor-system-terminate" ? TimeSpan.FromSeconds(10) : TimeSpan.FromSeconds(5);
            phases[i] = new PhaseSettings(name, timeout, true, i == 0 ? [] : [DefaultPhaseNames[i - 1]]);
        }

        return phases;
    }
}
