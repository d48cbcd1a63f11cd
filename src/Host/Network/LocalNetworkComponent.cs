using System.Globalization;
using System.Net;
using System.Net.Sockets;
using ActorNet.Actors;
using ActorNet.DataPlane.Adapters;
using ActorNet.DataPlane.Engine;
using ActorNet.DataPlane.Forwarding;
using ActorNet.DataPlane.Frames;
using ActorNet.DataPlane.RingAllocation;
using ActorNet.DataPlane.Rings;
using ActorNet.DataPlane.Segments;
using ActorNet.Host.Configuration;
using Microsoft.Extensions.Logging;
using DpNotification = ActorNet.DataPlane.Notification.NotificationMode;
using SegmentState = ActorNet.DataPlane.Abi.SegmentState;

namespace ActorNet.Host.Network;

/// <summary>
/// Everything the local network component needs, as plain values (built once from <see cref="ActorNetSettings"/>
/// with <see cref="FromSettings"/>, or directly by tests).
/// </summary>
/// <param name="NodeId">This node.</param>
/// <param name="NodeName">Its name (status only).</param>
/// <param name="Cluster">Cluster name: the segment folder.</param>
/// <param name="ShmRoot">Shared-memory root folder.</param>
/// <param name="Peers">Every other node this node may talk to: one receive ring each.</param>
/// <param name="AdapterName">OS name of the adapter (shm0).</param>
/// <param name="Mtu">IP MTU of the adapter.</param>
/// <param name="Address">IPv4 address of the adapter (null: none).</param>
/// <param name="PrefixLength">Prefix length of the subnet.</param>
/// <param name="RingDepth">Slots per ring.</param>
/// <param name="MulticastGroups">IPv4 groups that get their own multicast ring.</param>
/// <param name="Engine">Notification mode and full policy.</param>
/// <param name="HeartbeatInterval">Period of this segment's heartbeat word.</param>
/// <param name="HeartbeatTimeout">Age of a peer's heartbeat that means it is dead.</param>
/// <param name="ScanInterval">How often the ring-allocation actor looks for peers (same-host discovery).</param>
/// <param name="Offloads">Ask for IFF_VNET_HDR offloads (used only when the slots hold a super-frame).</param>
public sealed record LocalNetworkOptions(
    ushort NodeId,
    string NodeName,
    string Cluster,
    string ShmRoot,
    IReadOnlyList<ushort> Peers,
    string AdapterName,
    int Mtu,
    IPAddress? Address,
    int PrefixLength,
    int RingDepth,
    IReadOnlyList<IPAddress> MulticastGroups,
    LocalEngineOptions Engine,
    TimeSpan HeartbeatInterval,
    TimeSpan HeartbeatTimeout,
    TimeSpan ScanInterval,
    bool Offloads)
{
    /// <summary>Folder of this cluster's segments.</summary>
    public string ClusterFolder => Path.Combine(ShmRoot, Cluster);

    /// <summary>Path of this node's segment.</summary>
    public string SegmentPath => SharedSegment.PathFor(ShmRoot, Cluster, NodeId);

    /// <summary>Path of the status file this node rewrites twice a second (read by <c>actornet up</c>'s live view).</summary>
    public string StatusPath => StatusFile.PathFor(ShmRoot, Cluster, NodeId);

    /// <summary>
    /// Payload bytes of each ring slot: the frame (MTU + 18), or, when <see cref="Offloads"/> is on and the MTU is
    /// at least <see cref="OffloadMinimumMtu"/>, a whole GSO super-frame plus its 10-byte offload prefix.
    /// </summary>
    public int SlotSize => UsesOffloads ? TapAdapterOptions.MaxSuperFrameSize + FrameOffload.Size : NodeSegmentLayout.SlotSizeForMtu(Mtu);

    /// <summary>Whether the adapter uses IFF_VNET_HDR (TSO/GSO): requested, and the MTU is large enough to justify 64 KiB slots.</summary>
    public bool UsesOffloads => Offloads && Mtu >= OffloadMinimumMtu;

    /// <summary>Smallest MTU for which offloads are used (below it, 64 KiB slots would waste most of each slot).</summary>
    public const int OffloadMinimumMtu = 16000;

    /// <summary>Multicast MACs of <see cref="MulticastGroups"/> (01:00:5e + the low 23 bits of the group).</summary>
    public IReadOnlyList<MacAddress> GroupMacs => MulticastGroups.Select(MulticastMac).ToArray();

    /// <summary>Builds the options of the local network from a node's settings and its peers.</summary>
    public static LocalNetworkOptions FromSettings(ActorNetSettings settings, IEnumerable<ushort> peers)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var net = settings.Networks.Local;
        var shm = settings.SharedMemory;
        var mode = net.Notification switch
        {
            Configuration.NotificationMode.Polling => DpNotification.Polling,
            Configuration.NotificationMode.Interrupt => DpNotification.Interrupt,
            _ => DpNotification.Adaptive,
        };
        var pinCpu = shm.PinPollers.CpuFor(settings.Node.Id, CpuAffinity.AllowedCpus(), spins: mode != DpNotification.Interrupt);
        var engine = new LocalEngineOptions(mode, shm.SpinIterations, shm.MaxSleep, net.FullPolicy == RingFullPolicy.Drop ? FullPolicy.Drop : FullPolicy.Backpressure, TimeSpan.FromMilliseconds(5), pinCpu);
        var groups = net.MulticastGroups.Take(net.MulticastRingCount).ToArray();
        return new LocalNetworkOptions(
            (ushort)settings.Node.Id,
            settings.Node.Name,
            settings.Cluster.Name,
            shm.Root,
            peers.Where(p => p != settings.Node.Id).Distinct().Order().ToArray(),
            net.Adapter,
            Math.Min(net.Mtu, TapAdapterOptions.MaxTapMtu),
            net.Address,
            net.Subnet.PrefixLength,
            net.RingDepth,
            groups,
            engine,
            shm.HeartbeatInterval,
            shm.HeartbeatTimeout,
            TimeSpan.FromMilliseconds(Math.Clamp(shm.HeartbeatTimeout.TotalMilliseconds / 2, 20, 500)),
            settings.Adapters.VnetHeader && settings.Adapters.Tso);
    }

    /// <summary>The Ethernet multicast MAC of an IPv4 group.</summary>
    public static MacAddress MulticastMac(IPAddress group)
    {
        ArgumentNullException.ThrowIfNull(group);
        if (group.AddressFamily != AddressFamily.InterNetwork)
        {
            throw new ArgumentException($"{group} is not an IPv4 multicast group", nameof(group));
        }

        var b = group.GetAddressBytes();
        return MacAddress.Parse(string.Create(CultureInfo.InvariantCulture, $"01:00:5e:{b[1] & 0x7F:x2}:{b[2]:x2}:{b[3]:x2}"));
    }
}

