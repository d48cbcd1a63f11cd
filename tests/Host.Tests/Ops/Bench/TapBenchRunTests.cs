using ActorNet.Host.Commands;
using ActorNet.Host.Ops.Bench;
using ActorNet.Host.Platform;
using ActorNet.Host.Tests.Commands;

namespace ActorNet.Host.Tests.Ops.Bench;

/// <summary>Real runs (veth pair, a 2-node ActorNet cluster): root, iproute2, iperf3, ping and ethtool are required (scripts/ensure-deps.sh installs them).</summary>
[Collection("actornet-ops-bench-tap")]
public class TapBenchRunTests
{
    private static void RequireTools()
    {
        NetworkNamespace.EnsurePrerequisites(); // not root or no /dev/net/tun: fails here with the reason
        var missing = BenchTools.Missing().Where(m => m.Command is "iperf3" or "ping" or "ip" or "ethtool").ToArray();
        missing.ShouldBeEmpty("run scripts/ensure-deps.sh: " + string.Join(", ", missing.Select(m => m.Package)));
    }

    private static string[] Leftovers() =>
        [.. NetworkNamespace.List(BenchScope.CommonPrefix + Environment.ProcessId + "-"),
         .. Directory.EnumerateDirectories(Path.GetTempPath(), BenchScope.CommonPrefix + Environment.ProcessId + "-*")];

    [Fact]
    public async Task RunAsync_VethPath_ProducesPositiveRowsAndLeavesNothingBehind()
    {
        RequireTools();
        using var progress = new StringWriter();
        var options = new TapBenchOptions(1, 20, [1500, TapBench.Largest], [1], WarmupSeconds: 1);

        var rows = await TapBench.RunAsync([new VethTapBenchPath()], options, progress, CancellationToken.None);

        progress.ToString().ShouldContain("veth: warming up (1 s of iperf3 and 1 s of pings, not measured)");
        progress.ToString().ShouldNotContain("warm-up iperf3:");
        rows.ShouldAllBe(r => r.WarmupSeconds == 1);

        var r1500 = rows.Single(r => r.Mtu == 1500);
        r1500.Error.ShouldBeNull(progress.ToString());
        r1500.Path.ShouldBe("veth");
        r1500.Streams.ShouldBe(1);
        r1500.TcpGbps.ShouldNotBeNull().ShouldBeGreaterThan(0);
        r1500.PingAvgMs.ShouldNotBeNull().ShouldBeGreaterThan(0);
        r1500.Offloads.ShouldNotBeNull().ShouldContain("tso");
        var largest = rows.Single(r => r.LargestMtu);
        largest.Mtu.ShouldBe(65535); // a veth pair carries the largest IPv4 packet
        largest.TcpGbps.ShouldNotBeNull().ShouldBeGreaterThan(0);
        Leftovers().ShouldBeEmpty();
    }

    [Fact]
    public async Task RunAsync_ActorNetPath_TwoNodeClusterCarriesTcpAndIsTornDown()
    {
        RequireTools();
        using var progress = new StringWriter();
        var options = new TapBenchOptions(1, 20, [1500], [1]);

        var rows = await TapBench.RunAsync([new ActorNetTapBenchPath(TextWriter.Synchronized(progress))], options, progress, CancellationToken.None);

        var row = rows.Single(r => r.Mtu == 1500);
        row.Error.ShouldBeNull(progress.ToString());
        row.Path.ShouldBe("actornet");
        row.TcpGbps.ShouldNotBeNull().ShouldBeGreaterThan(0);
        row.PingAvgMs.ShouldNotBeNull().ShouldBeGreaterThan(0);
        Leftovers().ShouldBeEmpty();
        Directory.EnumerateFiles(ActorNetTapBenchPath.RunFolder, BenchScope.CommonPrefix + Environment.ProcessId + "-*").ShouldBeEmpty();
        Directory.EnumerateDirectories("/dev/shm", BenchScope.CommonPrefix + Environment.ProcessId + "-*").ShouldBeEmpty();
    }

    [Fact]
    public async Task RunAsync_PathFailingHalfWay_ReportsItAndStillCleansUp()
    {
        RequireTools();
        using var progress = new StringWriter();
        var rows = await TapBench.RunAsync([new FailingPath(), new UnavailableTapBenchPath("actornet", "x", "not in this build")], TapBenchOptions.Quick, progress, CancellationToken.None);

        rows.Count.ShouldBe(2);
        rows[0].Error.ShouldNotBeNull().ShouldContain("failed: 'ip");
        rows[1].Error.ShouldBe("unavailable: not in this build");
        rows.ShouldAllBe(r => r.TcpGbps == null);
        Leftovers().ShouldBeEmpty();
    }

    [Fact]
    public void CleanLeftovers_NamespaceOfADeadRun_IsRemovedAndALiveRunsKept()
    {
        RequireTools();
        const int deadPid = 999_999_999; // above pid_max: never alive
        var dead = NetworkNamespace.Create(BenchScope.CommonPrefix + deadPid + "-abc123-veth-c");
        var live = NetworkNamespace.Create(BenchScope.CommonPrefix + Environment.ProcessId + "-live01-veth-c");
        try
        {
            BenchScope.CleanLeftovers().ShouldBeGreaterThanOrEqualTo(1);
            NetworkNamespace.Exists(dead.Name).ShouldBeFalse();
            NetworkNamespace.Exists(live.Name).ShouldBeTrue();
        }
        finally
        {
            NetworkNamespace.Delete(dead.Name);
            NetworkNamespace.Delete(live.Name);
        }
    }

    [Fact]
    public void BenchTap_UnknownPath_ExitsTwo()
    {
        var (code, _, error) = CliRunner.Run("bench", "tap", "--path", "carrier-pigeon");
        code.ShouldBe(ExitCodes.InvalidInput);
        error.ShouldContain("unknown path carrier-pigeon; the paths are actornet, veth, vde");
    }

    /// <summary>Creates its namespaces, then fails on a bad command: the scope must still remove them.</summary>
    private sealed class FailingPath : ITapBenchPath
    {
        public string Name => "broken";

        public string Description => "fails after creating namespaces";

        public string? Unavailable() => null;

        public async Task<IBenchLink> OpenAsync(BenchScope scope, CancellationToken cancellation)
        {
            var ns = await scope.CreateNamespaceAsync("broken", cancellation);
            await BenchScope.RunAsync(cancellation, "ip", "-n", ns.Name, "link", "set", "dev", "no-such-device", "up");
            throw new InvalidOperationException("unreachable: the command above fails");
        }
    }
}

/// <summary>
/// The real benchmark runs saturate the machine (iperf3 at full speed) and start a cluster: they run alone, after the
/// parallel tests, so they neither skew nor starve other integration tests.
/// </summary>
[CollectionDefinition("actornet-ops-bench-tap", DisableParallelization = true)]
public sealed class TapBenchRunCollection;
