using System.Collections.Immutable;

namespace ActorNet.Actors.Cluster.Membership;

/// <summary>
/// The parameters of the leader's duties, with Akka's meaning (<c>akka.cluster.min-nr-of-members</c>,
/// <c>role.&lt;name&gt;.min-nr-of-members</c>, <c>allow-weakly-up-members</c>, <c>leader-actions-interval</c>,
/// <c>prune-gossip-tombstones-after</c>).
/// </summary>
/// <param name="MinNrOfMembers">Members needed before the leader moves Joining members to Up.</param>
/// <param name="MinNrOfMembersOfRole">Per role, members with that role needed before moving to Up.</param>
/// <param name="WeaklyUpAfter">Time without convergence after which reachable Joining members become WeaklyUp; <see cref="TimeSpan.Zero"/> disables WeaklyUp.</param>
/// <param name="LeaderActionsInterval">Period of the leader-actions tick that calls <see cref="LeaderActions.Run"/>.</param>
/// <param name="PruneGossipTombstonesAfter">How long tombstones of removed members are kept.</param>
public sealed record LeaderActionSettings(
    int MinNrOfMembers,
    ImmutableDictionary<string, int> MinNrOfMembersOfRole,
    TimeSpan WeaklyUpAfter,
    TimeSpan LeaderActionsInterval,
    TimeSpan PruneGossipTombstonesAfter)
{
    /// <summary>Akka's defaults: 1 member, no role minimum, WeaklyUp after 7 s, leader actions every 1 s, tombstones 24 h.</summary>
    public static LeaderActionSettings Default { get; } = new(1, ImmutableDictionary<string, int>.Empty, TimeSpan.FromSeconds(7), TimeSpan.FromSeconds(1), TimeSpan.FromHours(24));
}

/// <summary>What one leader-actions tick did.</summary>
/// <param name="State">The state after the tick (versioned and seen by self when changed).</param>
/// <param name="Changed">Members whose status changed (Joining/WeaklyUp→Up, Leaving→Exiting, Joining→WeaklyUp).</param>
/// <param name="Removed">Members removed from the cluster, with their last status.</param>
/// <param name="ExitingConfirmed">The exiting-confirmed set with the removed nodes taken out.</param>
public sealed record LeaderActionsResult(
    MembershipState State,
    ImmutableList<Member> Changed,
    ImmutableList<Member> Removed,
    ImmutableHashSet<UniqueAddress> ExitingConfirmed)
{
    /// <summary>True when the tick changed the gossip.</summary>
    public bool HasChanges => !Changed.IsEmpty || !Removed.IsEmpty;
}

/// <summary>
/// Akka's leader duties as pure functions: on convergence move Joining/WeaklyUp to Up (once min-nr-of-members is
/// met), Leaving to Exiting, and remove unreachable Down/Exiting members and confirmed Exiting members; without
/// convergence, after weakly-up-after, move reachable Joining members to WeaklyUp. The membership actor calls
/// <see cref="Run"/> on each leader-actions tick when self is leader.
/// </summary>
public static class LeaderActions
{
    /// <summary>
    /// One leader-actions tick. Does nothing unless self is leader. <paramref name="ticksWithoutConvergence"/> counts
    /// consecutive ticks without convergence (the caller resets it on convergence); WeaklyUp is used once
    /// <c>interval × ticks ≥ weakly-up-after</c>.
    /// </summary>
    public static LeaderActionsResult Run(
        MembershipState state,
        LeaderActionSettings settings,
        ImmutableHashSet<UniqueAddress> exitingConfirmed,
        int ticksWithoutConvergence,
        long nowMs)
    {
        if (!state.IsLeader(state.SelfUniqueAddress))
        {
            return new LeaderActionsResult(state, [], [], exitingConfirmed);
        }

        if (state.Convergence(exitingConfirmed))
        {
            return OnConvergence(state, settings, exitingConfirmed, nowMs);
        }

        if (settings.WeaklyUpAfter > TimeSpan.Zero && settings.LeaderActionsInterval * ticksWithoutConvergence >= settings.WeaklyUpAfter)
        {
            return MoveJoiningToWeaklyUp(state, settings, exitingConfirmed);
        }

        return new LeaderActionsResult(state, [], [], exitingConfirmed);
    }

