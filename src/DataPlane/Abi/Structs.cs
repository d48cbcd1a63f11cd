using System.Runtime.InteropServices;

namespace ActorNet.DataPlane.Abi;

/// <summary>What a ring table entry describes.</summary>
public enum RegionKind : uint
{
    /// <summary>Unused entry.</summary>
    None = 0,
    /// <summary>Unidirectional transmit/receive ring (one sender node, the owner receives).</summary>
    Spsc = 1,
    /// <summary>Broadcast ring: many writers serialised by a claim word, readers with private cursors.</summary>
    Broadcast = 2,
    /// <summary>Multicast ring: like broadcast, labelled with its group address(es).</summary>
    Multicast = 3,
    /// <summary>Zero-copy descriptor ring (sender to the owner), slots carry <c>Descriptor</c>s.</summary>
    Descriptor = 4,
    /// <summary>Zero-copy return ring (peer back to the owner), slots carry <c>Descriptor</c>s.</summary>
    Return = 5,
    /// <summary>Zero-copy buffer pool owned by this segment's node, lent to one peer.</summary>
    BufferPool = 6,
}

/// <summary>Lifecycle state of a segment, in <c>SegmentHeader.State</c>.</summary>
public enum SegmentState : uint
{
    /// <summary>Being initialised by its owner; not to be used by peers.</summary>
    Creating = 0,
    /// <summary>Owner is running; rings are usable.</summary>
    Active = 1,
    /// <summary>Owner shut down cleanly; the file can be removed.</summary>
    Closed = 2,
}

/// <summary>Bits of <c>SlotHeader.Flags</c>.</summary>
[Flags]
public enum SlotFlags : uint
{
    /// <summary>An ordinary data frame.</summary>
    None = 0,
    /// <summary>An internal control frame (never handed to the OS adapter).</summary>
    Control = 1,

    /// <summary>
    /// The payload starts with a 10-byte offload prefix (<c>FrameOffload</c>: flags, GSO type, header length, GSO
    /// size, checksum start, checksum offset; little-endian) followed by the frame; <c>Length</c> counts both.
    /// Written only when both ends use IFF_VNET_HDR adapters; a reader refuses a prefix that does not validate.
    /// </summary>
    Offload = 2,
}

/// <summary>Bits of <c>RingControlBlock.Flags</c>.</summary>
[Flags]
public enum RingFlags : uint
{
    /// <summary>No flag set.</summary>
    None = 0,
    /// <summary>The ring is marked down: the sender must stop writing (peer left or died).</summary>
    Down = 1,
}

/// <summary>Segment header at offset 0. Written by the owner; read (and validated) by every mapper.</summary>
[StructLayout(LayoutKind.Explicit, Size = ShmLayout.SegmentHeaderSize)]
internal struct SegmentHeader
{
    [FieldOffset(ShmLayout.SegMagicOffset)] public ulong Magic;              // owner, written last at create (release)
    [FieldOffset(ShmLayout.SegAbiVersionOffset)] public uint AbiVersion;     // owner, once
    [FieldOffset(ShmLayout.SegHeaderSizeOffset)] public uint HeaderSize;     // owner, once
    [FieldOffset(ShmLayout.SegSegmentSizeOffset)] public ulong SegmentSize;  // owner, once
    [FieldOffset(ShmLayout.SegIncarnationOffset)] public ulong Incarnation;  // owner, once
    [FieldOffset(ShmLayout.SegNodeIdOffset)] public ushort NodeId;           // owner, once
    [FieldOffset(ShmLayout.SegOwnerPidOffset)] public int OwnerPid;          // owner, once
    [FieldOffset(ShmLayout.SegStateOffset)] public uint State;               // owner, volatile
    [FieldOffset(ShmLayout.SegRingTableCountOffset)] public uint RingTableCount;   // owner, once
    [FieldOffset(ShmLayout.SegRingTableOffsetOffset)] public ulong RingTableOffset; // owner, once
    [FieldOffset(ShmLayout.SegHeartbeatOffset)] public long Heartbeat;       // owner only, volatile, own cache line
    [FieldOffset(ShmLayout.SegDoorbellOffset)] public int Doorbell;          // any sender (interlocked increment) / owner's receive poller waits (futex)
    [FieldOffset(ShmLayout.SegReceiverSleepingOffset)] public int ReceiverSleeping; // owner sets 1 (full fence); a sender exchanges to 0 before ringing
}

/// <summary>One entry of the ring table. Written by the owner at create; read by peers to find their region.</summary>
[StructLayout(LayoutKind.Explicit, Size = ShmLayout.RingTableEntrySize)]
internal struct RingTableEntry
{
    [FieldOffset(ShmLayout.EntryKindOffset)] public uint Kind;
    [FieldOffset(ShmLayout.EntryPeerNodeIdOffset)] public ushort PeerNodeId;
    [FieldOffset(ShmLayout.EntryOffsetOffset)] public ulong Offset;
    [FieldOffset(ShmLayout.EntrySizeOffset)] public ulong Size;
    [FieldOffset(ShmLayout.EntryTagOffset)] public ulong Tag;
}

