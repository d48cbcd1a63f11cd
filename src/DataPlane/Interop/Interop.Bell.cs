using System.Runtime.InteropServices;

namespace ActorNet.DataPlane;

internal static partial class Interop
{
    /// <summary>
    /// libc calls of the descriptor doorbell (a FIFO beside the segment) that <see cref="Tun"/> does not already
    /// declare; close/read/write/poll and the open flags are <see cref="Tun"/>'s.
    /// </summary>
    internal static unsafe partial class Bell
    {
        internal const int O_WRONLY = 0x0001;

        [LibraryImport(Libraries.Libc, EntryPoint = "mkfifo", SetLastError = true)]
        internal static partial int mkfifo(byte* path, uint mode);

        /// <summary>open(2) with a NUL-terminated path already in native memory (no marshalling on the data path).</summary>
        [LibraryImport(Libraries.Libc, EntryPoint = "open", SetLastError = true)]
        internal static partial int open(byte* path, int flags);

        [LibraryImport(Libraries.Libc, EntryPoint = "unlink", SetLastError = true)]
        internal static partial int unlink(byte* path);
    }
}
