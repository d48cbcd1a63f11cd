using System.Threading.Channels;
using BenchmarkDotNet.Attributes;

namespace ActorNet.Actors.Benchmarks;

/// <summary>
/// Tell throughput: one sender to one receiver and four senders to one receiver, actor vs. a bare
/// <see cref="Channel{T}"/> with one reader loop doing the same work (count, signal at the target). One
/// operation = one message; the message object is preallocated, so Allocated is what the transport costs.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkDotNet.Configs.BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class TellBenchmarks
{
    public const int Messages = 200_000;
    private const int Producers = 4;

    private static readonly object s_message = new();
    private ActorSystem _system = null!;
    private IActorRef _sink = null!;
    private Latch _actorLatch = null!;
    private Channel<object> _channel = null!;
    private Latch _channelLatch = null!;
    private Task _channelLoop = null!;

    [GlobalSetup]
    public void Setup()
    {
        _system = ActorSystem.Create("bench");
        _actorLatch = new Latch();
        _sink = _system.ActorOf(Props.Create(() => new CountingActor(_actorLatch)));
        _channel = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });
        _channelLatch = new Latch();
        _channelLoop = Task.Run(async () =>
        {
            var reader = _channel.Reader;
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                while (reader.TryRead(out _))
                {
                    _channelLatch.Count();
                }
            }
        });
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _channel.Writer.Complete();
        _channelLoop.Wait();
        _system.Terminate().Wait();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Messages, Description = "1->1 Channel")]
    [BenchmarkCategory("1-1")]
    public void OneToOneChannel()
    {
        _channelLatch.Arm(Messages);
        var writer = _channel.Writer;
        for (var i = 0; i < Messages; i++)
        {
            writer.TryWrite(s_message);
        }

        _channelLatch.Wait();
    }

    [Benchmark(OperationsPerInvoke = Messages, Description = "1->1 Actor")]
    [BenchmarkCategory("1-1")]
    public void OneToOneActor()
    {
        _actorLatch.Arm(Messages);
        for (var i = 0; i < Messages; i++)
        {
            _sink.Tell(s_message, null);
        }

        _actorLatch.Wait();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Messages, Description = "4->1 Channel")]
    [BenchmarkCategory("N-1")]
    public void ManyToOneChannel()
    {
        _channelLatch.Arm(Messages);
        var writer = _channel.Writer;
        Parallel.For(0, Producers, new ParallelOptions { MaxDegreeOfParallelism = Producers }, _ =>
        {
            for (var i = 0; i < Messages / Producers; i++)
            {
                writer.TryWrite(s_message);
            }
        });
        _channelLatch.Wait();
    }

    [Benchmark(OperationsPerInvoke = Messages, Description = "4->1 Actor")]
    [BenchmarkCategory("N-1")]
    public void ManyToOneActor()
    {
        _actorLatch.Arm(Messages);
        var sink = _sink;
        Parallel.For(0, Producers, new ParallelOptions { MaxDegreeOfParallelism = Producers }, _ =>
        {
            for (var i = 0; i < Messages / Producers; i++)
            {
                sink.Tell(s_message, null);
            }
        });
        _actorLatch.Wait();
    }

    private sealed class CountingActor(Latch latch) : UntypedActor
    {
        protected override void OnReceive(object message) => latch.Count();
    }
}

/// <summary>Counts messages and releases the waiting benchmark thread when the armed target is reached.</summary>
internal sealed class Latch
{
    private readonly ManualResetEventSlim _done = new(false);
    private long _count; // incremented by the single consumer
    private long _target; // written by the benchmark thread before sending

    public void Arm(int messages)
    {
        _done.Reset();
        Volatile.Write(ref _target, Volatile.Read(ref _count) + messages);
    }

    public void Count()
    {
        if (Interlocked.Increment(ref _count) == Volatile.Read(ref _target))
        {
            _done.Set();
        }
    }

    public void Wait() => _done.Wait();
}
