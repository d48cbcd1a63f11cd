using ActorNet.Actors.Dispatch;

namespace ActorNet.Actors;

/// <summary>Something a message can be sent to: an actor ref or an actor selection.</summary>
public interface ICanTell
{
    /// <summary>
    /// Sends <paramref name="message"/> asynchronously, at most once, without waiting (fire-and-forget).
    /// Callable from any thread. <paramref name="sender"/> becomes the receiver's <c>Sender</c>; null means
    /// "no sender" (replies go to dead letters).
    /// </summary>
    void Tell(object message, IActorRef? sender);
}

/// <summary>
/// An immutable, thread-safe handle to an actor (Akka's <c>IActorRef</c>): the only way to talk to it.
/// Refs are compared by path and incarnation: a new actor at the same path is a different ref.
/// </summary>
public interface IActorRef : ICanTell
{
    /// <summary>The actor's logical path.</summary>
    ActorPath Path { get; }
}

/// <summary>Well-known refs.</summary>
public static class ActorRefs
{
    /// <summary>"No sender": pass it as sender when a message has no one to reply to.</summary>
    public static readonly IActorRef? NoSender;

    /// <summary>A ref that is never alive and drops everything sent to it (Akka's <c>Nobody</c>).</summary>
    public static IActorRef Nobody { get; } = new NobodyActorRef();
}

/// <summary>
/// Base of every actor ref. The kernel's internals (system messages, termination state, incarnation uid) are
/// internal members so that a remote ref (cluster issue) plugs in by subclassing in this assembly.
/// </summary>
public abstract class ActorRefBase : IActorRef
{
    /// <inheritdoc/>
    public abstract ActorPath Path { get; }

    /// <summary>Incarnation id: distinguishes actors that reuse a path; 0 for refs without incarnation.</summary>
    internal virtual int Uid => 0;

    /// <summary>True once the actor behind this ref is known to have terminated.</summary>
    internal virtual bool IsTerminated => false;

    /// <summary>True when the actor lives in this process.</summary>
    internal virtual bool IsLocal => true;

    /// <summary>The system that created this ref (used by Ask for its scheduler), or null for system-less refs.</summary>
    internal virtual ActorSystem? System => null;

    /// <inheritdoc/>
    public abstract void Tell(object message, IActorRef? sender);

    /// <summary>Delivers a system message (create, watch, terminate, …); called from any thread.</summary>
    internal abstract void SendSystemMessage(SystemMessage message);

    /// <summary>Stops the actor asynchronously (a system message, processed before pending user messages).</summary>
    internal virtual void Stop() => SendSystemMessage(new Terminate());

    /// <summary>Equal when path and incarnation uid are equal.</summary>
    public override bool Equals(object? obj) =>
        obj is ActorRefBase other && (ReferenceEquals(this, other) || (Uid == other.Uid && Path == other.Path));

    /// <inheritdoc/>
    public override int GetHashCode() => Path.GetHashCode();

    /// <summary>Renders <c>[path#uid]</c> as Akka does.</summary>
    public override string ToString() => Uid == 0 ? $"[{Path}]" : $"[{Path}#{Uid}]";
}

/// <summary>
/// A ref without a mailbox or cell (dead letters, nobody, ask promises). Watching it yields
/// <see cref="Terminated"/> at once unless the subclass handles watches itself.
/// </summary>
internal abstract class MinimalActorRef : ActorRefBase
{
    internal override void SendSystemMessage(SystemMessage message)
    {
        if (message is Watch watch && watch.Watchee.Equals(this) && !watch.Watcher.Equals(this))
        {
            watch.Watcher.SendSystemMessage(new DeathWatchNotification(this, ExistenceConfirmed: false, AddressTerminated: false));
        }
    }
}

/// <summary>See <see cref="ActorRefs.Nobody"/>.</summary>
internal sealed class NobodyActorRef : MinimalActorRef
{
    private static readonly ActorPath s_path = ActorPath.Root(new Address("akka", "all-systems")).Child("Nobody");

    public override ActorPath Path => s_path;

    internal override bool IsTerminated => true;

    public override void Tell(object message, IActorRef? sender)
    {
        // Dropped: Nobody has no mailbox and no event stream.
    }
}

/// <summary>Extension methods Akka puts on refs: sending with the implicit sender and forwarding.</summary>
public static class ActorRefExtensions
{
    /// <summary>
    /// Sends with the implicit sender: the current actor's <c>Self</c> when called inside an actor, else no sender.
    /// </summary>
    public static void Tell(this ICanTell receiver, object message) => receiver.Tell(message, ActorCell.Current?.Self);

    /// <summary>
    /// Sends keeping the original sender of the message being processed; callable only inside an actor.
    /// </summary>
    /// <exception cref="NotSupportedException">Called outside an actor's message handler.</exception>
    public static void Forward(this ICanTell receiver, object message)
    {
        var cell = ActorCell.Current ?? throw new NotSupportedException("Forward can only be called from inside an actor");
        receiver.Tell(message, cell.Sender);
    }

    /// <summary>True when the ref is known to be dead (always false for refs whose state is unknown).</summary>
    public static bool IsNobody(this IActorRef? actorRef) => actorRef is null || actorRef is NobodyActorRef;
}