/// <summary>Another live process already runs this node id in this cluster.</summary>
public sealed class NodeIdInUseException : Exception
{
    /// <summary>Creates the exception with the full explanation.</summary>
    public NodeIdInUseException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with the full explanation and its cause.</summary>
    public NodeIdInUseException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>Creates the exception with a generic message.</summary>
    public NodeIdInUseException()
        : base("the node id is already in use")
    {
    }
}

/// <summary>
/// The local shared-memory network of one node, as a component of the node daemon: creates the node's segment
/// (refusing a node id a live process already owns, reclaiming a dead one's leftover), keeps its heartbeat, opens the
/// adapter, starts the <see cref="LocalNetworkEngine"/> pollers and the <see cref="RingAllocationActor"/>, and
/// rewrites a status file for the live views. <see cref="Dispose"/> undoes all of it (segment file and status file
/// removed). Created and disposed by the composition root on one thread; <see cref="GetStatus"/> from any thread.
/// </summary>
public sealed class LocalNetworkComponent : IDisposable
{
    private readonly LocalNetworkOptions _options;
    private readonly ILogger _logger;
    private readonly SharedSegment _segment;
    private readonly FrameAdapter _adapter;
    private readonly FrameForwarder _forwarder;
    private readonly Timer? _heartbeat;
    private readonly Timer _status;
    private readonly bool _ownsSegment;
    private readonly Func<ulong, string>? _memberStatus;
    private readonly ActorSystem _system;
    private readonly DateTime _started = DateTime.UtcNow;
    private int _disposed;

