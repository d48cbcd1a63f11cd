using ActorNet.Actors.TestKit;

namespace ActorNet.Actors.Tests;

public class SupervisionTests : TestKit.TestKit
{
    private IActorRef Child(SupervisorStrategy strategy, out IActorRef supervisor, TestProbe? hooks = null)
    {
        var probe = hooks ?? Probe;
        supervisor = Sys.ActorOf(Props.Create(() => new Supervisor(strategy)));
        supervisor.Tell(Props.Create(() => new LifecycleActor(probe.Ref)), TestActor);
        var child = ExpectMsg<IActorRef>();
        if (hooks is null)
        {
            ExpectMsg("ctor");
            ExpectMsg("preStart");
        }

        return child;
    }

    [Fact]
    public void Resume_AfterFailure_KeepsStateAndContinues()
    {
        var child = Child(new OneForOneStrategy(_ => Directive.Resume), out _);
        child.Tell("a", TestActor);
        ExpectMsg("a");
        child.Tell("fail", TestActor);
        child.Tell("state", TestActor);
        ExpectMsg(1);
    }

    [Fact]
    public void Restart_AfterFailure_RunsHooksInOrderAndKeepsMailboxWithoutRetryingFailedMessage()
    {
        var child = Child(new OneForOneStrategy(_ => Directive.Restart), out _);
        child.Tell("a", TestActor);
        ExpectMsg("a");
        child.Tell("fail", TestActor);
        child.Tell("b", TestActor); // queued behind the failure: must survive the restart
        ExpectMsg("preRestart:fail");
        ExpectMsg("postStop");
        ExpectMsg("ctor");
        ExpectMsg("postRestart");
        ExpectMsg("preStart");
        ExpectMsg("b");
        child.Tell("state", TestActor);
        ExpectMsg(1); // fresh instance: only "b" counted; "fail" was not retried
        ExpectNoMsg();
    }

    [Fact]
    public void Stop_AfterFailure_TerminatesChild()
    {
        var child = Child(new OneForOneStrategy(_ => Directive.Stop), out _);
        Watch(child);
        child.Tell("fail", TestActor);
        ExpectMsg("postStop");
        ExpectTerminated(child);
    }

    [Fact]
    public void Escalate_AfterFailure_SupervisorIsRestartedByItsParent()
    {
        var hooks = CreateTestProbe();
        var child = Child(new OneForOneStrategy(_ => Directive.Escalate), out var supervisor, hooks);
        hooks.ExpectMsg("ctor");
        hooks.ExpectMsg("preStart");
        Watch(child);
        child.Tell("fail", TestActor);
        // The supervisor is restarted by /user's default strategy; its default PreRestart stops the child.
        hooks.ExpectMsg("postStop");
        ExpectTerminated(child);
        supervisor.Tell(Props.Create(() => new EchoActor()), TestActor);
        ExpectMsg<IActorRef>().ShouldNotBe(child);
    }

    [Fact]
    public void Restart_MoreThanMaxRetriesWithinWindow_StopsChild()
    {
        var child = Child(new OneForOneStrategy(2, TimeSpan.FromMinutes(1), _ => Directive.Restart), out _);
        Watch(child);
        for (var i = 0; i < 3; i++)
        {
            child.Tell("fail", TestActor);
        }

        FishForMessage(m => m is Terminated t && t.ActorRef.Equals(child));
    }

    [Fact]
    public void Restart_RetriesSpreadOverWindows_ChildSurvives()
    {
        var window = TimeSpan.FromMilliseconds(150);
        var child = Child(new OneForOneStrategy(1, window, _ => Directive.Restart), out _);
        Watch(child);
        for (var i = 0; i < 3; i++)
        {
            child.Tell("fail", TestActor);
            FishForMessage(m => m is "preStart");
            Thread.Sleep(window * 2);
        }

        child.Tell("state", TestActor);
        FishForMessage(m => m is int).ShouldBe(0);
    }

    [Fact]
    public void AllForOne_OneChildFails_AllChildrenRestart()
    {
        var supervisor = Sys.ActorOf(Props.Create(() => new Supervisor(new AllForOneStrategy(_ => Directive.Restart))));
        var p1 = CreateTestProbe();
        var p2 = CreateTestProbe();
        supervisor.Tell(Props.Create(() => new LifecycleActor(p1.Ref)), TestActor);
        var c1 = ExpectMsg<IActorRef>();
        supervisor.Tell(Props.Create(() => new LifecycleActor(p2.Ref)), TestActor);
        var c2 = ExpectMsg<IActorRef>();
        p1.ExpectMsg("ctor");
        p2.ExpectMsg("ctor");
        c1.Tell("fail", TestActor);
        p1.FishForMessage(m => m is "postRestart");
        p2.FishForMessage(m => m is "postRestart");
        c2.Tell("x", TestActor);
        ExpectMsg("x");
    }

    [Fact]
    public void DefaultStrategy_FailingConstructor_StopsChild()
    {
        var child = Sys.ActorOf(Props.Create<FailingCtorActor>());
        Watch(child);
        ExpectTerminated(child);
    }

    [Fact]
    public void DefaultStrategy_Kill_StopsActor()
    {
        var child = Sys.ActorOf(Props.Create(() => new LifecycleActor(TestActor)));
        ExpectMsg("ctor");
        ExpectMsg("preStart");
        Watch(child);
        child.Tell(Kill.Instance, TestActor);
        ExpectMsg("postStop");
        ExpectTerminated(child);
    }

    [Fact]
    public void DefaultStrategy_OrdinaryException_Restarts()
    {
        var child = Sys.ActorOf(Props.Create(() => new LifecycleActor(TestActor)));
        ExpectMsg("ctor");
        ExpectMsg("preStart");
        child.Tell("fail", TestActor);
        ExpectMsg("preRestart:fail");
        ExpectMsg("postStop");
        ExpectMsg("ctor");
        ExpectMsg("postRestart");
        ExpectMsg("preStart");
    }

    [Fact]
    public void Decider_ByExceptionType_ChoosesDirectivePerType()
    {
        var strategy = new OneForOneStrategy(e => e is ArgumentException ? Directive.Resume : Directive.Stop);
        var child = Child(strategy, out _);
        Watch(child);
        child.Tell("x", TestActor);
        ExpectMsg("x");
        child.Tell("fail-arg", TestActor);
        child.Tell("state", TestActor);
        ExpectMsg(1);
        child.Tell("fail", TestActor);
        ExpectMsg("postStop");
        ExpectTerminated(child);
    }

    [Fact]
    public void Restart_ChildrenOfFailedActor_AreStoppedByDefaultPreRestart()
    {
        var parent = Sys.ActorOf(Props.Create(() => new Supervisor(SupervisorStrategy.DefaultStrategy)));
        parent.Tell(Props.Create(() => new EchoActor()), TestActor);
        var grandChild = ExpectMsg<IActorRef>();
        Watch(grandChild);
        parent.Tell(Kill.Instance, TestActor); // /user's default strategy stops on Kill
        ExpectTerminated(grandChild);
    }

    private sealed class FailingCtorActor : ReceiveActor
    {
        public FailingCtorActor() => throw new InvalidOperationException("cannot construct");
    }
}
