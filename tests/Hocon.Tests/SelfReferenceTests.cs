namespace ActorNet.Hocon.Tests;

/// <summary>Self-referential substitutions: a reference to the field being set looks at the field's earlier value.</summary>
public class SelfReferenceTests
{
    [Theory]
    [InlineData("a=1, a=${a}", "{\"a\":1}")]
    [InlineData("a=${?a}", "{}")]
    [InlineData("a.b=1, a.b=${a.b}", "{\"a\":{\"b\":1}}")]
    [InlineData("a.b.c=1, a.b.c=${a.b.c}", "{\"a\":{\"b\":{\"c\":1}}}")]
    [InlineData("foo : { a : { c : 1 } }\nfoo : ${foo.a}\nfoo : { a : 2 }", "{\"foo\":{\"a\":2,\"c\":1}}")]
    [InlineData("a={b=5}, a=${a}", "{\"a\":{\"b\":5}}")]
    [InlineData("a=1, a=${a}foo", "{\"a\":\"1foo\"}")]
    [InlineData("a=${?a}foo", "{\"a\":\"foo\"}")]
    [InlineData("a=${?a}foo${?a}", "{\"a\":\"foo\"}")]
    [InlineData("a=1,a=${?a}foo${?a}", "{\"a\":\"1foo1\"}")]
    [InlineData("a=1, a=${a}, a=2", "{\"a\":2}")]
    [InlineData("a={b=5}, a=${a}, a={c=6}", "{\"a\":{\"b\":5,\"c\":6}}")]
    [InlineData("a=${a}, a=1, a=2", "{\"a\":2}")]
    [InlineData("a=1, a=2, a=${a}", "{\"a\":2}")]
    [InlineData("a={b={c=5}}, a=${a.b}, a={b=2}", "{\"a\":{\"b\":2,\"c\":5}}")]
    [InlineData("a={b={c=5}}, a={ x : ${a.b} }, a={b=2}", "{\"a\":{\"b\":2,\"x\":2}}")]
    [InlineData("bar : { foo : 42, baz : ${bar.foo} }\nbar : { foo : 43 }", "{\"bar\":{\"foo\":43,\"baz\":43}}")]
    [InlineData("bar : 101\nbar : { foo : 42, baz : ${bar.foo} }", "{\"bar\":{\"foo\":42,\"baz\":42}}")]
    [InlineData("bar : { a : ${foo.d}, b : 1 }\nbar.b = 3\nfoo : { c : ${bar.b}, d : 2 }\nfoo.d = 4", "{\"bar\":{\"a\":4,\"b\":3},\"foo\":{\"c\":3,\"d\":4}}")]
    [InlineData("a=1,a=${a}x,a=${a}y,a=${a}z", "{\"a\":\"1xyz\"}")]
    [InlineData("a = [1], a += 2, a += 3", "{\"a\":[1,2,3]}")]
    [InlineData("a += 1", "{\"a\":[1]}")]
    [InlineData("a=${?b}foo, b=${a}", "{\"a\":\"foo\",\"b\":\"foo\"}")]
    [InlineData("a=1, b={c=5}, b=${a}, a=${b}", "{\"a\":1,\"b\":1}")]
    public void SelfReference_LooksAtEarlierValue(string text, string expectedJson)
    {
        ConfigurationFactory.ParseStringUnresolved(text).Resolve(ResolveOptions.NoEnvironment).ToJson().ShouldBe(expectedJson);
    }

    [Theory]
    [InlineData("a=${a}")]
    [InlineData("a=1,a=[${a}, 2]")]
    [InlineData("a=${b}, b=${a}")]
    [InlineData("a=${b}, b=${c}, c=${a}")]
    [InlineData("a=${a}foo")]
    public void Cycle_WithoutEarlierValue_IsAnError(string text)
    {
        var e = Should.Throw<HoconException>(() => ConfigurationFactory.ParseStringUnresolved(text).Resolve(ResolveOptions.NoEnvironment));
        e.Message.ShouldContain("cycle");
        e.Path.ShouldNotBeNullOrEmpty();
    }
}
