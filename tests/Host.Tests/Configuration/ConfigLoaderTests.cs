using ActorNet.Host.Configuration;

namespace ActorNet.Host.Tests.Configuration;

public class ConfigLoaderTests
{
    private static ConfigLeaf Leaf(LoadedConfiguration loaded, string path) => loaded.Leaves().Single(l => l.Path == path);

    [Fact]
    public void Load_EveryLayer_HigherLayerWinsAndOriginIsKept()
    {
        using var dir = new TempDir();
        var file = dir.File("c.conf", """
            actornet {
              cluster.name = "layers"
              node.name = "from-file"
              ops.port = 4900
              nodes {
                5 {
                  node.name = "from-section"
                  ops.port = 4905
                }
              }
            }
            """);
        var env = new Dictionary<string, string> { ["ACTORNET_OPS_PORT"] = "4999", ["ACTORNET_NODE_REMOTING_PORT"] = "4555", ["HOME"] = "/root" };
        var loaded = ConfigLoader.Load(new ConfigLoadOptions(file, 5, ["actornet.ops.port=4950", "actornet.node.remoting.port=4444", "actornet.logging.level=debug"], env));

        Leaf(loaded, "actornet.cluster.name").ShouldBe(new ConfigLeaf("actornet.cluster.name", "\"layers\"", file + ":2"));
        Leaf(loaded, "actornet.node.name").ShouldBe(new ConfigLeaf("actornet.node.name", "\"from-section\"", file + ":7"));
        Leaf(loaded, "actornet.node.id").ShouldBe(new ConfigLeaf("actornet.node.id", "5", "--node 5"));
        Leaf(loaded, "actornet.logging.level").ShouldBe(new ConfigLeaf("actornet.logging.level", "\"debug\"", "-D"));
        Leaf(loaded, "actornet.ops.port").ShouldBe(new ConfigLeaf("actornet.ops.port", "4999", "environment ACTORNET_OPS_PORT"));
        Leaf(loaded, "actornet.node.remoting.port").ShouldBe(new ConfigLeaf("actornet.node.remoting.port", "4555", "environment ACTORNET_NODE_REMOTING_PORT"));
        Leaf(loaded, "actornet.node.remoting.hostname").Origin.ShouldStartWith("reference default (reference.conf:");
        loaded.Config.GetInt("actornet.ops.port").ShouldBe(4999);
    }

    [Fact]
    public void Load_LaterDefine_WinsOverEarlierDefine()
    {
        var loaded = ConfigLoader.Load(new ConfigLoadOptions(Overrides: ["actornet.node.id=1", "actornet.node.id=2"]));
        loaded.Config.GetInt("actornet.node.id").ShouldBe(2);
    }

    [Fact]
    public void Load_DefineValues_KeepHoconTypesAndQuoteOtherText()
    {
        var loaded = ConfigLoader.Load(new ConfigLoadOptions(Overrides: ["actornet.cluster.seed-nodes=[\"10.0.0.1:1\", \"10.0.0.2:2\"]", "actornet.networks.local.address=10.200.0.9", "actornet.cluster.gossip-interval=200ms"]));
        loaded.Config.GetStringList("actornet.cluster.seed-nodes").ShouldBe(["10.0.0.1:1", "10.0.0.2:2"]);
        loaded.Config.GetString("actornet.networks.local.address").ShouldBe("10.200.0.9");
        loaded.Config.GetTimeSpan("actornet.cluster.gossip-interval").ShouldBe(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void Load_SubstitutionInFile_SeesHigherLayers()
    {
        using var dir = new TempDir();
        var file = dir.File("s.conf", "actornet.node.name = \"n-\"${actornet.node.remoting.port}");
        var loaded = ConfigLoader.Load(new ConfigLoadOptions(file, null, ["actornet.node.remoting.port=4321"]));
        loaded.Config.GetString("actornet.node.name").ShouldBe("n-4321");
    }

    [Fact]
    public void Load_EnvironmentVariableNamingNoKey_IsNotApplied()
    {
        var loaded = ConfigLoader.Load(new ConfigLoadOptions(Environment: new Dictionary<string, string> { ["ACTORNET_NODE"] = "oops" }));
        loaded.Config.GetInt("actornet.node.id").ShouldBe(0);
        loaded.IgnoredEnvironment.Single().ShouldStartWith("ACTORNET_NODE");
    }

    [Fact]
    public void Load_MissingNodeSection_ListsTheDefinedNodes()
    {
        var ex = Should.Throw<ConfigLoadException>(() => ConfigLoader.Load(new ConfigLoadOptions(RepoPaths.ClusterConf, 7)));
        ex.Message.ShouldEndWith("has no section actornet.nodes.7; defined nodes: 1, 2, 3, 4");
    }

    [Fact]
    public void Load_MalformedDefine_IsRejected()
    {
        Should.Throw<ConfigLoadException>(() => ConfigLoader.Load(new ConfigLoadOptions(Overrides: ["actornet.node.id"]))).Message.ShouldContain("expected -D key=value");
    }

    [Fact]
    public void Load_SampleClusterEveryNode_BuildsValidDistinctSettings()
    {
        var seen = new HashSet<int>();
        for (var node = 1; node <= 4; node++)
        {
            var settings = ActorNetSettings.FromConfig(ConfigLoader.Load(new ConfigLoadOptions(RepoPaths.ClusterConf, node)).Config);
            settings.Node.Id.ShouldBe(node);
            settings.Networks.Local.Address!.ToString().ShouldBe($"10.200.0.{node}");
            seen.Add(settings.Node.Remoting.Port).ShouldBeTrue();
            settings.Cluster.Name.ShouldBe("demo");
        }
    }

    [Fact]
    public void ToJson_Secret_IsRedacted()
    {
        var loaded = ConfigLoader.Load(new ConfigLoadOptions(RepoPaths.ClusterConf, 1));
        loaded.ToJson(false).ShouldNotContain("demo-secret");
        loaded.Leaves().Single(l => l.Path == "actornet.cluster.secret").Value.ShouldBe("\"<redacted: 32 characters>\"");
    }
}
