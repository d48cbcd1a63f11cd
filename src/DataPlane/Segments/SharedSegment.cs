using System.Diagnostics;
using ActorNet.DataPlane.Abi;

namespace ActorNet.DataPlane.Segments;

/// <summary>What a segment's header says about its owner, as seen by any process that maps it.</summary>
/// <param name="NodeId">Owner node id.</param>
/// <param name="Incarnation">Owner incarnation (changes at every node restart).</param>
/// <param name="OwnerPid">Owner process id on this host.</param>
/// <param name="State">Segment state word.</param>
/// <param name="ProcessAlive">The owner pid exists (kill(pid, 0)).</param>
/// <param name="HeartbeatAge">Time since the owner last bumped its heartbeat word.</param>
/// <param name="IsAlive">Process alive, state active and heartbeat younger than the limit asked for.</param>
public readonly record struct PeerLiveness(ushort NodeId, ulong Incarnation, int OwnerPid, SegmentState State, bool ProcessAlive, TimeSpan HeartbeatAge, bool IsAlive);

/// <summary>
/// One node's shared-memory segment, <c>&lt;shm-root&gt;/&lt;cluster&gt;/node-&lt;id&gt;</c>: a header, a ring table and
/// the regions (receive rings, broadcast/multicast rings, zero-copy pool and return rings) listed in it.
/// The owner <see cref="Create"/>s it and bumps its heartbeat; peers <see cref="Open"/> it, which validates
/// every header field and every table entry against the mapping before anything is dereferenced.
/// An instance is used by one thread at a time for opening rings; rings opened from it must be disposed
/// before the segment (disposing the segment unmaps the memory they point into).
/// </summary>
public sealed unsafe class SharedSegment : IDisposable
{
    private readonly MappedRegion _region;
    private readonly RingTableEntry[] _entries; // private copy taken at create/open: later writes to the table are ignored

    private SharedSegment(string path, MappedRegion region, RingTableEntry[] entries, bool isOwner, ushort nodeId, ulong incarnation)
    {
        Path = path;
        _region = region;
        _entries = entries;
        IsOwner = isOwner;
        NodeId = nodeId;
        Incarnation = incarnation;
    }

    /// <summary>File path of the segment.</summary>
    public string Path { get; }

    /// <summary>True for the process that created the segment.</summary>
    public bool IsOwner { get; }

    /// <summary>Owner node id (validated at open).</summary>
    public ushort NodeId { get; }

    /// <summary>Owner incarnation read at open.</summary>
    public ulong Incarnation { get; }

    /// <summary>Mapped size in bytes.</summary>
    public long Size => _region.Length;

    internal byte* Base => _region.Base;

    internal SegmentHeader* Header => (SegmentHeader*)_region.Base;

    /// <summary>The conventional segment path for a node: <c>&lt;shmRoot&gt;/&lt;cluster&gt;/node-&lt;id&gt;</c>.</summary>
    public static string PathFor(string shmRoot, string cluster, ushort nodeId) =>
        System.IO.Path.Combine(shmRoot, cluster, $"node-{nodeId}");

