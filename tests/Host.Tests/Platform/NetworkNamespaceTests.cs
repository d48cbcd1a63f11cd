using ActorNet.Host.Platform;

namespace ActorNet.Host.Tests.Platform;

/// <summary>Namespace helper against the real kernel (root on CI; elsewhere these fail saying what is missing).</summary>
[Collection("platform-network-namespaces")]
public sealed class NetworkNamespaceTests
{
    private static string Unique(string tag) => $"antest-{Environment.ProcessId}-{tag}";

    [Fact]
    public async Task Create_NewName_IsListedByIproute2AndDeleteRemovesIt()
    {
        string name = Unique("a");
        NetworkNamespace.EnsurePrerequisites(needTun: false);
        try
        {
            var ns = NetworkNamespace.Create(name);

            NetworkNamespace.Exists(name).ShouldBeTrue();
            NetworkNamespace.List($"antest-{Environment.ProcessId}-").ShouldContain(name);
            var ipList = await new ProcessRunner().RunAsync("ip", "netns", "list");
            ipList.ShouldContain(name);
            var links = await ns.ExecAsync(TimeSpan.FromSeconds(10), "ip", "-o", "link");
            links.ExitCode.ShouldBe(0, links.StandardError);
            links.StandardOutput.ShouldContain("lo:");
            links.StandardOutput.ShouldNotContain("eth0");
        }
        finally
        {
            NetworkNamespace.Delete(name);
        }

        NetworkNamespace.Exists(name).ShouldBeFalse();
        (await new ProcessRunner().RunAsync("ip", "netns", "list")).ShouldNotContain(name);
    }

    [Fact]
    public void Run_OnNamespace_ExecutesInsideItAndLeavesCallerOutside()
    {
        string name = Unique("b");
        NetworkNamespace.EnsurePrerequisites(needTun: false);
        try
        {
            var ns = NetworkNamespace.Create(name);
            string outside = NamespaceId();

            string inside = ns.Run(NamespaceId);

            inside.ShouldNotBe(outside);
            ns.Run(NamespaceId).ShouldBe(inside);
            NamespaceId().ShouldBe(outside);
            Should.Throw<InvalidOperationException>(() => ns.Run<int>(() => throw new InvalidOperationException("boom"))).Message.ShouldBe("boom");
        }
        finally
        {
            NetworkNamespace.Delete(name);
        }
    }

    [Fact]
    public void Create_ExistingName_ThrowsSayingHowToFix()
    {
        string name = Unique("c");
        NetworkNamespace.EnsurePrerequisites(needTun: false);
        try
        {
            NetworkNamespace.Create(name);
            Should.Throw<PlatformPrerequisiteException>(() => NetworkNamespace.Create(name)).Message.ShouldContain("already exists");
        }
        finally
        {
            NetworkNamespace.Delete(name);
        }
    }

    [Fact]
    public void DeleteByPrefix_Leftovers_RemovesOnlyMatchingOnes()
    {
        string prefix = Unique("d-");
        string other = Unique("e");
        NetworkNamespace.EnsurePrerequisites(needTun: false);
        try
        {
            NetworkNamespace.Create(prefix + "1");
            NetworkNamespace.Create(prefix + "2");
            NetworkNamespace.Create(other);

            NetworkNamespace.DeleteByPrefix(prefix).ShouldBe(2);

            NetworkNamespace.List(prefix).ShouldBeEmpty();
            NetworkNamespace.Exists(other).ShouldBeTrue();
        }
        finally
        {
            NetworkNamespace.DeleteByPrefix(prefix);
            NetworkNamespace.Delete(other);
        }
    }

    [Fact]
    public void Delete_Missing_IsANoOpAndOpenMissingThrows()
    {
        NetworkNamespace.Delete(Unique("never"));
        Should.Throw<PlatformPrerequisiteException>(() => NetworkNamespace.Open(Unique("never"))).Message.ShouldContain("does not exist");
        Should.Throw<ArgumentException>(() => NetworkNamespace.DeleteByPrefix(string.Empty));
    }

    [Theory]
    [InlineData("")]
    [InlineData("..")]
    [InlineData("a/b")]
    [InlineData("has space")]
    public void Create_InvalidName_Throws(string name)
    {
        Should.Throw<ArgumentException>(() => NetworkNamespace.Create(name));
    }

    private static string NamespaceId() => new FileInfo("/proc/thread-self/ns/net").LinkTarget ?? "?";

    private sealed class ProcessRunner
    {
        public async Task<string> RunAsync(string program, params string[] args)
        {
            var info = new System.Diagnostics.ProcessStartInfo(program) { RedirectStandardOutput = true, UseShellExecute = false };
            foreach (var a in args)
            {
                info.ArgumentList.Add(a);
            }

            using var p = System.Diagnostics.Process.Start(info)!;
            string output = await p.StandardOutput.ReadToEndAsync();
            await p.WaitForExitAsync();
            return output;
        }
    }
}
