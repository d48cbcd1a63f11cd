using System.Collections.Immutable;
using ActorNet.Actors.Cluster.Control;
using ActorNet.Actors.Cluster.Membership;
using Microsoft.Extensions.Logging;

namespace ActorNet.Actors.Cluster;

using Address = ActorNet.Actors.Cluster.Membership.Address;

/// <summary>
/// The membership of one node (<c>/system/cluster/core</c>): join through seed nodes, gossip, convergence, leader
/// actions, reaping unreachable members, leave and down, event publication. All decisions are taken by the pure
/// types (<see cref="MembershipTransitions"/>, <see cref="LeaderActions"/>, <see cref="ClusterEventDiff"/>,
/// <see cref="GossipTargetSelector"/>); this actor feeds them messages and timers, sends what they decide and logs
/// every transition once through <see cref="ClusterLog"/>. Besides Akka's periodic gossip it pushes a changed
/// gossip at once to the members that have not seen it and replies to gossip that taught the sender nothing new
/// about who has seen it, so one change converges in a few network round trips.
/// </summary>
internal sealed class ClusterCoreActor : ReceiveActor
{
    private const string CorePath = "/system/cluster/core";
    private const int EagerFanOut = 32;

    private readonly ClusterNode _node;
    private readonly ClusterSettings _settings;
    private readonly IActorRef _heartbeat;
    private readonly IActorRef? _sameHost;
    private readonly IActorRef? _downing;
    private readonly ILogger _log;
    private readonly UniqueAddress _self;
    private readonly string _selfText;
    private readonly Random _random = new();
    private readonly GossipTargetSelector _selector;
    private readonly LeaderActionSettings _leaderSettings;
    private readonly Dictionary<Address, IActorRef> _cores = [];
    private readonly HashSet<IActorRef> _subscribers = [];
    private readonly List<ICancelable> _timers = [];
    private MembershipState _state;
    private ImmutableHashSet<UniqueAddress> _exitingConfirmed = [];
    private int _ticksWithoutConvergence;
    private int _joinAttempt;
    private Address? _joinPendingWith;
    private bool _exitingSent;
    private bool _wasMember;

    public ClusterCoreActor(ClusterNode node, IActorRef heartbeat, IActorRef? sameHost, IActorRef? downing)
    {
        _node = node;
        _settings = node.Settings;
        _heartbeat = heartbeat;
        _sameHost = sameHost;
        _downing = downing;
        _log = node.System.LoggerFactory.CreateLogger("ActorNet.Cluster");
        _self = node.SelfUniqueAddress;
        _selfText = _self.Address.ToString();
        _state = new MembershipState(Gossip.Empty, _self);
        _selector = new GossipTargetSelector(_settings.GossipDifferentViewProbability, 400);
        _leaderSettings = new LeaderActionSettings(
            _settings.MinNrOfMembers,
            ImmutableDictionary<string, int>.Empty,
            _settings.AllowWeaklyUpMembers ?? TimeSpan.Zero,
            _settings.LeaderActionsInterval,
            TimeSpan.FromHours(24));

        Receive<ClusterProtocol.InitJoin>(OnInitJoin);
        Receive<ClusterProtocol.InitJoinAck>(OnInitJoinAck);
        Receive<ClusterProtocol.InitJoinNack>(_ => { });
        Receive<ClusterProtocol.Join>(OnJoin);
        Receive<ClusterProtocol.Welcome>(OnWelcome);
        Receive<ClusterProtocol.GossipEnvelope>(OnGossip);
        Receive<ClusterProtocol.GossipStatus>(OnGossipStatus);
        Receive<ClusterProtocol.Leave>(m => Apply(MembershipTransitions.Leave(_state, m.Address), $"leave of {m.Address} requested"));
        Receive<ClusterProtocol.Down>(m => Down(m.Address, "down requested by an operator"));
        Receive<ClusterInternal.DownRequest>(m => Down(m.Address, m.Reason));
        Receive<ClusterProtocol.ExitingConfirmed>(OnExitingConfirmed);
        Receive<ClusterInternal.ConfirmedDead>(OnConfirmedDead);
        Receive<ClusterInternal.IncarnationReplaced>(OnIncarnationReplaced);
        Receive<ClusterInternal.JoinTo>(m => StartJoin([m.Address]));
        Receive<ClusterInternal.JoinSeedTick>(OnJoinSeedTick);
        Receive<ClusterInternal.Subscribe>(OnSubscribe);
        Receive<ClusterInternal.Unsubscribe>(m => _subscribers.Remove(m.Subscriber));
        Receive<StatusRequest>(OnStatus);
        Receive<ClusterInternal.Tick>(OnTick);
    }

