using ActorNet.Actors.Cluster.Downing;
using ActorNet.Actors.Cluster.Membership;
using FsCheck;
using FsCheck.Fluent;
using static ActorNet.Actors.Tests.Cluster.ClusterTestData;

namespace ActorNet.Actors.Tests.Cluster;

using Address = ActorNet.Actors.Cluster.Membership.Address;

// Scenarios follow Akka's split brain resolver documentation and SplitBrainResolverSpec.
public class DowningStrategyTests
{
    private static readonly Member s_a = M("a", MemberStatus.Up, 1);
    private static readonly Member s_b = M("b", MemberStatus.Up, 2);
    private static readonly Member s_c = M("c", MemberStatus.Up, 3);
    private static readonly Member s_d = M("d", MemberStatus.Up, 4);
    private static readonly Member s_e = M("e", MemberStatus.Up, 5);

    private static SplitBrainView View(Member self, Member[] members, params Member[] unreachable)
    {
        var v = new SplitBrainView(self.UniqueAddress);
        foreach (var m in members)
        {
            v = unreachable.Contains(m) ? v.AddUnreachable(m) : v.Add(m);
        }

        return v;
    }

    private static HashSet<string> Hosts(IEnumerable<UniqueAddress> nodes) => nodes.Select(n => n.Address.Host).ToHashSet();

    [Fact]
    public void KeepMajority_ThreeVersusTwo_MajoritySurvivesMinorityDownsItself()
    {
        var all = new[] { s_a, s_b, s_c, s_d, s_e };
        var strategy = new KeepMajority();
        var majority = View(s_a, all, s_d, s_e);
        strategy.Decide(majority).ShouldBe(DowningDecision.DownUnreachable);
        Hosts(strategy.NodesToDown(majority, DowningDecision.DownUnreachable)).ShouldBe(["d", "e"], ignoreOrder: true);

        var minority = View(s_d, all, s_a, s_b, s_c);
        strategy.Decide(minority).ShouldBe(DowningDecision.DownReachable);
        Hosts(strategy.NodesToDown(minority, DowningDecision.DownReachable)).ShouldBe(["d", "e"], ignoreOrder: true);
    }

    [Fact]
    public void KeepMajority_EqualHalves_SideWithLowestAddressSurvives()
    {
        var all = new[] { s_a, s_b, s_c, s_d };
        var strategy = new KeepMajority();
        strategy.Decide(View(s_a, all, s_c, s_d)).ShouldBe(DowningDecision.DownUnreachable);
        strategy.Decide(View(s_c, all, s_a, s_b)).ShouldBe(DowningDecision.DownReachable);
    }

    [Fact]
    public void KeepMajority_Role_CountsOnlyMembersWithRole()
    {
        // a, b (no role) vs c, d, e where only c and d... : role members are a and d, e → the side with d, e wins.
        var a = M("a", MemberStatus.Up, 1, ["r"]);
        var b = M("b", MemberStatus.Up, 2);
        var c = M("c", MemberStatus.Up, 3);
        var d = M("d", MemberStatus.Up, 4, ["r"]);
        var e = M("e", MemberStatus.Up, 5, ["r"]);
        var all = new[] { a, b, c, d, e };
        var strategy = new KeepMajority { Role = "r" };
        strategy.Decide(View(a, all, c, d, e)).ShouldBe(DowningDecision.DownReachable);
        strategy.Decide(View(d, all, a, b)).ShouldBe(DowningDecision.DownUnreachable);
        new KeepMajority { Role = "missing" }.Decide(View(a, all, d)).ShouldBe(DowningDecision.DownAll);
    }

    [Fact]
    public void KeepMajority_EqualHalvesWithRole_LowestAddressAmongRoleMembers()
    {
        var a = M("a", MemberStatus.Up, 1);
        var b = M("b", MemberStatus.Up, 2, ["r"]);
        var c = M("c", MemberStatus.Up, 3, ["r"]);
        var all = new[] { a, b, c };
        // b (lowest with role) is on the side of a and b: it survives even though a alone would not decide it.
        new KeepMajority { Role = "r" }.Decide(View(a, all, c)).ShouldBe(DowningDecision.DownUnreachable);
        new KeepMajority { Role = "r" }.Decide(View(c, all, a, b)).ShouldBe(DowningDecision.DownReachable);
    }

