using ActorNet.DataPlane.Abi;
using ActorNet.DataPlane.Adapters;
using ActorNet.DataPlane.Forwarding;
using ActorNet.DataPlane.Frames;
using ActorNet.DataPlane.Notification;
using ActorNet.DataPlane.Rings;
using ActorNet.DataPlane.Segments;

namespace ActorNet.DataPlane.Engine;

/// <summary>How the engine's pollers wait and what they do with a full ring.</summary>
/// <param name="Mode">Polling (spin), interrupt (sleep at once) or adaptive (spin, then sleep).</param>
/// <param name="SpinIterations">Adaptive mode: empty passes before sleeping.</param>
/// <param name="MaxSleep">Longest single sleep in poll(2) on the adapter and the bell before the poller looks again (a safety net only: frames wake it).</param>
/// <param name="FullPolicy">Backpressure: retry a full ring for up to <paramref name="BackpressureLimit"/>, then drop and count; Drop: drop at once.</param>
/// <param name="BackpressureLimit">How long a full ring is retried before the frame is dropped as "full".</param>
/// <param name="PinCpu">CPU the poller thread is pinned to (Linux), null = the kernel places it.</param>
public sealed record LocalEngineOptions(
    NotificationMode Mode,
    int SpinIterations,
    TimeSpan MaxSleep,
    FullPolicy FullPolicy,
    TimeSpan BackpressureLimit,
    int? PinCpu = null)
{
    /// <summary>Adaptive, 2000 spins, 10 ms sleeps, backpressure for 5 ms: a reasonable default for tests.</summary>
    public static LocalEngineOptions Default { get; } = new(NotificationMode.Adaptive, 2000, TimeSpan.FromMilliseconds(10), FullPolicy.Backpressure, TimeSpan.FromMilliseconds(5));
}

/// <summary>
/// The data-plane engine of one node on one network: one poller thread that, in every pass, first moves frames from
/// the receive rings in this node's segment and from every connected peer's broadcast/multicast rings (private reader
/// cursors) → adapter, then frames adapter → forwarding decision (<see cref="FrameForwarder.Decide"/>) → the
/// destination node's transmit ring (in that node's segment), this node's broadcast ring or one of its multicast rings.
/// </summary>
/// <remarks>
/// <para>Placement (see docs/local-network.md): every node owns, in its own segment, one receive ring per possible
/// peer (pre-allocated at creation, since the ring table is fixed), its own broadcast ring and its own multicast
/// rings; it is the only writer of its cast rings and every peer reads them. No cast-ring ownership failover is
/// needed: a dead node's cast rings carry only that node's frames.</para>
/// <para>One thread for both directions: a frame delivered to a TAP device often makes the kernel answer at once
/// (an ICMP echo reply, a TCP ACK is queued on the device before the write returns), and the same pass reads that
/// answer and forwards it without any thread wake-up; on a small machine it also leaves the cores to the programs.
/// When a pass finds nothing, the poller spins (polling mode, or adaptive for <c>SpinIterations</c> empty passes)
/// and then sleeps in one <c>poll(2)</c> on the adapter's descriptor and this node's <see cref="DescriptorBell"/>
/// (ABI version 3), so a frame from either side wakes it; adapters without a descriptor wake it through
/// <see cref="FrameAdapter.ReadableHook"/> and the futex doorbell.</para>
/// <para>Zero copy towards the rings: a frame read from the adapter is read straight into a slot of the ring of the
/// last unicast destination (speculatively: with a few peers the next frame usually goes the same way) and committed
/// there when the forwarding decision agrees; otherwise it is copied to where the decision says.</para>
/// <para>Threading: the control plane (one caller at a time, serialised by an internal lock that the data path never
/// takes) calls <see cref="ConnectPeer"/>, <see cref="DisconnectPeer"/>, <see cref="Start"/>, <see cref="Stop"/>; it
/// publishes a new immutable link table with one reference store, and before unmapping a peer waits until the
/// poller has passed a loop boundary (it re-reads the table every pass), so the data path never waits on the
/// control plane and never touches an unmapped segment. Per frame: no allocation, lock, log or actor message.</para>
/// <para>Ownership: the engine owns the peer segments it was given by <see cref="ConnectPeer"/> (it unmaps them); the
/// caller owns this node's segment, the adapter and the forwarder, and disposes them after <see cref="Dispose"/>.</para>
/// </remarks>
public sealed unsafe class LocalNetworkEngine : IDisposable
{
    /// <summary>Ring index the forwarding snapshot uses for multicast ring k: <c>MulticastRingBase + k</c>.</summary>
    public const int MulticastRingBase = 1 << 16;