    private long NowMs => Environment.TickCount64;

    private IEnumerable<Address> Seeds => _settings.SeedNodes.Select(s => new Address(_settings.Name, s.Host, s.Port));

    protected override void PreStart()
    {
        var scheduler = Context.System.Scheduler;
        var initial = _settings.PeriodicTasksInitialDelay;
        _timers.Add(scheduler.ScheduleTellRepeatedly(initial, _settings.GossipInterval, Self, ClusterInternal.Tick.Gossip, Self));
        _timers.Add(scheduler.ScheduleTellRepeatedly(initial, _settings.LeaderActionsInterval, Self, ClusterInternal.Tick.Leader, Self));
        _timers.Add(scheduler.ScheduleTellRepeatedly(initial, _settings.UnreachableNodesReaperInterval, Self, ClusterInternal.Tick.Reaper, Self));
        if (_settings.SeedNodes.Count > 0)
        {
            StartJoin(Seeds.ToList());
        }
    }

    protected override void PostStop()
    {
        foreach (var timer in _timers)
        {
            timer.Cancel();
        }
    }

    private IActorRef CoreOf(Address address)
    {
        if (!_cores.TryGetValue(address, out var core))
        {
            core = _node.Transport.ActorFor(address, CorePath);
            _cores[address] = core;
        }

        return core;
    }

    private bool IsMember => _state.SelfMember is not null;

    // ---- joining ----

    private List<Address> _joinTargets = [];

    private void StartJoin(List<Address> targets)
    {
        if (IsMember)
        {
            return;
        }

        _joinTargets = targets;
        _joinAttempt++;
        var others = targets.Where(a => !a.Equals(_self.Address)).ToList();
        bool selfIsFirstSeed = targets.Count > 0 && targets[0].Equals(_self.Address);
        if (others.Count == 0 && selfIsFirstSeed)
        {
            JoinSelf("the only seed node is this node");
            return;
        }

        foreach (var seed in others)
        {
            CoreOf(seed).Tell(new ClusterProtocol.InitJoin(_settings.Name), Self);
        }

        ClusterLog.JoinProgress(_log, _selfText, $"asked seed nodes {string.Join(", ", others)} (attempt {_joinAttempt})");
        Context.System.Scheduler.ScheduleTellOnce(_settings.SeedNodeTimeout, Self, new ClusterInternal.JoinSeedTick(_joinAttempt), Self);
    }

    private void OnJoinSeedTick(ClusterInternal.JoinSeedTick tick)
    {
        if (IsMember || tick.Attempt != _joinAttempt)
        {
            return;
        }

        if (_joinPendingWith is null && _joinTargets.Count > 0 && _joinTargets[0].Equals(_self.Address))
        {
            JoinSelf("no other seed node answered within seed-node-timeout");
            return;
        }

        _joinPendingWith = null;
        StartJoin(_joinTargets);
    }

    private void JoinSelf(string reason)
    {
        ClusterLog.JoinProgress(_log, _selfText, "joining itself: " + reason);
        var result = MembershipTransitions.Join(_state, _self, _node.Options.Roles, _node.Options.Roles);
        Apply(result, "joined itself (first seed node)");
        RunLeaderActions();
    }

    private void OnInitJoin(ClusterProtocol.InitJoin m)
    {
        if (m.ClusterName == _settings.Name && _state.SelfMember is { Status: MemberStatus.Up or MemberStatus.WeaklyUp or MemberStatus.Leaving })
        {
            Sender.Tell(new ClusterProtocol.InitJoinAck(_self.Address), Self);
        }
        else
        {
            Sender.Tell(new ClusterProtocol.InitJoinNack(_self.Address), Self);
        }
    }

