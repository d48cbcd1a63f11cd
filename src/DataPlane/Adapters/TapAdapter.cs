using System.Net.Sockets;
using System.Runtime.InteropServices;
using ActorNet.DataPlane.Frames;
using Microsoft.Win32.SafeHandles;

namespace ActorNet.DataPlane.Adapters;

/// <summary>
/// A Linux TAP device (<c>/dev/net/tun</c>, <c>IFF_TAP | IFF_NO_PI</c>, optionally <c>IFF_VNET_HDR</c> with TSO/CSUM
/// offloads), configured entirely by ioctl: MAC (SIOCSIFHWADDR), MTU (SIOCSIFMTU), IPv4 address and netmask
/// (SIOCSIFADDR, SIOCSIFNETMASK) and link up (SIOCSIFFLAGS). No shelling out. The descriptor is non-blocking;
/// <see cref="WaitReadable"/> polls it.
/// </summary>
/// <remarks>
/// The device is created in the network namespace of the calling THREAD and stays there: to put it in a node's
/// namespace, open it from a thread that entered that namespace (see ActorNet.Host.Platform.NetworkNamespace).
/// The device is not persistent: it disappears when this object is disposed.
/// With offloads, each frame on the descriptor is preceded by a 10-byte <c>virtio_net_hdr</c>; reads and writes use
/// readv/writev with the header in a stack buffer, so frames are never copied to prepend or strip it.
/// </remarks>
public sealed unsafe class TapAdapter : FrameAdapter
{
    private const string TunPath = "/dev/net/tun";
    private readonly SafeFileHandle _handle;
    private readonly int _fd;     // cached from _handle, valid until Dispose (after the pollers stopped)
    private readonly bool _vnet;

    private TapAdapter(string name, MacAddress mac, int maxFrameSize, bool vnet, SafeFileHandle handle)
        : base(name, mac, maxFrameSize, vnet)
    {
        _handle = handle;
        _fd = (int)handle.DangerousGetHandle();
        _vnet = vnet;
    }

    /// <summary>The descriptor, for callers that want to add it to their own epoll set. Owned by the adapter.</summary>
    public SafeHandle Handle => _handle;

    /// <summary>
    /// Creates and configures the TAP device in the calling thread's network namespace. Throws
    /// <see cref="TapAdapterException"/> with what is missing and how to fix it (not root, no /dev/net/tun, name in
    /// use, MTU too large...).
    /// </summary>
    public static TapAdapter Open(TapAdapterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);
        if (!OperatingSystem.IsLinux())
        {
            throw new TapAdapterException("TAP adapters exist only on Linux; on Windows use the Wintun adapter.");
        }

        int fd = Interop.Tun.open(TunPath, Interop.Tun.O_RDWR | Interop.Tun.O_NONBLOCK | Interop.Tun.O_CLOEXEC);
        if (fd < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            throw errno switch
            {
                Interop.Tun.ENOENT => new TapAdapterException($"{TunPath} is missing: load the tun module (modprobe tun) or, in a container, pass the device through (--device /dev/net/tun)."),
                Interop.Tun.EACCES or Interop.Tun.EPERM => new TapAdapterException($"No permission to open {TunPath}: run as root or grant CAP_NET_ADMIN."),
                _ => new TapAdapterException($"Cannot open {TunPath}: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})."),
            };
        }

