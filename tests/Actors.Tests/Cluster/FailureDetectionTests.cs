using ActorNet.Actors.Cluster.FailureDetection;
using ActorNet.Actors.Cluster.Membership;
using FsCheck;
using FsCheck.Fluent;
using static ActorNet.Actors.Tests.Cluster.ClusterTestData;

namespace ActorNet.Actors.Tests.Cluster;

/// <summary>A clock that advances by the next interval on every read, like Akka's fakeTimeGenerator.</summary>
internal sealed class SteppingClock(IEnumerable<long> intervalsMs) : TimeProvider
{
    private readonly Queue<long> _intervals = new(intervalsMs);
    private long _now;

    public override long TimestampFrequency => 1000;

    public override long GetTimestamp()
    {
        _now += _intervals.Dequeue();
        return _now;
    }
}

/// <summary>A clock set by the test.</summary>
internal sealed class ManualClock : TimeProvider
{
    public long NowMs { get; set; }

    public override long TimestampFrequency => 1000;

    public override long GetTimestamp() => NowMs;
}

// Scenarios follow Akka's PhiAccrualFailureDetectorSpec (threshold 8, min-std-deviation 100 ms, pause 0, first estimate 1 s unless stated).
public class PhiAccrualFailureDetectorTests
{
    private static PhiAccrualFailureDetector Create(TimeProvider clock, double threshold = 8.0, int maxSampleSize = 1000, int acceptablePauseMs = 0) =>
        new(threshold, maxSampleSize, TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(acceptablePauseMs), TimeSpan.FromSeconds(1), clock);

    private static double Cdf(double phi) => 1.0 - Math.Pow(10, -phi);

    [Fact]
    public void CalculatePhi_GoodEnoughCumulativeDistribution()
    {
        Cdf(PhiAccrualFailureDetector.CalculatePhi(0, 0, 10)).ShouldBe(0.5, 0.001);
        Cdf(PhiAccrualFailureDetector.CalculatePhi(6, 0, 10)).ShouldBe(0.7257, 0.001);
        Cdf(PhiAccrualFailureDetector.CalculatePhi(15, 0, 10)).ShouldBe(0.9332, 0.001);
        Cdf(PhiAccrualFailureDetector.CalculatePhi(20, 0, 10)).ShouldBe(0.97725, 0.001);
        Cdf(PhiAccrualFailureDetector.CalculatePhi(25, 0, 10)).ShouldBe(0.99379, 0.001);
        Cdf(PhiAccrualFailureDetector.CalculatePhi(35, 0, 10)).ShouldBe(0.99977, 0.001);
        Cdf(PhiAccrualFailureDetector.CalculatePhi(40, 0, 10)).ShouldBe(0.99997, 0.0001);
        Cdf(PhiAccrualFailureDetector.CalculatePhi(-6, 0, 10)).ShouldBe(0.2742, 0.001);
        Cdf(PhiAccrualFailureDetector.CalculatePhi(-15, 0, 10)).ShouldBe(0.0668, 0.001);
        for (int x = 0; x < 40; x++)
        {
            PhiAccrualFailureDetector.CalculatePhi(x, 0, 10).ShouldBeLessThan(PhiAccrualFailureDetector.CalculatePhi(x + 1, 0, 10));
        }
    }

    [Fact]
    public void CalculatePhi_Outliers_NoLossOrException()
    {
        PhiAccrualFailureDetector.CalculatePhi(10, 0, 1).ShouldBe(38.0, 1.0);
        PhiAccrualFailureDetector.CalculatePhi(-25, 0, 1).ShouldBe(0.0);
    }

    [Fact]
    public void CalculatePhi_RealisticValues()
    {
        var expected = new Dictionary<long, double> { [0] = 0.0, [500] = 0.1, [1000] = 0.3, [1200] = 1.6, [1400] = 4.7, [1600] = 10.8, [1700] = 15.3 };
        foreach (var (diff, phi) in expected)
        {
            PhiAccrualFailureDetector.CalculatePhi(diff, 1000, 100).ShouldBe(phi, 0.1);
        }

        PhiAccrualFailureDetector.CalculatePhi(1100, 1000, 500).ShouldBeLessThan(PhiAccrualFailureDetector.CalculatePhi(1100, 1000, 100));
    }

    [Fact]
    public void Phi_NoHeartbeat_Zero()
    {
        var fd = Create(new ManualClock());
        fd.Phi.ShouldBe(0.0);
        fd.IsAvailable.ShouldBeTrue();
        fd.IsMonitoring.ShouldBeFalse();
    }

