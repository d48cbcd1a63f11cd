using ActorNet.Hocon;
using ActorNet.Host.Configuration;

namespace ActorNet.Host.Tests.Configuration;

public class ReferenceConfigTests
{
    private static readonly string[] Empty = [];

    // Every default of the foundation block of hocon/reference.conf. Adding, removing or changing a key without
    // updating this table fails the test. actornet.actor.* belongs to the actor kernel and is asserted there.
    private static readonly Dictionary<string, object> s_expected = new(StringComparer.Ordinal)
    {
        ["actornet.cluster.name"] = "actornet",
        ["actornet.cluster.seed-nodes"] = Empty,
        ["actornet.cluster.secret"] = "",
        ["actornet.cluster.min-nr-of-members"] = 1L,
        ["actornet.cluster.seed-node-timeout"] = "5s",
        ["actornet.cluster.retry-unsuccessful-join-after"] = "10s",
        ["actornet.cluster.periodic-tasks-initial-delay"] = "1s",
        ["actornet.cluster.gossip-interval"] = "1s",
        ["actornet.cluster.gossip-time-to-live"] = "2s",
        ["actornet.cluster.gossip-different-view-probability"] = 0.8,
        ["actornet.cluster.leader-actions-interval"] = "1s",
        ["actornet.cluster.unreachable-nodes-reaper-interval"] = "1s",
        ["actornet.cluster.allow-weakly-up-members"] = "7s",
        ["actornet.cluster.failure-detector.heartbeat-interval"] = "1s",
        ["actornet.cluster.failure-detector.threshold"] = 8.0,
        ["actornet.cluster.failure-detector.max-sample-size"] = 1000L,
        ["actornet.cluster.failure-detector.min-std-deviation"] = "100ms",
        ["actornet.cluster.failure-detector.acceptable-heartbeat-pause"] = "3s",
        ["actornet.cluster.failure-detector.monitored-by-nr-of-members"] = 9L,
        ["actornet.cluster.failure-detector.expected-response-after"] = "1s",
        ["actornet.cluster.failure-detector.same-host.enabled"] = "on",
        ["actornet.cluster.failure-detector.same-host.check-interval"] = "10ms",
        ["actornet.cluster.failure-detector.same-host.use-process-exit"] = "on",
        ["actornet.cluster.downing.provider"] = "split-brain-resolver",
        ["actornet.cluster.downing.down-confirmed-dead-immediately"] = "on",
        ["actornet.cluster.downing.split-brain-resolver.active-strategy"] = "keep-majority",
        ["actornet.cluster.downing.split-brain-resolver.stable-after"] = "20s",
        ["actornet.cluster.downing.split-brain-resolver.down-all-when-unstable"] = "on",
        ["actornet.cluster.downing.split-brain-resolver.keep-majority.role"] = "",
        ["actornet.cluster.downing.split-brain-resolver.static-quorum.quorum-size"] = 0L,
        ["actornet.cluster.downing.split-brain-resolver.static-quorum.role"] = "",
        ["actornet.cluster.downing.split-brain-resolver.keep-oldest.down-if-alone"] = "on",
        ["actornet.cluster.downing.split-brain-resolver.keep-oldest.role"] = "",
        ["actornet.node.id"] = 0L,
        ["actornet.node.name"] = "",
        ["actornet.node.remoting.hostname"] = "127.0.0.1",
        ["actornet.node.remoting.port"] = 4711L,
        ["actornet.node.remoting.maximum-frame-size"] = "256KiB",
        ["actornet.node.remoting.handshake-timeout"] = "5s",
        ["actornet.node.remoting.min-backoff"] = "100ms",
        ["actornet.node.remoting.max-backoff"] = "5s",
        ["actornet.node.remoting.send-queue-size"] = 500000L,
        ["actornet.node.remoting.keep-alive-interval"] = "1s",
        ["actornet.shared-memory.root"] = "/dev/shm/actornet",
        ["actornet.shared-memory.notification.mode"] = "adaptive",
        ["actornet.shared-memory.notification.spin-iterations"] = 20000L,
        ["actornet.shared-memory.notification.pin-pollers"] = "auto",
        ["actornet.shared-memory.notification.max-sleep"] = "100ms",
        ["actornet.shared-memory.heartbeat.interval"] = "10ms",
        ["actornet.shared-memory.heartbeat.timeout"] = "100ms",
        ["actornet.networks.local.enabled"] = "on",
        ["actornet.networks.local.adapter"] = "shm0",
        ["actornet.networks.local.mtu"] = 9000L,
        ["actornet.networks.local.ring-depth"] = 512L,
        ["actornet.networks.local.slot-mode"] = "copy",
        ["actornet.networks.local.buffer-pool-size"] = 4096L,
        ["actornet.networks.local.subnet"] = "10.200.0.0/16",
        ["actornet.networks.local.address"] = "",
        ["actornet.networks.local.multicast-rings.count"] = 0L,
        ["actornet.networks.local.multicast-rings.groups"] = Empty,
        ["actornet.networks.local.full-policy"] = "backpressure",
        ["actornet.networks.local.notification-mode"] = "adaptive",
        ["actornet.networks.global.enabled"] = "off",
        ["actornet.networks.global.adapter"] = "gshm0",
        ["actornet.networks.global.mtu"] = 1500L,
        ["actornet.networks.global.ring-depth"] = 512L,
        ["actornet.networks.global.slot-mode"] = "copy",
        ["actornet.networks.global.buffer-pool-size"] = 4096L,
        ["actornet.networks.global.subnet"] = "10.201.0.0/24",
        ["actornet.networks.global.address"] = "10.201.0.1",
        ["actornet.networks.global.multicast-rings.count"] = 0L,
        ["actornet.networks.global.multicast-rings.groups"] = Empty,
        ["actornet.networks.global.full-policy"] = "backpressure",
        ["actornet.networks.global.notification-mode"] = "adaptive",
        ["actornet.adapters.kind"] = "tap",
        ["actornet.adapters.vnet-hdr.enabled"] = "on",
        ["actornet.adapters.vnet-hdr.tso"] = "on",
        ["actornet.adapters.vnet-hdr.checksum"] = "on",
        ["actornet.adapters.tap.device"] = "/dev/net/tun",
        ["actornet.adapters.wintun.dll-path"] = "",
        ["actornet.adapters.wintun.pool"] = "ActorNet",
        ["actornet.adapters.wintun.ring-capacity"] = "4MiB",
        ["actornet.persistence.provider"] = "sqlite",
        ["actornet.persistence.data-folder"] = "data",
        ["actornet.persistence.sqlite.connection-string"] = "",
        ["actornet.persistence.postgresql.connection-string"] = "",
        ["actornet.logging.level"] = "information",
        ["actornet.logging.console.enabled"] = "on",
        ["actornet.logging.console.format"] = "human",
        ["actornet.logging.file.enabled"] = "on",
        ["actornet.logging.file.folder"] = "logs",
        ["actornet.logging.file.roll-size"] = "100MiB",
        ["actornet.logging.file.retained-files"] = 10L,
        ["actornet.logging.async.buffer-size"] = 10000L,
        ["actornet.logging.async.block-when-full"] = "off",
        ["actornet.ops.enabled"] = "on",
        ["actornet.ops.hostname"] = "127.0.0.1",
        ["actornet.ops.port"] = 4811L,
        ["actornet.orchestration.nodes"] = 0L,
        ["actornet.orchestration.management-subnet"] = "10.213.0.0/24",
        ["actornet.orchestration.run-folder"] = "/run/actornet",
        ["actornet.orchestration.start-timeout"] = "90s",
    };

