using System.Collections.Immutable;

namespace ActorNet.Actors.Cluster.Membership;

/// <summary>
/// The latest gossip as seen from one node (Akka's <c>MembershipState</c>, single data center): answers convergence,
/// leader and role-leader questions. Immutable; computed values are derived on demand.
/// </summary>
/// <param name="LatestGossip">The node's current gossip.</param>
/// <param name="SelfUniqueAddress">The node evaluating the state.</param>
public sealed record MembershipState(Gossip LatestGossip, UniqueAddress SelfUniqueAddress)
{
    /// <summary>Statuses whose members must have seen a version for convergence (Akka: Up, Leaving).</summary>
    public static ImmutableHashSet<MemberStatus> ConvergenceMemberStatus { get; } = [MemberStatus.Up, MemberStatus.Leaving];

    /// <summary>Statuses of unreachable members that do not block convergence (Akka: Down, Exiting).</summary>
    public static ImmutableHashSet<MemberStatus> ConvergenceSkipUnreachableWithMemberStatus { get; } = [MemberStatus.Down, MemberStatus.Exiting];

    /// <summary>Statuses of unreachable members the leader removes on convergence (Akka: Down, Exiting).</summary>
    public static ImmutableHashSet<MemberStatus> RemoveUnreachableWithMemberStatus { get; } = [MemberStatus.Down, MemberStatus.Exiting];

    /// <summary>Statuses eligible as leader in the first pass (Akka: Up, Leaving).</summary>
    public static ImmutableHashSet<MemberStatus> LeaderMemberStatus { get; } = [MemberStatus.Up, MemberStatus.Leaving];

    /// <summary>The gossip's members.</summary>
    public ImmutableSortedSet<Member> Members => LatestGossip.Members;

    /// <summary>The gossip's reachability table.</summary>
    public Reachability Reachability => LatestGossip.Overview.Reachability;

    /// <summary>Reachability without observations made by Down members (they may be wrong and must not block).</summary>
    public Reachability ReachabilityExcludingDownedObservers =>
        Reachability.RemoveObservers(Members.Where(m => m.Status == MemberStatus.Down).Select(m => m.UniqueAddress));

    /// <summary>The self member, if present in the gossip.</summary>
    public Member? SelfMember => LatestGossip.TryGetMember(SelfUniqueAddress, out var m) ? m : null;

    /// <summary>
    /// Akka's convergence rule: every member in Up or Leaving (also Joining and WeaklyUp while no member is Up or
    /// Leaving yet) has seen the version or is in <paramref name="exitingConfirmed"/>, and every unreachable member
    /// (observations of Down observers excluded, self excluded) is Down or Exiting.
    /// </summary>
    public bool Convergence(IReadOnlySet<UniqueAddress>? exitingConfirmed = null)
    {
        exitingConfirmed ??= ImmutableHashSet<UniqueAddress>.Empty;
        bool firstMember = !Members.Any(m => ConvergenceMemberStatus.Contains(m.Status));
        bool hindering = Members.Any(m =>
            (ConvergenceMemberStatus.Contains(m.Status) || (firstMember && m.Status is MemberStatus.Joining or MemberStatus.WeaklyUp)) &&
            !(LatestGossip.SeenByNode(m.UniqueAddress) || exitingConfirmed.Contains(m.UniqueAddress)));
        if (hindering)
        {
            return false;
        }

        foreach (var node in ReachabilityExcludingDownedObservers.AllUnreachableOrTerminated)
        {
            if (node.Equals(SelfUniqueAddress) || exitingConfirmed.Contains(node))
            {
                continue;
            }

            if (!ConvergenceSkipUnreachableWithMemberStatus.Contains(LatestGossip.GetMember(node).Status))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The leader: see <see cref="LeaderOf"/> over all members.</summary>
    public UniqueAddress? Leader => LeaderOf(Members);

    /// <summary>Whether <paramref name="node"/> is the leader.</summary>
    public bool IsLeader(UniqueAddress node) => node.Equals(Leader);

    /// <summary>The leader among the members with <paramref name="role"/>.</summary>
    public UniqueAddress? RoleLeader(string role) => LeaderOf(Members.Where(m => m.HasRole(role)));

    /// <summary>
    /// Akka's <c>leaderOf</c>: among non-Down members that are reachable (self always counts as reachable), the first
    /// Up or Leaving member in address order; if there is none, the first by <see cref="Member.LeaderStatusOrdering"/>.
    /// </summary>
    public UniqueAddress? LeaderOf(IEnumerable<Member> members)
    {
        var reachability = Reachability;
        var candidates = members
            .Where(m => m.Status != MemberStatus.Down &&
                        (reachability.IsAllReachable || reachability.IsReachable(m.UniqueAddress) || m.UniqueAddress.Equals(SelfUniqueAddress)))
            .ToList();
        if (candidates.Count == 0)
        {
            return null;
        }

        var first = candidates.Order(Member.Ordering).FirstOrDefault(m => LeaderMemberStatus.Contains(m.Status));
        return (first ?? candidates.Order(Member.LeaderStatusOrdering).First()).UniqueAddress;
    }

    /// <summary>The member with the highest up number (members never Up count as 0), as Akka's <c>youngestMember</c>.</summary>
    public Member YoungestMember =>
        Members.MaxBy(m => m.UpNumber == Member.NotUpNumber ? 0 : m.UpNumber)
        ?? throw new InvalidOperationException("no members in the gossip");

    /// <summary>
    /// Akka's <c>validNodeForGossip</c>: not self, and reachable either for everyone (ignoring Down observers) or at
    /// least from self.
    /// </summary>
    public bool ValidNodeForGossip(UniqueAddress node) =>
        !node.Equals(SelfUniqueAddress) &&
        (ReachabilityExcludingDownedObservers.IsReachable(node) || Reachability.IsReachable(SelfUniqueAddress, node));
}
