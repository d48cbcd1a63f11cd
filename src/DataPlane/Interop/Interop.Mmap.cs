using System.Runtime.InteropServices;

namespace ActorNet.DataPlane;

internal static partial class Interop
{
    internal static unsafe partial class Libc
    {
        internal const int PROT_READ = 0x1;
        internal const int PROT_WRITE = 0x2;
        internal const int MAP_SHARED = 0x01;
        internal const int ENOSPC = 28;
        internal const int EOPNOTSUPP = 95;

        /// <summary>mmap(2). Returns MAP_FAILED ((void*)-1) on error.</summary>
        [LibraryImport(Libraries.Libc, EntryPoint = "mmap", SetLastError = true)]
        internal static partial void* mmap(void* addr, nuint length, int prot, int flags, int fd, long offset);

        /// <summary>posix_fallocate(3): returns 0 or an error number (it does not set errno).</summary>
        [LibraryImport(Libraries.Libc, EntryPoint = "posix_fallocate")]
        internal static partial int posix_fallocate(int fd, long offset, long len);

        /// <summary>munmap(2).</summary>
        [LibraryImport(Libraries.Libc, EntryPoint = "munmap", SetLastError = true)]
        internal static partial int munmap(void* addr, nuint length);
    }
}
