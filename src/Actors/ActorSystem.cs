using System.Collections.Concurrent;
using ActorNet.Actors.Dispatch;
using ActorNet.Actors.Event;
using ActorNet.Hocon;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ActorNet.Actors;

/// <summary>
/// A named hierarchy of actors with its dispatchers, scheduler, event stream and dead letters (Akka's
/// <c>ActorSystem</c>). Top-level actors live under <c>/user</c>, kernel actors under <c>/system</c>, both
/// children of the root guardian. Thread-safe. <see cref="Terminate"/> runs <see cref="CoordinatedShutdown"/>
/// and stops every actor, children before parents.
/// </summary>
public sealed class ActorSystem : IAsyncDisposable, IDisposable
{
    private readonly ConcurrentDictionary<string, MessageDispatcher> _dispatchers = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _whenTerminated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _userTerminated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _rootTerminated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly HashedWheelScheduler _scheduler;
    private readonly LocalActorRef _root;
    private readonly LocalActorRef _user;
    private readonly LocalActorRef _systemGuardian;
    private readonly ActorPath _tempPath;
    private int _finalTerminateStarted;
    private int _deadLettersLogged;
    private long _tempCounter;

    private ActorSystem(string name, ActorSystemSettings settings, ILoggerFactory loggerFactory)
    {
        ActorPath.ValidateName(name);
        Name = name;
        Settings = settings;
        LoggerFactory = loggerFactory;
        SystemLogger = loggerFactory.CreateLogger("ActorNet.Actors.ActorSystem");
        Address = new Address("akka", name);
        var rootPath = ActorPath.Root(Address);
        _tempPath = rootPath / "temp";
        EventStream = new EventStream();
        DeadLetters = new DeadLetterActorRef(this, rootPath / "deadLetters");
        _scheduler = new HashedWheelScheduler(settings.SchedulerTick, settings.SchedulerWheelSize, loggerFactory.CreateLogger("ActorNet.Actors.Scheduler"), name);
        CoordinatedShutdown = new CoordinatedShutdown(this, settings.CoordinatedShutdown);

        var rootParent = new RootParentRef(this, rootPath / "bubble-walker");
        _root = CreateLocalActor(
            Props.Create(static () => new GuardianActor()).WithSupervisorStrategy(SupervisorStrategy.StoppingStrategy),
            rootParent,
            rootPath);
        _root.Cell.OnTerminated = () => _rootTerminated.TrySetResult();
        _root.SendSystemMessage(new Create());
        _user = (LocalActorRef)_root.Cell.ActorOf(Props.Create(static () => new GuardianActor()), "user");
        _user.Cell.OnTerminated = OnUserGuardianTerminated;
        _systemGuardian = (LocalActorRef)_root.Cell.ActorOf(Props.Create(static () => new GuardianActor()), "system");
    }

    /// <summary>The system's name (the second element of every path).</summary>
    public string Name { get; }

    /// <summary>The system's address (local).</summary>
    public Address Address { get; }

    /// <summary>The kernel settings.</summary>
    public ActorSystemSettings Settings { get; }

    /// <summary>The logger factory every actor logger comes from (the host wires Serilog into it).</summary>
    public ILoggerFactory LoggerFactory { get; }

    /// <summary>The system-wide publish/subscribe bus.</summary>
    public EventStream EventStream { get; }

    /// <summary>The scheduler.</summary>
    public IScheduler Scheduler => _scheduler;

    /// <summary>Where undeliverable messages go.</summary>
    public IActorRef DeadLetters { get; }

    /// <summary>The phased shutdown of this system.</summary>
    public CoordinatedShutdown CoordinatedShutdown { get; }

    /// <summary>Completes once every actor has stopped and the scheduler has ended.</summary>
    public Task WhenTerminated => _whenTerminated.Task;

    /// <summary>The <c>/user</c> guardian's path.</summary>
    public ActorPath UserGuardianPath => _user.Path;

    internal ILogger SystemLogger { get; }

    internal HashedWheelScheduler InternalScheduler => _scheduler;

    /// <summary>Creates a system from the embedded reference configuration, with no logging.</summary>
    public static ActorSystem Create(string name) => Create(name, ConfigurationFactory.Empty);

