using System.Collections.Immutable;
using System.Diagnostics;
using ActorNet.Actors.Cluster.Downing;
using ActorNet.Actors.Cluster.FailureDetection;
using ActorNet.Actors.Cluster.Membership;
using Microsoft.Extensions.Logging;

namespace ActorNet.Actors.Cluster;

using Address = ActorNet.Actors.Cluster.Membership.Address;

/// <summary>
/// Network heartbeats (<c>/system/cluster/heartbeat</c>, pinned dispatcher): sends <see cref="ClusterProtocol.Heartbeat"/>
/// to the peers <see cref="HeartbeatNodeRing"/> assigns to this node, answers peers' heartbeats and feeds the
/// phi-accrual detectors shared with the core (<see cref="ClusterNode.FailureDetectors"/>). Akka's
/// expected-response-after: a receiver that never answered starts being monitored after that delay anyway.
/// </summary>
internal sealed class ClusterHeartbeatActor : ReceiveActor
{
    private const string HeartbeatPath = "/system/cluster/heartbeat";
    private readonly ClusterNode _node;
    private readonly Dictionary<UniqueAddress, IActorRef> _receiverRefs = [];
    private HeartbeatNodeRing _ring;
    private long _sequence;
    private ICancelable? _timer;

    public ClusterHeartbeatActor(ClusterNode node)
    {
        _node = node;
        _ring = new HeartbeatNodeRing(node.SelfUniqueAddress, [node.SelfUniqueAddress], [], node.Settings.FailureDetector.MonitoredByNrOfMembers);
        Receive<ClusterInternal.MembersChanged>(OnMembers);
        Receive<ClusterProtocol.Heartbeat>(m => Sender.Tell(new ClusterProtocol.HeartbeatRsp(_node.SelfUniqueAddress, m.SequenceNr, m.CreationTimeNanos), Self));
        Receive<ClusterProtocol.HeartbeatRsp>(m =>
        {
            if (_ring.MyReceivers.Contains(m.From))
            {
                _node.FailureDetectors.Heartbeat(m.From.Address);
            }
        });
        Receive<ClusterInternal.ExpectedFirstHeartbeat>(m =>
        {
            if (_ring.MyReceivers.Contains(m.Node) && !_node.FailureDetectors.IsMonitoring(m.Node.Address))
            {
                _node.FailureDetectors.Heartbeat(m.Node.Address);
            }
        });
        Receive<ClusterInternal.Tick>(_ => SendHeartbeats());
    }

    protected override void PreStart()
    {
        var interval = _node.Settings.FailureDetector.HeartbeatInterval;
        _timer = Context.System.Scheduler.ScheduleTellRepeatedly(interval, interval, Self, ClusterInternal.Tick.Heartbeat, Self);
    }

    protected override void PostStop() => _timer?.Cancel();

    private void OnMembers(ClusterInternal.MembersChanged m)
    {
        var before = _ring.MyReceivers;
        var nodes = m.Members.Select(x => x.UniqueAddress).Append(_node.SelfUniqueAddress).ToImmutableHashSet();
        _ring = new HeartbeatNodeRing(_node.SelfUniqueAddress, nodes, m.Unreachable, _node.Settings.FailureDetector.MonitoredByNrOfMembers);
        foreach (var gone in before.Except(_ring.MyReceivers))
        {
            // No longer monitored by this node (left, or the ring moved it to other monitors as members joined):
            // its detector would only see silence from now on and must not make it unreachable.
            _receiverRefs.Remove(gone);
            _node.FailureDetectors.Remove(gone.Address);
        }

        foreach (var added in _ring.MyReceivers.Except(before))
        {
            Context.System.Scheduler.ScheduleTellOnce(_node.Settings.FailureDetector.ExpectedResponseAfter, Self, new ClusterInternal.ExpectedFirstHeartbeat(added), Self);
        }
    }

    private void SendHeartbeats()
    {
        _sequence++;
        long now = Stopwatch.GetTimestamp();
        var heartbeat = new ClusterProtocol.Heartbeat(_node.SelfUniqueAddress.Address, _sequence, now);
        foreach (var receiver in _ring.MyReceivers)
        {
            if (receiver.Equals(_node.SelfUniqueAddress))
            {
                continue;
            }

            if (!_receiverRefs.TryGetValue(receiver, out var target))
            {
                target = _node.Transport.ActorFor(receiver.Address, HeartbeatPath);
                _receiverRefs[receiver] = target;
            }

            target.Tell(heartbeat, Self);
        }
    }
}

/// <summary>
/// Same-host fast path (<c>/system/cluster/same-host</c>, pinned dispatcher): every <c>same-host.check-interval</c>
/// asks the <see cref="ISameHostLivenessProbe"/> about each member and feeds a <see cref="SameHostLivenessJudge"/> per
/// incarnation; a confirmed death is reported once to the core, which marks the peer terminated and downs it.
/// </summary>
internal sealed class SameHostMonitorActor : ReceiveActor
{
    private readonly ClusterNode _node;
    private readonly ISameHostLivenessProbe _probe;
    private readonly Dictionary<UniqueAddress, SameHostLivenessJudge> _judges = [];
    private readonly HashSet<UniqueAddress> _reported = [];
    private ICancelable? _timer;

