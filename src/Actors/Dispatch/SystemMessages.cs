namespace ActorNet.Actors.Dispatch;

/// <summary>
/// A message the kernel sends to an actor's cell; kept in the mailbox's separate system queue and processed
/// before any user message. Each instance is enqueued once: <see cref="Next"/> links it into the intrusive
/// lock-free stack, written only by the enqueuing thread before publication.
/// </summary>
internal abstract class SystemMessage
{
    /// <summary>Intrusive link in the mailbox's system stack.</summary>
    internal SystemMessage? Next;
}

/// <summary>Create the actor instance and run <c>PreStart</c>.</summary>
internal sealed class Create : SystemMessage
{
}

/// <summary>Restart the actor because of <paramref name="cause"/>.</summary>
internal sealed class Recreate(Exception cause) : SystemMessage
{
    public Exception Cause { get; } = cause;
}

/// <summary>Stop processing user messages until <see cref="Resume"/> (a failure is being handled).</summary>
internal sealed class Suspend : SystemMessage
{
}

/// <summary>Undo one <see cref="Suspend"/>; <paramref name="causedByFailure"/> is set when the supervisor chose Resume.</summary>
internal sealed class Resume(Exception? causedByFailure) : SystemMessage
{
    public Exception? CausedByFailure { get; } = causedByFailure;
}

/// <summary>Stop the actor: children first, then <c>PostStop</c>, then notify parent and watchers.</summary>
internal sealed class Terminate : SystemMessage
{
}

/// <summary><paramref name="watcher"/> wants a <see cref="Terminated"/> when <paramref name="watchee"/> stops.</summary>
internal sealed class Watch(ActorRefBase watchee, ActorRefBase watcher) : SystemMessage
{
    public ActorRefBase Watchee { get; } = watchee;

    public ActorRefBase Watcher { get; } = watcher;
}

/// <summary>Cancels a <see cref="Watch"/>.</summary>
internal sealed class Unwatch(ActorRefBase watchee, ActorRefBase watcher) : SystemMessage
{
    public ActorRefBase Watchee { get; } = watchee;

    public ActorRefBase Watcher { get; } = watcher;
}

/// <summary>Sent by a failed child to its parent, which applies its supervisor strategy.</summary>
internal sealed class Failed(ActorRefBase child, Exception cause, int uid) : SystemMessage
{
    public ActorRefBase Child { get; } = child;

    public Exception Cause { get; } = cause;

    public int Uid { get; } = uid;
}

/// <summary>The actor <paramref name="Actor"/> terminated; sent to its parent and to every watcher.</summary>
internal sealed class DeathWatchNotification(ActorRefBase Actor, bool ExistenceConfirmed, bool AddressTerminated) : SystemMessage
{
    public ActorRefBase Actor { get; } = Actor;

    public bool ExistenceConfirmed { get; } = ExistenceConfirmed;

    public bool AddressTerminated { get; } = AddressTerminated;
}

/// <summary>
/// The state of a user message in a mailbox: the message and its sender, stored by value in the queue's
/// segment so that a Tell allocates nothing beyond the message itself.
/// </summary>
internal readonly record struct Envelope(object Message, IActorRef? Sender);