    /// <summary>Ring index of this node's broadcast ring in the forwarding snapshot.</summary>
    public const int BroadcastRingIndex = 0;

    private const int Batch = 64;
    private const int PublishBytes = 128 * 1024; // publish (and ring) at least this often within a batch of big frames
    private const long DoorbellSafetyNetMicroseconds = 100_000;
    private static readonly TimeSpan s_claimTimeout = TimeSpan.FromMilliseconds(2);

    private readonly SharedSegment _own;
    private readonly FrameAdapter _adapter;
    private readonly FrameForwarder _forwarder;
    private readonly LocalEngineOptions _options;
    private readonly ushort _localId;
    private readonly BroadcastWriter _broadcast;
    private readonly BroadcastWriter[] _multicast;
    private readonly SpscReceiver?[] _receivers;   // index: peer node id
    private readonly LinkCounters?[] _counters;    // index: peer node id
    private readonly LinkState[] _states;          // index: peer node id (control plane only)
    private readonly ulong[] _incarnations;        // index: peer node id (control plane only)
    private readonly bool _offloadInSlots;
    private readonly object _control = new();
    private readonly DescriptorBell? _bell;        // null: the adapter has no descriptor, or no FIFO could be made
    private readonly int _adapterDescriptor;
    private Links _links = Links.Empty;
    private Thread? _poller;
    private volatile bool _stopping;
    private long _passes;
    private long _rxSleeps;
    private byte[] _readBuffer = [];
    private byte[] _castBuffer = [];
    private PeerLink? _speculative;                // poller only: the last unicast destination
    private long _multicastFiltered;
    private long _doorbellsRung;
    private bool _castDirty;
    private bool _disposed;

    /// <summary>
    /// Creates the engine over this node's own segment (created with <see cref="NodeSegmentLayout"/>), its adapter
    /// and its forwarder. <paramref name="allocatablePeers"/> are the peers this segment holds a receive ring for.
    /// Frames carry their offload metadata across the rings only when the adapter supports offloads and the ring's
    /// slot holds the adapter's largest frame plus the 10-byte prefix.
    /// </summary>
    public LocalNetworkEngine(SharedSegment ownSegment, FrameAdapter adapter, FrameForwarder forwarder, LocalEngineOptions options, IEnumerable<ushort> allocatablePeers)
    {
        ArgumentNullException.ThrowIfNull(ownSegment);
        ArgumentNullException.ThrowIfNull(adapter);
        ArgumentNullException.ThrowIfNull(forwarder);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(allocatablePeers);
        _own = ownSegment;
        _adapter = adapter;
        _forwarder = forwarder;
        _options = options;
        _localId = ownSegment.NodeId;
        _broadcast = new BroadcastWriter(ownSegment);
        var multicast = new List<BroadcastWriter>();
        for (ulong k = 0; ownSegment.HasRegion(RegionKind.Multicast, 0, k); k++)
        {
            multicast.Add(new BroadcastWriter(ownSegment, k));
        }

        _multicast = multicast.ToArray();
        _receivers = new SpscReceiver?[MacAddress.MaxNodeId + 1];
        _counters = new LinkCounters?[MacAddress.MaxNodeId + 1];
        _states = new LinkState[MacAddress.MaxNodeId + 1];
        _incarnations = new ulong[MacAddress.MaxNodeId + 1];
        foreach (var peer in allocatablePeers)
        {
            if (peer == _localId || !ownSegment.HasRegion(RegionKind.Spsc, peer))
            {
                continue;
            }

            _receivers[peer] = new SpscReceiver(ownSegment, peer);
            _counters[peer] = new LinkCounters();
            SetRingDown(ownSegment, peer, down: true); // released until the peer connects
        }

        SlotCapacity = _broadcast.MaxFrameLength;
        _offloadInSlots = adapter.SupportsOffload && SlotCapacity >= adapter.MaxFrameSize + FrameOffload.Size;
        _adapterDescriptor = adapter.PollDescriptor;
        if (_adapterDescriptor >= 0)
        {
            _bell = DescriptorBell.TryCreate(ownSegment.Path, out var bellError);
            BellError = bellError;
        }
    }

    /// <summary>The CPU the poller runs pinned to, null when it is not pinned (not asked, or <see cref="PinError"/>).</summary>
    public int? PinnedCpu { get; private set; }

    /// <summary>Why pinning the poller to <see cref="LocalEngineOptions.PinCpu"/> failed, null when it did not.</summary>
    public string? PinError { get; private set; }

    /// <summary>Why the poller cannot sleep on its adapter's descriptor and a bell (then it sleeps on the futex in short naps), null when it can or the adapter has no descriptor.</summary>
    public string? BellError { get; }

    /// <summary>This node's id.</summary>
    public ushort LocalNodeId => _localId;

