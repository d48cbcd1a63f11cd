namespace ActorNet.DataPlane.Adapters;

/// <summary>
/// A single-producer single-consumer queue of preallocated frame slots with a wake-up event: the in-memory cable and
/// the Wintun adapter's locally generated frames (ARP replies) use it. Enqueue copies in, dequeue copies out; no
/// allocation. One producer thread and one consumer thread.
/// </summary>
internal sealed class FrameQueue
{
    private readonly byte[] _slots;
    private readonly int[] _lengths;
    private readonly FrameOffload[] _offloads;
    private readonly int _slotSize;
    private long _head;   // written by the consumer only
    private long _tail;   // written by the producer only

    internal FrameQueue(int depth, int slotSize)
    {
        _slotSize = slotSize;
        _slots = new byte[depth * slotSize];
        _lengths = new int[depth];
        _offloads = new FrameOffload[depth];
    }

    internal ManualResetEventSlim Signal { get; } = new(false);

    internal int Count => (int)(Volatile.Read(ref _tail) - Volatile.Read(ref _head));

    internal bool TryEnqueue(ReadOnlySpan<byte> frame, in FrameOffload offload)
    {
        long tail = _tail;
        if (tail - Volatile.Read(ref _head) >= _lengths.Length)
        {
            return false;
        }

        int index = (int)(tail % _lengths.Length);
        int length = Math.Min(frame.Length, _slotSize);
        frame.Slice(0, length).CopyTo(_slots.AsSpan(index * _slotSize, _slotSize));
        _lengths[index] = frame.Length; // the real length, so an oversize injection is seen as oversize
        _offloads[index] = offload;
        Volatile.Write(ref _tail, tail + 1);
        Signal.Set();
        return true;
    }

    internal int TryDequeue(Span<byte> frame, out FrameOffload offload)
    {
        long head = _head;
        if (head == Volatile.Read(ref _tail))
        {
            offload = default;
            return 0;
        }

        int index = (int)(head % _lengths.Length);
        int length = _lengths[index];
        offload = _offloads[index];
        int copy = Math.Min(Math.Min(length, _slotSize), frame.Length);
        _slots.AsSpan(index * _slotSize, copy).CopyTo(frame);
        Volatile.Write(ref _head, head + 1);
        return length == 0 ? 1 : length;
    }
}
