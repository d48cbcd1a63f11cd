using System.Diagnostics;
using System.Runtime.InteropServices;
using static ActorNet.DataPlane.Interop;

namespace ActorNet.Host.Platform;

/// <summary>
/// A named Linux network namespace created the way <c>ip netns add</c> does it: a bind mount of the namespace file
/// at <c>/run/netns/&lt;name&gt;</c> (on a shared mount of <c>/run/netns</c>), so <c>ip netns exec</c>,
/// <c>ip netns list</c> and <c>ip netns del</c> work on it and it outlives the process that made it.
/// Each ActorNet node lives in one; this is how "each node runs its own copy of the protocol stack" is realised.
/// </summary>
/// <remarks>
/// Namespaces belong to threads, not processes. Everything here that enters a namespace does so on a dedicated,
/// short-lived thread (<see cref="Run{T}"/>) and switches it back before the thread ends, so no runtime or
/// thread-pool thread is ever left in a foreign namespace. A TAP device opened inside <see cref="Run{T}"/> lives in
/// the namespace; its descriptor may then be used from any thread.
/// Running programs inside a namespace uses <c>ip netns exec</c>: ActorNet depends on iproute2 for that (it also
/// remounts /sys and applies /etc/netns/&lt;name&gt;, which a bare setns would not).
/// </remarks>
public sealed class NetworkNamespace
{
    /// <summary>Where named namespaces are mounted (iproute2's NETNS_RUN_DIR).</summary>
    public const string RunDirectory = "/run/netns";

    private NetworkNamespace(string name) => Name = name;

    /// <summary>The namespace's name.</summary>
    public string Name { get; }

    /// <summary>Path of the namespace's mount point.</summary>
    public string Path => System.IO.Path.Combine(RunDirectory, Name);