    private void OnInitJoinAck(ClusterProtocol.InitJoinAck m)
    {
        if (IsMember || _joinPendingWith is not null)
        {
            return;
        }

        _joinPendingWith = m.Address;
        ClusterLog.JoinProgress(_log, _selfText, $"seed {m.Address} answered; sending Join");
        CoreOf(m.Address).Tell(new ClusterProtocol.Join(_self, _node.Options.Roles), Self);
    }

    private void OnJoin(ClusterProtocol.Join m)
    {
        if (!IsMember || m.Node.Address.Cluster != _settings.Name || _node.Transport.IsQuarantined(m.Node))
        {
            ClusterLog.MessageIgnored(_log, _selfText, "Join", m.Node.ToString(), IsMember ? "other cluster or quarantined incarnation" : "this node is not a member yet");
            return;
        }

        var result = MembershipTransitions.Join(_state, m.Node, m.Roles, _node.Options.Roles);
        Apply(result, $"join request of {m.Node}");
        if (_state.LatestGossip.HasMember(m.Node))
        {
            CoreOf(m.Node.Address).Tell(new ClusterProtocol.Welcome(_self, _state.LatestGossip), Self);
        }

        RunLeaderActions();
    }

    private void OnWelcome(ClusterProtocol.Welcome m)
    {
        if (IsMember)
        {
            return;
        }

        var result = MembershipTransitions.Welcome(_state, m.Gossip);
        if (result.Changed)
        {
            ClusterLog.JoinProgress(_log, _selfText, $"welcomed by {m.From.Address}");
            SetState(result.State, $"welcomed by {m.From.Address}", eager: false);
            SendGossip(m.From);
        }
    }

    // ---- gossip ----

    private void OnGossip(ClusterProtocol.GossipEnvelope m)
    {
        if (!m.To.Equals(_self))
        {
            ClusterLog.MessageIgnored(_log, _selfText, "GossipEnvelope", m.From.ToString(), "addressed to another incarnation");
            return;
        }

        if (m.Gossip.Tombstones.ContainsKey(_self) && _wasMember)
        {
            SelfGone($"removed from the cluster (gossip from {m.From.Address})");
            return;
        }

        if (!IsMember)
        {
            if (m.Gossip.HasMember(_self) && !m.Gossip.Tombstones.ContainsKey(_self))
            {
                OnWelcome(new ClusterProtocol.Welcome(m.From, m.Gossip));
            }

            return;
        }

        var (state, outcome) = MembershipTransitions.ReceiveGossip(_state, m.Gossip, m.From, m.To);
        if (outcome == ReceiveGossipOutcome.Ignored)
        {
            ClusterLog.MessageIgnored(_log, _selfText, "GossipEnvelope", m.From.ToString(), "sender unknown or unreachable, or we are not in it");
            return;
        }

        SetState(state, $"gossip from {m.From.Address}", eager: false);
        bool senderBehind = outcome is ReceiveGossipOutcome.Older or ReceiveGossipOutcome.Merge ||
                            !state.LatestGossip.Overview.Seen.IsSubsetOf(m.Gossip.Overview.Seen);
        if (senderBehind)
        {
            SendGossip(m.From);
        }

        if (outcome is ReceiveGossipOutcome.Merge)
        {
            PushToUnseen();
        }

        RunLeaderActions();
    }

    private void OnGossipStatus(ClusterProtocol.GossipStatus m)
    {
        if (!IsMember)
        {
            return;
        }

        switch (GossipTargetSelector.ReplyToStatus(_state, m.From, m.Version))
        {
            case GossipSendKind.Gossip:
                SendGossip(m.From);
                break;
            case GossipSendKind.Status:
                CoreOf(m.From.Address).Tell(new ClusterProtocol.GossipStatus(_self, _state.LatestGossip.Version), Self);
                break;
        }
    }

    private void SendGossip(UniqueAddress to)
    {
        if (to.Equals(_self) || !_state.LatestGossip.HasMember(to))
        {
            return;
        }

        CoreOf(to.Address).Tell(new ClusterProtocol.GossipEnvelope(_self, to, _state.LatestGossip), Self);
    }

    private void PushToUnseen()
    {
        var unseen = MembershipTransitions.NotSeenBy(_state).Where(n => !n.Equals(_self)).ToList();
        foreach (var node in unseen.OrderBy(_ => _random.Next()).Take(EagerFanOut))
        {
            SendGossip(node);
        }
    }

