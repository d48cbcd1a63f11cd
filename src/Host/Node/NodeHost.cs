using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using ActorNet.Actors;
using ActorNet.Actors.Cluster;
using ActorNet.Actors.Remote;
using ActorNet.DataPlane.Segments;
using ActorNet.Host.Configuration;
using ActorNet.Host.Logging;
using Microsoft.Extensions.Logging;

namespace ActorNet.Host.Node;

/// <summary>Optional parts of a <see cref="NodeHost"/>.</summary>
public sealed record NodeHostOptions
{
    /// <summary>Components started after the cluster, in order (e.g. the data-plane engine).</summary>
    public IReadOnlyList<INodeComponent> Components { get; init; } = [];

    /// <summary>Layout of the node's segment (rings, pools); default: header and ring table only.</summary>
    public Func<ActorNetSettings, SegmentLayout> SegmentLayout { get; init; } = static _ => new SegmentLayout();

    /// <summary>
    /// Creates the node's segment instead of the default (<see cref="SharedSegment.Create"/> with
    /// <see cref="SegmentLayout"/>) — for a data-plane component that sizes its rings itself. Called once, after the
    /// host has checked that no live process owns the path; receives the settings, the path and the incarnation (which
    /// must be written as the segment's incarnation: the same-host fast path of the peers matches it to the member).
    /// </summary>
    public Func<ActorNetSettings, string, long, SharedSegment>? SegmentFactory { get; init; }

    /// <summary>Console for the human log lines (null = the process console).</summary>
    public TextWriter? Console { get; init; }

    /// <summary>How long a graceful leave may take at stop.</summary>
    public TimeSpan LeaveTimeout { get; init; } = TimeSpan.FromSeconds(10);
}

/// <summary>A node cannot start; the message says why and what to do.</summary>
public sealed class NodeStartException : Exception
{
    /// <summary>Creates the exception with the operator-facing message.</summary>
    public NodeStartException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public NodeStartException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception without details.</summary>
    public NodeStartException()
        : base("the node could not start")
    {
    }
}

/// <summary>
/// The node daemon of one node: layered settings, logging (<see cref="ActorNetLogging.ForNode"/>), the node's
/// shared-memory segment (created at start, refused when a live process owns it, a dead leftover reclaimed; its
/// heartbeat word bumped on a dedicated thread), the actor system, remoting, cluster membership with the same-host
/// fast path, and the registered <see cref="INodeComponent"/>s. Created by <see cref="StartAsync"/>; stopped once by
/// <see cref="StopAsync"/> (graceful leave first). Not thread-safe for concurrent Start/Stop.
/// </summary>
public sealed class NodeHost : IAsyncDisposable
{
    private readonly ActorNetLogging _logging;
    private readonly ILogger _log;
    private readonly List<INodeComponent> _started = [];
    private readonly CancellationTokenSource _heartbeatStop = new();
    private readonly SegmentLivenessProbe _probe;
    private readonly NodeHostOptions _options;
    private Thread? _heartbeatThread;
    private int _stopped;

    private NodeHost(NodeContext context, ActorNetLogging logging, RemoteTransport transport, SegmentLivenessProbe probe, NodeHostOptions options)
    {
        Context = context;
        _logging = logging;
        _log = logging.LoggerFactory.CreateLogger("ActorNet.Node");
        Transport = transport;
        _probe = probe;
        _options = options;
    }

    /// <summary>Everything components receive.</summary>
    public NodeContext Context { get; }

    /// <summary>The cluster membership.</summary>
    public ClusterNode Cluster => Context.Cluster;

    /// <summary>The remoting transport.</summary>
    public RemoteTransport Transport { get; }

    /// <summary>The JSON log file, if file logging is on.</summary>
    public string? LogFile => _logging.FilePath;