/// <summary>
/// Control block at the start of every ring region. Line 0: configuration written once by the owner.
/// Line 1: the write side (SPSC: the one sender; broadcast: the claim holder). Line 2: the read side
/// (SPSC read index, written by the receiver only) or the multicast group list. Line 3: the futex word.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = ShmLayout.RingControlBlockSize)]
internal struct RingControlBlock
{
    [FieldOffset(ShmLayout.RcbKindOffset)] public uint Kind;                       // owner, once
    [FieldOffset(ShmLayout.RcbSlotCountOffset)] public uint SlotCount;             // owner, once
    [FieldOffset(ShmLayout.RcbSlotPayloadSizeOffset)] public uint SlotPayloadSize; // owner, once
    [FieldOffset(ShmLayout.RcbSlotStrideOffset)] public uint SlotStride;           // owner, once
    [FieldOffset(ShmLayout.RcbSenderNodeIdOffset)] public ushort SenderNodeId;     // owner, once
    [FieldOffset(ShmLayout.RcbReceiverNodeIdOffset)] public ushort ReceiverNodeId; // owner, once
    [FieldOffset(ShmLayout.RcbFlagsOffset)] public uint Flags;                     // owner (control plane), volatile
    [FieldOffset(ShmLayout.RcbEpochOffset)] public ulong Epoch;                    // owner, once per allocation
    [FieldOffset(ShmLayout.RcbSlotsOffsetOffset)] public uint SlotsOffset;         // owner, once
    [FieldOffset(ShmLayout.RcbLeaseMillisecondsOffset)] public uint LeaseMilliseconds; // owner, once
    [FieldOffset(ShmLayout.RcbWriteIndexOffset)] public ulong WriteIndex;          // sender / claim holder only, release
    [FieldOffset(ShmLayout.RcbClaimWordOffset)] public ulong ClaimWord;            // broadcast writers, CAS
    [FieldOffset(ShmLayout.RcbTakeoverCountOffset)] public ulong TakeoverCount;    // broadcast writers, atomic add
    [FieldOffset(ShmLayout.RcbReadIndexOffset)] public ulong ReadIndex;            // receiver only, release
    [FieldOffset(ShmLayout.RcbGroupCountOffset)] public uint GroupCount;           // owner, once (multicast)
    [FieldOffset(ShmLayout.RcbGroupsOffset)] public ulong Group0;                  // owner, once (multicast), 4 x u64
    [FieldOffset(ShmLayout.RcbNotifyWordOffset)] public int NotifyWord;            // receiver sets 1 before sleeping; sender clears and wakes
}

/// <summary>Header of every ring slot; the payload follows at <see cref="ShmLayout.SlotHeaderSize"/>.</summary>
[StructLayout(LayoutKind.Explicit, Size = ShmLayout.SlotHeaderSize)]
internal struct SlotHeader
{
    [FieldOffset(ShmLayout.SlotLengthOffset)] public uint Length;     // writer, before publishing
    [FieldOffset(ShmLayout.SlotFlagsOffset)] public uint Flags;       // writer, before publishing
    [FieldOffset(ShmLayout.SlotSequenceOffset)] public ulong Sequence; // SPSC: the slot's index; broadcast: seqlock 2i+1 busy, 2i+2 done
}

/// <summary>Header of a zero-copy buffer pool region. Written once by the pool's owner.</summary>
[StructLayout(LayoutKind.Explicit, Size = ShmLayout.PoolHeaderSize)]
internal struct PoolHeader
{
    [FieldOffset(ShmLayout.PoolBufferCountOffset)] public uint BufferCount;
    [FieldOffset(ShmLayout.PoolBufferSizeOffset)] public uint BufferSize;
    [FieldOffset(ShmLayout.PoolBufferStrideOffset)] public uint BufferStride;
    [FieldOffset(ShmLayout.PoolBuffersOffsetOffset)] public uint BuffersOffset;
    [FieldOffset(ShmLayout.PoolReceiverNodeIdOffset)] public ushort ReceiverNodeId;
}

/// <summary>Header of one pool buffer (an mbuf): written by the pool owner before the descriptor is published.</summary>
[StructLayout(LayoutKind.Explicit, Size = ShmLayout.BufferHeaderSize)]
internal struct BufferHeader
{
    [FieldOffset(ShmLayout.BufLengthOffset)] public uint Length;
    [FieldOffset(ShmLayout.BufFlagsOffset)] public uint Flags;
    [FieldOffset(ShmLayout.BufNextOffset)] public ulong Next;
}

/// <summary>Zero-copy descriptor: names the head buffer of a chain in a segment; carried by descriptor and return rings.</summary>
[StructLayout(LayoutKind.Explicit, Size = ShmLayout.DescriptorSize)]
internal struct Descriptor
{
    [FieldOffset(ShmLayout.DescSegmentNodeIdOffset)] public ushort SegmentNodeId;
    [FieldOffset(ShmLayout.DescFlagsOffset)] public ushort Flags;
    [FieldOffset(ShmLayout.DescTotalLengthOffset)] public uint TotalLength;
    [FieldOffset(ShmLayout.DescOffsetOffset)] public ulong Offset;
    [FieldOffset(ShmLayout.DescBufferCountOffset)] public uint BufferCount;
}