    private void OnTick(ClusterInternal.Tick tick)
    {
        if (ReferenceEquals(tick, ClusterInternal.Tick.Gossip))
        {
            if (!IsMember)
            {
                return;
            }

            var (peer, kind) = _selector.SelectTarget(_state, _random);
            if (peer is null)
            {
                return;
            }

            if (kind == GossipSendKind.Gossip)
            {
                SendGossip(peer);
            }
            else if (kind == GossipSendKind.Status)
            {
                CoreOf(peer.Address).Tell(new ClusterProtocol.GossipStatus(_self, _state.LatestGossip.Version), Self);
            }
        }
        else if (ReferenceEquals(tick, ClusterInternal.Tick.Leader))
        {
            RunLeaderActions();
        }
        else if (ReferenceEquals(tick, ClusterInternal.Tick.Reaper))
        {
            if (IsMember)
            {
                var fd = _node.FailureDetectors;
                Apply(MembershipTransitions.ReapUnreachable(_state, a => fd.IsAvailable(a)), "phi-accrual failure detector");
            }
        }
        else if (ReferenceEquals(tick, ClusterInternal.Tick.ExitingDone))
        {
            SelfGone("left the cluster gracefully (Exiting confirmed)");
        }
    }

    // ---- leader, leave, down ----