    /// <summary>
    /// Throws <see cref="PlatformPrerequisiteException"/> unless this process can create namespaces and TAP devices:
    /// Linux, root (effective uid 0), <c>/dev/net/tun</c> present. The message says what is missing and how to fix it.
    /// </summary>
    public static void EnsurePrerequisites(bool needTun = true)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformPrerequisiteException("Network namespaces exist only on Linux.");
        }

        if (Netns.geteuid() != 0)
        {
            throw new PlatformPrerequisiteException(NotRootMessage(UserNamespaceFacts.Read()));
        }

        if (needTun && !File.Exists("/dev/net/tun"))
        {
            throw new PlatformPrerequisiteException("/dev/net/tun is missing: load the tun module (modprobe tun) or, in a container, pass the device through (--device /dev/net/tun).");
        }
    }

    /// <summary>
    /// What to tell a user who is not root: run as root, and why an unprivileged user namespace is no way around it
    /// here (each blocker with its fix). Pure.
    /// </summary>
    internal static string NotRootMessage(UserNamespaceFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var blockers = new List<string>();
        if (facts.MaxUserNamespaces == 0)
        {
            blockers.Add("the kernel allows no user namespaces (sysctl user.max_user_namespaces = 0)");
        }

        if (facts.UnprivilegedUsernsClone == 0)
        {
            blockers.Add("the kernel refuses them to unprivileged users (sysctl kernel.unprivileged_userns_clone = 0)");
        }

        if (facts.AppArmorRestrictsUserns == 1)
        {
            blockers.Add("AppArmor restricts them (sysctl kernel.apparmor_restrict_unprivileged_userns = 1)");
        }

        if (!facts.TunReadWrite)
        {
            blockers.Add($"/dev/net/tun is {facts.TunMode ?? "missing"}, so no TAP device (shm0) could be opened inside one (root can make it usable with: chmod 0666 /dev/net/tun)");
        }

        var why = blockers.Count > 0
            ? "An unprivileged user namespace is no way around it here: " + string.Join("; ", blockers) + "."
            : "The kernel would allow an unprivileged user namespace, but actornet does not run its cluster inside one (not built).";
        return "Creating network namespaces needs root: run as root (sudo), or in a container with CAP_SYS_ADMIN and CAP_NET_ADMIN. " + why;
    }

    /// <summary>An existing namespace by name; throws <see cref="PlatformPrerequisiteException"/> when it does not exist.</summary>
    public static NetworkNamespace Open(string name)
    {
        ValidateName(name);
        var ns = new NetworkNamespace(name);
        if (!File.Exists(ns.Path))
        {
            throw new PlatformPrerequisiteException($"Network namespace '{name}' does not exist ({ns.Path} is missing).");
        }

        return ns;
    }

    /// <summary>Whether a namespace of this name is mounted under <see cref="RunDirectory"/>.</summary>
    public static bool Exists(string name) => File.Exists(System.IO.Path.Combine(RunDirectory, name));

    /// <summary>Creates a new, empty network namespace (only a down loopback), like <c>ip netns add NAME</c>.</summary>
    /// <exception cref="PlatformPrerequisiteException">Not root, the name is taken, or a system call failed.</exception>
    public static NetworkNamespace Create(string name)
    {
        ValidateName(name);
        EnsurePrerequisites(needTun: false);
        EnsureRunDirectoryIsSharedMount();
        var ns = new NetworkNamespace(name);
        try
        {
            using (new FileStream(ns.Path, FileMode.CreateNew, FileAccess.Write))
            {
            }
        }
        catch (IOException e)
        {
            throw new PlatformPrerequisiteException($"Network namespace '{name}' already exists: delete it first (ip netns del {name}).", e);
        }

        try
        {
            OnDedicatedThread(() =>
            {
                int original = Netns.open("/proc/thread-self/ns/net", Tun.O_CLOEXEC);
                ThrowIfFailed(original, "open /proc/thread-self/ns/net");
                try
                {
                    ThrowIfFailed(Netns.unshare(Netns.CLONE_NEWNET), "unshare(CLONE_NEWNET)");
                    try
                    {
                        ThrowIfFailed(Netns.mount("/proc/thread-self/ns/net", ns.Path, "none", Netns.MS_BIND, 0), $"bind mount of the namespace on {ns.Path}");
                    }
                    finally
                    {
                        RestoreOrDie(original);
                    }
                }
                finally
                {
                    Netns.close(original);
                }

                return 0;
            });
        }
        catch
        {
            TryUnlink(ns.Path);
            throw;
        }

        return ns;
    }

    /// <summary>
    /// Deletes a namespace like <c>ip netns del NAME</c>: lazily unmounts and removes the mount point. The namespace
    /// itself ends when nothing uses it any more (its processes exited, its TAP descriptors closed). Missing is fine.
    /// </summary>
    public static void Delete(string name)
    {
        ValidateName(name);
        string path = System.IO.Path.Combine(RunDirectory, name);
        if (!File.Exists(path))
        {
            return;
        }

        _ = Netns.umount2(path, Netns.MNT_DETACH); // may already be unmounted by a crashed predecessor
        TryUnlink(path);
        if (File.Exists(path))
        {
            throw new PlatformPrerequisiteException($"Could not remove {path}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}.");
        }
    }

    /// <summary>Names of the namespaces under <see cref="RunDirectory"/> that start with <paramref name="prefix"/>.</summary>
    public static IReadOnlyList<string> List(string prefix = "")
    {
        if (!Directory.Exists(RunDirectory))
        {
            return [];
        }

        return Directory.EnumerateFiles(RunDirectory)
            .Select(System.IO.Path.GetFileName)
            .Where(n => n is not null && n.StartsWith(prefix, StringComparison.Ordinal))
            .Select(n => n!)
            .Order(StringComparer.Ordinal)
            .ToArray();
    }

    /// <summary>
    /// Deletes every namespace whose name starts with <paramref name="prefix"/> (leftovers of a crashed run);
    /// returns how many. An empty prefix is refused so a typo cannot delete the host's other namespaces.
    /// </summary>
    public static int DeleteByPrefix(string prefix)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        var names = List(prefix);
        foreach (var name in names)
        {
            Delete(name);
        }

        return names.Count;
    }

    /// <summary>
    /// Runs <paramref name="action"/> on a new thread that has entered this namespace, waits for it and returns its
    /// result (exceptions are rethrown here). Use it to open a TAP device inside the namespace or to create sockets
    /// bound there. The thread switches back to its original namespace before it ends.
    /// </summary>
    public T Run<T>(Func<T> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        return OnDedicatedThread(() =>
        {
            int original = Netns.open("/proc/thread-self/ns/net", Tun.O_CLOEXEC);
            ThrowIfFailed(original, "open /proc/thread-self/ns/net");
            int target = Netns.open(Path, Tun.O_CLOEXEC);
            if (target < 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                Netns.close(original);
                throw new PlatformPrerequisiteException($"Cannot open network namespace '{Name}' ({Path}): {Marshal.GetPInvokeErrorMessage(errno)}.");
            }

            try
            {
                ThrowIfFailed(Netns.setns(target, Netns.CLONE_NEWNET), $"setns into '{Name}'");
                try
                {
                    return action();
                }
                finally
                {
                    RestoreOrDie(original);
                }
            }
            finally
            {
                Netns.close(target);
                Netns.close(original);
            }
        });
    }

    /// <summary>
    /// A <see cref="ProcessStartInfo"/> that runs <paramref name="program"/> with <paramref name="arguments"/>
    /// inside this namespace via <c>ip netns exec</c>, output redirected.
    /// </summary>
    public ProcessStartInfo CreateStartInfo(string program, params string[] arguments)
    {
        var info = new ProcessStartInfo(FindIp())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("netns");
        info.ArgumentList.Add("exec");
        info.ArgumentList.Add(Name);
        info.ArgumentList.Add(program);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        return info;
    }

    /// <summary>
    /// Runs a program inside the namespace and waits for it (killing it after <paramref name="timeout"/>); returns its
    /// exit code and output. For tooling and tests, not for the data path.
    /// </summary>
    public async Task<ProcessResult> ExecAsync(TimeSpan timeout, string program, params string[] arguments)
    {
        using var process = Process.Start(CreateStartInfo(program, arguments))
            ?? throw new PlatformPrerequisiteException($"Could not start 'ip netns exec {Name} {program}'.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync().ConfigureAwait(false);
            return new ProcessResult(-1, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false) + $"\n(killed after {timeout})");
        }

        return new ProcessResult(process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
    }

    /// <inheritdoc/>
    public override string ToString() => Name;

    private static string FindIp()
    {
        foreach (var dir in new[] { "/usr/sbin", "/sbin", "/usr/bin", "/bin" })
        {
            string candidate = System.IO.Path.Combine(dir, "ip");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new PlatformPrerequisiteException("The 'ip' command is missing: install iproute2 (apt-get install iproute2); ActorNet runs programs in a node's namespace with 'ip netns exec'.");
    }

    private static void ValidateName(string name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > 64 || name is "." or ".." || name.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')))
        {
            throw new ArgumentException($"'{name}' is not a valid namespace name: use 1..64 of [A-Za-z0-9._-].", nameof(name));
        }
    }

    private static void EnsureRunDirectoryIsSharedMount()
    {
        Directory.CreateDirectory(RunDirectory);
        // As iproute2: make /run/netns a shared mount point so mounts below it propagate to other mount namespaces;
        // if it is not a mount point yet (EINVAL), bind it onto itself first.
        if (Netns.mount("none", RunDirectory, "none", Netns.MS_SHARED | Netns.MS_REC, 0) == 0)
        {
            return;
        }

        if (Marshal.GetLastPInvokeError() != Tun.EINVAL)
        {
            ThrowIfFailed(-1, $"make {RunDirectory} a shared mount");
        }

        ThrowIfFailed(Netns.mount(RunDirectory, RunDirectory, "none", Netns.MS_BIND | Netns.MS_REC, 0), $"bind mount {RunDirectory} on itself");
        ThrowIfFailed(Netns.mount("none", RunDirectory, "none", Netns.MS_SHARED | Netns.MS_REC, 0), $"make {RunDirectory} a shared mount");
    }

    private static void RestoreOrDie(int original)
    {
        if (Netns.setns(original, Netns.CLONE_NEWNET) != 0)
        {
            // A thread we cannot bring back must not run anything else; it is dedicated and ends right after this.
            Environment.FailFast($"Could not return a thread to its original network namespace: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}.");
        }
    }

    private static void ThrowIfFailed(int rc, string what)
    {
        if (rc < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            string hint = errno is Tun.EPERM or Tun.EACCES ? " Run as root (CAP_SYS_ADMIN is needed)." : string.Empty;
            throw new PlatformPrerequisiteException($"{what} failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno}).{hint}");
        }
    }

    private static void TryUnlink(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static T OnDedicatedThread<T>(Func<T> body)
    {
        T result = default!;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                result = body();
            }
            catch (Exception e)
            {
                failure = e;
            }
        })
        {
            IsBackground = true,
            Name = "actornet-netns",
        };
        thread.Start();
        thread.Join();
        if (failure is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
        }

        return result;
    }
}