    /// <summary>
    /// Creates the owner's segment. A leftover file at <paramref name="path"/> is reclaimed (removed) when
    /// <see cref="Inspect"/> says it is reclaimable (unreadable, owner dead, closed, or another incarnation with a
    /// stale heartbeat); a live owner makes this throw <see cref="IOException"/>. <paramref name="staleHeartbeat"/>
    /// (default 5 s) is how old a live-looking owner's heartbeat may be before its segment counts as abandoned.
    /// </summary>
    public static SharedSegment Create(string path, ushort nodeId, ulong incarnation, SegmentLayout layout, TimeSpan? staleHeartbeat = null)
    {
        if (nodeId is 0 or 0xFFFF)
        {
            throw new ArgumentOutOfRangeException(nameof(nodeId), nodeId, "node ids are 1..65534");
        }

        if (File.Exists(path))
        {
            var inspection = Inspect(path, staleHeartbeat ?? TimeSpan.FromSeconds(5));
            if (!inspection.Reclaimable)
            {
                throw new IOException($"{path}: segment is in use by node {inspection.Liveness?.NodeId} pid {inspection.Liveness?.OwnerPid} (incarnation {inspection.Liveness?.Incarnation}); refusing to replace it.");
            }

            File.Delete(path);
        }

        var specs = layout.Regions;
        if (specs.Count > ShmLayout.MaxRingTableEntries)
        {
            throw new ArgumentException($"at most {ShmLayout.MaxRingTableEntries} regions per segment", nameof(layout));
        }

        var entries = new RingTableEntry[specs.Count];
        long offset = ShmLayout.AlignUp(ShmLayout.RingTableOffset + ((long)specs.Count * ShmLayout.RingTableEntrySize), ShmLayout.RegionAlignment);
        for (int i = 0; i < specs.Count; i++)
        {
            long size = SegmentLayout.RegionSize(specs[i]);
            entries[i] = new RingTableEntry { Kind = (uint)specs[i].Kind, PeerNodeId = specs[i].PeerNodeId, Offset = (ulong)offset, Size = (ulong)size, Tag = specs[i].Tag };
            offset = ShmLayout.AlignUp(offset + size, ShmLayout.RegionAlignment);
        }

        var region = MappedRegion.CreateNew(path, offset);
        try
        {
            byte* b = region.Base;
            var h = (SegmentHeader*)b;
            h->AbiVersion = ShmLayout.AbiVersion;
            h->HeaderSize = ShmLayout.SegmentHeaderSize;
            h->SegmentSize = (ulong)offset;
            h->Incarnation = incarnation;
            h->NodeId = nodeId;
            h->OwnerPid = Environment.ProcessId;
            h->State = (uint)SegmentState.Creating;
            h->RingTableCount = (uint)specs.Count;
            h->RingTableOffset = ShmLayout.RingTableOffset;
            h->Heartbeat = Environment.TickCount64;
            var table = (RingTableEntry*)(b + ShmLayout.RingTableOffset);
            for (int i = 0; i < specs.Count; i++)
            {
                table[i] = entries[i];
                InitRegion(b + entries[i].Offset, specs[i], nodeId, incarnation);
            }

            // Publish: magic last with release semantics, so a mapper that sees the magic sees everything above.
            Volatile.Write(ref h->Magic, ShmLayout.SegmentMagic);
            Volatile.Write(ref h->State, (uint)SegmentState.Active);
            return new SharedSegment(path, region, entries, isOwner: true, nodeId, incarnation);
        }
        catch
        {
            region.Dispose();
            File.Delete(path);
            throw;
        }
    }

    private static void InitRegion(byte* p, RegionSpec spec, ushort ownerNode, ulong epoch)
    {
        if (spec.Kind == RegionKind.BufferPool)
        {
            var ph = (PoolHeader*)p;
            ph->BufferCount = (uint)spec.Count;
            ph->BufferSize = (uint)spec.ElementSize;
            ph->BufferStride = (uint)ShmLayout.BufferStride(spec.ElementSize);
            ph->BuffersOffset = ShmLayout.PoolHeaderSize;
            ph->ReceiverNodeId = spec.PeerNodeId;
            return;
        }

        var rcb = (RingControlBlock*)p;
        rcb->Kind = (uint)spec.Kind;
        rcb->SlotCount = (uint)spec.Count;
        rcb->SlotPayloadSize = (uint)spec.ElementSize;
        rcb->SlotStride = (uint)ShmLayout.SlotStride(spec.ElementSize);
        rcb->SlotsOffset = ShmLayout.RingControlBlockSize;
        rcb->Epoch = epoch;
        rcb->LeaseMilliseconds = 200;
        switch (spec.Kind)
        {
            case RegionKind.Spsc or RegionKind.Descriptor:
                rcb->SenderNodeId = spec.PeerNodeId;
                rcb->ReceiverNodeId = ownerNode;
                break;
            case RegionKind.Return:
                rcb->SenderNodeId = spec.PeerNodeId;
                rcb->ReceiverNodeId = ownerNode;
                break;
            default:
                rcb->SenderNodeId = 0;
                rcb->ReceiverNodeId = 0;
                break;
        }

        if (spec.Groups is { } groups)
        {
            rcb->GroupCount = (uint)groups.Count;
            ulong* g = &rcb->Group0;
            for (int i = 0; i < groups.Count; i++)
            {
                g[i] = groups[i] & 0xFFFF_FFFF_FFFFUL;
            }
        }

        // Broadcast slots start "empty": sequence 0 never equals a completed 2i+2.
    }

