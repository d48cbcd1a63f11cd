using ActorNet.DataPlane.Segments;

namespace ActorNet.DataPlane.Notification;

/// <summary>
/// The per-node doorbell in a segment header (<c>Doorbell</c> futex word and <c>ReceiverSleeping</c> flag, see
/// docs/abi.md): the owner's receive poller sleeps on it after finding all of its rings empty, and any sender that
/// published to a ring the owner reads rings it, so one sleeping thread is woken by a frame on any of its rings.
/// </summary>
/// <remarks>
/// Protocol (no lost wake-up): the receiver reads the doorbell value, stores <c>ReceiverSleeping = 1</c> with a full
/// fence, re-checks every ring, and only then waits while the doorbell still has the value it read (bounded). A sender
/// publishes its batch, issues a full fence, and only if <c>ReceiverSleeping</c> is 1 exchanges it to 0, increments
/// the doorbell and wakes: either the receiver's re-check sees the frames or the sender sees the flag. One wake per
/// sleep, none while the receiver is awake. Allocation-free and lock-free; the segment must stay mapped during a call.
/// </remarks>
internal static unsafe class Doorbell
{
    /// <summary>
    /// Sender side, after publishing to any ring <paramref name="receiverSegment"/>'s owner reads and after a full
    /// fence: wakes the owner's receive poller if it sleeps. Returns true when this call woke it.
    /// </summary>
    public static bool RingIfSleeping(SharedSegment receiverSegment)
    {
        var h = receiverSegment.Header;
        if (Volatile.Read(ref h->ReceiverSleeping) == 0 || Interlocked.Exchange(ref h->ReceiverSleeping, 0) == 0)
        {
            return false;
        }

        Interlocked.Increment(ref h->Doorbell);
        Futex.Wake(&h->Doorbell, 1);
        return true;
    }

    /// <summary>
    /// Receiver side, first step of going to sleep: returns the doorbell value to wait on and announces "sleeping"
    /// with a full fence. The caller must re-check every ring after this and call <see cref="Wait"/> only if all are
    /// empty, else <see cref="Awake"/>.
    /// </summary>
    public static int PrepareToSleep(SharedSegment ownSegment)
    {
        var h = ownSegment.Header;
        int value = Volatile.Read(ref h->Doorbell);
        Interlocked.Exchange(ref h->ReceiverSleeping, 1);
        return value;
    }

    /// <summary>Receiver side: sleeps while the doorbell still reads <paramref name="value"/>, at most <paramref name="timeoutMicroseconds"/>; then clears the flag.</summary>
    public static void Wait(SharedSegment ownSegment, int value, long timeoutMicroseconds)
    {
        var h = ownSegment.Header;
        Futex.Wait(&h->Doorbell, value, timeoutMicroseconds);
        Volatile.Write(ref h->ReceiverSleeping, 0);
    }

    /// <summary>Receiver side: withdraws the "sleeping" announcement (frames were found on the re-check).</summary>
    public static void Awake(SharedSegment ownSegment) => Volatile.Write(ref ownSegment.Header->ReceiverSleeping, 0);

    /// <summary>Whether the owner's receive poller currently announces that it sleeps (diagnostics and tests).</summary>
    public static bool IsReceiverSleeping(SharedSegment segment) => Volatile.Read(ref segment.Header->ReceiverSleeping) != 0;
}