    [Fact]
    public void KeepMajority_JoiningOnOtherSideCouldBeUp_DownAll()
    {
        // 2 Up here vs 1 Up + 2 Joining there: the other side may already have moved its Joining members to Up.
        var f = M("f", MemberStatus.Joining);
        var g = M("g", MemberStatus.Joining);
        var all = new[] { s_a, s_b, s_c, f, g };
        new KeepMajority().Decide(View(s_a, all, s_c, f, g)).ShouldBe(DowningDecision.DownAll);
    }

    [Fact]
    public void StaticQuorum_QuorumSideSurvives_TooManyMembersDownsAll()
    {
        var all = new[] { s_a, s_b, s_c, s_d, s_e };
        var strategy = new StaticQuorum(3);
        strategy.Decide(View(s_a, all, s_d, s_e)).ShouldBe(DowningDecision.DownUnreachable);
        strategy.Decide(View(s_d, all, s_a, s_b, s_c)).ShouldBe(DowningDecision.DownReachable);
        var six = all.Append(M("f", MemberStatus.Up, 6)).ToArray();
        strategy.IsTooManyMembers(View(s_a, six)).ShouldBeTrue();
        strategy.Decide(View(s_a, six, s_e)).ShouldBe(DowningDecision.DownAll);
    }

    [Fact]
    public void KeepOldest_SideWithOldestSurvives()
    {
        // Oldest is a (up number 1) even though e has the lowest address here? no: a has both; use e as oldest.
        var e = M("e", MemberStatus.Up, 1);
        var a = M("a", MemberStatus.Up, 2);
        var b = M("b", MemberStatus.Up, 3);
        var c = M("c", MemberStatus.Up, 4);
        var all = new[] { a, b, c, e };
        var strategy = new KeepOldest(DownIfAlone: false);
        strategy.Decide(View(e, all, a, b, c)).ShouldBe(DowningDecision.DownUnreachable);
        strategy.Decide(View(a, all, e)).ShouldBe(DowningDecision.DownReachable);
    }

    [Fact]
    public void KeepOldest_DownIfAlone_OldestAloneDownsItself_OthersSurvive()
    {
        var all = new[] { s_a, s_b, s_c };
        var strategy = new KeepOldest(DownIfAlone: true);
        strategy.Decide(View(s_a, all, s_b, s_c)).ShouldBe(DowningDecision.DownReachable);
        strategy.Decide(View(s_b, all, s_a)).ShouldBe(DowningDecision.DownUnreachable);
        new KeepOldest(DownIfAlone: false).Decide(View(s_b, all, s_a)).ShouldBe(DowningDecision.DownReachable);
    }

    [Fact]
    public void KeepOldest_TwoNodes_OldestKeptEvenWhenAlone()
    {
        var all = new[] { s_a, s_b };
        new KeepOldest(DownIfAlone: true).Decide(View(s_a, all, s_b)).ShouldBe(DowningDecision.DownUnreachable);
        new KeepOldest(DownIfAlone: true).Decide(View(s_b, all, s_a)).ShouldBe(DowningDecision.DownReachable);
    }

    [Fact]
    public void DownAllNodes_AlwaysDownAll()
    {
        var v = View(s_a, [s_a, s_b, s_c], s_c);
        new DownAllNodes().Decide(v).ShouldBe(DowningDecision.DownAll);
        Hosts(new DownAllNodes().NodesToDown(v, DowningDecision.DownAll)).ShouldBe(["a", "b", "c"], ignoreOrder: true);
    }