    [Fact]
    public void Reference_EveryFoundationDefault_MatchesTheExpectedTable()
    {
        var reference = ConfigLoader.Reference();
        var actual = ConfigTree.Leaves(reference.Root)
            .Where(l => l.Path.StartsWith("actornet.", StringComparison.Ordinal) && !l.Path.StartsWith("actornet.actor.", StringComparison.Ordinal))
            .ToDictionary(l => l.Path, l => Normalize(l.Value), StringComparer.Ordinal);

        actual.Keys.Except(s_expected.Keys).ShouldBeEmpty("keys in reference.conf missing from the expected table");
        s_expected.Keys.Except(actual.Keys).ShouldBeEmpty("keys in the expected table missing from reference.conf");
        foreach (var (path, expected) in s_expected)
        {
            actual[path].ShouldBe(Normalize(expected), path);
        }
    }

    [Fact]
    public void Reference_EveryFoundationKey_HasACommentAbove()
    {
        // STYLE.md: every key has a comment with its unit and meaning. Walk the foundation block text.
        var lines = File.ReadAllLines(RepoPaths.ReferenceConf);
        var end = Array.FindIndex(lines, l => l.StartsWith("actornet.actor", StringComparison.Ordinal));
        var uncommented = new List<string>();
        for (var i = 0; i < end; i++)
        {
            var line = lines[i].Trim();
            if (!line.Contains('=', StringComparison.Ordinal) || line.StartsWith('#'))
            {
                continue;
            }

            var j = i - 1;
            while (j >= 0 && lines[j].Trim().Length > 0 && !lines[j].Trim().StartsWith('#') && lines[j].Contains('=', StringComparison.Ordinal))
            {
                j--; // a run of related keys (min-backoff/max-backoff) shares one comment
            }

            if (j < 0 || !lines[j].Trim().StartsWith('#'))
            {
                uncommented.Add(line);
            }
        }

        uncommented.ShouldBeEmpty();
    }

