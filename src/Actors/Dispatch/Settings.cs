namespace ActorNet.Actors.Dispatch;

/// <summary>Which executor a dispatcher uses.</summary>
public enum DispatcherKind
{
    /// <summary>Mailboxes run as work items on the .NET thread pool (the default).</summary>
    ThreadPool,

    /// <summary>Each actor gets a dedicated thread (<c>type = pinned</c>).</summary>
    Pinned,
}

/// <summary>
/// One dispatcher's settings, read once from its HOCON block (e.g. <c>actornet.actor.default-dispatcher</c>).
/// </summary>
/// <param name="Id">The config path that names the dispatcher, used in <c>Props.WithDispatcher</c>.</param>
/// <param name="Kind">Thread pool or pinned.</param>
/// <param name="Throughput">Messages one actor processes before yielding its thread (Akka's <c>throughput</c>), at least 1.</param>
/// <param name="ThroughputDeadline">Time one actor may run before yielding, or null for no limit.</param>
public sealed record DispatcherSettings(string Id, DispatcherKind Kind, int Throughput, TimeSpan? ThroughputDeadline)
{
    /// <summary>Id of the default dispatcher.</summary>
    public const string DefaultId = "actornet.actor.default-dispatcher";

    /// <summary>Id of the built-in pinned dispatcher.</summary>
    public const string PinnedId = "actornet.actor.pinned-dispatcher";

    /// <summary>The defaults of <c>default-dispatcher</c> when no config is given (Akka's throughput 30).</summary>
    public static DispatcherSettings Default { get; } = new(DefaultId, DispatcherKind.ThreadPool, 30, null);

    /// <summary>The defaults of <c>pinned-dispatcher</c>: throughput 1, so the thread checks system messages often.</summary>
    public static DispatcherSettings Pinned { get; } = new(PinnedId, DispatcherKind.Pinned, 1, null);
}

/// <summary>One mailbox type's settings (e.g. <c>actornet.actor.bounded-mailbox</c>).</summary>
/// <param name="Id">The config path that names the mailbox, used in <c>Props.WithMailbox</c>.</param>
/// <param name="Capacity">Maximum queued user messages (0 = unbounded); excess messages go to dead letters.</param>
public sealed record MailboxSettings(string Id, int Capacity)
{
    /// <summary>Id of the default (unbounded) mailbox.</summary>
    public const string DefaultId = "actornet.actor.default-mailbox";

    /// <summary>Id of the built-in bounded mailbox.</summary>
    public const string BoundedId = "actornet.actor.bounded-mailbox";

    /// <summary>The unbounded default.</summary>
    public static MailboxSettings Default { get; } = new(DefaultId, 0);

    /// <summary>The built-in bounded mailbox's defaults (1000 messages).</summary>
    public static MailboxSettings Bounded { get; } = new(BoundedId, 1000);
}