    [Fact]
    public void NodesToDown_DownAndExitingMembersNeverDowned()
    {
        var down = M("d", MemberStatus.Down, 4);
        var exiting = M("e", MemberStatus.Exiting, 5);
        var v = View(s_a, [s_a, s_b, s_c, down, exiting], s_c, down, exiting);
        Hosts(new KeepMajority().NodesToDown(v, DowningDecision.DownUnreachable)).ShouldBe(["c"]);
    }

    [Fact]
    public void IndirectlyConnected_CycleInUnreachability_DownsIndirectlyConnectedNodes()
    {
        // a and b each see the other as unreachable but both still gossip with c, d, e.
        var all = new[] { s_a, s_b, s_c, s_d, s_e };
        var r = Reachability.Empty.Unreachable(s_a.UniqueAddress, s_b.UniqueAddress).Unreachable(s_b.UniqueAddress, s_a.UniqueAddress);
        var v = View(s_c, all, s_a, s_b).WithReachability(r);
        var strategy = new KeepMajority();
        strategy.Decide(v).ShouldBe(DowningDecision.DownIndirectlyConnected);
        Hosts(strategy.NodesToDown(v, DowningDecision.DownIndirectlyConnected)).ShouldBe(["a", "b"], ignoreOrder: true);
    }

    [Fact]
    public void IndirectlyConnected_PlusCleanPartition_AlsoDownsMinority()
    {
        // a <-> b indirectly connected; e crashed (unreachable from c, clean). Majority of the rest downs e too.
        var all = new[] { s_a, s_b, s_c, s_d, s_e };
        var r = Reachability.Empty
            .Unreachable(s_a.UniqueAddress, s_b.UniqueAddress).Unreachable(s_b.UniqueAddress, s_a.UniqueAddress)
            .Unreachable(s_c.UniqueAddress, s_e.UniqueAddress);
        var v = View(s_c, all, s_a, s_b, s_e).WithReachability(r);
        Hosts(new KeepMajority().NodesToDown(v, DowningDecision.DownIndirectlyConnected)).ShouldBe(["a", "b", "e"], ignoreOrder: true);
    }

    [Fact]
    public void DownSelfQuarantined_OnlySelf()
    {
        var v = View(s_b, [s_a, s_b, s_c], s_c);
        new KeepMajority().NodesToDown(v, DowningDecision.DownSelfQuarantinedByRemote).ShouldBe([s_b.UniqueAddress]);
    }
}

public class SplitBrainResolverTests
{
    private static readonly TimeSpan s_stableAfter = TimeSpan.FromSeconds(20);
    private static readonly Member s_a = M("a", MemberStatus.Up, 1);
    private static readonly Member s_b = M("b", MemberStatus.Up, 2);
    private static readonly Member s_c = M("c", MemberStatus.Up, 3);

    private static SplitBrainResolver Leader(TimeSpan downAllWhenUnstable, Member self) =>
        new SplitBrainResolver(new KeepMajority(), self.UniqueAddress, s_stableAfter, downAllWhenUnstable, 0)
            .On(new MemberUp(s_a), 0).On(new MemberUp(s_b), 0).On(new MemberUp(s_c), 0)
            .On(new LeaderChanged(self.Address), 0);

