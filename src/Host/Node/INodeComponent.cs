using ActorNet.Actors;
using ActorNet.Actors.Cluster;
using ActorNet.DataPlane.Segments;
using ActorNet.Hocon;
using ActorNet.Host.Configuration;
using Microsoft.Extensions.Logging;

namespace ActorNet.Host.Node;

/// <summary>
/// What a node component receives when it starts: the node's settings and raw configuration, logging, the actor
/// system, the cluster membership, the node's own shared-memory segment and its incarnation. Owned by
/// <see cref="NodeHost"/>; components must not dispose any of it.
/// </summary>
/// <param name="Settings">Typed settings of this node.</param>
/// <param name="Config">The layered, resolved configuration (for component-specific keys).</param>
/// <param name="LoggerFactory">The node's logger factory (JSON-lines file + console).</param>
/// <param name="System">The node's actor system.</param>
/// <param name="Cluster">The node's cluster membership (events, state, leave/down).</param>
/// <param name="Segment">The node's own shared-memory segment (heartbeat bumped by the host).</param>
/// <param name="Incarnation">This process's incarnation (remoting uid and segment incarnation).</param>
public sealed record NodeContext(
    ActorNetSettings Settings,
    Config Config,
    ILoggerFactory LoggerFactory,
    ActorSystem System,
    ClusterNode Cluster,
    SharedSegment Segment,
    long Incarnation);

/// <summary>
/// An extension of the node daemon (e.g. the data-plane engine): started after the cluster (in registration order),
/// stopped before it (in reverse order). Both calls come from the host's start/stop path, one at a time.
/// </summary>
public interface INodeComponent
{
    /// <summary>Name used in logs and error messages.</summary>
    string Name { get; }

    /// <summary>Starts the component; an exception aborts the node's start with the message shown to the operator.</summary>
    Task StartAsync(NodeContext context, CancellationToken cancellationToken);

    /// <summary>Stops the component and releases what it holds; must not throw for an already stopped component.</summary>
    Task StopAsync(CancellationToken cancellationToken);
}
