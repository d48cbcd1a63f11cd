using System.Runtime.InteropServices;

namespace ActorNet.DataPlane;

internal static partial class Interop
{
    internal static unsafe partial class Libc
    {
        internal const int PROT_READ = 0x1;
        internal const int PROT_WRITE = 0x2;
        internal const int MAP_SHARED = 0x01;

        /// <summary>mmap(2). Returns MAP_FAILED ((void*)-1) on error.</summary>
        [LibraryImport(Libraries.Libc, EntryPoint = "mmap", SetLastError = true)]
        internal static partial void* mmap(void* addr, nuint length, int prot, int flags, int fd, long offset);

        /// <summary>munmap(2).</summary>
        [LibraryImport(Libraries.Libc, EntryPoint = "munmap", SetLastError = true)]
        internal static partial int munmap(void* addr, nuint length);
    }
}
