using System.Runtime.CompilerServices;
using ActorNet.DataPlane.Abi;
using ActorNet.DataPlane.Notification;
using ActorNet.DataPlane.Segments;

namespace ActorNet.DataPlane.Rings;

/// <summary>Counters of one ring end, read by the control plane (not synchronised: read them on the owning thread or accept tearing).</summary>
public struct RingCounters
{
    /// <summary>Frames written (sender) or delivered (receiver).</summary>
    public long Frames;
    /// <summary>Frames dropped because the ring was full (sender, <see cref="FullPolicy.Drop"/>).</summary>
    public long DroppedFull;
    /// <summary>Wake-ups issued (sender) or sleeps entered (receiver).</summary>
    public long Wakeups;
    /// <summary>Slots skipped because their header was impossible (length beyond the slot, wrong sequence).</summary>
    public long CorruptSlots;
    /// <summary>Times the peer's index was impossible (ahead by more than the ring); the batch was refused.</summary>
    public long CorruptIndex;
}

/// <summary>
/// Design: the sending end of one SPSC transmit/receive ring that lives in the RECEIVER's segment.
/// Only this object writes <c>WriteIndex</c>; it reads <c>ReadIndex</c> (written only by the receiver) and caches
/// it, refreshing only when the cached value says "full". Frames are claimed and committed privately and made
/// visible in a batch by <see cref="Publish"/> (one release store, and in interrupt mode one full fence plus a
/// futex wake only if the receiver announced it sleeps). Single-threaded: one sending thread per ring.
/// Indices are free-running 64-bit counters; slot = index &amp; mask, so overflow wraps correctly.
/// </summary>
internal sealed unsafe class SpscSender
{
    private readonly SharedSegment _segment; // keeps the mapping alive; must outlive this object
    private readonly RingGeometry _g;
    private readonly FullPolicy _policy;
    private readonly bool _notify;
    private ulong _writeIndex;      // next index to fill (private)
    private ulong _published;       // last value stored to WriteIndex
    private ulong _cachedReadIndex; // last ReadIndex seen
    private RingCounters _counters;

    /// <summary>Opens the ring <paramref name="receiverSegment"/> allocated for <paramref name="senderNodeId"/>.</summary>
    public SpscSender(SharedSegment receiverSegment, ushort senderNodeId, NotificationMode mode, FullPolicy policy = FullPolicy.Backpressure, RegionKind kind = RegionKind.Spsc)
        : this(receiverSegment, RingGeometry.Open(receiverSegment, kind, senderNodeId), mode, policy)
    {
    }

    internal SpscSender(SharedSegment segment, RingGeometry geometry, NotificationMode mode, FullPolicy policy)
    {
        _segment = segment;
        _g = geometry;
        _policy = policy;
        _notify = mode != NotificationMode.Polling;
        _writeIndex = Volatile.Read(ref _g.Control->WriteIndex);
        _published = _writeIndex;
        _cachedReadIndex = Volatile.Read(ref _g.Control->ReadIndex);
    }

    /// <summary>Largest frame a slot holds (the ring's MTU).</summary>
    public int MaxFrameLength => _g.PayloadCapacity;

    /// <summary>Counters of this end.</summary>
    public ref readonly RingCounters Counters => ref _counters;

    /// <summary>The segment this ring lives in.</summary>
    public SharedSegment Segment => _segment;

    /// <summary>True when the receiver's owner marked the ring down.</summary>
    public bool IsDown => (Volatile.Read(ref _g.Control->Flags) & (uint)RingFlags.Down) != 0;

    /// <summary>Claims the next free slot and returns its payload area; false when the ring is full.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryClaim(out Span<byte> payload)
    {
        if (_writeIndex - _cachedReadIndex >= _g.SlotCount)
        {
            _cachedReadIndex = Volatile.Read(ref _g.Control->ReadIndex);
            // Also true for an impossible ReadIndex (ahead of us): unsigned difference is huge, treated as full.
            if (_writeIndex - _cachedReadIndex >= _g.SlotCount)
            {
                payload = default;
                return false;
            }
        }

        payload = new Span<byte>((byte*)_g.Slot(_writeIndex) + ShmLayout.SlotHeaderSize, _g.PayloadCapacity);
        return true;
    }

