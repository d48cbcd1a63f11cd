using ActorNet.Actors.Dispatch;
using ActorNet.Actors.Event;
using Microsoft.Extensions.Logging;

namespace ActorNet.Actors;

/// <summary>
/// The kernel's per-actor state machine (Akka's <c>ActorCell</c>): owns the actor instance, its behaviour stack,
/// children, watch sets, failure and termination state.
/// </summary>
/// <remarks>
/// Threading: everything except <see cref="ActorOf"/>, <see cref="Children"/> and <see cref="Child"/> runs on
/// the thread currently running the mailbox, one message at a time. Children are guarded by <c>_childrenLock</c>
/// because guardians create top-level actors from arbitrary threads.
/// </remarks>
internal sealed class ActorCell : IActorContext
{
    [ThreadStatic]
    private static ActorCell? s_current;

    private readonly ActorSystem _system;
    private readonly Lock _childrenLock = new();
    private readonly Dictionary<string, ChildRestartStats> _children = new(StringComparer.Ordinal); // guarded by _childrenLock
    private readonly HashSet<ActorRefBase> _stoppingChildren = []; // actor thread only
    private readonly HashSet<ActorRefBase> _watching = []; // actor thread only
    private readonly HashSet<ActorRefBase> _watchedBy = []; // actor thread only
    private readonly HashSet<ActorRefBase> _terminatedQueued = []; // actor thread only
    private readonly List<Receive> _behaviours = []; // actor thread only

    private ActorBase? _actor;
    private Envelope? _current;
    private object? _failedMessage;
    private bool _isFailed;
    private volatile bool _terminating;
    private Exception? _pendingRecreate;
    private TimeSpan? _receiveTimeout;
    private ICancelable? _receiveTimeoutTimer;
    private ILoggingAdapter? _log;
    private long _childNameCounter;

    public ActorCell(ActorSystem system, LocalActorRef self, Props props, Mailbox mailbox, ActorRefBase parent)
    {
        _system = system;
        Self = self;
        Props = props;
        Mailbox = mailbox;
        ParentRef = parent;
        mailbox.Cell = this;
    }

    /// <summary>The cell running on the current thread, or null outside an actor.</summary>
    internal static ActorCell? Current => s_current;

    public LocalActorRef Self { get; }

    IActorRef IActorContext.Self => Self;

    public ActorRefBase ParentRef { get; }

    public IActorRef Parent => ParentRef;

    public Props Props { get; }

    public Mailbox Mailbox { get; }

    public ActorSystem System => _system;

    public ActorBase? Actor => _actor;

    public Envelope? CurrentEnvelope => _current;

    public IActorRef Sender => _current?.Sender ?? _system.DeadLetters;

    public TimeSpan? ReceiveTimeout => _receiveTimeout;

    /// <summary>Invoked once, on the actor's thread, after the actor fully terminated (used by guardians).</summary>
    public Action? OnTerminated { get; set; }

    public bool IsTerminating => _terminating;

    public IReadOnlyCollection<IActorRef> Children
    {
        get
        {
            lock (_childrenLock)
            {
                return _children.Values.Select(c => (IActorRef)c.Child).ToArray();
            }
        }
    }

    public IActorRef Child(string name)
    {
        lock (_childrenLock)
        {
            return _children.TryGetValue(name, out var stats) ? stats.Child : ActorRefs.Nobody;
        }
    }

    public IActorRef ActorOf(Props props, string? name = null)
    {
        lock (_childrenLock)
        {
            if (_terminating)
            {
                throw new InvalidOperationException($"cannot create child of [{Self.Path}]: it is terminating");
            }

            name ??= "$" + EncodeCounter(++_childNameCounter);
            ActorPath.ValidateName(name);
            if (_children.ContainsKey(name))
            {
                throw new InvalidActorNameException($"actor name [{name}] is not unique under [{Self.Path}]");
            }

            var child = _system.CreateLocalActor(props, Self, Self.Path / name);
            _children.Add(name, new ChildRestartStats(child));
            child.SendSystemMessage(new Create());
            return child;
        }
    }

    public void Stop(IActorRef child)
    {
        if (child is not ActorRefBase target)
        {
            return;
        }

        if (target.Equals(Self))
        {
            Self.Stop();
        }
        else
        {
            StopChild(target);
        }
    }

    /// <summary>Stops a child and remembers it as stopping (a restart waits for stopping children). Actor thread.</summary>
    internal void StopChild(ActorRefBase child)
    {
        bool isChild;
        lock (_childrenLock)
        {
            isChild = _children.TryGetValue(child.Path.Name, out var stats) && stats.Child.Equals(child);
        }

        if (isChild)
        {
            _stoppingChildren.Add(child);
        }

        child.Stop();
    }

