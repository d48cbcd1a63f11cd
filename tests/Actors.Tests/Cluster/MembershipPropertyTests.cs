using ActorNet.Actors.Cluster.Membership;
using FsCheck;
using FsCheck.Fluent;
using static ActorNet.Actors.Tests.Cluster.ClusterTestData;

namespace ActorNet.Actors.Tests.Cluster;

using Address = ActorNet.Actors.Cluster.Membership.Address;

public class MembershipPropertyTests
{
    private static readonly string[] s_hosts = ["a", "b", "c", "d", "e"];

    private static readonly MemberStatus[] s_liveStatuses =
        [MemberStatus.Joining, MemberStatus.WeaklyUp, MemberStatus.Up, MemberStatus.Leaving, MemberStatus.Exiting, MemberStatus.Down];

    private static Gen<VectorClock> ClockGen =>
        from entries in (from node in Gen.Elements(s_hosts) from n in Gen.Choose(1, 4) select (node, n)).ArrayOf()
        select entries.Aggregate(VectorClock.Empty, (c, e) => Enumerable.Range(0, e.n).Aggregate(c, (cc, _) => cc.Increment(e.node)));

    private static Member[] MembersOf(MemberStatus[] statuses, int[] ups) =>
        s_hosts.Select((host, i) => M(host, statuses[i], statuses[i] is MemberStatus.Joining or MemberStatus.WeaklyUp ? Member.NotUpNumber : ups[i])).ToArray();

    // Reachability rows may only differ between gossips by how much of each observer's own history they carry
    // (only the observer writes its rows), so gossips in one test share one history and take prefixes of it.
    private static Gen<(int O, int S, bool Unreachable)[]> HistoryGen =>
        (from o in Gen.Choose(0, 4) from s in Gen.Choose(0, 4) from unreachable in Gen.Elements(true, false) select (o, s, unreachable)).ArrayOf();

    // Members one gossip lacks but the other has are modelled as removed (tombstoned) there, as in a real cluster.
    private static Gen<Gossip> GossipFrom((int O, int S, bool Unreachable)[] history, bool[] present) =>
        from removed in Gen.Frequency((3, Gen.Constant(false)), (1, Gen.Constant(true))).ArrayOf(s_hosts.Length)
        from statuses in Gen.Elements(s_liveStatuses).ArrayOf(s_hosts.Length)
        from ups in Gen.Choose(1, 5).ArrayOf(s_hosts.Length)
        from clock in ClockGen
        from prefix in Gen.Choose(0, history.Length)
        from seenMask in Gen.Elements(true, false).ArrayOf(s_hosts.Length)
        select Build(present, removed, MembersOf(statuses, ups), clock, history[..prefix], seenMask);

    private static Gen<bool[]> PresentGen => Gen.Elements(true, false).ArrayOf(s_hosts.Length);

    private static Gen<Gossip> GossipGen =>
        from history in HistoryGen
        from present in PresentGen
        from g in GossipFrom(history, present)
        select g;

    private static Gen<(Gossip, Gossip)> GossipPairGen =>
        from history in HistoryGen
        from present in PresentGen
        from g1 in GossipFrom(history, present)
        from g2 in GossipFrom(history, present)
        select (g1, g2);

    private static Gossip Build(bool[] present, bool[] removed, Member[] members, VectorClock clock, (int O, int S, bool Unreachable)[] observations, bool[] seenMask)
    {
        var chosenMembers = members.Where((_, i) => present[i]).ToList();
        var chosen = chosenMembers.Select(m => m.Address.Host).ToHashSet();
        var g = Gossip.Create(chosenMembers) with { Version = clock };
        var r = Reachability.Empty;
        foreach (var (o, s, unreachable) in observations)
        {
            if (o != s)
            {
                r = unreachable ? r.Unreachable(members[o].UniqueAddress, members[s].UniqueAddress) : r.Reachable(members[o].UniqueAddress, members[s].UniqueAddress);
            }
        }

        g = g.WithReachability(r.FilterRecords(rec => chosen.Contains(rec.Observer.Address.Host) && chosen.Contains(rec.Subject.Address.Host)));
        for (int i = 0; i < members.Length; i++)
        {
            if (present[i] && seenMask[i])
            {
                g = g.Seen(members[i].UniqueAddress);
            }
        }

        for (int i = 0; i < members.Length; i++)
        {
            if (present[i] && removed[i])
            {
                g = g.Remove(members[i].UniqueAddress, 1);
            }
        }

        return g;
    }