    private LocalNetworkComponent(LocalNetworkOptions options, ILogger logger, SharedSegment segment, bool ownsSegment, FrameAdapter adapter, FrameForwarder forwarder, LocalNetworkEngine engine, ActorSystem system, IPeerDirectory? directory, Func<ulong, string>? memberStatus)
    {
        _ownsSegment = ownsSegment;
        _memberStatus = memberStatus;
        _options = options;
        _logger = logger;
        _segment = segment;
        _adapter = adapter;
        _forwarder = forwarder;
        Engine = engine;
        _system = system;
        _heartbeat = ownsSegment ? new Timer(_ => Beat(), null, TimeSpan.Zero, options.HeartbeatInterval) : null;
        var initial = RingAllocationState.Initial(options.NodeId, options.Peers);
        directory ??= new SegmentDirectory(options.ShmRoot, options.Cluster, options.Peers, options.HeartbeatTimeout);
        Allocator = system.ActorOf(
            Props.Create(() => new RingAllocationActor(engine, forwarder, directory, initial, options.GroupMacs, options.ScanInterval, logger)),
            $"ring-allocation-{options.NodeId}");
        _status = new Timer(_ => WriteStatus(), null, TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(500));
    }

    /// <summary>The engine (counters, links).</summary>
    public LocalNetworkEngine Engine { get; }

    /// <summary>The ring-allocation actor.</summary>
    public IActorRef Allocator { get; }

    /// <summary>The options in force.</summary>
    public LocalNetworkOptions Options => _options;

    /// <summary>
    /// Starts the component. <paramref name="adapterFactory"/> opens the adapter (default: a TAP device in the calling
    /// thread's network namespace).
    /// </summary>
    /// <exception cref="NodeIdInUseException">A live process owns this node id's segment.</exception>
    /// <exception cref="TapAdapterException">The TAP device cannot be created (message says what is missing).</exception>
    public static LocalNetworkComponent Start(LocalNetworkOptions options, ActorSystem system, ILoggerFactory loggerFactory, Func<LocalNetworkOptions, FrameAdapter>? adapterFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        var logger = loggerFactory.CreateLogger("ActorNet.LocalNetwork");
        Directory.CreateDirectory(options.ClusterFolder);
        var path = options.SegmentPath;
        var inspection = SharedSegment.Inspect(path, options.HeartbeatTimeout);
        if (inspection.Exists && inspection.Valid && inspection.Liveness is { IsAlive: true } live && live.State == SegmentState.Active)
        {
            throw new NodeIdInUseException(
                $"node id {options.NodeId} is already in use in cluster '{options.Cluster}': process {live.OwnerPid} owns {path} " +
                $"(alive, heartbeat {live.HeartbeatAge.TotalMilliseconds:F0} ms ago). Stop that node first (actornet down, or kill {live.OwnerPid}), or start this one with another --node.");
        }

        if (inspection.Exists)
        {
            SharedSegment.Remove(path);
            ActorNet.Host.Node.NodeLog.SegmentReclaimed(logger, path, inspection.Reason);
        }

        bool offloads = options.UsesOffloads;
        var layout = NodeSegmentLayout.Build(options.NodeId, options.Peers, options.RingDepth, options.SlotSize, options.GroupMacs);
        var incarnation = (ulong)DateTime.UtcNow.Ticks ^ ((ulong)Environment.ProcessId << 48);
        SharedSegment segment;
        try
        {
            segment = SharedSegment.Create(path, options.NodeId, incarnation, layout);
        }
        catch (IOException ex) when (File.Exists(path))
        {
            throw new NodeIdInUseException($"node id {options.NodeId} is already in use in cluster '{options.Cluster}': another process created {path} at the same moment ({ex.Message}).", ex);
        }

        FrameAdapter? adapter = null;
        LocalNetworkEngine? engine = null;
        try
        {
            segment.Heartbeat();
            LocalNetworkLog.SegmentCreated(logger, path, options.NodeId, incarnation, segment.Size, string.Join(",", options.Peers));
            adapter = (adapterFactory ?? (o => OpenTap(o, offloads)))(options);
            LocalNetworkLog.AdapterUp(logger, adapter.Name, adapter.MacAddress.ToString(), options.Address?.ToString() ?? "none", options.Mtu, adapter.SupportsOffload);
            var forwarder = new FrameForwarder(RingAllocationState.Initial(options.NodeId, options.Peers).ToSnapshot(NetworkKind.Local, options.GroupMacs), new LearningTable(1024, 300_000));
            engine = new LocalNetworkEngine(segment, adapter, forwarder, options.Engine, options.Peers);
            engine.Start();
            LogPoller(logger, options, engine);
            return new LocalNetworkComponent(options, logger, segment, ownsSegment: true, adapter, forwarder, engine, system, directory: null, memberStatus: null);
        }
        catch
        {
            engine?.Dispose();
            adapter?.Dispose();
            segment.Dispose();
            SharedSegment.Remove(path);
            throw;
        }
    }

