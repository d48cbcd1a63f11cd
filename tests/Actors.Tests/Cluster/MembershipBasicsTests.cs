using ActorNet.Actors.Cluster.Membership;
using static ActorNet.Actors.Tests.Cluster.ClusterTestData;

namespace ActorNet.Actors.Tests.Cluster;

using Address = ActorNet.Actors.Cluster.Membership.Address;

public class AddressTests
{
    [Theory]
    [InlineData("actornet://prod@10.0.0.1:2552", "prod", "10.0.0.1", 2552)]
    [InlineData("actornet://a-b_c@node-1.local:0", "a-b_c", "node-1.local", 0)]
    [InlineData("actornet://c@[::1]:65535", "c", "::1", 65535)]
    public void Parse_ValidText_RoundTrips(string text, string cluster, string host, int port)
    {
        var a = Address.Parse(text);
        a.ShouldBe(new Address(cluster, host, port));
        a.ToString().ShouldBe(text);
        Address.Parse(a.ToString()).ShouldBe(a);
    }

    [Theory]
    [InlineData("akka://prod@h:1")]
    [InlineData("actornet://@h:1")]
    [InlineData("actornet://prod@h")]
    [InlineData("actornet://prod@h:99999")]
    [InlineData("actornet://prod@h:-1")]
    [InlineData("actornet://pr od@h:1")]
    [InlineData("actornet://prod@:1")]
    [InlineData("actornet://prod@h/x:1")]
    [InlineData("")]
    public void Parse_InvalidText_ThrowsFormatExceptionNamingProblem(string text)
    {
        var ex = Should.Throw<FormatException>(() => Address.Parse(text));
        ex.Message.ShouldNotBeNullOrEmpty();
        Address.TryParse(text, out _, out string error).ShouldBeFalse();
        error.ShouldNotBeEmpty();
    }

    [Fact]
    public void Parse_HugeInput_RejectedWithoutAllocatingParts()
    {
        Address.TryParse("actornet://" + new string('a', 100_000) + "@h:1", out _, out var error).ShouldBeFalse();
        error.ShouldContain("too long");
    }

    [Fact]
    public void CompareTo_HostThenPort_LikeAkkaAddressOrdering()
    {
        // Akka's MemberOrderingSpec: address ordering by host, then port.
        var list = new[] { Addr("b", 1), Addr("a", 3), Addr("a", 2), Addr("c", 0) }.Order(Address.Ordering).ToList();
        list.ShouldBe([Addr("a", 2), Addr("a", 3), Addr("b", 1), Addr("c", 0)]);
    }

    [Fact]
    public void UniqueAddress_SameAddressDifferentUid_DifferentButOrderedByUid()
    {
        var a = Node("h", 1);
        var b = Node("h", 2);
        a.ShouldNotBe(b);
        a.CompareTo(b).ShouldBeLessThan(0);
    }
}

public class MemberTests
{
    [Theory]
    [InlineData(MemberStatus.Joining, MemberStatus.Up, true)]
    [InlineData(MemberStatus.Joining, MemberStatus.WeaklyUp, true)]
    [InlineData(MemberStatus.WeaklyUp, MemberStatus.Up, true)]
    [InlineData(MemberStatus.Up, MemberStatus.Leaving, true)]
    [InlineData(MemberStatus.Leaving, MemberStatus.Exiting, true)]
    [InlineData(MemberStatus.Exiting, MemberStatus.Removed, true)]
    [InlineData(MemberStatus.Exiting, MemberStatus.Down, true)]
    [InlineData(MemberStatus.Down, MemberStatus.Removed, true)]
    [InlineData(MemberStatus.Up, MemberStatus.Joining, false)]
    [InlineData(MemberStatus.Up, MemberStatus.WeaklyUp, false)]
    [InlineData(MemberStatus.Up, MemberStatus.Exiting, false)]
    [InlineData(MemberStatus.Leaving, MemberStatus.Up, false)]
    [InlineData(MemberStatus.Down, MemberStatus.Up, false)]
    [InlineData(MemberStatus.Down, MemberStatus.Exiting, false)]
    [InlineData(MemberStatus.Removed, MemberStatus.Up, false)]
    [InlineData(MemberStatus.Joining, MemberStatus.Exiting, false)]
    public void WithStatus_AkkaTransitionTable_AllowsOnlyListedMoves(MemberStatus from, MemberStatus to, bool allowed)
    {
        MemberStatusTransitions.IsAllowed(from, to).ShouldBe(allowed);
        var m = M("a", from);
        if (allowed)
        {
            m.WithStatus(to).Status.ShouldBe(to);
        }
        else
        {
            Should.Throw<InvalidOperationException>(() => m.WithStatus(to));
        }
    }

