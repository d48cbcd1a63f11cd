using ActorNet.Actors.Event;

namespace ActorNet.Actors;

/// <summary>A behaviour: handles a message and returns false when it did not handle it.</summary>
public delegate bool Receive(object message);

/// <summary>
/// What an actor sees of the kernel while it runs (Akka's <c>IActorContext</c>). Every member must be called on
/// the actor's own thread (inside a handler or lifecycle hook), never from a task continuation.
/// </summary>
public interface IActorContext
{
    /// <summary>This actor's ref.</summary>
    IActorRef Self { get; }

    /// <summary>The sender of the message being processed, or dead letters when it had none.</summary>
    IActorRef Sender { get; }

    /// <summary>The parent (supervisor).</summary>
    IActorRef Parent { get; }

    /// <summary>The props this actor was created from.</summary>
    Props Props { get; }

    /// <summary>The system the actor belongs to.</summary>
    ActorSystem System { get; }

    /// <summary>The current live children.</summary>
    IReadOnlyCollection<IActorRef> Children { get; }

    /// <summary>The receive timeout set with <see cref="SetReceiveTimeout"/>, or null.</summary>
    TimeSpan? ReceiveTimeout { get; }

    /// <summary>Creates a child; <paramref name="name"/> null picks a unique <c>$</c>-name.</summary>
    /// <exception cref="InvalidActorNameException">The name is illegal or already taken by a live child.</exception>
    IActorRef ActorOf(Props props, string? name = null);

    /// <summary>The child with that name, or <see cref="ActorRefs.Nobody"/>.</summary>
    IActorRef Child(string name);

    /// <summary>Stops <paramref name="child"/> (or this actor when given <see cref="Self"/>) asynchronously.</summary>
    void Stop(IActorRef child);

    /// <summary>
    /// Watches <paramref name="subject"/>: exactly one <see cref="Terminated"/> will arrive when it stops, also
    /// when it is already dead. Watching twice is the same as once.
    /// </summary>
    IActorRef Watch(IActorRef subject);

    /// <summary>Stops watching; a <see cref="Terminated"/> not yet processed for it is no longer delivered.</summary>
    IActorRef Unwatch(IActorRef subject);

    /// <summary>Replaces the current behaviour with <paramref name="receive"/> (Akka's <c>become</c> with discardOld).</summary>
    void Become(Receive receive);

    /// <summary>Pushes <paramref name="receive"/> on the behaviour stack.</summary>
    void BecomeStacked(Receive receive);

    /// <summary>Pops the behaviour stack; the initial behaviour is never popped.</summary>
    void UnbecomeStacked();

    /// <summary>
    /// Sets (or clears with null) the inactivity timeout after which a <see cref="Actors.ReceiveTimeout"/> message
    /// arrives; messages marked <see cref="INotInfluenceReceiveTimeout"/> do not reset it.
    /// </summary>
    void SetReceiveTimeout(TimeSpan? timeout);

    /// <summary>A logger for this actor; every event carries the actor's path.</summary>
    ILoggingAdapter GetLogger();
}
