using System.Collections.Immutable;
using ActorNet.Actors.Cluster.Membership;
using static ActorNet.Actors.Tests.Cluster.ClusterTestData;

namespace ActorNet.Actors.Tests.Cluster;

using Address = ActorNet.Actors.Cluster.Membership.Address;

public class LeaderActionsTests
{
    private static readonly LeaderActionSettings s_settings = LeaderActionSettings.Default;

    private static LeaderActionsResult Tick(MembershipState s, int ticksWithoutConvergence = 0, ImmutableHashSet<UniqueAddress>? exitingConfirmed = null) =>
        LeaderActions.Run(s, s_settings, exitingConfirmed ?? [], ticksWithoutConvergence, 1_000);

    [Fact]
    public void Run_ConvergedJoining_MovedUpWithIncreasingUpNumbers()
    {
        var a = M("a", MemberStatus.Up, 1);
        var g = SeenByAll(Gossip.Create([a, M("b", MemberStatus.Joining), M("c", MemberStatus.Joining)]));
        var r = Tick(State(g, a));
        r.Changed.Select(m => (m.Address.Host, m.Status, m.UpNumber)).ShouldBe([("b", MemberStatus.Up, 2), ("c", MemberStatus.Up, 3)]);
        r.State.LatestGossip.Members.All(m => m.Status == MemberStatus.Up).ShouldBeTrue();
        r.State.LatestGossip.Overview.Seen.ShouldBe([a.UniqueAddress]);
        r.State.LatestGossip.Version.IsAfter(g.Version).ShouldBeTrue();
    }

    [Fact]
    public void Run_FirstNodeJoiningItself_BecomesUpNumberOne()
    {
        var a = M("a", MemberStatus.Joining);
        var r = Tick(State(SeenByAll(Gossip.Create([a])), a));
        r.Changed.Single().UpNumber.ShouldBe(1);
        r.Changed.Single().Status.ShouldBe(MemberStatus.Up);
    }

    [Fact]
    public void Run_MinNrOfMembersNotMet_StaysJoining()
    {
        var a = M("a", MemberStatus.Joining);
        var settings = s_settings with { MinNrOfMembers = 2 };
        LeaderActions.Run(State(SeenByAll(Gossip.Create([a])), a), settings, [], 0, 0).HasChanges.ShouldBeFalse();
        var roles = s_settings with { MinNrOfMembersOfRole = ImmutableDictionary<string, int>.Empty.Add("backend", 1) };
        LeaderActions.Run(State(SeenByAll(Gossip.Create([a])), a), roles, [], 0, 0).HasChanges.ShouldBeFalse();
    }

    [Fact]
    public void Run_ConvergedLeaving_MovedToExiting_ThenRemovedWhenConfirmed()
    {
        var a = M("a", MemberStatus.Up, 1);
        var b = M("b", MemberStatus.Leaving, 2);
        var r = Tick(State(SeenByAll(Gossip.Create([a, b])), a));
        r.Changed.Single().Status.ShouldBe(MemberStatus.Exiting);

        var seen = r.State with { LatestGossip = SeenByAll(r.State.LatestGossip) };
        var r2 = Tick(seen, exitingConfirmed: [b.UniqueAddress]);
        r2.Removed.Single().UniqueAddress.ShouldBe(b.UniqueAddress);
        r2.State.LatestGossip.HasMember(b.UniqueAddress).ShouldBeFalse();
        r2.State.LatestGossip.Tombstones.ContainsKey(b.UniqueAddress).ShouldBeTrue();
        r2.ExitingConfirmed.ShouldBeEmpty();
    }

    [Fact]
    public void Run_UnreachableDown_Removed()
    {
        var a = M("a", MemberStatus.Up, 1);
        var c = M("c", MemberStatus.Down, 3);
        var g = SeenByAll(Gossip.Create([a, M("b", MemberStatus.Up, 2), c]))
            .WithReachability(Reachability.Empty.Unreachable(a.UniqueAddress, c.UniqueAddress));
        var r = Tick(State(g, a));
        r.Removed.Single().UniqueAddress.ShouldBe(c.UniqueAddress);
        r.State.LatestGossip.Members.Count.ShouldBe(2);
    }

