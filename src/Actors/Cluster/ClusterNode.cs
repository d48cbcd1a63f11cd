using System.Collections.Immutable;
using System.Diagnostics;
using ActorNet.Actors.Cluster.Control;
using ActorNet.Actors.Cluster.FailureDetection;
using ActorNet.Actors.Cluster.Membership;
using ActorNet.Actors.Cluster.Remoting.Wire;
using ActorNet.Actors.Remote;

namespace ActorNet.Actors.Cluster;

using Address = ActorNet.Actors.Cluster.Membership.Address;

/// <summary>
/// Same-host liveness evidence about a peer incarnation, implemented outside the actor kernel (the node daemon reads
/// the peer's shared-memory segment header: heartbeat word, owner pid, incarnation). Called by the same-host monitor
/// actor on its pinned thread every <c>same-host.check-interval</c>; must not block.
/// </summary>
public interface ISameHostLivenessProbe
{
    /// <summary>Evidence about <paramref name="node"/>, or null when the peer is not on this host (or not known yet).</summary>
    SameHostEvidence? Probe(UniqueAddress node, long nowMs);

    /// <summary>Releases whatever was kept for <paramref name="node"/> (it left the membership).</summary>
    void Forget(UniqueAddress node);
}

/// <summary>Optional parts of a <see cref="ClusterNode"/>.</summary>
public sealed record ClusterNodeOptions
{
    /// <summary>Same-host fast path probe; null = no fast path.</summary>
    public ISameHostLivenessProbe? SameHostProbe { get; init; }

    /// <summary>A peer's heartbeat word unchanged for this long confirms it dead (shared-memory.heartbeat.timeout).</summary>
    public TimeSpan SameHostStaleLimit { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Roles of this member.</summary>
    public ImmutableArray<string> Roles { get; init; } = [];

    /// <summary>What the fault injector's <c>crash</c> does (default: kill this process at once).</summary>
    public Action<int> Crash { get; init; } = static _ => Process.GetCurrentProcess().Kill();
}

/// <summary>
/// One node's cluster membership: starts the cluster actors (<c>/system/cluster/core</c>, <c>heartbeat</c>,
/// <c>same-host</c>, <c>downing</c>) and the fault injector (<c>/system/fault-injector</c>) on an
/// <see cref="ActorSystem"/> with a started <see cref="RemoteTransport"/>. Thread-safe facade: every member may be
/// called from any thread; the state lives in the core actor, <see cref="State"/> is its latest published snapshot.
/// </summary>
public sealed class ClusterNode
{
    private readonly TaskCompletionSource _up = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<string> _removed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private MembershipState _state;

    private ClusterNode(ActorSystem system, ClusterSettings settings, RemoteTransport transport, ClusterNodeOptions options)
    {
        System = system;
        Settings = settings;
        Transport = transport;
        Options = options;
        SelfUniqueAddress = transport.LocalAddress;
        _state = new MembershipState(Gossip.Empty, SelfUniqueAddress);
        FailureDetectors = new FailureDetectorRegistry<Address>(() => new PhiAccrualFailureDetector(
            settings.FailureDetector.Threshold,
            settings.FailureDetector.MaxSampleSize,
            settings.FailureDetector.MinStdDeviation,
            settings.FailureDetector.AcceptableHeartbeatPause,
            settings.FailureDetector.HeartbeatInterval));
    }

    /// <summary>The actor system.</summary>
    public ActorSystem System { get; }

    /// <summary>The cluster settings.</summary>
    public ClusterSettings Settings { get; }

    /// <summary>The remoting transport.</summary>
    public RemoteTransport Transport { get; }

    /// <summary>The options.</summary>
    public ClusterNodeOptions Options { get; }

    /// <summary>This node's address and incarnation.</summary>
    public UniqueAddress SelfUniqueAddress { get; }

    /// <summary>Failure detectors per peer address, fed by the heartbeat actor and read by the core's reaper.</summary>
    public FailureDetectorRegistry<Address> FailureDetectors { get; }

    /// <summary>The cluster daemon (<c>/system/cluster</c>, forwarding to <c>/system/cluster/core</c>): send it <see cref="ClusterProtocol.Leave"/>, <see cref="ClusterProtocol.Down"/>, <see cref="StatusRequest"/>.</summary>
    public IActorRef Core { get; private set; } = ActorRefs.Nobody;

    /// <summary>The latest membership state published by the core actor.</summary>
    public MembershipState State => Volatile.Read(ref _state);

    /// <summary>Completes when this node becomes Up (or WeaklyUp).</summary>
    public Task WhenUp => _up.Task;

    /// <summary>Completes with the reason when this node is no longer a member (left, downed or removed).</summary>
    public Task<string> WhenRemoved => _removed.Task;

    /// <summary>A serializer registry with the cluster (5), control (6) and throughput-probe (7) serializers.</summary>
    public static SerializerRegistry CreateSerializerRegistry(int maxMessageSize)
    {
        var registry = new SerializerRegistry(maxMessageSize);
        registry.Register(new ClusterMessageSerializer());
        registry.Register(new ControlMessageSerializer());
        registry.Register(new ThroughputProbeSerializer());
        return registry;
    }

