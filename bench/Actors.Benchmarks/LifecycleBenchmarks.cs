using BenchmarkDotNet.Attributes;

namespace ActorNet.Actors.Benchmarks;

/// <summary>Ask round trip (one request, one reply, temp ref and timer) and actor spawn + stop rate.</summary>
[MemoryDiagnoser]
public class LifecycleBenchmarks
{
    private const int Spawns = 1_000;
    private static readonly object s_request = new();

    private ActorSystem _system = null!;
    private IActorRef _echo = null!;
    private IActorRef _parent = null!;

    [GlobalSetup]
    public void Setup()
    {
        _system = ActorSystem.Create("lifecycle");
        _echo = _system.ActorOf(Props.Create(() => new Echo()));
        _parent = _system.ActorOf(Props.Create(() => new Spawner()));
    }

    [GlobalCleanup]
    public void Cleanup() => _system.Terminate().Wait();

    [Benchmark(Description = "Ask round trip")]
    public Task<object> AskRoundTrip() => _echo.Ask<object>(s_request, TimeSpan.FromSeconds(5));

    [Benchmark(OperationsPerInvoke = Spawns, Description = "spawn+stop")]
    public Task SpawnAndStop()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _parent.Tell(new SpawnRound(Spawns, done), null);
        return done.Task;
    }

    private sealed record SpawnRound(int Count, TaskCompletionSource Done);

    private sealed class Echo : UntypedActor
    {
        protected override void OnReceive(object message) => Sender.Tell(message, Self);
    }

    /// <summary>Creates <c>Count</c> children, stops each at once, and completes when all have terminated.</summary>
    private sealed class Spawner : UntypedActor
    {
        private static readonly Props s_childProps = Props.Create(() => new Echo());
        private int _pending;
        private TaskCompletionSource? _done;

        protected override void OnReceive(object message)
        {
            switch (message)
            {
                case SpawnRound round:
                    _pending = round.Count;
                    _done = round.Done;
                    for (var i = 0; i < round.Count; i++)
                    {
                        var child = Context.ActorOf(s_childProps);
                        Context.Watch(child);
                        Context.Stop(child);
                    }

                    break;
                case Terminated:
                    if (--_pending == 0)
                    {
                        _done?.TrySetResult();
                    }

                    break;
            }
        }
    }
}
