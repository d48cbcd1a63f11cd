using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using ActorNet.Host.Platform;

namespace ActorNet.Host.Ops.Bench;

/// <summary>
/// Everything one benchmark run creates on the machine: network namespaces named <see cref="Prefix"/> + suffix
/// (<c>anbench-&lt;pid&gt;-&lt;random&gt;-</c>), a temporary folder, and background processes. Disposing kills every
/// process it started (by pid), deletes its namespaces (which removes their devices) and the folder, whatever
/// happened before. <see cref="CleanLeftovers"/> removes what crashed runs (whose pid is gone) left behind. Used by the
/// benchmark's one thread; not thread-safe.
/// </summary>
internal sealed class BenchScope : IDisposable
{
    /// <summary>Prefix shared by the namespaces and folders of every benchmark run.</summary>
    public const string CommonPrefix = "anbench-";

    private readonly List<NetworkNamespace> _namespaces = [];
    private readonly List<Process> _processes = [];
    private bool _disposed;

    /// <summary>Creates a scope with a fresh unique prefix; nothing is created on the machine yet except the folder.</summary>
    public BenchScope()
    {
        var random = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));
        Prefix = string.Create(CultureInfo.InvariantCulture, $"{CommonPrefix}{Environment.ProcessId}-{random}-");
        TempDirectory = Path.Combine(Path.GetTempPath(), Prefix.TrimEnd('-'));
        Directory.CreateDirectory(TempDirectory);
    }

    /// <summary>Prefix of this run's namespace names.</summary>
    public string Prefix { get; }

    /// <summary>Folder for this run's files (e.g. the vde_switch socket); deleted on dispose.</summary>
    public string TempDirectory { get; }

    /// <summary>Names of the namespaces this scope created and has not deleted yet.</summary>
    public IReadOnlyList<string> Namespaces => _namespaces.Select(n => n.Name).ToArray();

    /// <summary>
    /// Deletes the namespaces and folders of earlier runs whose process no longer exists, after killing the processes
    /// still running inside those namespaces. Runs of live processes (e.g. a concurrent benchmark) are left alone.
    /// Returns how many namespaces were removed.
    /// </summary>
    public static int CleanLeftovers()
    {
        var removed = 0;
        foreach (var name in NetworkNamespace.List(CommonPrefix))
        {
            if (OwnerAlive(name))
            {
                continue;
            }

            KillProcessesIn(name);
            NetworkNamespace.Delete(name);
            removed++;
        }

        foreach (var dir in Directory.EnumerateDirectories(Path.GetTempPath(), CommonPrefix + "*"))
        {
            if (!OwnerAlive(Path.GetFileName(dir) + "-"))
            {
                TryDeleteDirectory(dir);
            }
        }

        return removed;
    }

    /// <summary>Creates the namespace <see cref="Prefix"/> + <paramref name="suffix"/> with its loopback up.</summary>
    public async Task<NetworkNamespace> CreateNamespaceAsync(string suffix, CancellationToken cancellation)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var ns = NetworkNamespace.Create(Prefix + suffix);
        _namespaces.Add(ns);
        await RunAsync(cancellation, "ip", "-n", ns.Name, "link", "set", "lo", "up").ConfigureAwait(false);
        return ns;
    }

    /// <summary>
    /// Starts a long-running program inside <paramref name="ns"/> (through <c>ip netns exec</c>, which becomes the
    /// program), owned by this scope: killed by pid on <see cref="Kill"/> or dispose. Its output is drained and kept
    /// (last lines) for error messages; its standard input stays open (vde_switch reads commands from it).
    /// </summary>
    public BenchProcess Start(NetworkNamespace ns, string program, params string[] arguments)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var info = ns.CreateStartInfo(program, arguments);
        info.RedirectStandardInput = true;
        var process = Process.Start(info) ?? throw new PlatformPrerequisiteException($"could not start {program} in {ns.Name}");
        _processes.Add(process);
        return new BenchProcess(process, program);
    }

    /// <summary>Kills one process started by <see cref="Start"/> (by pid) and waits for it.</summary>
    public void Kill(BenchProcess process)
    {
        KillAndWait(process.Process);
        _processes.Remove(process.Process);
        process.Process.Dispose();
    }

    /// <summary>
    /// Runs a short program to completion (in the current namespace; use <c>ip -n NS</c> or <c>ip netns exec NS</c> for
    /// others), killing it after 30 s. Throws <see cref="BenchException"/> when it fails or times out.
    /// </summary>
    public static async Task<string> RunAsync(CancellationToken cancellation, string program, params string[] arguments)
    {
        var result = await TryRunAsync(TimeSpan.FromSeconds(30), cancellation, program, arguments).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw new BenchException($"'{program} {string.Join(' ', arguments)}' failed (exit {result.ExitCode.ToString(CultureInfo.InvariantCulture)}): {FirstLine(result.StandardError + result.StandardOutput)}");
        }

        return result.StandardOutput;
    }

    /// <summary>Runs a short program to completion and returns its exit code and output (exit -1 when killed after <paramref name="timeout"/>).</summary>
    public static async Task<ProcessResult> TryRunAsync(TimeSpan timeout, CancellationToken cancellation, string program, params string[] arguments)
    {
        var info = new ProcessStartInfo(BenchTools.Resolve(program) ?? program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in arguments)
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info) ?? throw new BenchException($"could not start {program}");
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        limit.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            KillAndWait(process);
            cancellation.ThrowIfCancellationRequested();
            return new ProcessResult(-1, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false) + $" (killed after {timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s)");
        }

        return new ProcessResult(process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
    }

    /// <summary>Kills every process of this scope, deletes its namespaces and its folder. Never throws.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (var process in _processes)
        {
            KillAndWait(process);
            process.Dispose();
        }

        _processes.Clear();
        foreach (var ns in _namespaces)
        {
            try
            {
                KillProcessesIn(ns.Name);
                NetworkNamespace.Delete(ns.Name);
            }
            catch (Exception)
            {
                // Best effort: CleanLeftovers of a later run removes what is left.
            }
        }

        _namespaces.Clear();
        TryDeleteDirectory(TempDirectory);
    }

    /// <summary>Whether the process whose pid a name <c>anbench-&lt;pid&gt;-...</c> carries is still running (false for other names).</summary>
    public static bool OwnerAlive(string name)
    {
        if (!name.StartsWith(CommonPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        // anbench-<pid>-<random>-...
        var rest = name[CommonPrefix.Length..];
        var dash = rest.IndexOf('-', StringComparison.Ordinal);
        if (dash <= 0 || !int.TryParse(rest[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
        {
            return false;
        }

        return Directory.Exists("/proc/" + pid.ToString(CultureInfo.InvariantCulture));
    }

    private static void KillProcessesIn(string ns)
    {
        ProcessResult result;
        try
        {
            result = TryRunAsync(TimeSpan.FromSeconds(10), CancellationToken.None, "ip", "netns", "pids", ns).GetAwaiter().GetResult();
        }
        catch (Exception)
        {
            return;
        }

        foreach (var line in result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(line, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid == Environment.ProcessId)
            {
                continue;
            }

            try
            {
                using var p = Process.GetProcessById(pid);
                KillAndWait(p);
            }
            catch (ArgumentException)
            {
                // Already gone.
            }
            catch (InvalidOperationException)
            {
            }
        }
    }

    private static void KillAndWait(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            process.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
            // Never started or already reaped.
        }
        catch (System.ComponentModel.Win32Exception)
        {
        }
    }

    private static void TryDeleteDirectory(string dir)
    {
        try
        {
            Directory.Delete(dir, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static string FirstLine(string text)
    {
        var line = text.Trim().Split('\n')[0].Trim();
        return line.Length == 0 ? "no output" : line;
    }
}

/// <summary>A background program of a <see cref="BenchScope"/>; its output is collected as it arrives (last 50 lines kept).</summary>
internal sealed class BenchProcess
{
    private readonly Queue<string> _lines = new();
    private readonly Lock _lock = new();

    /// <summary>Wraps <paramref name="process"/> and starts draining its output.</summary>
    public BenchProcess(Process process, string program)
    {
        Process = process;
        Program = program;
        process.OutputDataReceived += (_, e) => Add(e.Data);
        process.ErrorDataReceived += (_, e) => Add(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>The process (its pid is the program's: <c>ip netns exec</c> execs it).</summary>
    public Process Process { get; }

    /// <summary>Program name, for messages.</summary>
    public string Program { get; }

    /// <summary>The output lines kept so far, joined.</summary>
    public string Output
    {
        get
        {
            lock (_lock)
            {
                return string.Join('\n', _lines);
            }
        }
    }

    private void Add(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lock)
        {
            _lines.Enqueue(line);
            if (_lines.Count > 50)
            {
                _lines.Dequeue();
            }
        }
    }
}

/// <summary>A benchmark step failed (a command, a set-up, a measurement); the message says which and why.</summary>
public sealed class BenchException : Exception
{
    /// <summary>Creates the exception.</summary>
    public BenchException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a cause.</summary>
    public BenchException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>Creates the exception without a message (serializer convention).</summary>
    public BenchException()
    {
    }
}
