using System.Text.Json;

namespace ActorNet.Hocon.Tests;

public class ConfigTests
{
    private static Config Parse(string text) => ConfigurationFactory.ParseStringUnresolved(text, "test.conf").Resolve(ResolveOptions.NoEnvironment);

    [Theory]
    [InlineData("200ms", 200 * TimeSpan.TicksPerMillisecond)]
    [InlineData("1 s", TimeSpan.TicksPerSecond)]
    [InlineData("2 minutes", 2 * TimeSpan.TicksPerMinute)]
    [InlineData("0.5s", TimeSpan.TicksPerSecond / 2)]
    [InlineData("3h", 3 * TimeSpan.TicksPerHour)]
    [InlineData("1d", TimeSpan.TicksPerDay)]
    [InlineData("2 days", 2 * TimeSpan.TicksPerDay)]
    [InlineData("1500us", 15_000)]
    [InlineData("100ns", 1)]
    [InlineData("5 millis", 5 * TimeSpan.TicksPerMillisecond)]
    [InlineData("\"250\"", 250 * TimeSpan.TicksPerMillisecond)]
    [InlineData("250", 250 * TimeSpan.TicksPerMillisecond)]
    [InlineData("1.5", 15_000)]
    public void GetTimeSpan_UnitsOfTheSpec_Parsed(string text, long ticks)
    {
        Parse("d = " + text).GetTimeSpan("d").ShouldBe(TimeSpan.FromTicks(ticks));
    }

    [Theory]
    [InlineData("10 parsecs")]
    [InlineData("fast")]
    [InlineData("[1]")]
    public void GetTimeSpan_Invalid_ThrowsWithPathAndOrigin(string text)
    {
        var e = Should.Throw<HoconException>(() => Parse("x = 1\nd = " + text).GetTimeSpan("d"));
        e.Path.ShouldBe("d");
        e.Message.ShouldContain("test.conf:2");
        e.Message.ShouldContain("duration");
    }

    [Theory]
    [InlineData("64KiB", 65536L)]
    [InlineData("1.5M", 1572864L)]
    [InlineData("10 MB", 10_000_000L)]
    [InlineData("128000b", 128000L)]
    [InlineData("1K", 1024L)]
    [InlineData("1k", 1024L)]
    [InlineData("1kB", 1000L)]
    [InlineData("2G", 2147483648L)]
    [InlineData("1 GiB", 1073741824L)]
    [InlineData("3 megabytes", 3_000_000L)]
    [InlineData("1 mebibyte", 1048576L)]
    [InlineData("100 MiB", 104857600L)]
    [InlineData("4096", 4096L)]
    [InlineData("0.5M", 524288L)]
    public void GetByteSize_UnitsOfTheSpec_Parsed(string text, long bytes)
    {
        Parse("s = " + text).GetByteSize("s").ShouldBe(bytes);
    }

    [Theory]
    [InlineData("1YB")]
    [InlineData("12 apples")]
    [InlineData("true")]
    public void GetByteSize_InvalidOrOverflowing_Throws(string text)
    {
        Should.Throw<HoconException>(() => Parse("s = " + text).GetByteSize("s")).Path.ShouldBe("s");
    }

    [Fact]
    public void Getters_Defaults_UsedOnlyWhenMissingOrNull()
    {
        var c = Parse("a = 1\nn = null\ns = str");
        c.GetInt("missing", 5).ShouldBe(5);
        c.GetInt("n", 6).ShouldBe(6);
        c.GetInt("a", 5).ShouldBe(1);
        c.GetString("missing.deep", "x").ShouldBe("x");
        c.GetBoolean("missing", true).ShouldBeTrue();
        c.GetTimeSpan("missing", TimeSpan.FromSeconds(3)).ShouldBe(TimeSpan.FromSeconds(3));
        c.GetByteSize("missing", 7).ShouldBe(7);
        c.GetDouble("missing", 1.5).ShouldBe(1.5);
        c.GetLong("missing", 9L).ShouldBe(9L);
        Should.Throw<HoconException>(() => c.GetInt("s", 5)).Path.ShouldBe("s");
    }

    [Fact]
    public void Getters_MissingPath_ThrowsNamingPathAndOrigin()
    {
        var c = Parse("a {\n  b = 1\n}");
        var e = Should.Throw<HoconException>(() => c.GetString("a.c"));
        e.Path.ShouldBe("a.c");
        e.Message.ShouldContain("test.conf:1");
        e.Message.ShouldContain("missing");
    }

