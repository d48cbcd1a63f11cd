using System.Runtime.InteropServices;

namespace ActorNet.DataPlane.Engine;

/// <summary>CPU placement of the calling thread (Linux; elsewhere every call reports "not supported").</summary>
public static unsafe class CpuAffinity
{
    private const int MaskBytes = 128; // 1024 CPUs

    /// <summary>The CPUs the calling thread may run on, ascending; empty when unknown (not Linux, or the call failed).</summary>
    public static IReadOnlyList<int> AllowedCpus()
    {
        if (!OperatingSystem.IsLinux())
        {
            return [];
        }

        byte* mask = stackalloc byte[MaskBytes];
        if (Interop.Affinity.sched_getaffinity(0, MaskBytes, mask) != 0)
        {
            return [];
        }

        var cpus = new List<int>();
        for (int cpu = 0; cpu < MaskBytes * 8; cpu++)
        {
            if ((mask[cpu >> 3] & (1 << (cpu & 7))) != 0)
            {
                cpus.Add(cpu);
            }
        }

        return cpus;
    }

    /// <summary>Restricts the calling thread to <paramref name="cpu"/>; false with the reason when that is not possible.</summary>
    public static bool TryPinCurrentThread(int cpu, out string? error)
    {
        error = null;
        if (!OperatingSystem.IsLinux())
        {
            error = "CPU pinning is implemented on Linux only";
            return false;
        }

        if (cpu is < 0 or >= MaskBytes * 8)
        {
            error = $"CPU {cpu} is out of range 0..{(MaskBytes * 8) - 1}";
            return false;
        }

        byte* mask = stackalloc byte[MaskBytes];
        new Span<byte>(mask, MaskBytes).Clear();
        mask[cpu >> 3] = (byte)(1 << (cpu & 7));
        if (Interop.Affinity.sched_setaffinity(0, MaskBytes, mask) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            error = $"sched_setaffinity to CPU {cpu} failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno}; is the CPU online and allowed for this process?)";
            return false;
        }

        return true;
    }
}