    [Fact]
    public void Run_UnreachableUpMember_NoConvergence_NoRemoval()
    {
        var a = M("a", MemberStatus.Up, 1);
        var c = M("c", MemberStatus.Up, 3);
        var g = SeenByAll(Gossip.Create([a, M("b", MemberStatus.Joining), c]))
            .WithReachability(Reachability.Empty.Unreachable(a.UniqueAddress, c.UniqueAddress));
        var r = Tick(State(g, a));
        r.HasChanges.ShouldBeFalse();
        r.State.LatestGossip.ShouldBeSameAs(g);
    }

    [Fact]
    public void Run_NoConvergenceAfterWeaklyUpAfter_ReachableJoiningBecomesWeaklyUp()
    {
        var a = M("a", MemberStatus.Up, 1);
        var c = M("c", MemberStatus.Up, 3);
        var g = SeenByAll(Gossip.Create([a, M("b", MemberStatus.Joining), c]))
            .WithReachability(Reachability.Empty.Unreachable(a.UniqueAddress, c.UniqueAddress));
        Tick(State(g, a), ticksWithoutConvergence: 6).HasChanges.ShouldBeFalse();
        var r = Tick(State(g, a), ticksWithoutConvergence: 7);
        r.Changed.Single().Status.ShouldBe(MemberStatus.WeaklyUp);
        LeaderActions.Run(State(g, a), s_settings with { WeaklyUpAfter = TimeSpan.Zero }, [], 100, 0).HasChanges.ShouldBeFalse();
    }

    [Fact]
    public void Run_NotLeader_NothingHappens()
    {
        var a = M("a", MemberStatus.Up, 1);
        var b = M("b", MemberStatus.Up, 2);
        var g = SeenByAll(Gossip.Create([a, b, M("c", MemberStatus.Joining)]));
        Tick(State(g, b)).HasChanges.ShouldBeFalse();
    }
}

public class MembershipTransitionsTests
{
    private static readonly Member s_a = M("a", MemberStatus.Up, 1);

    [Fact]
    public void Join_NewNode_AddedJoiningAndVersioned()
    {
        var s = State(Gossip.Create([s_a]), s_a);
        var r = MembershipTransitions.Join(s, Node("b"), ["r"], []);
        r.Changed.ShouldBeTrue();
        var b = r.State.LatestGossip.GetMember(Node("b"));
        b.Status.ShouldBe(MemberStatus.Joining);
        b.Roles.ShouldBe(["r"]);
        r.State.LatestGossip.Overview.Seen.ShouldBe([s_a.UniqueAddress]);
        MembershipTransitions.Join(r.State, Node("b"), ["r"], []).Changed.ShouldBeFalse();
    }

    [Fact]
    public void Join_FirstSeedJoinsItself_SelfAdded()
    {
        var self = Node("a");
        var s = new MembershipState(Gossip.Empty, self);
        var r = MembershipTransitions.Join(s, self, [], []);
        r.State.LatestGossip.Members.Single().UniqueAddress.ShouldBe(self);
    }

    [Fact]
    public void Join_NewIncarnationOfMember_OldTerminatedAndDowned()
    {
        var old = M("b", MemberStatus.Up, 2, uid: 1);
        var s = State(Gossip.Create([s_a, old]), s_a);
        var r = MembershipTransitions.Join(s, Node("b", uid: 2), [], []);
        r.State.LatestGossip.GetMember(old.UniqueAddress).Status.ShouldBe(MemberStatus.Down);
        r.State.Reachability.Status(s_a.UniqueAddress, old.UniqueAddress).ShouldBe(ReachabilityStatus.Terminated);
        r.State.LatestGossip.HasMember(Node("b", uid: 2)).ShouldBeFalse();
    }

    [Fact]
    public void Join_Tombstoned_Refused()
    {
        var s = State(Gossip.Create([s_a, M("b", MemberStatus.Up, 2)]).Remove(Node("b"), 1), s_a);
        MembershipTransitions.Join(s, Node("b"), [], []).Changed.ShouldBeFalse();
    }

