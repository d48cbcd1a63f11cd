using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using ActorNet.DataPlane.Frames;

namespace ActorNet.Host.Tests.Platform;

/// <summary>
/// Real kernel traffic: two namespaces, a TAP in each, bridged in process. Runs as root on CI; anywhere else it fails
/// with a message that says what is missing (it never passes without having run).
/// </summary>
[Collection("platform-network-namespaces")]
public sealed class TapNamespaceIntegrationTests
{
    [Fact]
    public async Task Ping_BetweenNamespacesThroughBridgedTaps_ArpResolvesToDerivedMacAndRepliesArrive()
    {
        using var net = new TapNamespaceFixture(subnet: 71, offloads: false);

        var ping = await net.Ns1.ExecAsync(TimeSpan.FromSeconds(20), "ping", "-c", "3", "-i", "0.2", "-W", "2", net.Address2.ToString());

        net.BridgeFailure.ShouldBeNull();
        ping.ExitCode.ShouldBe(0, $"ping failed:\n{ping.StandardOutput}\n{ping.StandardError}");
        ping.StandardOutput.ShouldContain("3 received");
        var neigh = await net.Ns1.ExecAsync(TimeSpan.FromSeconds(5), "ip", "neigh", "show", net.Address2.ToString(), "dev", "shm0");
        neigh.StandardOutput.ShouldContain(MacAddress.ForNode(NetworkKind.Local, 2).ToString());
        net.Tap1.Counters.FramesRead.ShouldBeGreaterThanOrEqualTo(4); // ARP request + 3 echo requests
        net.Tap2.Counters.FramesWritten.ShouldBeGreaterThanOrEqualTo(4);
        net.Tap1.Counters.Garbled.ShouldBe(0);
    }

    [Fact]
    public async Task TcpTransfer_WithOffloads_CrossesAsSuperFramesIntact()
    {
        using var net = new TapNamespaceFixture(subnet: 72, offloads: true, mtu: 1500);
        await TransferAndVerify(net, port: 5201);

        net.SuperFramesBridged.ShouldBeGreaterThan(0, "with TSO on, the kernel should hand over TCP super-frames larger than the MTU");
        net.LargestFrame.ShouldBeGreaterThan(1514);
        net.Tap2.Counters.FramesWritten.ShouldBeLessThan(net.Tap1.Counters.FramesRead + 10);
    }

    [Fact]
    public async Task TcpTransfer_FromOffloadTapToPlainTap_SuperFramesAreSegmentedInSoftware()
    {
        using var net = new TapNamespaceFixture(subnet: 73, offloads: true, mtu: 1500, offloads2: false);
        await TransferAndVerify(net, port: 5202);

        net.SuperFramesBridged.ShouldBeGreaterThan(0);
        net.Tap2.SupportsOffload.ShouldBeFalse();
        net.Tap2.Counters.FramesWritten.ShouldBeGreaterThan(net.Tap1.Counters.FramesRead, "each super-frame became several MTU-sized frames");
        net.Tap2.Counters.OffloadUnsupported.ShouldBe(0);
    }

    [Fact]
    public async Task Ping_WithMaximumTapMtu_Crosses60KFramesUnfragmented()
    {
        using var net = new TapNamespaceFixture(subnet: 74, offloads: false, mtu: 65521);

        var link = await net.Ns1.ExecAsync(TimeSpan.FromSeconds(5), "ip", "-o", "link", "show", "shm0");
        link.StandardOutput.ShouldContain("mtu 65521");
        link.StandardOutput.ShouldContain(MacAddress.ForNode(NetworkKind.Local, 1).ToString());
        var ping = await net.Ns1.ExecAsync(TimeSpan.FromSeconds(20), "ping", "-c", "2", "-i", "0.2", "-W", "2", "-M", "do", "-s", "60000", net.Address2.ToString());

        ping.ExitCode.ShouldBe(0, $"ping failed:\n{ping.StandardOutput}\n{ping.StandardError}");
        net.LargestFrame.ShouldBeGreaterThan(60_000);
    }

    private static async Task TransferAndVerify(TapNamespaceFixture net, int port)
    {
        int Port = port;
        var payload = new byte[6 * 1024 * 1024];
        new Random(42).NextBytes(payload);

        // Sockets belong to the namespace they are created in; create each inside its namespace, use it anywhere.
        using var listener = net.Ns2.Run(() =>
        {
            var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            s.Bind(new IPEndPoint(net.Address2, Port));
            s.Listen(1);
            return s;
        });
        using var client = net.Ns1.Run(() => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var receive = Task.Run(async () =>
        {
            using var server = await listener.AcceptAsync(timeout.Token);
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = new byte[256 * 1024];
            long total = 0;
            int n;
            while ((n = await server.ReceiveAsync(buffer, SocketFlags.None, timeout.Token)) > 0)
            {
                hash.AppendData(buffer, 0, n);
                total += n;
            }

            return (total, hash.GetHashAndReset());
        });

        await client.ConnectAsync(new IPEndPoint(net.Address2, Port), timeout.Token);
        for (int offset = 0; offset < payload.Length;)
        {
            offset += await client.SendAsync(payload.AsMemory(offset, Math.Min(1 << 20, payload.Length - offset)), SocketFlags.None, timeout.Token);
        }

        client.Shutdown(SocketShutdown.Send);
        var (received, digest) = await receive;

        net.BridgeFailure.ShouldBeNull();
        received.ShouldBe(payload.Length);
        digest.ShouldBe(SHA256.HashData(payload));
        net.Tap1.Counters.Garbled.ShouldBe(0);
        net.Tap2.Counters.WriteDrops.ShouldBe(0);
        net.FramesBridged.ShouldBeGreaterThan(60);
        net.SteadyStateAllocatedBytes.ShouldBe(0, "TAP reads, writes and software segmentation must not allocate per frame");
    }
}

[CollectionDefinition("platform-network-namespaces", DisableParallelization = true)]
public sealed class PlatformNetworkNamespacesCollection
{
}
