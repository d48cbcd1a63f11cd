using ActorNet.Host.Configuration;

namespace ActorNet.Host.Tests.Configuration;

public class ConfigValidatorTests
{
    [Fact]
    public void Validate_SampleCluster_IsValidWithFourNodes()
    {
        var report = ConfigValidator.Validate(RepoPaths.ClusterConf);
        report.Problems.ShouldBeEmpty();
        report.NodeIds.ShouldBe([1, 2, 3, 4]);
    }

    [Fact]
    public void Validate_ManyMistakes_ReportsEveryOne()
    {
        using var dir = new TempDir();
        var file = dir.File("bad.conf", """
            actornet {
              cluster.failure-detector.treshold = 5
              networks.local.mtu = 100
              nodes {
                1 { node.remoting.port = 4701, node.nmae = "a" }
                2 { node.remoting.port = 4701 }
                x { }
                3 { node.id = 4 }
              }
            }
            """);
        var report = ConfigValidator.Validate(file);
        var all = string.Join("\n", report.Problems);
        report.IsValid.ShouldBeFalse();
        all.ShouldContain($"{file}:2: actornet.cluster.failure-detector.treshold is not an ActorNet key: did you mean actornet.cluster.failure-detector.threshold?");
        all.ShouldContain("actornet.nodes.1.node.nmae is not an ActorNet key: did you mean actornet.nodes.1.node.name?");
        all.ShouldContain("actornet.nodes.x: node section keys are node ids 1..65534");
        all.ShouldContain("actornet.nodes.3.node.id = 4 contradicts the section's node id 3");
        all.ShouldContain($"{file}:3: actornet.networks.local.mtu = 100 is out of range");
        all.ShouldContain("nodes 1 and 2 share the remoting endpoint 127.0.0.1:4701");
        report.Problems.Count(p => p.Contains("mtu", StringComparison.Ordinal)).ShouldBe(1); // shared by all nodes: reported once
    }

    [Fact]
    public void Validate_ObjectReplacedByScalar_ReportsWrongType()
    {
        using var dir = new TempDir();
        var file = dir.File("t.conf", "actornet.node.id = 1\nactornet.cluster.failure-detector = 5\n");
        var report = ConfigValidator.Validate(file);
        report.Problems.ShouldHaveSingleItem().ShouldBe($"{file}:2: actornet.cluster.failure-detector has the wrong type: it is a section (object) in the reference configuration, not a number; write actornet.cluster.failure-detector {{ ... }}");
    }

    [Fact]
    public void Validate_SyntaxError_ReportsFileLineColumn()
    {
        using var dir = new TempDir();
        var file = dir.File("broken.conf", "actornet {\n  node.id = 1\n  cluster = { name = \n");
        var report = ConfigValidator.Validate(file);
        report.Problems.Single().ShouldStartWith(file + ":");
        report.Problems.Single().ShouldMatch(@":\d+:\d+: ");
    }
}
