namespace ActorNet.Hocon.Tests;

public class ErrorTests
{
    private static HoconException Fail(string text) =>
        Should.Throw<HoconException>(() => ConfigurationFactory.ParseStringUnresolved(text, "bad.conf"));

    [Theory]
    [InlineData("a = {", 1, 6, "expected '}'")]
    [InlineData("a = [1, 2", 1, 10, "']'")]
    [InlineData("a = 1\nb c d\n", 3, 1, "expected ':', '=', '+=' or '{'")]
    [InlineData("a = \"unterminated\n", 1, 18, "expected closing '\"'")]
    [InlineData("a = 1\n  b = }", 2, 7, "expected a value")]
    [InlineData("a = 1 }", 1, 7, "'}'")]
    [InlineData("a = \"\"\"never closed", 1, 20, "expected closing '\"\"\"'")]
    [InlineData("a = ${b", 1, 8, "substitution")]
    [InlineData("a = $b", 1, 5, "expected '{' after '$'")]
    [InlineData("a = 1 + 2", 1, 7, "'+'")]
    [InlineData("a..b = 1", 1, 1, "empty path element")]
    [InlineData("a = \"\\q\"", 1, 6, "escape")]
    [InlineData("[1, 2]", 1, 1, "expected an object at the root")]
    [InlineData("a = 1,,b = 2", 1, 7, "expected a key")]
    [InlineData("a = [1,,2]", 1, 8, "expected a value or ']'")]
    [InlineData("include required(\"/nonexistent/x.conf\")", 1, 1, "required include")]
    [InlineData("a = ${}", 1, 5, "empty substitution")]
    public void Malformed_GivesOneErrorWithLineColumnAndExpectation(string text, int line, int column, string fragment)
    {
        var e = Fail(text);
        e.OriginFile.ShouldBe("bad.conf");
        e.Message.ShouldContain(fragment);
        (e.Line, e.Column).ShouldBe((line, column), e.Message);
        e.Message.ShouldStartWith($"bad.conf:{line}:{column}: expected");
    }

    [Fact]
    public void DeepNesting_BeyondLimit_IsAClearError()
    {
        var e = Fail("a = " + new string('[', 5000) + new string(']', 5000));
        e.Message.ShouldContain("nesting");
        Fail("a = " + string.Concat(Enumerable.Repeat("{ b = ", 100_000))).Message.ShouldContain("nesting");
        Fail("a" + string.Concat(Enumerable.Repeat(".a", 10_000)) + " = 1").Message.ShouldContain("nesting");
    }

    [Fact]
    public void NestingWithinLimit_Parses()
    {
        var text = "a = " + new string('[', 400) + "1" + new string(']', 400);
        ConfigurationFactory.ParseString(text).GetValue("a").ShouldBeOfType<HoconArray>();
    }

    [Fact]
    public void DeepObjectsWithinLimit_ParseResolveAndRender()
    {
        var text = string.Concat(Enumerable.Repeat("a { ", 450)) + "x = ${y}" + new string('}', 450) + "\ny = 1";
        var c = ConfigurationFactory.ParseString(text);
        c.GetInt(string.Join('.', Enumerable.Repeat("a", 450)) + ".x").ShouldBe(1);
        c.ToJson().Length.ShouldBeGreaterThan(450 * 5);
        c.WithFallback(c).Entries.Count.ShouldBe(2);
    }

    [Fact]
    public void MissingFile_IsHoconException()
    {
        Should.Throw<HoconException>(() => ConfigurationFactory.ParseFile("/nonexistent/dir/x.conf")).Message.ShouldContain("does not exist");
    }
}