    [Fact]
    public void Phi_OneHeartbeat_BasedOnFirstEstimate()
    {
        var fd = Create(new SteppingClock([0, 1000, 1000, 1000, 1000]));
        fd.Heartbeat();
        fd.Phi.ShouldBe(0.3, 0.2);
        fd.Phi.ShouldBe(4.5, 0.3);
        fd.Phi.ShouldBeGreaterThan(15.0);
        fd.IsMonitoring.ShouldBeTrue();
    }

    [Fact]
    public void IsAvailable_MissedHeartbeats_Dead()
    {
        var fd = Create(new SteppingClock([0, 1000, 100, 100, 7000]), threshold: 3);
        fd.Heartbeat();
        fd.Heartbeat();
        fd.Heartbeat();
        fd.IsAvailable.ShouldBeTrue();
        fd.IsAvailable.ShouldBeFalse();
    }

    [Fact]
    public void IsAvailable_HeartbeatsResumeAfterDead_AvailableAgain()
    {
        var intervals = new List<long> { 0 };
        intervals.AddRange(Enumerable.Repeat(1000L, 999));
        intervals.AddRange([5 * 60 * 1000, 100, 900, 100, 7000, 100, 900, 100, 900]);
        var fd = Create(new SteppingClock(intervals), acceptablePauseMs: 3000);
        for (int i = 0; i < 1000; i++)
        {
            fd.Heartbeat();
        }

        fd.IsAvailable.ShouldBeFalse();
        fd.Heartbeat();
        fd.IsAvailable.ShouldBeTrue();
        fd.Heartbeat();
        fd.IsAvailable.ShouldBeFalse();
        fd.Heartbeat();
        fd.IsAvailable.ShouldBeTrue();
        fd.Heartbeat();
        fd.IsAvailable.ShouldBeTrue();
    }

    [Fact]
    public void IsAvailable_WithinAcceptablePause_StaysAvailable()
    {
        var fd = Create(new SteppingClock([0, 1000, 1000, 1000, 4000, 1000, 1000]), acceptablePauseMs: 3000);
        fd.Heartbeat();
        fd.Heartbeat();
        fd.Heartbeat();
        fd.Heartbeat();
        fd.IsAvailable.ShouldBeTrue();
        fd.Heartbeat();
        fd.IsAvailable.ShouldBeTrue();
    }

    [Fact]
    public void IsAvailable_BeyondAcceptablePause_Dead()
    {
        var fd = Create(new SteppingClock([0, 1000, 1000, 1000, 1000, 1000, 500, 500, 5000]), acceptablePauseMs: 3000);
        for (int i = 0; i < 6; i++)
        {
            fd.Heartbeat();
        }

        fd.IsAvailable.ShouldBeTrue();
        fd.Heartbeat();
        fd.IsAvailable.ShouldBeFalse();
    }

    [Fact]
    public void History_MaxSampleSize_OldIntervalsDropped()
    {
        var fd = Create(new SteppingClock([0, 100, 100, 100, 100, 600, 500, 500, 500, 500, 500]), maxSampleSize: 3);
        for (int i = 0; i < 4; i++)
        {
            fd.Heartbeat();
        }

        double phi1 = fd.Phi;
        for (int i = 0; i < 4; i++)
        {
            fd.Heartbeat();
        }

        double phi2 = fd.Phi;
        phi2.ShouldBe(phi1, 0.001);
        fd.History.Count.ShouldBe(3);
    }

