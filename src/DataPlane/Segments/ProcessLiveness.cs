using System.Diagnostics;

namespace ActorNet.DataPlane.Segments;

/// <summary>Process-existence checks used by liveness and claim takeover. Thread-safe, allocation-free on Linux.</summary>
internal static class ProcessLiveness
{
    /// <summary>True if a process with this pid exists (Linux: kill(pid, 0) is 0 or fails with EPERM).</summary>
    public static bool IsAlive(int pid)
    {
        if (pid <= 0)
        {
            return false;
        }

        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
        {
            if (Interop.Libc.kill(pid, 0) == 0)
            {
                return true;
            }

            return System.Runtime.InteropServices.Marshal.GetLastPInvokeError() == Interop.Libc.EPERM;
        }

        try
        {
            using var p = Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
