using System.Runtime.InteropServices;

namespace ActorNet.DataPlane;

/// <summary>Native declarations, dotnet/runtime style: one nested class per concern, native names kept exactly.</summary>
internal static partial class Interop
{
    /// <summary>
    /// libc calls used by the TAP adapter: the file-descriptor I/O on <c>/dev/net/tun</c> and the interface ioctls.
    /// Kept in their own class so they never clash with other engineers' libc declarations.
    /// </summary>
    internal static unsafe partial class Tun
    {
        internal const int O_RDWR = 0x0002;
        internal const int O_NONBLOCK = 0x0800;
        internal const int O_CLOEXEC = 0x80000;

        internal const int EINTR = 4;
        internal const int EAGAIN = 11;
        internal const int ENOENT = 2;
        internal const int EPERM = 1;
        internal const int EACCES = 13;
        internal const int EBUSY = 16;
        internal const int EINVAL = 22;
        internal const int EIO = 5;

        internal const short POLLIN = 0x0001;
        internal const short POLLOUT = 0x0004;

        internal const int AF_INET = 2;
        internal const int SOCK_DGRAM = 2;
        internal const int SOCK_CLOEXEC = 0x80000;

        // <linux/if_tun.h>
        internal const nuint TUNSETIFF = 0x400454ca;
        internal const nuint TUNSETOFFLOAD = 0x400454d0;
        internal const nuint TUNSETVNETHDRSZ = 0x400454d8;
        internal const short IFF_TUN = 0x0001;
        internal const short IFF_TAP = 0x0002;
        internal const short IFF_NO_PI = 0x1000;
        internal const short IFF_VNET_HDR = 0x4000;
        internal const uint TUN_F_CSUM = 0x01;
        internal const uint TUN_F_TSO4 = 0x02;
        internal const uint TUN_F_TSO6 = 0x04;
        internal const uint TUN_F_TSO_ECN = 0x08;

        // <linux/sockios.h>
        internal const nuint SIOCSIFADDR = 0x8916;
        internal const nuint SIOCGIFFLAGS = 0x8913;
        internal const nuint SIOCSIFFLAGS = 0x8914;
        internal const nuint SIOCSIFNETMASK = 0x891c;
        internal const nuint SIOCSIFMTU = 0x8922;
        internal const nuint SIOCSIFHWADDR = 0x8924;
        internal const nuint SIOCGIFINDEX = 0x8933;

        // <net/if.h>
        internal const short IFF_UP = 0x1;
        internal const short IFF_RUNNING = 0x40;
        internal const ushort ARPHRD_ETHER = 1;
        internal const int IFNAMSIZ = 16;

        /// <summary><c>struct ifreq</c> on Linux: 16-byte name, then a 24-byte union.</summary>
        [StructLayout(LayoutKind.Explicit, Size = 40)]
        internal struct IfReq
        {
            [FieldOffset(0)] internal fixed byte Name[IFNAMSIZ];
            [FieldOffset(16)] internal short Flags;       // ifr_flags
            [FieldOffset(16)] internal int Value;         // ifr_mtu, ifr_ifindex
            [FieldOffset(16)] internal ushort Family;     // sa_family of ifr_addr / ifr_hwaddr / ifr_netmask
            [FieldOffset(18)] internal fixed byte Data[14]; // sa_data (hwaddr: 6 bytes; sockaddr_in: port 2 + addr 4)
        }

        [StructLayout(LayoutKind.Sequential)]
        internal struct PollFd
        {
            internal int Fd;
            internal short Events;
            internal short Revents;
        }

        [StructLayout(LayoutKind.Sequential)]
        internal struct IoVec
        {
            internal void* Base;
            internal nuint Length;
        }

        [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int open(string path, int flags);

        [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
        internal static partial int close(int fd);

        [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
        internal static partial nint read(int fd, byte* buffer, nuint count);

        [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
        internal static partial nint write(int fd, byte* buffer, nuint count);

        [LibraryImport("libc", EntryPoint = "readv", SetLastError = true)]
        internal static partial nint readv(int fd, IoVec* iov, int iovcnt);

        [LibraryImport("libc", EntryPoint = "writev", SetLastError = true)]
        internal static partial nint writev(int fd, IoVec* iov, int iovcnt);

        [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
        internal static partial int ioctl(int fd, nuint request, void* argument);

        [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
        internal static partial int ioctl(int fd, nuint request, nuint argument);

        [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
        internal static partial int poll(PollFd* fds, nuint count, int timeoutMilliseconds);

        [LibraryImport("libc", EntryPoint = "socket", SetLastError = true)]
        internal static partial int socket(int domain, int type, int protocol);

        /// <summary>Copies an interface name into an <see cref="IfReq"/> (NUL-terminated, at most 15 bytes).</summary>
        internal static void SetName(ref IfReq request, string name)
        {
            fixed (byte* p = request.Name)
            {
                var span = new Span<byte>(p, IFNAMSIZ);
                span.Clear();
                System.Text.Encoding.ASCII.GetBytes(name, span.Slice(0, IFNAMSIZ - 1));
            }
        }

        /// <summary>Reads the interface name the kernel wrote back into an <see cref="IfReq"/>.</summary>
        internal static string GetName(ref IfReq request)
        {
            fixed (byte* p = request.Name)
            {
                var span = new ReadOnlySpan<byte>(p, IFNAMSIZ);
                int end = span.IndexOf((byte)0);
                return System.Text.Encoding.ASCII.GetString(end < 0 ? span : span.Slice(0, end));
            }
        }
    }
}