    public IActorRef Watch(IActorRef subject)
    {
        if (subject is ActorRefBase target && !target.Equals(Self) && _watching.Add(target))
        {
            target.SendSystemMessage(new Watch(target, Self));
        }

        return subject;
    }

    public IActorRef Unwatch(IActorRef subject)
    {
        if (subject is ActorRefBase target && !target.Equals(Self))
        {
            if (_watching.Remove(target))
            {
                target.SendSystemMessage(new Unwatch(target, Self));
            }

            _terminatedQueued.Remove(target);
        }

        return subject;
    }

    public void Become(Receive receive)
    {
        if (_behaviours.Count > 1)
        {
            _behaviours[^1] = receive;
        }
        else
        {
            _behaviours.Add(receive);
        }
    }

    public void BecomeStacked(Receive receive) => _behaviours.Add(receive);

    public void UnbecomeStacked()
    {
        if (_behaviours.Count > 1)
        {
            _behaviours.RemoveAt(_behaviours.Count - 1);
        }
    }

    public void SetReceiveTimeout(TimeSpan? timeout)
    {
        _receiveTimeout = timeout is { } t && t > TimeSpan.Zero ? t : null;
        RescheduleReceiveTimeout();
    }

    public ILoggingAdapter GetLogger() => _log ??= _system.CreateLogger(_actor?.GetType() ?? Props.ActorType, Self.Path);

    // ---------------------------------------------------------------- user messages

    /// <summary>Processes one user message on the mailbox thread.</summary>
    public void Invoke(Envelope envelope)
    {
        var previous = s_current;
        s_current = this;
        _current = envelope;
        var message = envelope.Message;
        try
        {
            if (message is IAutoReceivedMessage)
            {
                AutoReceive(message);
            }
            else
            {
                ReceiveMessage(message);
            }
        }
        catch (Exception e)
        {
            _failedMessage = message;
            HandleInvokeFailure(e);
        }
        finally
        {
            _current = null;
            s_current = previous;
            if (_receiveTimeout is not null && (message is ReceiveTimeout || message is not INotInfluenceReceiveTimeout))
            {
                RescheduleReceiveTimeout();
            }
        }
    }

    private void ReceiveMessage(object message)
    {
        var actor = _actor;
        if (actor is null)
        {
            return;
        }

        if (!_behaviours[^1](message))
        {
            actor.InvokeUnhandled(message);
        }
    }

    private void AutoReceive(object message)
    {
        switch (message)
        {
            case Terminated terminated:
                if (_terminatedQueued.Remove((ActorRefBase)terminated.ActorRef))
                {
                    ReceiveMessage(terminated);
                }

                break;
            case PoisonPill:
                Self.Stop();
                break;
            case Kill:
                throw new ActorKilledException("Kill");
            case Identify identify:
                Sender.Tell(new ActorIdentity(identify.MessageId, Self), Self);
                break;
            default:
                ReceiveMessage(message);
                break;
        }
    }

    internal void PublishUnhandled(object message)
    {
        _system.EventStream.Publish(new UnhandledMessage(message, Sender, Self));
        if (_system.Settings.DebugUnhandled)
        {
            GetLogger().Debug("Unhandled message {MessageType} from {Sender}", message.GetType().Name, Sender);
        }
    }

    private void RescheduleReceiveTimeout()
    {
        _receiveTimeoutTimer?.Cancel();
        _receiveTimeoutTimer = _receiveTimeout is { } t && !_terminating
            ? _system.Scheduler.ScheduleTellOnce(t, Self, Actors.ReceiveTimeout.Instance, null)
            : null;
    }

    // ---------------------------------------------------------------- system messages

    /// <summary>Processes one system message on the mailbox thread.</summary>
    public void SystemInvoke(SystemMessage message)
    {
        var previous = s_current;
        s_current = this;
        try
        {
            switch (message)
            {
                case Create:
                    CreateActor();
                    break;
                case Recreate recreate:
                    FaultRecreate(recreate.Cause);
                    break;
                case Suspend:
                    Mailbox.Suspend();
                    SendToChildren(static () => new Suspend());
                    break;
                case Resume resume:
                    FaultResume(resume.CausedByFailure);
                    break;
                case Terminate:
                    HandleTerminate();
                    break;
                case Watch watch:
                    if (watch.Watchee.Equals(Self) && !watch.Watcher.Equals(Self))
                    {
                        _watchedBy.Add(watch.Watcher);
                    }

                    break;
                case Unwatch unwatch:
                    if (unwatch.Watchee.Equals(Self))
                    {
                        _watchedBy.Remove(unwatch.Watcher);
                    }

                    break;
                case Failed failed:
                    HandleFailed(failed);
                    break;
                case DeathWatchNotification dwn:
                    WatchedActorTerminated(dwn);
                    break;
            }
        }
        catch (Exception e)
        {
            HandleInvokeFailure(e);
        }
        finally
        {
            s_current = previous;
        }
    }

