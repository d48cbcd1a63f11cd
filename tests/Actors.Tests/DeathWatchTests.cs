namespace ActorNet.Actors.Tests;

public class DeathWatchTests : TestKit.TestKit
{
    [Fact]
    public void Watch_ActorStops_TerminatedDeliveredExactlyOnce()
    {
        var target = Sys.ActorOf(Props.Create(() => new EchoActor()));
        Watch(target);
        Watch(target); // watching twice is watching once
        Sys.Stop(target);
        ExpectTerminated(target).ExistenceConfirmed.ShouldBeTrue();
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void Watch_AlreadyDeadActor_TerminatedDeliveredOnce()
    {
        var target = Sys.ActorOf(Props.Create(() => new EchoActor()));
        var first = CreateTestProbe();
        first.Watch(target);
        Sys.Stop(target);
        first.ExpectTerminated(target);
        Watch(target);
        ExpectTerminated(target);
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void Unwatch_BeforeStop_NoTerminated()
    {
        var target = Sys.ActorOf(Props.Create(() => new EchoActor()));
        Watch(target);
        Unwatch(target);
        target.Tell("sync", TestActor);
        ExpectMsg("sync");
        Sys.Stop(target);
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void Watch_ManyWatchers_EachGetsOneTerminated()
    {
        var target = Sys.ActorOf(Props.Create(() => new EchoActor()));
        var probes = Enumerable.Range(0, 10).Select(_ => CreateTestProbe()).ToArray();
        foreach (var p in probes)
        {
            p.Watch(target);
        }

        target.Tell(PoisonPill.Instance, ActorRefs.NoSender);
        foreach (var p in probes)
        {
            p.ExpectTerminated(target);
            p.ExpectNoMsg(TimeSpan.FromMilliseconds(50));
        }
    }

    [Fact]
    public void UnhandledTerminated_DeathPact_WatcherStops()
    {
        var target = Sys.ActorOf(Props.Create(() => new EchoActor()));
        var watcher = Sys.ActorOf(Props.Create(() => new NaiveWatcher(target)));
        Watch(watcher);
        Sys.Stop(target);
        ExpectTerminated(watcher);
    }

    [Fact]
    public void Terminated_SenderIsTheDeadActor()
    {
        var target = Sys.ActorOf(Props.Create(() => new EchoActor()));
        Watch(target);
        Sys.Stop(target);
        ExpectTerminated(target);
        LastSender.ShouldBe(target);
    }

    [Fact]
    public void Unwatch_AfterTerminatedQueued_TerminatedNotDelivered()
    {
        var target = Sys.ActorOf(Props.Create(() => new EchoActor()));
        var watcher = Sys.ActorOf(Props.Create(() => new LateUnwatcher(target)));
        watcher.Tell("go", TestActor);
        watcher.Tell("unwatch", TestActor);
        watcher.Tell("report", TestActor);
        ExpectMsg("no-terminated");
    }

    private sealed class LateUnwatcher : ReceiveActor
    {
        public LateUnwatcher(IActorRef target)
        {
            var sawTerminated = false;
            Receive<string>(
                _ =>
                {
                    Context.Watch(target);
                    Context.System.Stop(target);
                    Thread.Sleep(200); // the target dies meanwhile; its Terminated is queued behind "unwatch"
                },
                s => s == "go");
            Receive<string>(_ => Context.Unwatch(target), s => s == "unwatch");
            Receive<string>(_ => Sender.Tell(sawTerminated ? "terminated" : "no-terminated", Self), s => s == "report");
            Receive<Terminated>(_ => sawTerminated = true);
        }
    }

    private sealed class NaiveWatcher : ReceiveActor
    {
        public NaiveWatcher(IActorRef target)
        {
            Context.Watch(target);
            Receive<string>(_ => { });
        }
    }
}

public class GracefulStopTests : TestKit.TestKit
{
    [Fact]
    public async Task GracefulStop_Actor_CompletesTrueAfterEarlierMessages()
    {
        var echo = Sys.ActorOf(Props.Create(() => new EchoActor()));
        echo.Tell("before", TestActor);
        (await echo.GracefulStop(TimeSpan.FromSeconds(5))).ShouldBeTrue();
        ExpectMsg("before");
    }

    [Fact]
    public async Task GracefulStop_AlreadyDead_CompletesTrue()
    {
        var echo = Sys.ActorOf(Props.Create(() => new EchoActor()));
        Watch(echo);
        Sys.Stop(echo);
        ExpectTerminated(echo);
        (await echo.GracefulStop(TimeSpan.FromSeconds(5))).ShouldBeTrue();
    }

    [Fact]
    public async Task GracefulStop_IgnoredStopMessage_CompletesFalseAfterTimeout()
    {
        var echo = Sys.ActorOf(Props.Create(() => new EchoActor()));
        (await echo.GracefulStop(TimeSpan.FromMilliseconds(100), "not a stop")).ShouldBeFalse();
    }
}