    private static bool Reaches(MemberStatus from, MemberStatus to)
    {
        if (from == to)
        {
            return true;
        }

        var frontier = new Queue<MemberStatus>([from]);
        var seen = new HashSet<MemberStatus> { from };
        while (frontier.TryDequeue(out var s))
        {
            foreach (var next in Enum.GetValues<MemberStatus>())
            {
                if (MemberStatusTransitions.IsAllowed(s, next) && seen.Add(next))
                {
                    if (next == to)
                    {
                        return true;
                    }

                    frontier.Enqueue(next);
                }
            }
        }

        return false;
    }

    private static string Statuses(Gossip g) => string.Join(",", g.Members.Select(m => $"{m.Address.Host}:{m.Status}:{m.UpNumber}"));

    [Fact]
    public void VectorClockMerge_CommutativeAssociativeIdempotent()
    {
        Prop.ForAll(ClockGen.ToArbitrary(), ClockGen.ToArbitrary(), ClockGen.ToArbitrary(), (a, b, c) =>
                a.Merge(b).Equals(b.Merge(a)) &&
                a.Merge(b).Merge(c).Equals(a.Merge(b.Merge(c))) &&
                a.Merge(a).Equals(a) &&
                a.Merge(b).CompareTo(a) is VectorClockOrdering.After or VectorClockOrdering.Same)
            .QuickCheckThrowOnFailure();
    }

    [Fact]
    public void GossipMerge_CommutativeAndIdempotentInMembers()
    {
        Prop.ForAll(GossipPairGen.ToArbitrary(), pair =>
                pair is var (g1, g2) &&
                Statuses(g1.Merge(g2)) == Statuses(g2.Merge(g1)) &&
                Statuses(g1.Merge(g1)) == Statuses(g1) &&
                g1.Merge(g2).Version.Equals(g2.Merge(g1).Version) &&
                g1.Merge(g2).Overview.Reachability.AllUnreachableOrTerminated.SetEquals(g2.Merge(g1).Overview.Reachability.AllUnreachableOrTerminated))
            .QuickCheckThrowOnFailure();
    }

    [Fact]
    public void GossipMerge_StatusNeverMovesBackwards()
    {
        Prop.ForAll(GossipPairGen.ToArbitrary(), pair =>
                pair is var (g1, g2) &&
                g1.Merge(g2).Members.All(m =>
                    (!g1.TryGetMember(m.UniqueAddress, out var x) || Reaches(x.Status, m.Status)) &&
                    (!g2.TryGetMember(m.UniqueAddress, out var y) || Reaches(y.Status, m.Status))))
            .QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Convergence_ImpliesReachableUpAndLeavingMembersSawVersion()
    {
        Prop.ForAll(GossipGen.ToArbitrary(), Gen.Choose(0, 4).ToArbitrary(), (g, selfIndex) =>
            {
                if (g.Members.Count == 0)
                {
                    return true;
                }

                var self = g.Members.ElementAt(selfIndex % g.Members.Count).UniqueAddress;
                var state = new MembershipState(g, self);
                if (!state.Convergence())
                {
                    return true;
                }

                return g.Members
                    .Where(m => m.Status is MemberStatus.Up or MemberStatus.Leaving && g.Overview.Reachability.IsReachable(m.UniqueAddress))
                    .All(m => g.SeenByNode(m.UniqueAddress))
                    && state.ReachabilityExcludingDownedObservers.AllUnreachableOrTerminated
                        .Where(n => !n.Equals(self))
                        .All(n => g.GetMember(n).Status is MemberStatus.Down or MemberStatus.Exiting);
            })
            .QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Leader_IsNeverDownAndIsReachableOrSelf()
    {
        Prop.ForAll(GossipGen.ToArbitrary(), (g) =>
            {
                if (g.Members.Count == 0)
                {
                    return true;
                }

                var self = g.Members.First().UniqueAddress;
                var leader = new MembershipState(g, self).Leader;
                if (leader is null)
                {
                    return g.Members.All(m => m.Status == MemberStatus.Down || (!g.Overview.Reachability.IsReachable(m.UniqueAddress) && !m.UniqueAddress.Equals(self)));
                }

                var lm = g.GetMember(leader);
                return lm.Status != MemberStatus.Down && (leader.Equals(self) || g.Overview.Reachability.IsReachable(leader));
            })
            .QuickCheckThrowOnFailure();
    }
}