    [Fact]
    public void Getters_WrongType_ThrowsNamingExpectation()
    {
        var c = Parse("a = hello\nb = [1]\nc = 3.5\nbig = 3000000000");
        Should.Throw<HoconException>(() => c.GetInt("a")).Message.ShouldContain("expected an integer");
        Should.Throw<HoconException>(() => c.GetString("b")).Message.ShouldContain("expected a string");
        Should.Throw<HoconException>(() => c.GetInt("c")).Message.ShouldContain("integer");
        Should.Throw<HoconException>(() => c.GetInt("big")).Message.ShouldContain("between");
        c.GetLong("big").ShouldBe(3_000_000_000L);
        Should.Throw<HoconException>(() => c.GetBoolean("a")).Message.ShouldContain("boolean");
        Should.Throw<HoconException>(() => c.GetConfig("a")).Message.ShouldContain("object");
        Should.Throw<HoconException>(() => c.GetStringList("a")).Message.ShouldContain("list");
    }

    [Fact]
    public void HasPath_ThroughNonObject_IsFalse_GetterThrows()
    {
        var c = Parse("a = 5");
        c.HasPath("a.b").ShouldBeFalse();
        Should.Throw<HoconException>(() => c.GetInt("a.b")).Message.ShouldContain("expected an object at 'a'");
    }

    [Fact]
    public void Getters_NumbersAsStrings_AreConverted()
    {
        var c = Parse("a = \"42\"\nb = 42\nflag = \"true\"");
        c.GetInt("a").ShouldBe(42);
        c.GetString("b").ShouldBe("42");
        c.GetBoolean("flag").ShouldBeTrue();
    }

    [Fact]
    public void Lists_TypedGetters_ConvertEveryElement()
    {
        var c = Parse("s = [a, 1, true]\ni = [1, 2]\nd = [1s, 500ms]\nb = [1K, 2]\no = [{ x = 1 }, { x = 2 }]");
        c.GetStringList("s").ShouldBe(["a", "1", "true"]);
        c.GetIntList("i").ShouldBe([1, 2]);
        c.GetLongList("i").ShouldBe([1L, 2L]);
        c.GetDoubleList("i").ShouldBe([1.0, 2.0]);
        c.GetTimeSpanList("d").ShouldBe([TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(500)]);
        c.GetByteSizeList("b").ShouldBe([1024L, 2L]);
        c.GetConfigList("o").Select(x => x.GetInt("x")).ShouldBe([1, 2]);
        Should.Throw<HoconException>(() => c.GetIntList("s")).Path.ShouldBe("s[0]");
    }

    [Fact]
    public void GetConfig_MissingPath_IsEmpty_AndPresentIsSubtree()
    {
        var c = Parse("a.b.c = 1");
        c.GetConfig("nothing").Root.Count.ShouldBe(0);
        c.GetConfig("a.b").GetInt("c").ShouldBe(1);
        c.GetConfig("a").GetConfig("b").HasPath("c").ShouldBeTrue();
    }

    [Fact]
    public void WithFallback_ReceiverWins_ObjectsMerge()
    {
        var high = ConfigurationFactory.ParseString("a.x = 1\nb = high", "high");
        var low = ConfigurationFactory.ParseString("a.y = 2\nb = low\nc = low", "low");
        var c = high.WithFallback(low);
        c.GetInt("a.x").ShouldBe(1);
        c.GetInt("a.y").ShouldBe(2);
        c.GetString("b").ShouldBe("high");
        c.GetString("c").ShouldBe("low");
        c.GetValue("c").Origin.Description.ShouldBe("low");
        c.GetValue("b").Origin.Description.ShouldBe("high");
    }

    [Fact]
    public void WithFallback_ThreeLayers_SubstitutionsSeeFinalValues()
    {
        var reference = ConfigurationFactory.ParseStringUnresolved("port = 2552\naddress = \"host:\"${port}", "reference.conf");
        var cluster = ConfigurationFactory.ParseStringUnresolved("port = 3000", "cluster.conf");
        var cli = ConfigurationFactory.ParseStringUnresolved("port = 4999", "-D");
        var c = cli.WithFallback(cluster).WithFallback(reference).Resolve(ResolveOptions.NoEnvironment);
        c.GetString("address").ShouldBe("host:4999");
        c.GetValue("port").Origin.Description.ShouldBe("-D");
    }

