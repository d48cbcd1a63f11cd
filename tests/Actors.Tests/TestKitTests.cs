using ActorNet.Actors.TestKit;

namespace ActorNet.Actors.Tests;

public class TestKitTests : TestKit.TestKit
{
    public TestKitTests() : base("actornet.actor.test.single-expect-default = 300ms")
    {
    }

    [Fact]
    public void ExpectMsg_NothingArrives_ThrowsAfterTimeout() =>
        Should.Throw<TestKitAssertionException>(() => ExpectMsg<string>()).Message.ShouldContain("Timeout");

    [Fact]
    public void ExpectMsg_WrongType_Throws()
    {
        TestActor.Tell(1, ActorRefs.NoSender);
        Should.Throw<TestKitAssertionException>(() => ExpectMsg<string>()).Message.ShouldContain("Int32");
    }

    [Fact]
    public void ExpectNoMsg_MessageArrives_Throws()
    {
        // A window long enough for the first message of a fresh system on a loaded machine (JIT of the whole path).
        TestActor.Tell("x", ActorRefs.NoSender);
        Should.Throw<TestKitAssertionException>(() => ExpectNoMsg(TimeSpan.FromSeconds(3)));
    }

    [Fact]
    public void Within_BlockTooSlow_Throws() =>
        Should.Throw<TestKitAssertionException>(() => Within(TimeSpan.FromMilliseconds(100), () => Thread.Sleep(250)));

    [Fact]
    public void Within_BlockTooFast_Throws() =>
        Should.Throw<TestKitAssertionException>(() => Within(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(2), () => { }));

    [Fact]
    public void Within_ExpectInside_UsesRemainingTime()
    {
        Sys.Scheduler.ScheduleTellOnce(TimeSpan.FromMilliseconds(50), TestActor, "soon", ActorRefs.NoSender);
        Within(TimeSpan.FromSeconds(2), () => ExpectMsg("soon"));
        Should.Throw<TestKitAssertionException>(() => Within(TimeSpan.FromMilliseconds(100), () => ExpectMsg<string>(timeout: TimeSpan.FromSeconds(5))));
    }

    [Fact]
    public void AwaitAssert_EventuallyTrue_Passes()
    {
        var flag = 0;
        Sys.Scheduler.ScheduleOnce(TimeSpan.FromMilliseconds(100), () => Volatile.Write(ref flag, 1));
        AwaitAssert(() => Volatile.Read(ref flag).ShouldBe(1), TimeSpan.FromSeconds(3));
    }

    [Fact]
    public void AwaitAssert_NeverTrue_ThrowsWithLastFailure() =>
        Should.Throw<TestKitAssertionException>(() => AwaitAssert(() => 1.ShouldBe(2), TimeSpan.FromMilliseconds(100)));

    [Fact]
    public void FishForMessage_SkipsUntilMatch()
    {
        foreach (var m in new object[] { 1, "a", 2, "target" })
        {
            TestActor.Tell(m, ActorRefs.NoSender);
        }

        FishForMessage(m => m is "target", TimeSpan.FromSeconds(5)).ShouldBe("target");
        ExpectNoMsg();
    }

    [Fact]
    public void ReceiveWhile_StopsAtFirstNonMatchAndLeavesIt()
    {
        foreach (var m in new object[] { "a", "b", 3, "c" })
        {
            TestActor.Tell(m, ActorRefs.NoSender);
        }

        AwaitCondition(() => true);
        Thread.Sleep(50);
        ReceiveWhile(m => m as string).ShouldBe(["a", "b"]);
        ExpectMsg(3);
        ExpectMsg("c");
    }

    [Fact]
    public void Probe_Reply_GoesToLastSender()
    {
        var probe = CreateTestProbe();
        probe.Ref.Tell("question", TestActor);
        probe.ExpectMsg("question");
        probe.Reply("answer");
        ExpectMsg("answer");
        LastSender.ShouldBe(probe.Ref);
    }

    [Fact]
    public void TestKit_InvalidInlineConfig_FailsWithPosition() =>
        Should.Throw<Hocon.HoconException>(() => new TestKit.TestKit("actornet.actor { = }"));
}
