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

    private sealed class NaiveWatcher : ReceiveActor
    {
        public NaiveWatcher(IActorRef target)
        {
            Context.Watch(target);
            Receive<string>(_ => { });
        }
    }
}
