using ActorNet.Actors.Dispatch;

namespace ActorNet.Actors.Tests;

/// <summary>Mailbox processing driven by hand through a dispatcher that only records what it should run.</summary>
public class MailboxTests : TestKit.TestKit
{
    private readonly ManualDispatcher _manual = new(throughput: 3);

    public MailboxTests() => Sys.RegisterDispatcher("manual", _manual);

    protected override void Dispose(bool disposing)
    {
        _manual.SwitchToAutomatic(); // let termination run the remaining mailboxes
        base.Dispose(disposing);
    }

    [Fact]
    public void Run_Throughput3_ProcessesAtMostThreeMessagesPerTurn()
    {
        var processed = new List<int>();
        var actor = Sys.ActorOf(Props.Create(() => new Recorder(processed)).WithDispatcher("manual"));
        for (var i = 0; i < 10; i++)
        {
            actor.Tell(i, ActorRefs.NoSender);
        }

        _manual.RunOne().ShouldBeTrue(); // Create, then 3 user messages
        processed.ShouldBe([0, 1, 2]);
        _manual.RunOne().ShouldBeTrue();
        processed.Count.ShouldBe(6);
        while (_manual.RunOne())
        {
        }

        processed.ShouldBe(Enumerable.Range(0, 10));
    }

    [Fact]
    public void Run_StopQueuedBehindUserMessages_SystemMessageProcessedFirst()
    {
        Sys.EventStream.Subscribe<DeadLetter>(TestActor);
        var processed = new List<int>();
        var actor = Sys.ActorOf(Props.Create(() => new Recorder(processed)).WithDispatcher("manual"));
        for (var i = 0; i < 5; i++)
        {
            actor.Tell(i, ActorRefs.NoSender);
        }

        Sys.Stop(actor);
        while (_manual.RunOne())
        {
        }

        processed.ShouldBeEmpty();
        ReceiveN(5).Cast<DeadLetter>().Select(d => (int)d.Message).ShouldBe([0, 1, 2, 3, 4]);
    }

    [Fact]
    public void Enqueue_WhileScheduled_MailboxScheduledOnlyOnce()
    {
        var processed = new List<int>();
        var actor = Sys.ActorOf(Props.Create(() => new Recorder(processed)).WithDispatcher("manual"));
        for (var i = 0; i < 100; i++)
        {
            actor.Tell(i, ActorRefs.NoSender);
        }

        _manual.Pending.ShouldBe(1);
    }

    private sealed class Recorder(List<int> processed) : UntypedActor
    {
        protected override void OnReceive(object message) => processed.Add((int)message);
    }

    private sealed class ManualDispatcher(int throughput)
        : MessageDispatcher(new DispatcherSettings("manual", DispatcherKind.ThreadPool, throughput, null))
    {
        private readonly Queue<Mailbox> _scheduled = new();
        private bool _automatic; // guarded by _scheduled

        public int Pending
        {
            get
            {
                lock (_scheduled)
                {
                    return _scheduled.Count;
                }
            }
        }

        public override void Schedule(Mailbox mailbox)
        {
            lock (_scheduled)
            {
                if (!_automatic)
                {
                    _scheduled.Enqueue(mailbox);
                    return;
                }
            }

            ThreadPool.UnsafeQueueUserWorkItem(mailbox, preferLocal: false);
        }

        public void SwitchToAutomatic()
        {
            Mailbox[] pending;
            lock (_scheduled)
            {
                _automatic = true;
                pending = [.. _scheduled];
                _scheduled.Clear();
            }

            foreach (var mailbox in pending)
            {
                ThreadPool.UnsafeQueueUserWorkItem(mailbox, preferLocal: false);
            }
        }

        public bool RunOne()
        {
            Mailbox? next;
            lock (_scheduled)
            {
                if (!_scheduled.TryDequeue(out next))
                {
                    return false;
                }
            }

            next.Run();
            return true;
        }
    }
}
