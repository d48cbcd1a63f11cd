using ActorNet.DataPlane.Frames;

namespace ActorNet.DataPlane.Adapters;

/// <summary>
/// An adapter for tests: two of them form a cable (<see cref="CreatePair"/>); what one writes, the other reads.
/// Each direction is a single-producer single-consumer queue of preallocated slots, so reads and writes do not
/// allocate; a full queue drops (counted) like a NIC whose ring is full.
/// </summary>
/// <remarks>
/// Threading follows <see cref="FrameAdapter"/>: one reader, one writer per adapter. The writer of A is the
/// producer of the queue the reader of B consumes. <see cref="WaitReadable"/> sleeps on an event the producer sets.
/// </remarks>
public sealed class InMemoryAdapter : FrameAdapter
{
    private readonly FrameQueue _inbound;   // consumed by this adapter's reader
    private FrameQueue _outbound = null!;   // produced by this adapter's writer (set once by CreatePair)
    private InMemoryAdapter _peer = null!;  // the adapter reading _outbound (set once by CreatePair)

    private InMemoryAdapter(string name, MacAddress mac, int maxFrameSize, bool supportsOffload, int depth)
        : base(name, mac, maxFrameSize, supportsOffload)
    {
        _inbound = new FrameQueue(depth, maxFrameSize);
    }

    /// <summary>Frames waiting to be read on this adapter.</summary>
    public int Pending => _inbound.Count;

    /// <summary>
    /// Creates two connected adapters. <paramref name="depth"/> frames of up to <paramref name="maxFrameSize"/>
    /// bytes are buffered per direction; <paramref name="supportsOffload"/> makes both carry offload metadata.
    /// </summary>
    public static (InMemoryAdapter A, InMemoryAdapter B) CreatePair(
        MacAddress macA, MacAddress macB, int maxFrameSize = 1518, int depth = 256, bool supportsOffload = false, string nameA = "mem0", string nameB = "mem1")
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(depth, 1);
        var a = new InMemoryAdapter(nameA, macA, maxFrameSize, supportsOffload, depth);
        var b = new InMemoryAdapter(nameB, macB, maxFrameSize, supportsOffload, depth);
        a._outbound = b._inbound;
        b._outbound = a._inbound;
        a._peer = b;
        b._peer = a;
        return (a, b);
    }

    /// <summary>
    /// Puts raw bytes on this adapter's receive queue as if the OS had sent them (no validation), so tests can feed
    /// runts, oversize or forged frames to <see cref="FrameAdapter.Read"/>. Returns false when the queue is full.
    /// </summary>
    public bool InjectFromOs(ReadOnlySpan<byte> raw, in FrameOffload offload = default)
    {
        if (!_inbound.TryEnqueue(raw, offload))
        {
            return false;
        }

        ReadableHook?.Invoke();
        return true;
    }

    /// <inheritdoc/>
    public override bool SignalsReadable => true;

    /// <inheritdoc/>
    public override bool WaitReadable(int timeoutMilliseconds)
    {
        if (_inbound.Count > 0)
        {
            return true;
        }

        _inbound.Signal.Reset();
        return _inbound.Count > 0 || _inbound.Signal.Wait(timeoutMilliseconds);
    }

    /// <inheritdoc/>
    protected override int ReadCore(Span<byte> frame, out FrameOffload offload, out bool garbledOffload)
    {
        garbledOffload = false;
        return _inbound.TryDequeue(frame, out offload);
    }

    /// <inheritdoc/>
    protected override bool WriteCore(ReadOnlySpan<byte> frame, in FrameOffload offload)
    {
        if (!_outbound.TryEnqueue(frame, offload))
        {
            return false;
        }

        _peer.ReadableHook?.Invoke();
        return true;
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inbound.Signal.Dispose();
        }

        base.Dispose(disposing);
    }
}
