using System.Runtime.InteropServices;

namespace ActorNet.DataPlane.Notification;

/// <summary>
/// Wait/wake on a 32-bit word in shared memory. Linux: the futex syscall (shared, not private, because two
/// processes map the word). Elsewhere: a bounded sleep poll, so the interrupt mode still works (with latency).
/// Called from the receiving thread (wait) and the sending thread (wake); allocates nothing.
/// </summary>
internal static unsafe class Futex
{
    private static readonly bool s_isLinux = OperatingSystem.IsLinux();

    /// <summary>Sleeps while <c>*word == expected</c>, at most <paramref name="timeoutMicroseconds"/>. Returns spuriously at times.</summary>
    public static void Wait(int* word, int expected, long timeoutMicroseconds)
    {
        if (!s_isLinux)
        {
            if (Volatile.Read(ref *word) == expected)
            {
                Thread.Sleep(1);
            }

            return;
        }

        Interop.Libc.TimeSpec ts;
        ts.tv_sec = timeoutMicroseconds / 1_000_000;
        ts.tv_nsec = timeoutMicroseconds % 1_000_000 * 1000;
        _ = Interop.Libc.syscall(Interop.Libc.SYS_futex, word, Interop.Libc.FUTEX_WAIT, expected, &ts, null, 0);
    }

    /// <summary>Wakes up to <paramref name="count"/> waiters on <paramref name="word"/>.</summary>
    public static void Wake(int* word, int count)
    {
        if (s_isLinux)
        {
            _ = Interop.Libc.syscall(Interop.Libc.SYS_futex, word, Interop.Libc.FUTEX_WAKE, count, null, null, 0);
        }
    }

    /// <summary>True when the current platform has a real futex (Linux).</summary>
    public static bool IsNative => s_isLinux && RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.Arm64;
}