    /// <summary>Payload bytes of one slot of this node's rings.</summary>
    public int SlotCapacity { get; }

    /// <summary>Whether frames carry a <see cref="FrameOffload"/> prefix in the slots (IFF_VNET_HDR end to end).</summary>
    public bool OffloadInSlots => _offloadInSlots;

    /// <summary>Counters of this node's own broadcast and multicast rings (transmit side; receive side unused).</summary>
    public LinkCounters CastCounters { get; } = new();

    /// <summary>The adapter's counters (frames, bytes, runts, oversize, garbled, write drops).</summary>
    public AdapterCounters AdapterCounters => _adapter.Counters;

    /// <summary>The forwarder's counters by decision and drop cause.</summary>
    public ForwardingCounters ForwardingCounters => _forwarder.Counters;

    /// <summary>Number of multicast rings in this node's segment.</summary>
    public int MulticastRingCount => _multicast.Length;

    /// <summary>Times the receive poller went to sleep on this node's doorbell (found every ring empty after announcing it). Any thread.</summary>
    public long ReceiveSleeps => Volatile.Read(ref _rxSleeps);

    /// <summary>Times the transmit poller woke a sleeping peer receive poller through its doorbell. Any thread.</summary>
    public long DoorbellsRung => Volatile.Read(ref _doorbellsRung);

    /// <summary>Whether this node's receive poller currently announces that it sleeps on its doorbell. Any thread.</summary>
    public bool IsReceiverSleeping => Doorbell.IsReceiverSleeping(_own);

    /// <summary>
    /// The IPv4 multicast groups this node's kernel joined on its adapter, learnt by snooping the IGMP reports it
    /// sends (transmit poller); the receive poller hands a peer's multicast frame to the adapter only for these groups
    /// (and link-local 224.0.0.0/24).
    /// </summary>
    public MulticastGroupTable LocalGroups { get; } = new();

    /// <summary>IPv4 multicast frames read from peers' cast rings and not delivered because this node's kernel did not join the group. Any thread.</summary>
    public long MulticastFiltered => Volatile.Read(ref _multicastFiltered);

    /// <summary>True while the poller runs.</summary>
    public bool IsRunning => _poller is not null && !_stopping;

    /// <summary>Starts the poller thread. Control plane.</summary>
    public void Start()
    {
        lock (_control)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_poller is not null)
            {
                return;
            }

            _stopping = false;
            _readBuffer = GC.AllocateArray<byte>(Math.Max(_adapter.MaxFrameSize, SlotCapacity) + FrameOffload.Size, pinned: true);
            _castBuffer = GC.AllocateArray<byte>(SlotCapacity, pinned: true);
            if (_adapterDescriptor < 0 && _adapter.SignalsReadable)
            {
                _adapter.ReadableHook = WakePoller;
            }

