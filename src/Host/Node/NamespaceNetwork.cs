using System.Diagnostics;
using System.Globalization;

namespace ActorNet.Host.Node;

/// <summary>
/// A minimal network of N Linux network namespaces joined by veth pairs to one bridge in the root namespace (which
/// also gets an address, so this process can reach the nodes), for the cross-namespace benchmark. Names carry a
/// random prefix (interface names ≤ 15 characters); the subnet is chosen at random in 10.200-249.x.0/24. Dispose
/// deletes the namespaces (which removes their veth ends) and the bridge. Needs root and iproute2.
/// </summary>
public sealed class NamespaceNetwork : IAsyncDisposable
{
    private readonly string _prefix;
    private readonly List<string> _namespaces = [];
    private bool _bridge;

    private NamespaceNetwork(string prefix) => _prefix = prefix;

    /// <summary>Namespace names, node order.</summary>
    public IReadOnlyList<string> Namespaces => _namespaces;

    /// <summary>Node addresses (IPv4), node order.</summary>
    public IReadOnlyList<string> Addresses { get; private set; } = [];

    /// <summary>The bridge's address in the root namespace (how this process reaches the nodes).</summary>
    public string HostAddress { get; private set; } = string.Empty;

    /// <summary>Why the network could not be built, or null.</summary>
    public string? Error { get; private set; }

    /// <summary>Builds the network; on failure <see cref="Error"/> says what failed (and what was built is removed on dispose).</summary>
    public static async Task<NamespaceNetwork> CreateAsync(int nodes)
    {
        var prefix = "anb" + Guid.NewGuid().ToString("N")[..5];
        var net = new NamespaceNetwork(prefix);
        int b = 200 + Random.Shared.Next(50);
        int c = Random.Shared.Next(250);
        string Ip(int host) => string.Create(CultureInfo.InvariantCulture, $"10.{b}.{c}.{host}");
        string bridge = prefix + "br";
        try
        {
            await Ip2Async("link", "add", bridge, "type", "bridge").ConfigureAwait(false);
            net._bridge = true;
            await Ip2Async("addr", "add", Ip(254) + "/24", "dev", bridge).ConfigureAwait(false);
            await Ip2Async("link", "set", bridge, "up").ConfigureAwait(false);
            var addresses = new List<string>();
            for (int i = 1; i <= nodes; i++)
            {
                string ns = string.Create(CultureInfo.InvariantCulture, $"{prefix}n{i}");
                string host = string.Create(CultureInfo.InvariantCulture, $"{prefix}h{i}");
                string peer = string.Create(CultureInfo.InvariantCulture, $"{prefix}p{i}");
                await Ip2Async("netns", "add", ns).ConfigureAwait(false);
                net._namespaces.Add(ns);
                await Ip2Async("link", "add", host, "type", "veth", "peer", "name", peer).ConfigureAwait(false);
                await Ip2Async("link", "set", peer, "netns", ns).ConfigureAwait(false);
                await Ip2Async("link", "set", host, "master", bridge).ConfigureAwait(false);
                await Ip2Async("link", "set", host, "up").ConfigureAwait(false);
                await Ip2Async("-n", ns, "addr", "add", Ip(i) + "/24", "dev", peer).ConfigureAwait(false);
                await Ip2Async("-n", ns, "link", "set", peer, "up").ConfigureAwait(false);
                await Ip2Async("-n", ns, "link", "set", "lo", "up").ConfigureAwait(false);
                addresses.Add(Ip(i));
            }

            net.Addresses = addresses;
            net.HostAddress = Ip(254);
        }
        catch (InvalidOperationException ex)
        {
            net.Error = ex.Message;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            net.Error = "iproute2 (ip) is not available: " + ex.Message;
        }

        return net;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var ns in _namespaces)
        {
            await TryIpAsync("netns", "delete", ns).ConfigureAwait(false);
        }

        if (_bridge)
        {
            await TryIpAsync("link", "delete", _prefix + "br").ConfigureAwait(false);
        }
    }

    private static async Task TryIpAsync(params string[] args)
    {
        try
        {
            await Ip2Async(args).ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    private static async Task Ip2Async(params string[] args)
    {
        var info = new ProcessStartInfo("ip") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        using var p = Process.Start(info)!;
        var error = await p.StandardError.ReadToEndAsync().ConfigureAwait(false);
        await p.WaitForExitAsync().ConfigureAwait(false);
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"ip {string.Join(' ', args)} failed: {error.Trim()}");
        }
    }
}