    [Fact]
    public void DefaultDownAllWhenUnstable_ThreeQuartersOfStableAfter_AtLeastFourSeconds()
    {
        SplitBrainResolver.DefaultDownAllWhenUnstable(TimeSpan.FromSeconds(20)).ShouldBe(TimeSpan.FromSeconds(15));
        SplitBrainResolver.DefaultDownAllWhenUnstable(TimeSpan.FromSeconds(2)).ShouldBe(TimeSpan.FromSeconds(4));
        SplitBrainResolver.TickInterval(TimeSpan.FromSeconds(20)).ShouldBe(TimeSpan.FromSeconds(1));
        SplitBrainResolver.TickInterval(TimeSpan.FromMilliseconds(600)).ShouldBe(TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public void Tick_DecidesOnlyAfterStableAfterWithoutChanges()
    {
        var r = Leader(TimeSpan.Zero, s_a).On(new UnreachableMember(s_c), 1_000);
        r.Tick(21_000).Action.ShouldBeNull();
        var (after, action) = r.Tick(21_001);
        action.ShouldNotBeNull();
        action.Decision.ShouldBe(DowningDecision.DownUnreachable);
        action.NodesToDown.ShouldBe([s_c.UniqueAddress]);
        action.DownsSelf.ShouldBeFalse();
        after.Stats.ChangeCount.ShouldBe(0);
        after.StableDeadlineMs.ShouldBe(21_001 + 20_000);
    }

    [Fact]
    public void Tick_ReachabilityChangeRestartsStableAfter()
    {
        var r = Leader(TimeSpan.Zero, s_a).On(new UnreachableMember(s_c), 0).On(new UnreachableMember(s_b), 15_000);
        r.Tick(20_001).Action.ShouldBeNull();
        var action = r.Tick(35_001).Action;
        action.ShouldNotBeNull();
        action.Decision.ShouldBe(DowningDecision.DownReachable);
        action.DownsSelf.ShouldBeTrue();
    }

    [Fact]
    public void Tick_HealedBeforeStable_NoDecision()
    {
        var r = Leader(TimeSpan.Zero, s_a).On(new UnreachableMember(s_c), 0).On(new ReachableMember(s_c), 5_000);
        r.Tick(60_000).Action.ShouldBeNull();
    }

    [Fact]
    public void Tick_NotLeader_NeverDecides()
    {
        var r = Leader(TimeSpan.Zero, s_b).On(new LeaderChanged(s_a.Address), 0).On(new UnreachableMember(s_c), 0);
        r.IsResponsible.ShouldBeFalse();
        r.Tick(100_000).Action.ShouldBeNull();
    }

    [Fact]
    public void Tick_SelfNotYetUp_NotResponsible()
    {
        var r = new SplitBrainResolver(new KeepMajority(), s_a.UniqueAddress, s_stableAfter, TimeSpan.Zero, 0)
            .On(new MemberJoined(M("a", MemberStatus.Joining)), 0).On(new LeaderChanged(s_a.Address), 0)
            .On(new UnreachableMember(s_c), 0);
        r.Tick(100_000).Action.ShouldBeNull();
    }

    [Fact]
    public void Tick_FlappingBeyondStableAfterPlusDownAllWhenUnstable_DownAllOnEveryNode()
    {
        // Not the leader: the instability rule still applies (Akka runs it on all nodes). c stays unreachable
        // while a flaps, so the unstable period never ends (a full heal would reset it, as in Akka).
        var r = Leader(TimeSpan.FromSeconds(15), s_b).On(new LeaderChanged(s_a.Address), 0).On(new UnreachableMember(s_c), 0);
        long t = 0;
        for (int i = 0; i < 8; i++)
        {
            r = r.On(i % 2 == 0 ? new UnreachableMember(s_a) : new ReachableMember(s_a), t);
            r.Tick(t).Action.ShouldBeNull();
            t += 5_000;
        }

        r = r.On(new UnreachableMember(s_a), 35_000);
        r.Tick(35_000).Action.ShouldBeNull();
        var action = r.Tick(35_001).Action;
        action.ShouldNotBeNull();
        action.Decision.ShouldBe(DowningDecision.DownAll);
        action.NodesToDown.Count.ShouldBe(3);
        action.Reason.ShouldContain("instability");
    }

    [Fact]
    public void Tick_DownAllWhenUnstableOff_StatsResetAfterTwiceStableAfter()
    {
        var r = Leader(TimeSpan.Zero, s_b).On(new LeaderChanged(s_a.Address), 0)
            .On(new UnreachableMember(s_c), 0).On(new UnreachableMember(s_a), 1_000);
        r.Stats.ChangeCount.ShouldBe(2);
        r.Tick(41_000).Resolver.Stats.ChangeCount.ShouldBe(2);
        r.Tick(41_001).Resolver.Stats.ChangeCount.ShouldBe(0);
    }

    [Fact]
    public void On_AllUnreachableHealed_StatsReset()
    {
        var r = Leader(TimeSpan.FromSeconds(15), s_a).On(new UnreachableMember(s_c), 0).On(new ReachableMember(s_c), 1_000);
        r.Stats.ChangeCount.ShouldBe(0);
        r.View.Unreachable.ShouldBeEmpty();
    }

    [Fact]
    public void On_UnreachableMemberDowned_StatsReset()
    {
        var r = Leader(TimeSpan.FromSeconds(15), s_a).On(new UnreachableMember(s_c), 0);
        r.Stats.ChangeCount.ShouldBe(1);
        r = r.On(new MemberDowned(s_c.WithStatus(MemberStatus.Down)), 1_000);
        r.Stats.ChangeCount.ShouldBe(0);
        r.On(new MemberRemoved(s_c.WithStatus(MemberStatus.Removed), MemberStatus.Down), 2_000).View.AllMembers.Count.ShouldBe(2);
    }

    [Fact]
    public void On_CurrentClusterStateSnapshot_InitialisesView()
    {
        var snap = new CurrentClusterState(
            Gossip.Create([s_a, s_b, s_c]).Members, [s_c], [s_a.Address], s_a.Address,
            System.Collections.Immutable.ImmutableSortedDictionary<string, Address?>.Empty);
        var r = new SplitBrainResolver(new KeepMajority(), s_a.UniqueAddress, s_stableAfter, TimeSpan.Zero, 0).On(snap, 0);
        r.IsResponsible.ShouldBeTrue();
        r.View.Unreachable.ShouldBe([s_c.UniqueAddress]);
        r.PeekDecision().ShouldBe(DowningDecision.DownUnreachable);
    }
}

public class SplitBrainPropertyTests
{
    private static (bool Side0Survives, bool Side1Survives) Decide(DowningStrategy strategy, Member[] members, bool[] side)
    {
        bool Survives(bool s)
        {
            var self = members.First(m => side[Array.IndexOf(members, m)] == s);
            var view = new SplitBrainView(self.UniqueAddress);
            for (int i = 0; i < members.Length; i++)
            {
                view = side[i] == s ? view.Add(members[i]) : view.AddUnreachable(members[i]);
            }

            var decision = strategy.Decide(view);
            var downed = strategy.NodesToDown(view, decision);
            return !downed.Contains(self.UniqueAddress);
        }

        return (Survives(false), Survives(true));
    }

    private static Gen<(Member[] Members, bool[] Side)> PartitionGen =>
        from n in Gen.Choose(2, 9)
        from ups in Gen.Choose(1, 20).ArrayOf(n)
        from side in Gen.Elements(true, false).ArrayOf(n)
        where side.Contains(true) && side.Contains(false)
        select (Enumerable.Range(0, n).Select(i => M("n" + i, MemberStatus.Up, ups[i])).ToArray(), side);

    [Fact]
    public void CleanPartition_KeepMajorityAndKeepOldest_ExactlyOneSideSurvives()
    {
        Prop.ForAll(PartitionGen.ToArbitrary(), p =>
            {
                var (m0, m1) = Decide(new KeepMajority(), p.Members, p.Side);
                var (o0, o1) = Decide(new KeepOldest(DownIfAlone: false), p.Members, p.Side);
                var (a0, a1) = Decide(new KeepOldest(DownIfAlone: true), p.Members, p.Side);
                return (m0 ^ m1) && (o0 ^ o1) && !(a0 && a1);
            })
            .QuickCheckThrowOnFailure();
    }

    [Fact]
    public void CleanPartition_StaticQuorum_NeverBothSidesSurvive()
    {
        Prop.ForAll(PartitionGen.ToArbitrary(), p =>
            {
                int quorum = (p.Members.Length / 2) + 1;
                var (q0, q1) = Decide(new StaticQuorum(quorum), p.Members, p.Side);
                return !(q0 && q1);
            })
            .QuickCheckThrowOnFailure();
    }
}
