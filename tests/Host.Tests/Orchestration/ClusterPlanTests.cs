using System.Net;
using ActorNet.Host.Configuration;
using ActorNet.Host.Network;
using ActorNet.Host.Orchestration;

namespace ActorNet.Host.Tests.Orchestration;

public class ClusterPlanTests
{
    private static ClusterPlan PlanOf(string? file, int? nodes, params string[] defines)
    {
        var loaded = ConfigLoader.Load(new ConfigLoadOptions(file, null, defines));
        return ClusterPlan.FromConfig(loaded.Config, file, defines, nodes);
    }

    [Fact]
    public void FromConfig_ClusterFile_OneNodePerSectionWithItsAddressAndName()
    {
        var plan = PlanOf(RepoPaths.ClusterConf, null);

        plan.Nodes.Select(n => n.Id).ShouldBe([1, 2, 3, 4]);
        plan.Nodes[1].Name.ShouldBe("bravo");
        plan.Nodes[1].DataAddress.ShouldBe(IPAddress.Parse("10.200.0.2"));
        plan.Nodes[1].ManagementAddress.ShouldBe(IPAddress.Parse("10.213.0.3"));
        plan.BridgeAddress.ShouldBe(IPAddress.Parse("10.213.0.1"));
        plan.Nodes.ShouldAllBe(n => n.HasSection);
    }

    [Fact]
    public void FromConfig_NoFileNoCount_ThreeNodesWithSubnetAddresses()
    {
        var plan = PlanOf(null, null);

        plan.Nodes.Select(n => n.Id).ShouldBe([1, 2, 3]);
        plan.Nodes.Select(n => n.DataAddress.ToString()).ShouldBe(["10.200.0.1", "10.200.0.2", "10.200.0.3"]);
    }

    [Fact]
    public void FromConfig_MoreNodesThanSections_ExtraNodesDeriveAddressFromSubnet()
    {
        var plan = PlanOf(RepoPaths.ClusterConf, 6);

        plan.Nodes.Select(n => n.Id).ShouldBe([1, 2, 3, 4, 5, 6]);
        plan.Node(6).HasSection.ShouldBeFalse();
        plan.Node(6).Name.ShouldBe("node-6");
        plan.Node(6).DataAddress.ShouldBe(IPAddress.Parse("10.200.0.6"));
    }

    [Fact]
    public void FromConfig_Names_FitInterfaceLimitsAndDifferPerCluster()
    {
        var a = PlanOf(RepoPaths.ClusterConf, 254, "actornet.orchestration.management-subnet=\"10.213.0.0/16\"");
        var b = PlanOf(RepoPaths.ClusterConf, 2, "actornet.cluster.name=other");

        a.Nodes.ShouldAllBe(n => n.HostVeth.Length <= 15 && n.Namespace.Length <= 15);
        a.Bridge.Length.ShouldBeLessThanOrEqualTo(15);
        a.Prefix.ShouldNotBe(b.Prefix);
    }

    [Theory]
    [InlineData("actornet.orchestration.management-subnet=\"10.213.0.0/30\"", "management-subnet")]
    [InlineData("actornet.orchestration.management-subnet=\"fe80::/64\"", "management-subnet")]
    [InlineData("actornet.orchestration.nodes=300", "out of range")]
    public void FromConfig_ImpossibleValue_FailsNamingTheKey(string define, string expected)
    {
        Should.Throw<ArgumentException>(() => PlanOf(RepoPaths.ClusterConf, null, define)).Message.ShouldContain(expected);
    }

    [Fact]
    public void MulticastMac_Group_MapsLow23BitsUnder01005e()
    {
        LocalNetworkOptions.MulticastMac(IPAddress.Parse("239.129.1.2")).ToString().ShouldBe("01:00:5e:01:01:02");
    }

    [Fact]
    public void RenderPlain_StatusAndMissingNode_ShowsUpDownAndRings()
    {
        var plan = PlanOf(RepoPaths.ClusterConf, 2);
        var link = new LinkStatusRow(2, "up", 7, 10, 1000, 0, 0, 12, 1200, 0, 0);
        var status = new NodeNetworkStatus(1, "alpha", 42, 9, "10.200.0.1", "shm0", DateTime.UtcNow, DateTime.UtcNow, [link], new CastStatusRow(1, 60, 0), new AdapterStatusRow(0, 0, 0, 0, 0, 0, 0, 0), new ForwardingStatusRow(0, 0, 0, 0, 0, 0, 0, 0));

        var text = ClusterView.RenderPlain(plan, new Dictionary<int, NodeNetworkStatus?> { [1] = status, [2] = null });

        text.ShouldContain("node 1 alpha up 10.200.0.1 rings: ->2:up/10f");
        text.ShouldContain("node 2 bravo down");
    }
}
