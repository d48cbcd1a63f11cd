using System.Net.Sockets;
using ActorNet.Host.Tests.Commands;

namespace ActorNet.Host.Tests.Cluster;

/// <summary>Real node processes (`actornet node`) on loopback: join, crash, restart, leave, partition, authentication.</summary>
[Collection("cluster-process-tests")]
public sealed class ClusterProcessTests
{
    private static bool AllUp(Actors.Cluster.Control.ClusterStatus s, int count) =>
        s.Members.Length == count && s.Members.All(m => m.Status == "Up" && m.Reachable) && s.Convergence;

    [Fact]
    public async Task Cluster_JoinKillRestartLeave_MembershipFollows()
    {
        await using var cluster = new NodeProcessCluster(3);
        for (int n = 1; n <= 3; n++)
        {
            cluster.Start(n);
        }

        var up = await cluster.AwaitStatusAsync(1, s => AllUp(s, 3), TimeSpan.FromSeconds(20), "3 members Up");
        var oldThird = up.Members.Single(m => m.Address == cluster.AddressOf(3).ToString()).Uid;

        // kill -9: the same-host fast path confirms the death and the member is removed without stable-after.
        cluster.Kill9(3);
        await cluster.AwaitStatusAsync(1, s => AllUp(s, 2), TimeSpan.FromSeconds(10), "node 3 removed");
        cluster.Events(1).ShouldContain(e => e.Event == "PeerConfirmedDead");

        // Restart: a new incarnation joins; the old one is quarantined.
        cluster.Start(3);
        var rejoined = await cluster.AwaitStatusAsync(1, s => AllUp(s, 3), TimeSpan.FromSeconds(20), "node 3 back Up");
        rejoined.Members.Single(m => m.Address == cluster.AddressOf(3).ToString()).Uid.ShouldNotBe(oldThird);
        cluster.Events(1).ShouldContain(e => e.Event == "PeerQuarantined" && e.Message.Contains(oldThird.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));

        // Graceful leave on SIGTERM: Leaving -> Exiting -> Removed, exit code 0.
        cluster.Terminate(2);
        (await cluster.ProcessOf(2).WaitForExitAsync(new CancellationTokenSource(NodeProcessCluster.Dilated(TimeSpan.FromSeconds(20))).Token).ContinueWith(_ => cluster.ProcessOf(2).ExitCode)).ShouldBe(0);
        await cluster.AwaitStatusAsync(1, s => AllUp(s, 2), TimeSpan.FromSeconds(10), "node 2 left");
        cluster.Events(1).ShouldContain(e => e.Event == "MemberStatusChanged" && e.Message.Contains("Leaving -> Exiting", StringComparison.Ordinal));
        cluster.Events(1).ShouldNotContain(e => e.Event == "DowningDecision" && e.Message.Contains(cluster.AddressOf(2).ToString(), StringComparison.Ordinal));

        // Crash by message: the node logs the fault and kills itself at once; the survivor removes it.
        var (code, output, error) = CliRunner.Run(["inject", "--config", cluster.ConfigFile, "crash", "3"]);
        code.ShouldBe(0, error);
        output.ShouldContain("crash");
        var crashed = cluster.ProcessOf(3).WaitForExitAsync();
        (await Task.WhenAny(crashed, Task.Delay(NodeProcessCluster.Dilated(TimeSpan.FromSeconds(10))))).ShouldBe(crashed, "node 3 did not crash");
        await cluster.AwaitStatusAsync(1, s => AllUp(s, 1), TimeSpan.FromSeconds(10), "node 3 removed after the crash");
        cluster.Events(3).ShouldContain(e => e.Event == "FaultInjected" && e.Message.Contains("crash", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Partition_BlackholeInjected_MajorityDownsMinorityAndMinorityDownsItself()
    {
        await using var cluster = new NodeProcessCluster(3);
        for (int n = 1; n <= 3; n++)
        {
            cluster.Start(n);
        }

        await cluster.AwaitStatusAsync(1, s => AllUp(s, 3), TimeSpan.FromSeconds(20), "3 members Up");
        foreach (var pair in new[] { ("1", "3"), ("2", "3") })
        {
            var (code, output, error) = CliRunner.Run(["inject", "--config", cluster.ConfigFile, "blackhole", pair.Item1, pair.Item2]);
            code.ShouldBe(0, error);
            output.ShouldContain("blackhole");
        }

        // The minority (node 3) downs itself and exits 1; the majority downs node 3 and keeps both of its members Up.
        var exited = cluster.ProcessOf(3).WaitForExitAsync();
        (await Task.WhenAny(exited, Task.Delay(NodeProcessCluster.Dilated(TimeSpan.FromSeconds(25))))).ShouldBe(exited, "node 3 did not down itself: " + cluster.OutputOf(3));
        cluster.ProcessOf(3).ExitCode.ShouldBe(1);
        await cluster.AwaitStatusAsync(1, s => AllUp(s, 2) && s.Members.All(m => m.Address != cluster.AddressOf(3).ToString()), TimeSpan.FromSeconds(15), "node 3 removed");
        var majority = await cluster.AwaitStatusAsync(2, s => AllUp(s, 2), TimeSpan.FromSeconds(15), "node 2 sees 2 Up");
        majority.Members.Select(m => m.Address).ShouldBe([cluster.AddressOf(1).ToString(), cluster.AddressOf(2).ToString()], ignoreOrder: true);
        // The majority's leader downs node 3 by its split brain decision or, when node 3's exit wins the race, a
        // majority node does through the same-host fast path: either way one DowningDecision about node 3.
        cluster.Events(1).Concat(cluster.Events(2)).ShouldContain(e => e.Event == "DowningDecision" && e.Message.Contains(cluster.AddressOf(3).ToString(), StringComparison.Ordinal));
        cluster.Events(3).ShouldContain(e => e.Event == "DowningDecision" && e.Message.Contains("DownReachable", StringComparison.Ordinal));
        cluster.Events(3).ShouldContain(e => e.Event == "FaultInjected");

        // Never both sides Up without each other: node 3 never saw itself Up with nodes 1 and 2 removed.
        cluster.Events(3).ShouldNotContain(e => e.Event == "MemberStatusChanged" && e.Message.Contains("-> Removed", StringComparison.Ordinal) && e.Message.Contains(cluster.AddressOf(1).ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Remoting_WrongSecretAndGarbledBytes_RefusedAndLoggedAndNodeUndisturbed()
    {
        await using var cluster = new NodeProcessCluster(1);
        cluster.Start(1);
        await cluster.AwaitStatusAsync(1, s => AllUp(s, 1), TimeSpan.FromSeconds(20), "node Up");

        (await cluster.StatusAsync(1, secret: "a-wrong-secret-of-some-length")).ShouldBeNull();
        await cluster.AwaitEventAsync(1, "HandshakeRefused", "proof of the cluster secret is wrong", TimeSpan.FromSeconds(5));

        var random = new Random(11);
        for (int i = 0; i < 10; i++)
        {
            using var raw = new Socket(SocketType.Stream, ProtocolType.Tcp);
            await raw.ConnectAsync("127.0.0.1", cluster.Ports[0]);
            var junk = new byte[1 + random.Next(8192)];
            random.NextBytes(junk);
            await raw.SendAsync(junk);
        }

        await cluster.AwaitEventAsync(1, "HandshakeRefused", "garbled", TimeSpan.FromSeconds(5));
        (await cluster.StatusAsync(1)).ShouldNotBeNull().SelfStatus.ShouldBe("Up");
        cluster.ProcessOf(1).HasExited.ShouldBeFalse();

        // The operator verb, table and JSON.
        var (code, table, _) = CliRunner.Run(["status", "--config", cluster.ConfigFile]);
        code.ShouldBe(0);
        table.ShouldContain(cluster.AddressOf(1).ToString());
        table.ShouldContain("(leader)");
        var (jsonCode, json, _) = CliRunner.Run(["status", "--config", cluster.ConfigFile, "--node", "1", "--json"]);
        jsonCode.ShouldBe(0);
        using var doc = System.Text.Json.JsonDocument.Parse(json);
        doc.RootElement.GetProperty("members")[0].GetProperty("status").GetString().ShouldBe("Up");
        doc.RootElement.GetProperty("leader").GetString().ShouldBe(cluster.AddressOf(1).ToString());
    }

    [Fact]
    public async Task Node_SameIdAlreadyRunning_RefusedWithClearError()
    {
        await using var cluster = new NodeProcessCluster(1);
        cluster.Start(1);
        await cluster.AwaitStatusAsync(1, s => AllUp(s, 1), TimeSpan.FromSeconds(20), "node Up");
        var (code, _, error) = CliRunner.Run(["node", "--config", cluster.ConfigFile, "--node", "1", "-D", "actornet.node.remoting.port=0"]);
        code.ShouldBe(1);
        error.ShouldContain("already running");
    }
}
