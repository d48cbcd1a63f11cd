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

    [Fact]
    public void MissingMessage_SaysWhichPackagesToInstallOnce()
    {
        var message = BenchTools.MissingMessage([("iperf3", "iperf3"), ("vde_switch", "vde2"), ("vde_plug2tap", "vde2"), ("ethtool", "ethtool")]);
        message.ShouldContain("iperf3 (Debian package iperf3), vde_switch (Debian package vde2)");
        message.ShouldEndWith("Install them with: apt-get install iperf3 vde2 ethtool");
    }

    [Fact]
    public void Problem_EverythingInstalledAsRoot_IsNull()
    {
        // This machine runs the tests as root with scripts/ensure-deps.sh applied.
        BenchTools.Problem().ShouldBeNull();
    }
}
