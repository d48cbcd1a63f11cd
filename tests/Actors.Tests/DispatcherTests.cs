using System.Collections.Concurrent;
using System.Diagnostics;

namespace ActorNet.Actors.Tests;

public class DispatcherTests : TestKit.TestKit
{
    [Fact]
    public void PinnedActor_WhileThreadPoolIsHogged_KeepsTicking()
    {
        var pinnedTicks = new ConcurrentQueue<long>();
        var pooledTicks = new ConcurrentQueue<long>();
        var pinned = Sys.ActorOf(Props.Create(() => new TickRecorder(pinnedTicks)).WithDispatcher(Dispatch.DispatcherSettings.PinnedId));
        var pooled = Sys.ActorOf(Props.Create(() => new TickRecorder(pooledTicks)));
        using var release = new ManualResetEventSlim(false);
        var interval = TimeSpan.FromMilliseconds(20);
        var t1 = Sys.Scheduler.ScheduleTellRepeatedly(TimeSpan.Zero, interval, pinned, "tick", ActorRefs.NoSender);
        var t2 = Sys.Scheduler.ScheduleTellRepeatedly(TimeSpan.Zero, interval, pooled, "tick", ActorRefs.NoSender);
        var hogs = Enumerable.Range(0, 64).Select(_ => Sys.ActorOf(Props.Create(() => new SlowActor(release)))).ToArray();
        var hogStart = Stopwatch.GetTimestamp();
        try
        {
            // 64 slow actors on the default dispatcher block every pool thread (and the ones it injects) for ~1 s.
            foreach (var hog in hogs)
            {
                hog.Tell("block", ActorRefs.NoSender);
            }

            Thread.Sleep(1000);
        }
        finally
        {
            release.Set();
            t1.Cancel();
            t2.Cancel();
        }

        var hogEnd = Stopwatch.GetTimestamp();
        var pinnedDuringHog = pinnedTicks.Count(t => t > hogStart && t < hogEnd);
        var pooledDuringHog = pooledTicks.Count(t => t > hogStart && t < hogEnd);
        // ~50 ticks were due during the hog; the pinned actor must have handled most of them, whatever the pool did.
        pinnedDuringHog.ShouldBeGreaterThan(25, $"pinned handled {pinnedDuringHog}, pooled {pooledDuringHog}");
    }

    [Fact]
    public void PinnedActor_RunsOnItsOwnThread_AndThreadEndsWithActor()
    {
        var pinned = Sys.ActorOf(Props.Create(() => new ThreadReporter()).WithDispatcher(Dispatch.DispatcherSettings.PinnedId));
        pinned.Tell("which", TestActor);
        var first = ExpectMsg<string>();
        pinned.Tell("which", TestActor);
        ExpectMsg<string>().ShouldBe(first);
        first.ShouldStartWith("pinned:");
        Watch(pinned);
        Sys.Stop(pinned);
        ExpectTerminated(pinned);
    }

    [Fact]
    public void CustomDispatcher_FromInlineConfig_IsUsedByPath()
    {
        using var kit = new TestKit.TestKit("my-pinned { type = pinned, throughput = 2 }");
        var actor = kit.Sys.ActorOf(Props.Create(() => new ThreadReporter()).WithDispatcher("my-pinned"));
        actor.Tell("which", kit.TestActor);
        kit.ExpectMsg<string>().ShouldStartWith("pinned:");
    }

    [Fact]
    public void UnknownDispatcher_ActorOf_ThrowsNamingTheKey()
    {
        var e = Should.Throw<Hocon.HoconException>(() => Sys.ActorOf(Props.Create(() => new EchoActor()).WithDispatcher("no.such.dispatcher")));
        e.Message.ShouldContain("no.such.dispatcher");
    }

    [Fact]
    public void BoundedMailbox_Overflow_ExcessGoesToDeadLetters()
    {
        using var kit = new TestKit.TestKit("small { mailbox-capacity = 2 }");
        kit.Sys.EventStream.Subscribe<DeadLetter>(kit.TestActor);
        using var gate = new ManualResetEventSlim(false);
        var blocked = kit.Sys.ActorOf(Props.Create(() => new Blocker(gate)).WithMailbox("small"));
        blocked.Tell("block", ActorRefs.NoSender);
        kit.AwaitCondition(() => gate.WaitHandle is not null);
        Thread.Sleep(100); // the actor is now inside "block"
        for (var i = 0; i < 5; i++)
        {
            blocked.Tell(i, ActorRefs.NoSender);
        }

        var dead = kit.ReceiveN(3).Cast<DeadLetter>().Select(d => (int)d.Message).ToArray();
        dead.ShouldBe([2, 3, 4]);
        gate.Set();
    }

    private sealed class TickRecorder : ReceiveActor
    {
        public TickRecorder(ConcurrentQueue<long> ticks) => Receive<string>(_ => ticks.Enqueue(Stopwatch.GetTimestamp()));
    }

    private sealed class SlowActor : ReceiveActor
    {
        public SlowActor(ManualResetEventSlim release) => Receive<string>(_ => release.Wait(TimeSpan.FromSeconds(3)));
    }

    private sealed class ThreadReporter : ReceiveActor
    {
        public ThreadReporter() => Receive<string>(_ => Sender.Tell(Thread.CurrentThread.Name ?? "pool", Self));
    }

    private sealed class Blocker : ReceiveActor
    {
        public Blocker(ManualResetEventSlim gate)
        {
            Receive<string>(_ => gate.Wait(TimeSpan.FromSeconds(5)));
            Receive<int>(_ => { });
        }
    }
}
