namespace ActorNet.DataPlane.Engine;

/// <summary>
/// Counters of one link direction pair between this node and one peer (or of this node's own cast rings). Each
/// field has exactly one writer: the transmit poller writes the <c>Tx*</c> fields, the receive poller the
/// <c>Rx*</c> fields. Anyone reads them through the properties (volatile reads; values may be a batch behind).
/// The object lives as long as the engine, so counts survive a peer's restart.
/// </summary>
public sealed class LinkCounters
{
    internal long _txFrames;
    internal long _txBytes;
    internal long _txDropFull;
    internal long _txDropDown;
    internal long _rxFrames;
    internal long _rxBytes;
    internal long _rxDropStale;
    internal long _rxDropMalformed;
    internal long _rxControl;

    /// <summary>Frames written to the ring.</summary>
    public long TxFrames => Volatile.Read(ref _txFrames);

    /// <summary>Bytes written to the ring (frame bytes, without slot headers).</summary>
    public long TxBytes => Volatile.Read(ref _txBytes);

    /// <summary>Frames dropped because the ring stayed full.</summary>
    public long TxDropFull => Volatile.Read(ref _txDropFull);

    /// <summary>Frames dropped because the ring (or the peer) is down.</summary>
    public long TxDropDown => Volatile.Read(ref _txDropDown);

    /// <summary>Frames read from this peer's rings and handed to the adapter.</summary>
    public long RxFrames => Volatile.Read(ref _rxFrames);

    /// <summary>Bytes read from this peer's rings.</summary>
    public long RxBytes => Volatile.Read(ref _rxBytes);

    /// <summary>Cast-ring frames lost because this reader was lapped or a slot changed under the copy.</summary>
    public long RxDropStale => Volatile.Read(ref _rxDropStale);

    /// <summary>Slots refused as malformed (impossible length or sequence, impossible index, offload prefix the adapter refused).</summary>
    public long RxDropMalformed => Volatile.Read(ref _rxDropMalformed);

    /// <summary>Internal control frames read (never handed to the adapter).</summary>
    public long RxControl => Volatile.Read(ref _rxControl);
}

/// <summary>State of the link to one peer as the engine last applied it (for status views).</summary>
public enum LinkState
{
    /// <summary>Never connected.</summary>
    Absent = 0,

    /// <summary>Connected: the transmit ring in the peer's segment is open and frames flow both ways.</summary>
    Up = 1,

    /// <summary>The peer left or died: its transmit ring is marked down and unmapped, our receive ring is released.</summary>
    Down = 2,
}

/// <summary>One row of <see cref="LocalNetworkEngine.Snapshot"/>: a peer link and its counters.</summary>
/// <param name="PeerNodeId">The peer.</param>
/// <param name="State">Link state.</param>
/// <param name="PeerIncarnation">Incarnation of the peer segment last connected (0 = never).</param>
/// <param name="Counters">Live counters (shared object, read with volatile reads).</param>
public sealed record LinkStatus(ushort PeerNodeId, LinkState State, ulong PeerIncarnation, LinkCounters Counters);
