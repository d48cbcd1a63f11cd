namespace ActorNet.Actors.Cluster.Membership;

/// <summary>What to send a chosen gossip peer.</summary>
public enum GossipSendKind
{
    /// <summary>Nothing (no valid peer, or versions are the same).</summary>
    None,

    /// <summary>Only the version digest (<see cref="ClusterProtocol.GossipStatus"/>): the peer has seen our gossip.</summary>
    Status,

    /// <summary>The full gossip (<see cref="ClusterProtocol.GossipEnvelope"/>).</summary>
    Gossip,
}

/// <summary>
/// Akka's <c>GossipTargetSelector</c> (single data center) and the reply rule for a received gossip status. Pure
/// apart from the injected <see cref="Random"/>; the membership actor calls it on each gossip tick on its own thread.
/// </summary>
/// <param name="GossipDifferentViewProbability">Akka's <c>gossip-different-view-probability</c> (default 0.8).</param>
/// <param name="ReduceGossipDifferentViewProbability">Akka's <c>reduce-gossip-different-view-probability</c> (default 400 members).</param>
public sealed record GossipTargetSelector(double GossipDifferentViewProbability, int ReduceGossipDifferentViewProbability)
{
    /// <summary>Akka's defaults.</summary>
    public static GossipTargetSelector Default { get; } = new(0.8, 400);

    /// <summary>
    /// Akka's <c>adjustedGossipDifferentViewProbability</c>: the configured probability up to the reduce threshold,
    /// then linearly down to a tenth of it at three times the threshold.
    /// </summary>
    public double AdjustedGossipDifferentViewProbability(int clusterSize)
    {
        int low = ReduceGossipDifferentViewProbability;
        int high = low * 3;
        if (clusterSize <= low)
        {
            return GossipDifferentViewProbability;
        }

        double minP = GossipDifferentViewProbability / 10;
        if (clusterSize >= high)
        {
            return minP;
        }

        double k = (minP - GossipDifferentViewProbability) / (high - low);
        return GossipDifferentViewProbability + ((clusterSize - low) * k);
    }

    /// <summary>
    /// The candidate peers: with probability <see cref="AdjustedGossipDifferentViewProbability"/>, valid members that
    /// have not seen our version; otherwise (or if there are none) all valid members.
    /// </summary>
    public IReadOnlyList<UniqueAddress> GossipTargets(MembershipState state, Random random)
    {
        var gossip = state.LatestGossip;
        if (random.NextDouble() < AdjustedGossipDifferentViewProbability(gossip.Members.Count))
        {
            var differentView = gossip.Members
                .Where(m => !gossip.SeenByNode(m.UniqueAddress) && state.ValidNodeForGossip(m.UniqueAddress))
                .Select(m => m.UniqueAddress)
                .ToList();
            if (differentView.Count > 0)
            {
                return differentView;
            }
        }

        return gossip.Members.Where(m => state.ValidNodeForGossip(m.UniqueAddress)).Select(m => m.UniqueAddress).ToList();
    }

    /// <summary>One random peer from <see cref="GossipTargets"/>, and whether it needs full gossip or only the status.</summary>
    public (UniqueAddress? Peer, GossipSendKind Kind) SelectTarget(MembershipState state, Random random)
    {
        var targets = GossipTargets(state, random);
        if (targets.Count == 0)
        {
            return (null, GossipSendKind.None);
        }

        var peer = targets[random.Next(targets.Count)];
        return (peer, state.LatestGossip.SeenByNode(peer) ? GossipSendKind.Status : GossipSendKind.Gossip);
    }

    /// <summary>
    /// Akka's <c>receiveGossipStatus</c>: ignore unknown or unreachable senders; same version → nothing; remote newer →
    /// send our status (the peer then sends its gossip); otherwise (ours newer or concurrent) → send full gossip.
    /// </summary>
    public static GossipSendKind ReplyToStatus(MembershipState state, UniqueAddress from, VectorClock remoteVersion)
    {
        var gossip = state.LatestGossip;
        if (!gossip.HasMember(from) || !state.Reachability.IsReachable(state.SelfUniqueAddress, from))
        {
            return GossipSendKind.None;
        }

        return remoteVersion.CompareTo(gossip.Version) switch
        {
            VectorClockOrdering.Same => GossipSendKind.None,
            VectorClockOrdering.After => GossipSendKind.Status,
            _ => GossipSendKind.Gossip,
        };
    }
}
