using System.Diagnostics;
using ActorNet.Host.Node;

namespace ActorNet.Host.Tests.Cluster;

/// <summary>
/// A partition made by the kernel: three node processes in their own network namespaces (veth pairs to a bridge),
/// then an nftables drop-everything table inside node 3's namespace. Needs root, iproute2 and nftables (CI runs
/// scripts/ensure-deps.sh as root); elsewhere it fails saying what is missing.
/// </summary>
[Collection("cluster-process-tests")]
public sealed class NetnsPartitionTests
{
    [Fact]
    public async Task Partition_NftablesDropInOneNamespace_MajorityDownsMinorityAndMinorityDownsItself()
    {
        await using var net = await NamespaceNetwork.CreateAsync(3);
        net.Error.ShouldBeNull("the namespace network could not be built (root and iproute2 are needed)");
        const string timings = """
            seed-node-timeout = 1s
            periodic-tasks-initial-delay = 100ms
            gossip-interval = 200ms
            leader-actions-interval = 200ms
            unreachable-nodes-reaper-interval = 200ms
            failure-detector { heartbeat-interval = 200ms, acceptable-heartbeat-pause = 2s, expected-response-after = 500ms }
            downing.split-brain-resolver.stable-after = 2s
            """;
        await using var nodes = new NodeProcesses(3, timings, net.Addresses, i => ["ip", "netns", "exec", net.Namespaces[i - 1]], net.HostAddress);
        nodes.Start(1);
        await nodes.AwaitAllUpAsync(1, 1, NodeProcessCluster.Dilated(TimeSpan.FromSeconds(20)));
        nodes.Start(2);
        var third = nodes.Start(3);
        await nodes.AwaitAllUpAsync(1, 3, NodeProcessCluster.Dilated(TimeSpan.FromSeconds(20)));

        await Nft(net.Namespaces[2], "add table inet anpart");
        await Nft(net.Namespaces[2], "add chain inet anpart in { type filter hook input priority 0 ; policy drop ; }");
        await Nft(net.Namespaces[2], "add chain inet anpart out { type filter hook output priority 0 ; policy drop ; }");

        var exited = third.WaitForExitAsync();
        (await Task.WhenAny(exited, Task.Delay(NodeProcessCluster.Dilated(TimeSpan.FromSeconds(25))))).ShouldBe(exited, "node 3 (cut off by nftables) did not down itself");
        third.ExitCode.ShouldBe(1);
        var majority = await nodes.AwaitAllUpAsync(1, 2, NodeProcessCluster.Dilated(TimeSpan.FromSeconds(15)));
        majority.Members.ShouldNotContain(m => m.Address == nodes.AddressOf(3).ToString());
        (await nodes.AwaitAllUpAsync(2, 2, NodeProcessCluster.Dilated(TimeSpan.FromSeconds(15)))).Members.Length.ShouldBe(2);
        nodes.Events(3).ShouldContain(e => e.Event == "DowningDecision" && e["Decision"] == "DownReachable");
        nodes.Events(3).ShouldContain(e => e.Event == "SelfRemoved");
    }

    private static async Task Nft(string ns, string rule)
    {
        var info = new ProcessStartInfo("ip") { RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "netns", "exec", ns, "nft" }.Concat(rule.Split(' ', StringSplitOptions.RemoveEmptyEntries)))
        {
            info.ArgumentList.Add(a);
        }

        using var p = Process.Start(info)!;
        var error = await p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        p.ExitCode.ShouldBe(0, $"nft {rule} in {ns}: {error}");
    }
}
