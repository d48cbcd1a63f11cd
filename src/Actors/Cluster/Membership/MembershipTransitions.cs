using System.Collections.Immutable;

namespace ActorNet.Actors.Cluster.Membership;

/// <summary>How an incoming gossip related to ours (Akka's <c>ReceiveGossipType</c>).</summary>
public enum ReceiveGossipOutcome
{
    /// <summary>Ignored: not for us, from a non-member, or we are not a member of it.</summary>
    Ignored,

    /// <summary>Same version; the seen sets were united.</summary>
    Same,

    /// <summary>The remote gossip was newer and replaced ours.</summary>
    Newer,

    /// <summary>Ours was newer; kept.</summary>
    Older,

    /// <summary>Concurrent versions; merged.</summary>
    Merge,
}

/// <summary>Result of a membership transition: the new state and whether anything changed.</summary>
/// <param name="State">The state after the transition (the same instance when nothing changed).</param>
/// <param name="Changed">True when <see cref="State"/> differs from the input.</param>
public sealed record TransitionResult(MembershipState State, bool Changed);

/// <summary>
/// The membership commands of Akka's <c>ClusterCoreDaemon</c> as pure functions over <see cref="MembershipState"/>:
/// join, leave, down, failure-detector reaping and gossip receipt. The membership actor calls them on its own thread
/// and then gossips/publishes; nothing here does I/O.
/// </summary>
public static class MembershipTransitions
{
    /// <summary>
    /// Akka's <c>updateLatestGossip</c>: stamps a changed gossip with a new version for self and marks it seen by
    /// self only.
    /// </summary>
    public static MembershipState UpdateLatestGossip(MembershipState state, Gossip gossip) =>
        state with { LatestGossip = gossip.Increment(state.SelfUniqueAddress).OnlySeen(state.SelfUniqueAddress) };

    /// <summary>
    /// Handles a join request. A node already a member is acknowledged unchanged; a new incarnation of an existing
    /// address marks the old one Terminated (from self) and Down; a tombstoned incarnation is refused; otherwise the
    /// joining node (and self, in case self has not joined yet) are added as Joining.
    /// </summary>
    public static TransitionResult Join(MembershipState state, UniqueAddress joining, IEnumerable<string> roles, IEnumerable<string> selfRoles)
    {
        var gossip = state.LatestGossip;
        if (gossip.Tombstones.ContainsKey(joining))
        {
            return new TransitionResult(state, false);
        }

        var existing = gossip.Members.FirstOrDefault(m => m.Address.Equals(joining.Address));
        if (existing is not null)
        {
            if (existing.UniqueAddress.Equals(joining) || existing.Status == MemberStatus.Down)
            {
                return new TransitionResult(state, false);
            }

            var terminated = gossip.WithReachability(gossip.Overview.Reachability.Terminated(state.SelfUniqueAddress, existing.UniqueAddress));
            var afterTerminated = UpdateLatestGossip(state, terminated);
            return new TransitionResult(Down(afterTerminated, existing.Address).State, true);
        }

        var updated = gossip.Update([Member.Create(joining, roles)]);
        if (!gossip.HasMember(state.SelfUniqueAddress))
        {
            updated = updated.Update([Member.Create(state.SelfUniqueAddress, selfRoles)]);
        }

        return new TransitionResult(UpdateLatestGossip(state, updated), true);
    }

    /// <summary>Graceful leave: a Joining, WeaklyUp or Up member at <paramref name="address"/> becomes Leaving.</summary>
    public static TransitionResult Leave(MembershipState state, Address address)
    {
        var member = state.Members.FirstOrDefault(m => m.Address.Equals(address) && m.Status is MemberStatus.Joining or MemberStatus.WeaklyUp or MemberStatus.Up);
        if (member is null)
        {
            return new TransitionResult(state, false);
        }

        return new TransitionResult(UpdateLatestGossip(state, state.LatestGossip.Update([member.WithStatus(MemberStatus.Leaving)])), true);
    }

    /// <summary>Marks the member at <paramref name="address"/> Down (idempotent; a Removed or absent member is ignored).</summary>
    public static TransitionResult Down(MembershipState state, Address address)
    {
        var member = state.Members.FirstOrDefault(m => m.Address.Equals(address));
        if (member is null || member.Status is MemberStatus.Down or MemberStatus.Removed)
        {
            return new TransitionResult(state, false);
        }

        return new TransitionResult(UpdateLatestGossip(state, state.LatestGossip.MarkAsDown(member)), true);
    }

