using System.Globalization;
using System.Net;
using ActorNet.Host.Platform;

namespace ActorNet.Host.Ops.Bench;

/// <summary>The reference path: a kernel veth pair with one end in each namespace (no copy through user space).</summary>
internal sealed class VethTapBenchPath : ITapBenchPath
{
    /// <inheritdoc/>
    public string Name => "veth";

    /// <inheritdoc/>
    public string Description => "kernel veth pair";

    /// <inheritdoc/>
    public string? Unavailable() => null;

    /// <inheritdoc/>
    public async Task<IBenchLink> OpenAsync(BenchScope scope, CancellationToken cancellation)
    {
        var client = await scope.CreateNamespaceAsync("veth-c", cancellation).ConfigureAwait(false);
        var server = await scope.CreateNamespaceAsync("veth-s", cancellation).ConfigureAwait(false);
        await BenchScope.RunAsync(cancellation, "ip", "link", "add", "name", "bv0", "netns", client.Name, "type", "veth", "peer", "name", "bv1", "netns", server.Name).ConfigureAwait(false);
        return await SimpleLink.ConfigureAsync(client, "bv0", server, "bv1", 1, cancellation, onDispose: null).ConfigureAwait(false);
    }
}

/// <summary>
/// The user-space peer: a <c>vde_switch</c> (Debian's vde2) in its own namespace and one <c>vde_plug2tap</c> per
/// namespace attaching a TAP device to it, so every frame crosses user space twice, like ActorNet's path.
/// </summary>
internal sealed class VdeTapBenchPath : ITapBenchPath
{
    /// <inheritdoc/>
    public string Name => "vde";

    /// <inheritdoc/>
    public string Description => "two TAPs on a vde_switch (vde_plug2tap)";

    /// <inheritdoc/>
    public string? Unavailable() =>
        BenchTools.Resolve("vde_switch") is null || BenchTools.Resolve("vde_plug2tap") is null ? "vde_switch/vde_plug2tap are not installed (apt-get install vde2)" : null;

    /// <inheritdoc/>
    public async Task<IBenchLink> OpenAsync(BenchScope scope, CancellationToken cancellation)
    {
        var sw = await scope.CreateNamespaceAsync("vde-sw", cancellation).ConfigureAwait(false);
        var client = await scope.CreateNamespaceAsync("vde-c", cancellation).ConfigureAwait(false);
        var server = await scope.CreateNamespaceAsync("vde-s", cancellation).ConfigureAwait(false);
        var socket = Path.Combine(scope.TempDirectory, "vde");
        var processes = new List<BenchProcess> { scope.Start(sw, "vde_switch", "-s", socket) };
        await WaitUntilAsync(() => File.Exists(Path.Combine(socket, "ctl")), processes[0], "vde_switch did not create its control socket", cancellation).ConfigureAwait(false);
        foreach (var ns in new[] { client, server })
        {
            var plug = scope.Start(ns, "vde_plug2tap", "-s", socket, "vt0");
            processes.Add(plug);
            await WaitUntilAsync(() => DeviceExists(ns, "vt0"), plug, "vde_plug2tap did not create its TAP device", cancellation).ConfigureAwait(false);
        }

        return await SimpleLink.ConfigureAsync(client, "vt0", server, "vt0", 2, cancellation, onDispose: () =>
        {
            foreach (var p in processes)
            {
                scope.Kill(p);
            }
        }).ConfigureAwait(false);
    }

    private static bool DeviceExists(NetworkNamespace ns, string device) =>
        BenchScope.TryRunAsync(TimeSpan.FromSeconds(10), CancellationToken.None, "ip", "-n", ns.Name, "link", "show", "dev", device).GetAwaiter().GetResult().ExitCode == 0;

    private static async Task WaitUntilAsync(Func<bool> condition, BenchProcess process, string failure, CancellationToken cancellation)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (!condition())
        {
            if (process.Process.HasExited)
            {
                throw new BenchException($"{failure}: {process.Program} exited ({process.Output.Trim()})");
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new BenchException($"{failure} within 15 s ({process.Output.Trim()})");
            }

            await Task.Delay(50, cancellation).ConfigureAwait(false);
        }
    }
}

/// <summary>
/// Two devices already placed in their namespaces, addressed 10.77.&lt;subnet&gt;.1 (client) and .2 (server) /24 and
/// brought up. The namespaces are private to the run, so the subnet cannot collide with anything else.
/// </summary>
internal sealed class SimpleLink : IBenchLink
{
    private readonly Action? _onDispose;

    private SimpleLink(NetworkNamespace client, string clientDevice, NetworkNamespace server, string serverDevice, IPAddress serverAddress, int maxMtu, Action? onDispose)
    {
        Client = client;
        ClientDevice = clientDevice;
        Server = server;
        ServerDevice = serverDevice;
        ServerAddress = serverAddress;
        MaxMtu = maxMtu;
        _onDispose = onDispose;
    }

    /// <inheritdoc/>
    public NetworkNamespace Client { get; }

    /// <inheritdoc/>
    public NetworkNamespace Server { get; }

    /// <inheritdoc/>
    public string ClientDevice { get; }

    /// <inheritdoc/>
    public string ServerDevice { get; }

    /// <inheritdoc/>
    public IPAddress ServerAddress { get; }

    /// <inheritdoc/>
    public int MaxMtu { get; }

    /// <summary>Addresses both devices, sets MTU 1500, brings them up and reads the largest MTU they accept.</summary>
    public static async Task<SimpleLink> ConfigureAsync(NetworkNamespace client, string clientDevice, NetworkNamespace server, string serverDevice, int subnet, CancellationToken cancellation, Action? onDispose)
    {
        var net = "10.77." + subnet.ToString(CultureInfo.InvariantCulture) + ".";
        foreach (var (ns, dev, host) in new[] { (client, clientDevice, 1), (server, serverDevice, 2) })
        {
            await BenchScope.RunAsync(cancellation, "ip", "-n", ns.Name, "addr", "add", net + host.ToString(CultureInfo.InvariantCulture) + "/24", "dev", dev).ConfigureAwait(false);
            await BenchScope.RunAsync(cancellation, "ip", "-n", ns.Name, "link", "set", "dev", dev, "mtu", "1500", "up").ConfigureAwait(false);
        }

        var details = await BenchScope.RunAsync(cancellation, "ip", "-d", "-n", client.Name, "link", "show", "dev", clientDevice).ConfigureAwait(false);
        var serverDetails = await BenchScope.RunAsync(cancellation, "ip", "-d", "-n", server.Name, "link", "show", "dev", serverDevice).ConfigureAwait(false);
        var maxMtu = Math.Min(BenchParsers.ParseMaxMtu(details) ?? 1500, BenchParsers.ParseMaxMtu(serverDetails) ?? 1500);
        return new SimpleLink(client, clientDevice, server, serverDevice, IPAddress.Parse(net + "2"), maxMtu, onDispose);
    }

    /// <inheritdoc/>
    public async Task SetMtuAsync(int mtu, CancellationToken cancellation)
    {
        var text = mtu.ToString(CultureInfo.InvariantCulture);
        await BenchScope.RunAsync(cancellation, "ip", "-n", Client.Name, "link", "set", "dev", ClientDevice, "mtu", text).ConfigureAwait(false);
        await BenchScope.RunAsync(cancellation, "ip", "-n", Server.Name, "link", "set", "dev", ServerDevice, "mtu", text).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        _onDispose?.Invoke();
        return ValueTask.CompletedTask;
    }
}