    public SameHostMonitorActor(ClusterNode node)
    {
        _node = node;
        _probe = node.Options.SameHostProbe!;
        Receive<ClusterInternal.MembersChanged>(OnMembers);
        Receive<ClusterInternal.Tick>(_ => Check());
    }

    protected override void PreStart()
    {
        var interval = _node.Settings.FailureDetector.SameHostCheckInterval;
        _timer = Context.System.Scheduler.ScheduleTellRepeatedly(interval, interval, Self, ClusterInternal.Tick.SameHost, Self);
    }

    protected override void PostStop() => _timer?.Cancel();

    private void OnMembers(ClusterInternal.MembersChanged m)
    {
        var current = m.Members.Where(x => x.Status != MemberStatus.Down).Select(x => x.UniqueAddress).Where(u => !u.Equals(_node.SelfUniqueAddress)).ToHashSet();
        foreach (var gone in _judges.Keys.Where(k => !current.Contains(k)).ToList())
        {
            _judges.Remove(gone);
            _probe.Forget(gone);
        }

        foreach (var node in current)
        {
            if (!_judges.ContainsKey(node))
            {
                _judges[node] = new SameHostLivenessJudge(node.Uid, _node.Options.SameHostStaleLimit);
            }
        }
    }

    private void Check()
    {
        long now = Environment.TickCount64;
        foreach (var (node, judge) in _judges.ToList())
        {
            var evidence = _probe.Probe(node, now);
            if (evidence is null)
            {
                continue;
            }

            var (next, verdict) = judge.Observe(evidence.Value);
            _judges[node] = next;
            if (verdict.Kind == SameHostVerdictKind.ConfirmedDead && _reported.Add(node))
            {
                Context.Parent.Tell(new ClusterInternal.ConfirmedDead(node, verdict.Reason), Self);
            }
        }
    }
}

/// <summary>
/// The split brain resolver as an actor (<c>/system/cluster/downing</c>): receives the core's cluster events and
/// reachability snapshots, ticks the pure <see cref="SplitBrainResolver"/>, and when it decides, logs one
/// <see cref="ClusterLog.DowningDecision"/> per node and asks the core to down it.
/// </summary>
internal sealed class DowningActor : ReceiveActor
{
    private readonly ClusterNode _node;
    private readonly ILogger _log;
    private SplitBrainResolver _resolver;
    private ICancelable? _timer;

    public DowningActor(ClusterNode node)
    {
        _node = node;
        _log = node.System.LoggerFactory.CreateLogger("ActorNet.Cluster.Downing");
        var d = node.Settings.Downing;
        string? role = d.Role.Length > 0 ? d.Role : null;
        Downing.DowningStrategy strategy = d.ActiveStrategy switch
        {
            DowningStrategy.StaticQuorum => new StaticQuorum(d.QuorumSize) { Role = role },
            DowningStrategy.KeepOldest => new KeepOldest(d.DownIfAlone) { Role = role },
            _ => new KeepMajority { Role = role },
        };
        _resolver = new SplitBrainResolver(strategy, node.SelfUniqueAddress, d.StableAfter, d.DownAllWhenUnstable ?? TimeSpan.Zero, Environment.TickCount64);
        Receive<ClusterDomainEvent>(e => _resolver = _resolver.On(e, Environment.TickCount64));
        Receive<ClusterInternal.ReachabilitySnapshot>(s => _resolver = _resolver.OnReachabilityChanged(s.Reachability).OnSeenChanged(s.SeenBy));
        Receive<ClusterInternal.Tick>(_ => OnTick());
    }

    protected override void PreStart()
    {
        var interval = SplitBrainResolver.TickInterval(_node.Settings.Downing.StableAfter);
        _timer = Context.System.Scheduler.ScheduleTellRepeatedly(interval, interval, Self, ClusterInternal.Tick.Downing, Self);
    }

    protected override void PostStop() => _timer?.Cancel();

    private void OnTick()
    {
        var (next, action) = _resolver.Tick(Environment.TickCount64);
        _resolver = next;
        if (action is null)
        {
            return;
        }

        string self = _node.SelfUniqueAddress.Address.ToString();
        foreach (var node in action.NodesToDown.OrderBy(n => n, UniqueAddress.Ordering))
        {
            ClusterLog.DowningDecision(_log, self, node.ToString(), action.Decision.ToString(), action.Reason);
        }

        foreach (var node in action.NodesToDown.Where(n => !n.Equals(_node.SelfUniqueAddress)).Append(_node.SelfUniqueAddress).Where(action.NodesToDown.Contains))
        {
            Context.Parent.Tell(new ClusterInternal.DownRequest(node.Address, $"split brain resolver: {action.Decision}: {action.Reason}"), Self);
        }
    }
}
