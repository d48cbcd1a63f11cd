using ActorNet.Actors.Event;

namespace ActorNet.Actors;

/// <summary>
/// Base of every actor (Akka's <c>ActorBase</c>). Instances are created only by the kernel, from
/// <see cref="Props"/>, on the actor's own thread; all methods run on that thread, one message at a time.
/// </summary>
public abstract class ActorBase
{
    private readonly ActorCell _cell;

    /// <summary>Binds the instance to the cell that is creating it.</summary>
    /// <exception cref="ActorNotCreatedByKernelException">Constructed with <c>new</c> instead of through <c>ActorOf</c>.</exception>
    protected ActorBase()
    {
        _cell = ActorCell.Current ?? throw new ActorNotCreatedByKernelException(
            $"{GetType().Name} must be created with ActorOf(Props), not with 'new'");
    }

    /// <summary>The actor's context (its view of the kernel).</summary>
    protected IActorContext Context => _cell;

    /// <summary>This actor's ref.</summary>
    protected IActorRef Self => _cell.Self;

    /// <summary>The sender of the message being processed.</summary>
    protected IActorRef Sender => _cell.Sender;

    internal ActorCell Cell => _cell;

    /// <summary>The initial behaviour: handle <paramref name="message"/> and return false when not handled.</summary>
    protected internal abstract bool Receive(object message);

    /// <summary>Called once after the instance is created (and, by default, after a restart).</summary>
    protected virtual void PreStart()
    {
    }

    /// <summary>Called once after the actor stopped (all children have stopped before).</summary>
    protected virtual void PostStop()
    {
    }

    /// <summary>
    /// Called on the failed instance before it is replaced. Akka's default: stop all children and call
    /// <see cref="PostStop"/>. <paramref name="message"/> is the message being processed when it failed, if any.
    /// </summary>
    protected virtual void PreRestart(Exception reason, object? message)
    {
        foreach (var child in Context.Children)
        {
            Context.Unwatch(child);
            Context.Stop(child);
        }

        PostStop();
    }

    /// <summary>Called on the fresh instance after a restart. Akka's default: call <see cref="PreStart"/>.</summary>
    protected virtual void PostRestart(Exception reason) => PreStart();

    /// <summary>
    /// Called for a message no behaviour handled: an unhandled <see cref="Terminated"/> raises
    /// <see cref="DeathPactException"/>; anything else is published as <see cref="UnhandledMessage"/>.
    /// </summary>
    protected virtual void Unhandled(object message)
    {
        if (message is Terminated terminated)
        {
            throw new DeathPactException(terminated.ActorRef);
        }

        _cell.PublishUnhandled(message);
    }

    /// <summary>The strategy for this actor's children; Akka's default unless overridden or set on the props.</summary>
    protected internal virtual SupervisorStrategy SupervisorStrategy() => Actors.SupervisorStrategy.DefaultStrategy;

    internal void InvokeUnhandled(object message) => Unhandled(message);

    internal void InvokePreStart() => PreStart();

    internal void InvokePostStop() => PostStop();

    internal void InvokePreRestart(Exception reason, object? message) => PreRestart(reason, message);

    internal void InvokePostRestart(Exception reason) => PostRestart(reason);
}

/// <summary>
/// An actor with a single <see cref="OnReceive"/> method (Akka's <c>UntypedActor</c>); call
/// <see cref="ActorBase.Unhandled"/> for messages it does not understand.
/// </summary>
public abstract class UntypedActor : ActorBase
{
    /// <summary>Handles one message.</summary>
    protected abstract void OnReceive(object message);

    /// <inheritdoc/>
    protected internal sealed override bool Receive(object message)
    {
        OnReceive(message);
        return true;
    }

    /// <summary>Replaces the behaviour with <paramref name="receive"/>.</summary>
    protected void Become(Action<object> receive) => Context.Become(m =>
    {
        receive(m);
        return true;
    });

    /// <summary>Pushes <paramref name="receive"/> on the behaviour stack.</summary>
    protected void BecomeStacked(Action<object> receive) => Context.BecomeStacked(m =>
    {
        receive(m);
        return true;
    });

    /// <summary>Pops the behaviour stack (Akka's <c>unbecome</c>).</summary>
    protected void UnbecomeStacked() => Context.UnbecomeStacked();
}

/// <summary>
/// An actor whose behaviour is a list of typed handlers declared in its constructor with
/// <see cref="Receive{T}(Action{T}, Predicate{T})"/> (Akka.NET's <c>ReceiveActor</c>). Handlers are tried in
/// declaration order; the first whose type (and predicate) matches handles the message.
/// </summary>
public abstract class ReceiveActor : ActorBase
{
    private List<Func<object, bool>> _building = [];
    private Func<object, bool>[] _initial = [];
    private bool _initialSealed;

    /// <inheritdoc/>
    protected internal sealed override bool Receive(object message)
    {
        if (!_initialSealed)
        {
            _initial = [.. _building];
            _initialSealed = true;
        }

        return Match(_initial, message);
    }

    /// <summary>Handles messages of type <typeparamref name="T"/> (matching <paramref name="shouldHandle"/>, if given).</summary>
    protected void Receive<T>(Action<T> handler, Predicate<T>? shouldHandle = null) =>
        _building.Add(m =>
        {
            if (m is T t && (shouldHandle is null || shouldHandle(t)))
            {
                handler(t);
                return true;
            }

            return false;
        });

    /// <summary>Handles <typeparamref name="T"/> when <paramref name="handler"/> returns true; false tries the next handler.</summary>
    protected void Receive<T>(Func<T, bool> handler) => _building.Add(m => m is T t && handler(t));

    /// <summary>Handles every message that reached it.</summary>
    protected void ReceiveAny(Action<object> handler) => _building.Add(m =>
    {
        handler(m);
        return true;
    });

    /// <summary>Replaces the behaviour with the handlers declared by <paramref name="configure"/>.</summary>
    protected void Become(Action configure) => Context.Become(Build(configure));

    /// <summary>Pushes the handlers declared by <paramref name="configure"/> on the behaviour stack.</summary>
    protected void BecomeStacked(Action configure) => Context.BecomeStacked(Build(configure));

    /// <summary>Pops the behaviour stack.</summary>
    protected void UnbecomeStacked() => Context.UnbecomeStacked();

    private Receive Build(Action configure)
    {
        if (!_initialSealed)
        {
            _initial = [.. _building];
            _initialSealed = true;
        }

        var saved = _building;
        _building = [];
        try
        {
            configure();
            var handlers = _building.ToArray();
            return m => Match(handlers, m);
        }
        finally
        {
            _building = saved;
        }
    }

    private static bool Match(Func<object, bool>[] handlers, object message)
    {
        foreach (var handler in handlers)
        {
            if (handler(message))
            {
                return true;
            }
        }

        return false;
    }
}
