using Microsoft.Extensions.Logging;

namespace ActorNet.Actors.Tests;

public class EventsAndTimeoutTests : TestKit.TestKit
{
    public EventsAndTimeoutTests() : base("actornet.actor.debug.lifecycle = on")
    {
    }

    [Fact]
    public void EventStream_SubscribeByBaseType_ReceivesSubtypes()
    {
        Sys.EventStream.Subscribe<Animal>(TestActor).ShouldBeTrue();
        Sys.EventStream.Subscribe<Animal>(TestActor).ShouldBeFalse();
        Sys.EventStream.Publish(new Dog("rex"));
        Sys.EventStream.Publish("not an animal");
        ExpectMsg<Dog>().Name.ShouldBe("rex");
        ExpectNoMsg();
    }

    [Fact]
    public void EventStream_Unsubscribe_StopsDelivery()
    {
        Sys.EventStream.Subscribe<Animal>(TestActor);
        Sys.EventStream.Unsubscribe(TestActor, typeof(Animal)).ShouldBeTrue();
        Sys.EventStream.Publish(new Dog("rex"));
        ExpectNoMsg();
    }

    [Fact]
    public void EventStream_SubscriberStops_IsUnsubscribedAutomatically()
    {
        var probe = CreateTestProbe();
        var subscriber = Sys.ActorOf(Props.Create(() => new EchoActor()));
        Sys.EventStream.Subscribe<Animal>(subscriber);
        probe.Watch(subscriber);
        Sys.Stop(subscriber);
        probe.ExpectTerminated(subscriber);
        Sys.EventStream.Unsubscribe(subscriber).ShouldBeFalse();
    }

    [Fact]
    public void DeadLetters_TellToStoppedActor_PublishesDeadLetter()
    {
        Sys.EventStream.Subscribe<DeadLetter>(TestActor);
        var echo = Sys.ActorOf(Props.Create(() => new EchoActor()));
        Watch(echo);
        Sys.Stop(echo);
        ExpectTerminated(echo);
        echo.Tell("lost", TestActor);
        var dl = ExpectMsg<DeadLetter>();
        dl.Message.ShouldBe("lost");
        dl.Recipient.ShouldBe(echo);
        dl.Sender.ShouldBe(TestActor);
    }

    [Fact]
    public void DeadLetters_Logged_WithRecipientPath()
    {
        var echo = Sys.ActorOf(Props.Create(() => new EchoActor()), "gone");
        Watch(echo);
        Sys.Stop(echo);
        ExpectTerminated(echo);
        EventFilter.Info(contains: "was not delivered", source: "akka://test/user/gone").ExpectOne(() => echo.Tell("lost", TestActor));
    }

    [Fact]
    public void ReceiveTimeout_NoMessages_FiresRepeatedlyUntilCleared()
    {
        var actor = Sys.ActorOf(Props.Create(() => new TimeoutActor(TestActor, TimeSpan.FromMilliseconds(100))));
        ExpectMsg("timeout", TimeSpan.FromSeconds(2));
        ExpectMsg("timeout", TimeSpan.FromSeconds(2));
        actor.Tell("clear", TestActor);
        ReceiveWhile(m => m as string, idle: TimeSpan.FromMilliseconds(150));
        ExpectNoMsg(TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public void ReceiveTimeout_SteadyMessages_DoNotTimeOut()
    {
        var actor = Sys.ActorOf(Props.Create(() => new TimeoutActor(TestActor, TimeSpan.FromMilliseconds(300))));
        for (var i = 0; i < 8; i++)
        {
            actor.Tell("keep-alive", ActorRefs.NoSender);
            Thread.Sleep(50);
        }

        ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        ExpectMsg("timeout", TimeSpan.FromSeconds(2));
    }

    [Fact]
    public void ReceiveTimeout_NotInfluencingMessages_DoNotResetTheClock()
    {
        var actor = Sys.ActorOf(Props.Create(() => new TimeoutActor(TestActor, TimeSpan.FromMilliseconds(300))));
        var sw = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < 8; i++)
        {
            actor.Tell(new Heartbeat(), ActorRefs.NoSender);
            Thread.Sleep(50);
        }

        ExpectMsg("timeout", TimeSpan.FromSeconds(2));
        sw.Elapsed.ShouldBeLessThan(TimeSpan.FromMilliseconds(400) + Dilated(TimeSpan.FromMilliseconds(600)));
    }

    [Fact]
    public void ActorLogger_Event_CarriesActorPath()
    {
        var actor = Sys.ActorOf(Props.Create(() => new LoggingActor()), "logger");
        EventFilter.Warning(contains: "hello 42", source: "akka://test/user/logger").ExpectOne(() => actor.Tell(42, ActorRefs.NoSender));
    }

    [Fact]
    public void Supervision_Failure_LoggedAsErrorWithChildPath()
    {
        var actor = Sys.ActorOf(Props.Create(() => new LifecycleActor(TestActor)), "failing");
        EventFilter.Error(typeof(InvalidOperationException), source: "akka://test/user/failing").ExpectOne(() => actor.Tell("fail", TestActor));
    }

    [Fact]
    public void DebugLifecycle_On_LogsStartAndStop()
    {
        EventFilter.Debug(contains: "Started", source: "akka://test/user/life").ExpectOne(() =>
            Sys.ActorOf(Props.Create(() => new EchoActor()), "life"));
    }

    [Fact]
    public void EventFilter_WrongCount_Fails()
    {
        var actor = Sys.ActorOf(Props.Create(() => new LoggingActor()));
        Should.Throw<TestKit.TestKitAssertionException>(() =>
            EventFilter.Warning(contains: "hello").Expect(2, () => actor.Tell(1, ActorRefs.NoSender), TimeSpan.FromMilliseconds(300)));
    }

    private sealed record Heartbeat : INotInfluenceReceiveTimeout;

    private abstract record Animal(string Name);

    private sealed record Dog(string Name) : Animal(Name);

    private sealed class TimeoutActor : ReceiveActor
    {
        public TimeoutActor(IActorRef report, TimeSpan timeout)
        {
            Context.SetReceiveTimeout(timeout);
            Receive<ReceiveTimeout>(_ => report.Tell("timeout", Self));
            Receive<string>(_ => Context.SetReceiveTimeout(null), s => s == "clear");
            Receive<string>(_ => { });
            Receive<Heartbeat>(_ => { });
        }
    }

    private sealed class LoggingActor : ReceiveActor
    {
        public LoggingActor()
        {
            var log = Context.GetLogger();
            Receive<int>(i => log.Warning("hello {Value}", i));
        }
    }
}
