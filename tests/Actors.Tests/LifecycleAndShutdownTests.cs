using System.Collections.Concurrent;

namespace ActorNet.Actors.Tests;

public class LifecycleAndShutdownTests
{
    [Fact]
    public async Task Terminate_Hierarchy_StopsChildrenBeforeParents()
    {
        var stops = new ConcurrentQueue<string>();
        var system = ActorSystem.Create("tree");
        var top = system.ActorOf(Props.Create(() => new StopRecorder(stops, "top", 3)), "top");
        top.Tell("sync", ActorRefs.NoSender);
        await Task.Delay(100);
        await system.Terminate().WaitAsync(TimeSpan.FromSeconds(10));
        var order = stops.ToArray();
        order.Length.ShouldBe(4);
        order[^1].ShouldBe("top");
        order.Take(3).ShouldBe(["top/c0", "top/c1", "top/c2"], ignoreOrder: true);
    }

    [Fact]
    public async Task Stop_Parent_StopsChildrenFirstThenNotifiesWatchers()
    {
        using var kit = new TestKit.TestKit();
        var stops = new ConcurrentQueue<string>();
        var parent = kit.Sys.ActorOf(Props.Create(() => new StopRecorder(stops, "p", 2)));
        kit.Watch(parent);
        kit.Sys.Stop(parent);
        kit.ExpectTerminated(parent);
        stops.ToArray()[^1].ShouldBe("p"); // when Terminated arrives, every PostStop already ran, the parent's last
        stops.Count.ShouldBe(3);
        await Task.CompletedTask;
    }

    [Fact]
    public async Task CoordinatedShutdown_Run_ExecutesPhasesInDependencyOrderThenTerminates()
    {
        var system = ActorSystem.Create("cs");
        var ran = new ConcurrentQueue<string>();
        var cs = system.CoordinatedShutdown;
        cs.AddTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate, "last-user-phase", _ =>
        {
            ran.Enqueue("before-actor-system-terminate");
            return Task.CompletedTask;
        });
        cs.AddTask(CoordinatedShutdown.PhaseClusterLeave, "leave", async _ =>
        {
            await Task.Delay(50);
            ran.Enqueue("cluster-leave");
        });
        cs.AddTask(CoordinatedShutdown.PhaseBeforeServiceUnbind, "first", _ =>
        {
            ran.Enqueue("before-service-unbind");
            return Task.CompletedTask;
        });
        cs.AddTask(CoordinatedShutdown.PhaseServiceStop, "stop", _ =>
        {
            ran.Enqueue("service-stop");
            return Task.CompletedTask;
        });
        await cs.Run(CoordinatedShutdownReason.Unknown).WaitAsync(TimeSpan.FromSeconds(10));
        ran.ShouldBe(["before-service-unbind", "service-stop", "cluster-leave", "before-actor-system-terminate"]);
        system.WhenTerminated.IsCompleted.ShouldBeTrue();
        cs.ShutdownReason.ShouldBe(CoordinatedShutdownReason.Unknown);
        Should.Throw<InvalidOperationException>(() => cs.AddTask(CoordinatedShutdown.PhaseServiceStop, "late", _ => Task.CompletedTask));
    }

    [Fact]
    public async Task CoordinatedShutdown_PhaseTimesOut_NextPhasesStillRun()
    {
        var config = Hocon.ConfigurationFactory.ParseString("actornet.actor.coordinated-shutdown.phases.service-stop.timeout = 100ms");
        var system = ActorSystem.Create("cs2", config);
        var ran = new ConcurrentQueue<string>();
        system.CoordinatedShutdown.AddTask(CoordinatedShutdown.PhaseServiceStop, "hangs", ct => Task.Delay(Timeout.Infinite, ct));
        system.CoordinatedShutdown.AddTask(CoordinatedShutdown.PhaseClusterShutdown, "after", _ =>
        {
            ran.Enqueue("cluster-shutdown");
            return Task.CompletedTask;
        });
        await system.Terminate().WaitAsync(TimeSpan.FromSeconds(10));
        ran.ShouldBe(["cluster-shutdown"]);
    }

    [Fact]
    public void CoordinatedShutdown_UnknownPhase_Throws()
    {
        using var system = ActorSystem.Create("cs3");
        Should.Throw<ArgumentException>(() => system.CoordinatedShutdown.AddTask("no-such-phase", "x", _ => Task.CompletedTask));
    }

    [Fact]
    public void CoordinatedShutdown_DefaultPhases_AreAkkasOrder() =>
        ActorSystem.Create("cs4").CoordinatedShutdown.OrderedPhases.ShouldBe(CoordinatedShutdownSettings.DefaultPhaseNames);

    [Fact]
    public async Task Terminate_ThenActorOf_Throws()
    {
        var system = ActorSystem.Create("done");
        await system.Terminate().WaitAsync(TimeSpan.FromSeconds(10));
        Should.Throw<InvalidOperationException>(() => system.ActorOf(Props.Create(() => new EchoActor())));
    }

    [Fact]
    public void PoisonPill_ProcessedAfterEarlierMessages()
    {
        using var kit = new TestKit.TestKit();
        var echo = kit.Sys.ActorOf(Props.Create(() => new EchoActor()));
        kit.Watch(echo);
        echo.Tell("1", kit.TestActor);
        echo.Tell("2", kit.TestActor);
        echo.Tell(PoisonPill.Instance, kit.TestActor);
        echo.Tell("3", kit.TestActor);
        kit.ExpectMsg("1");
        kit.ExpectMsg("2");
        kit.ExpectTerminated(echo);
        kit.ExpectNoMsg();
    }
}
