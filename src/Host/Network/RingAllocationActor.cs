using ActorNet.Actors;
using ActorNet.DataPlane.Engine;
using ActorNet.DataPlane.Forwarding;
using ActorNet.DataPlane.Frames;
using ActorNet.DataPlane.RingAllocation;
using Microsoft.Extensions.Logging;

namespace ActorNet.Host.Network;

/// <summary>
/// Sequences the pure <see cref="RingAllocationState"/> decisions of one node: at every <see cref="Scan"/> (a timer,
/// same-host discovery through an <see cref="IPeerDirectory"/>) or <see cref="ApplyView"/> (membership from the
/// cluster actors), it plans, applies each step to the <see cref="LocalNetworkEngine"/> (map + connect, or mark down +
/// unmap + release), records each success, and publishes the resulting immutable forwarding snapshot with one
/// reference swap. The data path never waits for it. It lives in Host because it drives the data plane directly.
/// </summary>
public sealed class RingAllocationActor : ReceiveActor
{
    private readonly LocalNetworkEngine _engine;
    private readonly FrameForwarder _forwarder;
    private readonly IPeerDirectory _directory;
    private readonly IReadOnlyList<MacAddress> _groups;
    private readonly ILogger _logger;
    private readonly TimeSpan _scanInterval;
    private RingAllocationState _state;
    private ICancelable? _timer;

    /// <summary>Creates the actor over a started engine; <paramref name="scanInterval"/> zero disables the timer.</summary>
    public RingAllocationActor(LocalNetworkEngine engine, FrameForwarder forwarder, IPeerDirectory directory, RingAllocationState initial, IReadOnlyList<MacAddress> groups, TimeSpan scanInterval, ILogger logger)
    {
        _engine = engine;
        _forwarder = forwarder;
        _directory = directory;
        _state = initial;
        _groups = groups;
        _scanInterval = scanInterval;
        _logger = logger;
        Receive<Scan>(_ => Apply(_directory.Observe()));
        Receive<ApplyView>(m => Apply(m.View));
        Receive<GetAllocation>(_ => Sender.Tell(_state, Self));
    }

    /// <summary>Look at the peer directory now and apply what changed.</summary>
    public sealed class Scan
    {
        /// <summary>The one instance.</summary>
        public static Scan Instance { get; } = new();

        private Scan()
        {
        }
    }

    /// <summary>Apply a membership view computed elsewhere (cluster events): Up members as up, others as down.</summary>
    /// <param name="View">Every known peer.</param>
    public sealed record ApplyView(IReadOnlyList<PeerObservation> View);

    /// <summary>Ask for the current <see cref="RingAllocationState"/> (the reply).</summary>
    public sealed class GetAllocation
    {
        /// <summary>The one instance.</summary>
        public static GetAllocation Instance { get; } = new();

        private GetAllocation()
        {
        }
    }

    /// <inheritdoc/>
    protected override void PreStart()
    {
        // After a restart the engine may already hold links: start from what it actually has.
        foreach (var link in _engine.Snapshot())
        {
            if (link.State == LinkState.Up && !_state.Connected.ContainsKey(link.PeerNodeId))
            {
                _state = _state.WithConnected(link.PeerNodeId, link.PeerIncarnation);
            }
        }

        _forwarder.Publish(_state.ToSnapshot(NetworkKind.Local, _groups));
        if (_scanInterval > TimeSpan.Zero)
        {
            _timer = Context.System.Scheduler.ScheduleTellRepeatedly(TimeSpan.Zero, _scanInterval, Self, Scan.Instance, Self);
        }
    }

    /// <inheritdoc/>
    protected override void PostStop() => _timer?.Cancel();

    private void Apply(IReadOnlyList<PeerObservation> view)
    {
        var plan = _state.Plan(view);
        foreach (var ignored in plan.Ignored)
        {
            LocalNetworkLog.PeerWithoutRing(_logger, ignored);
        }

        if (plan.Steps.Count == 0)
        {
            return;
        }

        foreach (var step in plan.Steps)
        {
            if (step.Kind == RingStepKind.Release)
            {
                // Stop choosing the ring first (frames to the peer become counted "ring down" drops), then unmap.
                _state = _state.WithReleased(step.PeerNodeId);
                _forwarder.Publish(_state.ToSnapshot(NetworkKind.Local, _groups));
                _engine.DisconnectPeer(step.PeerNodeId);
                LocalNetworkLog.RingReleased(_logger, step.PeerNodeId, step.Incarnation, step.Reason.ToString(), _state.Version);
                continue;
            }

            try
            {
                _engine.ConnectPeer(step.PeerNodeId, _directory.OpenPeer(step.PeerNodeId, step.Incarnation));
            }
            catch (Exception ex) when (ex is DataPlane.Segments.SegmentFormatException or IOException or UnauthorizedAccessException)
            {
                LocalNetworkLog.RingConnectFailed(_logger, step.PeerNodeId, ex.Message);
                continue;
            }

            _state = _state.WithConnected(step.PeerNodeId, step.Incarnation);
            _forwarder.Publish(_state.ToSnapshot(NetworkKind.Local, _groups));
            LocalNetworkLog.RingConnected(_logger, step.PeerNodeId, step.Incarnation, _state.Version);
        }
    }
}