    /// <summary>A system message reached this actor after it terminated (its mailbox is closed).</summary>
    public void HandleDeadSystemMessage(SystemMessage message) => HandleDeadSystemMessage(Self, message);

    /// <summary>Akka's dead-letter handling of system messages: a late Watch is answered with termination.</summary>
    internal static void HandleDeadSystemMessage(ActorRefBase deadActor, SystemMessage message)
    {
        if (message is Watch watch && watch.Watchee.Equals(deadActor) && !watch.Watcher.Equals(deadActor))
        {
            watch.Watcher.SendSystemMessage(new DeathWatchNotification(deadActor, ExistenceConfirmed: false, AddressTerminated: false));
        }
    }

    private void CreateActor()
    {
        try
        {
            NewActorInstance();
            _actor!.InvokePreStart();
            if (_system.Settings.DebugLifecycle)
            {
                GetLogger().Debug("Started ({Actor})", _actor.GetType().Name);
            }
        }
        catch (Exception e)
        {
            _actor = null;
            HandleInvokeFailure(new ActorInitializationException(Self, $"exception during creation of [{Self.Path}]", e));
        }
    }

    private void NewActorInstance()
    {
        _behaviours.Clear();
        var actor = Props.NewActor();
        _actor = actor;
        _behaviours.Add(actor.Receive);
        if (actor is IWithStash withStash)
        {
            withStash.Stash = new UnboundedStash(this);
        }
    }

    private void HandleInvokeFailure(Exception cause)
    {
        if (_terminating)
        {
            _system.LogError(Self.Path, cause, "Failure while terminating");
            return;
        }

        if (_isFailed)
        {
            return;
        }

        _isFailed = true;
        Mailbox.Suspend();
        SendToChildren(static () => new Suspend());
        ParentRef.SendSystemMessage(new Failed(Self, cause, Self.Uid));
    }

    private void FaultResume(Exception? causedByFailure)
    {
        if (_actor is null)
        {
            // The actor failed during creation: a resume means "try creating it again" (Akka's faultCreate).
            _isFailed = false;
            Mailbox.Resume();
            CreateActor();
            return;
        }

        if (causedByFailure is not null)
        {
            _isFailed = false;
        }

        Mailbox.Resume();
        SendToChildren(static () => new Resume(null));
    }

    private void FaultRecreate(Exception cause)
    {
        if (_terminating)
        {
            return;
        }

        var failed = _actor;
        if (failed is not null)
        {
            try
            {
                (failed as IWithStash)?.Stash.UnstashAll();
                failed.InvokePreRestart(cause, _failedMessage);
            }
            catch (Exception e)
            {
                _system.LogError(Self.Path, e, "PreRestart failed");
            }
        }

        _failedMessage = null;
        _actor = null;
        _behaviours.Clear();
        if (_stoppingChildren.Count > 0)
        {
            _pendingRecreate = cause;
        }
        else
        {
            FinishRecreate(cause);
        }
    }

    private void FinishRecreate(Exception cause)
    {
        _pendingRecreate = null;
        ChildRestartStats[] survivors;
        lock (_childrenLock)
        {
            survivors = [.. _children.Values];
        }

        try
        {
            NewActorInstance();
            _isFailed = false;
            Mailbox.Resume();
            _actor!.InvokePostRestart(cause);
            if (_system.Settings.DebugLifecycle)
            {
                GetLogger().Debug("Restarted ({Actor})", _actor.GetType().Name);
            }

            foreach (var survivor in survivors)
            {
                survivor.Child.SendSystemMessage(new Recreate(cause));
            }
        }
        catch (Exception e)
        {
            _actor = null;
            HandleInvokeFailure(new ActorInitializationException(Self, $"exception post restart of [{Self.Path}]", e));
        }
    }

    private void HandleTerminate()
    {
        if (_terminating)
        {
            return;
        }

        ChildRestartStats[] children;
        lock (_childrenLock)
        {
            _terminating = true;
            children = [.. _children.Values];
        }

        _receiveTimeout = null;
        _receiveTimeoutTimer?.Cancel();
        foreach (var watched in _watching)
        {
            watched.SendSystemMessage(new Unwatch(watched, Self));
        }

        _watching.Clear();
        _terminatedQueued.Clear();
        foreach (var child in children)
        {
            _stoppingChildren.Add(child.Child);
            child.Child.Stop();
        }

        if (children.Length > 0)
        {
            Mailbox.Suspend();
        }
        else
        {
            FinishTerminate();
        }
    }

