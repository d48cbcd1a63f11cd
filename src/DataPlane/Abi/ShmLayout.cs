namespace ActorNet.DataPlane.Abi;

/// <summary>
/// The one source of truth for the shared-memory ABI: sizes, offsets, limits and magic numbers of every
/// structure placed in a segment (see docs/abi.md). Any change to a layout here must bump both
/// <see cref="AbiVersion"/> and <see cref="SegmentMagic"/>, so an old reader refuses a new segment by its
/// first eight bytes. Read by every process that creates or maps a segment; never written at run time.
/// </summary>
public static class ShmLayout
{
    /// <summary>Segment magic, ASCII "ANSHM003" little-endian; bumped together with <see cref="AbiVersion"/>.</summary>
    public const ulong SegmentMagic = 0x3330304D48534E41UL;

    /// <summary>Version of this layout; bumped together with <see cref="SegmentMagic"/>.</summary>
    public const uint AbiVersion = 3;

    /// <summary>Cache-line size assumed for separating fields written by different processes.</summary>
    public const int CacheLineSize = 64;

    /// <summary>Alignment of every region (ring, pool) inside a segment.</summary>
    public const int RegionAlignment = 4096;

    /// <summary>Size of <c>SegmentHeader</c> at offset 0 of every segment.</summary>
    public const int SegmentHeaderSize = 256;

    /// <summary>Offset of the ring table (right after the header).</summary>
    public const int RingTableOffset = SegmentHeaderSize;

    /// <summary>Size of one <c>RingTableEntry</c>.</summary>
    public const int RingTableEntrySize = 32;

    /// <summary>Most ring table entries a segment may declare (a reader refuses more).</summary>
    public const int MaxRingTableEntries = 4096;

    /// <summary>Size of <c>RingControlBlock</c>, the first bytes of every ring region.</summary>
    public const int RingControlBlockSize = 256;

    /// <summary>Size of <c>SlotHeader</c>, which precedes every slot payload.</summary>
    public const int SlotHeaderSize = 16;

    /// <summary>Size of <c>PoolHeader</c>, the first bytes of a zero-copy buffer pool region.</summary>
    public const int PoolHeaderSize = 256;

    /// <summary>Size of <c>BufferHeader</c>, which precedes every pool buffer's data.</summary>
    public const int BufferHeaderSize = 32;

    /// <summary>Size of <c>Descriptor</c>, the payload of descriptor-ring and return-ring slots.</summary>
    public const int DescriptorSize = 32;

    /// <summary>Smallest frame slot payload (the network MTU) a frame ring accepts.</summary>
    public const int MinMtu = 1490;

    /// <summary>Largest frame slot payload (the network MTU) a frame ring accepts.</summary>
    public const int MaxMtu = 65536;

    /// <summary>
    /// Largest slot payload of a frame ring: the largest MTU plus room for the link header that precedes the IP
    /// packet in a slot (14-byte shared-memory MAC header, optional virtio-net header), rounded to 64 bytes.
    /// </summary>
    public const int MaxSlotPayloadSize = MaxMtu + 64;

    /// <summary>Smallest slot count of any ring (a power of two).</summary>
    public const int MinSlotCount = 2;

    /// <summary>Largest slot count of any ring (a power of two).</summary>
    public const int MaxSlotCount = 1 << 20;

    /// <summary>Largest number of buffers a zero-copy chain may have; a longer chain is rejected as corrupt.</summary>
    public const int MaxChainLength = 64;

    /// <summary>Largest number of buffers in one zero-copy pool.</summary>
    public const int MaxPoolBuffers = 1 << 20;

    /// <summary>Largest number of group addresses a multicast ring carries.</summary>
    public const int MaxMulticastGroups = 4;

    /// <summary>Largest segment a reader agrees to map (64 GiB); a bigger size field is treated as corrupt.</summary>
    public const long MaxSegmentSize = 64L << 30;

