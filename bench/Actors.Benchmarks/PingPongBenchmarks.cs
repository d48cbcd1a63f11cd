using System.Threading.Channels;
using BenchmarkDotNet.Attributes;

namespace ActorNet.Actors.Benchmarks;

/// <summary>
/// Ping-pong: <see cref="Pairs"/> independent pairs each bounce one message <see cref="RoundTrips"/> times,
/// actor pairs vs. pairs of channel reader loops doing the same. One operation = one message (two per round
/// trip), so the rate is the aggregate message rate over all pairs.
/// </summary>
[MemoryDiagnoser]
public class PingPongBenchmarks
{
    private const int RoundTrips = 50_000;
    private static readonly object s_ball = new();

    private ActorSystem _system = null!;
    private PairState[] _actorPairs = null!;
    private IActorRef[] _pings = null!;
    private IActorRef[] _pongs = null!;
    private PairState[] _channelPairs = null!;
    private Channel<object>[] _toPing = null!;
    private Channel<object>[] _toPong = null!;
    private CountdownEvent _actorsDone = null!;
    private CountdownEvent _channelsDone = null!;

    [Params(4)]
    public int Pairs { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _system = ActorSystem.Create("pingpong");
        _actorsDone = new CountdownEvent(Pairs);
        _channelsDone = new CountdownEvent(Pairs);
        _actorPairs = new PairState[Pairs];
        _channelPairs = new PairState[Pairs];
        _pings = new IActorRef[Pairs];
        _pongs = new IActorRef[Pairs];
        _toPing = new Channel<object>[Pairs];
        _toPong = new Channel<object>[Pairs];
        for (var p = 0; p < Pairs; p++)
        {
            var actorState = _actorPairs[p] = new PairState(_actorsDone);
            _pongs[p] = _system.ActorOf(Props.Create(() => new PongActor()));
            var pong = _pongs[p];
            _pings[p] = _system.ActorOf(Props.Create(() => new PingActor(actorState, pong)));

            var channelState = _channelPairs[p] = new PairState(_channelsDone);
            var toPing = _toPing[p] = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
            var toPong = _toPong[p] = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
            _ = Task.Run(() => PingLoop(toPing.Reader, toPong.Writer, channelState));
            _ = Task.Run(() => PongLoop(toPong.Reader, toPing.Writer));
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var c in _toPing)
        {
            c.Writer.TryComplete();
        }

        foreach (var c in _toPong)
        {
            c.Writer.TryComplete();
        }

        _system.Terminate().Wait();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = 2 * RoundTrips * 4, Description = "ping-pong Channel")]
    public void Channels()
    {
        _channelsDone.Reset(Pairs);
        for (var p = 0; p < Pairs; p++)
        {
            _channelPairs[p].Remaining = RoundTrips;
            _toPong[p].Writer.TryWrite(s_ball);
        }

        _channelsDone.Wait();
    }

    [Benchmark(OperationsPerInvoke = 2 * RoundTrips * 4, Description = "ping-pong Actor")]
    public void Actors()
    {
        _actorsDone.Reset(Pairs);
        for (var p = 0; p < Pairs; p++)
        {
            _actorPairs[p].Remaining = RoundTrips;
            _pongs[p].Tell(s_ball, _pings[p]);
        }

        _actorsDone.Wait();
    }

    private static async Task PingLoop(ChannelReader<object> reader, ChannelWriter<object> writer, PairState state)
    {
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out var ball))
            {
                if (--state.Remaining > 0)
                {
                    writer.TryWrite(ball);
                }
                else
                {
                    state.Done.Signal();
                }
            }
        }
    }

    private static async Task PongLoop(ChannelReader<object> reader, ChannelWriter<object> writer)
    {
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out var ball))
            {
                writer.TryWrite(ball);
            }
        }
    }

    /// <summary>One pair's countdown; touched by the ping side only while a round is running.</summary>
    private sealed class PairState(CountdownEvent done)
    {
        public int Remaining;

        public CountdownEvent Done { get; } = done;
    }

    private sealed class PingActor(PairState state, IActorRef pong) : UntypedActor
    {
        protected override void OnReceive(object message)
        {
            if (--state.Remaining > 0)
            {
                pong.Tell(message, Self);
            }
            else
            {
                state.Done.Signal();
            }
        }
    }

    private sealed class PongActor : UntypedActor
    {
        protected override void OnReceive(object message) => Sender.Tell(message, Self);
    }
}
