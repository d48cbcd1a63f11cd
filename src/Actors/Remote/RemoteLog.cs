using Microsoft.Extensions.Logging;

namespace ActorNet.Actors.Remote;

/// <summary>
/// Structured log events of the remoting transport (event ids 3100..3199). Called from the transport's I/O loops
/// (any thread); the per-message paths log only through <see cref="RateLimiter"/> so a flood of bad frames cannot
/// flood the log.
/// </summary>
public static partial class RemoteLog
{
    /// <summary>The transport listens and is ready to accept peers.</summary>
    [LoggerMessage(EventId = 3100, EventName = "RemotingStarted", Level = LogLevel.Information, Message = "Remoting listening on {Node} (incarnation {Incarnation})")]
    public static partial void Started(ILogger logger, string node, long incarnation);

    /// <summary>A handshake failed: wrong secret, other cluster, other protocol version, garbled bytes or timeout.</summary>
    [LoggerMessage(EventId = 3101, EventName = "HandshakeRefused", Level = LogLevel.Warning, Message = "Handshake with {Endpoint} refused ({Direction}): {Reason}")]
    public static partial void HandshakeRefused(ILogger logger, string endpoint, string direction, string reason);

    /// <summary>An authenticated association with a peer incarnation is established.</summary>
    [LoggerMessage(EventId = 3102, EventName = "AssociationEstablished", Level = LogLevel.Information, Message = "Association {Direction} {Peer} established")]
    public static partial void AssociationEstablished(ILogger logger, string direction, string peer);

    /// <summary>A connection to or from a peer ended.</summary>
    [LoggerMessage(EventId = 3103, EventName = "AssociationLost", Level = LogLevel.Information, Message = "Association {Direction} {Peer} lost: {Reason}")]
    public static partial void AssociationLost(ILogger logger, string direction, string peer, string reason);

    /// <summary>A peer incarnation is quarantined: it never associates again.</summary>
    [LoggerMessage(EventId = 3104, EventName = "PeerQuarantined", Level = LogLevel.Warning, Message = "Quarantined {Peer}: {Reason}")]
    public static partial void Quarantined(ILogger logger, string peer, string reason);

    /// <summary>An inbound or outbound message was dropped (garbled, unknown, oversized, no recipient, backlog, fault).</summary>
    [LoggerMessage(EventId = 3105, EventName = "MessageDropped", Level = LogLevel.Warning, Message = "Dropped a message {Direction} {Peer}: {Reason} ({Count} dropped so far)")]
    public static partial void MessageDropped(ILogger logger, string direction, string peer, string reason, long count);

    /// <summary>Connecting to a peer failed; the next attempt follows the backoff.</summary>
    [LoggerMessage(EventId = 3106, EventName = "AssociationFailed", Level = LogLevel.Information, Message = "Connecting to {Peer} failed (attempt {Attempt}), retrying in {DelayMs} ms: {Reason}")]
    public static partial void AssociationFailed(ILogger logger, string peer, int attempt, long delayMs, string reason);

    /// <summary>A fault was applied to the transport by the fault injector.</summary>
    [LoggerMessage(EventId = 3107, EventName = "TransportFaultApplied", Level = LogLevel.Warning, Message = "Transport fault towards {Peer}: {Fault}")]
    public static partial void FaultApplied(ILogger logger, string peer, string fault);
}

/// <summary>
/// Log-flood guard: true for the first <c>burst</c> events and then for every 1000th. Thread-safe (one
/// interlocked increment); used by the transport's per-message drop paths.
/// </summary>
internal sealed class RateLimiter(int burst)
{
    private long _count;

    /// <summary>Total events counted so far.</summary>
    public long Count => Interlocked.Read(ref _count);

    /// <summary>Counts one event; true when it should be logged.</summary>
    public bool Next(out long count)
    {
        count = Interlocked.Increment(ref _count);
        return count <= burst || count % 1000 == 0;
    }
}
