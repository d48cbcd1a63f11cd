using ActorNet.DataPlane.RingAllocation;
using ActorNet.DataPlane.Segments;

namespace ActorNet.Host.Network;

/// <summary>
/// Where the ring-allocation actor learns which peers exist and maps them. Implementations are called only by that
/// actor (one thread at a time).
/// </summary>
public interface IPeerDirectory
{
    /// <summary>The latest observation of every peer that has a segment (absent peers are gone).</summary>
    IReadOnlyList<PeerObservation> Observe();

    /// <summary>Maps the segment of <paramref name="nodeId"/> and checks it is still <paramref name="incarnation"/>; the caller owns the result.</summary>
    /// <exception cref="SegmentFormatException">The segment is missing, invalid, or another incarnation.</exception>
    SharedSegment OpenPeer(ushort nodeId, ulong incarnation);
}

/// <summary>
/// Same-host discovery without the cluster: a peer exists when its segment file
/// <c>&lt;shm-root&gt;/&lt;cluster&gt;/node-&lt;id&gt;</c> validates, and is up while its owner process lives, its state is
/// active and its heartbeat word is fresher than the heartbeat timeout (the liveness rules of docs/abi.md).
/// Immutable; only touches the files of the configured peers.
/// </summary>
public sealed class SegmentDirectory : IPeerDirectory
{
    private readonly string _root;
    private readonly string _cluster;
    private readonly IReadOnlyList<ushort> _peers;
    private readonly TimeSpan _heartbeatTimeout;

    /// <summary>Looks for <paramref name="peers"/> under <paramref name="shmRoot"/>/<paramref name="cluster"/>.</summary>
    public SegmentDirectory(string shmRoot, string cluster, IEnumerable<ushort> peers, TimeSpan heartbeatTimeout)
    {
        ArgumentNullException.ThrowIfNull(peers);
        _root = shmRoot;
        _cluster = cluster;
        _peers = peers.Distinct().Order().ToArray();
        _heartbeatTimeout = heartbeatTimeout;
    }

    /// <inheritdoc/>
    public IReadOnlyList<PeerObservation> Observe()
    {
        var result = new List<PeerObservation>();
        foreach (var id in _peers)
        {
            SharedSegment.Inspection inspection;
            try
            {
                inspection = SharedSegment.Inspect(SharedSegment.PathFor(_root, _cluster, id), _heartbeatTimeout);
            }
            catch (IOException)
            {
                continue; // vanished or unreadable this instant: absent
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }

            if (inspection.Exists && inspection.Valid && inspection.Liveness is { } l && l.NodeId == id)
            {
                result.Add(new PeerObservation(id, l.Incarnation, l.IsAlive));
            }
        }

        return result;
    }

    /// <inheritdoc/>
    public SharedSegment OpenPeer(ushort nodeId, ulong incarnation)
    {
        var segment = SharedSegment.Open(SharedSegment.PathFor(_root, _cluster, nodeId), nodeId);
        if (segment.Incarnation != incarnation)
        {
            var found = segment.Incarnation;
            segment.Dispose();
            throw new SegmentFormatException($"node {nodeId} restarted while being connected (incarnation {found}, expected {incarnation}); retrying at the next scan.");
        }

        return segment;
    }
}
