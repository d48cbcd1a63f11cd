using ActorNet.Actors.Cluster.Membership;
using static ActorNet.Actors.Tests.Cluster.ClusterTestData;

namespace ActorNet.Actors.Tests.Cluster;

// Scenarios follow Akka's GossipSpec.
public class GossipTests
{
    private static readonly Member s_a1 = M("a", MemberStatus.Up);
    private static readonly Member s_a2 = M("a", MemberStatus.Joining);
    private static readonly Member s_b1 = M("b", MemberStatus.Up);
    private static readonly Member s_c1 = M("c", MemberStatus.Leaving);
    private static readonly Member s_c2 = M("c", MemberStatus.Up);
    private static readonly Member s_c3 = M("c", MemberStatus.Exiting);
    private static readonly Member s_d1 = M("d", MemberStatus.Leaving);
    private static readonly Member s_e1 = M("e", MemberStatus.Joining);
    private static readonly Member s_e2 = M("e", MemberStatus.Up);
    private static readonly Member s_e3 = M("e", MemberStatus.Down);

    private static MembershipState St(Gossip g, Member? self = null) => new(g, (self ?? s_a1).UniqueAddress);

    private static Gossip G(params Member[] members) => Gossip.Create(members);

    [Fact]
    public void Convergence_EmptyGossip_True() => St(Gossip.Empty).Convergence().ShouldBeTrue();

    [Fact]
    public void Convergence_OneNodeSeen_True() => St(G(s_a1).Seen(s_a1.UniqueAddress)).Convergence().ShouldBeTrue();

    [Fact]
    public void Convergence_NotAllSeen_False() => St(G(s_a1, s_b1).Seen(s_a1.UniqueAddress)).Convergence().ShouldBeFalse();

    [Fact]
    public void Convergence_TwoNodesSeen_True() =>
        St(G(s_a1, s_b1).Seen(s_a1.UniqueAddress).Seen(s_b1.UniqueAddress)).Convergence().ShouldBeTrue();

    [Fact]
    public void Convergence_JoiningNotSeen_Skipped() =>
        St(G(s_a1, s_b1, s_e1).Seen(s_a1.UniqueAddress).Seen(s_b1.UniqueAddress)).Convergence().ShouldBeTrue();

    [Fact]
    public void Convergence_DownNotSeen_Skipped() =>
        St(G(s_a1, s_b1, s_e3).Seen(s_a1.UniqueAddress).Seen(s_b1.UniqueAddress)).Convergence().ShouldBeTrue();

    [Fact]
    public void Convergence_LeavingExitingConfirmed_Skipped()
    {
        var g = G(s_a1, s_b1, s_c1).Seen(s_a1.UniqueAddress).Seen(s_b1.UniqueAddress);
        St(g).Convergence().ShouldBeFalse();
        St(g).Convergence(new HashSet<UniqueAddress> { s_c1.UniqueAddress }).ShouldBeTrue();
    }

    [Fact]
    public void Convergence_UnreachableLeavingExitingConfirmed_Skipped()
    {
        var g = G(s_a1, s_b1, s_c1).WithReachability(Reachability.Empty.Unreachable(s_b1.UniqueAddress, s_c1.UniqueAddress))
            .Seen(s_a1.UniqueAddress).Seen(s_b1.UniqueAddress);
        St(g).Convergence(new HashSet<UniqueAddress> { s_c1.UniqueAddress }).ShouldBeTrue();
    }

    [Fact]
    public void Convergence_UnreachableUpMember_FalseExceptForItself()
    {
        var g = G(s_a1, s_b1).WithReachability(Reachability.Empty.Unreachable(s_b1.UniqueAddress, s_a1.UniqueAddress))
            .Seen(s_a1.UniqueAddress).Seen(s_b1.UniqueAddress);
        St(g, s_b1).Convergence().ShouldBeFalse();
        St(g, s_a1).Convergence().ShouldBeTrue();
    }