    // SegmentHeader field offsets.
    /// <summary>SegmentHeader.Magic (u64).</summary>
    public const int SegMagicOffset = 0;
    /// <summary>SegmentHeader.AbiVersion (u32).</summary>
    public const int SegAbiVersionOffset = 8;
    /// <summary>SegmentHeader.HeaderSize (u32).</summary>
    public const int SegHeaderSizeOffset = 12;
    /// <summary>SegmentHeader.SegmentSize (u64).</summary>
    public const int SegSegmentSizeOffset = 16;
    /// <summary>SegmentHeader.Incarnation (u64).</summary>
    public const int SegIncarnationOffset = 24;
    /// <summary>SegmentHeader.NodeId (u16).</summary>
    public const int SegNodeIdOffset = 32;
    /// <summary>SegmentHeader.OwnerPid (i32).</summary>
    public const int SegOwnerPidOffset = 36;
    /// <summary>SegmentHeader.State (u32).</summary>
    public const int SegStateOffset = 40;
    /// <summary>SegmentHeader.RingTableCount (u32).</summary>
    public const int SegRingTableCountOffset = 44;
    /// <summary>SegmentHeader.RingTableOffset (u64).</summary>
    public const int SegRingTableOffsetOffset = 48;
    /// <summary>SegmentHeader.Heartbeat (u64, own cache line).</summary>
    public const int SegHeartbeatOffset = 64;
    /// <summary>SegmentHeader.Doorbell (i32 futex word, own cache line): bumped by any sender that woke the owner's receive poller.</summary>
    public const int SegDoorbellOffset = 128;
    /// <summary>SegmentHeader.ReceiverSleeping (i32): 1 while the owner's poller is (about to be) asleep on the doorbell futex, 2 while in poll(2) on its descriptor bell (version 3).</summary>
    public const int SegReceiverSleepingOffset = 132;

    // RingTableEntry field offsets.
    /// <summary>RingTableEntry.Kind (u32).</summary>
    public const int EntryKindOffset = 0;
    /// <summary>RingTableEntry.PeerNodeId (u16).</summary>
    public const int EntryPeerNodeIdOffset = 4;
    /// <summary>RingTableEntry.Offset (u64).</summary>
    public const int EntryOffsetOffset = 8;
    /// <summary>RingTableEntry.Size (u64).</summary>
    public const int EntrySizeOffset = 16;
    /// <summary>RingTableEntry.Tag (u64): multicast ring index, otherwise zero.</summary>
    public const int EntryTagOffset = 24;

    // RingControlBlock field offsets.
    /// <summary>RingControlBlock.Kind (u32).</summary>
    public const int RcbKindOffset = 0;
    /// <summary>RingControlBlock.SlotCount (u32).</summary>
    public const int RcbSlotCountOffset = 4;
    /// <summary>RingControlBlock.SlotPayloadSize (u32).</summary>
    public const int RcbSlotPayloadSizeOffset = 8;
    /// <summary>RingControlBlock.SlotStride (u32).</summary>
    public const int RcbSlotStrideOffset = 12;
    /// <summary>RingControlBlock.SenderNodeId (u16).</summary>
    public const int RcbSenderNodeIdOffset = 16;
    /// <summary>RingControlBlock.ReceiverNodeId (u16).</summary>
    public const int RcbReceiverNodeIdOffset = 18;
    /// <summary>RingControlBlock.Flags (u32): bit 0 down.</summary>
    public const int RcbFlagsOffset = 20;
    /// <summary>RingControlBlock.Epoch (u64).</summary>
    public const int RcbEpochOffset = 24;
    /// <summary>RingControlBlock.SlotsOffset (u32).</summary>
    public const int RcbSlotsOffsetOffset = 32;
    /// <summary>RingControlBlock.LeaseMilliseconds (u32, broadcast/multicast).</summary>
    public const int RcbLeaseMillisecondsOffset = 36;
    /// <summary>RingControlBlock.WriteIndex (u64, cache line 1).</summary>
    public const int RcbWriteIndexOffset = 64;
    /// <summary>RingControlBlock.ClaimWord (u64, broadcast/multicast, cache line 1).</summary>
    public const int RcbClaimWordOffset = 72;
    /// <summary>RingControlBlock.TakeoverCount (u64, broadcast/multicast, cache line 1).</summary>
    public const int RcbTakeoverCountOffset = 80;
    /// <summary>RingControlBlock.ReadIndex (u64, SPSC, cache line 2).</summary>
    public const int RcbReadIndexOffset = 128;
    /// <summary>RingControlBlock.GroupCount (u32, multicast, cache line 2).</summary>
    public const int RcbGroupCountOffset = 136;
    /// <summary>RingControlBlock.Groups (4 x u64 MAC addresses, multicast, cache line 2).</summary>
    public const int RcbGroupsOffset = 144;
    /// <summary>RingControlBlock.NotifyWord (i32 futex word, cache line 3).</summary>
    public const int RcbNotifyWordOffset = 192;