    /// <summary>
    /// Maps a peer's segment and validates the header (magic, ABI version, header size, segment size equal to
    /// the file, ring table inside the mapping) and every table entry (offset aligned, region inside the mapping,
    /// known kind). Throws <see cref="SegmentFormatException"/> naming the first field that is wrong.
    /// </summary>
    public static SharedSegment Open(string path, ushort? expectedNodeId = null)
    {
        var region = MappedRegion.OpenExisting(path, ShmLayout.SegmentHeaderSize, ShmLayout.MaxSegmentSize);
        try
        {
            var h = (SegmentHeader*)region.Base;
            ulong magic = Volatile.Read(ref h->Magic);
            if (magic != ShmLayout.SegmentMagic)
            {
                throw new SegmentFormatException($"{path}: magic 0x{magic:X16} is not 0x{ShmLayout.SegmentMagic:X16} (not an ActorNet segment of ABI {ShmLayout.AbiVersion}, or still being created).");
            }

            if (h->AbiVersion != ShmLayout.AbiVersion)
            {
                throw new SegmentFormatException($"{path}: ABI version {h->AbiVersion}, this build speaks {ShmLayout.AbiVersion}.");
            }

            if (h->HeaderSize != ShmLayout.SegmentHeaderSize)
            {
                throw new SegmentFormatException($"{path}: header size {h->HeaderSize}, expected {ShmLayout.SegmentHeaderSize}.");
            }

            if (h->SegmentSize != (ulong)region.Length)
            {
                throw new SegmentFormatException($"{path}: header says {h->SegmentSize} bytes but the mapping is {region.Length} bytes.");
            }

            ushort nodeId = h->NodeId;
            if (nodeId is 0 or 0xFFFF || (expectedNodeId is { } want && want != nodeId))
            {
                throw new SegmentFormatException($"{path}: node id {nodeId}, expected {(expectedNodeId?.ToString() ?? "1..65534")}.");
            }

            uint count = h->RingTableCount;
            ulong tableOffset = h->RingTableOffset;
            if (count > ShmLayout.MaxRingTableEntries || tableOffset != ShmLayout.RingTableOffset
                || tableOffset + ((ulong)count * ShmLayout.RingTableEntrySize) > (ulong)region.Length)
            {
                throw new SegmentFormatException($"{path}: ring table ({count} entries at offset {tableOffset}) does not fit the {region.Length}-byte mapping (max {ShmLayout.MaxRingTableEntries} entries at {ShmLayout.RingTableOffset}).");
            }

            var entries = new RingTableEntry[count];
            var table = (RingTableEntry*)(region.Base + tableOffset);
            for (int i = 0; i < count; i++)
            {
                var e = table[i];
                if (e.Kind is 0 or > (uint)RegionKind.BufferPool)
                {
                    throw new SegmentFormatException($"{path}: ring table entry {i}: unknown kind {e.Kind}.");
                }

                if (e.Offset % ShmLayout.CacheLineSize != 0 || e.Offset < ShmLayout.RingTableOffset || e.Size < ShmLayout.RingControlBlockSize
                    || e.Offset > (ulong)region.Length || e.Size > (ulong)region.Length - e.Offset)
                {
                    throw new SegmentFormatException($"{path}: ring table entry {i} ({(RegionKind)e.Kind}): region [{e.Offset}, +{e.Size}) is not a cache-aligned range inside the {region.Length}-byte mapping.");
                }

                entries[i] = e;
            }

            return new SharedSegment(path, region, entries, isOwner: false, nodeId, h->Incarnation);
        }
        catch
        {
            region.Dispose();
            throw;
        }
    }

    /// <summary>What <see cref="Inspect"/> found at a segment path.</summary>
    /// <param name="Exists">A file is there.</param>
    /// <param name="Valid">It maps and validates as a segment of this ABI.</param>
    /// <param name="Liveness">Owner liveness when valid.</param>
    /// <param name="Reclaimable">Safe to remove: invalid, owner dead, closed, or heartbeat stale.</param>
    /// <param name="Reason">Why, in words, for logs and errors.</param>
    public readonly record struct Inspection(bool Exists, bool Valid, PeerLiveness? Liveness, bool Reclaimable, string Reason);

    /// <summary>Looks at a (possibly leftover) segment without keeping it mapped and says whether it can be reclaimed.</summary>
    public static Inspection Inspect(string path, TimeSpan maxHeartbeatAge)
    {
        if (!File.Exists(path))
        {
            return new Inspection(false, false, null, true, "no file");
        }

        SharedSegment seg;
        try
        {
            seg = Open(path);
        }
        catch (Exception e) when (e is SegmentFormatException or IOException or UnauthorizedAccessException)
        {
            return new Inspection(true, false, null, true, "unreadable: " + e.Message);
        }

        using (seg)
        {
            var live = seg.GetLiveness(maxHeartbeatAge);
            if (live.State == SegmentState.Closed)
            {
                return new Inspection(true, true, live, true, "owner closed it");
            }

            if (!live.ProcessAlive)
            {
                return new Inspection(true, true, live, true, $"owner pid {live.OwnerPid} is dead");
            }

            if (live.OwnerPid == Environment.ProcessId)
            {
                return new Inspection(true, true, live, true, "left by an earlier incarnation in this process");
            }

            if (!live.IsAlive)
            {
                return new Inspection(true, true, live, true, $"heartbeat stale for {live.HeartbeatAge.TotalMilliseconds:F0} ms (pid {live.OwnerPid} reused or hung)");
            }

            return new Inspection(true, true, live, false, $"owner pid {live.OwnerPid} is alive");
        }
    }