    [Fact]
    public void Leave_UpMember_BecomesLeaving_DownIsIdempotent()
    {
        var s = State(Gossip.Create([s_a, M("b", MemberStatus.Up, 2)]), s_a);
        var left = MembershipTransitions.Leave(s, Addr("b"));
        left.State.LatestGossip.GetMember(Node("b")).Status.ShouldBe(MemberStatus.Leaving);
        var down = MembershipTransitions.Down(left.State, Addr("b"));
        down.State.LatestGossip.GetMember(Node("b")).Status.ShouldBe(MemberStatus.Down);
        MembershipTransitions.Down(down.State, Addr("b")).Changed.ShouldBeFalse();
        MembershipTransitions.Leave(down.State, Addr("b")).Changed.ShouldBeFalse();
    }

    [Fact]
    public void ReapUnreachable_DetectorVerdicts_RecordedAsSelfObservations()
    {
        var s = State(Gossip.Create([s_a, M("b", MemberStatus.Up, 2), M("c", MemberStatus.Up, 3)]), s_a);
        var r = MembershipTransitions.ReapUnreachable(s, addr => addr.Host != "b");
        r.State.Reachability.Status(s_a.UniqueAddress, Node("b")).ShouldBe(ReachabilityStatus.Unreachable);
        MembershipTransitions.ReapUnreachable(r.State, addr => addr.Host != "b").Changed.ShouldBeFalse();
        var healed = MembershipTransitions.ReapUnreachable(r.State, _ => true);
        healed.State.Reachability.IsAllReachable.ShouldBeTrue();
    }

    [Fact]
    public void MarkTerminated_FastPath_SubjectTerminated()
    {
        var s = State(Gossip.Create([s_a, M("b", MemberStatus.Up, 2)]), s_a);
        var r = MembershipTransitions.MarkTerminated(s, Node("b"));
        r.State.Reachability.Status(Node("b")).ShouldBe(ReachabilityStatus.Terminated);
    }

    [Fact]
    public void ReceiveGossip_VersionComparison_NewerOlderSameMerge()
    {
        var b = M("b", MemberStatus.Up, 2);
        var baseGossip = Gossip.Create([s_a, b]);
        var local = new MembershipState(baseGossip.Increment(s_a.UniqueAddress).Seen(s_a.UniqueAddress), s_a.UniqueAddress);

        var newer = local.LatestGossip.Increment(b.UniqueAddress).OnlySeen(b.UniqueAddress);
        var (s1, o1) = MembershipTransitions.ReceiveGossip(local, newer, b.UniqueAddress);
        o1.ShouldBe(ReceiveGossipOutcome.Newer);
        s1.LatestGossip.Overview.Seen.ShouldBe([s_a.UniqueAddress, b.UniqueAddress], ignoreOrder: true);

        var (_, o2) = MembershipTransitions.ReceiveGossip(s1, local.LatestGossip, b.UniqueAddress);
        o2.ShouldBe(ReceiveGossipOutcome.Older);

        var same = local.LatestGossip.OnlySeen(b.UniqueAddress);
        var (s3, o3) = MembershipTransitions.ReceiveGossip(local, same, b.UniqueAddress);
        o3.ShouldBe(ReceiveGossipOutcome.Same);
        s3.LatestGossip.Overview.Seen.Count.ShouldBe(2);

        var concurrent = baseGossip.Increment(b.UniqueAddress).Update([b.WithStatus(MemberStatus.Leaving)]);
        var (s4, o4) = MembershipTransitions.ReceiveGossip(local, concurrent, b.UniqueAddress);
        o4.ShouldBe(ReceiveGossipOutcome.Merge);
        s4.LatestGossip.GetMember(b.UniqueAddress).Status.ShouldBe(MemberStatus.Leaving);
        s4.LatestGossip.Overview.Seen.ShouldBe([s_a.UniqueAddress]);
    }

