namespace ActorNet.Hocon.Tests;

public class ResolverTests
{
    private static Config Parse(string text) => ConfigurationFactory.ParseStringUnresolved(text, "test.conf").Resolve(ResolveOptions.NoEnvironment);

    [Fact]
    public void Substitution_ForwardAndBackward_Resolves()
    {
        var c = Parse("a = ${b.c}\nb { c = 5 }\nd = ${a}");
        c.GetInt("a").ShouldBe(5);
        c.GetInt("d").ShouldBe(5);
    }

    [Fact]
    public void Substitution_InString_Concatenates()
    {
        Parse("host = localhost\nurl = \"http://\"${host}\":8080/\"").GetString("url").ShouldBe("http://localhost:8080/");
    }

    [Fact]
    public void OptionalSubstitution_Undefined_RemovesFieldAndKeepsEarlierValue()
    {
        var c = Parse("a = ${?nope}\nb = 1\nb = ${?nope}\nl = [1, ${?nope}, 2]");
        c.HasPath("a").ShouldBeFalse();
        c.GetInt("b").ShouldBe(1);
        c.GetIntList("l").ShouldBe([1, 2]);
    }

    [Fact]
    public void SelfReference_SeesEarlierValue()
    {
        var c = Parse("path = /usr\npath = ${path}\":/bin\"\nobj = { x = 1 }\nobj = ${obj} { y = 2 }");
        c.GetString("path").ShouldBe("/usr:/bin");
        c.GetInt("obj.x").ShouldBe(1);
        c.GetInt("obj.y").ShouldBe(2);
    }

    [Fact]
    public void PlusEquals_AppendsToEarlierOrEmpty()
    {
        var c = Parse("a = [1]\na += 2\nb += x\nn { l += 1 }\nn { l += 2 }");
        c.GetIntList("a").ShouldBe([1, 2]);
        c.GetStringList("b").ShouldBe(["x"]);
        c.GetIntList("n.l").ShouldBe([1, 2]);
    }

    [Fact]
    public void PlusEquals_InUpperLayer_AppendsToFallbackValue()
    {
        var reference = ConfigurationFactory.ParseStringUnresolved("list = [1, 2]\nname = ref\ngreeting = hi ${name}", "reference");
        var app = ConfigurationFactory.ParseStringUnresolved("list += 3\nname = app", "app");
        var c = app.WithFallback(reference).Resolve(ResolveOptions.NoEnvironment);
        c.GetIntList("list").ShouldBe([1, 2, 3]);
        c.GetString("greeting").ShouldBe("hi app");
    }

    [Fact]
    public void SelfReferenceAcrossLayers_SeesFallbackValue()
    {
        var reference = ConfigurationFactory.ParseStringUnresolved("path = /usr", "reference");
        var app = ConfigurationFactory.ParseStringUnresolved("path = ${path}\":/opt\"", "app");
        app.WithFallback(reference).Resolve(ResolveOptions.NoEnvironment).GetString("path").ShouldBe("/usr:/opt");
    }

    [Fact]
    public void WholeObjectSubstitution_WithPartialOverride_Merges()
    {
        var c = Parse("tcp { port = 1, proto = tcp }\nudp = ${tcp}\nudp { proto = udp }");
        c.GetInt("udp.port").ShouldBe(1);
        c.GetString("udp.proto").ShouldBe("udp");
        c.GetString("tcp.proto").ShouldBe("tcp");
    }

    [Fact]
    public void SelfCycle_IsAClearError_NamingThePath()
    {
        var e = Should.Throw<HoconException>(() => Parse("a = ${a}"));
        e.Path.ShouldBe("a");
        e.Message.ShouldContain("a");
        e.Line.ShouldBe(1);
    }

    [Fact]
    public void MutualCycle_IsAClearError_NamingThePath()
    {
        var e = Should.Throw<HoconException>(() => Parse("a = ${b}\nb = ${a}"));
        e.Message.ShouldContain("cycle");
        e.Path.ShouldNotBeNull();
    }

    [Fact]
    public void Undefined_IsAnError_WithOrigin()
    {
        var e = Should.Throw<HoconException>(() => Parse("x = 1\na = ${missing.key}"));
        e.Path.ShouldBe("missing.key");
        e.Line.ShouldBe(2);
        e.Message.ShouldStartWith("test.conf:2:");
    }

    [Fact]
    public void Environment_IsFallback_AndCanBeSwitchedOff()
    {
        var env = new Dictionary<string, string> { ["MY_VAR"] = "from-env" };
        var parsed = ConfigurationFactory.ParseStringUnresolved("a = ${MY_VAR}\nb = ${?MY_VAR}\nMY_OTHER = tree\nc = ${MY_OTHER}");
        var c = parsed.Resolve(new ResolveOptions { Environment = env });
        c.GetString("a").ShouldBe("from-env");
        c.GetValue("a").Origin.Description.ShouldContain("MY_VAR");
        c.GetString("c").ShouldBe("tree");
        Should.Throw<HoconException>(() => parsed.Resolve(new ResolveOptions { Environment = env, UseEnvironment = false }));
    }

    [Fact]
    public void ParseString_UsesProcessEnvironment()
    {
        var name = "ACTORNET_HOCON_TEST_" + Environment.ProcessId;
        Environment.SetEnvironmentVariable(name, "42");
        try
        {
            ConfigurationFactory.ParseString($"a = ${{{name}}}").GetInt("a").ShouldBe(42);
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }

    [Fact]
    public void LongSubstitutionChain_FailsCleanly_OrResolves()
    {
        var sb = new System.Text.StringBuilder();
        for (var i = 0; i < 2000; i++)
        {
            sb.Append("a").Append(i).Append(" = ${a").Append(i + 1).Append("}\n");
        }

        sb.Append("a2000 = 1\n");
        var parsed = ConfigurationFactory.ParseStringUnresolved(sb.ToString());
        var e = Should.Throw<HoconException>(() => parsed.Resolve(ResolveOptions.NoEnvironment));
        e.Message.ShouldContain("deep");
    }

    [Fact]
    public void UnresolvedConfig_GetterOnSubstitution_Throws()
    {
        var c = ConfigurationFactory.ParseStringUnresolved("a = ${b}\nb = 1\nc = 2");
        c.IsResolved.ShouldBeFalse();
        c.GetInt("c").ShouldBe(2);
        Should.Throw<HoconException>(() => c.GetInt("a")).Message.ShouldContain("Resolve");
    }
}

public class ResolverConcatenationTests
{
    [Fact]
    public void NullSubstitution_InConcatenation_IsEmptyString_LiteralNullIsText()
    {
        var c = ConfigurationFactory.ParseStringUnresolved("n = null\ns = a${n}b\nt = null x").Resolve(ResolveOptions.NoEnvironment);
        c.GetString("s").ShouldBe("ab");
        c.GetString("t").ShouldBe("null x");
    }
}