    [Fact]
    public void Reference_DefaultsWithANodeId_BuildEverySettingsRecord()
    {
        var config = ConfigurationFactory.ParseString("actornet.node.id = 3").WithFallback(ConfigLoader.Reference()).Resolve();
        var settings = ActorNetSettings.FromConfig(config);
        settings.Cluster.FailureDetector.Threshold.ShouldBe(8.0);
        settings.Cluster.FailureDetector.HeartbeatInterval.ShouldBe(TimeSpan.FromSeconds(1));
        settings.Cluster.Downing.ActiveStrategy.ShouldBe(ActorNet.Actors.Cluster.DowningStrategy.KeepMajority);
        settings.Cluster.Downing.StableAfter.ShouldBe(TimeSpan.FromSeconds(20));
        settings.Cluster.Downing.DownAllWhenUnstable.ShouldBe(TimeSpan.FromSeconds(15));
        settings.Node.Name.ShouldBe("node-3");
        settings.Node.Remoting.MaximumFrameSize.ShouldBe(256 * 1024);
        settings.Networks.Local.Address!.ToString().ShouldBe("10.200.0.3");
        settings.Networks.Local.Notification.ShouldBe(NotificationMode.Adaptive);
        settings.Networks.Global.Enabled.ShouldBeFalse();
        settings.SharedMemory.HeartbeatTimeout.ShouldBe(TimeSpan.FromMilliseconds(100));
        settings.Logging.RollSize.ShouldBe(100L * 1024 * 1024);
        settings.Persistence.ConnectionString.ShouldBe("Data Source=" + Path.Combine("data", "actornet", "node-3.db"));
    }

    private static object? Normalize(object? value) => value switch
    {
        HoconString s => s.Value,
        HoconNumber n => n.Value,
        HoconBoolean b => b.Value,
        HoconNull => null,
        HoconArray a => string.Join(",", a.Items.Select(i => Normalize(i)?.ToString())),
        string[] list => string.Join(",", list),
        long l => (double)l,
        int i => (double)i,
        _ => value,
    };
}
