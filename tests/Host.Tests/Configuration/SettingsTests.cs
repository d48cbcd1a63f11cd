using ActorNet.Actors.Cluster;
using ActorNet.Hocon;
using ActorNet.Host.Configuration;

namespace ActorNet.Host.Tests.Configuration;

public class SettingsTests
{
    private static Config With(string hocon) =>
        ConfigurationFactory.ParseStringUnresolved(hocon, "test").WithFallback(ConfigLoader.ParseReference()).Resolve(new ResolveOptions { UseEnvironment = false });

    [Fact]
    public void NodeSettings_IdOutOfRange_NamesKeyRangeAndFix()
    {
        var ex = Should.Throw<SettingsException>(() => NodeSettings.FromConfig(With("actornet.node.id = 70000")));
        ex.Message.ShouldBe("actornet.node.id = 70000 is out of range: node ids are 1..65534 (last two bytes of the MAC); set actornet.node.id");
    }

    [Fact]
    public void NodeSettings_IdNotSet_SaysToPassNode()
    {
        var ex = Should.Throw<SettingsException>(() => NodeSettings.FromConfig(With(string.Empty)));
        ex.Message.ShouldContain("--node N");
        ex.Problems.Single().Path.ShouldBe("actornet.node.id");
    }

    [Fact]
    public void NodeSettings_IdNotANumber_ReportsWrongType()
    {
        var ex = Should.Throw<SettingsException>(() => NodeSettings.FromConfig(With("actornet.node.id = seven")));
        ex.Message.ShouldBe("actornet.node.id has the wrong type: expected an integer but found the string \"seven\"; set it to an integer");
    }

    [Fact]
    public void NetworksSettings_SeveralBadKeys_ReportsEveryOne()
    {
        var ex = Should.Throw<SettingsException>(() => NetworksSettings.FromConfig(With("""
            actornet.node.id = 2
            actornet.networks.local { mtu = 100, ring-depth = 1000, slot-mode = scatter, address = "10.9.9.9" }
            actornet.networks.global.multicast-rings.groups = ["10.0.0.1"]
            """)));
        var paths = ex.Problems.Select(p => p.Path).ToArray();
        paths.ShouldBe(
            [
                "actornet.networks.local.mtu",
                "actornet.networks.local.ring-depth",
                "actornet.networks.local.slot-mode",
                "actornet.networks.local.address",
                "actornet.networks.global.multicast-rings.groups",
            ],
            ignoreOrder: true);
        ex.Problems[0].Message.ShouldBe("actornet.networks.local.mtu = 100 is out of range: the MTU of a shared-memory network, in bytes (1490..65536); set actornet.networks.local.mtu");
        ex.Message.ShouldContain("use one of copy | zero-copy");
        ex.Message.ShouldContain("use e.g. 1024");
        ex.Message.ShouldContain("outside actornet.networks.local.subnet");
    }

    [Fact]
    public void NetworksSettings_NodeIdBeyondSubnet_CannotDeriveAddress()
    {
        var ex = Should.Throw<SettingsException>(() => NetworksSettings.FromConfig(With("actornet.node.id = 300, actornet.networks.local.subnet = \"10.200.0.0/24\"")));
        ex.Message.ShouldContain("does not fit in 10.200.0.0/24");
    }

    [Fact]
    public void ClusterSettings_StaticQuorumWithoutSize_AsksForQuorumSize()
    {
        var ex = Should.Throw<SettingsException>(() => ClusterSettings.FromConfig(With("actornet.cluster.downing.split-brain-resolver.active-strategy = static-quorum")));
        ex.Problems.Single().Path.ShouldBe("actornet.cluster.downing.split-brain-resolver.static-quorum.quorum-size");
    }

    [Fact]
    public void ClusterSettings_BadSeedsAndShortSecret_ReportsBoth()
    {
        var ex = Should.Throw<SettingsException>(() => ClusterSettings.FromConfig(With("""
            actornet.cluster { seed-nodes = ["127.0.0.1", "actornet://other@h:1"], secret = "short" }
            """)));
        ex.Problems.Count.ShouldBe(3);
        ex.Message.ShouldContain("expected host:port");
        ex.Message.ShouldContain("names cluster \"other\"");
        ex.Message.ShouldContain("at least 16 characters");
    }

