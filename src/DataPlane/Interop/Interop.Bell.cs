using System.Runtime.InteropServices;

namespace ActorNet.DataPlane;

internal static partial class Interop
{
    /// <summary>libc calls of the descriptor doorbell (a FIFO beside the segment).</summary>
    internal static unsafe partial class Bell
    {
        internal const int O_RDWR = 0x0002;
        internal const int O_WRONLY = 0x0001;
        internal const int O_NONBLOCK = 0x0800;
        internal const int O_CLOEXEC = 0x80000;
        internal const int EEXIST = 17;
        internal const int EINTR = 4;
        internal const short POLLIN = 0x0001;

        [LibraryImport(Libraries.Libc, EntryPoint = "mkfifo", SetLastError = true)]
        internal static partial int mkfifo(byte* path, uint mode);

        [LibraryImport(Libraries.Libc, EntryPoint = "open", SetLastError = true)]
        internal static partial int open(byte* path, int flags);

        [LibraryImport(Libraries.Libc, EntryPoint = "unlink", SetLastError = true)]
        internal static partial int unlink(byte* path);

        [LibraryImport(Libraries.Libc, EntryPoint = "close", SetLastError = true)]
        internal static partial int close(int fd);

        [LibraryImport(Libraries.Libc, EntryPoint = "read", SetLastError = true)]
        internal static partial nint read(int fd, byte* buffer, nuint count);

        [LibraryImport(Libraries.Libc, EntryPoint = "write", SetLastError = true)]
        internal static partial nint write(int fd, byte* buffer, nuint count);

        [LibraryImport(Libraries.Libc, EntryPoint = "poll", SetLastError = true)]
        internal static partial int poll(Tun.PollFd* fds, nuint count, int timeoutMilliseconds);
    }
}
