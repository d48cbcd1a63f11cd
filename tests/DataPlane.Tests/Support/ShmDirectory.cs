using System.Diagnostics;

namespace ActorNet.DataPlane.Tests.Support;

/// <summary>A private directory under /dev/shm for one test; removed (with every segment in it) on dispose.</summary>
public sealed class ShmDirectory : IDisposable
{
    public ShmDirectory()
    {
        string root = Directory.Exists("/dev/shm") ? "/dev/shm" : System.IO.Path.GetTempPath();
        Path = System.IO.Path.Combine(root, $"actornet-test-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Node(ushort id) => System.IO.Path.Combine(Path, $"node-{id}");

    public void Dispose()
    {
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}

/// <summary>Starts the peer executable as a real child process; killed and reaped on dispose.</summary>
public sealed class ChildProcess : IDisposable
{
    private readonly Process _process;

    public ChildProcess(params string[] args)
    {
        string dir = AppContext.BaseDirectory;
        string apphost = System.IO.Path.Combine(dir, "ActorNet.DataPlane.Peer");
        ProcessStartInfo psi;
        if (File.Exists(apphost))
        {
            psi = new ProcessStartInfo(apphost);
        }
        else
        {
            psi = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet");
            psi.ArgumentList.Add(System.IO.Path.Combine(dir, "ActorNet.DataPlane.Peer.dll"));
        }

        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        psi.RedirectStandardOutput = true;
        psi.RedirectStandardInput = true;
        psi.RedirectStandardError = true;
        psi.UseShellExecute = false;
        _process = Process.Start(psi)!;
    }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Reads stdout lines until one starts with <paramref name="prefix"/>; fails after <paramref name="timeout"/>.</summary>
    public string WaitForLine(string prefix, TimeSpan timeout)
    {
        var task = Task.Run(() =>
        {
            string? line;
            while ((line = _process.StandardOutput.ReadLine()) is not null)
            {
                if (line.StartsWith(prefix, StringComparison.Ordinal))
                {
                    return line;
                }
            }

            return null;
        });
        if (!task.Wait(timeout))
        {
            throw new TimeoutException($"child {Pid} did not print '{prefix}' within {timeout}");
        }

        return task.Result ?? throw new InvalidOperationException($"child {Pid} exited before printing '{prefix}': {_process.StandardError.ReadToEnd()}");
    }

    /// <summary>SIGKILL (kill -9) and reap.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.WaitForExit(10_000);
    }

    public int WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            throw new TimeoutException($"child {Pid} still running after {timeout}");
        }

        return _process.ExitCode;
    }

    public void Dispose()
    {
        try
        {
            Kill();
        }
        finally
        {
            _process.Dispose();
        }
    }
}
