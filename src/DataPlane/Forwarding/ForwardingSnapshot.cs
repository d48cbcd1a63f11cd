using ActorNet.DataPlane.Frames;

namespace ActorNet.DataPlane.Forwarding;

/// <summary>State of a transmit ring as the control plane last published it.</summary>
public enum RingState : byte
{
    /// <summary>No ring is known for this destination.</summary>
    Absent = 0,

    /// <summary>The ring is connected and may be written.</summary>
    Up = 1,

    /// <summary>The ring exists but is marked down (peer left or died): frames to it are dropped and counted.</summary>
    Down = 2,
}

/// <summary>
/// An immutable forwarding table for one network on one node: node id → transmit ring, the broadcast ring, and the
/// multicast groups (group MAC → ring, members). Built by the control plane with <see cref="ForwardingSnapshotBuilder"/>
/// and published to the data plane with <see cref="FrameForwarder.Publish"/>; never mutated after construction, so
/// the data path reads it without locks. Lookups are array indexing or a binary search over a few groups.
/// </summary>
public sealed class ForwardingSnapshot
{
    private readonly int[] _nodeRing;           // index: node id; -1 = none
    private readonly RingState[] _nodeState;    // index: node id
    private readonly ulong[] _groupMacs;        // sorted
    private readonly int[] _groupRing;          // parallel to _groupMacs; -1 = no ring
    private readonly RingState[] _groupState;   // parallel to _groupMacs
    private readonly ushort[][] _groupMembers;  // parallel to _groupMacs; each sorted

    internal ForwardingSnapshot(
        long version, NetworkKind network, ushort localNodeId, int broadcastRing, int[] nodeRing, RingState[] nodeState,
        ulong[] groupMacs, int[] groupRing, RingState[] groupState, ushort[][] groupMembers)
    {
        Version = version;
        Network = network;
        LocalNodeId = localNodeId;
        BroadcastRing = broadcastRing;
        _nodeRing = nodeRing;
        _nodeState = nodeState;
        _groupMacs = groupMacs;
        _groupRing = groupRing;
        _groupState = groupState;
        _groupMembers = groupMembers;
    }

    /// <summary>An empty snapshot: no rings at all (every frame is dropped as "no broadcast ring").</summary>
    public static ForwardingSnapshot Empty(NetworkKind network, ushort localNodeId) => new ForwardingSnapshotBuilder(network, localNodeId).Build();

    /// <summary>Monotonic version chosen by the control plane (for logs and status).</summary>
    public long Version { get; }

    /// <summary>The network whose node MAC prefix is recognised.</summary>
    public NetworkKind Network { get; }

    /// <summary>This node's id; frames addressed to its own MAC are not sent anywhere.</summary>
    public ushort LocalNodeId { get; }

    /// <summary>Index of the broadcast ring, or -1 when none is connected.</summary>
    public int BroadcastRing { get; }

    /// <summary>Number of multicast groups configured.</summary>
    public int GroupCount => _groupMacs.Length;

    /// <summary>The transmit ring of <paramref name="nodeId"/> and its state.</summary>
    public RingState GetNodeRing(ushort nodeId, out int ring)
    {
        if (nodeId < _nodeRing.Length)
        {
            ring = _nodeRing[nodeId];
            return _nodeState[nodeId];
        }

        ring = -1;
        return RingState.Absent;
    }

    /// <summary>The multicast ring serving <paramref name="group"/> and its state (Absent if the group is not configured).</summary>
    public RingState GetGroupRing(MacAddress group, out int ring)
    {
        int i = Array.BinarySearch(_groupMacs, group.Value);
        if (i < 0)
        {
            ring = -1;
            return RingState.Absent;
        }

        ring = _groupRing[i];
        return _groupState[i];
    }

    /// <summary>
    /// Whether frames for <paramref name="group"/> read from a ring should be delivered to this node's adapter: true
    /// when the group is not configured (the kernel's own filter decides) or this node is among its members.
    /// </summary>
    public bool AcceptsGroup(MacAddress group)
    {
        int i = Array.BinarySearch(_groupMacs, group.Value);
        return i < 0 || Array.BinarySearch(_groupMembers[i], LocalNodeId) >= 0;
    }