    [Fact]
    public void Convergence_UnreachableButDown_True()
    {
        var g = G(s_a1, s_b1, s_e3).WithReachability(Reachability.Empty.Unreachable(s_a1.UniqueAddress, s_e3.UniqueAddress))
            .Seen(s_a1.UniqueAddress).Seen(s_b1.UniqueAddress);
        St(g, s_b1).Convergence().ShouldBeTrue();
    }

    [Fact]
    public void Convergence_DownedObserverSawUnreachable_Ignored()
    {
        var g = G(s_a1, s_b1, s_e3).WithReachability(Reachability.Empty.Unreachable(s_e3.UniqueAddress, s_a1.UniqueAddress))
            .Seen(s_a1.UniqueAddress).Seen(s_b1.UniqueAddress).Seen(s_e3.UniqueAddress);
        St(g, s_b1).Convergence().ShouldBeTrue();
    }

    [Fact]
    public void Convergence_NoUpMembersYet_JoiningMustHaveSeen()
    {
        var j1 = M("a", MemberStatus.Joining);
        var j2 = M("b", MemberStatus.Joining);
        St(G(j1, j2).Seen(j1.UniqueAddress), j1).Convergence().ShouldBeFalse();
        St(G(j1, j2).Seen(j1.UniqueAddress).Seen(j2.UniqueAddress), j1).Convergence().ShouldBeTrue();
    }

    [Fact]
    public void Merge_MembersByStatusPriority_Symmetric()
    {
        var g1 = G(s_a1, s_c1, s_e1);
        var g2 = G(s_a2, s_c2, s_e2);
        g1.Merge(g2).Members.Select(m => m.Status).ShouldBe([MemberStatus.Up, MemberStatus.Leaving, MemberStatus.Up]);
        g2.Merge(g1).Members.Select(m => m.Status).ShouldBe([MemberStatus.Up, MemberStatus.Leaving, MemberStatus.Up]);
    }

    [Fact]
    public void Merge_Unreachable_UnionOfObservations()
    {
        var g1 = G(s_a1, s_b1, s_c1).WithReachability(Reachability.Empty.Unreachable(s_b1.UniqueAddress, s_a1.UniqueAddress).Unreachable(s_b1.UniqueAddress, s_c1.UniqueAddress));
        var g2 = G(s_a1, s_b1, s_c1, s_d1).WithReachability(Reachability.Empty.Unreachable(s_a1.UniqueAddress, s_d1.UniqueAddress));
        var m1 = g1.Merge(g2);
        m1.Overview.Reachability.AllUnreachable.ShouldBe([s_a1.UniqueAddress, s_c1.UniqueAddress, s_d1.UniqueAddress], ignoreOrder: true);
        g2.Merge(g1).Overview.Reachability.AllUnreachable.SetEquals(m1.Overview.Reachability.AllUnreachable).ShouldBeTrue();
    }

    [Fact]
    public void Merge_ExitingOnOneSideOnly_RemovedWithItsRecords()
    {
        var r1 = Reachability.Empty.Unreachable(s_b1.UniqueAddress, s_a1.UniqueAddress);
        var g1 = G(s_a1, s_b1).WithReachability(r1);
        var g2 = G(s_a1, s_b1, s_c3).WithReachability(r1.Unreachable(s_b1.UniqueAddress, s_c3.UniqueAddress));
        var m1 = g1.Merge(g2);
        m1.Members.ShouldBe([s_a1, s_b1]);
        m1.Overview.Reachability.AllUnreachable.ShouldBe([s_a1.UniqueAddress]);
        var m2 = g2.Merge(g1);
        m2.Members.ShouldBe(m1.Members);
        m2.Overview.Reachability.AllUnreachable.SetEquals(m1.Overview.Reachability.AllUnreachable).ShouldBeTrue();
    }

    [Fact]
    public void Merge_Tombstoned_NeverComesBack()
    {
        var g1 = G(s_a1, s_b1).Remove(s_b1.UniqueAddress, 1000);
        var g2 = G(s_a1, s_b1);
        g1.Merge(g2).HasMember(s_b1.UniqueAddress).ShouldBeFalse();
        g2.Merge(g1).HasMember(s_b1.UniqueAddress).ShouldBeFalse();
        g2.Merge(g1).Tombstones.ContainsKey(s_b1.UniqueAddress).ShouldBeTrue();
    }