    // SlotHeader field offsets.
    /// <summary>SlotHeader.Length (u32).</summary>
    public const int SlotLengthOffset = 0;
    /// <summary>SlotHeader.Flags (u32).</summary>
    public const int SlotFlagsOffset = 4;
    /// <summary>SlotHeader.Sequence (u64).</summary>
    public const int SlotSequenceOffset = 8;

    // PoolHeader field offsets.
    /// <summary>PoolHeader.BufferCount (u32).</summary>
    public const int PoolBufferCountOffset = 0;
    /// <summary>PoolHeader.BufferSize (u32).</summary>
    public const int PoolBufferSizeOffset = 4;
    /// <summary>PoolHeader.BufferStride (u32).</summary>
    public const int PoolBufferStrideOffset = 8;
    /// <summary>PoolHeader.BuffersOffset (u32).</summary>
    public const int PoolBuffersOffsetOffset = 12;
    /// <summary>PoolHeader.ReceiverNodeId (u16).</summary>
    public const int PoolReceiverNodeIdOffset = 16;

    // BufferHeader field offsets.
    /// <summary>BufferHeader.Length (u32).</summary>
    public const int BufLengthOffset = 0;
    /// <summary>BufferHeader.Flags (u32).</summary>
    public const int BufFlagsOffset = 4;
    /// <summary>BufferHeader.Next (u64 segment offset of the next buffer header, 0 = end).</summary>
    public const int BufNextOffset = 8;

    // Descriptor field offsets.
    /// <summary>Descriptor.SegmentNodeId (u16).</summary>
    public const int DescSegmentNodeIdOffset = 0;
    /// <summary>Descriptor.Flags (u16).</summary>
    public const int DescFlagsOffset = 2;
    /// <summary>Descriptor.TotalLength (u32).</summary>
    public const int DescTotalLengthOffset = 4;
    /// <summary>Descriptor.Offset (u64 segment offset of the chain's first buffer header).</summary>
    public const int DescOffsetOffset = 8;
    /// <summary>Descriptor.BufferCount (u32).</summary>
    public const int DescBufferCountOffset = 16;

    /// <summary>Slot stride for a payload size: header plus payload rounded up to a cache line.</summary>
    public static int SlotStride(int slotPayloadSize) => AlignUp(SlotHeaderSize + slotPayloadSize, CacheLineSize);

    /// <summary>Buffer stride for a pool buffer size: header plus data rounded up to a cache line.</summary>
    public static int BufferStride(int bufferSize) => AlignUp(BufferHeaderSize + bufferSize, CacheLineSize);

    /// <summary>Rounds <paramref name="value"/> up to a multiple of the power of two <paramref name="alignment"/>.</summary>
    public static int AlignUp(int value, int alignment) => (value + alignment - 1) & ~(alignment - 1);

    /// <summary>Rounds <paramref name="value"/> up to a multiple of the power of two <paramref name="alignment"/>.</summary>
    public static long AlignUp(long value, long alignment) => (value + alignment - 1) & ~(alignment - 1);
}
