using Microsoft.Extensions.Logging;

namespace ActorNet.Actors.Cluster;

/// <summary>
/// The cluster's structured log events (event ids 3000..3099): one event per membership transition, reachability
/// change, leader change and downing decision, each with the observing node, the peer, the old and new state and
/// the reason. Event names are stable (operators filter on them with <c>actornet logs --event</c>). Called from the
/// cluster actors (their own threads).
/// </summary>
public static partial class ClusterLog
{
    /// <summary>A member changed status in this node's view (Joining, Up, Leaving, Exiting, Down, Removed, ...).</summary>
    [LoggerMessage(EventId = 3000, EventName = "MemberStatusChanged", Level = LogLevel.Information, Message = "Member {Peer} {OldState} -> {NewState} (seen by {Node}; {Reason})")]
    public static partial void MemberStatusChanged(ILogger logger, string node, string peer, string oldState, string newState, string reason);

    /// <summary>A member's reachability changed in this node's view.</summary>
    [LoggerMessage(EventId = 3001, EventName = "ReachabilityChanged", Level = LogLevel.Information, Message = "Member {Peer} {OldState} -> {NewState} (seen by {Node}; {Reason})")]
    public static partial void ReachabilityChanged(ILogger logger, string node, string peer, string oldState, string newState, string reason);

    /// <summary>The leader changed in this node's view.</summary>
    [LoggerMessage(EventId = 3002, EventName = "LeaderChanged", Level = LogLevel.Information, Message = "Leader {OldState} -> {NewState} (seen by {Node}; {Reason})")]
    public static partial void LeaderChanged(ILogger logger, string node, string oldState, string newState, string reason);

    /// <summary>The downing provider (split brain resolver or same-host fast path) decided to down members.</summary>
    [LoggerMessage(EventId = 3003, EventName = "DowningDecision", Level = LogLevel.Warning, Message = "Downing {Peer}: {Decision} (decided by {Node}; {Reason})")]
    public static partial void DowningDecision(ILogger logger, string node, string peer, string decision, string reason);

    /// <summary>The same-host fast path confirmed that a peer process is dead.</summary>
    [LoggerMessage(EventId = 3004, EventName = "PeerConfirmedDead", Level = LogLevel.Warning, Message = "Peer {Peer} confirmed dead on this host (seen by {Node}): {Reason}")]
    public static partial void PeerConfirmedDead(ILogger logger, string node, string peer, string reason);

    /// <summary>Join progress of this node (seed contacted, joined, retry).</summary>
    [LoggerMessage(EventId = 3005, EventName = "JoinProgress", Level = LogLevel.Information, Message = "Join: {Step} (node {Node})")]
    public static partial void JoinProgress(ILogger logger, string node, string step);

    /// <summary>This node left the cluster, was downed or removed: it is no longer a member.</summary>
    [LoggerMessage(EventId = 3006, EventName = "SelfRemoved", Level = LogLevel.Warning, Message = "This node {Node} is no longer a member: {Reason}")]
    public static partial void SelfRemoved(ILogger logger, string node, string reason);

    /// <summary>A fault was injected on this node by the fault injector.</summary>
    [LoggerMessage(EventId = 3007, EventName = "FaultInjected", Level = LogLevel.Warning, Message = "Fault injected on {Node}: {Fault} towards {Peer} (from {Requester})")]
    public static partial void FaultInjected(ILogger logger, string node, string fault, string peer, string requester);

    /// <summary>A cluster message was ignored (wrong cluster, not a member, stale).</summary>
    [LoggerMessage(EventId = 3008, EventName = "ClusterMessageIgnored", Level = LogLevel.Debug, Message = "Ignored {MessageType} from {Peer} on {Node}: {Reason}")]
    public static partial void MessageIgnored(ILogger logger, string node, string messageType, string peer, string reason);
}
