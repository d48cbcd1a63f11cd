using ActorNet.Host.Platform;

namespace ActorNet.Host.Tests.Platform;

/// <summary>What a user who is not root is told: run as root, and each reason an unprivileged user namespace cannot stand in for it, with its fix.</summary>
public sealed class NotRootMessageTests
{
    [Fact]
    public void TunOwnerOnly_SaysTheTapCannotBeOpenedAndHowToAllowIt()
    {
        var text = NetworkNamespace.NotRootMessage(new UserNamespaceFacts(96365, null, null, TunReadWrite: false, TunMode: "crw-------"));

        text.ShouldStartWith("Creating network namespaces needs root: run as root (sudo)");
        text.ShouldContain("/dev/net/tun is crw-------");
        text.ShouldContain("chmod 0666 /dev/net/tun");
        text.ShouldNotContain("max_user_namespaces");
    }

    [Fact]
    public void KernelRefusesUserNamespaces_NamesEverySysctlThatDoes()
    {
        var text = NetworkNamespace.NotRootMessage(new UserNamespaceFacts(0, 0, 1, TunReadWrite: true, TunMode: "crw-rw-rw-"));

        text.ShouldContain("user.max_user_namespaces = 0");
        text.ShouldContain("kernel.unprivileged_userns_clone = 0");
        text.ShouldContain("kernel.apparmor_restrict_unprivileged_userns = 1");
        text.ShouldNotContain("/dev/net/tun");
    }

    [Fact]
    public void NothingBlocks_SaysRunningInsideAUserNamespaceIsNotBuilt()
    {
        var text = NetworkNamespace.NotRootMessage(new UserNamespaceFacts(96365, 1, 0, TunReadWrite: true, TunMode: "crw-rw-rw-"));

        text.ShouldContain("does not run its cluster inside one (not built)");
    }

    [Fact]
    public void TunMissing_SaysSo()
    {
        NetworkNamespace.NotRootMessage(new UserNamespaceFacts(null, null, null, TunReadWrite: false, TunMode: null)).ShouldContain("/dev/net/tun is missing");
    }
}