/// <summary>Exit code and output of a program run with <see cref="NetworkNamespace.ExecAsync"/>.</summary>
public sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError);

/// <summary>The platform lacks something ActorNet needs (privilege, device, command); the message says what and how to fix it.</summary>
public sealed class PlatformPrerequisiteException : Exception
{
    /// <summary>Creates the exception.</summary>
    public PlatformPrerequisiteException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a cause.</summary>
    public PlatformPrerequisiteException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>Creates the exception without a message (serializer convention).</summary>
    public PlatformPrerequisiteException()
    {
    }
}

/// <summary>What decides whether an unprivileged user could use a user namespace (and a TAP device in it) instead of root.</summary>
/// <param name="MaxUserNamespaces">sysctl user.max_user_namespaces, null when unreadable.</param>
/// <param name="UnprivilegedUsernsClone">sysctl kernel.unprivileged_userns_clone (Debian), null when absent.</param>
/// <param name="AppArmorRestrictsUserns">sysctl kernel.apparmor_restrict_unprivileged_userns (Ubuntu), null when absent.</param>
/// <param name="TunReadWrite">Whether this process can open /dev/net/tun read-write.</param>
/// <param name="TunMode">/dev/net/tun's permissions as <c>ls -l</c> shows them (e.g. <c>crw-------</c>), null when missing.</param>
internal sealed record UserNamespaceFacts(long? MaxUserNamespaces, int? UnprivilegedUsernsClone, int? AppArmorRestrictsUserns, bool TunReadWrite, string? TunMode)
{
    /// <summary>Reads the facts of this machine and process.</summary>
    public static UserNamespaceFacts Read() => new(
        ReadNumber("/proc/sys/user/max_user_namespaces"),
        (int?)ReadNumber("/proc/sys/kernel/unprivileged_userns_clone"),
        (int?)ReadNumber("/proc/sys/kernel/apparmor_restrict_unprivileged_userns"),
        CanOpenTun(),
        TunDescription());

    private static long? ReadNumber(string path)
    {
        try
        {
            return long.TryParse(File.ReadAllText(path).Trim(), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static bool CanOpenTun()
    {
        try
        {
            using var handle = File.OpenHandle("/dev/net/tun", FileMode.Open, FileAccess.ReadWrite);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static string? TunDescription()
    {
        if (OperatingSystem.IsWindows() || !File.Exists("/dev/net/tun"))
        {
            return null;
        }

        var mode = File.GetUnixFileMode("/dev/net/tun");
        char Bit(UnixFileMode m, char c) => (mode & m) != 0 ? c : '-';
        return "c" + Bit(UnixFileMode.UserRead, 'r') + Bit(UnixFileMode.UserWrite, 'w') + Bit(UnixFileMode.UserExecute, 'x')
            + Bit(UnixFileMode.GroupRead, 'r') + Bit(UnixFileMode.GroupWrite, 'w') + Bit(UnixFileMode.GroupExecute, 'x')
            + Bit(UnixFileMode.OtherRead, 'r') + Bit(UnixFileMode.OtherWrite, 'w') + Bit(UnixFileMode.OtherExecute, 'x');
    }
}