    [Fact]
    public void ReceiveGossip_FromUnknownOrWithoutSelf_Ignored()
    {
        var local = State(Gossip.Create([s_a, M("b", MemberStatus.Up, 2)]), s_a);
        MembershipTransitions.ReceiveGossip(local, Gossip.Create([M("b", MemberStatus.Up, 2)]), Node("b")).Outcome.ShouldBe(ReceiveGossipOutcome.Ignored);
        MembershipTransitions.ReceiveGossip(local, Gossip.Create([s_a, M("x", MemberStatus.Up, 2)]), Node("x")).Outcome.ShouldBe(ReceiveGossipOutcome.Ignored);
        var newer = local.LatestGossip.Increment(Node("b"));
        MembershipTransitions.ReceiveGossip(local, newer, Node("b"), Node("a", uid: 99)).Outcome.ShouldBe(ReceiveGossipOutcome.Ignored);
        MembershipTransitions.ReceiveGossip(local, newer, Node("b"), s_a.UniqueAddress).Outcome.ShouldBe(ReceiveGossipOutcome.Newer);
    }
}

public class ClusterEventDiffTests
{
    private static readonly Member s_a = M("a", MemberStatus.Up, 1);

    [Fact]
    public void Diff_StatusChanges_OneEventPerChangedMember()
    {
        var oldG = Gossip.Create([s_a, M("b", MemberStatus.Joining), M("c", MemberStatus.Up, 2), M("d", MemberStatus.Leaving, 3), M("e", MemberStatus.Exiting, 4)]);
        var newG = Gossip.Create([s_a, M("b", MemberStatus.Up, 5), M("c", MemberStatus.Leaving, 2), M("d", MemberStatus.Exiting, 3), M("f", MemberStatus.Joining)]);
        var events = ClusterEventDiff.Diff(State(oldG, s_a), State(newG, s_a));
        events.ShouldContain(new MemberRemoved(M("e", MemberStatus.Removed, 4), MemberStatus.Exiting));
        events[0].ShouldBeOfType<MemberRemoved>();
        events.OfType<MemberUp>().Single().Member.Address.Host.ShouldBe("b");
        events.OfType<MemberLeft>().Single().Member.Address.Host.ShouldBe("c");
        events.OfType<MemberExited>().Single().Member.Address.Host.ShouldBe("d");
        events.OfType<MemberJoined>().Single().Member.Address.Host.ShouldBe("f");
        events.OfType<LeaderChanged>().ShouldBeEmpty();
    }

    [Fact]
    public void Diff_Reachability_UnreachableThenReachable_SelfExcluded()
    {
        var b = M("b", MemberStatus.Up, 2);
        var g = Gossip.Create([s_a, b]);
        var unreachable = g.WithReachability(Reachability.Empty.Unreachable(s_a.UniqueAddress, b.UniqueAddress).Unreachable(b.UniqueAddress, s_a.UniqueAddress));
        ClusterEventDiff.Diff(State(g, s_a), State(unreachable, s_a)).ShouldBe([new UnreachableMember(b)]);
        ClusterEventDiff.Diff(State(unreachable, s_a), State(g, s_a)).ShouldBe([new ReachableMember(b)]);
    }

    [Fact]
    public void Diff_LeaderRemoved_LeaderChangedToNext()
    {
        var b = M("b", MemberStatus.Up, 2);
        var oldG = Gossip.Create([s_a, b]);
        var newG = oldG.Remove(s_a.UniqueAddress, 0);
        var events = ClusterEventDiff.Diff(State(oldG, b), State(newG, b));
        events.OfType<LeaderChanged>().Single().Leader.ShouldBe(b.Address);
        events.OfType<MemberRemoved>().Single().PreviousStatus.ShouldBe(MemberStatus.Up);
    }

    [Fact]
    public void Snapshot_CurrentState_MembersUnreachableLeaderRoles()
    {
        var b = M("b", MemberStatus.Up, 2, ["db"]);
        var g = Gossip.Create([s_a, b]).Seen(s_a.UniqueAddress).WithReachability(Reachability.Empty.Unreachable(s_a.UniqueAddress, b.UniqueAddress));
        var snap = ClusterEventDiff.Snapshot(State(g, s_a));
        snap.Members.Count.ShouldBe(2);
        snap.Unreachable.ShouldBe([b]);
        snap.SeenBy.ShouldBe([s_a.Address]);
        snap.Leader.ShouldBe(s_a.Address);
        snap.RoleLeaders["db"].ShouldBeNull();
    }
}