    /// <summary>Starts the cluster actors; the node joins its seed nodes (if any) at once.</summary>
    public static ClusterNode Start(ActorSystem system, ClusterSettings settings, RemoteTransport transport, ClusterNodeOptions? options = null)
    {
        var node = new ClusterNode(system, settings, transport, options ?? new ClusterNodeOptions());
        var daemon = system.SystemActorOf(Props.Create(() => new ClusterDaemon(node)), "cluster");
        node.Core = daemon;
        system.SystemActorOf(Props.Create(() => new FaultInjectorActor(node)), "fault-injector");
        transport.IncarnationChanged += (old, current) => daemon.Tell(new ClusterInternal.IncarnationReplaced(old, current));
        return node;
    }

    /// <summary>Subscribes <paramref name="subscriber"/> to cluster events; it first receives a <see cref="CurrentClusterState"/>.</summary>
    public void Subscribe(IActorRef subscriber) => Core.Tell(new ClusterInternal.Subscribe(subscriber), ActorRefs.NoSender);

    /// <summary>Stops sending events to <paramref name="subscriber"/>.</summary>
    public void Unsubscribe(IActorRef subscriber) => Core.Tell(new ClusterInternal.Unsubscribe(subscriber), ActorRefs.NoSender);

    /// <summary>Joins the cluster through the node at <paramref name="address"/> (no seed nodes configured).</summary>
    public void Join(Address address) => Core.Tell(new ClusterInternal.JoinTo(address), ActorRefs.NoSender);

    /// <summary>Starts a graceful leave of <paramref name="address"/> (Leaving → Exiting → Removed).</summary>
    public void Leave(Address address) => Core.Tell(new ClusterProtocol.Leave(address), ActorRefs.NoSender);

    /// <summary>Marks <paramref name="address"/> Down.</summary>
    public void Down(Address address) => Core.Tell(new ClusterProtocol.Down(address), ActorRefs.NoSender);

    /// <summary>Leaves gracefully and waits until removed or <paramref name="timeout"/>; true when removed in time.</summary>
    public async Task<bool> LeaveAsync(TimeSpan timeout)
    {
        var self = State.SelfMember;
        if (self is null || _removed.Task.IsCompleted)
        {
            _removed.TrySetResult("left before joining");
            return true;
        }

        Leave(SelfUniqueAddress.Address);
        var finished = await Task.WhenAny(_removed.Task, Task.Delay(timeout)).ConfigureAwait(false);
        return finished == _removed.Task;
    }

    internal void Publish(MembershipState state) => Volatile.Write(ref _state, state);

    internal void SignalUp() => _up.TrySetResult();

    internal void SignalRemoved(string reason) => _removed.TrySetResult(reason);
}

/// <summary>Messages between the cluster actors of one node (never sent over the wire).</summary>
internal static class ClusterInternal
{
    public sealed record Subscribe(IActorRef Subscriber);

    public sealed record Unsubscribe(IActorRef Subscriber);

    public sealed record JoinTo(Address Address);

    public sealed record ConfirmedDead(UniqueAddress Node, string Reason);

    public sealed record DownRequest(Address Address, string Reason);

    public sealed record IncarnationReplaced(UniqueAddress Old, UniqueAddress Current);

    public sealed record MembersChanged(ImmutableSortedSet<Member> Members, ImmutableHashSet<UniqueAddress> Unreachable);

    public sealed record ReachabilitySnapshot(Reachability Reachability, ImmutableHashSet<Address> SeenBy);

    public sealed record JoinSeedTick(int Attempt);

    public sealed class Tick
    {
        public static readonly Tick Gossip = new();
        public static readonly Tick Leader = new();
        public static readonly Tick Reaper = new();
        public static readonly Tick Heartbeat = new();
        public static readonly Tick SameHost = new();
        public static readonly Tick Downing = new();
        public static readonly Tick ExitingDone = new();
    }

    public sealed record ExpectedFirstHeartbeat(UniqueAddress Node);
}

/// <summary>Parent of the cluster actors; forwards requests of the monitors to the core.</summary>
internal sealed class ClusterDaemon : ReceiveActor
{
    public ClusterDaemon(ClusterNode node)
    {
        var fd = node.Settings.FailureDetector;
        var heartbeat = Context.ActorOf(Props.Create(() => new ClusterHeartbeatActor(node)).WithDispatcher(Dispatch.DispatcherSettings.PinnedId), "heartbeat");
        IActorRef? sameHost = null;
        if (fd.SameHostEnabled && node.Options.SameHostProbe is not null)
        {
            sameHost = Context.ActorOf(Props.Create(() => new SameHostMonitorActor(node)).WithDispatcher(Dispatch.DispatcherSettings.PinnedId), "same-host");
        }

        IActorRef? downing = null;
        if (node.Settings.Downing.Enabled)
        {
            downing = Context.ActorOf(Props.Create(() => new DowningActor(node)), "downing");
        }

        var core = Context.ActorOf(Props.Create(() => new ClusterCoreActor(node, heartbeat, sameHost, downing)), "core");
        ReceiveAny(m => core.Forward(m));
    }
}
