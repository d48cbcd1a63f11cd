using ActorNet.Actors.Dispatch;

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
    /// <summary>Akka's phases (without sharding), each depending on the one before; 5 s each, 10 s for exiting and terminate.</summary>
    public static CoordinatedShutdownSettings Default { get; } = new(BuildDefaultPhases(), true);

    /// <summary>Akka's phase names in their default order.</summary>
    public static IReadOnlyList<string> DefaultPhaseNames { get; } =
    [
        "before-service-unbind", "service-unbind", "service-requests-done", "service-stop", "before-cluster-shutdown",
        "cluster-leave", "cluster-exiting", "cluster-exiting-done", "cluster-shutdown", "before-actor-system-terminate",
        "actor-system-terminate",
    ];

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