        var handle = new SafeFileHandle(fd, ownsHandle: true);
        try
        {
            string name = CreateInterface(fd, options);
            Configure(name, options);
            return new TapAdapter(name, options.MacAddress, options.MaxFrameSize, options.Offloads, handle);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    /// <inheritdoc/>
    public override int PollDescriptor => _fd;

    /// <inheritdoc/>
    public override bool WaitReadable(int timeoutMilliseconds)
    {
        var pfd = new Interop.Tun.PollFd { Fd = _fd, Events = Interop.Tun.POLLIN };
        int rc = Interop.Tun.poll(&pfd, 1, timeoutMilliseconds);
        return rc > 0;
    }

    /// <inheritdoc/>
    /// <remarks>
    /// tun silently truncates a frame larger than the buffer and returns the truncated length, so the read
    /// vector ends with a one-byte overflow probe: a read that reaches it means the frame was larger than
    /// <paramref name="frame"/> and is reported as such (the base counts it oversize and drops it).
    /// </remarks>
    protected override int ReadCore(Span<byte> frame, out FrameOffload offload, out bool garbledOffload)
    {
        offload = FrameOffload.None;
        garbledOffload = false;
        int headerSize = _vnet ? FrameOffload.Size : 0;
        byte* header = stackalloc byte[FrameOffload.Size];
        byte* probe = stackalloc byte[1];
        var iov = stackalloc Interop.Tun.IoVec[3];
        while (true)
        {
            nint n;
            fixed (byte* p = frame)
            {
                int count = 0;
                if (_vnet)
                {
                    iov[count++] = new Interop.Tun.IoVec { Base = header, Length = FrameOffload.Size };
                }

                iov[count++] = new Interop.Tun.IoVec { Base = p, Length = (nuint)frame.Length };
                iov[count++] = new Interop.Tun.IoVec { Base = probe, Length = 1 };
                n = Interop.Tun.readv(_fd, iov, count);
            }

            if (n < 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                if (errno == Interop.Tun.EINTR)
                {
                    continue;
                }

                if (errno == Interop.Tun.EAGAIN)
                {
                    return 0;
                }

                throw new IOException($"Reading TAP {Name} failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno}).");
            }

            if (n == 0)
            {
                return 0;
            }

            if (n < headerSize)
            {
                return 1; // runt: counted by the base
            }

            int length = (int)n - headerSize;
            if (length > frame.Length)
            {
                return length; // reached the probe: oversize, counted by the base
            }

            if (_vnet && length > 0 && !FrameOffload.TryRead(new ReadOnlySpan<byte>(header, FrameOffload.Size), length, out offload))
            {
                garbledOffload = true;
            }

            return length == 0 ? 1 : length;
        }
    }

    /// <inheritdoc/>
    protected override bool WriteCore(ReadOnlySpan<byte> frame, in FrameOffload offload)
    {
        byte* header = stackalloc byte[FrameOffload.Size];
        offload.WriteTo(new Span<byte>(header, FrameOffload.Size));
        var iov = stackalloc Interop.Tun.IoVec[2];
        while (true)
        {
            nint n;
            fixed (byte* p = frame)
            {
                if (_vnet)
                {
                    iov[0] = new Interop.Tun.IoVec { Base = header, Length = FrameOffload.Size };
                    iov[1] = new Interop.Tun.IoVec { Base = p, Length = (nuint)frame.Length };
                    n = Interop.Tun.writev(_fd, iov, 2);
                }
                else
                {
                    n = Interop.Tun.write(_fd, p, (nuint)frame.Length);
                }
            }

            if (n >= 0)
            {
                return true;
            }

            if (Marshal.GetLastPInvokeError() != Interop.Tun.EINTR)
            {
                return false; // EAGAIN (queue full) or EINVAL (kernel rejected the frame): counted as a drop
            }
        }
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _handle.Dispose();
        }

        base.Dispose(disposing);
    }

    private static void Validate(TapAdapterOptions options)
    {
        if (string.IsNullOrEmpty(options.Name) || options.Name.Length >= Interop.Tun.IFNAMSIZ || options.Name.Any(c => c is <= ' ' or > '~' or '/' or ':'))
        {
            throw new TapAdapterException($"Interface name '{options.Name}' is invalid: use 1..15 printable ASCII characters without '/', ':' or spaces.");
        }

        if (options.Mtu is < 68 or > TapAdapterOptions.MaxTapMtu)
        {
            throw new TapAdapterException($"MTU {options.Mtu} for {options.Name} is out of range: a TAP accepts 68..{TapAdapterOptions.MaxTapMtu} (65535 minus the Ethernet header).");
        }

        if (options.MacAddress.IsGroup || options.MacAddress.Value == 0)
        {
            throw new TapAdapterException($"MAC {options.MacAddress} for {options.Name} is not an individual address.");
        }

        if (options.Ipv4Address is { } ip && (ip.AddressFamily != AddressFamily.InterNetwork || options.Ipv4PrefixLength is < 0 or > 32))
        {
            throw new TapAdapterException($"Address {ip}/{options.Ipv4PrefixLength} for {options.Name} is not an IPv4 address with a prefix length of 0..32.");
        }
    }

