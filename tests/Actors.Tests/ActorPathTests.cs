using FsCheck;
using FsCheck.Fluent;

namespace ActorNet.Actors.Tests;

public class ActorPathTests
{
    private static readonly Address s_address = new("akka", "sys");

    [Fact]
    public void ToString_NestedPath_RendersLikeAkka()
    {
        var path = ActorPath.Root(s_address) / "user" / "a" / "b";
        path.ToString().ShouldBe("akka://sys/user/a/b");
        path.Name.ShouldBe("b");
        path.Depth.ShouldBe(3);
        path.Elements.ShouldBe(["user", "a", "b"]);
    }

    [Fact]
    public void Equals_SameElements_EqualAndSameHash()
    {
        var a = ActorPath.Root(s_address) / "user" / "x";
        var b = ActorPath.Root(new Address("akka", "sys")) / "user" / "x";
        (a == b).ShouldBeTrue();
        a.GetHashCode().ShouldBe(b.GetHashCode());
        (a == ActorPath.Root(s_address) / "user" / "y").ShouldBeFalse();
    }

    [Theory]
    [InlineData("")]
    [InlineData("a/b")]
    [InlineData("a b")]
    [InlineData("a#1")]
    public void Child_IllegalName_Throws(string name) =>
        Should.Throw<InvalidActorNameException>(() => ActorPath.Root(s_address).Child(name));

    [Fact]
    public void Address_Remote_RendersHostAndPort() =>
        new Address("akka.tcp", "sys", "10.0.0.1", 2552).ToString().ShouldBe("akka.tcp://sys@10.0.0.1:2552");

    [Fact]
    public void Child_AnyLegalName_RoundTripsThroughElements() =>
        Prop.ForAll(
            Gen.Elements("abcdefghijklmnopqrstuvwxyz0123456789-_$".ToCharArray()).NonEmptyListOf().Select(cs => new string([.. cs])).ToArbitrary(),
            name =>
            {
                var path = ActorPath.Root(s_address) / "user" / name;
                return path.Name == name && path.Elements[^1] == name && path.Parent!.ToString() == "akka://sys/user";
            }).QuickCheckThrowOnFailure();
}
