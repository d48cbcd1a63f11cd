namespace ActorNet.DataPlane.Notification;

/// <summary>How a receiver waits for frames; chosen per network in configuration.</summary>
public enum NotificationMode
{
    /// <summary>Busy spin on the write index: lowest latency, one core per receiver.</summary>
    Polling = 0,
    /// <summary>Sleep on the ring's futex word; the sender wakes the receiver only when it is asleep, once per batch.</summary>
    Interrupt = 1,
    /// <summary>Spin for a bounded time, then sleep as in <see cref="Interrupt"/>.</summary>
    Adaptive = 2,
}
