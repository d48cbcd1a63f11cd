using System.Collections.Immutable;
using System.Text;
using ActorNet.Actors.Cluster.Membership;

namespace ActorNet.Actors.Cluster.FailureDetection;

/// <summary>
/// Akka's <c>HeartbeatNodeRing</c>: nodes placed on a ring ordered by a hash of their unique address; each node
/// sends heartbeats to (and so monitors) the next <see cref="MonitoredByNrOfMembers"/> reachable nodes clockwise,
/// plus unreachable ones met on the way while fewer than that many were picked. Immutable.
/// </summary>
/// <remarks>
/// The hash must be identical in every process, so it is FNV-1a over the UTF-8 text of the unique address rather
/// than <see cref="object.GetHashCode"/> (randomised per process in .NET); ties are broken by address ordering.
/// </remarks>
public sealed class HeartbeatNodeRing
{
    private readonly ImmutableArray<UniqueAddress> _ring;

    /// <summary>Creates the ring.</summary>
    /// <param name="self">This node; must be in <paramref name="nodes"/>.</param>
    /// <param name="nodes">All nodes taking part (members that are not Removed).</param>
    /// <param name="unreachable">Nodes currently unreachable.</param>
    /// <param name="monitoredByNrOfMembers">Akka's <c>monitored-by-nr-of-members</c>; &gt; 0.</param>
    public HeartbeatNodeRing(UniqueAddress self, IEnumerable<UniqueAddress> nodes, IEnumerable<UniqueAddress> unreachable, int monitoredByNrOfMembers)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(monitoredByNrOfMembers, 1);
        SelfAddress = self;
        Nodes = nodes.ToImmutableHashSet();
        if (!Nodes.Contains(self))
        {
            throw new ArgumentException("the ring must contain the self node", nameof(nodes));
        }

        Unreachable = unreachable.ToImmutableHashSet();
        MonitoredByNrOfMembers = monitoredByNrOfMembers;
        _ring = [.. Nodes.OrderBy(RingHash).ThenBy(n => n, UniqueAddress.Ordering)];
        MyReceivers = Receivers(self);
    }

    /// <summary>This node.</summary>
    public UniqueAddress SelfAddress { get; }

    /// <summary>All nodes on the ring.</summary>
    public ImmutableHashSet<UniqueAddress> Nodes { get; }

    /// <summary>Unreachable nodes.</summary>
    public ImmutableHashSet<UniqueAddress> Unreachable { get; }

    /// <summary>How many reachable nodes each node monitors.</summary>
    public int MonitoredByNrOfMembers { get; }

    /// <summary>The nodes this node sends heartbeats to.</summary>
    public ImmutableHashSet<UniqueAddress> MyReceivers { get; }

    /// <summary>The stable ring position hash of a node (FNV-1a 32-bit of <c>address#uid</c>).</summary>
    public static uint RingHash(UniqueAddress node)
    {
        uint hash = 2166136261;
        foreach (byte b in Encoding.UTF8.GetBytes(node.ToString()))
        {
            hash = (hash ^ b) * 16777619;
        }

        return hash;
    }

    /// <summary>The nodes <paramref name="sender"/> heartbeats to.</summary>
    public ImmutableHashSet<UniqueAddress> Receivers(UniqueAddress sender)
    {
        if (MonitoredByNrOfMembers >= _ring.Length - 1)
        {
            return Nodes.Remove(sender);
        }

        int start = _ring.IndexOf(sender);
        var acc = ImmutableHashSet.CreateBuilder<UniqueAddress>();
        int remaining = MonitoredByNrOfMembers;
        for (int step = 1; step < _ring.Length && remaining > 0; step++)
        {
            var next = _ring[(start + step + _ring.Length) % _ring.Length];
            if (next.Equals(sender))
            {
                continue;
            }

            bool isUnreachable = Unreachable.Contains(next);
            if (isUnreachable && acc.Count >= MonitoredByNrOfMembers)
            {
                continue;
            }

            acc.Add(next);
            if (!isUnreachable)
            {
                remaining--;
            }
        }

        return acc.ToImmutable();
    }

    /// <summary>The ring with <paramref name="node"/> added.</summary>
    public HeartbeatNodeRing Add(UniqueAddress node) => new(SelfAddress, Nodes.Add(node), Unreachable, MonitoredByNrOfMembers);

    /// <summary>The ring with <paramref name="node"/> removed (never self).</summary>
    public HeartbeatNodeRing Remove(UniqueAddress node) =>
        node.Equals(SelfAddress) ? this : new(SelfAddress, Nodes.Remove(node), Unreachable.Remove(node), MonitoredByNrOfMembers);
}
