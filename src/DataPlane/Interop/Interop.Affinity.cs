using System.Runtime.InteropServices;

namespace ActorNet.DataPlane;

internal static partial class Interop
{
    /// <summary>sched_getaffinity / sched_setaffinity of the calling thread (pid 0).</summary>
    internal static unsafe partial class Affinity
    {
        [LibraryImport(Libraries.Libc, EntryPoint = "sched_getaffinity", SetLastError = true)]
        internal static partial int sched_getaffinity(int pid, nuint size, byte* mask);

        [LibraryImport(Libraries.Libc, EntryPoint = "sched_setaffinity", SetLastError = true)]
        internal static partial int sched_setaffinity(int pid, nuint size, byte* mask);
    }
}
