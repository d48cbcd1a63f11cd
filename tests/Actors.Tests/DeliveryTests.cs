namespace ActorNet.Actors.Tests;

public class DeliveryTests : TestKit.TestKit
{
    public DeliveryTests() : base("actornet.actor.default-dispatcher.throughput = 5")
    {
    }

    [Fact]
    public void Tell_ManyConcurrentSenders_OrderPreservedPerSenderReceiverPair()
    {
        const int Senders = 8;
        const int PerSender = 20_000;
        var receiver = Sys.ActorOf(Props.Create(() => new OrderChecker(Senders)));
        var threads = Enumerable.Range(0, Senders).Select(s => new Thread(() =>
        {
            for (var i = 0; i < PerSender; i++)
            {
                receiver.Tell(new Seq(s, i), ActorRefs.NoSender);
            }
        })).ToArray();
        foreach (var t in threads)
        {
            t.Start();
        }

        foreach (var t in threads)
        {
            t.Join();
        }

        receiver.Tell("report", TestActor);
        var report = ExpectMsg<OrderReport>(timeout: TimeSpan.FromSeconds(20));
        report.Violations.ShouldBe(0);
        report.Received.ShouldBe(Senders * PerSender);
    }

    [Fact]
    public void Tell_ManyConcurrentSenders_ActorNeverProcessesTwoMessagesAtOnce()
    {
        var state = new ConcurrencyState();
        var receivers = Enumerable.Range(0, 4).Select(_ => Sys.ActorOf(Props.Create(() => new ConcurrencyChecker(state)))).ToArray();
        Parallel.For(0, 40_000, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => receivers[i % receivers.Length].Tell(i, ActorRefs.NoSender));
        foreach (var r in receivers)
        {
            r.Tell("report", TestActor);
        }

        var total = 0;
        for (var i = 0; i < receivers.Length; i++)
        {
            total += ExpectMsg<int>(timeout: TimeSpan.FromSeconds(20));
        }

        total.ShouldBe(40_000);
        state.Overlaps.ShouldBe(0);
    }

    [Fact]
    public void Tell_WhileReceiverStops_EveryMessageProcessedOrDeadLettered()
    {
        const int Senders = 4;
        const int PerSender = 10_000;
        var processed = new Tally();
        var dead = new Tally();
        Sys.EventStream.Subscribe<DeadLetter>(Sys.ActorOf(Props.Create(() => new DeadCounter(dead))));
        var receiver = Sys.ActorOf(Props.Create(() => new Counter(processed)));
        using var go = new ManualResetEventSlim(false);
        var threads = Enumerable.Range(0, Senders).Select(_ => new Thread(() =>
        {
            go.Wait();
            for (var i = 0; i < PerSender; i++)
            {
                receiver.Tell(i, ActorRefs.NoSender);
            }
        })).ToArray();
        foreach (var t in threads)
        {
            t.Start();
        }

        go.Set();
        Thread.Sleep(1);
        Sys.Stop(receiver);
        foreach (var t in threads)
        {
            t.Join();
        }

        AwaitCondition(() => Volatile.Read(ref processed.Value) + Volatile.Read(ref dead.Value) == Senders * PerSender, TimeSpan.FromSeconds(20));
    }

    [Fact]
    public void Forward_KeepsOriginalSender()
    {
        var echo = Sys.ActorOf(Props.Create(() => new EchoActor()));
        var forwarder = Sys.ActorOf(Props.Create(() => new Forwarder(echo)));
        forwarder.Tell("via", TestActor);
        ExpectMsg("via");
        LastSender.ShouldBe(echo);
    }

    [Fact]
    public void Tell_WithoutSenderInsideActor_UsesSelfAsImplicitSender()
    {
        var echo = Sys.ActorOf(Props.Create(() => new EchoActor()));
        var relay = Sys.ActorOf(Props.Create(() => new ImplicitSenderRelay(echo, TestActor)));
        relay.Tell("ping", ActorRefs.NoSender);
        ExpectMsg("ping");
        LastSender.ShouldBe(relay);
    }

    [Fact]
    public void Identify_AnyActor_AnswersWithItsRef()
    {
        var echo = Sys.ActorOf(Props.Create(() => new EchoActor()), "identified");
        echo.Tell(new Identify(42), TestActor);
        var identity = ExpectMsg<ActorIdentity>();
        identity.MessageId.ShouldBe(42);
        identity.Subject.ShouldBe(echo);
        echo.Path.ToString().ShouldBe("akka://test/user/identified");
    }

    [Fact]
    public void ActorOf_DuplicateName_Throws()
    {
        Sys.ActorOf(Props.Create(() => new EchoActor()), "dup");
        Should.Throw<InvalidActorNameException>(() => Sys.ActorOf(Props.Create(() => new EchoActor()), "dup"));
    }

    [Fact]
    public void New_ActorOutsideKernel_Throws() =>
        Should.Throw<ActorNotCreatedByKernelException>(() => new EchoActor());

    private sealed record Seq(int Sender, int Number);

    private sealed record OrderReport(int Received, int Violations);

    private sealed class OrderChecker : ReceiveActor
    {
        public OrderChecker(int senders)
        {
            var next = new int[senders];
            var received = 0;
            var violations = 0;
            Receive<Seq>(s =>
            {
                received++;
                if (s.Number != next[s.Sender])
                {
                    violations++;
                }

                next[s.Sender] = s.Number + 1;
            });
            Receive<string>(_ => Sender.Tell(new OrderReport(received, violations), Self));
        }
    }

    private sealed class Tally
    {
        public int Value;
    }

    private sealed class ConcurrencyState
    {
        public int Overlaps;
    }

    private sealed class ConcurrencyChecker : ReceiveActor
    {
        private int _inside;
        private int _count;

        public ConcurrencyChecker(ConcurrencyState state)
        {
            Receive<int>(_ =>
            {
                if (Interlocked.Increment(ref _inside) != 1)
                {
                    Interlocked.Increment(ref state.Overlaps);
                }

                _count++;
                Thread.SpinWait(20);
                Interlocked.Decrement(ref _inside);
            });
            Receive<string>(_ => Sender.Tell(_count, Self));
        }
    }

    private sealed class Counter : ReceiveActor
    {
        public Counter(Tally count) => Receive<int>(_ => Interlocked.Increment(ref count.Value));
    }

    private sealed class DeadCounter : ReceiveActor
    {
        public DeadCounter(Tally count) => Receive<DeadLetter>(d => Interlocked.Increment(ref count.Value), d => d.Message is int);
    }

    private sealed class Forwarder : ReceiveActor
    {
        public Forwarder(IActorRef target) => ReceiveAny(m => target.Forward(m));
    }

    private sealed class ImplicitSenderRelay : ReceiveActor
    {
        public ImplicitSenderRelay(IActorRef echo, IActorRef report)
        {
            Receive<string>(m => report.Tell(m), _ => Sender.Equals(echo));
            Receive<string>(m => echo.Tell(m));
        }
    }
}
