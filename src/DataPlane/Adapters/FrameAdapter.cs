using ActorNet.DataPlane.Frames;

namespace ActorNet.DataPlane.Adapters;

/// <summary>
/// A virtual NIC as seen by the data plane: Ethernet frames in and out, zero allocation per frame.
/// </summary>
/// <remarks>
/// Contract: one thread reads (<see cref="Read"/>, <see cref="ReadBatch"/>, <see cref="WaitReadable"/>) and one
/// thread writes (<see cref="TryWrite"/>, <see cref="WriteBatch"/>); they may be different threads. The caller owns
/// every buffer; the adapter never keeps a reference to one after a call returns. Read validates what the device
/// delivered and drops runts, oversize and garbled frames itself (counting them), so callers only ever see frames
/// of at least an Ethernet header whose source is an individual address without the shared-memory control bit.
/// Dispose only after both threads have stopped.
/// </remarks>
public abstract class FrameAdapter : IDisposable
{
    /// <summary>Largest GSO super-frame: a 65535-byte IP packet plus an Ethernet header and one VLAN tag.</summary>
    public const int MaxSuperFrameSize = 65535 + 18;

    private byte[]? _scratch; // writer thread only: software checksum completion for adapters without offload

    /// <summary>Creates the base with its identity and limits.</summary>
    protected FrameAdapter(string name, MacAddress macAddress, int maxFrameSize, bool supportsOffload)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxFrameSize, ShmMacHeader.Size);
        Name = name;
        MacAddress = macAddress;
        MaxFrameSize = maxFrameSize;
        SupportsOffload = supportsOffload;
    }

    /// <summary>Interface name as the OS knows it (e.g. <c>shm0</c>).</summary>
    public string Name { get; }

    /// <summary>The adapter's MAC (derived from the node id).</summary>
    public MacAddress MacAddress { get; }

    /// <summary>Largest frame (Ethernet header included, offload header excluded) Read returns and TryWrite accepts.</summary>
    public int MaxFrameSize { get; }

    /// <summary>True when frames carry <see cref="FrameOffload"/> metadata end to end (TAP with IFF_VNET_HDR).</summary>
    public bool SupportsOffload { get; }

    /// <summary>Counters by cause.</summary>
    public AdapterCounters Counters { get; } = new();

    /// <summary>
    /// Reads the next valid frame into <paramref name="frame"/>; returns its length, or 0 when none is ready now
    /// (never blocks). <paramref name="offload"/> is <see cref="FrameOffload.None"/> unless <see cref="SupportsOffload"/>.
    /// Reader thread only.
    /// </summary>
    public int Read(Span<byte> frame, out FrameOffload offload)
    {
        while (true)
        {
            int n = ReadCore(frame, out offload, out bool garbledOffload);
            if (n == 0)
            {
                return 0;
            }

            if (n < ShmMacHeader.Size)
            {
                Counters._runts++;
                continue;
            }

            if (n > frame.Length || n > MaxFrameSize)
            {
                Counters._oversize++;
                continue;
            }

            if (garbledOffload || (frame[ShmMacHeader.SourceOffset] & ShmMacHeader.ControlBitMask) != 0)
            {
                Counters._garbled++;
                continue;
            }

            Counters._framesRead++;
            Counters._bytesRead += n;
            return n;
        }
    }

    /// <summary>
    /// Reads up to <paramref name="lengths"/>.Length frames, frame i into
    /// <paramref name="buffer"/>[i × <paramref name="stride"/> ..]; returns how many. Reader thread only.
    /// </summary>
    public int ReadBatch(Span<byte> buffer, int stride, Span<int> lengths, Span<FrameOffload> offloads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(stride, ShmMacHeader.Size);
        int max = Math.Min(Math.Min(lengths.Length, offloads.Length), buffer.Length / stride);
        int count = 0;
        while (count < max)
        {
            int n = Read(buffer.Slice(count * stride, stride), out offloads[count]);
            if (n == 0)
            {
                break;
            }

            lengths[count++] = n;
        }

        return count;
    }

    /// <summary>
    /// Hands one frame to the OS. Returns false (and counts a drop) when it is a runt, too large, or the device
    /// refuses it. A frame with a partial checksum given to an adapter without offload has its checksum finished
    /// in software; a GSO super-frame given to such an adapter is cut into segments in software
    /// (<see cref="SoftwareSegmentation"/>; a kind it cannot cut is dropped and counted). Writer thread only.
    /// </summary>
    public bool TryWrite(ReadOnlySpan<byte> frame, in FrameOffload offload)
    {
        // A super-frame may exceed this adapter's MTU: it is cut below when the adapter cannot take it whole.
        int limit = offload.Gso == GsoKind.None ? MaxFrameSize : Math.Max(MaxFrameSize, MaxSuperFrameSize);
        if (frame.Length < ShmMacHeader.Size || frame.Length > limit || !offload.IsValidFor(frame.Length))
        {
            Counters._writeDrops++;
            return false;
        }

        var effective = offload;
        if (!SupportsOffload && !offload.IsNone)
        {
            _scratch ??= new byte[MaxFrameSize];
            if (offload.Gso != GsoKind.None)
            {
                return WriteSegmented(frame, offload);
            }

            var copy = _scratch.AsSpan(0, frame.Length);
            frame.CopyTo(copy);
            offload.TryCompleteChecksum(copy);
            frame = copy;
            effective = FrameOffload.None;
        }

        if (!WriteCore(frame, effective))
        {
            Counters._writeDrops++;
            return false;
        }

        Counters._framesWritten++;
        Counters._bytesWritten += frame.Length;
        return true;
    }

    private bool WriteSegmented(ReadOnlySpan<byte> frame, in FrameOffload offload)
    {
        if (!SoftwareSegmentation.TryPlan(frame, offload, out var plan))
        {
            Counters._offloadUnsupported++;
            return false;
        }

        bool all = true;
        for (int i = 0; i < plan.SegmentCount; i++)
        {
            int n = SoftwareSegmentation.WriteSegment(frame, plan, i, _scratch);
            if (n == 0 || !WriteCore(_scratch.AsSpan(0, n), FrameOffload.None))
            {
                Counters._writeDrops++;
                all = false;
                continue;
            }

            Counters._framesWritten++;
            Counters._bytesWritten += n;
        }

        return all;
    }

    /// <summary>Writes <paramref name="lengths"/>.Length frames laid out like <see cref="ReadBatch"/>; returns how many were accepted. Writer thread only.</summary>
    public int WriteBatch(ReadOnlySpan<byte> buffer, int stride, ReadOnlySpan<int> lengths, ReadOnlySpan<FrameOffload> offloads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(stride, ShmMacHeader.Size);
        int accepted = 0;
        for (int i = 0; i < lengths.Length && (i + 1) * stride <= buffer.Length; i++)
        {
            int length = Math.Clamp(lengths[i], 0, stride);
            if (TryWrite(buffer.Slice(i * stride, length), i < offloads.Length ? offloads[i] : FrameOffload.None))
            {
                accepted++;
            }
        }

        return accepted;
    }

    /// <summary>
    /// A descriptor that <c>poll(2)</c> reports readable when <see cref="Read"/> has a frame (a TAP device), or -1
    /// when the adapter has none. The engine's poller sleeps on it together with its doorbell.
    /// </summary>
    public virtual int PollDescriptor => -1;

    /// <summary>
    /// Called by adapters without a <see cref="PollDescriptor"/> that can tell when a frame becomes readable (the
    /// in-memory adapter), on the thread that made it readable; the engine sets it to wake its sleeping poller. Must
    /// not allocate or block. Null = nobody listens.
    /// </summary>
    public Action? ReadableHook { get; set; }

    /// <summary>Whether this adapter calls <see cref="ReadableHook"/> whenever a frame becomes readable.</summary>
    public virtual bool SignalsReadable => false;

    /// <summary>
    /// Blocks until a frame may be ready or <paramref name="timeoutMilliseconds"/> passes (-1 = forever); returns
    /// false on timeout. A true result may be spurious: Read can still return 0. Reader thread only.
    /// </summary>
    public abstract bool WaitReadable(int timeoutMilliseconds);

    /// <summary>Releases the device. Call after the reader and writer threads stopped.</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>
    /// Reads one raw frame from the device without validation; returns its full length even when larger than
    /// <paramref name="frame"/> (so the base can count it oversize), or 0 when none is ready.
    /// <paramref name="garbledOffload"/> is set when the device's offload header failed validation.
    /// </summary>
    protected abstract int ReadCore(Span<byte> frame, out FrameOffload offload, out bool garbledOffload);

    /// <summary>Hands one validated frame to the device; false when the device refused it.</summary>
    protected abstract bool WriteCore(ReadOnlySpan<byte> frame, in FrameOffload offload);

    /// <summary>Releases native resources.</summary>
    protected virtual void Dispose(bool disposing)
    {
    }
}
