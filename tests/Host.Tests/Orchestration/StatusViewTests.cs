using System.Diagnostics;
using ActorNet.Host.Configuration;
using ActorNet.Host.Network;
using ActorNet.Host.Orchestration;

namespace ActorNet.Host.Tests.Orchestration;

/// <summary>What <c>actornet status</c> reads and computes: node rates between samples, and the nodes found from status files, a state file and the configuration.</summary>
public sealed class StatusViewTests : IDisposable
{
    private readonly string _temp = Path.Combine(Path.GetTempPath(), "actornet-sv-" + Guid.NewGuid().ToString("N")[..8]);

    public StatusViewTests() => Directory.CreateDirectory(_temp);

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    private static NodeNetworkStatus Status(int id, int pid, DateTime written, long bytesRead = 0, long framesRead = 0, long bytesWritten = 0, long framesWritten = 0) =>
        new(id, "n" + id, pid, 9, "10.200.0." + id, "shm0", written.AddMinutes(-1), written, [new LinkStatusRow(id == 1 ? 2 : 1, "up", 7, 10, 1000, 0, 0, 12, 1200, 0, 0)],
            new CastStatusRow(1, 60, 0), new AdapterStatusRow(framesRead, bytesRead, framesWritten, bytesWritten, 0, 0, 0, 0), new ForwardingStatusRow(0, 0, 0, 0, 0, 0, 0, 0));

    [Fact]
    public void NodeRates_TwoSamplesHalfASecondApart_AreBitsAndFramesPerSecond()
    {
        var t = DateTime.UtcNow;
        var r = NodeRates.Between(Status(1, 5, t), Status(1, 5, t.AddSeconds(0.5), bytesRead: 1_250_000, framesRead: 100, bytesWritten: 125_000, framesWritten: 50)).ShouldNotBeNull();

        r.TxMbitPerSecond.ShouldBe(20.0, 1e-9);
        r.RxMbitPerSecond.ShouldBe(2.0, 1e-9);
        r.TxFramesPerSecond.ShouldBe(200.0, 1e-9);
        r.RxFramesPerSecond.ShouldBe(100.0, 1e-9);
    }

    [Fact]
    public void NodeRates_SameSampleOrRestartedProcess_AreUnknown()
    {
        var t = DateTime.UtcNow;
        NodeRates.Between(Status(1, 5, t), Status(1, 5, t)).ShouldBeNull();
        NodeRates.Between(Status(1, 5, t), Status(1, 6, t.AddSeconds(1), bytesRead: 10)).ShouldBeNull();
    }

    [Fact]
    public void ClusterView_SecondSample_HasRatesOnlyForNodesSeenTwice()
    {
        var view = new ClusterView("c", "/dev/shm/x/c", [new ViewNode(1, "n1", "10.200.0.1"), new ViewNode(2, "n2", "10.200.0.2")]);
        var t = DateTime.UtcNow;
        view.Sample(new Dictionary<int, NodeNetworkStatus?> { [1] = Status(1, 5, t), [2] = null });

        var rates = view.Sample(new Dictionary<int, NodeNetworkStatus?> { [1] = Status(1, 5, t.AddSeconds(1), framesRead: 10), [2] = Status(2, 6, t.AddSeconds(1)) });

        rates.Keys.ShouldBe([1]);
        rates[1].TxFramesPerSecond.ShouldBe(10.0, 1e-9);
    }

    [Fact]
    public void NetworkStatusSource_NoStateFile_ListsStatusFilesAndNodeSectionsAndReadsOnlyLiveOnes()
    {
        var conf = Path.Combine(_temp, "c.conf");
        File.WriteAllText(conf, "actornet { cluster.name = sv, nodes { 1 { node.name = alpha }, 3 { node.name = charlie } } }");
        var root = Path.Combine(_temp, "shm");
        var defines = new[] { $"actornet.shared-memory.root=\"{root}\"", $"actornet.orchestration.run-folder=\"{Path.Combine(_temp, "run")}\"" };
        var config = ConfigLoader.Load(new ConfigLoadOptions(conf, null, defines)).Config;
        var t = DateTime.UtcNow;
        StatusFile.Write(StatusFile.PathFor(root, "sv", 1), Status(1, Environment.ProcessId, t));
        StatusFile.Write(StatusFile.PathFor(root, "sv", 2), Status(2, DeadPid(), t));
        File.WriteAllText(Path.Combine(root, "sv", "status", "node-7.json"), "{\"node_id\":7,\"links\":null}"); // damaged
        File.WriteAllText(Path.Combine(root, "sv", "status", "node-x.json"), "{}"); // not a node's file

        var source = NetworkStatusSource.Find(config, "sv");

        source.ShmFolder.ShouldBe(Path.Combine(root, "sv"));
        source.Nodes.Select(n => (n.Id, n.Name)).ShouldBe([(1, "n1"), (2, "n2"), (3, "charlie"), (7, "node 7")]);
        var read = source.Read();
        read[1].ShouldNotBeNull().Pid.ShouldBe(Environment.ProcessId);
        read[2].ShouldBeNull("its process is gone");
        read[3].ShouldBeNull("no status file");
        read[7].ShouldBeNull("a status file with a null list is not a status");
    }

    [Fact]
    public void NetworkStatusSource_StateFileOfUp_ListsItsNodesAndRequiresItsPids()
    {
        var run = Path.Combine(_temp, "run");
        var shm = Path.Combine(_temp, "elsewhere", "sv");
        var state = new ClusterState { Cluster = "sv", ShmFolder = shm };
        state.Pids[1] = Environment.ProcessId;
        state.Pids[2] = Environment.ProcessId;
        state.DataAddresses[1] = "10.9.0.1";
        state.DataAddresses[2] = "10.9.0.2";
        Directory.CreateDirectory(run);
        state.Write(ClusterPlan.StateFilePath(run, "sv"));
        var conf = Path.Combine(_temp, "c.conf");
        File.WriteAllText(conf, "actornet { cluster.name = sv, nodes { 1 {}, 2 {}, 3 {} } }");
        var config = ConfigLoader.Load(new ConfigLoadOptions(conf, null, [$"actornet.orchestration.run-folder=\"{run}\""])).Config;
        var t = DateTime.UtcNow;
        StatusFile.Write(Path.Combine(shm, "status", "node-1.json"), Status(1, Environment.ProcessId, t));
        StatusFile.Write(Path.Combine(shm, "status", "node-2.json"), Status(2, Environment.ProcessId + 1, t)); // not the process up started

        var source = NetworkStatusSource.Find(config, "sv");

        source.ShmFolder.ShouldBe(shm);
        source.Nodes.Select(n => n.Id).ShouldBe([1, 2], "the nodes up started, not every section of the file");
        source.Nodes.Single(n => n.Id == 2).Address.ShouldBe("10.200.0.2");
        var read = source.Read();
        read[1].ShouldNotBeNull();
        read[2].ShouldBeNull();
    }

    private static int DeadPid()
    {
        using var p = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        p.WaitForExit();
        return p.Id;
    }
}
