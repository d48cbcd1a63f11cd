using System.Collections.Immutable;
using ActorNet.Actors.Cluster;
using ActorNet.Actors.Cluster.Control;
using ActorNet.Actors.Cluster.FailureDetection;
using ActorNet.Actors.Cluster.Membership;
using ActorNet.Actors.Remote;
using ActorNet.Hocon;

namespace ActorNet.Actors.Tests.Cluster;

using Address = ActorNet.Actors.Cluster.Membership.Address;

/// <summary>Cluster actors in one process: several ClusterNodes on one actor system, each with its own transport.</summary>
public sealed class ClusterNodeTests : TestKit.TestKit
{
    private readonly string _cluster = "cn-" + Guid.NewGuid().ToString("N")[..8];
    private readonly List<RemoteTransport> _transports = [];

    public ClusterNodeTests()
        : base(systemName: "cluster-node-tests")
    {
    }

    private ClusterSettings Settings(int seedPort, string extra = "") => ClusterSettings.FromConfig(
        ConfigurationFactory.ParseString($$"""
            actornet.cluster {
              name = "{{_cluster}}"
              secret = "cluster-node-tests-secret"
              seed-nodes = ["127.0.0.1:{{seedPort}}"]
              seed-node-timeout = 500ms
              periodic-tasks-initial-delay = 50ms
              gossip-interval = 100ms
              leader-actions-interval = 100ms
              unreachable-nodes-reaper-interval = 100ms
              failure-detector { heartbeat-interval = 100ms, acceptable-heartbeat-pause = 500ms, expected-response-after = 300ms }
              downing.split-brain-resolver.stable-after = 1s
              {{extra}}
            }
            actornet.node.remoting { hostname = "127.0.0.1", port = 0 }
            """).WithFallback(ConfigReader.Reference).Resolve());

    private ClusterNode StartNode(ActorSystem system, int seedPort, int port, ClusterNodeOptions? options = null, string extra = "")
    {
        var settings = Settings(seedPort, extra);
        var transport = new RemoteTransport(system, RemoteTransportSettings.From(settings, RemoteTransportSettings.NewUid()) with { Port = port }, ClusterNode.CreateSerializerRegistry(256 * 1024), LoggerFactory);
        transport.Start();
        _transports.Add(transport);
        return ClusterNode.Start(system, settings, transport, options);
    }

