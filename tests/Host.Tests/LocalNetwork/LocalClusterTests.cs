using System.Diagnostics;
using ActorNet.Host.Network;
using ActorNet.Host.Orchestration;
using ActorNet.Host.Platform;
using ActorNet.Host.Tests.Commands;

namespace ActorNet.Host.Tests.LocalNetwork;

/// <summary>
/// End to end over a real 3-node cluster (namespaces, TAP adapters, node processes, shared-memory rings), started by
/// the same code as <c>actornet up</c>. The tests run one after another on the shared cluster; each leaves it healthy.
/// </summary>
public sealed class LocalClusterTests : IClassFixture<LocalClusterFixture>
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(120);
    private readonly LocalClusterFixture _fixture;

    public LocalClusterTests(LocalClusterFixture fixture) => _fixture = fixture;

    private LocalCluster Cluster => _fixture.Cluster;

    private string Script => Path.Combine(_fixture.ScriptsFolder, "net.py");

    [Fact]
    public async Task Ping_EveryPair_AnswersAndArpResolvesToTheNodeMacs()
    {
        foreach (var a in Cluster.Plan.Nodes)
        {
            foreach (var b in Cluster.Plan.Nodes.Where(n => n.Id != a.Id))
            {
                (await Cluster.PingAsync(a.Id, b.DataAddress)).ShouldBeTrue($"{a.Id} -> {b.Id}");
                var neigh = await Cluster.ExecAsync(a.Id, s_timeout, "ip", "neigh", "show", b.DataAddress.ToString(), "dev", "shm0");
                neigh.StandardOutput.ShouldContain($"02:41:4e:00:00:{b.Id:x2}", Case.Insensitive, $"ARP of node {a.Id} for node {b.Id}");
            }
        }
    }

    [Fact]
    public async Task Status_Once_ShowsMembersRingsWithOwnersCountersAndRates()
    {
        var plan = Cluster.Plan;
        string[] args = ["status", "--config", plan.ConfigFile!, .. plan.Defines.SelectMany(d => new[] { "-D", d })];
        var ping = Cluster.ExecAsync(1, s_timeout, "ping", "-q", "-n", "-c", "300", "-i", "0.01", plan.Node(2).DataAddress.ToString());

        var (code, text, error) = CliRunner.Run(args);
        var (jsonCode, json, jsonError) = CliRunner.Run([.. args, "--json"]);
        (await ping).ExitCode.ShouldBe(0);

        code.ShouldBe(0, error);
        text.ShouldContain("Cluster view of");
        foreach (var a in plan.Nodes)
        {
            text.ShouldContain($"{a.Id} -> *");
            foreach (var b in plan.Nodes.Where(n => n.Id != a.Id))
            {
                text.ShouldContain($"{a.Id} -> {b.Id}");
            }
        }

        jsonCode.ShouldBe(0, jsonError);
        using var doc = System.Text.Json.JsonDocument.Parse(json);
        doc.RootElement.GetProperty("members").GetArrayLength().ShouldBe(3);
        var nodes = doc.RootElement.GetProperty("network").GetProperty("nodes").EnumerateArray().ToList();
        nodes.Select(n => n.GetProperty("id").GetInt32()).ShouldBe(plan.Nodes.Select(n => n.Id));
        foreach (var n in nodes)
        {
            n.GetProperty("running").GetBoolean().ShouldBeTrue();
            n.GetProperty("status").GetProperty("links").EnumerateArray().Where(l => plan.Nodes.Any(p => p.Id == l.GetProperty("peer").GetInt32()))
                .ShouldAllBe(l => l.GetProperty("state").GetString() == "up");
            n.GetProperty("rates").ValueKind.ShouldBe(System.Text.Json.JsonValueKind.Object, "status samples twice to compute rates");
        }

        nodes[0].GetProperty("rates").GetProperty("tx_frames_per_second").GetDouble().ShouldBeGreaterThan(0, "node 1 was pinging during the sample");
    }

    [Fact]
    public async Task Tcp_100MegabytesBetweenNodes_ArriveWithTheSameChecksum()
    {
        const int Total = 100_000_000;
        var to = Cluster.Plan.Node(2);
        using var receiver = StartInNode(2, "python3", Script, "tcp-recv", "5201");
        await WaitForLine(receiver, "listening");

        var sent = await Cluster.ExecAsync(1, s_timeout, "python3", Script, "tcp-send", to.DataAddress.ToString(), "5201", Total.ToString());
        var received = await ReadLine(receiver);

        sent.ExitCode.ShouldBe(0, sent.StandardError);
        received.ShouldBe(sent.StandardOutput.Trim());
        received.ShouldStartWith(Total + " ");
    }

    [Fact]
    public async Task Udp_DatagramsUpToTheMtu_ArriveIntact()
    {
        const int Count = 200;
        var to = Cluster.Plan.Node(3);
        using var receiver = StartInNode(3, "python3", Script, "udp-recv", "5301", Count.ToString());
        await WaitForLine(receiver, "listening");

        var sent = await Cluster.ExecAsync(2, s_timeout, "python3", Script, "udp-send", to.DataAddress.ToString(), "5301", Count.ToString());
        var result = (await ReadLine(receiver)).Split(' ');

        sent.ExitCode.ShouldBe(0, sent.StandardError);
        result[1].ShouldBe("0", "corrupted datagrams");
        int.Parse(result[0]).ShouldBe(Count);
    }

    [Fact]
    public async Task Multicast_Group_ReachesExactlyItsMembers()
    {
        const int Count = 50;
        using var member = StartInNode(2, "python3", Script, "udp-recv", "5401", Count.ToString(), "239.1.1.1", Cluster.Plan.Node(2).DataAddress.ToString());
        using var outsider = StartInNode(3, "python3", Script, "udp-recv", "5401", Count.ToString());
        await WaitForLine(member, "listening");
        await WaitForLine(outsider, "listening");

        var sent = await Cluster.ExecAsync(1, s_timeout, "python3", Script, "udp-send", "239.1.1.1", "5401", Count.ToString(), Cluster.Plan.Node(1).DataAddress.ToString());
        var memberResult = await ReadLine(member);
        var outsiderResult = await ReadLine(outsider);

        sent.ExitCode.ShouldBe(0, sent.StandardError);
        memberResult.ShouldBe($"{Count} 0");
        outsiderResult.ShouldBe("0 0");
        var status = Cluster.ReadStatus()[1]!;
        status.Forwarding.Multicast.ShouldBeGreaterThanOrEqualTo(Count);

        // The outsider's data plane filtered the group's frames (IGMP snooping) instead of handing them to its kernel
        // (the member delivered them: its transmit poller snooped its kernel's join; the join is gone once it exits).
        await Eventually(() => Cluster.ReadStatus()[3]?.Cast.RxMulticastFiltered >= Count);
    }

    [Fact]
    public async Task KillNine_OneNode_OthersKeepTalkingRingsToItGoDownAndItRejoinsAfterRestart()
    {
        var dead = Cluster.Plan.Node(3);
        Cluster.KillNode(3);

        await Eventually(() =>
        {
            var s = Cluster.ReadStatus();
            return s[1]?.Links.Single(l => l.Peer == 3).State == "down" && s[2]?.Links.Single(l => l.Peer == 3).State == "down";
        });
        (await Cluster.PingAsync(1, Cluster.Plan.Node(2).DataAddress)).ShouldBeTrue();
        (await Cluster.PingAsync(2, Cluster.Plan.Node(1).DataAddress)).ShouldBeTrue();
        (await Cluster.PingAsync(1, dead.DataAddress)).ShouldBeFalse();
        var afterPing = Cluster.ReadStatus()[1]!;
        (afterPing.Links.Single(l => l.Peer == 3).TxDropDown + afterPing.Forwarding.DroppedRingDown).ShouldBeGreaterThan(0);

        await Cluster.RestartNodeAsync(3);

        (await Cluster.PingAsync(1, dead.DataAddress)).ShouldBeTrue();
        (await Cluster.PingAsync(3, Cluster.Plan.Node(2).DataAddress)).ShouldBeTrue();
        Cluster.ReadStatus()[1]!.Links.Single(l => l.Peer == 3).State.ShouldBe("up");
    }

    [Fact]
    public async Task Start_NodeIdAlreadyInUse_IsRefusedWithAClearError()
    {
        using var second = Cluster.StartExtraNodeProcess(1);
        var stderr = second.StandardError.ReadToEndAsync();
        var stdout = second.StandardOutput.ReadToEndAsync();
        using var cts = new CancellationTokenSource(s_timeout);
        await second.WaitForExitAsync(cts.Token);

        second.ExitCode.ShouldBe(1);
        (await stderr).ShouldContain("node 1 of cluster " + Cluster.Plan.Cluster + " is already running");
        _ = await stdout;
        (await Cluster.PingAsync(2, Cluster.Plan.Node(1).DataAddress)).ShouldBeTrue("the running node 1 is untouched");
    }

    private static async Task Eventually(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + s_timeout;
        while (!condition())
        {
            DateTime.UtcNow.ShouldBeLessThan(deadline, "condition not met in time");
            await Task.Delay(100);
        }
    }

    private static async Task WaitForLine(Process process, string expected) => (await ReadLine(process)).ShouldBe(expected);

    private static async Task<string> ReadLine(Process process)
    {
        using var cts = new CancellationTokenSource(s_timeout);
        var line = await process.StandardOutput.ReadLineAsync(cts.Token);
        if (line is null)
        {
            throw new InvalidOperationException("process ended without output: " + await process.StandardError.ReadToEndAsync());
        }

        return line.Trim();
    }

    private TrackedProcess StartInNode(int node, string program, params string[] args) =>
        new(Process.Start(NetworkNamespace.Open(Cluster.Plan.Node(node).Namespace).CreateStartInfo(program, args))!);

    /// <summary>A helper process that is killed (if still running) and reaped on dispose.</summary>
    private sealed class TrackedProcess(Process process) : IDisposable
    {
        public static implicit operator Process(TrackedProcess p) => p.Inner;

        public Process Inner { get; } = process;

        public void Dispose()
        {
            try
            {
                if (!Inner.HasExited)
                {
                    Inner.Kill(entireProcessTree: true);
                    Inner.WaitForExit(5000);
                }
            }
            finally
            {
                Inner.Dispose();
            }
        }
    }
}
