namespace ActorNet.Actors.Cluster.Membership;

/// <summary>Akka's member life-cycle states, in the order a healthy member passes through them.</summary>
public enum MemberStatus
{
    /// <summary>Has asked to join; not yet moved to Up by the leader.</summary>
    Joining = 0,

    /// <summary>Joined while the cluster had no convergence (an unreachable member); usable but not counted for convergence.</summary>
    WeaklyUp = 1,

    /// <summary>Full member.</summary>
    Up = 2,

    /// <summary>Asked to leave gracefully; the leader moves it to Exiting on convergence.</summary>
    Leaving = 3,

    /// <summary>Leaving and handed off; removed when confirmed or unreachable.</summary>
    Exiting = 4,

    /// <summary>Marked down (crashed or on the losing side of a partition); removed once unreachable.</summary>
    Down = 5,

    /// <summary>Gone from the cluster; terminal (a tombstone keeps it from coming back).</summary>
    Removed = 6,
}

/// <summary>Akka's allowed member status transitions (<c>MemberStatus.allowedTransitions</c>). Pure, thread-safe.</summary>
public static class MemberStatusTransitions
{
    /// <summary>Whether a member may move from <paramref name="from"/> to <paramref name="to"/>; staying put is always allowed.</summary>
    public static bool IsAllowed(MemberStatus from, MemberStatus to)
    {
        if (from == to)
        {
            return true;
        }

        return from switch
        {
            MemberStatus.Joining => to is MemberStatus.WeaklyUp or MemberStatus.Up or MemberStatus.Leaving or MemberStatus.Down or MemberStatus.Removed,
            MemberStatus.WeaklyUp => to is MemberStatus.Up or MemberStatus.Leaving or MemberStatus.Down or MemberStatus.Removed,
            MemberStatus.Up => to is MemberStatus.Leaving or MemberStatus.Down or MemberStatus.Removed,
            MemberStatus.Leaving => to is MemberStatus.Exiting or MemberStatus.Down or MemberStatus.Removed,
            MemberStatus.Exiting => to is MemberStatus.Removed or MemberStatus.Down,
            MemberStatus.Down => to is MemberStatus.Removed,
            _ => false,
        };
    }
}
