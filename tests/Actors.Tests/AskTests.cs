namespace ActorNet.Actors.Tests;

public class AskTests : TestKit.TestKit
{
    [Fact]
    public async Task Ask_EchoActor_ReturnsReply()
    {
        var echo = Sys.ActorOf(Props.Create(() => new EchoActor()));
        (await echo.Ask<string>("hi", TimeSpan.FromSeconds(3))).ShouldBe("hi");
    }

    [Fact]
    public async Task Ask_NoReply_FailsWithAskTimeoutAfterTimeout()
    {
        var silent = Sys.ActorOf(Props.Create(() => new SilentActor()));
        var started = DateTime.UtcNow;
        await Should.ThrowAsync<AskTimeoutException>(() => silent.Ask<string>("hi", TimeSpan.FromMilliseconds(100)));
        (DateTime.UtcNow - started).ShouldBeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(90));
    }

    [Fact]
    public async Task Ask_DeadTarget_FailsWithAskTimeoutAtOnce()
    {
        var echo = Sys.ActorOf(Props.Create(() => new EchoActor()));
        Watch(echo);
        Sys.Stop(echo);
        ExpectTerminated(echo);
        var e = await Should.ThrowAsync<AskTimeoutException>(() => echo.Ask<string>("hi", TimeSpan.FromSeconds(30)));
        e.Message.ShouldContain("terminated");
    }

    [Fact]
    public async Task Ask_StatusFailureReply_FailsWithCause()
    {
        var failing = Sys.ActorOf(Props.Create(() => new FailureReplier()));
        var e = await Should.ThrowAsync<InvalidOperationException>(() => failing.Ask<string>("x", TimeSpan.FromSeconds(3)));
        e.Message.ShouldBe("nope");
    }

    [Fact]
    public async Task Ask_WrongReplyType_FailsWithInvalidCast()
    {
        var echo = Sys.ActorOf(Props.Create(() => new EchoActor()));
        await Should.ThrowAsync<InvalidCastException>(() => echo.Ask<int>("not an int", TimeSpan.FromSeconds(3)));
    }

    [Fact]
    public async Task Ask_LateReply_GoesToDeadLetters()
    {
        Sys.EventStream.Subscribe<DeadLetter>(TestActor);
        var slow = Sys.ActorOf(Props.Create(() => new DelayedEcho(TimeSpan.FromMilliseconds(300))));
        await Should.ThrowAsync<AskTimeoutException>(() => slow.Ask<string>("late", TimeSpan.FromMilliseconds(50)));
        ExpectMsg<DeadLetter>(d => Equals(d.Message, "late"));
    }

    private sealed class SilentActor : ReceiveActor
    {
        public SilentActor() => ReceiveAny(_ => { });
    }

    private sealed class FailureReplier : ReceiveActor
    {
        public FailureReplier() => ReceiveAny(_ => Sender.Tell(new Status.Failure(new InvalidOperationException("nope")), Self));
    }

    private sealed class DelayedEcho : ReceiveActor
    {
        public DelayedEcho(TimeSpan delay) =>
            ReceiveAny(m => Context.System.Scheduler.ScheduleTellOnce(delay, Sender, m, Self));
    }
}
