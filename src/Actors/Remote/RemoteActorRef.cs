using System.Text;
using ActorNet.Actors.Dispatch;

namespace ActorNet.Actors.Remote;

using Address = ActorNet.Actors.Cluster.Membership.Address;

/// <summary>
/// A reference to an actor on another node. <see cref="Tell"/> only enqueues on the peer's association (any thread,
/// no I/O, no serialization on the caller's thread); the association's writer loop serializes and sends in order.
/// System messages (remote DeathWatch) are not carried: a watch on a remote ref never fires; cluster membership
/// events are the way to learn that a node is gone.
/// </summary>
internal sealed class RemoteActorRef : ActorRefBase
{
    private readonly Association _association;
    private readonly byte[] _recipient;

    public RemoteActorRef(RemoteTransport transport, Association association, Address node, string path)
    {
        _association = association;
        Node = node;
        var elements = RemoteTransport.SplitPath(path);
        var root = ActorPath.Root(new ActorNet.Actors.Address(Address.Protocol, node.Cluster, node.Host, node.Port));
        Path = elements.Aggregate(root, (p, e) => p / e);
        var normalized = "/" + string.Join('/', elements);
        _recipient = Encoding.UTF8.GetBytes(normalized);
        FullPath = node + normalized;
        _ = transport;
    }

    public Address Node { get; }

    public string FullPath { get; }

    public override ActorPath Path { get; }

    internal override bool IsLocal => false;

    public override void Tell(object message, IActorRef? sender)
    {
        ArgumentNullException.ThrowIfNull(message);
        _association.Enqueue(_recipient, message, sender);
    }

    internal override void SendSystemMessage(SystemMessage message)
    {
        // Remote DeathWatch is not implemented: see the class summary.
    }

    public override string ToString() => $"[{FullPath}]";
}
