using ActorNet.DataPlane.Frames;

namespace ActorNet.DataPlane.Forwarding;

/// <summary>What to do with a frame read from the local adapter.</summary>
public enum ForwardingAction : byte
{
    /// <summary>Drop it; <see cref="ForwardingDecision.Reason"/> says why.</summary>
    Drop = 0,

    /// <summary>Write it to one node's transmit ring.</summary>
    Unicast,

    /// <summary>Write it to a multicast ring.</summary>
    Multicast,

    /// <summary>Write it to the broadcast ring (broadcast, unknown unicast, or multicast without its own ring).</summary>
    Broadcast,
}

/// <summary>Why a frame was dropped.</summary>
public enum DropReason : byte
{
    /// <summary>Not dropped.</summary>
    None = 0,

    /// <summary>Shorter than a MAC header.</summary>
    Runt,

    /// <summary>The source carries the control bit or is a group address: not a legitimate frame from an adapter.</summary>
    BadSource,

    /// <summary>Addressed to this node's own MAC.</summary>
    ToSelf,

    /// <summary>The destination node's (or group's) ring is marked down.</summary>
    RingDown,

    /// <summary>The frame must go on the broadcast ring but none is connected.</summary>
    NoBroadcastRing,
}

/// <summary>The per-frame forwarding result: an 8-byte value, no allocation.</summary>
public readonly record struct ForwardingDecision(ForwardingAction Action, int Ring, ushort NodeId, DropReason Reason)
{
    /// <summary>A drop for <paramref name="reason"/>.</summary>
    public static ForwardingDecision Dropped(DropReason reason) => new(ForwardingAction.Drop, -1, 0, reason);
}

/// <summary>
/// Per-cause counters of a <see cref="FrameForwarder"/>. Each counter is written by one thread (the transmit poller
/// for decisions, the receive thread for learning) and read by anyone through the properties.
/// </summary>
public sealed class ForwardingCounters
{
    internal long _unicast;            // written by the transmit poller
    internal long _unicastLearnt;      // written by the transmit poller
    internal long _broadcast;          // written by the transmit poller
    internal long _multicastRing;      // written by the transmit poller
    internal long _multicastFlooded;   // written by the transmit poller
    internal long _unknownFlooded;     // written by the transmit poller
    internal long _dropRunt;           // written by the transmit poller
    internal long _dropBadSource;      // written by the transmit poller
    internal long _dropToSelf;         // written by the transmit poller
    internal long _dropRingDown;       // written by the transmit poller
    internal long _dropNoBroadcast;    // written by the transmit poller
    internal long _learnt;             // written by the receive thread

    /// <summary>Frames sent to a node's ring because the destination was that node's MAC.</summary>
    public long Unicast => Volatile.Read(ref _unicast);

    /// <summary>Frames sent to a node's ring because the learning table knew the destination.</summary>
    public long UnicastLearnt => Volatile.Read(ref _unicastLearnt);

    /// <summary>Frames addressed to ff:ff:ff:ff:ff:ff.</summary>
    public long Broadcast => Volatile.Read(ref _broadcast);

    /// <summary>Multicast frames sent to their group's ring.</summary>
    public long MulticastRing => Volatile.Read(ref _multicastRing);

    /// <summary>Multicast frames sent to the broadcast ring (group not configured, or without a ring).</summary>
    public long MulticastFlooded => Volatile.Read(ref _multicastFlooded);

    /// <summary>Unicast frames to an unknown destination flooded on the broadcast ring.</summary>
    public long UnknownUnicastFlooded => Volatile.Read(ref _unknownFlooded);

    /// <summary>Dropped: shorter than a MAC header.</summary>
    public long DroppedRunt => Volatile.Read(ref _dropRunt);

    /// <summary>Dropped: source with the control bit or a group address.</summary>
    public long DroppedBadSource => Volatile.Read(ref _dropBadSource);

    /// <summary>Dropped: addressed to this node itself.</summary>
    public long DroppedToSelf => Volatile.Read(ref _dropToSelf);

    /// <summary>Dropped: destination ring marked down.</summary>
    public long DroppedRingDown => Volatile.Read(ref _dropRingDown);

    /// <summary>Dropped: needed the broadcast ring but none was connected.</summary>
    public long DroppedNoBroadcastRing => Volatile.Read(ref _dropNoBroadcast);

    /// <summary>Learning-table updates made from received frames.</summary>
    public long Learnt => Volatile.Read(ref _learnt);
}

