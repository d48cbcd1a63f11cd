using System.Runtime.InteropServices;
using System.Text;

namespace ActorNet.DataPlane.Notification;

/// <summary>
/// The descriptor doorbell of a node (ABI version 3): a FIFO beside its segment, <c>.&lt;segment&gt;.bell</c>, which
/// the owner's poller can wait on in one <c>poll(2)</c> together with its adapter's descriptor (a TAP device), so
/// one thread sleeps until either a frame arrives from the kernel or a peer publishes to a ring it reads. A sender
/// that finds the owner's <c>ReceiverSleeping</c> word at <see cref="Doorbell.SleepingOnDescriptor"/> writes one byte
/// (<see cref="DescriptorBellRinger"/>). The owner creates it with mode 0600, drains it after every wake-up and
/// removes it on dispose; a leftover from a dead owner is replaced. Linux only (null elsewhere).
/// </summary>
internal sealed unsafe class DescriptorBell : IDisposable
{
    private byte* _path;
    private int _fd;

    private DescriptorBell(byte* path, int fd)
    {
        _path = path;
        _fd = fd;
    }

    /// <summary>The readable end (open read-write, so it never sees end-of-file), for <c>poll(2)</c>.</summary>
    public int Descriptor => _fd;

    /// <summary>The bell's path for the segment at <paramref name="segmentPath"/>: a hidden file beside it, <c>.&lt;name&gt;.bell</c>, so that scans for segments (<c>node-*</c>) do not meet it.</summary>
    public static string PathFor(string segmentPath) =>
        Path.Combine(Path.GetDirectoryName(segmentPath) ?? string.Empty, "." + Path.GetFileName(segmentPath) + ".bell");

    /// <summary>Creates (or replaces) the bell of the segment at <paramref name="segmentPath"/>; null with the reason when the platform or the file system does not allow it.</summary>
    public static DescriptorBell? TryCreate(string segmentPath, out string? error)
    {
        error = null;
        if (!OperatingSystem.IsLinux())
        {
            error = "descriptor doorbells exist on Linux only";
            return null;
        }

        var path = NativePath(PathFor(segmentPath));
        _ = Interop.Bell.unlink(path); // a leftover of a dead owner; ours is made fresh
        if (Interop.Bell.mkfifo(path, 0x180 /* 0600 */) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            NativeMemory.Free(path);
            error = $"mkfifo {PathFor(segmentPath)} failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})";
            return null;
        }

        int fd = Interop.Bell.open(path, Interop.Tun.O_RDWR | Interop.Tun.O_NONBLOCK | Interop.Tun.O_CLOEXEC);
        if (fd < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            _ = Interop.Bell.unlink(path);
            NativeMemory.Free(path);
            error = $"open {PathFor(segmentPath)} failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})";
            return null;
        }

        return new DescriptorBell(path, fd);
    }

    /// <summary>
    /// Reads pending bytes (poller thread, after a wake-up), at most 1 KiB: a peer that keeps writing cannot hold the
    /// poller here; what is left only makes the next poll(2) return at once. No allocation.
    /// </summary>
    public void Drain()
    {
        byte* sink = stackalloc byte[64];
        for (int i = 0; i < 16 && Interop.Tun.read(_fd, sink, 64) == 64; i++)
        {
        }
    }

    /// <summary>Rings this bell from the owner's own process (control plane waking its poller). Any thread.</summary>
    public void Ring()
    {
        byte one = 1;
        _ = Interop.Tun.write(_fd, &one, 1); // EAGAIN: the FIFO is full, so it is already readable
    }

    /// <summary>Closes and removes the FIFO.</summary>
    public void Dispose()
    {
        if (_path == null)
        {
            return;
        }

        _ = Interop.Tun.close(_fd);
        _ = Interop.Bell.unlink(_path);
        NativeMemory.Free(_path);
        _path = null;
        _fd = -1;
    }

    internal static byte* NativePath(string path)
    {
        int length = Encoding.UTF8.GetByteCount(path);
        var native = (byte*)NativeMemory.Alloc((nuint)length + 1);
        Encoding.UTF8.GetBytes(path, new Span<byte>(native, length));
        native[length] = 0;
        return native;
    }
}

/// <summary>
/// A sender's handle on a peer's <see cref="DescriptorBell"/>: opened write-only and non-blocking on first use (the
/// peer may create it after we mapped its segment; a failed open is retried at most every 100 ms, with no allocation,
/// so it may be used on the data path). Single-threaded (the sending poller); disposed by the control plane after the
/// poller has moved on.
/// </summary>
internal sealed unsafe class DescriptorBellRinger : IDisposable
{
    private byte* _path;
    private int _fd = -1;
    private long _nextAttempt;

    /// <summary>A ringer for the bell of the segment at <paramref name="segmentPath"/> (nothing is opened yet).</summary>
    public DescriptorBellRinger(string segmentPath) => _path = DescriptorBell.NativePath(DescriptorBell.PathFor(segmentPath));

    /// <summary>Writes one byte to the bell; false when it cannot be opened or written (the caller falls back to the futex).</summary>
    public bool Ring()
    {
        if (_fd < 0)
        {
            if (_path == null || !OperatingSystem.IsLinux() || Environment.TickCount64 < _nextAttempt)
            {
                return false;
            }

            _fd = Interop.Bell.open(_path, Interop.Bell.O_WRONLY | Interop.Tun.O_NONBLOCK | Interop.Tun.O_CLOEXEC);
            if (_fd < 0)
            {
                _nextAttempt = Environment.TickCount64 + 100;
                return false;
            }
        }

        byte one = 1;
        if (Interop.Tun.write(_fd, &one, 1) == 1)
        {
            return true;
        }

        int errno = Marshal.GetLastPInvokeError();
        if (errno == Interop.Tun.EAGAIN)
        {
            return true; // the FIFO is full: the owner has wake-ups pending already
        }

        _ = Interop.Tun.close(_fd); // e.g. EPIPE: the owner is gone; reopen later (a new incarnation makes a new FIFO)
        _fd = -1;
        _nextAttempt = Environment.TickCount64 + 100;
        return false;
    }

    /// <summary>Closes the descriptor.</summary>
    public void Dispose()
    {
        if (_fd >= 0)
        {
            _ = Interop.Tun.close(_fd);
            _fd = -1;
        }

        if (_path != null)
        {
            NativeMemory.Free(_path);
            _path = null;
        }
    }
}