            using var placed = new ManualResetEventSlim();
            _poller = new Thread(() => PollLoop(placed)) { IsBackground = true, Name = $"an-poll-{_localId}" };
            _poller.Start();
            placed.Wait(TimeSpan.FromSeconds(5)); // PinnedCpu / PinError are known when Start returns
        }
    }

    /// <summary>Stops the poller and waits for it (bounded by its sleep timeouts). Control plane.</summary>
    public void Stop()
    {
        Thread? poller;
        lock (_control)
        {
            poller = _poller;
            _stopping = true;
        }

        Doorbell.RingOwn(_own, _bell, evenIfAwake: true);
        poller?.Join();
        lock (_control)
        {
            _poller = null;
            _adapter.ReadableHook = null;
        }
    }

    // Any thread: wakes this node's poller if it sleeps (on the futex or in poll(2) on the bell).
    private void WakePoller() => Doorbell.RingOwn(_own, _bell);

    /// <summary>
    /// Connects peer <paramref name="peerNodeId"/> whose segment (incarnation <c>peerSegment.Incarnation</c>) the
    /// caller mapped: opens the transmit ring it allocated for us and readers on its cast rings, and re-opens our
    /// receive ring for it. A link already up to another incarnation is disconnected first. The engine owns
    /// <paramref name="peerSegment"/> from now on (also when this throws). Control plane.
    /// </summary>
    /// <exception cref="SegmentFormatException">The peer's segment has no ring for us, or a ring that does not validate.</exception>
    public void ConnectPeer(ushort peerNodeId, SharedSegment peerSegment)
    {
        ArgumentNullException.ThrowIfNull(peerSegment);
        lock (_control)
        {
            try
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                if (peerSegment.NodeId != peerNodeId)
                {
                    throw new SegmentFormatException($"{peerSegment.Path} belongs to node {peerSegment.NodeId}, not {peerNodeId}.");
                }

                if (_receivers[peerNodeId] is not { } receiver || _counters[peerNodeId] is not { } counters)
                {
                    throw new SegmentFormatException($"node {_localId} has no receive ring for node {peerNodeId} (its segment was laid out for other peers); restart it with that node in its configuration.");
                }

                if (_links.ByNode.TryGetValue(peerNodeId, out _))
                {
                    DisconnectLocked(peerNodeId);
                }

                var tx = new SpscSender(peerSegment, _localId, _options.Mode, _options.FullPolicy);
                var bell = new DescriptorBellRinger(peerSegment.Path);
                var readers = new List<CastSource> { new(new BroadcastReader(peerSegment), isMulticast: false) };
                for (ulong k = 0; peerSegment.HasRegion(RegionKind.Multicast, 0, k); k++)
                {
                    readers.Add(new CastSource(new BroadcastReader(peerSegment, k), isMulticast: true));
                }

                SetRingDown(_own, peerNodeId, down: false);
                var link = new PeerLink(peerNodeId, peerSegment, tx, receiver, readers.ToArray(), counters, bell);
                Volatile.Write(ref _links, _links.With(link));
                WakePoller(); // the poller re-reads the link table now, not after its safety-net sleep
                _states[peerNodeId] = LinkState.Up;
                _incarnations[peerNodeId] = peerSegment.Incarnation;
            }
            catch
            {
                if (!_links.ByNode.TryGetValue(peerNodeId, out var current) || current.Segment != peerSegment)
                {
                    peerSegment.Dispose();
                }

                throw;
            }
        }
    }

    /// <summary>
    /// Disconnects a peer that left, was downed or died: marks the transmit ring in its segment down (so nothing
    /// writes it any more), releases our receive ring for it (marked down), stops the pollers from using the link,
    /// waits until they have moved on, and unmaps its segment. No-op when not connected. Control plane.
    /// </summary>
    public void DisconnectPeer(ushort peerNodeId)
    {
        lock (_control)
        {
            if (_disposed)
            {
                return;
            }

            DisconnectLocked(peerNodeId);
        }
    }

    /// <summary>The links this engine knows, with their counters, ordered by peer id. Any thread.</summary>
    public IReadOnlyList<LinkStatus> Snapshot()
    {
        lock (_control)
        {
            var rows = new List<LinkStatus>();
            for (int id = 0; id < _counters.Length; id++)
            {
                if (_counters[id] is { } c)
                {
                    rows.Add(new LinkStatus((ushort)id, _states[id], _incarnations[id], c));
                }
            }

            return rows;
        }
    }

    /// <summary>Whether the transmit ring to <paramref name="peerNodeId"/> is currently connected. Any thread.</summary>
    public bool IsConnected(ushort peerNodeId) => Volatile.Read(ref _links).ByNode.ContainsKey(peerNodeId);

    /// <summary>Stops the pollers and unmaps every peer segment (not this node's own segment). Control plane.</summary>
    public void Dispose()
    {
        Stop();
        lock (_control)
        {
            if (_disposed)
            {
                return;
            }

            foreach (var id in _links.ByNode.Keys.ToArray())
            {
                DisconnectLocked(id);
            }

            _bell?.Dispose();
            _disposed = true;
        }
    }

    private void DisconnectLocked(ushort peerNodeId)
    {
        if (!_links.ByNode.TryGetValue(peerNodeId, out var link))
        {
            return;
        }

        SetRingDown(link.Segment, _localId, down: true);
        SetRingDown(_own, peerNodeId, down: true);
        Volatile.Write(ref _links, _links.Without(peerNodeId));
        WakePoller();
        WaitForPollerToPass();
        link.Bell.Dispose();
        link.Segment.Dispose();
        _states[peerNodeId] = LinkState.Down;
    }

    // The poller re-reads the link table at every pass; once it has started a new pass, it holds the old one no more.
    private void WaitForPollerToPass()
    {
        if (_poller is null || _stopping)
        {
            return;
        }

        long passes = Volatile.Read(ref _passes);
        long deadline = Environment.TickCount64 + 10_000;
        while (Volatile.Read(ref _passes) - passes < 2 && !_stopping)
        {
            if (Environment.TickCount64 > deadline)
            {
                throw new TimeoutException($"the data-plane poller of node {_localId} did not move on within 10 s; refusing to unmap a peer segment it may still use.");
            }

            Doorbell.RingOwn(_own, _bell, evenIfAwake: true); // a poller asleep would otherwise pass only after its safety-net timeout
            Thread.Sleep(1);
        }
    }

    private static void SetRingDown(SharedSegment segment, ushort senderNodeId, bool down)
    {
        var g = RingGeometry.Open(segment, RegionKind.Spsc, senderNodeId);
        if (down)
        {
            Interlocked.Or(ref g.Control->Flags, (uint)RingFlags.Down);
        }
        else
        {
            Interlocked.And(ref g.Control->Flags, ~(uint)RingFlags.Down);
        }
    }

    private void PollLoop(ManualResetEventSlim placed)
    {
        if (_options.PinCpu is { } cpu)
        {
            PinnedCpu = CpuAffinity.TryPinCurrentThread(cpu, out var pinError) ? cpu : null;
            PinError = pinError;
        }

        placed.Set();

        int idle = 0;
        while (!_stopping)
        {
            Interlocked.Increment(ref _passes);
            var links = Volatile.Read(ref _links);

            // Rings first: a frame handed to the kernel often makes it answer at once (echo reply, ACK), and the
            // transmit half of the same pass forwards the answer without a wake-up.
            int work = ReceivePass(links.Active);
            work += TransmitPass(links);
            if (work > 0)
            {
                idle = 0;
                continue;
            }

            idle++;
            if (_options.Mode == NotificationMode.Polling || (_options.Mode == NotificationMode.Adaptive && idle < _options.SpinIterations))
            {
                Thread.Yield(); // each empty pass: on a small machine the programs we carry frames for need the core too
                continue;
            }

            Sleep(links);
        }
    }

    // Sleeps until a frame can arrive from the adapter or a ring (no lost wake-up: announce, re-check, wait).
    private void Sleep(Links links)
    {
        var active = links.Active;
        if (_bell is not null)
        {
            Doorbell.PrepareToSleep(_own, Doorbell.SleepingOnDescriptor);
            if (_stopping || !ReferenceEquals(Volatile.Read(ref _links), links) || AnyPending(active))
            {
                Doorbell.Awake(_own);
                return;
            }

            _rxSleeps++;
            Doorbell.WaitDescriptors(_own, _bell, _adapterDescriptor, (int)Math.Clamp(_options.MaxSleep.TotalMilliseconds, 1, int.MaxValue));
            return;
        }

        // No descriptor to poll: sleep on the futex doorbell. An adapter that signals readability rings it; any other
        // one is looked at again after a short nap.
        int bell = Doorbell.PrepareToSleep(_own);
        if (_stopping || !ReferenceEquals(Volatile.Read(ref _links), links) || AnyPending(active) || _adapter.WaitReadable(0))
        {
            Doorbell.Awake(_own);
            return;
        }

        _rxSleeps++;
        long timeout = _adapter.SignalsReadable ? DoorbellSafetyNetMicroseconds : (long)Math.Clamp(_options.MaxSleep.TotalMicroseconds, 1000, 10_000);
        Doorbell.Wait(_own, bell, timeout);
    }

    private int TransmitPass(Links links)
    {
        var active = links.Active;
        int prefix = _offloadInSlots ? FrameOffload.Size : 0;
        int n = 0;
        int unpublished = 0;
        while (n < Batch)
        {
            // Speculative zero copy: read the frame straight into the next slot of the last unicast destination.
            var speculative = _speculative;
            if (speculative is not null && (speculative.NodeId >= links.ByIndex.Length || !ReferenceEquals(links.ByIndex[speculative.NodeId], speculative)))
            {
                speculative = _speculative = null;
            }

            int length;
            FrameOffload offload;
            if (speculative is not null && speculative.Tx.TryClaim(out var slot) && slot.Length >= prefix + _adapter.MaxFrameSize)
            {
                length = _adapter.Read(slot[prefix..], out offload);
                if (length == 0)
                {
                    break;
                }

                ForwardFromSlot(links, speculative, slot, prefix, length, offload);
            }
            else
            {
                length = _adapter.Read(_readBuffer, out offload);
                if (length == 0)
                {
                    break;
                }

                Forward(links, _readBuffer.AsSpan(0, length), offload);
            }

            n++;
            unpublished += length;
            if (unpublished >= PublishBytes)
            {
                PublishAll(active); // big frames: let the receiver start on them while we read the rest
                unpublished = 0;
            }
        }

        if (n > 0)
        {
            PublishAll(active);
        }

        return n;
    }

    private void PublishAll(PeerLink[] active)
    {
        for (int i = 0; i < active.Length; i++)
        {
            active[i].Tx.Publish();
        }

        RingDoorbells(active);
    }

    // Transmit poller, after publishing a batch: a full fence (pairs with the receiver's "announce sleeping, fence,
    // re-check every ring"), then the doorbell of every node that has something new to read: the destination of each
    // unicast ring written, and every connected peer when this node's broadcast/multicast rings were written. A
    // doorbell costs one read of the peer's flag unless that peer sleeps.
    private void RingDoorbells(PeerLink[] active)
    {
        Interlocked.MemoryBarrier();
        bool cast = _castDirty;
        _castDirty = false;
        for (int i = 0; i < active.Length; i++)
        {
            var link = active[i];
            if ((cast || link.TxDirty) && Doorbell.RingIfSleeping(link.Segment, link.Bell))
            {
                _doorbellsRung++;
            }

            link.TxDirty = false;
        }
    }

    private void Forward(Links links, ReadOnlySpan<byte> frame, in FrameOffload offload)
    {
        Snoop(frame);
        Dispatch(links, _forwarder.Decide(frame, Environment.TickCount64), frame, offload);
    }

    // The frame was read into a claimed slot of the speculative link's ring: commit it there when that is where it
    // goes, else copy it to where it goes (the claimed slot is simply reused by the next frame).
    private void ForwardFromSlot(Links links, PeerLink speculative, Span<byte> slot, int prefix, int length, in FrameOffload offload)
    {
        var frame = slot.Slice(prefix, length);
        Snoop(frame);
        var decision = _forwarder.Decide(frame, Environment.TickCount64);
        if (decision.Action == ForwardingAction.Unicast && decision.Ring < links.ByIndex.Length && ReferenceEquals(links.ByIndex[decision.Ring], speculative))
        {
            CommitUnicast(speculative, slot, prefix, length, offload); // the frame is in place already
            return;
        }

        Dispatch(links, decision, frame, offload);
    }

    private void Snoop(ReadOnlySpan<byte> frame)
    {
        if (frame.Length > 23 && (frame[0] & 1) != 0 && frame[23] == 2)
        {
            IgmpSnooper.Observe(frame, LocalGroups); // our kernel joins/leaves a group (IPv4 protocol 2)
        }
    }

    private void Dispatch(Links links, in ForwardingDecision decision, ReadOnlySpan<byte> frame, in FrameOffload offload)
    {
        switch (decision.Action)
        {
            case ForwardingAction.Unicast:
                if (decision.Ring < links.ByIndex.Length && links.ByIndex[decision.Ring] is { } link)
                {
                    WriteUnicast(links, link, frame, offload);
                }
                else if (decision.NodeId < _counters.Length && _counters[decision.NodeId] is { } c)
                {
                    c._txDropDown++;
                }

                break;
            case ForwardingAction.Broadcast:
                WriteCast(_broadcast, frame, offload);
                break;
            case ForwardingAction.Multicast:
                int k = decision.Ring - MulticastRingBase;
                WriteCast((uint)k < (uint)_multicast.Length ? _multicast[k] : _broadcast, frame, offload);
                break;
            default:
                break; // counted by the forwarder by cause
        }
    }

    private void WriteUnicast(Links links, PeerLink link, ReadOnlySpan<byte> frame, in FrameOffload offload)
    {
        int prefix = _offloadInSlots ? FrameOffload.Size : 0;
        var tx = link.Tx;
        if (!tx.TryClaim(out var slot))
        {
            if (!WaitForSlot(links, link, out slot))
            {
                return;
            }
        }

        if (frame.Length + prefix > slot.Length)
        {
            link.Counters._txDropFull++; // cannot happen with a slot sized for the adapter; counted rather than thrown
            return;
        }

        frame.CopyTo(slot[prefix..]);
        CommitUnicast(link, slot, prefix, frame.Length, offload);
    }

    // The frame is at slot[prefix..prefix+length] of the link's claimed slot: add the offload prefix, commit, count,
    // and make the link the next speculative destination.
    private void CommitUnicast(PeerLink link, Span<byte> slot, int prefix, int length, in FrameOffload offload)
    {
        if (prefix != 0)
        {
            offload.WriteTo(slot);
        }

        link.Tx.Commit(length + prefix, prefix != 0 ? SlotFlags.Offload : SlotFlags.None);
        link.TxDirty = true;
        _speculative = link;
        link.Counters._txFrames++;
        link.Counters._txBytes += length;
    }

    private bool WaitForSlot(Links links, PeerLink link, out Span<byte> slot)
    {
        var tx = link.Tx;
        tx.Publish(); // let the receiver see what we have before waiting for it, and wake it if it sleeps
        Interlocked.MemoryBarrier();
        if (Doorbell.RingIfSleeping(link.Segment, link.Bell))
        {
            _doorbellsRung++;
        }

        link.TxDirty = false;
        if (_options.FullPolicy == FullPolicy.Backpressure)
        {
            long deadline = Environment.TickCount64 + Math.Max(1, (long)_options.BackpressureLimit.TotalMilliseconds);
            int spins = 0;
            while (!_stopping && !tx.IsDown && ReferenceEquals(Volatile.Read(ref _links), links))
            {
                if (tx.TryClaim(out slot))
                {
                    return true;
                }

                if ((++spins & 0x3F) == 0)
                {
                    if (Environment.TickCount64 > deadline)
                    {
                        break;
                    }

                    ReceivePass(links.Active); // the peer may be waiting for room in our rings: keep draining them
                }

                Thread.SpinWait(4);
            }
        }

        slot = default;
        if (tx.IsDown)
        {
            link.Counters._txDropDown++;
        }
        else
        {
            link.Counters._txDropFull++;
        }

        return false;
    }

    private void WriteCast(BroadcastWriter writer, ReadOnlySpan<byte> frame, in FrameOffload offload)
    {
        bool ok;
        if (_offloadInSlots)
        {
            // Cast writers take a contiguous frame: build prefix + frame on the stack only when it fits, else in a
            // reusable thread-static buffer (the transmit poller is the only caller).
            var scratch = s_castScratch ??= new byte[SlotCapacity];
            if (frame.Length + FrameOffload.Size > scratch.Length)
            {
                CastCounters._txDropFull++;
                return;
            }

            offload.WriteTo(scratch);
            frame.CopyTo(scratch.AsSpan(FrameOffload.Size));
            ok = writer.TryWrite(scratch.AsSpan(0, frame.Length + FrameOffload.Size), SlotFlags.Offload, s_claimTimeout);
        }
        else
        {
            ok = frame.Length <= writer.MaxFrameLength && writer.TryWrite(frame, SlotFlags.None, s_claimTimeout);
        }

        if (ok)
        {
            _castDirty = true;
            CastCounters._txFrames++;
            CastCounters._txBytes += frame.Length;
        }
        else
        {
            CastCounters._txDropFull++;
        }
    }

    [ThreadStatic]
    private static byte[]? s_castScratch;

    private int ReceivePass(PeerLink[] active)
    {
        int total = 0;
        for (int i = 0; i < active.Length; i++)
        {
            var link = active[i];
            var handler = new DeliverHandler(this, link);
            int n = link.Rx.Drain(ref handler, Batch);
            for (int r = 0; r < link.Casts.Length; r++)
            {
                n += DrainCast(link, link.Casts[r], _castBuffer);
            }

            link.SyncReceiverCounters();
            total += n;
        }

        return total;
    }

    private static bool AnyPending(PeerLink[] active)
    {
        for (int i = 0; i < active.Length; i++)
        {
            var link = active[i];
            if (link.Rx.Available() != 0)
            {
                return true;
            }

            for (int r = 0; r < link.Casts.Length; r++)
            {
                if (link.Casts[r].Reader.HasPending)
                {
                    return true;
                }
            }
        }

        return false;
    }

    private int DrainCast(PeerLink link, CastSource source, byte[] buffer)
    {
        int n = 0;
        var reader = source.Reader;
        while (n < Batch && reader.TryRead(buffer, out int length, out var flags))
        {
            n++;
            var frame = new ReadOnlySpan<byte>(buffer, 0, length);
            if (source.IsMulticast && length >= ShmMacHeader.Size && !_forwarder.Current.AcceptsGroup(MacAddress.Read(frame)))
            {
                continue; // a group this node did not join
            }

            if (!KernelJoined(frame, flags))
            {
                _multicastFiltered++;
                continue;
            }

            Deliver(link, frame, flags);
        }

        return n;
    }

    // Receive poller: false only for an IPv4 multicast frame to a group this node's kernel did not join (snooped
    // IGMP); broadcast, link-local groups, non-IPv4 multicast (IPv6/MLD is not snooped) and anything unparsable pass.
    private bool KernelJoined(ReadOnlySpan<byte> payload, SlotFlags flags)
    {
        var frame = (flags & SlotFlags.Offload) != 0 && payload.Length >= FrameOffload.Size ? payload[FrameOffload.Size..] : payload;
        if (frame.Length < 34 || (frame[0] & 1) == 0 || frame[0] == 0xFF || frame[12] != 0x08 || frame[13] != 0x00)
        {
            return true;
        }

        uint group = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(frame[30..]);
        return !MulticastGroupTable.IsMulticast(group) || LocalGroups.Accepts(group);
    }

    private void Deliver(PeerLink link, ReadOnlySpan<byte> payload, SlotFlags flags)
    {
        var counters = link.Counters;
        if ((flags & SlotFlags.Control) != 0)
        {
            counters._rxControl++;
            return;
        }

        var offload = FrameOffload.None;
        var frame = payload;
        if ((flags & SlotFlags.Offload) != 0)
        {
            if (payload.Length < FrameOffload.Size || !FrameOffload.TryRead(payload, payload.Length - FrameOffload.Size, out offload))
            {
                counters._rxDropMalformed++;
                return;
            }

            frame = payload[FrameOffload.Size..];
        }

        if (frame.Length < ShmMacHeader.Size)
        {
            counters._rxDropMalformed++;
            return;
        }

        _forwarder.Learn(frame, link.NodeId, Environment.TickCount64);
        if (_adapter.TryWrite(frame, offload))
        {
            counters._rxFrames++;
            counters._rxBytes += frame.Length;
        }
        else
        {
            counters._rxDropMalformed++;
        }
    }

    private readonly struct DeliverHandler : IFrameHandler
    {
        private readonly LocalNetworkEngine _engine;
        private readonly PeerLink _link;

        public DeliverHandler(LocalNetworkEngine engine, PeerLink link)
        {
            _engine = engine;
            _link = link;
        }

        public void OnFrame(ReadOnlySpan<byte> frame, SlotFlags flags) => _engine.Deliver(_link, frame, flags);
    }

    private sealed class CastSource
    {
        public CastSource(BroadcastReader reader, bool isMulticast)
        {
            Reader = reader;
            IsMulticast = isMulticast;
        }

        public BroadcastReader Reader { get; }

        public bool IsMulticast { get; }

        public long SeenLost { get; set; }

        public long SeenCorrupt { get; set; }
    }

    private sealed class PeerLink
    {
        private long _seenCorruptSlots;
        private long _seenCorruptIndex;

        public PeerLink(ushort nodeId, SharedSegment segment, SpscSender tx, SpscReceiver rx, CastSource[] casts, LinkCounters counters, DescriptorBellRinger bell)
        {
            Bell = bell;
            NodeId = nodeId;
            Segment = segment;
            Tx = tx;
            Rx = rx;
            Casts = casts;
            Counters = counters;
            _seenCorruptSlots = rx.Counters.CorruptSlots;
            _seenCorruptIndex = rx.Counters.CorruptIndex;
        }

        public ushort NodeId { get; }

        public SharedSegment Segment { get; }

        // Poller only (disposed by the control plane after the poller has moved on): the peer's descriptor bell.
        public DescriptorBellRinger Bell { get; }

        // Transmit poller only: frames were committed to Tx since the last doorbell pass.
        public bool TxDirty { get; set; }

        public SpscSender Tx { get; }

        public SpscReceiver Rx { get; }

        public CastSource[] Casts { get; }

        public LinkCounters Counters { get; }

        // Receive poller only: folds the rings' own counters (cumulative) into the link's drop causes.
        public void SyncReceiverCounters()
        {
            ref readonly var rc = ref Rx.Counters;
            long slots = rc.CorruptSlots;
            long index = rc.CorruptIndex;
            long malformed = (slots - _seenCorruptSlots) + (index - _seenCorruptIndex);
            _seenCorruptSlots = slots;
            _seenCorruptIndex = index;
            long stale = 0;
            for (int i = 0; i < Casts.Length; i++)
            {
                var c = Casts[i];
                long lost = c.Reader.Lost;
                long corrupt = c.Reader.Corrupt;
                stale += lost - c.SeenLost;
                malformed += corrupt - c.SeenCorrupt;
                c.SeenLost = lost;
                c.SeenCorrupt = corrupt;
            }

            if (malformed != 0)
            {
                Counters._rxDropMalformed += malformed;
            }

            if (stale != 0)
            {
                Counters._rxDropStale += stale;
            }
        }
    }

    // Immutable link table, replaced as a whole by the control plane.
    private sealed class Links
    {
        public static readonly Links Empty = new(new Dictionary<ushort, PeerLink>());

        private Links(Dictionary<ushort, PeerLink> byNode)
        {
            ByNode = byNode;
            Active = byNode.Values.OrderBy(l => l.NodeId).ToArray();
            ByIndex = new PeerLink?[byNode.Count == 0 ? 0 : byNode.Keys.Max() + 1];
            foreach (var (id, link) in byNode)
            {
                ByIndex[id] = link;
            }
        }

        public IReadOnlyDictionary<ushort, PeerLink> ByNode { get; }

        public PeerLink[] Active { get; }

        public PeerLink?[] ByIndex { get; }

        public Links With(PeerLink link) => new(new Dictionary<ushort, PeerLink>((Dictionary<ushort, PeerLink>)ByNode) { [link.NodeId] = link });

        public Links Without(ushort id)
        {
            var copy = new Dictionary<ushort, PeerLink>((Dictionary<ushort, PeerLink>)ByNode);
            copy.Remove(id);
            return new Links(copy);
        }
    }
}