    /// <summary>
    /// Starts the component on a segment someone else created and keeps alive (the node daemon, which laid it out
    /// with <see cref="NodeSegmentLayout"/> for <see cref="LocalNetworkOptions.Peers"/> and bumps its heartbeat).
    /// <paramref name="directory"/> says which peers are up (default: same-host segment liveness). The segment is
    /// not disposed by <see cref="Dispose"/>. <paramref name="memberStatus"/> maps an incarnation to its cluster member
    /// status for the status file (any thread; empty string when unknown).
    /// </summary>
    public static LocalNetworkComponent StartOnSegment(LocalNetworkOptions options, SharedSegment segment, ActorSystem system, ILoggerFactory loggerFactory, IPeerDirectory? directory = null, Func<LocalNetworkOptions, FrameAdapter>? adapterFactory = null, Func<ulong, string>? memberStatus = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(segment);
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        var logger = loggerFactory.CreateLogger("ActorNet.LocalNetwork");
        bool offloads = options.UsesOffloads;
        FrameAdapter? adapter = null;
        LocalNetworkEngine? engine = null;
        try
        {
            adapter = (adapterFactory ?? (o => OpenTap(o, offloads)))(options);
            LocalNetworkLog.AdapterUp(logger, adapter.Name, adapter.MacAddress.ToString(), options.Address?.ToString() ?? "none", options.Mtu, adapter.SupportsOffload);
            var forwarder = new FrameForwarder(RingAllocationState.Initial(options.NodeId, options.Peers).ToSnapshot(NetworkKind.Local, options.GroupMacs), new LearningTable(1024, 300_000));
            engine = new LocalNetworkEngine(segment, adapter, forwarder, options.Engine, options.Peers);
            engine.Start();
            LogPoller(logger, options, engine);
            return new LocalNetworkComponent(options, logger, segment, ownsSegment: false, adapter, forwarder, engine, system, directory, memberStatus);
        }
        catch
        {
            engine?.Dispose();
            adapter?.Dispose();
            throw;
        }
    }

    private static void LogPoller(ILogger logger, LocalNetworkOptions options, LocalNetworkEngine engine)
    {
        var placement = engine.PinnedCpu is { } cpu ? $"pinned to CPU {cpu}"
            : engine.PinError is { } error ? "not pinned: " + error
            : "placed by the kernel";
        var sleep = engine.BellError is { } bellError ? "the futex doorbell in short naps (" + bellError + ")" : "its adapter and doorbell";
        LocalNetworkLog.PollerStarted(logger, options.NodeId, options.Engine.Mode.ToString().ToLowerInvariant(), placement, sleep);
    }

