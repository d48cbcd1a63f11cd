using ActorNet.Actors.Dispatch;

namespace ActorNet.Actors;

/// <summary>
/// The immutable recipe for creating an actor (Akka's <c>Props</c>): how to construct it, on which dispatcher
/// it runs, which mailbox it uses and, optionally, the supervisor strategy for its children. The factory is
/// called on the actor's own thread at creation and again at every restart, so it must return a new instance
/// each time.
/// </summary>
public sealed class Props
{
    private readonly Func<ActorBase> _factory;

    private Props(Type actorType, Func<ActorBase> factory, string dispatcher, string mailbox, SupervisorStrategy? strategy)
    {
        ActorType = actorType;
        _factory = factory;
        Dispatcher = dispatcher;
        Mailbox = mailbox;
        SupervisorStrategy = strategy;
    }

    /// <summary>The actor's class.</summary>
    public Type ActorType { get; }

    /// <summary>Dispatcher id (a config path), <see cref="DispatcherSettings.DefaultId"/> unless changed.</summary>
    public string Dispatcher { get; }

    /// <summary>Mailbox id (a config path), <see cref="MailboxSettings.DefaultId"/> unless changed.</summary>
    public string Mailbox { get; }

    /// <summary>Strategy for the actor's children overriding the actor's own <c>SupervisorStrategy()</c>, or null.</summary>
    public SupervisorStrategy? SupervisorStrategy { get; }

    /// <summary>Props for an actor with a public parameterless constructor.</summary>
    public static Props Create<TActor>() where TActor : ActorBase, new() =>
        new(typeof(TActor), static () => new TActor(), DispatcherSettings.DefaultId, MailboxSettings.DefaultId, null);

    /// <summary>
    /// Props from a factory, e.g. <c>Props.Create(() =&gt; new Worker(settings))</c>. Unlike Akka.NET this is a
    /// delegate, not an expression tree: props are never shipped to another node.
    /// </summary>
    public static Props Create<TActor>(Func<TActor> factory) where TActor : ActorBase =>
        new(typeof(TActor), factory, DispatcherSettings.DefaultId, MailboxSettings.DefaultId, null);

    /// <summary>A copy that runs on the dispatcher with config id <paramref name="dispatcherId"/>.</summary>
    public Props WithDispatcher(string dispatcherId) => new(ActorType, _factory, dispatcherId, Mailbox, SupervisorStrategy);

    /// <summary>A copy that uses the mailbox with config id <paramref name="mailboxId"/>.</summary>
    public Props WithMailbox(string mailboxId) => new(ActorType, _factory, Dispatcher, mailboxId, SupervisorStrategy);

    /// <summary>A copy whose children are supervised by <paramref name="strategy"/>.</summary>
    public Props WithSupervisorStrategy(SupervisorStrategy strategy) => new(ActorType, _factory, Dispatcher, Mailbox, strategy);

    /// <summary>Creates a new instance; called by the kernel on the actor's thread.</summary>
    internal ActorBase NewActor() => _factory() ?? throw new InvalidOperationException($"Props factory for {ActorType} returned null");

    /// <inheritdoc/>
    public override string ToString() => $"Props({ActorType.Name}, dispatcher={Dispatcher}, mailbox={Mailbox})";
}
