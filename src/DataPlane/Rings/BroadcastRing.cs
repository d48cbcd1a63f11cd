using System.Runtime.CompilerServices;
using ActorNet.DataPlane.Abi;
using ActorNet.DataPlane.Segments;

namespace ActorNet.DataPlane.Rings;

/// <summary>
/// Design ("ticker tape"): a writer of the broadcast ring, or of one multicast ring. Writers in any process are
/// serialised by the claim word in the ring's control block: <c>pid (24 bits) | writer tag (8) | lease deadline
/// (32, ms, wrapping)</c>, set by compare-and-swap so owner and lease change atomically. A claim whose pid is
/// dead, or whose lease has expired, is taken over by CAS (counted in <c>TakeoverCount</c>). Per frame the holder
/// marks the slot busy (sequence 2i+1), writes length, flags and payload, marks it done (2i+2, release),
/// advances <c>WriteIndex</c> and drops the claim. A writer that died mid-write leaves 2i+1 and an unadvanced
/// WriteIndex: the next holder simply rewrites slot i, so readers never see the torn frame. A holder that died
/// after "done" but before advancing has its frame published by the next holder. Readers are never waited for.
/// Limitation: a holder that is only paused past its lease and then resumes may overwrite a slot under the new
/// holder; readers' sequence check catches most such overlaps, and the lease is the operator's knob.
/// One instance per writing thread.
/// </summary>
internal sealed unsafe class BroadcastWriter
{
    private static int s_nextTag;
    private readonly SharedSegment _segment;
    private readonly RingGeometry _g;
    private readonly ulong _me;           // pid | tag, the claim word without the deadline
    private readonly uint _leaseMs;
    private long _frames;
    private long _takeovers;
    private long _claimSpins;

    /// <summary>Opens the broadcast ring (<paramref name="multicastIndex"/> null) or a multicast ring in <paramref name="ownerSegment"/>.</summary>
    public BroadcastWriter(SharedSegment ownerSegment, ulong? multicastIndex = null)
    {
        _segment = ownerSegment;
        _g = multicastIndex is { } m
            ? RingGeometry.Open(ownerSegment, RegionKind.Multicast, 0, m)
            : RingGeometry.Open(ownerSegment, RegionKind.Broadcast, 0);
        int pid = Environment.ProcessId;
        if (pid <= 0 || pid >= 1 << 24)
        {
            throw new PlatformNotSupportedException($"pid {pid} does not fit the 24-bit claim word");
        }

        _me = ((ulong)pid << 40) | ((ulong)(byte)Interlocked.Increment(ref s_nextTag) << 32);
        uint lease = _g.Control->LeaseMilliseconds;
        _leaseMs = lease is >= 1 and <= 60_000 ? lease : 200;
    }

    /// <summary>Largest frame a slot holds.</summary>
    public int MaxFrameLength => _g.PayloadCapacity;

    /// <summary>Frames written by this writer.</summary>
    public long Frames => _frames;

    /// <summary>Claims this writer took over from a dead or expired holder.</summary>
    public long Takeovers => _takeovers;

    /// <summary>Times this writer found the claim held by a live writer and spun.</summary>
    public long ClaimSpins => _claimSpins;

    /// <summary>Lease length in milliseconds.</summary>
    public uint LeaseMilliseconds => _leaseMs;

    /// <summary>
    /// Writes one frame. Waits for the claim at most <paramref name="claimTimeout"/> (plus the lease when the
    /// holder is stuck); returns false if it could not get it. Throws if the frame exceeds the slot.
    /// </summary>
    public bool TryWrite(ReadOnlySpan<byte> frame, SlotFlags flags, TimeSpan claimTimeout)
    {
        if ((uint)frame.Length > (uint)_g.PayloadCapacity)
        {
            throw new ArgumentOutOfRangeException(nameof(frame), frame.Length, $"frame length must be 0..{_g.PayloadCapacity}");
        }

        if (!Acquire(claimTimeout, out ulong claim))
        {
            return false;
        }

        ulong w = Volatile.Read(ref _g.Control->WriteIndex);
        var h = _g.Slot(w);
        if (Volatile.Read(ref h->Sequence) == (w * 2) + 2)
        {
            // A previous holder completed slot w but died before advancing WriteIndex: publish its frame.
            w++;
            Volatile.Write(ref _g.Control->WriteIndex, w);
            h = _g.Slot(w);
        }

        Volatile.Write(ref h->Sequence, (w * 2) + 1);   // busy: readers of the old content will see the change
        Interlocked.MemoryBarrier();                     // busy mark before payload stores
        h->Length = (uint)frame.Length;
        h->Flags = (uint)flags;
        frame.CopyTo(new Span<byte>((byte*)h + ShmLayout.SlotHeaderSize, _g.PayloadCapacity));
        Volatile.Write(ref h->Sequence, (w * 2) + 2);   // done (release)
        Volatile.Write(ref _g.Control->WriteIndex, w + 1);
        Release(claim);
        _frames++;
        return true;
    }

