using System.Collections.Immutable;
using ActorNet.DataPlane.Engine;
using ActorNet.DataPlane.Forwarding;
using ActorNet.DataPlane.Frames;

namespace ActorNet.DataPlane.RingAllocation;

/// <summary>One peer as the membership source (cluster events or same-host discovery) currently sees it.</summary>
/// <param name="NodeId">The peer's node id.</param>
/// <param name="Incarnation">The incarnation of its segment (changes at every start).</param>
/// <param name="IsUp">True when the peer is Up (cluster) or alive (segment liveness); false when leaving, downed, dead or removed.</param>
public readonly record struct PeerObservation(ushort NodeId, ulong Incarnation, bool IsUp);

/// <summary>Why a ring is released.</summary>
public enum ReleaseReason
{
    /// <summary>The peer is no longer in the view (removed, or its segment vanished).</summary>
    Removed,

    /// <summary>The peer is in the view but not up (downed, dead, unreachable process).</summary>
    Down,

    /// <summary>The peer restarted: the old incarnation's rings go before the new ones come.</summary>
    Restarted,
}

/// <summary>One step of a <see cref="RingAllocationPlan"/>, applied in order by the ring-allocation actor.</summary>
/// <param name="Kind">Connect or release.</param>
/// <param name="PeerNodeId">The peer.</param>
/// <param name="Incarnation">Connect: the incarnation to connect to; release: the one being released.</param>
/// <param name="Reason">Release reason (Connect: <see cref="ReleaseReason.Removed"/>, unused).</param>
public readonly record struct RingStep(RingStepKind Kind, ushort PeerNodeId, ulong Incarnation, ReleaseReason Reason);

/// <summary>Kind of a <see cref="RingStep"/>.</summary>
public enum RingStepKind
{
    /// <summary>Map the peer's segment, connect the transmit ring it allocated for us, open our receive ring for it.</summary>
    Connect,

    /// <summary>Mark the transmit ring down, stop writing, unmap, release our receive ring for the peer.</summary>
    Release,
}

/// <summary>The steps that take a <see cref="RingAllocationState"/> to the next one for a membership view.</summary>
/// <param name="Steps">Releases first, then connects, each ordered by node id.</param>
/// <param name="Next">The state once every step succeeded.</param>
/// <param name="Ignored">Peers seen up for which this segment has no receive ring (not in the configured peer set).</param>
public sealed record RingAllocationPlan(IReadOnlyList<RingStep> Steps, RingAllocationState Next, IReadOnlyList<ushort> Ignored);

/// <summary>
/// Pure, immutable ring-allocation decisions of one node on one network: which peers are connected (and at which
/// incarnation), which were released (their rings stay known as "down", so frames for them are counted as drops
/// instead of being flooded), and the forwarding snapshot that follows. The ring-allocation actor owns one value,
/// asks it for a <see cref="Plan"/> at every membership change, applies the steps to the engine, and records each
/// success with <see cref="WithConnected"/> / <see cref="WithReleased"/> (so a failed connect is retried next time).
/// </summary>
public sealed record RingAllocationState
{
    private RingAllocationState(ushort localNodeId, ImmutableSortedSet<ushort> allocatable, ImmutableSortedDictionary<ushort, ulong> connected, ImmutableSortedSet<ushort> released, long version)
    {
        LocalNodeId = localNodeId;
        Allocatable = allocatable;
        Connected = connected;
        Released = released;
        Version = version;
    }

    /// <summary>This node.</summary>
    public ushort LocalNodeId { get; }

    /// <summary>Peers this node's segment holds a receive ring for.</summary>
    public ImmutableSortedSet<ushort> Allocatable { get; }

    /// <summary>Connected peers and the incarnation connected to.</summary>
    public ImmutableSortedDictionary<ushort, ulong> Connected { get; }

    /// <summary>Peers whose rings were released and are not connected now.</summary>
    public ImmutableSortedSet<ushort> Released { get; }

    /// <summary>Incremented at every change; the forwarding snapshot's version.</summary>
    public long Version { get; }