    private void FinishTerminate()
    {
        var actor = _actor;
        try
        {
            if (actor is not null)
            {
                (actor as IWithStash)?.Stash.UnstashAll();
                actor.InvokePostStop();
            }
        }
        catch (Exception e)
        {
            _system.LogError(Self.Path, e, "PostStop failed");
        }
        finally
        {
            try
            {
                Mailbox.Close(HandleDeadSystemMessage, DeadUserMessage);
                Mailbox.Dispatcher.Detach(Mailbox);
            }
            finally
            {
                ParentRef.SendSystemMessage(new DeathWatchNotification(Self, ExistenceConfirmed: true, AddressTerminated: false));
                foreach (var watcher in _watchedBy)
                {
                    if (!watcher.Equals(ParentRef))
                    {
                        watcher.SendSystemMessage(new DeathWatchNotification(Self, ExistenceConfirmed: true, AddressTerminated: false));
                    }
                }

                _watchedBy.Clear();
                _system.EventStream.Unsubscribe(Self);
                if (_system.Settings.DebugLifecycle && actor is not null)
                {
                    GetLogger().Debug("Stopped ({Actor})", actor.GetType().Name);
                }

                _actor = null;
                _behaviours.Clear();
                OnTerminated?.Invoke();
            }
        }
    }

    /// <summary>Routes a user message left in a closed mailbox to dead letters (any thread).</summary>
    internal void DeadUserMessage(Envelope envelope)
    {
        if (envelope.Message is not PoisonPill)
        {
            _system.DeadLetters.Tell(new DeadLetter(envelope.Message, envelope.Sender ?? ActorRefs.Nobody, Self), envelope.Sender);
        }
    }

    private void HandleFailed(Failed failed)
    {
        ChildRestartStats? stats;
        ChildRestartStats[] all;
        lock (_childrenLock)
        {
            if (!_children.TryGetValue(failed.Child.Path.Name, out stats) || !stats.Child.Equals(failed.Child))
            {
                return; // stale: the child is gone or was replaced
            }

            all = [.. _children.Values];
        }

        if (_stoppingChildren.Contains(failed.Child))
        {
            return;
        }

        var strategy = Props.SupervisorStrategy ?? _actor?.SupervisorStrategy() ?? SupervisorStrategy.DefaultStrategy;
        Directive directive;
        try
        {
            directive = strategy.Decider(failed.Cause);
        }
        catch (Exception e)
        {
            _system.LogError(Self.Path, e, "Supervisor decider failed; escalating");
            directive = Directive.Escalate;
        }

        if (strategy.LoggingEnabled && directive != Directive.Escalate)
        {
            _system.LogFailure(failed.Child.Path, failed.Cause, directive);
        }

        switch (directive)
        {
            case Directive.Resume:
                failed.Child.SendSystemMessage(new Resume(failed.Cause));
                break;
            case Directive.Restart:
                strategy.ProcessFailure(this, restart: true, stats, failed.Cause, all);
                break;
            case Directive.Stop:
                strategy.ProcessFailure(this, restart: false, stats, failed.Cause, all);
                break;
            default:
                HandleInvokeFailure(failed.Cause);
                break;
        }
    }

    private void WatchedActorTerminated(DeathWatchNotification dwn)
    {
        var actor = dwn.Actor;
        if (_watching.Remove(actor) && !_terminating)
        {
            _terminatedQueued.Add(actor);
            Self.Tell(new Terminated(actor, dwn.ExistenceConfirmed, dwn.AddressTerminated), actor);
        }

        bool wasChild;
        int remaining;
        lock (_childrenLock)
        {
            wasChild = _children.TryGetValue(actor.Path.Name, out var stats) && stats.Child.Equals(actor);
            if (wasChild)
            {
                _children.Remove(actor.Path.Name);
            }

            remaining = _children.Count;
        }

        if (!wasChild)
        {
            return;
        }

        _stoppingChildren.Remove(actor);
        if (_terminating)
        {
            if (remaining == 0)
            {
                FinishTerminate();
            }
        }
        else if (_pendingRecreate is { } cause && _stoppingChildren.Count == 0)
        {
            FinishRecreate(cause);
        }
    }

    private void SendToChildren(Func<SystemMessage> create)
    {
        ChildRestartStats[] children;
        lock (_childrenLock)
        {
            if (_children.Count == 0)
            {
                return;
            }

            children = [.. _children.Values];
        }

        foreach (var child in children)
        {
            if (!_stoppingChildren.Contains(child.Child))
            {
                child.Child.SendSystemMessage(create());
            }
        }
    }

    private static string EncodeCounter(long value)
    {
        const string Alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+~";
        Span<char> buffer = stackalloc char[12];
        var i = buffer.Length;
        do
        {
            buffer[--i] = Alphabet[(int)(value & 63)];
            value >>= 6;
        }
        while (value != 0);
        return new string(buffer[i..]);
    }
}
