using ActorNet.Actors.Cluster.Remoting;
using static ActorNet.Actors.Tests.Cluster.ClusterTestData;

namespace ActorNet.Actors.Tests.Cluster;

public class AssociationRegistryTests
{
    [Fact]
    public void OnHandshake_RestartedPeer_OldIncarnationQuarantinedAndRefusedForever()
    {
        var r = new AssociationRegistry();
        var (r1, d1, _) = r.OnHandshake(Node("b", 1));
        d1.ShouldBe(AssociationDecision.New);
        r1.OnHandshake(Node("b", 1)).Decision.ShouldBe(AssociationDecision.SameIncarnation);

        var (r2, d2, quarantined) = r1.OnHandshake(Node("b", 2));
        d2.ShouldBe(AssociationDecision.IncarnationChanged);
        quarantined.ShouldBe(Node("b", 1));
        r2.Current[Addr("b")].ShouldBe(2);
        r2.OnHandshake(Node("b", 1)).Decision.ShouldBe(AssociationDecision.Refused);
        r2.OnHandshake(Node("b", 2)).Decision.ShouldBe(AssociationDecision.SameIncarnation);
    }

    [Fact]
    public void Quarantine_RemovedMember_RefusedAndForgottenAsCurrent()
    {
        var r = new AssociationRegistry().OnHandshake(Node("c", 7)).Registry.Quarantine(Node("c", 7));
        r.Current.ContainsKey(Addr("c")).ShouldBeFalse();
        r.OnHandshake(Node("c", 7)).Decision.ShouldBe(AssociationDecision.Refused);
        r.OnHandshake(Node("c", 8)).Decision.ShouldBe(AssociationDecision.New);
    }

    [Fact]
    public void Quarantine_Bounded_OldestForgotten()
    {
        var r = new AssociationRegistry();
        for (int i = 0; i <= AssociationRegistry.MaxQuarantined; i++)
        {
            r = r.Quarantine(Node("q", i));
        }

        r.Quarantined.Count.ShouldBe(AssociationRegistry.MaxQuarantined);
        r.Quarantined.Contains(Node("q", 0)).ShouldBeFalse();
        r.Quarantined.Contains(Node("q", AssociationRegistry.MaxQuarantined)).ShouldBeTrue();
    }

    [Fact]
    public void ReconnectBackoff_GrowsExponentiallyWithinBounds()
    {
        var b = new ReconnectBackoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(5));
        var rnd = new Random(1);
        for (int attempt = 0; attempt < 40; attempt++)
        {
            var d = b.Delay(attempt, rnd);
            d.ShouldBeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(100));
            d.ShouldBeLessThanOrEqualTo(TimeSpan.FromMilliseconds(Math.Min(5000, 100 * Math.Pow(2, attempt))));
        }

        Should.Throw<InvalidOperationException>(() => new ReconnectBackoff(TimeSpan.Zero, TimeSpan.FromSeconds(1)).Delay(0, rnd));
    }
}
