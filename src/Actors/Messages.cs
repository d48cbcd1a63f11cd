namespace ActorNet.Actors;

/// <summary>Marker for messages the kernel handles itself before the actor's behaviour sees them.</summary>
public interface IAutoReceivedMessage
{
}

/// <summary>Marker: receiving this message does not restart the <c>ReceiveTimeout</c> clock (Akka's).</summary>
public interface INotInfluenceReceiveTimeout
{
}

/// <summary>Marker for messages that must not be logged as dead letters (e.g. replies nobody waits for).</summary>
public interface IDeadLetterSuppression
{
}

/// <summary>
/// Stops the receiving actor after it has processed the messages enqueued before this one
/// (an ordinary message, unlike <see cref="IActorRef"/>-level <c>Stop</c>, which is a system message).
/// </summary>
public sealed class PoisonPill : IAutoReceivedMessage
{
    private PoisonPill()
    {
    }

    /// <summary>The single instance.</summary>
    public static PoisonPill Instance { get; } = new();
}

/// <summary>Makes the receiving actor fail with <see cref="ActorKilledException"/> (its supervisor decides).</summary>
public sealed class Kill : IAutoReceivedMessage
{
    private Kill()
    {
    }

    /// <summary>The single instance.</summary>
    public static Kill Instance { get; } = new();
}

/// <summary>
/// Delivered once to an actor that watched <paramref name="ActorRef"/> when that actor stopped (or was
/// already dead when watched). Delivered through the ordinary mailbox, so it arrives after messages the
/// dead actor sent before it stopped.
/// </summary>
/// <param name="ActorRef">The actor that terminated.</param>
/// <param name="ExistenceConfirmed">False when the actor was never known (e.g. watched after it was gone).</param>
/// <param name="AddressTerminated">True when the termination was inferred from its node becoming unreachable (remote only).</param>
public sealed record Terminated(IActorRef ActorRef, bool ExistenceConfirmed, bool AddressTerminated) : IAutoReceivedMessage, IDeadLetterSuppression;

/// <summary>Sent to an actor that set a receive timeout and got no other message for that long.</summary>
public sealed class ReceiveTimeout : IAutoReceivedMessage, INotInfluenceReceiveTimeout
{
    private ReceiveTimeout()
    {
    }

    /// <summary>The single instance.</summary>
    public static ReceiveTimeout Instance { get; } = new();
}

/// <summary>Asks any actor for its ref; it answers <see cref="ActorIdentity"/> with the same id.</summary>
/// <param name="MessageId">Correlation id echoed in the answer.</param>
public sealed record Identify(object? MessageId) : IAutoReceivedMessage;

/// <summary>Answer to <see cref="Identify"/>: the subject's ref, or null when it did not exist.</summary>
/// <param name="MessageId">The id from the request.</param>
/// <param name="Subject">The identified actor.</param>
public sealed record ActorIdentity(object? MessageId, IActorRef? Subject);

/// <summary>Status replies, as in Akka: <see cref="Success"/> and <see cref="Failure"/>.</summary>
public static class Status
{
    /// <summary>A successful reply carrying an optional value.</summary>
    /// <param name="Value">The value.</param>
    public sealed record Success(object? Value);

    /// <summary>A failed reply; an <c>Ask</c> that receives it fails its task with <paramref name="Cause"/>.</summary>
    /// <param name="Cause">Why the request failed.</param>
    public sealed record Failure(Exception Cause);
}

/// <summary>A message that could not be delivered, published on the event stream by the dead-letters ref.</summary>
/// <param name="Message">The undelivered message.</param>
/// <param name="Sender">Its sender (may be <see cref="ActorRefs.Nobody"/>).</param>
/// <param name="Recipient">The intended recipient.</param>
public sealed record DeadLetter(object Message, IActorRef Sender, IActorRef Recipient);

/// <summary>A message an actor did not handle, published on the event stream (Akka's <c>UnhandledMessage</c>).</summary>
/// <param name="Message">The unhandled message.</param>
/// <param name="Sender">Its sender.</param>
/// <param name="Recipient">The actor that did not handle it.</param>
public sealed record UnhandledMessage(object Message, IActorRef Sender, IActorRef Recipient);

/// <summary>The value of a completed phase task in <see cref="CoordinatedShutdown"/>.</summary>
public sealed class Done
{
    private Done()
    {
    }

    /// <summary>The single instance.</summary>
    public static Done Instance { get; } = new();
}
