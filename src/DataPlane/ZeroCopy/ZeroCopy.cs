using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ActorNet.DataPlane.Abi;
using ActorNet.DataPlane.Notification;
using ActorNet.DataPlane.Rings;
using ActorNet.DataPlane.Segments;

namespace ActorNet.DataPlane.ZeroCopy;

/// <summary>
/// Validated view of a zero-copy pool region: geometry read once and checked against the region, plus the
/// checks every buffer offset coming from shared memory must pass (inside the pool, on a buffer boundary).
/// </summary>
internal readonly unsafe struct PoolGeometry
{
    public readonly byte* SegmentBase;
    public readonly ulong FirstBuffer;   // segment offset of buffer 0's header
    public readonly uint BufferCount;
    public readonly int BufferSize;
    public readonly int Stride;

    private PoolGeometry(byte* segmentBase, ulong first, uint count, int size, int stride)
    {
        SegmentBase = segmentBase;
        FirstBuffer = first;
        BufferCount = count;
        BufferSize = size;
        Stride = stride;
    }

    public static PoolGeometry Open(SharedSegment segment, ushort receiverNodeId)
    {
        var (basePtr, size) = segment.FindRegion(RegionKind.BufferPool, receiverNodeId);
        var ph = (PoolHeader*)basePtr;
        uint count = ph->BufferCount;
        uint bsize = ph->BufferSize;
        uint stride = ph->BufferStride;
        uint offset = ph->BuffersOffset;
        string what = $"{segment.Path}: buffer pool for node {receiverNodeId}";
        if (count is 0 or > ShmLayout.MaxPoolBuffers || bsize is < 64 or > ShmLayout.MaxMtu || stride != ShmLayout.BufferStride((int)bsize)
            || offset != ShmLayout.PoolHeaderSize || offset + ((long)count * stride) > size)
        {
            throw new SegmentFormatException($"{what}: {count} buffers of {bsize} bytes (stride {stride}) at offset {offset} are not a valid pool inside the {size}-byte region.");
        }

        return new PoolGeometry(segment.Base, segment.OffsetOf((byte*)basePtr) + offset, count, (int)bsize, (int)stride);
    }

    /// <summary>Buffer index for a segment offset, or -1 if the offset is not exactly a buffer header in this pool.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long IndexOf(ulong segmentOffset)
    {
        if (segmentOffset < FirstBuffer)
        {
            return -1;
        }

        ulong rel = segmentOffset - FirstBuffer;
        ulong index = rel / (ulong)Stride;
        return index < BufferCount && rel % (ulong)Stride == 0 ? (long)index : -1;
    }

    public ulong OffsetOf(long index) => FirstBuffer + ((ulong)index * (ulong)Stride);

    public BufferHeader* Header(long index) => (BufferHeader*)(SegmentBase + OffsetOf(index));
}

/// <summary>
/// Design: the sending end of a zero-copy channel (memif/mbuf style). Frames are written once into buffers of
/// this node's pool (in its own segment, lent to one receiver); the descriptor ring in the receiver's segment
/// carries only a descriptor naming the head buffer of the chain; the receiver reads the data in place and
/// gives the chain back on the return ring in this node's segment. The free list is private; a buffer is freed
/// only if it is in flight (so a receiver returning garbage or returning twice cannot corrupt it), and every
/// returned chain is walked with bounds checks and the chain cap. Single-threaded.
/// </summary>
internal sealed unsafe class ZeroCopySender
{
    private readonly PoolGeometry _pool;
    private readonly SpscSender _descriptors;
    private readonly SpscReceiver _returns;
    private readonly ushort _nodeId;
    private readonly int[] _free;
    private readonly bool[] _inFlight;
    private int _freeCount;
    private long _badReturns;

    /// <summary>Opens the channel from <paramref name="ownSegment"/> (pool, return ring) to the receiver's segment (descriptor ring).</summary>
    public ZeroCopySender(SharedSegment ownSegment, SharedSegment receiverSegment, NotificationMode mode)
    {
        _nodeId = ownSegment.NodeId;
        _pool = PoolGeometry.Open(ownSegment, receiverSegment.NodeId);
        _returns = new SpscReceiver(ownSegment, receiverSegment.NodeId, RegionKind.Return);
        _descriptors = new SpscSender(receiverSegment, ownSegment.NodeId, mode, FullPolicy.Backpressure, RegionKind.Descriptor);
        _free = new int[_pool.BufferCount];
        _inFlight = new bool[_pool.BufferCount];
        for (int i = 0; i < _free.Length; i++)
        {
            _free[i] = _free.Length - 1 - i;
        }

        _freeCount = _free.Length;
    }

    /// <summary>Bytes per pool buffer.</summary>
    public int BufferSize => _pool.BufferSize;

    /// <summary>Largest message: <see cref="ShmLayout.MaxChainLength"/> buffers.</summary>
    public int MaxMessageLength => _pool.BufferSize * Math.Min(ShmLayout.MaxChainLength, (int)_pool.BufferCount);

    /// <summary>Free buffers right now.</summary>
    public int FreeBuffers => _freeCount;