    [Fact]
    public void Equality_ByUniqueAddressOnly()
    {
        M("a", MemberStatus.Up).ShouldBe(M("a", MemberStatus.Leaving));
        M("a", MemberStatus.Up, uid: 1).ShouldNotBe(M("a", MemberStatus.Up, uid: 2));
    }

    [Fact]
    public void AgeOrdering_LowerUpNumberFirst_ThenAddress()
    {
        // Akka MemberOrderingSpec "order members by age".
        var m1 = M("c", MemberStatus.Up, 1);
        var m2 = M("a", MemberStatus.Up, 2);
        var m3 = M("b", MemberStatus.Up, 2);
        var joining = M("a0", MemberStatus.Joining);
        new[] { joining, m3, m2, m1 }.Order(Member.AgeOrdering).ShouldBe([m1, m2, m3, joining]);
        m1.IsOlderThan(m2).ShouldBeTrue();
        m2.IsOlderThan(m3).ShouldBeTrue();
    }

    [Fact]
    public void HighestPriorityOf_StatusPrecedence_LikeAkka()
    {
        Member.HighestPriorityOf(M("a", MemberStatus.Up), M("a", MemberStatus.Joining)).Status.ShouldBe(MemberStatus.Up);
        Member.HighestPriorityOf(M("a", MemberStatus.WeaklyUp), M("a", MemberStatus.Up)).Status.ShouldBe(MemberStatus.Up);
        Member.HighestPriorityOf(M("a", MemberStatus.Up), M("a", MemberStatus.Leaving)).Status.ShouldBe(MemberStatus.Leaving);
        Member.HighestPriorityOf(M("a", MemberStatus.Exiting), M("a", MemberStatus.Leaving)).Status.ShouldBe(MemberStatus.Exiting);
        Member.HighestPriorityOf(M("a", MemberStatus.Exiting), M("a", MemberStatus.Down)).Status.ShouldBe(MemberStatus.Down);
        Member.HighestPriorityOf(M("a", MemberStatus.Removed), M("a", MemberStatus.Down)).Status.ShouldBe(MemberStatus.Removed);
        Member.HighestPriorityOf(M("a", MemberStatus.Up, 5), M("a", MemberStatus.Up, 3)).UpNumber.ShouldBe(3);
    }
}

public class VectorClockTests
{
    [Fact]
    public void CompareTo_AkkaVectorClockSpecCases()
    {
        var c1 = VectorClock.Empty.Increment("1").Increment("2");
        var c2 = VectorClock.Empty.Increment("1").Increment("2");
        c1.CompareTo(c2).ShouldBe(VectorClockOrdering.Same);

        var c3 = c1.Increment("3");
        c3.CompareTo(c1).ShouldBe(VectorClockOrdering.After);
        c1.CompareTo(c3).ShouldBe(VectorClockOrdering.Before);

        var c4 = c1.Increment("4");
        c3.CompareTo(c4).ShouldBe(VectorClockOrdering.Concurrent);
        c4.CompareTo(c3).ShouldBe(VectorClockOrdering.Concurrent);

        VectorClock.Empty.CompareTo(VectorClock.Empty).ShouldBe(VectorClockOrdering.Same);
        VectorClock.Empty.Increment("a").CompareTo(VectorClock.Empty).ShouldBe(VectorClockOrdering.After);
    }

    [Fact]
    public void Merge_TakesEntryWiseMaximum_AndDominatesBoth()
    {
        var a = VectorClock.Empty.Increment("1").Increment("1").Increment("2");
        var b = VectorClock.Empty.Increment("2").Increment("2").Increment("3");
        var m = a.Merge(b);
        m.Versions["1"].ShouldBe(2);
        m.Versions["2"].ShouldBe(2);
        m.Versions["3"].ShouldBe(1);
        a.CompareTo(m).ShouldBe(VectorClockOrdering.Before);
        b.CompareTo(m).ShouldBe(VectorClockOrdering.Before);
    }

    [Fact]
    public void Prune_RemovesNodeEntry()
    {
        var a = VectorClock.Empty.Increment("1").Increment("2");
        var p = a.Prune("1");
        p.Versions.ContainsKey("1").ShouldBeFalse();
        p.Versions["2"].ShouldBe(1);
        a.Prune("x").ShouldBeSameAs(a);
    }
}
