using ActorNet.Host.Configuration;
using ActorNet.Host.Node;
using ActorNet.Host.Orchestration;

namespace ActorNet.Host.Tests.Node;

public class ClusterTargetsTests : IDisposable
{
    private readonly string _runFolder = Path.Combine(Path.GetTempPath(), "an-targets-" + Guid.NewGuid().ToString("N"));
    private readonly string _configFile;

    public ClusterTargetsTests()
    {
        Directory.CreateDirectory(_runFolder);
        _configFile = Path.Combine(_runFolder, "cluster.conf");
        File.WriteAllText(_configFile, $$"""
            actornet {
              cluster.name = tgt
              orchestration.run-folder = "{{_runFolder}}"
              nodes {
                1 { node.remoting.port = 4801 }
                2 { node.remoting.port = 4802 }
              }
            }
            """);
    }

    public void Dispose() => Directory.Delete(_runFolder, recursive: true);

    private ConfigLoadOptions Load => new(_configFile);

    [Fact]
    public void AddressOf_NoRunningCluster_UsesTheNodeSection()
    {
        var address = ClusterTargets.AddressOf(Load, 2);
        address.Host.ShouldBe("127.0.0.1");
        address.Port.ShouldBe(4802);
    }

    [Fact]
    public void AddressOf_ClusterStartedByUp_UsesTheRecordedManagementEndpoint()
    {
        var state = new ClusterState { Cluster = "tgt" };
        state.RemotingEndpoints[1] = "10.213.0.2:4801";
        state.RemotingEndpoints[2] = "10.213.0.3:4802";
        state.Write(ClusterPlan.StateFilePath(_runFolder, "tgt"));

        var address = ClusterTargets.AddressOf(Load, 2);
        address.Host.ShouldBe("10.213.0.3");
        address.Port.ShouldBe(4802);

        var loaded = ConfigLoader.Load(Load);
        ClusterTargets.All(Load, loaded.Config).Select(t => t.Address.Host).ShouldBe(["10.213.0.2", "10.213.0.3"]);
    }

    [Fact]
    public void RunningEndpoints_GarbageEntries_AreIgnored()
    {
        var state = new ClusterState { Cluster = "tgt" };
        state.RemotingEndpoints[1] = "not-an-ip:4801";
        state.RemotingEndpoints[2] = "10.213.0.3:70000";
        state.RemotingEndpoints[3] = "10.213.0.4";
        state.RemotingEndpoints[4] = "10.213.0.5:4804";
        state.Write(ClusterPlan.StateFilePath(_runFolder, "tgt"));

        var running = ClusterTargets.RunningEndpoints(ConfigLoader.Load(Load).Config, "tgt");
        running.Keys.ShouldBe([4]);
        ClusterTargets.AddressOf(Load, 1).Host.ShouldBe("127.0.0.1");
    }
}