    /// <summary>The TAP adapter for <paramref name="options"/> in the calling thread's network namespace.</summary>
    public static FrameAdapter OpenTap(LocalNetworkOptions options, bool offloads)
    {
        ArgumentNullException.ThrowIfNull(options);
        return TapAdapter.Open(new TapAdapterOptions
        {
            Name = options.AdapterName,
            MacAddress = MacAddress.ForNode(NetworkKind.Local, options.NodeId),
            Mtu = options.Mtu,
            Ipv4Address = options.Address,
            Ipv4PrefixLength = options.PrefixLength,
            Offloads = offloads,
            Up = true,
        });
    }

    /// <summary>A point-in-time view of this node's local network (links, counters). Any thread.</summary>
    public NodeNetworkStatus GetStatus()
    {
        var a = Engine.AdapterCounters;
        var f = Engine.ForwardingCounters;
        var c = Engine.CastCounters;
        var links = Engine.Snapshot().Select(l => new LinkStatusRow(
            l.PeerNodeId,
            l.State.ToString().ToLowerInvariant(),
            l.PeerIncarnation,
            l.Counters.TxFrames,
            l.Counters.TxBytes,
            l.Counters.TxDropFull,
            l.Counters.TxDropDown,
            l.Counters.RxFrames,
            l.Counters.RxBytes,
            l.Counters.RxDropStale,
            l.Counters.RxDropMalformed,
            l.PeerIncarnation != 0 ? _memberStatus?.Invoke(l.PeerIncarnation) ?? string.Empty : string.Empty)).ToArray();
        return new NodeNetworkStatus(
            _options.NodeId,
            _options.NodeName,
            Environment.ProcessId,
            _segment.Incarnation,
            _options.Address?.ToString() ?? string.Empty,
            _adapter.Name,
            _started,
            DateTime.UtcNow,
            links,
            new CastStatusRow(c.TxFrames, c.TxBytes, c.TxDropFull, Engine.MulticastFiltered, Engine.LocalGroups.Groups().Select(g => $"{g >> 24}.{(g >> 16) & 0xFF}.{(g >> 8) & 0xFF}.{g & 0xFF}").ToArray()),
            new AdapterStatusRow(a.FramesRead, a.BytesRead, a.FramesWritten, a.BytesWritten, a.Runts, a.Oversize, a.Garbled, a.WriteDrops),
            new ForwardingStatusRow(f.Unicast + f.UnicastLearnt, f.Broadcast, f.MulticastRing + f.MulticastFlooded, f.UnknownUnicastFlooded, f.DroppedRingDown, f.DroppedRunt + f.DroppedBadSource, f.DroppedToSelf, f.DroppedNoBroadcastRing),
            _memberStatus?.Invoke(_segment.Incarnation) ?? string.Empty);
    }

    /// <summary>Stops the actor, the pollers, the adapter and the timers; closes and removes the segment and status file.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _status.Dispose();
        _system.Stop(Allocator);
        Engine.Dispose();
        _adapter.Dispose();
        _heartbeat?.Dispose();
        if (_ownsSegment)
        {
            _segment.Dispose();
            SharedSegment.Remove(_options.SegmentPath);
        }

        StatusFile.Remove(_options.StatusPath);
        LocalNetworkLog.Stopped(_logger, _options.NodeId);
    }

    private void Beat()
    {
        if (Volatile.Read(ref _disposed) == 0 && _ownsSegment)
        {
            try
            {
                _segment.Heartbeat();
            }
            catch (ObjectDisposedException)
            {
                // racing with Dispose: the segment is closing anyway
            }
        }
    }

    private void WriteStatus()
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            return;
        }

        try
        {
            StatusFile.Write(_options.StatusPath, GetStatus());
        }
        catch (IOException)
        {
            // status is best effort: the next tick rewrites it
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
