namespace ActorNet.Hocon.Tests;

/// <summary>Include statements against files in a temporary directory (deleted after each test).</summary>
public sealed class IncludeTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("hocon-include");

    public void Dispose() => _dir.Delete(recursive: true);

    private string Write(string relative, string text)
    {
        var path = Path.Combine(_dir.FullName, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    private static Config Load(string path) => ConfigurationFactory.ParseFileUnresolved(path).Resolve(ResolveOptions.NoEnvironment);

    [Fact]
    public void RelativeInclude_IsRelativeToIncludingFile_AtEveryLevel()
    {
        Write("sub/a.conf", "a = 1\ninclude \"deeper/b.conf\"");
        Write("sub/deeper/b.conf", "b = 2");
        var main = Write("main.conf", "include \"sub/a.conf\"\nc = 3");
        var c = Load(main);
        c.GetInt("a").ShouldBe(1);
        c.GetInt("b").ShouldBe(2);
        c.GetInt("c").ShouldBe(3);
        c.GetValue("b").Origin.File.ShouldBe(Path.Combine(_dir.FullName, "sub", "deeper", "b.conf"));
    }

    [Fact]
    public void MissingInclude_IsIgnored_UnlessRequired()
    {
        var main = Write("main.conf", "include \"nope.conf\"\nx = 1");
        Load(main).GetInt("x").ShouldBe(1);
        var req = Write("req.conf", "x = 1\ninclude required(\"nope.conf\")");
        var e = Should.Throw<HoconException>(() => Load(req));
        e.Line.ShouldBe(2);
        e.Message.ShouldContain("nope.conf");
    }

    [Fact]
    public void BasenameInclude_MergesAllSyntaxes_ConfWinning()
    {
        Write("lib.properties", "p = fromProps\nshared = props");
        Write("lib.json", "{ \"j\": 1, \"shared\": \"json\" }");
        Write("lib.conf", "c = true\nshared = conf");
        var c = Load(Write("main.conf", "include \"lib\""));
        c.GetString("p").ShouldBe("fromProps");
        c.GetInt("j").ShouldBe(1);
        c.GetBoolean("c").ShouldBeTrue();
        c.GetString("shared").ShouldBe("conf");
        ConfigurationFactory.ParseFileAnySyntaxUnresolved(Path.Combine(_dir.FullName, "lib")).GetString("shared").ShouldBe("conf");
    }

    [Fact]
    public void IncludeInObject_SubstitutionsFixedUpToIncludePoint_ThenRoot()
    {
        Write("foo.conf", "x = 10\ny = ${x}\nz = ${top}");
        var c = Load(Write("main.conf", "top = T\na { include \"foo.conf\" }\na { x = 42 }"));
        c.GetInt("a.y").ShouldBe(42);
        c.GetString("a.z").ShouldBe("T");
    }

    [Fact]
    public void IncludeCycle_IsAParseError_NotARecursion()
    {
        Write("a.conf", "include \"b.conf\"");
        Write("b.conf", "include \"a.conf\"");
        var e = Should.Throw<HoconException>(() => ConfigurationFactory.ParseFileUnresolved(Path.Combine(_dir.FullName, "a.conf")));
        e.Message.ShouldContain("cycle");
        e.Line.ShouldBe(1);
    }

    [Fact]
    public void FileInclude_WithAbsolutePath_Loads()
    {
        var target = Write("abs/target.conf", "t = 1");
        ConfigurationFactory.ParseString($"include file({System.Text.Json.JsonSerializer.Serialize(target)})").GetInt("t").ShouldBe(1);
        ConfigurationFactory.ParseString($"include required(file({System.Text.Json.JsonSerializer.Serialize(target)}))").GetInt("t").ShouldBe(1);
    }

    [Fact]
    public void ErrorInIncludedFile_NamesThatFileAndLine()
    {
        var bad = Write("bad.conf", "ok = 1\nbroken = [1, 2");
        var e = Should.Throw<HoconException>(() => Load(Write("main.conf", "include \"bad.conf\"")));
        e.OriginFile.ShouldBe(bad);
        e.Line.ShouldBe(2);
    }

    [Theory]
    [InlineData("include = 5")]
    [InlineData("include foo")]
    [InlineData("include url(\"http://example.com/x.conf\") x")]
    public void IncludeKeyword_NotFollowedByQuotedName_IsAnError(string text)
    {
        Should.Throw<HoconException>(() => ConfigurationFactory.ParseStringUnresolved(text)).Message.ShouldContain("include");
    }

    [Fact]
    public void IncludeWord_ElsewhereOrQuoted_IsOrdinary()
    {
        var c = ConfigurationFactory.ParseString("\"include\" = 1\nfoo include = 2\nv = include\nl = [include]");
        c.GetInt("\"include\"").ShouldBe(1);
        c.GetInt("\"foo include\"").ShouldBe(2);
        c.GetString("v").ShouldBe("include");
        c.GetStringList("l").ShouldBe(["include"]);
    }
}