    private static int FreePort()
    {
        var l = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        l.Start();
        int port = ((System.Net.IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }

    [Fact]
    public async Task Join_TwoNodes_BothUpAndSubscriberGetsSnapshotThenEvents()
    {
        int seedPort = FreePort();
        await using var second = ActorSystem.Create("cluster-node-tests-2", ConfigurationFactory.Empty, LoggerFactory);
        var seed = StartNode(Sys, seedPort, seedPort);
        await seed.WhenUp.WaitAsync(Dilated(TimeSpan.FromSeconds(10)));
        seed.Subscribe(TestActor);
        var snapshot = ExpectMsg<CurrentClusterState>();
        snapshot.Members.Select(m => m.Address).ShouldBe([seed.SelfUniqueAddress.Address]);
        var other = StartNode(second, seedPort, 0);
        await other.WhenUp.WaitAsync(Dilated(TimeSpan.FromSeconds(10)));
        FishForMessage(m => m is MemberUp up && up.Member.UniqueAddress.Equals(other.SelfUniqueAddress), Dilated(TimeSpan.FromSeconds(10)));
        AwaitCondition(() => other.State.Convergence() && other.State.Members.Count == 2, Dilated(TimeSpan.FromSeconds(10)));
        other.State.Leader.ShouldBe(new[] { seed.SelfUniqueAddress, other.SelfUniqueAddress }.Min(UniqueAddress.Ordering));
    }

    [Fact]
    public async Task StatusRequest_ToTheCore_AnswersWithMembersAndLeader()
    {
        int seedPort = FreePort();
        var seed = StartNode(Sys, seedPort, seedPort);
        await seed.WhenUp.WaitAsync(Dilated(TimeSpan.FromSeconds(10)));
        seed.Core.Tell(new StatusRequest(7), TestActor);
        var status = ExpectMsg<ClusterStatus>();
        status.RequestId.ShouldBe(7);
        status.SelfStatus.ShouldBe("Up");
        status.Leader.ShouldBe(seed.SelfUniqueAddress.Address.ToString());
        status.Members.Single().Status.ShouldBe("Up");
    }

    [Fact]
    public async Task SameHostProbe_ConfirmsDeath_PeerIsDownedAndRemovedWithoutWaitingForStableAfter()
    {
        int seedPort = FreePort();
        await using var second = ActorSystem.Create("cluster-node-tests-3", ConfigurationFactory.Empty, LoggerFactory);
        var probe = new ScriptedProbe();
        var seed = StartNode(Sys, seedPort, seedPort, new ClusterNodeOptions { SameHostProbe = probe });
        await seed.WhenUp.WaitAsync(Dilated(TimeSpan.FromSeconds(10)));
        var other = StartNode(second, seedPort, 0);
        await other.WhenUp.WaitAsync(Dilated(TimeSpan.FromSeconds(10)));
        AwaitCondition(() => seed.State.Members.Count(m => m.Status == MemberStatus.Up) == 2, Dilated(TimeSpan.FromSeconds(10)));
        seed.Subscribe(TestActor);
        ExpectMsg<CurrentClusterState>();
        probe.Dead = other.SelfUniqueAddress;
        var removed = FishForMessage(m => m is MemberRemoved r && r.Member.UniqueAddress.Equals(other.SelfUniqueAddress), Dilated(TimeSpan.FromSeconds(5)));
        removed.ShouldBeOfType<MemberRemoved>();
        Logs.Snapshot().ShouldContain(e => e.Message.Contains("confirmed dead on this host", StringComparison.Ordinal));
    }

    [Fact]
    public async Task FaultInjector_Commands_AppliedToTheTransportAndLoggedOrRefused()
    {
        int seedPort = FreePort();
        var node = StartNode(Sys, seedPort, seedPort);
        await node.WhenUp.WaitAsync(Dilated(TimeSpan.FromSeconds(10)));
        var injector = node.Transport.ActorFor(node.SelfUniqueAddress.Address, "/system/fault-injector");
        var peer = new Address(_cluster, "127.0.0.1", 1);

        injector.Tell(new InjectFault("blackhole", peer.ToString(), 0), TestActor);
        ExpectMsg<FaultReply>().Applied.ShouldBeTrue();
        node.Transport.FaultFor(peer).ShouldBe(PeerFault.Blackhole);

        injector.Tell(new InjectFault("drop", peer.ToString(), 0.25), TestActor);
        ExpectMsg<FaultReply>().Applied.ShouldBeTrue();
        node.Transport.FaultFor(peer)!.DropProbability.ShouldBe(0.25);

        injector.Tell(new InjectFault("pass-through", peer.ToString(), 0), TestActor);
        ExpectMsg<FaultReply>().Applied.ShouldBeTrue();
        node.Transport.FaultFor(peer).ShouldBeNull();

        injector.Tell(new InjectFault("drop", peer.ToString(), 1.5), TestActor);
        ExpectMsg<FaultReply>().Applied.ShouldBeFalse();
        injector.Tell(new InjectFault("teleport", null, 0), TestActor);
        ExpectMsg<FaultReply>().Applied.ShouldBeFalse();
        injector.Tell(new InjectFault("blackhole", "not an address", 0), TestActor);
        ExpectMsg<FaultReply>().Description.ShouldContain("invalid peer address");

        Logs.Snapshot().Count(e => e.Message.Contains("Fault injected on", StringComparison.Ordinal)).ShouldBe(3);
    }

    [Fact]
    public async Task Leave_SecondNode_IsRemovedAndSeesItselfGone()
    {
        int seedPort = FreePort();
        await using var second = ActorSystem.Create("cluster-node-tests-4", ConfigurationFactory.Empty, LoggerFactory);
        var seed = StartNode(Sys, seedPort, seedPort);
        await seed.WhenUp.WaitAsync(Dilated(TimeSpan.FromSeconds(10)));
        var other = StartNode(second, seedPort, 0);
        await other.WhenUp.WaitAsync(Dilated(TimeSpan.FromSeconds(10)));
        AwaitCondition(() => seed.State.Convergence() && seed.State.Members.Count == 2, Dilated(TimeSpan.FromSeconds(10)));
        (await other.LeaveAsync(Dilated(TimeSpan.FromSeconds(10)))).ShouldBeTrue();
        AwaitCondition(() => seed.State.Members.Count == 1, Dilated(TimeSpan.FromSeconds(10)));
        (await other.WhenRemoved).ShouldContain("left");
    }

    [Fact]
    public async Task Heartbeats_RingMovesAsMembersJoin_NoFalseUnreachable()
    {
        // One monitor per member: each join moves receivers around the ring; a detector left behind for a peer this
        // node no longer heartbeats would turn it unreachable once the acceptable pause (500 ms here) has passed.
        int seedPort = FreePort();
        const string ring = "failure-detector.monitored-by-nr-of-members = 1";
        var systems = new List<ActorSystem>();
        try
        {
            var nodes = new List<ClusterNode> { StartNode(Sys, seedPort, seedPort, extra: ring) };
            await nodes[0].WhenUp.WaitAsync(Dilated(TimeSpan.FromSeconds(10)));
            for (int i = 0; i < 3; i++)
            {
                var system = ActorSystem.Create("cluster-node-ring-" + i, ConfigurationFactory.Empty, LoggerFactory);
                systems.Add(system);
                nodes.Add(StartNode(system, seedPort, 0, extra: ring));
                await nodes[^1].WhenUp.WaitAsync(Dilated(TimeSpan.FromSeconds(10)));
            }

            AwaitCondition(() => nodes.All(n => n.State.Members.Count == 4 && n.State.Convergence()), Dilated(TimeSpan.FromSeconds(10)));
            await Task.Delay(TimeSpan.FromSeconds(2.5));
            foreach (var node in nodes)
            {
                node.State.Reachability.IsAllReachable.ShouldBeTrue($"{node.SelfUniqueAddress} sees {node.State.Reachability}");
            }
        }
        finally
        {
            foreach (var system in systems)
            {
                await system.Terminate();
            }
        }
    }

    protected override void Dispose(bool disposing)
    {
        foreach (var t in _transports)
        {
            t.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(5));
        }

        base.Dispose(disposing);
    }

    private sealed class ScriptedProbe : ISameHostLivenessProbe
    {
        public volatile UniqueAddress? Dead;

        public SameHostEvidence? Probe(UniqueAddress node, long nowMs) =>
            node.Equals(Dead) ? new SameHostEvidence(PeerProcessState.Exited, null, node.Uid, nowMs) : new SameHostEvidence(PeerProcessState.Running, null, node.Uid, nowMs);

        public void Forget(UniqueAddress node)
        {
        }
    }
}