    /// <summary>The state of a node that has connected nothing yet.</summary>
    public static RingAllocationState Initial(ushort localNodeId, IEnumerable<ushort> allocatablePeers)
    {
        ArgumentNullException.ThrowIfNull(allocatablePeers);
        return new RingAllocationState(
            localNodeId,
            allocatablePeers.Where(p => p != localNodeId).ToImmutableSortedSet(),
            ImmutableSortedDictionary<ushort, ulong>.Empty,
            ImmutableSortedSet<ushort>.Empty,
            0);
    }

    /// <summary>
    /// Decides the steps for <paramref name="view"/> (the latest observation of every peer; a peer absent from it is
    /// gone). Up peers not connected → connect; connected peers absent or not up → release; a connected peer seen up
    /// with another incarnation → release (restarted) then connect. Observations of this node itself are ignored; for
    /// duplicate observations of one peer the last one counts.
    /// </summary>
    public RingAllocationPlan Plan(IEnumerable<PeerObservation> view)
    {
        ArgumentNullException.ThrowIfNull(view);
        var latest = new SortedDictionary<ushort, PeerObservation>();
        foreach (var o in view)
        {
            if (o.NodeId != LocalNodeId)
            {
                latest[o.NodeId] = o;
            }
        }

        var releases = new List<RingStep>();
        var connects = new List<RingStep>();
        var ignored = new List<ushort>();
        var next = this;
        foreach (var (id, incarnation) in Connected)
        {
            if (!latest.TryGetValue(id, out var o))
            {
                releases.Add(new RingStep(RingStepKind.Release, id, incarnation, ReleaseReason.Removed));
            }
            else if (!o.IsUp)
            {
                releases.Add(new RingStep(RingStepKind.Release, id, incarnation, ReleaseReason.Down));
            }
            else if (o.Incarnation != incarnation)
            {
                releases.Add(new RingStep(RingStepKind.Release, id, incarnation, ReleaseReason.Restarted));
            }
        }

        foreach (var step in releases)
        {
            next = next.WithReleased(step.PeerNodeId);
        }

        foreach (var (id, o) in latest)
        {
            if (!o.IsUp || next.Connected.ContainsKey(id))
            {
                continue;
            }

            if (!Allocatable.Contains(id))
            {
                ignored.Add(id);
                continue;
            }

            connects.Add(new RingStep(RingStepKind.Connect, id, o.Incarnation, ReleaseReason.Removed));
            next = next.WithConnected(id, o.Incarnation);
        }

        return new RingAllocationPlan([.. releases, .. connects], next, ignored);
    }

    /// <summary>Records that <paramref name="peer"/> is connected at <paramref name="incarnation"/>.</summary>
    public RingAllocationState WithConnected(ushort peer, ulong incarnation) =>
        new(LocalNodeId, Allocatable, Connected.SetItem(peer, incarnation), Released.Remove(peer), Version + 1);

    /// <summary>Records that <paramref name="peer"/>'s rings were released.</summary>
    public RingAllocationState WithReleased(ushort peer) =>
        new(LocalNodeId, Allocatable, Connected.Remove(peer), Released.Add(peer), Version + 1);

    /// <summary>
    /// The forwarding snapshot for this state: connected peers up (ring index = node id), released peers down, this
    /// node's broadcast ring (<see cref="LocalNetworkEngine.BroadcastRingIndex"/>), and group k served by this node's
    /// multicast ring k with <paramref name="groupMembers"/> (null: every node accepts it; the kernel filters).
    /// </summary>
    public ForwardingSnapshot ToSnapshot(NetworkKind network, IReadOnlyList<MacAddress> groups, Func<MacAddress, IEnumerable<ushort>>? groupMembers = null)
    {
        ArgumentNullException.ThrowIfNull(groups);
        var builder = new ForwardingSnapshotBuilder(network, LocalNodeId).WithVersion(Version).WithBroadcastRing(LocalNetworkEngine.BroadcastRingIndex);
        foreach (var (id, _) in Connected)
        {
            builder.WithNode(id, id, up: true);
        }

        foreach (var id in Released)
        {
            builder.WithNode(id, id, up: false);
        }

        var everyone = Allocatable.Add(LocalNodeId);
        for (int k = 0; k < groups.Count; k++)
        {
            builder.WithGroup(groups[k], LocalNetworkEngine.MulticastRingBase + k, up: true, groupMembers?.Invoke(groups[k]) ?? everyone);
        }

        return builder.Build();
    }
}
