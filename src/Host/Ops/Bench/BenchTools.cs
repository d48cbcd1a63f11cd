namespace ActorNet.Host.Ops.Bench;

/// <summary>
/// The programs the TAP benchmark runs and the Debian packages that provide them. The benchmark installs nothing:
/// <see cref="Missing"/> lists what is absent so the command can say exactly what to install. Pure lookups on PATH
/// and the usual system folders; thread-safe.
/// </summary>
internal static class BenchTools
{
    /// <summary>Every program needed, with its Debian package, in the order they are reported.</summary>
    public static readonly IReadOnlyList<(string Command, string Package)> Required =
    [
        ("ip", "iproute2"),
        ("ping", "iputils-ping"),
        ("iperf3", "iperf3"),
        ("vde_switch", "vde2"),
        ("vde_plug2tap", "vde2"),
        ("ethtool", "ethtool"),
    ];

    private static readonly string[] s_systemFolders = ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"];

    /// <summary>Full path of <paramref name="command"/> on PATH or in the system folders, or null when it is not installed.</summary>
    public static string? Resolve(string command)
    {
        if (command.Contains('/', StringComparison.Ordinal))
        {
            return File.Exists(command) ? command : null;
        }

        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        foreach (var dir in path.Split(':', StringSplitOptions.RemoveEmptyEntries).Concat(s_systemFolders))
        {
            var candidate = Path.Combine(dir, command);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>The (command, package) pairs of <see cref="Required"/> whose command is not installed.</summary>
    public static IReadOnlyList<(string Command, string Package)> Missing() =>
        Required.Where(r => Resolve(r.Command) is null).ToArray();

    /// <summary>
    /// Null when the benchmark can run here; otherwise what is missing and how to fix it: not Linux, not root, no
    /// <c>/dev/net/tun</c>, or programs to install (<c>apt-get install iperf3 vde2 ethtool</c>, only those missing).
    /// </summary>
    public static string? Problem()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "actornet bench tap runs on Linux only (network namespaces, TAP devices).";
        }

        if (!Environment.IsPrivilegedProcess)
        {
            return "actornet bench tap needs root: it creates network namespaces, veth pairs and TAP devices (run it with sudo).";
        }

        if (!File.Exists("/dev/net/tun"))
        {
            return "/dev/net/tun is missing: load the tun module (modprobe tun) or, in a container, pass the device through (--device /dev/net/tun).";
        }

        var missing = Missing();
        return missing.Count == 0 ? null : MissingMessage(missing);
    }

    /// <summary>The message naming the missing programs, their packages and the one <c>apt-get install</c> line that installs them.</summary>
    public static string MissingMessage(IReadOnlyList<(string Command, string Package)> missing)
    {
        var packages = missing.Select(m => m.Package).Distinct(StringComparer.Ordinal).ToArray();
        return "actornet bench tap needs programs that are not installed: " +
               string.Join(", ", missing.Select(m => $"{m.Command} (Debian package {m.Package})")) +
               ". Install them with: apt-get install " + string.Join(' ', packages);
    }
}
