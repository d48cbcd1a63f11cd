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
/// Version 3: the flag also says how the receiver sleeps — <see cref="SleepingOnFutex"/> (wake with FUTEX_WAKE) or
/// <see cref="SleepingOnDescriptor"/> (in <c>poll(2)</c> on its adapter and its <see cref="DescriptorBell"/>: write a
/// byte to the bell). A sender without a usable bell falls back to FUTEX_WAKE, and the receiver's bounded sleep is
/// the safety net.
/// </remarks>
internal static unsafe class Doorbell
{
    /// <summary><c>ReceiverSleeping</c> value: the receiver waits on the <c>Doorbell</c> futex word.</summary>
    public const int SleepingOnFutex = 1;

    /// <summary><c>ReceiverSleeping</c> value: the receiver waits in <c>poll(2)</c> on its descriptor bell.</summary>
    public const int SleepingOnDescriptor = 2;

    /// <summary>
    /// Sender side, after publishing to any ring <paramref name="receiverSegment"/>'s owner reads and after a full
    /// fence: wakes the owner's receive poller if it sleeps. Returns true when this call woke it.
    /// </summary>
    public static bool RingIfSleeping(SharedSegment receiverSegment, DescriptorBellRinger? bell = null)
    {
        var h = receiverSegment.Header;
        int how;
        if (Volatile.Read(ref h->ReceiverSleeping) == 0 || (how = Interlocked.Exchange(ref h->ReceiverSleeping, 0)) == 0)
        {
            return false;
        }

        Interlocked.Increment(ref h->Doorbell);
        if (how != SleepingOnDescriptor || bell is null || !bell.Ring())
        {
            Futex.Wake(&h->Doorbell, 1);
        }

        return true;
    }

    /// <summary>
    /// Owner side (its control plane, or an adapter that became readable): wakes the owner's own poller if it sleeps,
    /// through <paramref name="ownBell"/> when it sleeps in <c>poll(2)</c>. Any thread; full fence first, so whatever
    /// the caller made visible before is seen by the poller's re-check.
    /// </summary>
    public static void RingOwn(SharedSegment ownSegment, DescriptorBell? ownBell, bool evenIfAwake = false)
    {
        Interlocked.MemoryBarrier();
        var h = ownSegment.Header;
        int how = Interlocked.Exchange(ref h->ReceiverSleeping, 0);
        if (evenIfAwake)
        {
            // Stopping: do not trust the flag (a sender may have cleared it and failed to wake us) — ring both ways.
            Interlocked.Increment(ref h->Doorbell);
            ownBell?.Ring();
            Futex.Wake(&h->Doorbell, 1);
            return;
        }

        if (how == 0)
        {
            return;
        }

        Interlocked.Increment(ref h->Doorbell);
        if (how == SleepingOnDescriptor && ownBell is not null)
        {
            ownBell.Ring();
        }
        else
        {
            Futex.Wake(&h->Doorbell, 1);
        }
    }

    /// <summary>
    /// Receiver side, first step of going to sleep: returns the doorbell value to wait on and announces "sleeping"
    /// with a full fence. The caller must re-check every ring after this and call <see cref="Wait"/> only if all are
    /// empty, else <see cref="Awake"/>.
    /// </summary>
    public static int PrepareToSleep(SharedSegment ownSegment, int how = SleepingOnFutex)
    {
        var h = ownSegment.Header;
        int value = Volatile.Read(ref h->Doorbell);
        Interlocked.Exchange(ref h->ReceiverSleeping, how);
        return value;
    }

    /// <summary>
    /// Receiver side, after <see cref="PrepareToSleep"/> with <see cref="SleepingOnDescriptor"/> and the re-check:
    /// sleeps in <c>poll(2)</c> until <paramref name="adapterDescriptor"/> is readable, the bell rings, or
    /// <paramref name="timeoutMilliseconds"/> pass; then clears the flag and drains the bell. Linux only.
    /// </summary>
    public static void WaitDescriptors(SharedSegment ownSegment, DescriptorBell bell, int adapterDescriptor, int timeoutMilliseconds)
    {
        var fds = stackalloc Interop.Tun.PollFd[2];
        fds[0] = new Interop.Tun.PollFd { Fd = bell.Descriptor, Events = Interop.Tun.POLLIN };
        fds[1] = new Interop.Tun.PollFd { Fd = adapterDescriptor, Events = Interop.Tun.POLLIN };
        int ready = Interop.Tun.poll(fds, adapterDescriptor >= 0 ? 2u : 1u, timeoutMilliseconds);
        Volatile.Write(ref ownSegment.Header->ReceiverSleeping, 0);
        if (ready > 0 && fds[0].Revents != 0)
        {
            bell.Drain();
        }
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