/// <summary>
/// The forwarding decision of one node on one network: destination MAC → ring, per the local-network issue:
/// ff:ff:ff:ff:ff:ff → broadcast ring; multicast → its group's ring when configured and up, else the broadcast ring;
/// a node MAC → that node's ring (counted drop when the ring is down); any other unicast → the node the learning
/// table knows, else flooded on the broadcast ring.
/// </summary>
/// <remarks>
/// Threading: the control plane calls <see cref="Publish"/> from any thread (a reference swap with a full fence);
/// the transmit poller calls <see cref="Decide"/> (one thread); the receive thread calls <see cref="Learn"/> (one
/// thread). <see cref="Decide"/> and <see cref="Learn"/> never allocate, lock or wait.
/// </remarks>
public sealed class FrameForwarder
{
    private readonly LearningTable _learning;
    private ForwardingSnapshot _snapshot;   // replaced by the control plane, read by the pollers

    /// <summary>Creates a forwarder with an initial snapshot and a learning table.</summary>
    public FrameForwarder(ForwardingSnapshot initial, LearningTable learning)
    {
        ArgumentNullException.ThrowIfNull(initial);
        ArgumentNullException.ThrowIfNull(learning);
        _snapshot = initial;
        _learning = learning;
    }

    /// <summary>The counters by cause.</summary>
    public ForwardingCounters Counters { get; } = new();

    /// <summary>The learning table (for status and tests).</summary>
    public LearningTable Learning => _learning;

    /// <summary>The snapshot currently in force.</summary>
    public ForwardingSnapshot Current => Volatile.Read(ref _snapshot);

    /// <summary>Atomically replaces the snapshot; frames decided after this returns use the new one. Returns the old one.</summary>
    public ForwardingSnapshot Publish(ForwardingSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return Interlocked.Exchange(ref _snapshot, snapshot);
    }

    /// <summary>
    /// Decides where a frame read from the local adapter goes. <paramref name="now"/> is the caller's clock in the
    /// learning table's units. Transmit-poller thread only.
    /// </summary>
    public ForwardingDecision Decide(ReadOnlySpan<byte> frame, long now)
    {
        if (frame.Length < ShmMacHeader.Size)
        {
            Counters._dropRunt++;
            return ForwardingDecision.Dropped(DropReason.Runt);
        }

        if ((frame[ShmMacHeader.SourceOffset] & ShmMacHeader.ControlBitMask) != 0)
        {
            Counters._dropBadSource++;
            return ForwardingDecision.Dropped(DropReason.BadSource);
        }

        var snapshot = Volatile.Read(ref _snapshot);
        var destination = MacAddress.Read(frame);
        if (destination.IsBroadcast)
        {
            Counters._broadcast++;
            return ToBroadcast(snapshot);
        }

        if (destination.IsGroup)
        {
            var state = snapshot.GetGroupRing(destination, out int ring);
            if (state == RingState.Up)
            {
                Counters._multicastRing++;
                return new ForwardingDecision(ForwardingAction.Multicast, ring, 0, DropReason.None);
            }

            Counters._multicastFlooded++;
            return ToBroadcast(snapshot);
        }

        bool learnt = false;
        if (!destination.TryGetNodeId(snapshot.Network, out ushort node))
        {
            if (!_learning.TryLookup(destination, now, out node))
            {
                Counters._unknownFlooded++;
                return ToBroadcast(snapshot);
            }

            learnt = true;
        }

        if (node == snapshot.LocalNodeId)
        {
            Counters._dropToSelf++;
            return ForwardingDecision.Dropped(DropReason.ToSelf);
        }

        switch (snapshot.GetNodeRing(node, out int nodeRing))
        {
            case RingState.Up:
                if (learnt)
                {
                    Counters._unicastLearnt++;
                }
                else
                {
                    Counters._unicast++;
                }

                return new ForwardingDecision(ForwardingAction.Unicast, nodeRing, node, DropReason.None);
            case RingState.Down:
                Counters._dropRingDown++;
                return ForwardingDecision.Dropped(DropReason.RingDown);
            default:
                Counters._unknownFlooded++;
                return ToBroadcast(snapshot);
        }
    }

    /// <summary>
    /// Learns the source of a frame received from node <paramref name="fromNode"/> (any ring), as the seed's
    /// "place the address in the hash table for lookup the next time a send is required". Node MACs of this network
    /// are not stored (they map to their node by construction). Receive thread only.
    /// </summary>
    public void Learn(ReadOnlySpan<byte> frame, ushort fromNode, long now)
    {
        if (!ShmMacHeader.TryGetSource(frame, out var source))
        {
            return;
        }

        var snapshot = Volatile.Read(ref _snapshot);
        if (source.TryGetNodeId(snapshot.Network, out _) || fromNode == snapshot.LocalNodeId)
        {
            return;
        }

        if (_learning.Learn(source, fromNode, now))
        {
            Counters._learnt++;
        }
    }

    private ForwardingDecision ToBroadcast(ForwardingSnapshot snapshot)
    {
        if (snapshot.BroadcastRing < 0)
        {
            Counters._dropNoBroadcast++;
            return ForwardingDecision.Dropped(DropReason.NoBroadcastRing);
        }

        return new ForwardingDecision(ForwardingAction.Broadcast, snapshot.BroadcastRing, 0, DropReason.None);
    }
}