    private static string CreateInterface(int fd, TapAdapterOptions options)
    {
        var request = default(Interop.Tun.IfReq);
        Interop.Tun.SetName(ref request, options.Name);
        request.Flags = (short)(Interop.Tun.IFF_TAP | Interop.Tun.IFF_NO_PI | (options.Offloads ? Interop.Tun.IFF_VNET_HDR : 0));
        if (Interop.Tun.ioctl(fd, Interop.Tun.TUNSETIFF, &request) < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            throw errno switch
            {
                Interop.Tun.EPERM => new TapAdapterException($"Creating TAP {options.Name} was refused (EPERM): run as root or grant CAP_NET_ADMIN in this network namespace."),
                Interop.Tun.EBUSY => new TapAdapterException($"TAP {options.Name} already exists and is in use: pick another name or stop the process holding it."),
                Interop.Tun.EINVAL => new TapAdapterException($"Interface {options.Name} exists and is not a TAP device: remove it (ip link del {options.Name}) or pick another name."),
                _ => new TapAdapterException($"TUNSETIFF for {options.Name} failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})."),
            };
        }

        string name = Interop.Tun.GetName(ref request);
        if (options.Offloads)
        {
            int headerSize = FrameOffload.Size;
            Check(Interop.Tun.ioctl(fd, Interop.Tun.TUNSETVNETHDRSZ, &headerSize), name, "TUNSETVNETHDRSZ");
            uint offloads = Interop.Tun.TUN_F_CSUM | Interop.Tun.TUN_F_TSO4 | Interop.Tun.TUN_F_TSO6 | Interop.Tun.TUN_F_TSO_ECN;
            Check(Interop.Tun.ioctl(fd, Interop.Tun.TUNSETOFFLOAD, (nuint)offloads), name, "TUNSETOFFLOAD");
        }

        return name;
    }

    private static void Configure(string name, TapAdapterOptions options)
    {
        int sock = Interop.Tun.socket(Interop.Tun.AF_INET, Interop.Tun.SOCK_DGRAM | Interop.Tun.SOCK_CLOEXEC, 0);
        if (sock < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            throw new TapAdapterException($"Cannot open a control socket to configure {name}: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno}).");
        }

        try
        {
            var request = default(Interop.Tun.IfReq);
            Interop.Tun.SetName(ref request, name);
            request.Family = Interop.Tun.ARPHRD_ETHER;
            options.MacAddress.WriteTo(new Span<byte>(request.Data, 6));
            Check(Interop.Tun.ioctl(sock, Interop.Tun.SIOCSIFHWADDR, &request), name, "SIOCSIFHWADDR (set MAC)");

            request = default;
            Interop.Tun.SetName(ref request, name);
            request.Value = options.Mtu;
            Check(Interop.Tun.ioctl(sock, Interop.Tun.SIOCSIFMTU, &request), name, $"SIOCSIFMTU (set MTU {options.Mtu})");

            if (options.Ipv4Address is { } ip)
            {
                SetIpv4(sock, name, Interop.Tun.SIOCSIFADDR, ip.GetAddressBytes(), "SIOCSIFADDR (set address)");
                uint mask = options.Ipv4PrefixLength == 0 ? 0 : uint.MaxValue << (32 - options.Ipv4PrefixLength);
                SetIpv4(sock, name, Interop.Tun.SIOCSIFNETMASK, [(byte)(mask >> 24), (byte)(mask >> 16), (byte)(mask >> 8), (byte)mask], "SIOCSIFNETMASK (set netmask)");
            }

            if (options.Up)
            {
                request = default;
                Interop.Tun.SetName(ref request, name);
                Check(Interop.Tun.ioctl(sock, Interop.Tun.SIOCGIFFLAGS, &request), name, "SIOCGIFFLAGS");
                request.Flags |= Interop.Tun.IFF_UP | Interop.Tun.IFF_RUNNING;
                Check(Interop.Tun.ioctl(sock, Interop.Tun.SIOCSIFFLAGS, &request), name, "SIOCSIFFLAGS (link up)");
            }
        }
        finally
        {
            Interop.Tun.close(sock);
        }
    }

    private static void SetIpv4(int sock, string name, nuint request, byte[] address, string what)
    {
        var ifr = default(Interop.Tun.IfReq);
        Interop.Tun.SetName(ref ifr, name);
        ifr.Family = Interop.Tun.AF_INET;
        // sockaddr_in: family (2), port (2, zero), address (4) -> sa_data[2..6]
        for (int i = 0; i < 4; i++)
        {
            ifr.Data[2 + i] = address[i];
        }

        Check(Interop.Tun.ioctl(sock, request, &ifr), name, what);
    }

    private static void Check(int rc, string name, string what)
    {
        if (rc < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            throw new TapAdapterException($"{what} on {name} failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})."
                + (errno == Interop.Tun.EINVAL && what.StartsWith("SIOCSIFMTU", StringComparison.Ordinal) ? $" A TAP's MTU is at most {TapAdapterOptions.MaxTapMtu}." : string.Empty));
        }
    }
}

/// <summary>A TAP device could not be created or configured; the message says what is missing and how to fix it.</summary>
public sealed class TapAdapterException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TapAdapterException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a cause.</summary>
    public TapAdapterException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>Creates the exception without a message (serializer convention).</summary>
    public TapAdapterException()
    {
    }
}
