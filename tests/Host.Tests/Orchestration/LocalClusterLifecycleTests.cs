using System.Diagnostics;
using ActorNet.Host.Orchestration;
using ActorNet.Host.Platform;
using ActorNet.Host.Tests.LocalNetwork;

namespace ActorNet.Host.Tests.Orchestration;

public sealed class LocalClusterLifecycleTests : IDisposable
{
    private readonly string _temp = Path.Combine(Path.GetTempPath(), "actornet-lcl-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly string _name = "lcl-" + Guid.NewGuid().ToString("N")[..8];

    public void Dispose()
    {
        // Whatever happened: remove what the plan could have created.
        var plan = LocalClusterFixture.Plan(_name, _temp, 2);
        LocalCluster.TeardownFromStateFileAsync(plan.StatePath).GetAwaiter().GetResult();
        NetworkNamespace.DeleteByPrefix(plan.Prefix + "-");
        Run("ip", "link", "del", plan.Bridge);
        if (Directory.Exists(plan.ShmRoot))
        {
            Directory.Delete(plan.ShmRoot, recursive: true);
        }

        if (Directory.Exists(_temp))
        {
            Directory.Delete(_temp, recursive: true);
        }
    }

    [Fact]
    public async Task StartAsync_WhileDetachedRunsRefusedAfterItCrashedRemovesLeftoversThenTeardownLeavesNothing()
    {
        var plan = LocalClusterFixture.Plan(_name, _temp, 2);
        var crashed = await LocalCluster.StartAsync(plan);
        crashed.MarkDetached();
        // A detached cluster whose nodes run is not a leftover: a second up is refused without touching it.
        (await Should.ThrowAsync<ClusterAlreadyRunningException>(() => LocalCluster.StartAsync(plan))).Message.ShouldContain("actornet down");
        (await crashed.PingAsync(1, plan.Node(2).DataAddress)).ShouldBeTrue();
        // The "crash": its nodes die without a teardown; state file, namespaces, bridge and segments remain.
        foreach (var node in plan.Nodes)
        {
            crashed.KillNode(node.Id);
        }

        File.Exists(plan.StatePath).ShouldBeTrue();

        var progress = new List<string>();
        var cluster = await LocalCluster.StartAsync(plan, new SyncProgress(progress.Add));
        try
        {
            progress.ShouldContain(p => p.StartsWith("removed leftovers of an earlier run:", StringComparison.Ordinal) && p.Contains("namespace " + plan.Nodes[0].Namespace, StringComparison.Ordinal));
            (await cluster.PingAsync(1, plan.Node(2).DataAddress)).ShouldBeTrue();
        }
        finally
        {
            await cluster.TeardownAsync();
        }

        File.Exists(plan.StatePath).ShouldBeFalse();
        Directory.Exists(plan.ShmFolder).ShouldBeFalse();
        NetworkNamespace.List(plan.Prefix + "-").ShouldBeEmpty();
        Run("ip", "link", "show", plan.Bridge).ShouldNotBe(0, "the bridge is gone");
        cluster.Pids.Values.ShouldAllBe(pid => !IsRunning(pid));
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].FirstOrDefault() != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static int Run(string program, params string[] args)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        using var p = Process.Start(info)!;
        p.StandardOutput.ReadToEnd();
        p.StandardError.ReadToEnd();
        p.WaitForExit();
        return p.ExitCode;
    }

    private sealed class SyncProgress(Action<string> report) : IProgress<string>
    {
        public void Report(string value) => report(value);
    }
}
