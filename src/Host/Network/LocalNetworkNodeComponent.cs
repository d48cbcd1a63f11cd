using System.Globalization;
using ActorNet.Actors.Cluster;
using ActorNet.Actors.Cluster.Membership;
using ActorNet.DataPlane.Engine;
using ActorNet.DataPlane.RingAllocation;
using ActorNet.DataPlane.Segments;
using ActorNet.Hocon;
using ActorNet.Host.Configuration;
using ActorNet.Host.Node;

namespace ActorNet.Host.Network;

/// <summary>
/// The local shared-memory network as a component of the node daemon (<see cref="NodeHost"/>): supplies the layout
/// of the node's segment (<see cref="Layout"/>: a receive ring per configured peer, the broadcast ring, the
/// multicast rings) and, once the cluster runs, starts a <see cref="LocalNetworkComponent"/> on that segment whose
/// ring allocation follows cluster membership: a peer's rings are connected while its member (matched by the
/// incarnation its segment carries, which is its remoting uid) is WeaklyUp, Up, Leaving or Exiting and its process
/// lives; released when it is downed, removed or its process died. Created by the CLI per node process.
/// </summary>
public sealed class LocalNetworkNodeComponent : INodeComponent
{
    private readonly IReadOnlyList<ushort> _peers;
    private LocalNetworkComponent? _component;

    /// <summary>Creates the component for a node whose configuration is <paramref name="config"/> (peers from it).</summary>
    public LocalNetworkNodeComponent(Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        _peers = PeersOf(config, config.GetInt("actornet.orchestration.nodes", 0));
    }

    /// <inheritdoc />
    public string Name => "local-network";

    /// <summary>The running component (null before start and after stop).</summary>
    public LocalNetworkComponent? Component => _component;

    /// <summary>Peers of a node: every node section of the file, plus 1..<paramref name="nodeCount"/>.</summary>
    public static IReadOnlyList<ushort> PeersOf(Config config, int nodeCount)
    {
        ArgumentNullException.ThrowIfNull(config);
        var ids = new SortedSet<ushort>();
        foreach (var key in ConfigLoader.NodeSectionIds(config))
        {
            if (ushort.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id is >= 1 and <= 65534)
            {
                ids.Add(id);
            }
        }

        for (int i = 1; i <= Math.Min(nodeCount, 65534); i++)
        {
            ids.Add((ushort)i);
        }

        return ids.ToArray();
    }

    /// <summary>The segment layout for this node (given to <see cref="NodeHostOptions.SegmentLayout"/>).</summary>
    public SegmentLayout Layout(ActorNetSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var options = LocalNetworkOptions.FromSettings(settings, _peers);
        if (!settings.Networks.Local.Enabled)
        {
            return new SegmentLayout();
        }

        return NodeSegmentLayout.Build(options.NodeId, options.Peers, options.RingDepth, options.SlotSize, options.GroupMacs);
    }

    /// <inheritdoc />
    public Task StartAsync(NodeContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!context.Settings.Networks.Local.Enabled)
        {
            return Task.CompletedTask;
        }

        var options = LocalNetworkOptions.FromSettings(context.Settings, _peers);
        var directory = new ClusterGatedDirectory(new SegmentDirectory(options.ShmRoot, options.Cluster, options.Peers, options.HeartbeatTimeout), context.Cluster);
        var cluster = context.Cluster;
        _component = LocalNetworkComponent.StartOnSegment(options, context.Segment, context.System, context.LoggerFactory, directory, memberStatus: incarnation =>
            cluster.State.Members.FirstOrDefault(m => m.UniqueAddress.Uid == (long)incarnation)?.Status.ToString() ?? string.Empty);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken)
    {
        Interlocked.Exchange(ref _component, null)?.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>Segment liveness AND cluster membership: a peer is up only when both say so.</summary>
    private sealed class ClusterGatedDirectory(IPeerDirectory segments, ClusterNode cluster) : IPeerDirectory
    {
        public IReadOnlyList<PeerObservation> Observe()
        {
            var members = new Dictionary<long, MemberStatus>();
            foreach (var m in cluster.State.Members)
            {
                members[m.UniqueAddress.Uid] = m.Status;
            }

            return segments.Observe()
                .Select(o => o with
                {
                    IsUp = o.IsUp && members.TryGetValue((long)o.Incarnation, out var status)
                        && status is MemberStatus.WeaklyUp or MemberStatus.Up or MemberStatus.Leaving or MemberStatus.Exiting,
                })
                .ToArray();
        }

        public SharedSegment OpenPeer(ushort nodeId, ulong incarnation) => segments.OpenPeer(nodeId, incarnation);
    }
}