    /// <summary>Removes a segment file and its descriptor bell (missing is fine). Processes that still map it keep their mapping.</summary>
    public static void Remove(string path)
    {
        if (File.Exists(path))
        {
            File.Delete(path);
        }

        var bell = Notification.DescriptorBell.PathFor(path);
        if (File.Exists(bell))
        {
            File.Delete(bell);
        }
    }

    /// <summary>Owner only: bumps the heartbeat word (milliseconds of system uptime). Called from a timer, not per frame.</summary>
    public void Heartbeat()
    {
        if (!IsOwner)
        {
            throw new InvalidOperationException("only the owner bumps its heartbeat");
        }

        Volatile.Write(ref Header->Heartbeat, Environment.TickCount64);
    }

    /// <summary>Owner only: marks the segment closed (peers stop using it) before removal.</summary>
    public void MarkClosed()
    {
        if (IsOwner)
        {
            Volatile.Write(ref Header->State, (uint)SegmentState.Closed);
        }
    }

    /// <summary>
    /// Marks a ring of this segment down (or up again): its sender sees <c>SendResult.Down</c> and stops writing.
    /// Called by the control plane when the peer at the other end leaves or dies. Release store.
    /// </summary>
    public void SetRingDown(RegionKind kind, ushort peerNodeId, bool down, ulong tag = 0)
    {
        var (ring, _) = FindRegion(kind, peerNodeId, tag);
        ref uint flags = ref ((RingControlBlock*)ring)->Flags;
        uint current = Volatile.Read(ref flags);
        Volatile.Write(ref flags, down ? current | (uint)RingFlags.Down : current & ~(uint)RingFlags.Down);
    }

    /// <summary>Reads the owner's liveness: process check plus heartbeat age (untrusted values, only compared).</summary>
    public PeerLiveness GetLiveness(TimeSpan maxHeartbeatAge)
    {
        var h = Header;
        int pid = Volatile.Read(ref h->OwnerPid);
        var state = (SegmentState)Volatile.Read(ref h->State);
        long beat = Volatile.Read(ref h->Heartbeat);
        long ageMs = Math.Max(0, Environment.TickCount64 - beat);
        bool processAlive = ProcessLiveness.IsAlive(pid);
        bool alive = processAlive && state == SegmentState.Active && ageMs <= (long)maxHeartbeatAge.TotalMilliseconds;
        return new PeerLiveness(h->NodeId, Volatile.Read(ref h->Incarnation), pid, state, processAlive, TimeSpan.FromMilliseconds(ageMs), alive);
    }

    /// <summary>
    /// Finds a region by kind and peer (and tag for multicast) in the private copy of the ring table. Returns its
    /// base pointer and size, already checked to lie inside the mapping.
    /// </summary>
    internal (nint Base, long Size) FindRegion(RegionKind kind, ushort peerNodeId, ulong tag = 0)
    {
        foreach (var e in _entries)
        {
            if (e.Kind == (uint)kind && e.PeerNodeId == peerNodeId && e.Tag == tag)
            {
                return ((nint)(_region.Base + e.Offset), (long)e.Size);
            }
        }

        throw new SegmentFormatException($"{Path}: no {kind} region for peer node {peerNodeId} (tag {tag}) in the ring table of node {NodeId}.");
    }

    /// <summary>True when the segment has a region of that kind for that peer.</summary>
    public bool HasRegion(RegionKind kind, ushort peerNodeId, ulong tag = 0) =>
        Array.Exists(_entries, e => e.Kind == (uint)kind && e.PeerNodeId == peerNodeId && e.Tag == tag);

    /// <summary>Converts a pointer inside the mapping to its segment offset (for descriptors).</summary>
    internal ulong OffsetOf(byte* p)
    {
        Debug.Assert(p >= _region.Base && p < _region.Base + _region.Length);
        return (ulong)(p - _region.Base);
    }

    /// <summary>Unmaps the segment. The owner marks it closed first; the file stays until <see cref="Remove"/>.</summary>
    public void Dispose()
    {
        if (_region.Base != null && IsOwner)
        {
            MarkClosed();
        }

        _region.Dispose();
    }
}