    /// <summary>
    /// Starts a node from a loaded configuration (which selects the node with --node / actornet.node.id). Throws
    /// <see cref="NodeStartException"/> with an operator-facing message when the segment is owned by a live process,
    /// the port is taken or a component fails; <see cref="SettingsException"/> for invalid settings.
    /// </summary>
    public static async Task<NodeHost> StartAsync(LoadedConfiguration loaded, NodeHostOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new NodeHostOptions();
        var settings = ActorNetSettings.FromConfig(loaded.Config);
        long incarnation = NodeLogContext.NewIncarnation();
        var logging = ActorNetLogging.ForNode(settings, incarnation, options.Console);
        var log = logging.LoggerFactory.CreateLogger("ActorNet.Node");
        HostLog.ConfigurationLoaded(log, string.Join(" <- ", loaded.Layers));
        SharedSegment? segment = null;
        ActorSystem? system = null;
        RemoteTransport? transport = null;
        bool hostOwnsCleanup = false;
        try
        {
            segment = CreateSegment(settings, incarnation, options, log);
            system = ActorSystem.Create(settings.Cluster.Name, loaded.Config, logging.LoggerFactory);
            var registry = ClusterNode.CreateSerializerRegistry((int)Math.Min(int.MaxValue / 2, settings.Cluster.Remoting.MaximumFrameSize));
            transport = new RemoteTransport(system, RemoteTransportSettings.From(settings.Cluster, incarnation), registry, logging.LoggerFactory);
            try
            {
                transport.Start();
            }
            catch (SocketException ex)
            {
                throw new NodeStartException($"node {settings.Node.Id}: cannot listen on {settings.Cluster.Remoting.Hostname}:{settings.Cluster.Remoting.Port} ({ex.Message}); is another node using actornet.node.remoting.port?", ex);
            }

            if (!settings.Cluster.AuthenticationEnabled)
            {
                HostLog.AuthenticationOff(log, settings.Cluster.Name);
            }

            var probe = new SegmentLivenessProbe(settings.SharedMemory.Root, settings.Cluster.Name, segment.Path);
            var cluster = ClusterNode.Start(system, settings.Cluster, transport, new ClusterNodeOptions
            {
                SameHostProbe = probe,
                // A stale heartbeat word with a live owner process is only trusted after the network's own
                // acceptable pause: on a loaded host a live node's heartbeat thread can starve longer than
                // shared-memory.heartbeat.timeout, and downing a live node is far worse than waiting. A process
                // that has exited is still confirmed dead at once.
                SameHostStaleLimit = settings.SharedMemory.HeartbeatTimeout > settings.Cluster.FailureDetector.AcceptableHeartbeatPause
                    ? settings.SharedMemory.HeartbeatTimeout
                    : settings.Cluster.FailureDetector.AcceptableHeartbeatPause,
                Crash = code =>
                {
                    logging.Dispose();
                    Process.GetCurrentProcess().Kill();
                },
            });
            var context = new NodeContext(settings, loaded.Config, logging.LoggerFactory, system, cluster, segment, incarnation);
            var host = new NodeHost(context, logging, transport, probe, options);
            hostOwnsCleanup = true;
            host.StartHeartbeat(settings.SharedMemory.HeartbeatInterval);
            foreach (var component in options.Components)
            {
                try
                {
                    await component.StartAsync(context, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    await host.StopAsync(leave: false).ConfigureAwait(false);
                    throw new NodeStartException($"node {settings.Node.Id}: component {component.Name} failed to start: {ex.Message}", ex);
                }

                host._started.Add(component);
            }

            NodeLog.NodeStarted(log, settings.Node.Id, transport.LocalAddress.Address.ToString(), incarnation, segment.Path);
            return host;
        }
        catch (Exception) when (!hostOwnsCleanup)
        {
            if (transport is not null)
            {
                await transport.DisposeAsync().ConfigureAwait(false);
            }

            if (system is not null)
            {
                await system.Terminate().ConfigureAwait(false);
            }

            if (segment is not null)
            {
                DisposeSegment(segment);
            }

            logging.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Stops the node: leaves the cluster gracefully (when <paramref name="leave"/> and still a member), stops the
    /// components in reverse order, the transport and the actor system, closes and removes the segment, flushes logs.
    /// Idempotent.
    /// </summary>
    public async Task StopAsync(bool leave = true)
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }

        if (leave && !Cluster.WhenRemoved.IsCompleted && Cluster.State.SelfMember is not null)
        {
            bool left = await Cluster.LeaveAsync(_options.LeaveTimeout).ConfigureAwait(false);
            NodeLog.LeaveFinished(_log, left ? "removed from the cluster" : "leave timed out");
        }

        for (int i = _started.Count - 1; i >= 0; i--)
        {
            try
            {
                await _started[i].StopAsync(CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                NodeLog.ComponentStopFailed(_log, _started[i].Name, ex.Message);
            }
        }

        await Transport.DisposeAsync().ConfigureAwait(false);
        await Context.System.Terminate().WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        await _heartbeatStop.CancelAsync().ConfigureAwait(false);
        _heartbeatThread?.Join(TimeSpan.FromSeconds(2));
        _probe.Dispose();
        DisposeSegment(Context.Segment);
        NodeLog.NodeStopped(_log, Context.Settings.Node.Id);
        _logging.Dispose();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await StopAsync(leave: false).ConfigureAwait(false);

    private static SharedSegment CreateSegment(ActorNetSettings settings, long incarnation, NodeHostOptions options, ILogger log)
    {
        var id = (ushort)settings.Node.Id;
        var path = SharedSegment.PathFor(settings.SharedMemory.Root, settings.Cluster.Name, id);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var inspection = SharedSegment.Inspect(path, settings.SharedMemory.HeartbeatTimeout * 10);
        if (inspection.Exists && !inspection.Reclaimable)
        {
            var l = inspection.Liveness;
            throw new NodeStartException(string.Create(
                CultureInfo.InvariantCulture,
                $"node {id} of cluster {settings.Cluster.Name} is already running (pid {l?.OwnerPid}, incarnation {l?.Incarnation}, segment {path}); stop it first or pick another --node"));
        }

        if (inspection.Exists)
        {
            NodeLog.SegmentReclaimed(log, path, inspection.Reason);
        }

        try
        {
            return options.SegmentFactory is { } factory
                ? factory(settings, path, incarnation)
                : SharedSegment.Create(path, id, (ulong)incarnation, options.SegmentLayout(settings));
        }
        catch (IOException ex)
        {
            throw new NodeStartException($"node {id} of cluster {settings.Cluster.Name}: cannot create its segment {path}: {ex.Message}", ex);
        }
    }

    private static void DisposeSegment(SharedSegment segment)
    {
        try
        {
            segment.MarkClosed();
        }
        catch (ObjectDisposedException)
        {
            // Already closed.
        }

        var path = segment.Path;
        segment.Dispose();
        try
        {
            SharedSegment.Remove(path);
        }
        catch (IOException)
        {
            // Another incarnation may have replaced it already.
        }
    }

    private void StartHeartbeat(TimeSpan interval)
    {
        var segment = Context.Segment;
        var token = _heartbeatStop.Token;
        _heartbeatThread = new Thread(() =>
        {
            while (!token.IsCancellationRequested)
            {
                segment.Heartbeat();
                token.WaitHandle.WaitOne(interval);
            }
        })
        {
            IsBackground = true,
            Name = "actornet-segment-heartbeat",
        };
        _heartbeatThread.Start();
    }
}

/// <summary>Structured log events of the node daemon (event ids 1100..1149).</summary>
internal static partial class NodeLog
{
    [LoggerMessage(EventId = 1100, EventName = "NodeStarted", Level = LogLevel.Information, Message = "Node {NodeId} started at {Address} (incarnation {Incarnation}, segment {Segment})")]
    public static partial void NodeStarted(ILogger logger, int nodeId, string address, long incarnation, string segment);

    [LoggerMessage(EventId = 1101, EventName = "NodeStopped", Level = LogLevel.Information, Message = "Node {NodeId} stopped")]
    public static partial void NodeStopped(ILogger logger, int nodeId);

    [LoggerMessage(EventId = 1102, EventName = "SegmentReclaimed", Level = LogLevel.Warning, Message = "Reclaimed leftover segment {Segment}: {Reason}")]
    public static partial void SegmentReclaimed(ILogger logger, string segment, string reason);

    [LoggerMessage(EventId = 1103, EventName = "LeaveFinished", Level = LogLevel.Information, Message = "Graceful leave: {Outcome}")]
    public static partial void LeaveFinished(ILogger logger, string outcome);

    [LoggerMessage(EventId = 1104, EventName = "ComponentStopFailed", Level = LogLevel.Warning, Message = "Component {Component} failed to stop: {Reason}")]
    public static partial void ComponentStopFailed(ILogger logger, string component, string reason);
}
