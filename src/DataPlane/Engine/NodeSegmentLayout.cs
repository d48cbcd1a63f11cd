using ActorNet.DataPlane.Abi;
using ActorNet.DataPlane.Frames;
using ActorNet.DataPlane.Segments;

namespace ActorNet.DataPlane.Engine;

/// <summary>
/// The layout of one node's segment on the local network: one receive ring per possible peer (the ring table is
/// fixed at creation, so every peer the node may ever talk to gets its ring up front and "allocation" turns it on
/// and off), this node's broadcast ring, and one multicast ring per configured group. Pure; called once at start-up.
/// </summary>
public static class NodeSegmentLayout
{
    /// <summary>Ethernet header plus one VLAN tag: what a slot holds beyond the IP MTU.</summary>
    public const int FrameOverhead = 18;

    /// <summary>Slot payload for an IP MTU: the frame with its Ethernet header, within the ABI's slot limits.</summary>
    public static int SlotSizeForMtu(int mtu) => Math.Clamp(mtu + FrameOverhead, ShmLayout.MinMtu, ShmLayout.MaxSlotPayloadSize);

    /// <summary>
    /// Builds the layout for <paramref name="localNodeId"/>. <paramref name="peers"/> are the other nodes' ids (the
    /// local id and duplicates are ignored); <paramref name="multicastGroups"/> get one ring each, in order.
    /// </summary>
    public static SegmentLayout Build(ushort localNodeId, IEnumerable<ushort> peers, int ringDepth, int slotSize, IReadOnlyList<MacAddress> multicastGroups)
    {
        ArgumentNullException.ThrowIfNull(peers);
        ArgumentNullException.ThrowIfNull(multicastGroups);
        var layout = new SegmentLayout();
        foreach (var peer in peers.Where(p => p != localNodeId).Distinct().Order())
        {
            layout.AddSpscRing(peer, ringDepth, slotSize);
        }

        layout.AddBroadcastRing(ringDepth, slotSize);
        for (int k = 0; k < multicastGroups.Count; k++)
        {
            layout.AddMulticastRing((ulong)k, ringDepth, slotSize, [multicastGroups[k].Value]);
        }

        return layout;
    }

    /// <summary>Bytes of shared memory the layout needs (for messages when /dev/shm is too small).</summary>
    public static long SizeOf(SegmentLayout layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        long total = ShmLayout.SegmentHeaderSize + (layout.Regions.Count * 32L);
        foreach (var r in layout.Regions)
        {
            total = ((total + 4095) & ~4095L) + SegmentLayout.RegionSize(r);
        }

        return total;
    }
}