    /// <summary>Whether <paramref name="nodeId"/> joined <paramref name="group"/> in this snapshot.</summary>
    public bool IsMember(MacAddress group, ushort nodeId)
    {
        int i = Array.BinarySearch(_groupMacs, group.Value);
        return i >= 0 && Array.BinarySearch(_groupMembers[i], nodeId) >= 0;
    }
}

/// <summary>
/// Builds a <see cref="ForwardingSnapshot"/>. Used by the control plane (one thread); validates its input and
/// fails with a message naming what is wrong.
/// </summary>
public sealed class ForwardingSnapshotBuilder
{
    private readonly NetworkKind _network;
    private readonly ushort _localNodeId;
    private readonly Dictionary<ushort, (int Ring, RingState State)> _nodes = new();
    private readonly Dictionary<ulong, (int Ring, RingState State, SortedSet<ushort> Members)> _groups = new();
    private int _broadcastRing = -1;
    private long _version;

    /// <summary>Starts an empty table for node <paramref name="localNodeId"/> on <paramref name="network"/>.</summary>
    public ForwardingSnapshotBuilder(NetworkKind network, ushort localNodeId)
    {
        _network = network;
        _localNodeId = localNodeId;
    }

    /// <summary>Sets the version recorded in the snapshot.</summary>
    public ForwardingSnapshotBuilder WithVersion(long version)
    {
        _version = version;
        return this;
    }

    /// <summary>Sets the broadcast ring index (-1 for none).</summary>
    public ForwardingSnapshotBuilder WithBroadcastRing(int ring)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(ring, -1);
        _broadcastRing = ring;
        return this;
    }

    /// <summary>Sets the transmit ring to <paramref name="nodeId"/> (1..65534) and whether it is up.</summary>
    public ForwardingSnapshotBuilder WithNode(ushort nodeId, int ring, bool up = true)
    {
        if (nodeId is < MacAddress.MinNodeId or > MacAddress.MaxNodeId)
        {
            throw new ArgumentOutOfRangeException(nameof(nodeId), nodeId, $"Node ids are {MacAddress.MinNodeId}..{MacAddress.MaxNodeId}.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(ring);
        _nodes[nodeId] = (ring, up ? RingState.Up : RingState.Down);
        return this;
    }

    /// <summary>
    /// Configures multicast group <paramref name="group"/> (a multicast MAC) served by ring <paramref name="ring"/>
    /// (-1: no ring, the group floods on the broadcast ring) with the given members.
    /// </summary>
    public ForwardingSnapshotBuilder WithGroup(MacAddress group, int ring, bool up, IEnumerable<ushort> members)
    {
        if (!group.IsMulticast)
        {
            throw new ArgumentException($"{group} is not a multicast MAC address (the I/G bit must be set, and it must not be broadcast).", nameof(group));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(ring, -1);
        _groups[group.Value] = (ring, ring < 0 ? RingState.Absent : up ? RingState.Up : RingState.Down, new SortedSet<ushort>(members));
        return this;
    }

    /// <summary>Creates the immutable snapshot; the builder may be reused afterwards.</summary>
    public ForwardingSnapshot Build()
    {
        int size = _nodes.Count == 0 ? 0 : _nodes.Keys.Max() + 1;
        var nodeRing = new int[size];
        var nodeState = new RingState[size];
        Array.Fill(nodeRing, -1);
        foreach (var (id, (ring, state)) in _nodes)
        {
            nodeRing[id] = ring;
            nodeState[id] = state;
        }

        var macs = _groups.Keys.Order().ToArray();
        var rings = new int[macs.Length];
        var states = new RingState[macs.Length];
        var members = new ushort[macs.Length][];
        for (int i = 0; i < macs.Length; i++)
        {
            var g = _groups[macs[i]];
            rings[i] = g.Ring;
            states[i] = g.State;
            members[i] = g.Members.ToArray();
        }

        return new ForwardingSnapshot(_version, _network, _localNodeId, _broadcastRing, nodeRing, nodeState, macs, rings, states, members);
    }
}
