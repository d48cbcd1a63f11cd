using System.Text.Json;

namespace ActorNet.Host.Tests.Commands;

public class ConfigCommandTests
{
    [Fact]
    public void Show_DefineOverNodeSection_ShowsOverrideWithOriginD()
    {
        var (code, stdout, stderr) = CliRunner.Run("config", "show", "--config", RepoPaths.ClusterConf, "--node", "3", "-D", "actornet.node.remoting.port=4999");
        stderr.ShouldBeEmpty();
        code.ShouldBe(0);
        var lines = stdout.Split('\n');
        lines.Single(l => l.StartsWith("actornet.node.remoting.port = ", StringComparison.Ordinal)).ShouldMatch(@"^actornet\.node\.remoting\.port = 4999\s+# -D$");
        lines.Single(l => l.StartsWith("actornet.node.name = ", StringComparison.Ordinal)).ShouldMatch(@"= ""charlie""\s+# .*cluster\.conf:\d+$");
        lines.Single(l => l.StartsWith("actornet.node.id = ", StringComparison.Ordinal)).ShouldMatch(@"= 3\s+# --node 3$");
        lines.Single(l => l.StartsWith("actornet.cluster.failure-detector.threshold = ", StringComparison.Ordinal)).ShouldMatch(@"# reference default \(reference\.conf:\d+\)$");
    }

    [Fact]
    public void Show_EnvironmentConvention_OverridesDefineWithOriginVariable()
    {
        var env = new Dictionary<string, string> { ["ACTORNET_NODE_REMOTING_PORT"] = "5000" };
        var (code, stdout, _) = CliRunner.Run(env, "config", "show", "--config", RepoPaths.ClusterConf, "--node", "3", "-D", "actornet.node.remoting.port=4999");
        code.ShouldBe(0);
        stdout.Split('\n').Single(l => l.StartsWith("actornet.node.remoting.port = ", StringComparison.Ordinal))
            .ShouldMatch(@"= 5000\s+# environment ACTORNET_NODE_REMOTING_PORT$");
    }

    [Fact]
    public void Show_Json_PrintsResolvedTreeWithDurationsAsStrings()
    {
        var (code, stdout, _) = CliRunner.Run("config", "show", "--config", RepoPaths.ClusterConf, "--node", "2", "--json");
        code.ShouldBe(0);
        using var doc = JsonDocument.Parse(stdout);
        var actornet = doc.RootElement.GetProperty("actornet");
        actornet.GetProperty("node").GetProperty("id").GetInt32().ShouldBe(2);
        actornet.GetProperty("node").GetProperty("name").GetString().ShouldBe("bravo");
        actornet.GetProperty("cluster").GetProperty("gossip-interval").GetString().ShouldBe("1s");
        actornet.GetProperty("cluster").GetProperty("failure-detector").GetProperty("threshold").GetDouble().ShouldBe(8.0);
        actornet.GetProperty("networks").GetProperty("local").GetProperty("notification-mode").GetString().ShouldBe("adaptive");
        actornet.GetProperty("cluster").GetProperty("secret").GetString().ShouldBe("<redacted: 32 characters>");
    }

    [Fact]
    public void Validate_SampleCluster_ExitsZero()
    {
        var (code, stdout, stderr) = CliRunner.Run("config", "validate", RepoPaths.ClusterConf);
        stderr.ShouldBeEmpty();
        code.ShouldBe(0);
        stdout.ShouldContain("valid (4 nodes: 1, 2, 3, 4)");
    }

    [Fact]
    public void Validate_InvalidFile_ExitsTwoAndListsEveryProblem()
    {
        using var dir = new TempDir();
        var file = dir.File("bad.conf", "actornet { node.id = 70000\n clustr.name = x }\n");
        var (code, _, stderr) = CliRunner.Run("config", "validate", file);
        code.ShouldBe(2);
        stderr.ShouldContain("actornet.node.id = 70000 is out of range");
        stderr.ShouldContain("did you mean actornet.cluster.name?");
        stderr.ShouldContain("bad.conf: 2 problems");
    }

    [Fact]
    public void Show_MalformedConfig_OneLineWithFileLineColumnAndExitTwo()
    {
        using var dir = new TempDir();
        var file = dir.File("broken.conf", "actornet {\n  node.id = 1\n  cluster { name = \"x\" \n");
        var (code, stdout, stderr) = CliRunner.Run("config", "show", "--config", file);
        code.ShouldBe(2);
        stdout.ShouldBeEmpty();
        stderr.TrimEnd('\n').Split('\n').Length.ShouldBe(1);
        stderr.ShouldMatch("^" + System.Text.RegularExpressions.Regex.Escape(file) + @":\d+:\d+: ");
        stderr.ShouldNotContain(" at ActorNet");
    }

    [Fact]
    public void Show_UnknownNode_ExitsTwo()
    {
        var (code, _, stderr) = CliRunner.Run("config", "show", "--config", RepoPaths.ClusterConf, "--node", "9");
        code.ShouldBe(2);
        stderr.ShouldContain("defined nodes: 1, 2, 3, 4");
    }
}

public class ConfigCommandRobustnessTests
{
    [Fact]
    public void Show_TruncatedClusterFile_ValidOrOneLineErrorWithExitTwo()
    {
        var text = File.ReadAllText(RepoPaths.ClusterConf);
        using var dir = new TempDir();
        var file = Path.Combine(dir.Path, "truncated.conf");
        for (var length = 0; length < text.Length; length += 5)
        {
            File.WriteAllText(file, text[..length]);
            var (code, _, stderr) = CliRunner.Run("config", "show", "--config", file, "--node", "3");
            if (code == 0)
            {
                continue;
            }

            code.ShouldBe(2, $"truncated at {length}: {stderr}");
            stderr.TrimEnd('\n').Split('\n').Length.ShouldBe(1, $"truncated at {length}: {stderr}");
            stderr.ShouldNotContain("   at ", Case.Sensitive, $"truncated at {length}");
        }
    }
}