    [Fact]
    public void Merge_SeenTable_Reset()
    {
        var g1 = G(s_a1, s_b1, s_c1, s_d1).Increment(s_a1.UniqueAddress).Seen(s_a1.UniqueAddress).Seen(s_b1.UniqueAddress);
        var g2 = G(s_a1, s_b1, s_c1, s_d1).Increment(s_a1.UniqueAddress).Seen(s_a1.UniqueAddress).Seen(s_c1.UniqueAddress);
        var g3 = (g1 with { Version = g2.Version }).Seen(s_d1.UniqueAddress);
        foreach (var merged in new[] { g3.Merge(g2), g2.Merge(g3) })
        {
            merged.Overview.Seen.ShouldBeEmpty();
            merged.SeenByNode(s_a1.UniqueAddress).ShouldBeFalse();
        }
    }

    [Fact]
    public void Leader_FirstByOrdering_ExceptExiting()
    {
        St(G(s_c2, s_e2), s_c2).Leader.ShouldBe(s_c2.UniqueAddress);
        St(G(s_c3, s_e2), s_c3).Leader.ShouldBe(s_e2.UniqueAddress);
        St(G(s_c3), s_c3).Leader.ShouldBe(s_c3.UniqueAddress);
    }

    [Fact]
    public void Leader_FirstReachable_SelfAlwaysCountsReachable()
    {
        var g = G(s_c2, s_e2).WithReachability(Reachability.Empty.Unreachable(s_e2.UniqueAddress, s_c2.UniqueAddress));
        St(g, s_e2).Leader.ShouldBe(s_e2.UniqueAddress);
        St(g, s_c2).Leader.ShouldBe(s_c2.UniqueAddress);
    }

    [Fact]
    public void Leader_OnlyDownMember_None() => St(G(s_e3), s_e3).Leader.ShouldBeNull();

    [Fact]
    public void Leader_NoUpMember_FallsBackToLeaderStatusOrdering()
    {
        // Joining before Exiting; WeaklyUp before Joining.
        var g = G(M("a", MemberStatus.Exiting), M("b", MemberStatus.Joining), M("c", MemberStatus.WeaklyUp));
        St(g).Leader.ShouldBe(Node("c"));
    }

    [Fact]
    public void RoleLeader_FirstUpWithRole()
    {
        var g = G(M("a", MemberStatus.Up, 1, ["x"]), M("b", MemberStatus.Up, 2, ["y"]), M("c", MemberStatus.Up, 3, ["y"]));
        St(g).RoleLeader("y").ShouldBe(Node("b"));
        St(g).RoleLeader("z").ShouldBeNull();
    }

    [Fact]
    public void YoungestMember_HighestUpNumber_JoiningCountsZero()
    {
        var g = G(s_a2, s_b1.WithUp(3), s_e1);
        St(g).YoungestMember.ShouldBe(s_b1);
        St(G(s_a2, s_b1.WithUp(3), M("e", MemberStatus.Up, 4))).YoungestMember.UniqueAddress.ShouldBe(s_e1.UniqueAddress);
    }

    [Fact]
    public void Remove_DropsMemberSeenReachabilityAndClock_AddsTombstone()
    {
        var g = G(s_a1, s_b1).Increment(s_b1.UniqueAddress).Seen(s_b1.UniqueAddress)
            .WithReachability(Reachability.Empty.Unreachable(s_a1.UniqueAddress, s_b1.UniqueAddress));
        var r = g.Remove(s_b1.UniqueAddress, 42);
        r.HasMember(s_b1.UniqueAddress).ShouldBeFalse();
        r.Overview.Seen.ShouldBeEmpty();
        r.Overview.Reachability.IsAllReachable.ShouldBeTrue();
        r.Version.Versions.ShouldBeEmpty();
        r.Tombstones[s_b1.UniqueAddress].ShouldBe(42);
        r.PruneTombstones(43).Tombstones.ShouldBeEmpty();
        r.PruneTombstones(42).Tombstones.Count.ShouldBe(1);
    }
}
