using System.Runtime.InteropServices;

namespace ActorNet.DataPlane;

internal static partial class Interop
{
    internal static partial class Libc
    {
        internal const int EPERM = 1;
        internal const int ESRCH = 3;

        /// <summary>kill(2); with signal 0 it only checks that the process exists.</summary>
        [LibraryImport(Libraries.Libc, EntryPoint = "kill", SetLastError = true)]
        internal static partial int kill(int pid, int sig);
    }
}
