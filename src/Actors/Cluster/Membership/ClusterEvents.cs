using System.Collections.Immutable;

namespace ActorNet.Actors.Cluster.Membership;

/// <summary>A cluster domain event published to subscribers (Akka's <c>ClusterEvent.ClusterDomainEvent</c>). Immutable.</summary>
public abstract record ClusterDomainEvent;

/// <summary>A change of one member's status (Akka's <c>MemberEvent</c>).</summary>
/// <param name="Member">The member after the change.</param>
public abstract record MemberEvent(Member Member) : ClusterDomainEvent;

/// <summary>A member joined (status Joining).</summary>
/// <param name="Member">The member.</param>
public sealed record MemberJoined(Member Member) : MemberEvent(Member);

/// <summary>A member became WeaklyUp.</summary>
/// <param name="Member">The member.</param>
public sealed record MemberWeaklyUp(Member Member) : MemberEvent(Member);

/// <summary>A member became Up.</summary>
/// <param name="Member">The member.</param>
public sealed record MemberUp(Member Member) : MemberEvent(Member);

/// <summary>A member started leaving (status Leaving).</summary>
/// <param name="Member">The member.</param>
public sealed record MemberLeft(Member Member) : MemberEvent(Member);

/// <summary>A member became Exiting.</summary>
/// <param name="Member">The member.</param>
public sealed record MemberExited(Member Member) : MemberEvent(Member);

/// <summary>A member was marked Down.</summary>
/// <param name="Member">The member.</param>
public sealed record MemberDowned(Member Member) : MemberEvent(Member);

/// <summary>A member was removed; <see cref="MemberEvent.Member"/> has status Removed.</summary>
/// <param name="Member">The member, with status Removed.</param>
/// <param name="PreviousStatus">Its status before removal (Down or Exiting normally).</param>
public sealed record MemberRemoved(Member Member, MemberStatus PreviousStatus) : MemberEvent(Member);

/// <summary>A member became unreachable for at least one observer.</summary>
/// <param name="Member">The member.</param>
public sealed record UnreachableMember(Member Member) : ClusterDomainEvent;

/// <summary>A previously unreachable member is reachable for all observers again.</summary>
/// <param name="Member">The member.</param>
public sealed record ReachableMember(Member Member) : ClusterDomainEvent;

/// <summary>The leader changed (null: no leader).</summary>
/// <param name="Leader">The new leader's address.</param>
public sealed record LeaderChanged(Address? Leader) : ClusterDomainEvent;

/// <summary>The leader among members with <paramref name="Role"/> changed.</summary>
/// <param name="Role">The role.</param>
/// <param name="Leader">The new role leader's address.</param>
public sealed record RoleLeaderChanged(string Role, Address? Leader) : ClusterDomainEvent;

/// <summary>The snapshot a new subscriber receives first (Akka's <c>CurrentClusterState</c>). Immutable.</summary>
/// <param name="Members">Members sorted by address.</param>
/// <param name="Unreachable">Members some observer sees as unreachable (self excluded).</param>
/// <param name="SeenBy">Addresses that have seen the current gossip version.</param>
/// <param name="Leader">Current leader.</param>
/// <param name="RoleLeaders">Leader per role present in the cluster.</param>
public sealed record CurrentClusterState(
    ImmutableSortedSet<Member> Members,
    ImmutableHashSet<Member> Unreachable,
    ImmutableHashSet<Address> SeenBy,
    Address? Leader,
    ImmutableSortedDictionary<string, Address?> RoleLeaders) : ClusterDomainEvent;

/// <summary>
/// Computes the events between two membership states (Akka's <c>ClusterEvent.diff*</c>) and the subscriber snapshot.
/// Pure; the publisher actor calls it after each gossip change and publishes in the returned order:
/// member events (removals first), unreachable, reachable, leader, role leaders.
/// </summary>
public static class ClusterEventDiff
{
    /// <summary>All events from <paramref name="oldState"/> to <paramref name="newState"/>, in publication order.</summary>
    public static ImmutableList<ClusterDomainEvent> Diff(MembershipState oldState, MembershipState newState)
    {
        var events = ImmutableList.CreateBuilder<ClusterDomainEvent>();
        events.AddRange(DiffMemberEvents(oldState.LatestGossip, newState.LatestGossip));
        events.AddRange(DiffUnreachable(oldState, newState));
        events.AddRange(DiffReachable(oldState, newState));
        events.AddRange(DiffLeader(oldState, newState));
        events.AddRange(DiffRoleLeaders(oldState, newState));
        return events.ToImmutable();
    }

