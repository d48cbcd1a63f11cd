using System.Runtime.InteropServices;

namespace ActorNet.DataPlane;

internal static partial class Interop
{
    internal static unsafe partial class Libc
    {
        // Shared (not FUTEX_PRIVATE_FLAG) operations: the word lives in a MAP_SHARED mapping used by two processes.
        internal const int FUTEX_WAIT = 0;
        internal const int FUTEX_WAKE = 1;
        internal const int EAGAIN = 11;
        internal const int EINTR = 4;
        internal const int ETIMEDOUT = 110;

        /// <summary>SYS_futex for the running architecture (x86-64: 202, arm64: 98).</summary>
        internal static long SYS_futex => RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => 202,
            Architecture.Arm64 => 98,
            _ => throw new PlatformNotSupportedException("futex: unknown syscall number for " + RuntimeInformation.ProcessArchitecture),
        };

        [StructLayout(LayoutKind.Sequential)]
        internal struct TimeSpec
        {
            internal long tv_sec;
            internal long tv_nsec;
        }

        /// <summary>syscall(2), used only for SYS_futex.</summary>
        [LibraryImport(Libraries.Libc, EntryPoint = "syscall", SetLastError = true)]
        internal static partial long syscall(long number, int* uaddr, int futex_op, int val, TimeSpec* timeout, int* uaddr2, int val3);
    }
}
