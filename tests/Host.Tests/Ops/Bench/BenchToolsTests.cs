using ActorNet.Host.Ops.Bench;

namespace ActorNet.Host.Tests.Ops.Bench;

public class BenchToolsTests
{
    [Fact]
    public void Required_NamesTheDebianPackagesToInstall()
    {
        BenchTools.Required.ShouldContain(("iperf3", "iperf3"));
        BenchTools.Required.ShouldContain(("vde_switch", "vde2"));
        BenchTools.Required.ShouldContain(("ethtool", "ethtool"));
    }

    [Fact]
    public void Resolve_ExistingAndMissingCommands()
    {
        BenchTools.Resolve("sh").ShouldNotBeNull();
        BenchTools.Resolve("no-such-program-anywhere-" + Guid.NewGuid().ToString("N")).ShouldBeNull();
    }

    [Fact]
    public void EnsureDepsScript_InstallsWhatTheBenchmarkNeeds()
    {
        var script = File.ReadAllText(Path.Combine(RepoPaths.Root, "scripts", "ensure-deps.sh"));
        foreach (var (command, package) in BenchTools.Required.Where(r => r.Command != "vde_plug2tap"))
        {
            script.ShouldContain($"\"{command}:{package}\"");
        }
    }
}
