using System.Net;
using ActorNet.DataPlane.Adapters;
using ActorNet.DataPlane.Frames;
using ActorNet.Host.Platform;

namespace ActorNet.Host.Tests.Platform;

/// <summary>TAP behaviour against the real kernel, each test in a namespace of its own.</summary>
[Collection("platform-network-namespaces")]
public sealed class TapAdapterKernelTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Read_FrameLargerThanCallerBuffer_IsCountedOversizeAndNextFrameStillReads(bool offloads)
    {
        NetworkNamespace.EnsurePrerequisites();
        string name = $"antest-{Environment.ProcessId}-ov{(offloads ? 1 : 0)}";
        NetworkNamespace.Delete(name);
        var ns = NetworkNamespace.Create(name);
        TapAdapter? tap = null;
        try
        {
            tap = ns.Run(() => TapAdapter.Open(new TapAdapterOptions
            {
                Name = "shm0",
                MacAddress = MacAddress.ForNode(NetworkKind.Local, 1),
                Mtu = 9000,
                Ipv4Address = IPAddress.Parse("10.250.80.1"),
                Offloads = offloads,
            }));
            // A static neighbour so the kernel sends the datagrams at once, without ARP.
            (await ns.ExecAsync(TimeSpan.FromSeconds(5), "ip", "neigh", "add", "10.250.80.2", "lladdr", "02:41:4e:00:00:02", "dev", "shm0")).ExitCode.ShouldBe(0);
            await Drain(tap); // IPv6 router solicitations and the like after link up

            (await ns.ExecAsync(TimeSpan.FromSeconds(5), "ping", "-c", "1", "-W", "0.3", "-s", "5000", "10.250.80.2")).ExitCode.ShouldNotBe(0);
            (await ns.ExecAsync(TimeSpan.FromSeconds(5), "ping", "-c", "1", "-W", "0.3", "-s", "100", "10.250.80.2")).ExitCode.ShouldNotBe(0);

            // Other traffic (IPv6 neighbour discovery, MLD) may interleave: look for our small echo request.
            var small = new byte[1518];
            bool found = false;
            for (int i = 0; i < 100 && !found; i++)
            {
                tap.WaitReadable(50);
                int n = tap.Read(small, out _);
                found = n > 0 && FrameCracker.TryCrack(small.AsSpan(0, n), out var t) == ParseStatus.Ok
                    && t.Protocol == IpProtocols.Icmp && t.Destination.ToString() == "10.250.80.2" && n == 14 + 20 + 8 + 100;
            }

            found.ShouldBeTrue("the 142-byte echo request after the oversize one should still be read");
            tap.Counters.Oversize.ShouldBeGreaterThanOrEqualTo(1, "the 5042-byte echo request does not fit a 1518-byte buffer");
        }
        finally
        {
            tap?.Dispose();
            NetworkNamespace.Delete(name);
        }
    }

    [Fact]
    public void Open_SameNameTwiceInOneNamespace_ThrowsSayingItIsInUse()
    {
        NetworkNamespace.EnsurePrerequisites();
        string name = $"antest-{Environment.ProcessId}-dup";
        NetworkNamespace.Delete(name);
        var ns = NetworkNamespace.Create(name);
        TapAdapter? first = null;
        try
        {
            var options = new TapAdapterOptions { Name = "shm0", MacAddress = MacAddress.ForNode(NetworkKind.Local, 1) };
            first = ns.Run(() => TapAdapter.Open(options));
            first.Name.ShouldBe("shm0");

            var e = Should.Throw<TapAdapterException>(() => ns.Run(() => TapAdapter.Open(options)));
            e.Message.ShouldContain("shm0");
            e.Message.ShouldContain("in use");
        }
        finally
        {
            first?.Dispose();
            NetworkNamespace.Delete(name);
        }
    }

    [Fact]
    public async Task Dispose_Tap_RemovesTheInterface()
    {
        NetworkNamespace.EnsurePrerequisites();
        string name = $"antest-{Environment.ProcessId}-gone";
        NetworkNamespace.Delete(name);
        var ns = NetworkNamespace.Create(name);
        try
        {
            var tap = ns.Run(() => TapAdapter.Open(new TapAdapterOptions { Name = "shm0", MacAddress = MacAddress.ForNode(NetworkKind.Local, 5) }));
            (await ns.ExecAsync(TimeSpan.FromSeconds(5), "ip", "link", "show", "shm0")).ExitCode.ShouldBe(0);

            tap.Dispose();

            (await ns.ExecAsync(TimeSpan.FromSeconds(5), "ip", "link", "show", "shm0")).ExitCode.ShouldNotBe(0);
        }
        finally
        {
            NetworkNamespace.Delete(name);
        }
    }

    private static async Task Drain(TapAdapter tap)
    {
        var buffer = new byte[FrameAdapter.MaxSuperFrameSize];
        await Task.Delay(50);
        while (tap.Read(buffer, out _) > 0)
        {
        }
    }
}