    /// <summary>
    /// Creates a system from <paramref name="config"/> layered over the embedded reference configuration (Akka's
    /// <c>ActorSystem.Create(name, config)</c>); logs go to <paramref name="loggerFactory"/> (default: none).
    /// </summary>
    /// <exception cref="HoconException">A key under <c>actornet.actor</c> is missing or invalid.</exception>
    public static ActorSystem Create(string name, Config config, ILoggerFactory? loggerFactory = null) =>
        Create(name, ActorSystemSettings.FromConfig(ActorSystemSettings.WithReference(config)), loggerFactory);

    /// <summary>Creates a system with <paramref name="settings"/>; logs go to <paramref name="loggerFactory"/> (default: none).</summary>
    /// <exception cref="InvalidActorNameException">The name is not a valid path element.</exception>
    public static ActorSystem Create(string name, ActorSystemSettings settings, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (!settings.Dispatchers.ContainsKey(DispatcherSettings.DefaultId) || !settings.Mailboxes.ContainsKey(MailboxSettings.DefaultId))
        {
            throw new ArgumentException("settings must define the default dispatcher and the default mailbox", nameof(settings));
        }

        return new ActorSystem(name, settings, loggerFactory ?? NullLoggerFactory.Instance);
    }

    /// <summary>Creates a top-level actor under <c>/user</c>; any thread.</summary>
    /// <exception cref="InvalidActorNameException">The name is illegal or taken.</exception>
    public IActorRef ActorOf(Props props, string? name = null) => _user.Cell.ActorOf(props, name);

    /// <summary>Creates a kernel actor under <c>/system</c>; any thread.</summary>
    public IActorRef SystemActorOf(Props props, string? name = null) => _systemGuardian.Cell.ActorOf(props, name);

    /// <summary>Stops <paramref name="actor"/> asynchronously (a system message: pending user messages are dropped).</summary>
    public void Stop(IActorRef actor)
    {
        if (actor is ActorRefBase target)
        {
            target.Stop();
        }
    }

    /// <summary>
    /// Terminates the system: runs coordinated shutdown (unless disabled in config) whose last phase stops all
    /// actors, children before parents. Returns <see cref="WhenTerminated"/>.
    /// </summary>
    public Task Terminate()
    {
        if (Settings.CoordinatedShutdown.RunByActorSystemTerminate)
        {
            _ = CoordinatedShutdown.Run(CoordinatedShutdownReason.ActorSystemTerminate);
            return WhenTerminated;
        }

        return FinalTerminate();
    }

    /// <summary>Terminates and waits (up to 10 s).</summary>
    public void Dispose() => Terminate().Wait(TimeSpan.FromSeconds(10));

    /// <summary>Terminates and awaits termination.</summary>
    public async ValueTask DisposeAsync() => await Terminate().ConfigureAwait(false);

    /// <inheritdoc/>
    public override string ToString() => Address.ToString();

    /// <summary>Stops /user (and waits), then the root with /system; completes <see cref="WhenTerminated"/>.</summary>
    internal async Task FinalTerminate()
    {
        if (Interlocked.Exchange(ref _finalTerminateStarted, 1) == 1)
        {
            await WhenTerminated.ConfigureAwait(false);
            return;
        }

        try
        {
            _user.Stop();
            await _userTerminated.Task.ConfigureAwait(false);
            _root.Stop();
            await _rootTerminated.Task.ConfigureAwait(false);
        }
        finally
        {
            _scheduler.Dispose();
            _whenTerminated.TrySetResult();
        }
    }

    /// <summary>Registers a dispatcher instance under <paramref name="id"/> (tests drive mailboxes by hand with it).</summary>
    internal void RegisterDispatcher(string id, MessageDispatcher dispatcher)
    {
        if (!_dispatchers.TryAdd(id, dispatcher))
        {
            throw new ArgumentException($"dispatcher [{id}] is already in use", nameof(id));
        }
    }

    internal bool IsTerminating => Volatile.Read(ref _finalTerminateStarted) == 1;

    internal LocalActorRef CreateLocalActor(Props props, ActorRefBase parent, ActorPath path)
    {
        var dispatcher = LookupDispatcher(props.Dispatcher);
        var mailbox = new Mailbox(dispatcher, LookupMailbox(props.Mailbox));
        var actorRef = new LocalActorRef(this, path);
        actorRef.Cell = new ActorCell(this, actorRef, props, mailbox, parent);
        dispatcher.Attach(mailbox);
        return actorRef;
    }

