using ActorNet.Actors.Cluster.Membership;
using static ActorNet.Actors.Tests.Cluster.ClusterTestData;

namespace ActorNet.Actors.Tests.Cluster;

// Scenarios follow Akka's ReachabilitySpec.
public class ReachabilityTests
{
    private static readonly UniqueAddress s_a = Node("a");
    private static readonly UniqueAddress s_b = Node("b");
    private static readonly UniqueAddress s_c = Node("c");
    private static readonly UniqueAddress s_d = Node("d");
    private static readonly UniqueAddress s_e = Node("e");
    private static readonly HashSet<UniqueAddress> s_all = [s_a, s_b, s_c, s_d, s_e];

    [Fact]
    public void Empty_EveryoneReachable()
    {
        Reachability.Empty.IsReachable(s_a).ShouldBeTrue();
        Reachability.Empty.AllUnreachable.ShouldBeEmpty();
        Reachability.Empty.IsAllReachable.ShouldBeTrue();
    }

    [Fact]
    public void Unreachable_OneObserver_SubjectUnreachable()
    {
        var r = Reachability.Empty.Unreachable(s_b, s_a);
        r.IsReachable(s_a).ShouldBeFalse();
        r.IsReachable(s_b, s_a).ShouldBeFalse();
        r.IsReachable(s_c, s_a).ShouldBeTrue();
        r.AllUnreachable.ShouldBe([s_a]);
        r.AllUnreachableFrom(s_b).ShouldBe([s_a]);
    }

    [Fact]
    public void Terminated_IsFinal_AndNotInAllUnreachable()
    {
        var r = Reachability.Empty.Terminated(s_b, s_a);
        r.IsReachable(s_a).ShouldBeFalse();
        r.Status(s_b, s_a).ShouldBe(ReachabilityStatus.Terminated);
        r.Unreachable(s_b, s_a).Status(s_b, s_a).ShouldBe(ReachabilityStatus.Terminated);
        r.Reachable(s_b, s_a).Status(s_b, s_a).ShouldBe(ReachabilityStatus.Terminated);
        r.AllUnreachable.ShouldBeEmpty();
        r.AllUnreachableOrTerminated.ShouldBe([s_a]);
    }

    [Fact]
    public void Reachable_AllObserversAgain_SubjectReachable()
    {
        var r = Reachability.Empty.Unreachable(s_b, s_a).Unreachable(s_c, s_a).Reachable(s_b, s_a).Reachable(s_c, s_a)
            .Unreachable(s_b, s_c).Unreachable(s_c, s_b);
        r.IsReachable(s_a).ShouldBeTrue();
        r.IsReachable(s_b).ShouldBeFalse();
    }

    [Fact]
    public void Reachable_AllRowsOfObserverReachable_RowsPruned()
    {
        var r = Reachability.Empty.Unreachable(s_b, s_a).Unreachable(s_b, s_c).Unreachable(s_d, s_c).Reachable(s_b, s_a).Reachable(s_b, s_c);
        r.IsReachable(s_a).ShouldBeTrue();
        r.IsReachable(s_c).ShouldBeFalse();
        r.Records.Count.ShouldBe(1);
        r.Versions[s_b].ShouldBe(4);
        var r2 = r.Reachable(s_d, s_c);
        r2.IsAllReachable.ShouldBeTrue();
        r2.Records.ShouldBeEmpty();
    }

    [Fact]
    public void Status_Aggregated_TerminatedBeatsUnreachable()
    {
        var r = Reachability.Empty.Unreachable(s_a, s_b).Unreachable(s_c, s_b).Terminated(s_d, s_b);
        r.Status(s_b).ShouldBe(ReachabilityStatus.Terminated);
        Reachability.Empty.Unreachable(s_a, s_b).Status(s_b).ShouldBe(ReachabilityStatus.Unreachable);
        Reachability.Empty.Status(s_b).ShouldBe(ReachabilityStatus.Reachable);
    }

    [Fact]
    public void Merge_PicksLatestVersionPerObserver_Symmetric()
    {
        var r1 = Reachability.Empty.Unreachable(s_b, s_a).Unreachable(s_c, s_d);
        var r2 = r1.Reachable(s_b, s_a).Unreachable(s_d, s_e).Unreachable(s_c, s_a);
        var merged = r1.Merge(s_all, r2);
        merged.Status(s_b, s_a).ShouldBe(ReachabilityStatus.Reachable);
        merged.Status(s_c, s_a).ShouldBe(ReachabilityStatus.Unreachable);
        merged.Status(s_c, s_d).ShouldBe(ReachabilityStatus.Unreachable);
        merged.Status(s_d, s_e).ShouldBe(ReachabilityStatus.Unreachable);
        merged.Status(s_e, s_a).ShouldBe(ReachabilityStatus.Reachable);
        merged.IsReachable(s_a).ShouldBeFalse();
        merged.IsReachable(s_d).ShouldBeFalse();
        merged.IsReachable(s_e).ShouldBeFalse();
        r2.Merge(s_all, r1).Records.ToHashSet().SetEquals(merged.Records).ShouldBeTrue();
    }

    [Fact]
    public void Merge_AfterObserverPruned_KeepsNewerEmptyRows()
    {
        var r1 = Reachability.Empty.Unreachable(s_b, s_a).Unreachable(s_c, s_d);
        var r2 = r1.Unreachable(s_a, s_e);
        var r3 = r1.Reachable(s_b, s_a);
        var merged = r2.Merge(s_all, r3);
        merged.Records.ToHashSet().SetEquals([
            new ReachabilityRecord(s_a, s_e, ReachabilityStatus.Unreachable, 1),
            new ReachabilityRecord(s_c, s_d, ReachabilityStatus.Unreachable, 1)]).ShouldBeTrue();
        r3.Merge(s_all, r2).Records.ToHashSet().SetEquals(merged.Records).ShouldBeTrue();
    }

    [Fact]
    public void Merge_DropsRecordsOfNodesNotAllowed()
    {
        var r1 = Reachability.Empty.Unreachable(s_b, s_a).Unreachable(s_b, s_c);
        var merged = r1.Merge(new HashSet<UniqueAddress> { s_a, s_b }, Reachability.Empty);
        merged.AllUnreachable.ShouldBe([s_a]);
    }

    [Fact]
    public void RemoveObservers_IgnoresTheirObservations()
    {
        var r = Reachability.Empty.Unreachable(s_b, s_a).Unreachable(s_c, s_d);
        var filtered = r.RemoveObservers([s_b]);
        filtered.IsReachable(s_a).ShouldBeTrue();
        filtered.IsReachable(s_d).ShouldBeFalse();
        r.Remove([s_d]).AllUnreachable.ShouldBe([s_a]);
    }
}
