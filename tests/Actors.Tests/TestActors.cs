using System.Collections.Concurrent;

namespace ActorNet.Actors.Tests;

/// <summary>Small actors shared by the behaviour suites.</summary>
internal sealed class EchoActor : ReceiveActor
{
    public EchoActor() => ReceiveAny(m => Sender.Tell(m, Self));
}

/// <summary>Reports its lifecycle hooks to a probe; "fail" throws, "state" replies with its counter.</summary>
internal sealed class LifecycleActor : UntypedActor
{
    private readonly IActorRef _probe;
    private readonly string _id = Guid.NewGuid().ToString("N")[..6];
    private int _counter;

    public LifecycleActor(IActorRef probe)
    {
        _probe = probe;
        _probe.Tell("ctor", ActorRefs.NoSender);
    }

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case "fail":
                throw new InvalidOperationException("boom");
            case "fail-arg":
                throw new ArgumentException("bad");
            case "state":
                Sender.Tell(_counter, Self);
                break;
            case "id":
                Sender.Tell(_id, Self);
                break;
            default:
                _counter++;
                Sender.Tell(message, Self);
                break;
        }
    }

    protected override void PreStart() => _probe.Tell("preStart", ActorRefs.NoSender);

    protected override void PostStop() => _probe.Tell("postStop", ActorRefs.NoSender);

    protected override void PreRestart(Exception reason, object? message)
    {
        _probe.Tell($"preRestart:{message}", ActorRefs.NoSender);
        base.PreRestart(reason, message);
    }

    protected override void PostRestart(Exception reason)
    {
        _probe.Tell("postRestart", ActorRefs.NoSender);
        base.PostRestart(reason);
    }
}

/// <summary>A supervisor with a given strategy that creates children on request.</summary>
internal sealed class Supervisor : ReceiveActor
{
    private readonly SupervisorStrategy _strategy;

    public Supervisor(SupervisorStrategy strategy)
    {
        _strategy = strategy;
        Receive<Props>(p => Sender.Tell(Context.ActorOf(p), Self));
        Receive<(Props Props, string Name)>(p => Sender.Tell(Context.ActorOf(p.Props, p.Name), Self));
    }

    protected internal override SupervisorStrategy SupervisorStrategy() => _strategy;
}

/// <summary>Records the order of PostStop calls in a shared queue.</summary>
internal sealed class StopRecorder : ReceiveActor
{
    private readonly ConcurrentQueue<string> _stops;
    private readonly string _name;

    public StopRecorder(ConcurrentQueue<string> stops, string name, int children)
    {
        _stops = stops;
        _name = name;
        for (var i = 0; i < children; i++)
        {
            var childName = $"c{i}";
            Context.ActorOf(Props.Create(() => new StopRecorder(stops, $"{name}/{childName}", 0)), childName);
        }

        ReceiveAny(_ => { });
    }

    protected override void PostStop() => _stops.Enqueue(_name);
}
