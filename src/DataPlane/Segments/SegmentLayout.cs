using ActorNet.DataPlane.Abi;

namespace ActorNet.DataPlane.Segments;

/// <summary>One region the owner asks for when creating its segment.</summary>
/// <param name="Kind">What the region is.</param>
/// <param name="PeerNodeId">The node at the other end (the sender of an SPSC/descriptor ring, the receiver a pool/return ring serves); 0 for broadcast/multicast.</param>
/// <param name="Count">Slot count (rings, a power of two) or buffer count (pool).</param>
/// <param name="ElementSize">Slot payload size (rings) or buffer size (pool).</param>
/// <param name="Tag">Multicast ring index, otherwise 0.</param>
/// <param name="Groups">Multicast group MAC addresses (low 48 bits), at most <see cref="ShmLayout.MaxMulticastGroups"/>.</param>
public sealed record RegionSpec(RegionKind Kind, ushort PeerNodeId, int Count, int ElementSize, ulong Tag = 0, IReadOnlyList<ulong>? Groups = null);

/// <summary>
/// The list of rings and pools a node places in its own segment, built by the control plane (or a test) before
/// <see cref="SharedSegment.Create"/>. Validates geometry eagerly so a bad configuration fails with the key at fault.
/// Not thread-safe; used once.
/// </summary>
public sealed class SegmentLayout
{
    private readonly List<RegionSpec> _regions = [];

    /// <summary>The regions in table order.</summary>
    public IReadOnlyList<RegionSpec> Regions => _regions;

    /// <summary>Adds the receive ring that <paramref name="senderNodeId"/> writes into; <paramref name="mtu"/> is the slot payload: the network MTU plus the link header the frames carry.</summary>
    public SegmentLayout AddSpscRing(ushort senderNodeId, int slotCount, int mtu)
    {
        CheckMtu(mtu);
        CheckSlots(slotCount);
        _regions.Add(new RegionSpec(RegionKind.Spsc, senderNodeId, slotCount, mtu));
        return this;
    }

    /// <summary>Adds the broadcast ring (this node is its current owner).</summary>
    public SegmentLayout AddBroadcastRing(int slotCount, int mtu)
    {
        CheckMtu(mtu);
        CheckSlots(slotCount);
        _regions.Add(new RegionSpec(RegionKind.Broadcast, 0, slotCount, mtu));
        return this;
    }

    /// <summary>Adds multicast ring number <paramref name="index"/> labelled with its group MAC addresses.</summary>
    public SegmentLayout AddMulticastRing(ulong index, int slotCount, int mtu, IReadOnlyList<ulong> groups)
    {
        CheckMtu(mtu);
        CheckSlots(slotCount);
        if (groups.Count is 0 or > ShmLayout.MaxMulticastGroups)
        {
            throw new ArgumentException($"a multicast ring carries 1..{ShmLayout.MaxMulticastGroups} group addresses, got {groups.Count}", nameof(groups));
        }

        _regions.Add(new RegionSpec(RegionKind.Multicast, 0, slotCount, mtu, index, groups.ToArray()));
        return this;
    }

    /// <summary>Adds the zero-copy regions of one direction: in this (sender's) segment a pool lent to
    /// <paramref name="receiverNodeId"/> and the return ring it gives buffers back on.</summary>
    public SegmentLayout AddZeroCopySenderRegions(ushort receiverNodeId, int bufferCount, int bufferSize)
    {
        if (bufferCount < 1 || bufferCount > ShmLayout.MaxPoolBuffers)
        {
            throw new ArgumentOutOfRangeException(nameof(bufferCount), bufferCount, $"pool buffer count must be 1..{ShmLayout.MaxPoolBuffers}");
        }

        if (bufferSize < 64 || bufferSize > ShmLayout.MaxMtu)
        {
            throw new ArgumentOutOfRangeException(nameof(bufferSize), bufferSize, $"pool buffer size must be 64..{ShmLayout.MaxMtu}");
        }

        _regions.Add(new RegionSpec(RegionKind.BufferPool, receiverNodeId, bufferCount, bufferSize));
        _regions.Add(new RegionSpec(RegionKind.Return, receiverNodeId, (int)Math.Max(2, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)bufferCount)), ShmLayout.DescriptorSize));
        return this;
    }

    /// <summary>Adds, in this (receiver's) segment, the descriptor ring <paramref name="senderNodeId"/> writes into.</summary>
    public SegmentLayout AddZeroCopyReceiverRegions(ushort senderNodeId, int slotCount)
    {
        CheckSlots(slotCount);
        _regions.Add(new RegionSpec(RegionKind.Descriptor, senderNodeId, slotCount, ShmLayout.DescriptorSize));
        return this;
    }

    internal static long RegionSize(RegionSpec spec) => spec.Kind == RegionKind.BufferPool
        ? ShmLayout.PoolHeaderSize + ((long)spec.Count * ShmLayout.BufferStride(spec.ElementSize))
        : ShmLayout.RingControlBlockSize + ((long)spec.Count * ShmLayout.SlotStride(spec.ElementSize));

    private static void CheckMtu(int mtu)
    {
        if (mtu < ShmLayout.MinMtu || mtu > ShmLayout.MaxSlotPayloadSize)
        {
            throw new ArgumentOutOfRangeException(nameof(mtu), mtu, $"the slot payload (the network MTU, plus its link header) must be {ShmLayout.MinMtu}..{ShmLayout.MaxSlotPayloadSize} bytes");
        }
    }

    private static void CheckSlots(int slotCount)
    {
        if (slotCount < ShmLayout.MinSlotCount || slotCount > ShmLayout.MaxSlotCount || (slotCount & (slotCount - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(slotCount), slotCount, $"slot count must be a power of two in {ShmLayout.MinSlotCount}..{ShmLayout.MaxSlotCount}");
        }
    }
}
