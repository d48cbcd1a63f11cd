using System.Collections.Immutable;
using ActorNet.Actors.Cluster.Membership;

namespace ActorNet.Actors.Cluster.Remoting;

using Address = ActorNet.Actors.Cluster.Membership.Address;

/// <summary>What to do with a peer that has just completed the handshake.</summary>
public enum AssociationDecision
{
    /// <summary>First association with this address: accept.</summary>
    New,

    /// <summary>Same incarnation as the current association (a reconnect): accept.</summary>
    SameIncarnation,

    /// <summary>The address restarted with a new uid: quarantine the old uid, accept the new one.</summary>
    IncarnationChanged,

    /// <summary>This incarnation was quarantined: refuse the connection.</summary>
    Refused,
}

/// <summary>
/// The remoting layer's record of which incarnation each peer address has, and which incarnations are quarantined
/// (Akka's association state: a quarantined uid can never talk to us again; a restarted node is a new member).
/// Immutable; the transport's supervisor actor keeps the current instance.
/// </summary>
/// <remarks>The quarantine list is bounded by <see cref="MaxQuarantined"/>; the oldest entries are forgotten first.</remarks>
public sealed record AssociationRegistry
{
    /// <summary>Most quarantined incarnations remembered.</summary>
    public const int MaxQuarantined = 10_000;

    /// <summary>Current incarnation uid per peer address.</summary>
    public ImmutableDictionary<Address, long> Current { get; init; } = ImmutableDictionary<Address, long>.Empty;

    /// <summary>Quarantined incarnations, oldest first.</summary>
    public ImmutableQueue<UniqueAddress> QuarantineOrder { get; init; } = [];

    /// <summary>Quarantined incarnations.</summary>
    public ImmutableHashSet<UniqueAddress> Quarantined { get; init; } = [];

    /// <summary>Decides about an authenticated peer and returns the updated registry.</summary>
    public (AssociationRegistry Registry, AssociationDecision Decision, UniqueAddress? QuarantinedIncarnation) OnHandshake(UniqueAddress peer)
    {
        if (Quarantined.Contains(peer))
        {
            return (this, AssociationDecision.Refused, null);
        }

        if (!Current.TryGetValue(peer.Address, out long uid))
        {
            return (this with { Current = Current.SetItem(peer.Address, peer.Uid) }, AssociationDecision.New, null);
        }

        if (uid == peer.Uid)
        {
            return (this, AssociationDecision.SameIncarnation, null);
        }

        var old = new UniqueAddress(peer.Address, uid);
        var next = Quarantine(old) with { Current = Current.SetItem(peer.Address, peer.Uid) };
        return (next, AssociationDecision.IncarnationChanged, old);
    }

    /// <summary>Quarantines <paramref name="node"/> (e.g. it was removed from the cluster) and forgets it as current.</summary>
    public AssociationRegistry Quarantine(UniqueAddress node)
    {
        if (Quarantined.Contains(node))
        {
            return this;
        }

        var order = QuarantineOrder.Enqueue(node);
        var set = Quarantined.Add(node);
        while (set.Count > MaxQuarantined)
        {
            order = order.Dequeue(out var oldest);
            set = set.Remove(oldest);
        }

        var current = Current.TryGetValue(node.Address, out long uid) && uid == node.Uid ? Current.Remove(node.Address) : Current;
        return this with { QuarantineOrder = order, Quarantined = set, Current = current };
    }
}

/// <summary>
/// Reconnect delays with exponential backoff and full jitter: attempt n waits a random time in
/// [<see cref="Min"/>, min(<see cref="Max"/>, Min × 2ⁿ)]. Pure apart from the injected <see cref="Random"/>.
/// </summary>
/// <param name="Min">First retry delay; &gt; 0.</param>
/// <param name="Max">Largest retry delay; ≥ <paramref name="Min"/>.</param>
public sealed record ReconnectBackoff(TimeSpan Min, TimeSpan Max)
{
    /// <summary>The delay before reconnect attempt <paramref name="attempt"/> (0-based).</summary>
    public TimeSpan Delay(int attempt, Random random)
    {
        if (Min <= TimeSpan.Zero || Max < Min)
        {
            throw new InvalidOperationException("reconnect backoff needs 0 < min <= max");
        }

        double cap = Math.Min(Max.TotalMilliseconds, Min.TotalMilliseconds * Math.Pow(2, Math.Clamp(attempt, 0, 30)));
        return TimeSpan.FromMilliseconds(Min.TotalMilliseconds + (random.NextDouble() * (cap - Min.TotalMilliseconds)));
    }
}