    [Fact]
    public void ClusterSettings_DownAllWhenUnstableOffOrDuration_IsRead()
    {
        ClusterSettings.FromConfig(With("actornet.cluster.downing.split-brain-resolver.down-all-when-unstable = off")).Downing.DownAllWhenUnstable.ShouldBeNull();
        ClusterSettings.FromConfig(With("actornet.cluster.downing.split-brain-resolver.down-all-when-unstable = 2s")).Downing.DownAllWhenUnstable.ShouldBe(TimeSpan.FromSeconds(2));
        var seeds = ClusterSettings.FromConfig(With("actornet.cluster.seed-nodes = [\"10.0.0.1:4701\", \"actornet://actornet@h:2\"]")).SeedNodes;
        seeds.ShouldBe([new SeedNode("10.0.0.1", 4701, null), new SeedNode("h", 2, "actornet")]);
    }

    [Fact]
    public void PinPollers_AutoOffAndList_ChooseTheNodesCpu()
    {
        var auto = SharedMemorySettings.FromConfig(With("")).PinPollers;
        auto.ShouldBe(PollerPinning.Automatic);
        auto.CpuFor(1, [0, 1], spins: true).ShouldBe(0);
        auto.CpuFor(2, [0, 1], spins: true).ShouldBe(1);
        auto.CpuFor(3, [0, 1], spins: true).ShouldBe(0);
        auto.CpuFor(2, [4, 6, 7], spins: true).ShouldBe(6);
        auto.CpuFor(1, [3], spins: true).ShouldBeNull("one CPU: nothing to spread over");
        auto.CpuFor(1, [0, 1], spins: false).ShouldBeNull("interrupt mode sleeps: the kernel places it");

        SharedMemorySettings.FromConfig(With("actornet.shared-memory.notification.pin-pollers = off")).PinPollers.CpuFor(1, [0, 1], true).ShouldBeNull();
        var list = SharedMemorySettings.FromConfig(With("actornet.shared-memory.notification.pin-pollers = [5, 9]")).PinPollers;
        list.CpuFor(1, [0, 1], spins: false).ShouldBe(5);
        list.CpuFor(4, [0, 1], spins: false).ShouldBe(9);
    }

    [Theory]
    [InlineData("sometimes")]
    [InlineData("[]")]
    [InlineData("[-1]")]
    [InlineData("[0, 5000]")]
    [InlineData("[a, b]")]
    [InlineData("12")]
    public void PinPollers_Invalid_IsRejectedWithTheKeyAndTheFix(string value)
    {
        var ex = Should.Throw<SettingsException>(() => SharedMemorySettings.FromConfig(With("actornet.shared-memory.notification.pin-pollers = " + value)));
        ex.Message.ShouldContain("actornet.shared-memory.notification.pin-pollers");
        ex.Message.ShouldContain("use auto, off, or a list of CPU numbers");
    }

    [Fact]
    public void SharedMemorySettings_TimeoutNotAboveInterval_IsRejected()
    {
        var ex = Should.Throw<SettingsException>(() => SharedMemorySettings.FromConfig(With("actornet.shared-memory.heartbeat { interval = 100ms, timeout = 50ms }")));
        ex.Problems.Single().Path.ShouldBe("actornet.shared-memory.heartbeat.timeout");
    }

    [Fact]
    public void LoggingSettings_RollSizeOff_IsNull()
    {
        var settings = LoggingSettings.FromConfig(With("actornet.logging { file.roll-size = off, level = debug }"));
        settings.RollSize.ShouldBeNull();
        settings.Level.ShouldBe(Serilog.Events.LogEventLevel.Debug);
    }

    [Fact]
    public void ActorNetSettings_Validate_CollectsProblemsOfEveryRecord()
    {
        var problems = ActorNetSettings.Validate(With("actornet { node.id = 0, ops.port = 70000, logging.level = loud, adapters.kind = vde }"));
        problems.Select(p => p.Path).ShouldBe(["actornet.node.id", "actornet.adapters.kind", "actornet.logging.level", "actornet.ops.port"], ignoreOrder: true);
    }
}