    /// <summary>
    /// Akka's <c>reapUnreachableMembers</c>: records, as self's observations, members the failure detector now
    /// considers unavailable (Unreachable) and previously unreachable members that are available again (Reachable).
    /// </summary>
    /// <param name="state">Current state.</param>
    /// <param name="isAvailable">The failure detector verdict for a member's address (true when not monitored).</param>
    public static TransitionResult ReapUnreachable(MembershipState state, Func<Address, bool> isAvailable)
    {
        var self = state.SelfUniqueAddress;
        var reachability = state.Reachability;
        var newlyUnreachable = state.Members.Where(m =>
            !m.UniqueAddress.Equals(self) &&
            reachability.Status(self, m.UniqueAddress) is ReachabilityStatus.Reachable &&
            !isAvailable(m.Address)).ToList();
        var newlyReachable = reachability.AllUnreachableFrom(self).Where(n => !n.Equals(self) && isAvailable(n.Address)).ToList();
        if (newlyUnreachable.Count == 0 && newlyReachable.Count == 0)
        {
            return new TransitionResult(state, false);
        }

        var updated = reachability;
        foreach (var m in newlyUnreachable)
        {
            updated = updated.Unreachable(self, m.UniqueAddress);
        }

        foreach (var n in newlyReachable)
        {
            updated = updated.Reachable(self, n);
        }

        return ReferenceEquals(updated, reachability)
            ? new TransitionResult(state, false)
            : new TransitionResult(UpdateLatestGossip(state, state.LatestGossip.WithReachability(updated)), true);
    }

    /// <summary>Records self's confirmed death of <paramref name="subject"/> (same-host fast path) as Terminated.</summary>
    public static TransitionResult MarkTerminated(MembershipState state, UniqueAddress subject)
    {
        if (!state.LatestGossip.HasMember(subject) || subject.Equals(state.SelfUniqueAddress))
        {
            return new TransitionResult(state, false);
        }

        var updated = state.Reachability.Terminated(state.SelfUniqueAddress, subject);
        return ReferenceEquals(updated, state.Reachability)
            ? new TransitionResult(state, false)
            : new TransitionResult(UpdateLatestGossip(state, state.LatestGossip.WithReachability(updated)), true);
    }

    /// <summary>
    /// Akka's <c>receiveGossip</c> for a gossip from <paramref name="from"/>: ignored when the sender is unknown or
    /// unreachable from self, when we are not in it, or when it tombstones us; otherwise compares versions and keeps, replaces,
    /// unites seen sets or merges (pruning clock entries of members the other side has already removed), and marks
    /// the winner seen by self.
    /// </summary>
    /// <param name="state">Current state.</param>
    /// <param name="remote">The received gossip.</param>
    /// <param name="from">The sender.</param>
    /// <param name="to">The intended receiver from the envelope; a gossip meant for another incarnation of this address is ignored.</param>
    public static (MembershipState State, ReceiveGossipOutcome Outcome) ReceiveGossip(MembershipState state, Gossip remote, UniqueAddress from, UniqueAddress? to = null)
    {
        var self = state.SelfUniqueAddress;
        var local = state.LatestGossip;
        if ((to is not null && !to.Equals(self)) || !local.HasMember(from) || !local.Overview.Reachability.IsReachable(self, from) ||
            !remote.HasMember(self) || remote.Tombstones.ContainsKey(self))
        {
            return (state, ReceiveGossipOutcome.Ignored);
        }

        Gossip winner;
        ReceiveGossipOutcome outcome;
        switch (remote.Version.CompareTo(local.Version))
        {
            case VectorClockOrdering.Same:
                winner = remote.MergeSeen(local);
                outcome = ReceiveGossipOutcome.Same;
                break;
            case VectorClockOrdering.Before:
                winner = local;
                outcome = ReceiveGossipOutcome.Older;
                break;
            case VectorClockOrdering.After:
                winner = remote;
                outcome = ReceiveGossipOutcome.Newer;
                break;
            default:
                var prunedLocal = local.Members
                    .Where(m => MembershipState.RemoveUnreachableWithMemberStatus.Contains(m.Status) && !remote.HasMember(m.UniqueAddress))
                    .Aggregate(local, (g, m) => g.Prune(m.UniqueAddress));
                var prunedRemote = remote.Members
                    .Where(m => MembershipState.RemoveUnreachableWithMemberStatus.Contains(m.Status) && !local.HasMember(m.UniqueAddress))
                    .Aggregate(remote, (g, m) => g.Prune(m.UniqueAddress));
                winner = prunedRemote.Merge(prunedLocal);
                outcome = ReceiveGossipOutcome.Merge;
                break;
        }

        return (state with { LatestGossip = winner.Seen(self) }, outcome);
    }

    /// <summary>
    /// Akka's <c>welcome</c>: a joining node adopts the gossip sent with the Welcome from the node it joined,
    /// if it contains self, and marks it seen.
    /// </summary>
    public static TransitionResult Welcome(MembershipState state, Gossip gossip)
    {
        if (!gossip.HasMember(state.SelfUniqueAddress) || gossip.Tombstones.ContainsKey(state.SelfUniqueAddress))
        {
            return new TransitionResult(state, false);
        }

        return new TransitionResult(state with { LatestGossip = gossip.Seen(state.SelfUniqueAddress) }, true);
    }

    /// <summary>Members that have not seen the current version, for choosing a gossip target (Akka prefers them).</summary>
    public static ImmutableList<UniqueAddress> NotSeenBy(MembershipState state) =>
        state.Members.Select(m => m.UniqueAddress).Where(n => !state.LatestGossip.SeenByNode(n) && state.ValidNodeForGossip(n)).ToImmutableList();
}
