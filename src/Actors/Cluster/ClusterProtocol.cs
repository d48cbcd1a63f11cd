using System.Collections.Immutable;
using ActorNet.Actors.Cluster.Membership;

namespace ActorNet.Actors.Cluster;

using Address = ActorNet.Actors.Cluster.Membership.Address;

/// <summary>
/// The messages cluster nodes exchange over remoting (Akka's <c>ClusterMessage</c> set: join, gossip, heartbeat).
/// Immutable records; serialized by <see cref="Remoting.Wire.ClusterMessageSerializer"/>.
/// </summary>
public static class ClusterProtocol
{
    /// <summary>Marker of every cluster wire message.</summary>
    public interface IClusterMessage;

    /// <summary>Seed-node probe: "are you a member of cluster <paramref name="ClusterName"/>?" (Akka's <c>InitJoin</c>).</summary>
    /// <param name="ClusterName">The cluster the sender wants to join.</param>
    public sealed record InitJoin(string ClusterName) : IClusterMessage;

    /// <summary>Positive reply to <see cref="InitJoin"/> from a member.</summary>
    /// <param name="Address">The replying member.</param>
    public sealed record InitJoinAck(Address Address) : IClusterMessage;

    /// <summary>Negative reply to <see cref="InitJoin"/> (not a member yet, or another cluster).</summary>
    /// <param name="Address">The replying node.</param>
    public sealed record InitJoinNack(Address Address) : IClusterMessage;

    /// <summary>Request to join, sent to a member.</summary>
    /// <param name="Node">The joining node and incarnation.</param>
    /// <param name="Roles">Its roles.</param>
    public sealed record Join(UniqueAddress Node, ImmutableArray<string> Roles) : IClusterMessage;

    /// <summary>Reply to <see cref="Join"/>: the gossip that now contains the joining node.</summary>
    /// <param name="From">The member that accepted the join.</param>
    /// <param name="Gossip">Its gossip.</param>
    public sealed record Welcome(UniqueAddress From, Gossip Gossip) : IClusterMessage;

    /// <summary>Ask the cluster to let <paramref name="Address"/> leave gracefully.</summary>
    /// <param name="Address">The leaving member.</param>
    public sealed record Leave(Address Address) : IClusterMessage;

    /// <summary>Mark <paramref name="Address"/> Down.</summary>
    /// <param name="Address">The member to down.</param>
    public sealed record Down(Address Address) : IClusterMessage;

    /// <summary>A leaving member confirms it has seen itself Exiting, so the leader may remove it.</summary>
    /// <param name="Node">The exiting member.</param>
    public sealed record ExitingConfirmed(UniqueAddress Node) : IClusterMessage;

    /// <summary>Full gossip from one member to another.</summary>
    /// <param name="From">Sender.</param>
    /// <param name="To">Intended receiver (a receiver with another incarnation ignores it).</param>
    /// <param name="Gossip">The sender's gossip.</param>
    public sealed record GossipEnvelope(UniqueAddress From, UniqueAddress To, Gossip Gossip) : IClusterMessage;

    /// <summary>Gossip version digest; the receiver replies with full gossip if its own is newer or concurrent.</summary>
    /// <param name="From">Sender.</param>
    /// <param name="Version">The sender's gossip version.</param>
    public sealed record GossipStatus(UniqueAddress From, VectorClock Version) : IClusterMessage;

    /// <summary>Failure-detector heartbeat.</summary>
    /// <param name="From">Sender address.</param>
    /// <param name="SequenceNr">Per-sender sequence number.</param>
    /// <param name="CreationTimeNanos">Sender's monotonic clock at sending, echoed for round-trip measurement.</param>
    public sealed record Heartbeat(Address From, long SequenceNr, long CreationTimeNanos) : IClusterMessage;

    /// <summary>Reply to <see cref="Heartbeat"/>; its arrival feeds the sender's failure detector.</summary>
    /// <param name="From">The replying node and incarnation.</param>
    /// <param name="SequenceNr">Echoed sequence number.</param>
    /// <param name="CreationTimeNanos">Echoed creation time.</param>
    public sealed record HeartbeatRsp(UniqueAddress From, long SequenceNr, long CreationTimeNanos) : IClusterMessage;
}
