using ActorNet.DataPlane.Abi;

namespace ActorNet.DataPlane.Rings;

/// <summary>
/// Receives frames in place during a drain. Implement as a struct so the call is inlined and allocation-free.
/// The span points into shared memory and is valid only during the call: copy what you keep.
/// </summary>
public interface IFrameHandler
{
    /// <summary>Called once per delivered frame, in ring order, on the draining thread.</summary>
    void OnFrame(ReadOnlySpan<byte> frame, SlotFlags flags);
}

/// <summary>What a sender does when the ring is full.</summary>
public enum FullPolicy
{
    /// <summary>Report "full" to the caller, who retries (flow control back to the adapter).</summary>
    Backpressure = 0,
    /// <summary>Drop the frame and count it (like a NIC whose queue overflows).</summary>
    Drop = 1,
}

/// <summary>Outcome of a send.</summary>
public enum SendResult
{
    /// <summary>The frame is in the ring (published when the batch is published).</summary>
    Sent = 0,
    /// <summary>Ring full under <see cref="FullPolicy.Backpressure"/>: nothing was written, try again.</summary>
    Full = 1,
    /// <summary>Ring full under <see cref="FullPolicy.Drop"/>: the frame was dropped and counted.</summary>
    Dropped = 2,
    /// <summary>The ring is marked down: the receiver is gone.</summary>
    Down = 3,
}