    /// <summary>Akka's <c>isMinNrOfMembersFulfilled</c>.</summary>
    public static bool IsMinNrOfMembersFulfilled(MembershipState state, LeaderActionSettings settings) =>
        state.Members.Count >= settings.MinNrOfMembers &&
        settings.MinNrOfMembersOfRole.All(kv => state.Members.Count(m => m.HasRole(kv.Key)) >= kv.Value);

    /// <summary>Akka's <c>leaderActionsOnConvergence</c>; call only when converged and self is leader.</summary>
    public static LeaderActionsResult OnConvergence(
        MembershipState state, LeaderActionSettings settings, ImmutableHashSet<UniqueAddress> exitingConfirmed, long nowMs)
    {
        var gossip = state.LatestGossip;
        var removedUnreachable = state.Reachability.AllUnreachableOrTerminated
            .Select(gossip.GetMember)
            .Where(m => gossip.HasMember(m.UniqueAddress) && MembershipState.RemoveUnreachableWithMemberStatus.Contains(m.Status))
            .ToList();
        var removedExitingConfirmed = exitingConfirmed
            .Where(n => gossip.TryGetMember(n, out var m) && m.Status == MemberStatus.Exiting)
            .Select(gossip.GetMember)
            .ToList();

        bool enough = IsMinNrOfMembersFulfilled(state, settings);
        var changed = ImmutableList.CreateBuilder<Member>();
        int upNumber = 0;
        foreach (var m in gossip.Members)
        {
            if (m.Status is MemberStatus.Joining or MemberStatus.WeaklyUp && enough)
            {
                if (upNumber == 0)
                {
                    int youngest = state.YoungestMember.UpNumber;
                    upNumber = 1 + (youngest == Member.NotUpNumber ? 0 : youngest);
                }
                else
                {
                    upNumber++;
                }

                changed.Add(m.WithUp(upNumber));
            }
            else if (m.Status == MemberStatus.Leaving)
            {
                changed.Add(m.WithStatus(MemberStatus.Exiting));
            }
        }

        var removed = removedUnreachable.Concat(removedExitingConfirmed).DistinctBy(m => m.UniqueAddress).ToImmutableList();
        var updated = gossip;
        if (removed.Count > 0 || changed.Count > 0)
        {
            updated = gossip.Update(changed).RemoveAll(removed.Select(m => m.UniqueAddress), nowMs);
        }

        var pruned = updated.PruneTombstones(nowMs - (long)settings.PruneGossipTombstonesAfter.TotalMilliseconds);
        var newState = ReferenceEquals(pruned, gossip) ? state : MembershipTransitions.UpdateLatestGossip(state, pruned);
        return new LeaderActionsResult(newState, changed.ToImmutable(), removed, exitingConfirmed.Except(removed.Select(m => m.UniqueAddress)));
    }

    /// <summary>Akka's <c>moveJoiningToWeaklyUp</c>: Joining members reachable (excluding Down observers) become WeaklyUp.</summary>
    public static LeaderActionsResult MoveJoiningToWeaklyUp(
        MembershipState state, LeaderActionSettings settings, ImmutableHashSet<UniqueAddress> exitingConfirmed)
    {
        if (!IsMinNrOfMembersFulfilled(state, settings))
        {
            return new LeaderActionsResult(state, [], [], exitingConfirmed);
        }

        var reachability = state.ReachabilityExcludingDownedObservers;
        var changed = state.Members
            .Where(m => m.Status == MemberStatus.Joining && reachability.IsReachable(m.UniqueAddress))
            .Select(m => m.WithStatus(MemberStatus.WeaklyUp))
            .ToImmutableList();
        if (changed.IsEmpty)
        {
            return new LeaderActionsResult(state, [], [], exitingConfirmed);
        }

        return new LeaderActionsResult(MembershipTransitions.UpdateLatestGossip(state, state.LatestGossip.Update(changed)), changed, [], exitingConfirmed);
    }
}
