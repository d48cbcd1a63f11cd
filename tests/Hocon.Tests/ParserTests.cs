namespace ActorNet.Hocon.Tests;

public class ParserTests
{
    private static Config Parse(string text) => ConfigurationFactory.ParseStringUnresolved(text, "test.conf").Resolve(ResolveOptions.NoEnvironment);

    [Fact]
    public void Comments_HashAndSlashes_AreIgnored()
    {
        var c = Parse("# comment\na = 1 // trailing\n// whole line\nb = 2 # trailing");
        c.GetInt("a").ShouldBe(1);
        c.GetInt("b").ShouldBe(2);
    }

    [Fact]
    public void RootBraces_Optional_SameResult()
    {
        Parse("{ a = 1, b { c = 2 } }").ToJson().ShouldBe(Parse("a = 1\nb { c = 2 }").ToJson());
    }

    [Theory]
    [InlineData("a = 1")]
    [InlineData("a : 1")]
    [InlineData("a=1")]
    [InlineData("a:1")]
    [InlineData("a\n=\n1")]
    public void Separators_EqualsAndColon_AreEquivalent(string text) => Parse(text).GetInt("a").ShouldBe(1);

    [Fact]
    public void ObjectKeyWithoutSeparator_BraceStartsObject()
    {
        Parse("a { b = 1 }").GetInt("a.b").ShouldBe(1);
    }

    [Fact]
    public void DuplicateObjects_Merge_LaterWins()
    {
        var c = Parse("a { x = 1, y = 1 }\na { y = 2, z = 2 }");
        c.GetInt("a.x").ShouldBe(1);
        c.GetInt("a.y").ShouldBe(2);
        c.GetInt("a.z").ShouldBe(2);
    }

    [Fact]
    public void DuplicateNonObject_ReplacesObject()
    {
        var c = Parse("a { x = 1 }\na = 5\n");
        c.GetInt("a").ShouldBe(5);
        Parse("a = 5\na { x = 1 }").GetConfig("a").Root.Count.ShouldBe(1);
    }

    [Fact]
    public void PathKeys_ExpandToNestedObjects_AndMerge()
    {
        var c = Parse("a.b.c = 1\na.b.d = 2\na { e = 3 }");
        c.GetInt("a.b.c").ShouldBe(1);
        c.GetInt("a.b.d").ShouldBe(2);
        c.GetInt("a.e").ShouldBe(3);
    }

    [Fact]
    public void QuotedKeys_KeepDots()
    {
        var c = Parse("\"a.b\" = 1\nx.\"y.z\".w = 2\n\"\" = 3");
        c.GetInt("\"a.b\"").ShouldBe(1);
        c.GetInt("x.\"y.z\".w").ShouldBe(2);
        c.GetInt("\"\"").ShouldBe(3);
        c.HasPath("a.b").ShouldBeFalse();
    }

    [Fact]
    public void Arrays_CommasNewlinesAndTrailingComma_Accepted()
    {
        Parse("a = [1, 2, 3,]").GetIntList("a").ShouldBe([1, 2, 3]);
        Parse("a = [\n1\n2\n3\n]").GetIntList("a").ShouldBe([1, 2, 3]);
        Parse("a = []").GetIntList("a").ShouldBeEmpty();
    }

    [Fact]
    public void Strings_UnquotedQuotedAndEscapes_Parsed()
    {
        var c = Parse("a = hello world\nb = \"tab\\there \\u0041\"\nc = foo.bar-baz_1");
        c.GetString("a").ShouldBe("hello world");
        c.GetString("b").ShouldBe("tab\there A");
        c.GetString("c").ShouldBe("foo.bar-baz_1");
    }

    [Fact]
    public void TripleQuotedString_IsRaw_KeepsNewlinesAndExtraQuotes()
    {
        var c = Parse("a = \"\"\"line1\n  \\n \"quoted\" line2\"\"\"\"\nb = 1");
        c.GetString("a").ShouldBe("line1\n  \\n \"quoted\" line2\"");
        c.GetInt("b").ShouldBe(1);
    }

    [Fact]
    public void Concatenation_SimpleValues_KeepInnerWhitespace()
    {
        var c = Parse("a = foo   bar  \"baz\"  \nb = 10s\nc = 100 ms\nd = null bar 42 true");
        c.GetString("a").ShouldBe("foo   bar  baz");
        c.GetString("b").ShouldBe("10s");
        c.GetString("c").ShouldBe("100 ms");
        c.GetString("d").ShouldBe("null bar 42 true");
    }