    /// <summary>Returned descriptors that failed validation (ignored).</summary>
    public long BadReturns => _badReturns;

    /// <summary>Messages sent.</summary>
    public long Frames => _descriptors.Counters.Frames;

    /// <summary>
    /// Writes <paramref name="message"/> into a chain of pool buffers and queues its descriptor; not visible until
    /// <see cref="Publish"/>. Returns false (nothing consumed) when buffers or descriptor slots are exhausted.
    /// </summary>
    public bool TryWrite(ReadOnlySpan<byte> message, ushort flags = 0)
    {
        int need = Math.Max(1, (message.Length + _pool.BufferSize - 1) / _pool.BufferSize);
        if (need > ShmLayout.MaxChainLength)
        {
            throw new ArgumentOutOfRangeException(nameof(message), message.Length, $"message exceeds {MaxMessageLength} bytes ({ShmLayout.MaxChainLength} buffers)");
        }

        if (_freeCount < need)
        {
            Reclaim();
            if (_freeCount < need)
            {
                return false;
            }
        }

        if (!_descriptors.TryClaim(out var slot))
        {
            return false;
        }

        long head = -1;
        BufferHeader* prev = null;
        int pos = 0;
        for (int i = 0; i < need; i++)
        {
            int index = _free[--_freeCount];
            _inFlight[index] = true;
            var bh = _pool.Header(index);
            int n = Math.Min(_pool.BufferSize, message.Length - pos);
            message.Slice(pos, n).CopyTo(new Span<byte>((byte*)bh + ShmLayout.BufferHeaderSize, _pool.BufferSize));
            pos += n;
            bh->Length = (uint)n;
            bh->Flags = 0;
            bh->Next = 0;
            if (prev != null)
            {
                prev->Next = _pool.OffsetOf(index);
            }
            else
            {
                head = index;
            }

            prev = bh;
        }

        ref var d = ref MemoryMarshal.AsRef<Descriptor>(slot);
        d.SegmentNodeId = _nodeId;
        d.Flags = flags;
        d.TotalLength = (uint)message.Length;
        d.Offset = _pool.OffsetOf(head);
        d.BufferCount = (uint)need;
        _descriptors.Commit(ShmLayout.DescriptorSize);
        return true;
    }

    /// <summary>Publishes queued descriptors (one release store, one wake if the receiver sleeps).</summary>
    public void Publish() => _descriptors.Publish();

    /// <summary>Takes back every chain the receiver returned. Called by <see cref="TryWrite"/> when short of buffers.</summary>
    public int Reclaim()
    {
        var h = new ReturnHandler(this);
        int total = 0;
        int n;
        while ((n = _returns.Drain(ref h, 256)) > 0)
        {
            total += n;
        }

        return total;
    }

    private void TakeBack(in Descriptor d)
    {
        if (d.SegmentNodeId != _nodeId || d.BufferCount is 0 or > ShmLayout.MaxChainLength)
        {
            _badReturns++;
            return;
        }

        ulong offset = d.Offset;
        for (uint i = 0; i < d.BufferCount; i++)
        {
            long index = _pool.IndexOf(offset);
            if (index < 0 || !_inFlight[index])
            {
                _badReturns++;
                return;
            }

            offset = Volatile.Read(ref _pool.Header(index)->Next); // read before the buffer becomes reusable
            _inFlight[index] = false;
            _free[_freeCount++] = (int)index;
            if (offset == 0)
            {
                break;
            }
        }
    }

    private readonly struct ReturnHandler(ZeroCopySender owner) : IFrameHandler
    {
        public void OnFrame(ReadOnlySpan<byte> frame, SlotFlags flags)
        {
            if (frame.Length == ShmLayout.DescriptorSize)
            {
                owner.TakeBack(MemoryMarshal.Read<Descriptor>(frame));
            }
            else
            {
                owner._badReturns++;
            }
        }
    }
}

/// <summary>Handles one zero-copy message during <see cref="ZeroCopyReceiver.Drain{T}"/>; implement as a struct.</summary>
public interface IMessageHandler
{
    /// <summary>Called per message; the segments point into the sender's pool and are valid only during the call.</summary>
    void OnMessage(in ZeroCopyMessage message);
}

/// <summary>
/// A received message as a validated chain of buffers in the sender's pool (read in place). Every offset and
/// length was bound-checked and copied before this view was built; the data bytes themselves may still be
/// changed by a misbehaving sender.
/// </summary>
public readonly unsafe ref struct ZeroCopyMessage
{
    private readonly ReadOnlySpan<long> _segments; // (pointer, length) pairs
    internal ZeroCopyMessage(ReadOnlySpan<long> segments, int totalLength, ushort flags)
    {
        _segments = segments;
        TotalLength = totalLength;
        Flags = flags;
    }

    /// <summary>Total bytes in the chain.</summary>
    public int TotalLength { get; }

    /// <summary>Sender's descriptor flags.</summary>
    public ushort Flags { get; }

    /// <summary>Buffers in the chain.</summary>
    public int SegmentCount => _segments.Length / 2;

    /// <summary>The data of buffer <paramref name="i"/> of the chain.</summary>
    public ReadOnlySpan<byte> Segment(int i) => new((void*)_segments[2 * i], (int)_segments[(2 * i) + 1]);

    /// <summary>Copies the whole message into <paramref name="destination"/>; returns bytes copied.</summary>
    public int CopyTo(Span<byte> destination)
    {
        int pos = 0;
        for (int i = 0; i < SegmentCount; i++)
        {
            var s = Segment(i);
            s.CopyTo(destination[pos..]);
            pos += s.Length;
        }

        return pos;
    }
}

