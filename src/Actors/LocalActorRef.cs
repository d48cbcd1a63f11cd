using ActorNet.Actors.Dispatch;

namespace ActorNet.Actors;

/// <summary>
/// The ref of an actor in this process: Tell enqueues into its mailbox (no allocation beyond the message in the
/// steady state); a message to a terminated actor or a full bounded mailbox becomes a <see cref="DeadLetter"/>.
/// </summary>
internal sealed class LocalActorRef : ActorRefBase
{
    private readonly ActorSystem _system;
    private readonly int _uid;

    public LocalActorRef(ActorSystem system, ActorPath path)
    {
        _system = system;
        Path = path;
        _uid = Random.Shared.Next(1, int.MaxValue);
    }

    public override ActorPath Path { get; }

    /// <summary>The cell; set once right after construction, before the ref is published.</summary>
    public ActorCell Cell { get; set; } = null!;

    internal override int Uid => _uid;

    internal override bool IsTerminated => Cell.Mailbox.IsClosed;

    internal override ActorSystem? System => _system;

    public override void Tell(object message, IActorRef? sender)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!Cell.Mailbox.Enqueue(new Envelope(message, sender)))
        {
            _system.DeadLetters.Tell(new DeadLetter(message, sender ?? ActorRefs.Nobody, this), sender);
        }
    }

    internal override void SendSystemMessage(SystemMessage message)
    {
        if (!Cell.Mailbox.SystemEnqueue(message))
        {
            ActorCell.HandleDeadSystemMessage(this, message);
        }
    }
}

/// <summary>
/// The system's dead-letter ref: publishes every undeliverable message as <see cref="DeadLetter"/> on the event
/// stream and logs the first <c>log-dead-letters</c> of them. A Watch sent to it is answered with Terminated.
/// </summary>
internal sealed class DeadLetterActorRef(ActorSystem system, ActorPath path) : MinimalActorRef
{
    public override ActorPath Path { get; } = path;

    internal override ActorSystem? System => system;

    public override void Tell(object message, IActorRef? sender)
    {
        ArgumentNullException.ThrowIfNull(message);
        var deadLetter = message as DeadLetter ?? new DeadLetter(message, sender ?? ActorRefs.Nobody, this);
        system.EventStream.Publish(deadLetter);
        system.LogDeadLetter(deadLetter);
    }
}

/// <summary>The parent of the root guardian (Akka's "the one who walks the bubbles of space-time").</summary>
internal sealed class RootParentRef(ActorSystem system, ActorPath path) : MinimalActorRef
{
    public override ActorPath Path { get; } = path;

    internal override ActorSystem? System => system;

    public override void Tell(object message, IActorRef? sender)
    {
        // Nothing is ever addressed to it.
    }

    internal override void SendSystemMessage(SystemMessage message)
    {
        if (message is Failed failed)
        {
            system.LogError(failed.Child.Path, failed.Cause, "Root guardian failed; stopping it");
            failed.Child.Stop();
        }
    }
}

/// <summary>The actor behind the guardians: handles nothing itself; its children are the actors below it.</summary>
internal sealed class GuardianActor : ActorBase
{
    protected internal override bool Receive(object message) => false;
}