    [Fact]
    public void Constructor_InvalidParameters_Throw()
    {
        Should.Throw<ArgumentOutOfRangeException>(() => new PhiAccrualFailureDetector(0, 10, TimeSpan.FromMilliseconds(1), TimeSpan.Zero, TimeSpan.FromSeconds(1)));
        Should.Throw<ArgumentOutOfRangeException>(() => new PhiAccrualFailureDetector(8, 0, TimeSpan.FromMilliseconds(1), TimeSpan.Zero, TimeSpan.FromSeconds(1)));
        Should.Throw<ArgumentOutOfRangeException>(() => new PhiAccrualFailureDetector(8, 10, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.FromSeconds(1)));
        Should.Throw<ArgumentOutOfRangeException>(() => new PhiAccrualFailureDetector(8, 10, TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(-1), TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public void Phi_IncreasesMonotonicallyWithTimeSinceLastHeartbeat()
    {
        var intervals = Gen.Choose(1, 3000).Select(i => (long)i).ArrayOf().Select(a => a.Take(50).ToArray());
        Prop.ForAll(intervals.ToArbitrary(), Gen.Choose(0, 20_000).ToArbitrary(), Gen.Choose(1, 20_000).ToArbitrary(), (gaps, t, dt) =>
            {
                var clock = new ManualClock();
                var fd = new PhiAccrualFailureDetector(8, 100, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(1), clock);
                fd.Heartbeat();
                foreach (long g in gaps)
                {
                    clock.NowMs += g;
                    fd.Heartbeat();
                }

                long last = clock.NowMs;
                return fd.PhiAt(last + t) <= fd.PhiAt(last + t + dt) && fd.PhiAt(last + t) >= 0;
            })
            .QuickCheckThrowOnFailure();
    }
}

public class DeadlineFailureDetectorTests
{
    [Fact]
    public void IsAvailable_DeadlineIsPausePlusInterval()
    {
        var clock = new ManualClock();
        var fd = new DeadlineFailureDetector(TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(1), clock);
        fd.IsAvailable.ShouldBeTrue();
        fd.IsMonitoring.ShouldBeFalse();
        fd.Heartbeat();
        clock.NowMs = 3999;
        fd.IsAvailable.ShouldBeTrue();
        clock.NowMs = 4000;
        fd.IsAvailable.ShouldBeFalse();
        fd.Heartbeat();
        fd.IsAvailable.ShouldBeTrue();
    }

    [Fact]
    public void Registry_UnmonitoredAvailable_RemovedForgotten()
    {
        var clock = new ManualClock();
        var reg = new FailureDetectorRegistry<string>(() => new DeadlineFailureDetector(TimeSpan.Zero, TimeSpan.FromSeconds(1), clock));
        reg.IsAvailable("a").ShouldBeTrue();
        reg.Heartbeat("a");
        reg.IsMonitoring("a").ShouldBeTrue();
        clock.NowMs = 2000;
        reg.IsAvailable("a").ShouldBeFalse();
        reg.Remove("a");
        reg.IsAvailable("a").ShouldBeTrue();
        reg.IsMonitoring("a").ShouldBeFalse();
    }
}

public class SameHostLivenessJudgeTests
{
    private static readonly SameHostLivenessJudge s_judge = new(7, TimeSpan.FromMilliseconds(200));

    [Fact]
    public void Observe_ProcessExited_ConfirmedDeadAtOnce_AndSticky()
    {
        var (j, v) = s_judge.Observe(new SameHostEvidence(PeerProcessState.Exited, 5, 7, 0));
        v.Kind.ShouldBe(SameHostVerdictKind.ConfirmedDead);
        v.Reason.ShouldContain("exited");
        j.Observe(new SameHostEvidence(PeerProcessState.Running, 6, 7, 1)).Verdict.Kind.ShouldBe(SameHostVerdictKind.ConfirmedDead);
    }

    [Fact]
    public void Observe_NewIncarnationInSegment_ConfirmedDead()
    {
        var v = s_judge.Observe(new SameHostEvidence(PeerProcessState.Running, 1, 8, 0)).Verdict;
        v.Kind.ShouldBe(SameHostVerdictKind.ConfirmedDead);
        v.Reason.ShouldContain("incarnation 8");
    }

    [Fact]
    public void Observe_HeartbeatWordStaleBeyondLimit_ConfirmedDead_WithinLimitAlive()
    {
        var (j1, v1) = s_judge.Observe(new SameHostEvidence(PeerProcessState.Unknown, 10, 7, 1000));
        v1.Kind.ShouldBe(SameHostVerdictKind.Alive);
        var (j2, v2) = j1.Observe(new SameHostEvidence(PeerProcessState.Unknown, 10, 7, 1200));
        v2.Kind.ShouldBe(SameHostVerdictKind.Alive);
        var (j3, v3) = j2.Observe(new SameHostEvidence(PeerProcessState.Unknown, 11, 7, 1300));
        v3.Kind.ShouldBe(SameHostVerdictKind.Alive);
        j3.Observe(new SameHostEvidence(PeerProcessState.Unknown, 11, 7, 1500)).Verdict.Kind.ShouldBe(SameHostVerdictKind.Alive);
        var v4 = j3.Observe(new SameHostEvidence(PeerProcessState.Running, 11, 7, 1501)).Verdict;
        v4.Kind.ShouldBe(SameHostVerdictKind.ConfirmedDead);
        v4.Reason.ShouldContain("201 ms");
    }

    [Fact]
    public void Observe_NoEvidence_UnknownOrAliveFromProcess()
    {
        s_judge.Observe(new SameHostEvidence(PeerProcessState.Unknown, null, null, 0)).Verdict.Kind.ShouldBe(SameHostVerdictKind.Unknown);
        s_judge.Observe(new SameHostEvidence(PeerProcessState.Running, null, null, 0)).Verdict.Kind.ShouldBe(SameHostVerdictKind.Alive);
    }
}

// Properties of Akka's HeartbeatNodeRingSpec, stated without depending on hash positions.
public class HeartbeatNodeRingTests
{
    private static readonly UniqueAddress[] s_nodes = Enumerable.Range(1, 10).Select(i => Node("n" + i, i)).ToArray();

    [Fact]
    public void Receivers_AllReachable_ExactlyNOthers_AndEveryNodeMonitoredNTimes()
    {
        var ring = new HeartbeatNodeRing(s_nodes[2], s_nodes, [], 3);
        ring.MyReceivers.ShouldBe(ring.Receivers(s_nodes[2]));
        var monitoredBy = new Dictionary<UniqueAddress, int>();
        foreach (var n in s_nodes)
        {
            var r = ring.Receivers(n);
            r.Count.ShouldBe(3);
            r.ShouldNotContain(n);
            foreach (var x in r)
            {
                monitoredBy[x] = monitoredBy.GetValueOrDefault(x) + 1;
            }
        }

        monitoredBy.Values.ShouldAllBe(c => c == 3);
    }

    [Fact]
    public void Receivers_SameInputsInAnotherProcess_SameRing()
    {
        var a = new HeartbeatNodeRing(s_nodes[0], s_nodes, [], 3);
        var b = new HeartbeatNodeRing(s_nodes[5], s_nodes.Reverse(), [], 3);
        foreach (var n in s_nodes)
        {
            a.Receivers(n).SetEquals(b.Receivers(n)).ShouldBeTrue();
        }

        HeartbeatNodeRing.RingHash(Node("x")).ShouldBe(HeartbeatNodeRing.RingHash(Node("x")));
    }

    [Fact]
    public void Receivers_WithUnreachable_NReachablePlusUnreachableMetOnTheWay()
    {
        var all = new HeartbeatNodeRing(s_nodes[0], s_nodes, [], 3);
        var firstPick = all.Receivers(s_nodes[0]);
        var unreachable = firstPick.Take(2).ToList();
        var ring = new HeartbeatNodeRing(s_nodes[0], s_nodes, unreachable, 3);
        var r = ring.Receivers(s_nodes[0]);
        r.Count(n => !unreachable.Contains(n)).ShouldBe(3);
        r.ShouldContain(unreachable[0]);
        r.IsSupersetOf(firstPick).ShouldBeTrue();
    }

    [Fact]
    public void Receivers_FewNodes_AllExceptSelf()
    {
        var five = s_nodes.Take(6).ToArray();
        foreach (int n in new[] { 5, 6, 7 })
        {
            new HeartbeatNodeRing(five[2], five, [], n).MyReceivers.SetEquals(five.Where(x => x != five[2])).ShouldBeTrue();
        }

        new HeartbeatNodeRing(s_nodes[0], [s_nodes[0]], [], 3).MyReceivers.ShouldBeEmpty();
    }
}

public class HeartbeatHistoryTests
{
    [Fact]
    public void MeanAndVariance_AkkaSamples()
    {
        var h = new long[] { 100, 200, 125, 340, 130 }.Aggregate(HeartbeatHistory.Create(20), (s, v) => s.Add(v));
        h.Mean.ShouldBe(179.0, 0.00001);
        h.Variance.ShouldBe(7584.0, 0.00001);
        HeartbeatHistory.Create(600).Add(1000).Variance.ShouldBe(0.0, 0.00001);
    }

    [Fact]
    public void Add_BeyondMaxSampleSize_DropsOldest()
    {
        var h3 = HeartbeatHistory.Create(3).Add(100).Add(110).Add(90);
        h3.Mean.ShouldBe(100.0, 0.00001);
        h3.Variance.ShouldBe(66.6666667, 0.00001);
        var h4 = h3.Add(140);
        h4.Mean.ShouldBe(113.333333, 0.00001);
        h4.Variance.ShouldBe(422.222222, 0.00001);
        var h5 = h4.Add(80);
        h5.Mean.ShouldBe(103.333333, 0.00001);
        h5.Variance.ShouldBe(688.88888889, 0.00001);
    }
}
