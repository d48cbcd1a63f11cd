namespace ActorNet.Host.Tests.Commands;

public class ActorNetCliTests
{
    [Theory]
    [InlineData("status", "the cluster issue")]
    [InlineData("inject", "the cluster issue")]
    [InlineData("bench", "the cluster issue", "cluster")]
    public void Run_VerbNotLanded_SaysSoOnStderrAndExitsThree(string verb, string arrivesWith, string? extra = null)
    {
        var args = extra is null ? new[] { verb } : new[] { verb, extra };
        var (code, stdout, stderr) = CliRunner.Run(args);
        code.ShouldBe(3);
        stdout.ShouldBeEmpty();
        stderr.ShouldStartWith($"actornet {string.Join(' ', args.Where(a => a != "3"))} is not available yet: it arrives with {arrivesWith}");
    }

    [Fact]
    public void Run_UnknownOption_ExitsTwoWithUsage()
    {
        var (code, _, stderr) = CliRunner.Run("config", "show", "--bogus");
        code.ShouldBe(2);
        stderr.ShouldContain("--bogus");
        stderr.ShouldContain("Usage:");
    }

    [Fact]
    public void Run_VerbMissing_ExitsTwoWithUsage()
    {
        var (code, _, stderr) = CliRunner.Run("config");
        code.ShouldBe(2);
        stderr.ShouldContain("Usage:");
    }

    [Fact]
    public void Run_Help_DocumentsEnvironmentConvention()
    {
        var (code, stdout, _) = CliRunner.Run("config", "show", "--help");
        code.ShouldBe(0);
        stdout.ShouldContain("ACTORNET_NODE_REMOTING_PORT=4999");
        stdout.ShouldContain("\"200ms\"");
    }
}

public class ActorNetCliUsageTests
{
    [Fact]
    public void Run_NoArguments_ExitsTwoWithUsage()
    {
        var (code, stdout, stderr) = CliRunner.Run();
        code.ShouldBe(2);
        stdout.ShouldBeEmpty();
        stderr.ShouldContain("Usage:");
    }

    [Fact]
    public void Run_NodeNotANumber_ExitsTwo()
    {
        var (code, _, stderr) = CliRunner.Run("config", "show", "--node", "three");
        code.ShouldBe(2);
        stderr.ShouldContain("three");
    }

    [Fact]
    public void Run_ConfigShowWithoutFile_ShowsReferenceDefaults()
    {
        var (code, stdout, stderr) = CliRunner.Run("config", "show");
        code.ShouldBe(0);
        stderr.ShouldBeEmpty();
        stdout.Split('\n').Single(l => l.StartsWith("actornet.node.id = ", StringComparison.Ordinal)).ShouldMatch(@"= 0\s+# reference default \(reference\.conf:\d+\)$");
    }

    [Fact]
    public void Run_NodeWithoutSections_ExitsTwoAndSaysWhy()
    {
        var (code, _, stderr) = CliRunner.Run("config", "show", "--node", "3");
        code.ShouldBe(2);
        stderr.ShouldContain("has no node sections");
    }
}