    /// <summary>Member status events: removals (as MemberRemoved) first, then new or changed members by their new status.</summary>
    public static ImmutableList<MemberEvent> DiffMemberEvents(Gossip oldGossip, Gossip newGossip)
    {
        var events = ImmutableList.CreateBuilder<MemberEvent>();
        foreach (var removed in oldGossip.Members.Where(m => !newGossip.HasMember(m.UniqueAddress)))
        {
            events.Add(new MemberRemoved(removed.WithStatus(MemberStatus.Removed), removed.Status));
        }

        foreach (var m in newGossip.Members)
        {
            bool isNewOrChanged = !oldGossip.TryGetMember(m.UniqueAddress, out var old) || old.Status != m.Status || old.UpNumber != m.UpNumber;
            if (!isNewOrChanged)
            {
                continue;
            }

            MemberEvent? e = m.Status switch
            {
                MemberStatus.Joining => new MemberJoined(m),
                MemberStatus.WeaklyUp => new MemberWeaklyUp(m),
                MemberStatus.Up => new MemberUp(m),
                MemberStatus.Leaving => new MemberLeft(m),
                MemberStatus.Exiting => new MemberExited(m),
                MemberStatus.Down => new MemberDowned(m),
                _ => null,
            };
            if (e is not null)
            {
                events.Add(e);
            }
        }

        return events.ToImmutable();
    }

    /// <summary>UnreachableMember for members newly unreachable or terminated (self excluded).</summary>
    public static ImmutableList<UnreachableMember> DiffUnreachable(MembershipState oldState, MembershipState newState)
    {
        var old = oldState.Reachability.AllUnreachableOrTerminated;
        return newState.Reachability.AllUnreachableOrTerminated
            .Where(n => !old.Contains(n) && !n.Equals(newState.SelfUniqueAddress) && newState.LatestGossip.HasMember(n))
            .Order(UniqueAddress.Ordering)
            .Select(n => new UnreachableMember(newState.LatestGossip.GetMember(n)))
            .ToImmutableList();
    }

    /// <summary>ReachableMember for previously unreachable members that are now reachable by everyone (self excluded).</summary>
    public static ImmutableList<ReachableMember> DiffReachable(MembershipState oldState, MembershipState newState) =>
        oldState.Reachability.AllUnreachable
            .Where(n => newState.LatestGossip.HasMember(n) && newState.Reachability.IsReachable(n) && !n.Equals(newState.SelfUniqueAddress))
            .Order(UniqueAddress.Ordering)
            .Select(n => new ReachableMember(newState.LatestGossip.GetMember(n)))
            .ToImmutableList();

    /// <summary>LeaderChanged when the leader differs.</summary>
    public static ImmutableList<LeaderChanged> DiffLeader(MembershipState oldState, MembershipState newState)
    {
        var newLeader = newState.Leader;
        return Equals(newLeader, oldState.Leader) ? [] : [new LeaderChanged(newLeader?.Address)];
    }

    /// <summary>RoleLeaderChanged for each role whose leader differs.</summary>
    public static ImmutableList<RoleLeaderChanged> DiffRoleLeaders(MembershipState oldState, MembershipState newState)
    {
        var roles = oldState.Members.Concat(newState.Members).SelectMany(m => m.Roles).Distinct().Order(StringComparer.Ordinal);
        var events = ImmutableList.CreateBuilder<RoleLeaderChanged>();
        foreach (var role in roles)
        {
            var newLeader = newState.RoleLeader(role);
            if (!Equals(newLeader, oldState.RoleLeader(role)))
            {
                events.Add(new RoleLeaderChanged(role, newLeader?.Address));
            }
        }

        return events.ToImmutable();
    }

    /// <summary>The snapshot sent to a new subscriber.</summary>
    public static CurrentClusterState Snapshot(MembershipState state)
    {
        var gossip = state.LatestGossip;
        var unreachable = state.Reachability.AllUnreachableOrTerminated
            .Where(n => !n.Equals(state.SelfUniqueAddress) && gossip.HasMember(n))
            .Select(gossip.GetMember)
            .ToImmutableHashSet();
        var roleLeaders = state.Members.SelectMany(m => m.Roles).Distinct()
            .ToImmutableSortedDictionary(r => r, r => state.RoleLeader(r)?.Address, StringComparer.Ordinal);
        return new CurrentClusterState(gossip.Members, unreachable, gossip.SeenBy, state.Leader?.Address, roleLeaders);
    }
}
