namespace ActorNet.Hocon.Tests;

/// <summary>Value concatenation of strings, arrays and objects, with and without substitutions.</summary>
public class ConcatenationTests
{
    private static Config Resolve(string text) => ConfigurationFactory.ParseStringUnresolved(text).Resolve(ResolveOptions.NoEnvironment);

    [Theory]
    [InlineData(" a :  true \"xyz\" 123 foo  ", "{\"a\":\"true xyz 123 foo\"}")]
    [InlineData(" a : ${x}foo${x}, x = 1 ", "{\"a\":\"1foo1\",\"x\":1}")]
    [InlineData(" a :  ${x} [3,4] ${y}, x : [1,2], y : [5,6]  ", "{\"a\":[1,2,3,4,5,6],\"x\":[1,2],\"y\":[5,6]}")]
    [InlineData(" a : [1, 2], a : ${a} [3,4], a : ${a} [5,6]  ", "{\"a\":[1,2,3,4,5,6]}")]
    [InlineData(" a :  [1,2\n ] [3,4]  ", "{\"a\":[1,2,3,4]}")]
    [InlineData(" a : { b : 1 } { b : 2 } { b : 3 } { b : 4 } ", "{\"a\":{\"b\":4}}")]
    [InlineData(" a : ${x} { b : 1 } ${y}, x : { a : 0 }, y : { c : 2 } ", "{\"a\":{\"a\":0,\"b\":1,\"c\":2},\"x\":{\"a\":0},\"y\":{\"c\":2}}")]
    [InlineData(" a : { a : 0 }, a : ${a} { b : 1 }, a : ${a} { c : 2 } ", "{\"a\":{\"a\":0,\"b\":1,\"c\":2}}")]
    [InlineData(" a : { b : 3 }, a : { b : 2 } ${a} ", "{\"a\":{\"b\":3}}")]
    [InlineData(" a : [ foo bar 10 ] ", "{\"a\":[\"foo bar 10\"]}")]
    [InlineData(" a : [ foo\n bar\n 10 ] ", "{\"a\":[\"foo\",\"bar\",10]}")]
    [InlineData(" a : [ { b : c } { x : y } ] ", "{\"a\":[{\"b\":\"c\",\"x\":\"y\"}]}")]
    [InlineData(" a : [ [1, 2] [3, 4] ] ", "{\"a\":[[1,2,3,4]]}")]
    [InlineData(" 123 foo : \"value\" ", "{\"123 foo\":\"value\"}")]
    [InlineData(" a = [], a += 2 ", "{\"a\":[2]}")]
    [InlineData(" a : { b : { c : [1] } }, a : { b : { c += 2 } }", "{\"a\":{\"b\":{\"c\":[1,2]}}}")]
    [InlineData(" a = ${x}, a += ${y}, x = [1], y = 2 ", "{\"a\":[1,2],\"x\":[1],\"y\":2}")]
    [InlineData(" a += { b: 1 }, a += { b: 2 } ", "{\"a\":[{\"b\":1},{\"b\":2}]}")]
    [InlineData("a = foo${?bar}", "{\"a\":\"foo\"}")]
    [InlineData("a = [1] ${?bar}", "{\"a\":[1]}")]
    [InlineData("bar={ y : 42 }, a = { x : \"foo\" } ${?bar}", "{\"bar\":{\"y\":42},\"a\":{\"x\":\"foo\",\"y\":42}}")]
    [InlineData("a = ${?foo}${?bar}", "{}")]
    [InlineData("a = ${?foo} ${?bar}", "{\"a\":\" \"}")]
    [InlineData("a = \"\"${?foo}${?bar}", "{\"a\":\"\"}")]
    public void Concatenation_ResolvesLikeTheReference(string text, string expectedJson)
    {
        Resolve(text).ToJson().ShouldBe(expectedJson);
    }

    [Theory]
    [InlineData(" a : abc { x : y } ")]
    [InlineData(" a : null { x : y } ")]
    [InlineData(" a : abc [1, 2] ")]
    [InlineData(" a : abc ${x}, x : { y : z } ")]
    [InlineData(" a : abc ${x}, x : [1,2] ")]
    [InlineData(" a = 10, a += 2 ")]
    [InlineData(" a = { x : y }, a += 2 ")]
    [InlineData(" a : ${x}\n foo, x = 1 ")]
    [InlineData(" a :  [1,2]\n [3,4]  ")]
    [InlineData("{ { a : 1 } : \"value\" }")]
    [InlineData("{ [ \"a\" ] : \"value\" }")]
    [InlineData("x = [ { a += 1, a += 2 } ]")]
    public void Concatenation_OfIncompatibleValuesOrAcrossLines_IsAnError(string text)
    {
        Should.Throw<HoconException>(() => Resolve(text));
    }
}