public class GossipTargetSelectorTests
{
    private static readonly Member s_a = M("a", MemberStatus.Up, 1);
    private static readonly Member s_b = M("b", MemberStatus.Up, 2);
    private static readonly Member s_c = M("c", MemberStatus.Up, 3);

    /// <summary>Random with a fixed NextDouble, so the different-view branch is chosen deterministically.</summary>
    private sealed class FixedRandom(double value) : Random
    {
        public override double NextDouble() => value;

        public override int Next(int maxValue) => 0;
    }

    [Fact]
    public void AdjustedProbability_LinearReductionBetweenThresholdAndThreeTimesIt()
    {
        var s = GossipTargetSelector.Default;
        s.AdjustedGossipDifferentViewProbability(10).ShouldBe(0.8);
        s.AdjustedGossipDifferentViewProbability(400).ShouldBe(0.8);
        s.AdjustedGossipDifferentViewProbability(800).ShouldBe(0.44, 1e-9);
        s.AdjustedGossipDifferentViewProbability(1200).ShouldBe(0.08, 1e-9);
        s.AdjustedGossipDifferentViewProbability(5000).ShouldBe(0.08, 1e-9);
    }

    [Fact]
    public void GossipTargets_PreferNodesThatHaveNotSeen_ElseAllValid()
    {
        var g = Gossip.Create([s_a, s_b, s_c]).Seen(s_a.UniqueAddress).Seen(s_b.UniqueAddress);
        var state = State(g, s_a);
        GossipTargetSelector.Default.GossipTargets(state, new FixedRandom(0.1)).ShouldBe([s_c.UniqueAddress]);
        GossipTargetSelector.Default.GossipTargets(state, new FixedRandom(0.9)).ShouldBe([s_b.UniqueAddress, s_c.UniqueAddress]);
        GossipTargetSelector.Default.SelectTarget(state, new FixedRandom(0.9)).ShouldBe((s_b.UniqueAddress, GossipSendKind.Status));
        GossipTargetSelector.Default.SelectTarget(state, new FixedRandom(0.1)).ShouldBe((s_c.UniqueAddress, GossipSendKind.Gossip));
    }

    [Fact]
    public void GossipTargets_UnreachableFromSelfAndOthers_Excluded()
    {
        var g = Gossip.Create([s_a, s_b, s_c]).WithReachability(Reachability.Empty.Unreachable(s_a.UniqueAddress, s_c.UniqueAddress));
        GossipTargetSelector.Default.GossipTargets(State(g, s_a), new FixedRandom(0.9)).ShouldBe([s_b.UniqueAddress]);
        GossipTargetSelector.Default.SelectTarget(State(Gossip.Create([s_a]), s_a), new FixedRandom(0.9)).Kind.ShouldBe(GossipSendKind.None);
    }

    [Fact]
    public void ReplyToStatus_AkkaRules()
    {
        var g = Gossip.Create([s_a, s_b]).Increment(s_a.UniqueAddress);
        var state = State(g, s_a);
        GossipTargetSelector.ReplyToStatus(state, s_b.UniqueAddress, g.Version).ShouldBe(GossipSendKind.None);
        GossipTargetSelector.ReplyToStatus(state, s_b.UniqueAddress, g.Version.Increment("x")).ShouldBe(GossipSendKind.Status);
        GossipTargetSelector.ReplyToStatus(state, s_b.UniqueAddress, VectorClock.Empty).ShouldBe(GossipSendKind.Gossip);
        GossipTargetSelector.ReplyToStatus(state, s_b.UniqueAddress, VectorClock.Empty.Increment("x")).ShouldBe(GossipSendKind.Gossip);
        GossipTargetSelector.ReplyToStatus(state, Node("zz"), VectorClock.Empty).ShouldBe(GossipSendKind.None);
    }
}