    [Fact]
    public void Concatenation_ArraysAndObjects_Join()
    {
        var c = Parse("a = [1, 2] [3]\nb = { x = 1 } { y = 2 }\nbase { p = 1 }\nd = ${base} { q = 2 }");
        c.GetIntList("a").ShouldBe([1, 2, 3]);
        c.GetInt("b.x").ShouldBe(1);
        c.GetInt("b.y").ShouldBe(2);
        c.GetInt("d.p").ShouldBe(1);
        c.GetInt("d.q").ShouldBe(2);
    }

    [Fact]
    public void Concatenation_ArrayWithString_IsAnError()
    {
        var e = Should.Throw<HoconException>(() => Parse("a = [1] foo"));
        e.Line.ShouldBe(1);
        e.Message.ShouldContain("concatenation");
    }

    [Fact]
    public void NumbersBooleansNull_HaveTheirTypes()
    {
        var c = Parse("i = 42\nd = 3.5\ne = 1e3\nn = -7\nt = true\nf = false\nz = null\nip = 10.0.0.1\ndot = .5\nver = 2.0-SNAPSHOT");
        c.GetValue("i").ShouldBeOfType<HoconNumber>().IsInteger.ShouldBeTrue();
        c.GetDouble("d").ShouldBe(3.5);
        c.GetDouble("e").ShouldBe(1000);
        c.GetLong("n").ShouldBe(-7);
        c.GetValue("t").ShouldBeOfType<HoconBoolean>().Value.ShouldBeTrue();
        c.GetBoolean("f").ShouldBeFalse();
        c.GetValue("z").ShouldBeOfType<HoconNull>();
        c.HasPath("z").ShouldBeFalse();
        c.GetValue("ip").ShouldBeOfType<HoconString>().Value.ShouldBe("10.0.0.1");
        c.GetValue("dot").ShouldBeOfType<HoconString>().Value.ShouldBe(".5");
        c.GetString("ver").ShouldBe("2.0-SNAPSHOT");
    }

    [Fact]
    public void OnOff_AreStrings_ButBooleanGetterAcceptsThem()
    {
        var c = Parse("a = on\nb = off\nc = yes\nd = no");
        c.GetValue("a").ShouldBeOfType<HoconString>();
        c.GetBoolean("a").ShouldBeTrue();
        c.GetBoolean("b").ShouldBeFalse();
        c.GetBoolean("c").ShouldBeTrue();
        c.GetBoolean("d").ShouldBeFalse();
    }

    [Fact]
    public void ByteOrderMark_AtStart_Ignored()
    {
        Parse("\uFEFFa = 1").GetInt("a").ShouldBe(1);
    }

    [Fact]
    public void Json_Syntax_IsStrict()
    {
        ConfigurationFactory.ParseStringUnresolved("{\"a\": [1, {\"b\": null}]}", "x.json", ConfigSyntax.Json)
            .GetValue("a").ShouldBeOfType<HoconArray>();
        Should.Throw<HoconException>(() => ConfigurationFactory.ParseStringUnresolved("{a: 1}", "x.json", ConfigSyntax.Json));
        Should.Throw<HoconException>(() => ConfigurationFactory.ParseStringUnresolved("{\"a\": 1 # c\n}", "x.json", ConfigSyntax.Json));
        Should.Throw<HoconException>(() => ConfigurationFactory.ParseStringUnresolved("{\"a\": 1,}", "x.json", ConfigSyntax.Json));
        Should.Throw<HoconException>(() => ConfigurationFactory.ParseStringUnresolved("{\"a\": 1 \"b\": 2}", "x.json", ConfigSyntax.Json));
        Should.Throw<HoconException>(() => ConfigurationFactory.ParseStringUnresolved("{\"a\": 1, \"a\": 2}", "x.json", ConfigSyntax.Json));
    }

    [Fact]
    public void Properties_Syntax_DottedKeysBecomePaths_ValuesAreStrings()
    {
        var c = ConfigurationFactory.ParseStringUnresolved("# c\na.b=1\na.c : two\\\n  lines\nx=1\nx.y=2\n", "p.properties", ConfigSyntax.Properties);
        c.GetValue("a.b").ShouldBeOfType<HoconString>().Value.ShouldBe("1");
        c.GetString("a.c").ShouldBe("twolines");
        c.GetString("x.y").ShouldBe("2");
    }
}