    /// <summary>Commits the claimed slot with the frame's length; not visible until <see cref="Publish"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Commit(int length, SlotFlags flags = SlotFlags.None)
    {
        if ((uint)length > (uint)_g.PayloadCapacity)
        {
            ThrowLength(length);
        }

        var h = _g.Slot(_writeIndex);
        h->Length = (uint)length;
        h->Flags = (uint)flags;
        h->Sequence = _writeIndex;
        _writeIndex++;
        _counters.Frames++;
    }

    /// <summary>Makes every committed frame visible (release store of WriteIndex) and wakes a sleeping receiver once.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Publish()
    {
        if (_writeIndex == _published)
        {
            return;
        }

        _published = _writeIndex;
        if (!_notify)
        {
            Volatile.Write(ref _g.Control->WriteIndex, _writeIndex);
            return;
        }

        // Full fence (store WriteIndex, then load NotifyWord): pairs with the receiver's "set flag, fence, re-check".
        Interlocked.Exchange(ref _g.Control->WriteIndex, _writeIndex);
        if (Volatile.Read(ref _g.Control->NotifyWord) != 0)
        {
            WakeSlow();
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void WakeSlow()
    {
        if (Interlocked.Exchange(ref _g.Control->NotifyWord, 0) != 0)
        {
            _counters.Wakeups++;
            Futex.Wake(&_g.Control->NotifyWord, 1);
        }
    }

    /// <summary>Copies one frame into the ring and publishes it, applying the full policy.</summary>
    public SendResult Send(ReadOnlySpan<byte> frame, SlotFlags flags = SlotFlags.None)
    {
        var r = Write(frame, flags);
        if (r == SendResult.Sent)
        {
            Publish();
        }

        return r;
    }

    /// <summary>Copies one frame into the ring without publishing (batch with <see cref="Publish"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public SendResult Write(ReadOnlySpan<byte> frame, SlotFlags flags = SlotFlags.None)
    {
        if (IsDown)
        {
            return SendResult.Down; // a read of the configuration line, which stays cached: it is almost never written
        }

        if (!TryClaim(out var payload))
        {

            if (_policy == FullPolicy.Drop)
            {
                _counters.DroppedFull++;
                return SendResult.Dropped;
            }

            return SendResult.Full;
        }

        frame.CopyTo(payload);
        Commit(frame.Length, flags);
        return SendResult.Sent;
    }

    private void ThrowLength(int length) =>
        throw new ArgumentOutOfRangeException(nameof(length), length, $"frame length must be 0..{_g.PayloadCapacity} (the ring's slot size)");
}

/// <summary>
/// Design: the receiving end of an SPSC ring in this node's own segment. Only this object writes
/// <c>ReadIndex</c>; it acquires <c>WriteIndex</c> (written by the untrusted sender) and caches it. Every value
/// read from shared memory is checked before use: a WriteIndex more than a ring ahead refuses the batch, a slot
/// whose length exceeds the slot or whose sequence is not its index is skipped and counted. Frames are handed to
/// a struct handler in place and the slots released with one store per batch. Single-threaded: one receiving
/// thread per ring. <see cref="WaitForFrames"/> implements the three notification modes.
/// </summary>
internal sealed unsafe class SpscReceiver
{
    private readonly SharedSegment _segment;
    private readonly RingGeometry _g;
    private ulong _readIndex;        // next index to read (private)
    private ulong _cachedWriteIndex; // last WriteIndex seen (validated)
    private RingCounters _counters;

    /// <summary>Opens the receive ring for <paramref name="senderNodeId"/> in <paramref name="ownSegment"/>.</summary>
    public SpscReceiver(SharedSegment ownSegment, ushort senderNodeId, RegionKind kind = RegionKind.Spsc)
        : this(ownSegment, RingGeometry.Open(ownSegment, kind, senderNodeId))
    {
    }

    internal SpscReceiver(SharedSegment segment, RingGeometry geometry)
    {
        _segment = segment;
        _g = geometry;
        _readIndex = Volatile.Read(ref _g.Control->ReadIndex);
        _cachedWriteIndex = _readIndex;
    }

    /// <summary>Counters of this end.</summary>
    public ref readonly RingCounters Counters => ref _counters;

    /// <summary>The segment this ring lives in.</summary>
    public SharedSegment Segment => _segment;

    /// <summary>Largest frame a slot holds.</summary>
    public int MaxFrameLength => _g.PayloadCapacity;

    /// <summary>Frames published and not yet consumed (0 when the sender's index is impossible).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong Available()
    {
        ulong avail = _cachedWriteIndex - _readIndex;
        return avail != 0 ? avail : Refresh();
    }

    /// <summary>Acquires WriteIndex; an impossible value (more than a ring ahead, or behind) is counted and ignored.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private ulong Refresh()
    {
        ulong w = Volatile.Read(ref _g.Control->WriteIndex);
        ulong avail = w - _readIndex;
        if (avail > _g.SlotCount)
        {
            _counters.CorruptIndex++;
            return _cachedWriteIndex - _readIndex;
        }

        _cachedWriteIndex = w;
        return avail;
    }

    /// <summary>Hands up to <paramref name="maxFrames"/> frames to <paramref name="handler"/> in place and releases their slots. Returns slots consumed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Drain<T>(ref T handler, int maxFrames)
        where T : struct, IFrameHandler, allows ref struct
    {
        ulong avail = _cachedWriteIndex - _readIndex;
        if (avail < (ulong)maxFrames)
        {
            avail = Refresh();
            if (avail == 0)
            {
                return 0;
            }
        }

        int n = avail < (ulong)maxFrames ? (int)avail : maxFrames;
        ulong read = _readIndex;
        for (int i = 0; i < n; i++, read++)
        {
            var h = _g.Slot(read);
            uint len = h->Length;   // copied once, then bound-checked
            uint flags = h->Flags;
            ulong seq = h->Sequence;
            if (len > (uint)_g.PayloadCapacity || seq != read)
            {
                _counters.CorruptSlots++;
                continue;
            }

            handler.OnFrame(new ReadOnlySpan<byte>((byte*)h + ShmLayout.SlotHeaderSize, (int)len), (SlotFlags)flags);
        }

        _counters.Frames += n;
        _readIndex = read;
        Volatile.Write(ref _g.Control->ReadIndex, read);
        return n;
    }

    /// <summary>Copies the next frame into <paramref name="destination"/>; false when empty. Throws if the frame does not fit.</summary>
    public bool TryRead(Span<byte> destination, out int length, out SlotFlags flags)
    {
        var copier = new CopyHandler(destination);
        while (Drain(ref copier, 1) == 1)
        {
            if (copier.Delivered)
            {
                length = copier.Length;
                flags = copier.Flags;
                return true;
            }
        }

        length = 0;
        flags = SlotFlags.None;
        return false;
    }

    /// <summary>
    /// Waits until frames are available or <paramref name="timeout"/> passes. Polling spins; interrupt sets the
    /// receiver-sleeping word, fences, re-checks, then sleeps on the futex (no lost wake-up); adaptive spins
    /// <paramref name="spinIterations"/> times first. Returns true when frames are available.
    /// </summary>
    public bool WaitForFrames(NotificationMode mode, TimeSpan timeout, int spinIterations = 2000)
    {
        if (Available() != 0)
        {
            return true;
        }

        long deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        if (mode != NotificationMode.Interrupt)
        {
            int spins = 0;
            while (mode == NotificationMode.Polling || spins < spinIterations)
            {
                if (Available() != 0)
                {
                    return true;
                }

                // Pure spin: yielding here (tried) costs ~100 us per round trip on a loaded host, because sched_yield
                // sends the poller to the back of the run queue; whoever wants to share the core uses Adaptive.
                if ((++spins & 0x3FF) == 0 && Environment.TickCount64 > deadline)
                {
                    return false;
                }

                Thread.SpinWait(1);
            }
        }

        while (true)
        {
            Interlocked.Exchange(ref _g.Control->NotifyWord, 1); // announce "sleeping" with a full fence
            if (Available() != 0)
            {
                Volatile.Write(ref _g.Control->NotifyWord, 0);
                return true;
            }

            long left = deadline - Environment.TickCount64;
            if (left <= 0)
            {
                Volatile.Write(ref _g.Control->NotifyWord, 0);
                return false;
            }

            _counters.Wakeups++;
            Futex.Wait(&_g.Control->NotifyWord, 1, Math.Min(left, 100) * 1000);
            if (Available() != 0)
            {
                Volatile.Write(ref _g.Control->NotifyWord, 0);
                return true;
            }
        }
    }

    private ref struct CopyHandler : IFrameHandler
    {
        private readonly Span<byte> _destination;

        public CopyHandler(Span<byte> destination) => _destination = destination;

        public bool Delivered;
        public int Length;
        public SlotFlags Flags;

        public void OnFrame(ReadOnlySpan<byte> frame, SlotFlags flags)
        {
            frame.CopyTo(_destination);
            Delivered = true;
            Length = frame.Length;
            Flags = flags;
        }
    }
}
