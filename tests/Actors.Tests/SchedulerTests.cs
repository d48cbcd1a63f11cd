using System.Diagnostics;

namespace ActorNet.Actors.Tests;

public class SchedulerTests : TestKit.TestKit
{
    [Fact]
    public void ScheduleTellOnce_Delay_ArrivesNotEarlyAndWithinTolerance()
    {
        var sw = Stopwatch.StartNew();
        Sys.Scheduler.ScheduleTellOnce(TimeSpan.FromMilliseconds(200), TestActor, "tick", ActorRefs.NoSender);
        ExpectMsg("tick", TimeSpan.FromSeconds(3));
        sw.Elapsed.ShouldBeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(195)); // never early (timestamp granularity)
        sw.Elapsed.ShouldBeLessThan(Dilated(TimeSpan.FromSeconds(2))); // tolerant upper bound, not a perf assertion
    }

    [Fact]
    public void ScheduleTellOnce_ManyDelays_ArriveInDeadlineOrder()
    {
        foreach (var ms in new[] { 250, 50, 150 })
        {
            Sys.Scheduler.ScheduleTellOnce(TimeSpan.FromMilliseconds(ms), TestActor, ms, ActorRefs.NoSender);
        }

        ExpectMsg(50);
        ExpectMsg(150);
        ExpectMsg(250);
    }

    [Fact]
    public void ScheduleTellOnce_Cancelled_NeverArrives()
    {
        var handle = Sys.Scheduler.ScheduleTellOnce(TimeSpan.FromMilliseconds(100), TestActor, "tick", ActorRefs.NoSender);
        handle.Cancel().ShouldBeTrue();
        handle.Cancel().ShouldBeFalse();
        handle.IsCancellationRequested.ShouldBeTrue();
        ExpectNoMsg(TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public void ScheduleTellRepeatedly_ThenCancel_RepeatsAndStops()
    {
        var handle = Sys.Scheduler.ScheduleTellRepeatedly(TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(30), TestActor, "tick", ActorRefs.NoSender);
        for (var i = 0; i < 4; i++)
        {
            ExpectMsg("tick");
        }

        handle.Cancel();
        ReceiveWhile(m => m as string, idle: TimeSpan.FromMilliseconds(150)); // drain ticks already in flight
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void ScheduleTellRepeatedly_Interval_KeepsAverageRate()
    {
        var sw = Stopwatch.StartNew();
        var handle = Sys.Scheduler.ScheduleTellRepeatedly(TimeSpan.Zero, TimeSpan.FromMilliseconds(50), TestActor, "tick", ActorRefs.NoSender);
        ReceiveN(11, TimeSpan.FromSeconds(5));
        handle.Cancel();
        sw.Elapsed.ShouldBeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(490)); // 10 intervals, never early
    }

    [Fact]
    public void ScheduleOnce_Action_RunsOnce()
    {
        var count = 0;
        Sys.Scheduler.ScheduleOnce(TimeSpan.FromMilliseconds(30), () => Interlocked.Increment(ref count));
        AwaitCondition(() => Volatile.Read(ref count) == 1);
        Thread.Sleep(100);
        count.ShouldBe(1);
    }

    [Fact]
    public void Schedule_ManyTimers_AllFire()
    {
        var count = 0;
        for (var i = 0; i < 10_000; i++)
        {
            Sys.Scheduler.ScheduleOnce(TimeSpan.FromMilliseconds(i % 300), () => Interlocked.Increment(ref count));
        }

        AwaitCondition(() => Volatile.Read(ref count) == 10_000, TimeSpan.FromSeconds(10));
    }
}