    private void RunLeaderActions()
    {
        if (!IsMember || !_state.IsLeader(_self))
        {
            _ticksWithoutConvergence = 0;
            return;
        }

        _ticksWithoutConvergence = _state.Convergence(_exitingConfirmed) ? 0 : _ticksWithoutConvergence + 1;
        var result = LeaderActions.Run(_state, _leaderSettings, _exitingConfirmed, _ticksWithoutConvergence, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        _exitingConfirmed = result.ExitingConfirmed;
        if (!ReferenceEquals(result.State, _state))
        {
            SetState(result.State, "leader actions", eager: true);
        }

        foreach (var removed in result.Removed)
        {
            _node.Transport.Quarantine(removed.UniqueAddress, "removed from the cluster");
            _node.FailureDetectors.Remove(removed.Address);
        }
    }

    private void Down(Address address, string reason)
    {
        Apply(MembershipTransitions.Down(_state, address), reason);
        RunLeaderActions();
    }

    private void OnExitingConfirmed(ClusterProtocol.ExitingConfirmed m)
    {
        _exitingConfirmed = _exitingConfirmed.Add(m.Node);
        RunLeaderActions();
    }

    private void OnConfirmedDead(ClusterInternal.ConfirmedDead m)
    {
        if (!_state.LatestGossip.TryGetMember(m.Node, out var member) || member.Status is MemberStatus.Down)
        {
            return;
        }

        ClusterLog.PeerConfirmedDead(_log, _selfText, m.Node.ToString(), m.Reason);
        Apply(MembershipTransitions.MarkTerminated(_state, m.Node), "same-host fast path: " + m.Reason);
        if (_settings.Downing.DownConfirmedDeadImmediately)
        {
            ClusterLog.DowningDecision(_log, _selfText, m.Node.ToString(), "down (confirmed dead on this host)", m.Reason);
            Down(m.Node.Address, "same-host fast path: " + m.Reason);
        }
    }

    private void OnIncarnationReplaced(ClusterInternal.IncarnationReplaced m)
    {
        if (!_state.LatestGossip.TryGetMember(m.Old, out var member) || member.Status is MemberStatus.Down)
        {
            return;
        }

        Apply(MembershipTransitions.MarkTerminated(_state, m.Old), $"{m.Old.Address} restarted as incarnation {m.Current.Uid}");
        ClusterLog.DowningDecision(_log, _selfText, m.Old.ToString(), "down (restarted with a new incarnation)", $"new incarnation {m.Current.Uid}");
        Down(m.Old.Address, $"old incarnation replaced by {m.Current.Uid}");
    }

    // ---- state, events, logs ----

    private void Apply(TransitionResult result, string reason)
    {
        if (result.Changed)
        {
            SetState(result.State, reason, eager: true);
        }
    }

    private void SetState(MembershipState next, string reason, bool eager)
    {
        var old = _state;
        _state = next;
        _node.Publish(next);
        var events = ClusterEventDiff.Diff(old, next);
        foreach (var e in events)
        {
            LogEvent(old, e, reason);
            foreach (var subscriber in _subscribers)
            {
                subscriber.Tell(e, Self);
            }

            _downing?.Tell(e, Self);
        }

        if (!ReferenceEquals(old.Members, next.Members) || !ReferenceEquals(old.Reachability, next.Reachability))
        {
            var changed = new ClusterInternal.MembersChanged(next.Members, next.Reachability.AllUnreachableOrTerminated);
            _heartbeat.Tell(changed, Self);
            _sameHost?.Tell(changed, Self);
        }

        _downing?.Tell(new ClusterInternal.ReachabilitySnapshot(next.Reachability, next.LatestGossip.SeenBy), Self);
        CheckSelf();
        if (eager)
        {
            PushToUnseen();
        }
    }

    private void LogEvent(MembershipState old, ClusterDomainEvent e, string reason)
    {
        switch (e)
        {
            case MemberRemoved removed:
                ClusterLog.MemberStatusChanged(_log, _selfText, removed.Member.UniqueAddress.ToString(), removed.PreviousStatus.ToString(), "Removed", reason);
                break;
            case MemberEvent me:
                var before = old.LatestGossip.TryGetMember(me.Member.UniqueAddress, out var m) ? m.Status.ToString() : "None";
                ClusterLog.MemberStatusChanged(_log, _selfText, me.Member.UniqueAddress.ToString(), before, me.Member.Status.ToString(), reason);
                break;
            case UnreachableMember u:
                ClusterLog.ReachabilityChanged(_log, _selfText, u.Member.UniqueAddress.ToString(), "Reachable", "Unreachable", reason);
                break;
            case ReachableMember r:
                ClusterLog.ReachabilityChanged(_log, _selfText, r.Member.UniqueAddress.ToString(), "Unreachable", "Reachable", reason);
                break;
            case LeaderChanged l:
                ClusterLog.LeaderChanged(_log, _selfText, old.Leader?.Address.ToString() ?? "none", l.Leader?.ToString() ?? "none", reason);
                break;
        }
    }

    private void CheckSelf()
    {
        var self = _state.SelfMember;
        if (self is null)
        {
            if (_wasMember)
            {
                SelfGone("no longer in the membership");
            }

            return;
        }

        _wasMember = true;
        switch (self.Status)
        {
            case MemberStatus.Up or MemberStatus.WeaklyUp:
                _node.SignalUp();
                break;
            case MemberStatus.Exiting when !_exitingSent:
                _exitingSent = true;
                foreach (var member in _state.Members)
                {
                    CoreOf(member.Address).Tell(new ClusterProtocol.ExitingConfirmed(_self), Self);
                }

                Context.System.Scheduler.ScheduleTellOnce(TimeSpan.FromTicks(_settings.GossipInterval.Ticks * 3), Self, ClusterInternal.Tick.ExitingDone, Self);
                break;
            case MemberStatus.Down:
                SelfGone("downed");
                break;
        }
    }

    private void SelfGone(string reason)
    {
        if (_node.WhenRemoved.IsCompleted)
        {
            return;
        }

        ClusterLog.SelfRemoved(_log, _selfText, reason);
        _node.SignalRemoved(reason);
    }

    private void OnSubscribe(ClusterInternal.Subscribe m)
    {
        _subscribers.Add(m.Subscriber);
        m.Subscriber.Tell(ClusterEventDiff.Snapshot(_state), Self);
    }

    private void OnStatus(StatusRequest m)
    {
        var reachability = _state.Reachability;
        var rows = _state.Members.Select(x => new MemberRow(
            x.Address.ToString(),
            x.UniqueAddress.Uid,
            x.Status.ToString(),
            reachability.IsReachable(x.UniqueAddress),
            x.UpNumber,
            [.. x.Roles])).ToArray();
        Sender.Tell(
            new ClusterStatus(
                m.RequestId,
                _selfText,
                _self.Uid,
                _state.SelfMember?.Status.ToString() ?? "None",
                _state.Leader?.Address.ToString(),
                IsMember && _state.Convergence(_exitingConfirmed),
                rows),
            Self);
    }
}