    [Fact]
    public void Entries_ListEveryLeaf_WithOrigin()
    {
        var c = Parse("a {\n  b = 1\n  \"c.d\" = [1, 2]\n}\ne = {}\nf = ${a.b}");
        var entries = c.Entries.ToDictionary(e => e.Path);
        entries.Keys.ShouldBe(["a.b", "a.\"c.d\"", "e", "f"], ignoreOrder: true);
        entries["a.b"].Origin.Line.ShouldBe(2);
        entries["a.b"].Origin.Description.ShouldBe("test.conf");
        entries["a.\"c.d\""].Origin.Line.ShouldBe(3);
        entries["a.\"c.d\""].Keys.ShouldBe(["a", "c.d"]);
        entries["f"].Value.ShouldBeOfType<HoconNumber>().LongValue.ShouldBe(1);
    }

    [Fact]
    public void ParseFile_OriginsNameFileAndLine()
    {
        var dir = Directory.CreateTempSubdirectory("hocon-origin");
        try
        {
            var f = Path.Combine(dir.FullName, "x.conf");
            File.WriteAllText(f, "a = 1\n\nb = 2\n");
            var c = ConfigurationFactory.ParseFile(f);
            c.GetValue("b").Origin.File.ShouldBe(f);
            c.GetValue("b").Origin.Line.ShouldBe(3);
            c.GetValue("b").Origin.ToString().ShouldBe(f + ":3");
        }
        finally
        {
            dir.Delete(true);
        }
    }

    [Fact]
    public void ToJson_RendersValidJson_DurationsAsWritten()
    {
        var c = Parse("a { d = 200ms, n = 1.50, i = 7, s = \"q\\\"uote\\n\", l = [true, null], e = {} }\n\"k.k\" = 1");
        using var doc = JsonDocument.Parse(c.ToJson(true));
        doc.RootElement.GetProperty("a").GetProperty("d").GetString().ShouldBe("200ms");
        doc.RootElement.GetProperty("a").GetProperty("n").GetDouble().ShouldBe(1.5);
        doc.RootElement.GetProperty("a").GetProperty("s").GetString().ShouldBe("q\"uote\n");
        doc.RootElement.GetProperty("k.k").GetInt32().ShouldBe(1);
        ConfigurationFactory.ParseStringUnresolved(c.ToJson(), "j", ConfigSyntax.Json).ToJson().ShouldBe(c.ToJson());
    }

    [Fact]
    public void ConfigPath_RenderAndParse_RoundTrip()
    {
        string[] keys = ["a", "b.c", "", "System.Byte[]", "x y"];
        ConfigPath.Parse(ConfigPath.Render(keys)).ShouldBe(keys);
        Should.Throw<HoconException>(() => ConfigPath.Parse("a..b"));
        Should.Throw<HoconException>(() => ConfigPath.Parse("a.\"b"));
    }

    [Fact]
    public void Empty_HasNothing()
    {
        ConfigurationFactory.Empty.HasPath("a").ShouldBeFalse();
        ConfigurationFactory.Empty.ToJson().ShouldBe("{}");
        ConfigurationFactory.Empty.Entries.ShouldBeEmpty();
    }
}

public class ConfigurationFactoryTests
{
    [Fact]
    public void FromProperties_StringsAtPaths_ConvertedByGetters_LaterWins()
    {
        var d = ConfigurationFactory.FromProperties(
            [new("actornet.node.remoting.port", "4999"), new("a.\"b.c\"", "on"), new("t", "1"), new("t", "200ms")], "-D");
        d.GetInt("actornet.node.remoting.port").ShouldBe(4999);
        d.GetValue("actornet.node.remoting.port").Origin.Description.ShouldBe("-D");
        d.GetBoolean("a.\"b.c\"").ShouldBeTrue();
        d.GetTimeSpan("t").ShouldBe(TimeSpan.FromMilliseconds(200));
        var layered = d.WithFallback(ConfigurationFactory.ParseString("actornet.node.remoting.port = 2552\nactornet.node.name = n1"));
        layered.GetInt("actornet.node.remoting.port").ShouldBe(4999);
        layered.GetString("actornet.node.name").ShouldBe("n1");
    }
}
