using ActorNet.Host.Configuration;
using FsCheck;
using FsCheck.Fluent;

namespace ActorNet.Host.Tests.Configuration;

public class EnvironmentConventionTests
{
    [Theory]
    [InlineData("ACTORNET_NODE_REMOTING_PORT", "actornet.node.remoting.port")]
    [InlineData("ACTORNET_CLUSTER_FAILURE__DETECTOR_THRESHOLD", "actornet.cluster.failure-detector.threshold")]
    [InlineData("ACTORNET_CLUSTER_SECRET", "actornet.cluster.secret")]
    public void ToPath_DocumentedExamples_MapAsDocumented(string variable, string path)
    {
        EnvironmentConvention.ToPath(variable).ShouldBe(path);
        EnvironmentConvention.ToVariable(path).ShouldBe(variable);
    }

    [Theory]
    [InlineData("PATH")]
    [InlineData("ACTORNET_")]
    [InlineData("actornet_node_id")]
    public void ToPath_NotTheConvention_ReturnsNull(string variable) => EnvironmentConvention.ToPath(variable).ShouldBeNull();

    [Fact]
    public void ToVariable_AnyKebabCasePath_RoundTrips()
    {
        var segment = Gen.Elements("node", "remoting", "port", "failure-detector", "same-host", "a", "x1", "multicast-rings");
        var paths = Gen.NonEmptyListOf(segment).Select(s => "actornet." + string.Join(".", s));
        Prop.ForAll(paths.ToArbitrary(), path => EnvironmentConvention.ToPath(EnvironmentConvention.ToVariable(path)) == path)
            .QuickCheckThrowOnFailure();
    }
}
