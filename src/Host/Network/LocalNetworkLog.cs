using Microsoft.Extensions.Logging;

namespace ActorNet.Host.Network;

/// <summary>
/// The structured log events of the local network (event ids 5000-5099): one event per control-plane decision, with
/// stable names and the properties an operator needs (node, peer, incarnation, reason). Never called per frame.
/// </summary>
internal static partial class LocalNetworkLog
{
    /// <summary>The node's segment was created.</summary>
    [LoggerMessage(EventId = 5000, EventName = "SegmentCreated", Level = LogLevel.Information, Message = "Segment {Path} created for node {NodeId}, incarnation {Incarnation}, {Bytes} bytes, receive rings for peers {Peers}")]
    public static partial void SegmentCreated(ILogger logger, string path, int nodeId, ulong incarnation, long bytes, string peers);

    /// <summary>The adapter is up.</summary>
    [LoggerMessage(EventId = 5002, EventName = "AdapterUp", Level = LogLevel.Information, Message = "Adapter {Adapter} up: MAC {Mac}, address {Address}, MTU {Mtu}, offloads {Offloads}")]
    public static partial void AdapterUp(ILogger logger, string adapter, string mac, string address, int mtu, bool offloads);

    /// <summary>Rings to a peer were connected.</summary>
    [LoggerMessage(EventId = 5003, EventName = "RingConnected", Level = LogLevel.Information, Message = "Connected rings with node {PeerId} (incarnation {PeerIncarnation}); forwarding snapshot {Version}")]
    public static partial void RingConnected(ILogger logger, int peerId, ulong peerIncarnation, long version);

    /// <summary>Rings to a peer were released.</summary>
    [LoggerMessage(EventId = 5004, EventName = "RingReleased", Level = LogLevel.Warning, Message = "Released rings with node {PeerId} (incarnation {PeerIncarnation}, {Reason}): transmit ring marked down, segment unmapped; forwarding snapshot {Version}")]
    public static partial void RingReleased(ILogger logger, int peerId, ulong peerIncarnation, string reason, long version);

    /// <summary>Connecting to a peer failed; retried at the next scan.</summary>
    [LoggerMessage(EventId = 5005, EventName = "RingConnectFailed", Level = LogLevel.Warning, Message = "Could not connect rings with node {PeerId}: {Reason}")]
    public static partial void RingConnectFailed(ILogger logger, int peerId, string reason);

    /// <summary>A peer is up but this segment has no ring for it.</summary>
    [LoggerMessage(EventId = 5006, EventName = "PeerWithoutRing", Level = LogLevel.Warning, Message = "Node {PeerId} is up but this node's segment has no receive ring for it (not in this node's configuration); ignored")]
    public static partial void PeerWithoutRing(ILogger logger, int peerId);

    /// <summary>The local network stopped.</summary>
    [LoggerMessage(EventId = 5010, EventName = "PollerStarted", Level = LogLevel.Information, Message = "Data-plane poller of node {NodeId} started: notification {Mode}, {Placement}, sleeps on {Sleep}")]
    public static partial void PollerStarted(ILogger logger, int nodeId, string mode, string placement, string sleep);

    [LoggerMessage(EventId = 5007, EventName = "LocalNetworkStopped", Level = LogLevel.Information, Message = "Local network of node {NodeId} stopped")]
    public static partial void Stopped(ILogger logger, int nodeId);
}