/// <summary>
/// Design: the receiving end of a zero-copy channel. Reads descriptors from its own descriptor ring, follows the
/// chain in the sender's pool (mapped from the sender's segment) with every step checked — head and next
/// offsets must name buffer headers inside the pool, lengths must fit a buffer and sum to the descriptor's total,
/// at most <see cref="ShmLayout.MaxChainLength"/> and the descriptor's count — hands the message to a handler in
/// place, then returns the descriptor on the return ring. A chain that fails a check is counted, not delivered,
/// and still returned so the sender can reclaim what is valid. Single-threaded.
/// </summary>
internal sealed unsafe class ZeroCopyReceiver
{
    private readonly PoolGeometry _pool;
    private readonly SpscReceiver _descriptors;
    private readonly SpscSender _returns;
    private readonly ushort _senderNodeId;
    private long _corrupt;
    private long _messages;

    /// <summary>Opens the channel from <paramref name="senderSegment"/> into <paramref name="ownSegment"/>.</summary>
    public ZeroCopyReceiver(SharedSegment ownSegment, SharedSegment senderSegment)
    {
        _senderNodeId = senderSegment.NodeId;
        _pool = PoolGeometry.Open(senderSegment, ownSegment.NodeId);
        _descriptors = new SpscReceiver(ownSegment, senderSegment.NodeId, RegionKind.Descriptor);
        _returns = new SpscSender(senderSegment, ownSegment.NodeId, NotificationMode.Polling, FullPolicy.Backpressure, RegionKind.Return);
    }

    /// <summary>Chains rejected by validation.</summary>
    public long Corrupt => _corrupt;

    /// <summary>Messages delivered.</summary>
    public long Messages => _messages;

    /// <summary>The descriptor ring's receiver (for waiting).</summary>
    public SpscReceiver DescriptorRing => _descriptors;

    /// <summary>Delivers up to <paramref name="maxMessages"/> messages to <paramref name="handler"/> and returns their buffers.</summary>
    public int Drain<T>(ref T handler, int maxMessages)
        where T : struct, IMessageHandler
    {
        var inner = new DescriptorHandler<T>(this, handler);
        int n = _descriptors.Drain(ref inner, maxMessages);
        handler = inner.User;
        _returns.Publish();
        return n;
    }

    private void Deliver<T>(ReadOnlySpan<byte> raw, ref T handler)
        where T : struct, IMessageHandler
    {
        if (raw.Length != ShmLayout.DescriptorSize)
        {
            _corrupt++;
            return;
        }

        var d = MemoryMarshal.Read<Descriptor>(raw); // one copy of the untrusted descriptor
        Span<long> segs = stackalloc long[2 * ShmLayout.MaxChainLength];
        int count = 0;
        long total = 0;
        bool ok = d.SegmentNodeId == _senderNodeId && d.BufferCount is >= 1 and <= ShmLayout.MaxChainLength;
        ulong offset = d.Offset;
        while (ok)
        {
            long index = _pool.IndexOf(offset);
            if (index < 0 || count >= d.BufferCount)
            {
                ok = false;
                break;
            }

            var bh = _pool.Header(index);
            uint len = bh->Length;
            ulong next = bh->Next;
            if (len > (uint)_pool.BufferSize)
            {
                ok = false;
                break;
            }

            segs[2 * count] = (long)((byte*)bh + ShmLayout.BufferHeaderSize);
            segs[(2 * count) + 1] = len;
            count++;
            total += len;
            if (next == 0)
            {
                break;
            }

            offset = next;
        }

        if (ok && count == d.BufferCount && total == d.TotalLength)
        {
            _messages++;
            handler.OnMessage(new ZeroCopyMessage(segs[..(2 * count)], (int)total, d.Flags));
        }
        else
        {
            _corrupt++;
        }

        // Give the chain back (the sender re-validates it). Spins only if the return ring is full, which a
        // well-behaved sender prevents by sizing it to its pool.
        int spins = 0;
        Span<byte> slot;
        while (!_returns.TryClaim(out slot))
        {
            _returns.Publish();
            if (++spins > 100_000)
            {
                _corrupt++;
                return;
            }

            Thread.SpinWait(8);
        }

        raw.CopyTo(slot);
        _returns.Commit(ShmLayout.DescriptorSize);
    }

    private struct DescriptorHandler<T>(ZeroCopyReceiver owner, T user) : IFrameHandler
        where T : struct, IMessageHandler
    {
        public T User = user;

        public void OnFrame(ReadOnlySpan<byte> frame, SlotFlags flags) => owner.Deliver(frame, ref User);
    }
}