    /// <summary>
    /// Finds a live local actor by the names of its path below the root (e.g. ["system", "cluster", "core"]);
    /// <see cref="ActorRefs.Nobody"/> when any element does not exist. Called by remoting (any thread) to deliver an
    /// inbound message; walks the children maps under their locks, no allocation besides the enumeration.
    /// </summary>
    internal IActorRef ResolveLocal(IReadOnlyList<string> elements)
    {
        IActorRef current = _root;
        foreach (var name in elements)
        {
            if (current is not LocalActorRef local)
            {
                return ActorRefs.Nobody;
            }

            current = local.Cell.Child(name);
        }

        return current;
    }

    internal ActorPath NewTempPath() => _tempPath / ("$" + Interlocked.Increment(ref _tempCounter).ToString(System.Globalization.CultureInfo.InvariantCulture));

    internal ILoggingAdapter CreateLogger(Type actorType, ActorPath path) =>
        new ActorLoggingAdapter(LoggerFactory.CreateLogger(actorType.FullName ?? actorType.Name), new ActorLogScope(path));

    internal void LogError(ActorPath path, Exception cause, string what)
    {
        using (SystemLogger.BeginScope(new ActorLogScope(path)))
        {
            SystemLogger.LogError(cause, "{What} in {ActorPath}: {Cause}", what, path.ToString(), cause.Message);
        }
    }

    internal void LogFailure(ActorPath child, Exception cause, Directive directive)
    {
        using (SystemLogger.BeginScope(new ActorLogScope(child)))
        {
            var level = directive == Directive.Resume ? LogLevel.Warning : LogLevel.Error;
            SystemLogger.Log(level, cause, "Actor {ActorPath} failed ({Directive}): {Cause}", child.ToString(), directive, cause.Message);
        }
    }

    internal void LogDeadLetter(DeadLetter deadLetter)
    {
        if (deadLetter.Message is IDeadLetterSuppression || Settings.LogDeadLetters <= 0 || (IsTerminating && !Settings.LogDeadLettersDuringShutdown))
        {
            return;
        }

        var count = Interlocked.Increment(ref _deadLettersLogged);
        if (count > Settings.LogDeadLetters)
        {
            return;
        }

        using (SystemLogger.BeginScope(new ActorLogScope(deadLetter.Recipient.Path)))
        {
            SystemLogger.LogInformation(
                "Message [{MessageType}] from {Sender} to {Recipient} was not delivered. [{Count}] dead letters encountered{Suffix}",
                deadLetter.Message.GetType().Name,
                deadLetter.Sender.ToString(),
                deadLetter.Recipient.ToString(),
                count,
                count == Settings.LogDeadLetters ? ", no more dead letters will be logged" : string.Empty);
        }
    }

    private void OnUserGuardianTerminated()
    {
        _userTerminated.TrySetResult();
        if (!IsTerminating)
        {
            // The user guardian stopped on its own (an escalated failure): the system goes down, as in Akka.
            _ = Terminate();
        }
    }

    private MessageDispatcher LookupDispatcher(string id) => _dispatchers.GetOrAdd(id, key =>
    {
        if (!Settings.Dispatchers.TryGetValue(key, out var dispatcherSettings))
        {
            dispatcherSettings = Settings.Config is { } config
                ? ActorSystemSettings.ReadDispatcher(config, key)
                : throw new ArgumentException($"dispatcher [{key}] is not configured; define it in config (e.g. {key} {{ type = pinned }}) or use {DispatcherSettings.DefaultId}");
        }

        return dispatcherSettings.Kind == DispatcherKind.Pinned
            ? new PinnedDispatcher(dispatcherSettings)
            : new ThreadPoolDispatcher(dispatcherSettings);
    });

    private MailboxSettings LookupMailbox(string id) =>
        Settings.Mailboxes.TryGetValue(id, out var mailbox)
            ? mailbox
            : Settings.Config is { } config
                ? ActorSystemSettings.ReadMailbox(config, id)
                : throw new ArgumentException($"mailbox [{id}] is not configured; define it in config or use {MailboxSettings.DefaultId}");
}