    private bool Acquire(TimeSpan timeout, out ulong claim)
    {
        ref ulong word = ref _g.Control->ClaimWord;
        long deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        int spins = 0;
        while (true)
        {
            uint now = (uint)Environment.TickCount64;
            claim = _me | (uint)(now + _leaseMs);
            ulong seen = Volatile.Read(ref word);
            if (seen == 0)
            {
                if (Interlocked.CompareExchange(ref word, claim, 0) == 0)
                {
                    return true;
                }
            }
            else if (IsAbandoned(seen, now))
            {
                if (Interlocked.CompareExchange(ref word, claim, seen) == seen)
                {
                    Interlocked.Increment(ref _g.Control->TakeoverCount);
                    _takeovers++;
                    return true;
                }
            }

            _claimSpins++;
            if ((++spins & 0xFF) == 0)
            {
                if (Environment.TickCount64 > deadline)
                {
                    return false;
                }

                Thread.Yield();
            }
            else
            {
                Thread.SpinWait(4);
            }
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool IsAbandoned(ulong seen, uint now)
    {
        uint leaseDeadline = (uint)seen;
        if ((int)(now - leaseDeadline) > 0)
        {
            return true; // lease expired (wrap-safe comparison)
        }

        int pid = (int)(seen >> 40);
        return pid != Environment.ProcessId && !ProcessLiveness.IsAlive(pid);
    }

    private void Release(ulong claim) =>
        Interlocked.CompareExchange(ref _g.Control->ClaimWord, 0, claim); // no-op if someone took it over

    /// <summary>Test hook: takes the claim and marks the next slot busy with a partial payload, then returns without finishing (simulates dying mid-write).</summary>
    internal void BeginWriteAndAbandon(ReadOnlySpan<byte> partial)
    {
        if (!Acquire(TimeSpan.FromSeconds(5), out _))
        {
            throw new TimeoutException("claim not acquired");
        }

        ulong w = Volatile.Read(ref _g.Control->WriteIndex);
        var h = _g.Slot(w);
        Volatile.Write(ref h->Sequence, (w * 2) + 1);
        h->Length = (uint)partial.Length;
        partial.CopyTo(new Span<byte>((byte*)h + ShmLayout.SlotHeaderSize, _g.PayloadCapacity));
    }
}

/// <summary>
/// Design: a reader of a broadcast or multicast ring with a private cursor (nothing it does is visible to
/// writers, so it can never block them). A frame is delivered only if its slot sequence reads 2c+2 before AND
/// after the copy-out (seqlock); a slot already overwritten by a later lap, or changed during the copy, makes
/// the reader jump to the oldest slot that can still be valid and count the frames it skipped in
/// <see cref="Lost"/> — loss is not an error. Untrusted lengths are bounded by the slot. One thread per reader.
/// </summary>
internal sealed unsafe class BroadcastReader
{
    private readonly SharedSegment _segment;
    private readonly RingGeometry _g;
    private readonly ulong[] _groups;
    private ulong _cursor;
    private long _frames;
    private long _lost;
    private long _corrupt;

    /// <summary>Opens a reader positioned at the current write index (it sees frames written from now on).</summary>
    public BroadcastReader(SharedSegment ownerSegment, ulong? multicastIndex = null)
    {
        _segment = ownerSegment;
        _g = multicastIndex is { } m
            ? RingGeometry.Open(ownerSegment, RegionKind.Multicast, 0, m)
            : RingGeometry.Open(ownerSegment, RegionKind.Broadcast, 0);
        _cursor = Volatile.Read(ref _g.Control->WriteIndex);
        uint n = Math.Min(_g.Control->GroupCount, (uint)ShmLayout.MaxMulticastGroups);
        _groups = new ulong[n];
        for (int i = 0; i < n; i++)
        {
            _groups[i] = (&_g.Control->Group0)[i] & 0xFFFF_FFFF_FFFFUL;
        }
    }

    /// <summary>Group MAC addresses the ring serves (empty for the broadcast ring), read once at open.</summary>
    public IReadOnlyList<ulong> Groups => _groups;

    /// <summary>Frames delivered.</summary>
    public long Frames => _frames;

    /// <summary>Frames skipped because this reader was lapped or a frame changed under the copy.</summary>
    public long Lost => _lost;

    /// <summary>Slots skipped because their length was impossible.</summary>
    public long Corrupt => _corrupt;

    /// <summary>Largest frame a slot holds.</summary>
    public int MaxFrameLength => _g.PayloadCapacity;

    /// <summary>Next position this reader will read.</summary>
    public ulong Cursor => _cursor;

    /// <summary>Whether the writer has published past this reader's cursor (acquire read of WriteIndex; no side effect).</summary>
    public bool HasPending => Volatile.Read(ref _g.Control->WriteIndex) != _cursor;

    /// <summary>
    /// Copies the next intact frame into <paramref name="destination"/> (which must hold <see cref="MaxFrameLength"/>
    /// bytes); false when there is none yet. Bounded work per call.
    /// </summary>
    public bool TryRead(Span<byte> destination, out int length, out SlotFlags flags)
    {
        if (destination.Length < _g.PayloadCapacity)
        {
            throw new ArgumentException($"destination must hold {_g.PayloadCapacity} bytes", nameof(destination));
        }

        for (uint attempt = 0; attempt < _g.SlotCount + 8; attempt++)
        {
            ulong c = _cursor;
            var h = _g.Slot(c);
            ulong want = (c * 2) + 2;
            ulong s1 = Volatile.Read(ref h->Sequence);
            if (s1 == want)
            {
                uint len = h->Length;
                uint fl = h->Flags;
                if (len > (uint)_g.PayloadCapacity)
                {
                    if (Volatile.Read(ref h->Sequence) == s1)
                    {
                        _corrupt++;
                        _cursor = c + 1;
                        continue;
                    }

                    Resync();
                    continue;
                }

                new ReadOnlySpan<byte>((byte*)h + ShmLayout.SlotHeaderSize, (int)len).CopyTo(destination);
                Interlocked.MemoryBarrier(); // copy-out loads complete before the second sequence load
                if (Volatile.Read(ref h->Sequence) != s1)
                {
                    Resync(); // overwritten while copying: never deliver
                    continue;
                }

                _cursor = c + 1;
                _frames++;
                length = (int)len;
                flags = (SlotFlags)fl;
                return true;
            }

            // Not the frame we want. Published (w > c) means it was overwritten or is corrupt; otherwise wait.
            ulong w = Volatile.Read(ref _g.Control->WriteIndex);
            if (w <= c)
            {
                if (c - w > _g.SlotCount)
                {
                    _cursor = w; // the write index went far backwards: ring reallocated (or corrupted); follow it
                }

                break;
            }

            if (Volatile.Read(ref h->Sequence) == want)
            {
                continue; // the writer completed slot c between our two loads: read it now
            }

            if (w - c <= _g.SlotCount)
            {
                _lost++;
                _cursor = c + 1;
                continue;
            }

            Resync();
        }

        length = 0;
        flags = SlotFlags.None;
        return false;
    }

    private void Resync()
    {
        ulong w = Volatile.Read(ref _g.Control->WriteIndex);
        // Oldest slot that can still be valid: the one being written next (w) overwrites w - SlotCount.
        ulong oldest = w >= _g.SlotCount ? w - _g.SlotCount + 1 : 0;
        if (oldest > _cursor)
        {
            _lost += (long)Math.Min(oldest - _cursor, (ulong)long.MaxValue / 2);
            _cursor = oldest;
        }
        else
        {
            // The frame at the cursor changed under us but the writer is not a lap ahead: count it and move on.
            _lost++;
            _cursor++;
        }
    }
}
