using ActorNet.Actors.Cluster.Downing;
using ActorNet.Actors.Cluster.Membership;
using static ActorNet.Actors.Tests.Cluster.ClusterTestData;

namespace ActorNet.Actors.Tests.Cluster;

using Address = ActorNet.Actors.Cluster.Membership.Address;

/// <summary>
/// Composes the pure pieces the way the cluster actors will sequence them (join, gossip rounds, leader actions,
/// failure-detector reaping, split brain resolver, removal) for three simulated nodes, without actors or time.
/// </summary>
public class ClusterSimulationTests
{
    private sealed class SimNode(UniqueAddress self)
    {
        public MembershipState State { get; set; } = new(Gossip.Empty, self);

        public int TicksWithoutConvergence { get; set; }

        public List<ClusterDomainEvent> Events { get; } = [];

        public SplitBrainResolver Sbr { get; set; } = new(new KeepMajority(), self, TimeSpan.FromSeconds(20), TimeSpan.Zero, 0);

        public UniqueAddress Self => State.SelfUniqueAddress;

        public void Apply(MembershipState next, long nowMs)
        {
            var events = ClusterEventDiff.Diff(State, next);
            Events.AddRange(events);
            foreach (var e in events)
            {
                Sbr = Sbr.On(e, nowMs);
            }

            Sbr = Sbr.OnReachabilityChanged(next.Reachability).OnSeenChanged(next.LatestGossip.SeenBy);
            State = next;
        }
    }

    private static void GossipRound(IReadOnlyList<SimNode> nodes, Func<SimNode, SimNode, bool> canTalk, long nowMs)
    {
        foreach (var from in nodes)
        {
            foreach (var to in nodes)
            {
                if (from != to && canTalk(from, to) && from.State.LatestGossip.HasMember(to.Self))
                {
                    var (next, _) = MembershipTransitions.ReceiveGossip(to.State, from.State.LatestGossip, from.Self, to.Self);
                    to.Apply(next, nowMs);
                }
            }
        }
    }

    private static void LeaderTick(IEnumerable<SimNode> nodes, long nowMs)
    {
        foreach (var n in nodes)
        {
            var converged = n.State.Convergence();
            n.TicksWithoutConvergence = converged ? 0 : n.TicksWithoutConvergence + 1;
            var result = LeaderActions.Run(n.State, LeaderActionSettings.Default, [], n.TicksWithoutConvergence, nowMs);
            n.Apply(result.State, nowMs);
        }
    }

    [Fact]
    public void ThreeNodes_JoinConvergeCrashDownAndRemove()
    {
        var a = new SimNode(Node("a", 1));
        var b = new SimNode(Node("b", 2));
        var c = new SimNode(Node("c", 3));
        var all = new[] { a, b, c };
        long now = 0;

        a.Apply(MembershipTransitions.Join(a.State, a.Self, [], []).State, now);
        foreach (var joiner in new[] { b, c })
        {
            a.Apply(MembershipTransitions.Join(a.State, joiner.Self, [], []).State, now);
            joiner.Apply(MembershipTransitions.Welcome(joiner.State, a.State.LatestGossip).State, now);
        }

        for (int round = 0; round < 6; round++)
        {
            GossipRound(all, (_, _) => true, now);
            LeaderTick(all, now);
            now += 1_000;
        }

        foreach (var n in all)
        {
            n.State.Members.Select(m => m.Status).ShouldAllBe(s => s == MemberStatus.Up);
            n.State.Leader.ShouldBe(a.Self);
            n.State.Convergence().ShouldBeTrue();
            n.Events.OfType<MemberUp>().Count().ShouldBe(3);
        }

        a.State.Members.Select(m => m.UpNumber).Order().ShouldBe([1, 2, 3]);

        // c crashes: a and b stop hearing from it.
        var survivors = new[] { a, b };
        foreach (var n in survivors)
        {
            n.Apply(MembershipTransitions.ReapUnreachable(n.State, addr => addr.Host != "c").State, now);
        }

        GossipRound(survivors, (_, _) => true, now);
        a.Events.OfType<UnreachableMember>().Single().Member.UniqueAddress.ShouldBe(c.Self);
        a.State.Convergence().ShouldBeFalse();

        DowningAction? action = null;
        for (int t = 0; t <= 21 && action is null; t++)
        {
            now += 1_000;
            (a.Sbr, action) = a.Sbr.Tick(now);
            b.Sbr.Tick(now).Action.ShouldBeNull();
        }

        action.ShouldNotBeNull();
        action.Decision.ShouldBe(DowningDecision.DownUnreachable);
        action.NodesToDown.ShouldBe([c.Self]);

        a.Apply(MembershipTransitions.Down(a.State, c.Self.Address).State, now);
        for (int round = 0; round < 4; round++)
        {
            GossipRound(survivors, (_, _) => true, now);
            LeaderTick(survivors, now);
            now += 1_000;
        }

        foreach (var n in survivors)
        {
            n.State.Members.Select(m => m.UniqueAddress).ShouldBe([a.Self, b.Self]);
            n.State.LatestGossip.Tombstones.ContainsKey(c.Self).ShouldBeTrue();
            n.Events.OfType<MemberRemoved>().Single().PreviousStatus.ShouldBe(MemberStatus.Down);
            n.State.Convergence().ShouldBeTrue();
        }

        // The old c gossips again after a pause: it is tombstoned and cannot come back.
        var (afterZombie, outcome) = MembershipTransitions.ReceiveGossip(a.State, c.State.LatestGossip, c.Self, a.Self);
        outcome.ShouldBe(ReceiveGossipOutcome.Ignored);
        afterZombie.ShouldBeSameAs(a.State);
        MembershipTransitions.Join(a.State, c.Self, [], []).Changed.ShouldBeFalse();
        MembershipTransitions.Join(a.State, Node("c", 4), [], []).State.LatestGossip.HasMember(Node("c", 4)).ShouldBeTrue();
    }
}
