using ActorNet.Host.Commands;

namespace ActorNet.Host.Tests.Commands;

public class ActorNetCliTests
{
    [Fact]
    public void NotAvailable_Report_SaysSoOnStderrAndExitsThree()
    {
        // Every verb has landed; the helper stays for verbs added before their implementation.
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = NotAvailable.Report(new CliContext(stdout, stderr, new Dictionary<string, string>()), "frobnicate", "issue 99");
        code.ShouldBe(3);
        stdout.ToString().ShouldBeEmpty();
        stderr.ToString().ShouldStartWith("actornet frobnicate is not available yet: it arrives with issue 99.");
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
