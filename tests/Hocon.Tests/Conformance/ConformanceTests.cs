using System.Text.Json;

namespace ActorNet.Hocon.Tests.Conformance;

/// <summary>
/// Runs every case of ../shared/conformance/hocon (see its README): each MANIFEST.tsv row, the equivNN rules and
/// Akka spot checks. Resolution without environment fallback, as the README requires. No case is excluded: the
/// README marks none of the listed cases as Java-only (the Java-only files were left out of the data set).
/// </summary>
public class ConformanceTests
{
    public static TheoryData<string, string, string, string> ManifestCases()
    {
        var data = new TheoryData<string, string, string, string>();
        var cases = ConformanceData.Manifest();
        if (cases.Count == 0)
        {
            // Keeps the theory non-empty so that the missing-data failure is reported, never skipped.
            data.Add("(conformance data not found)", "file", "ok", string.Empty);
        }

        foreach (var c in cases)
        {
            data.Add(c.Input, c.Mode, c.Outcome, c.Expected);
        }

        return data;
    }

    [Fact]
    public void Manifest_Always_HasAllRows()
    {
        _ = ConformanceData.Root;
        var cases = ConformanceData.Manifest();
        cases.Count.ShouldBe(102);
        cases.Count(c => c.Outcome == "ok").ShouldBe(98);
    }

    [Fact]
    public void WorkingDirectory_Always_DoesNotContainFileIncludeTargets()
    {
        // include file("subdir/baz.conf") is relative to the process working directory; the expected values assume it
        // is not found there.
        File.Exists(Path.Combine(Directory.GetCurrentDirectory(), "subdir", "baz.conf")).ShouldBeFalse(
            "the test's working directory must not contain subdir/baz.conf, or file-include.conf would find it");
    }

    [Theory]
    [MemberData(nameof(ManifestCases))]
    public void ManifestCase_ParsedAndResolved_MatchesReference(string input, string mode, string outcome, string expected)
    {
        var root = ConformanceData.Root;
        var path = Path.Combine(root, input);

        Config Parse() => mode switch
        {
            "file" => ConfigurationFactory.ParseFileUnresolved(path),
            "conf" => ConfigurationFactory.ParseFileUnresolved(path, ConfigSyntax.Conf),
            "anysyntax" => ConfigurationFactory.ParseFileAnySyntaxUnresolved(path),
            _ => throw new InvalidOperationException("unknown mode " + mode),
        };

        switch (outcome)
        {
            case "ok":
                var resolved = Parse().Resolve(ResolveOptions.NoEnvironment);
                ConformanceData.ShouldEqualJson(resolved.Root, Path.Combine(root, expected));
                break;
            case "parse-error":
                var pe = Should.Throw<HoconException>(() => Parse());
                pe.Message.ShouldNotBeNullOrWhiteSpace();
                break;
            case "resolve-error":
                var parsed = Parse();
                var re = Should.Throw<HoconException>(() => parsed.Resolve(ResolveOptions.NoEnvironment));
                re.Path.ShouldNotBeNull();
                break;
            default:
                throw new InvalidOperationException("unknown outcome " + outcome);
        }
    }

    [Fact]
    public void EquivalenceFolders_EveryFile_EqualsOriginalJson()
    {
        var lightbend = Path.Combine(ConformanceData.Root, "lightbend");
        var folders = Directory.GetDirectories(lightbend, "equiv*").OrderBy(d => d, StringComparer.Ordinal).ToList();
        folders.Count.ShouldBe(5);
        var nonOriginal = 0;
        var failures = new List<string>();
        foreach (var folder in folders)
        {
            var originalPath = Path.Combine(folder, "original.json");
            using var original = JsonDocument.Parse(File.ReadAllText(originalPath));
            foreach (var file in Directory.GetFiles(folder).OrderBy(f => f, StringComparer.Ordinal))
            {
                var name = Path.GetFileName(file);
                if (!name.EndsWith(".conf", StringComparison.Ordinal) && !name.EndsWith(".json", StringComparison.Ordinal))
                {
                    continue;
                }

                if (name != "original.json")
                {
                    nonOriginal++;
                    var value = ConfigurationFactory.ParseFileUnresolved(file).Resolve(ResolveOptions.NoEnvironment);
                    var d = ConformanceData.Difference(value.Root, original.RootElement, "$");
                    if (d is not null)
                    {
                        failures.Add($"{name}: {d}");
                    }
                }

                if (name.EndsWith(".json", StringComparison.Ordinal))
                {
                    var asConf = ConfigurationFactory.ParseFileUnresolved(file, ConfigSyntax.Conf).Resolve(ResolveOptions.NoEnvironment);
                    var d = ConformanceData.Difference(asConf.Root, original.RootElement, "$");
                    if (d is not null)
                    {
                        failures.Add($"{name} as HOCON: {d}");
                    }
                }
            }
        }

        failures.ShouldBeEmpty();
        nonOriginal.ShouldBe(15);
    }

    [Fact]
    public void AkkaFiles_EveryFile_ParsesAndResolvesOnItsOwn()
    {
        var akka = Path.Combine(ConformanceData.Root, "akka");
        var files = Directory.GetFiles(akka, "*.conf", SearchOption.AllDirectories);
        files.Length.ShouldBe(29);
        foreach (var f in files)
        {
            var c = ConfigurationFactory.ParseFileUnresolved(f).Resolve(ResolveOptions.NoEnvironment);
            c.IsResolved.ShouldBeTrue(f);
        }
    }

    [Fact]
    public void AkkaFiles_LayeredLikeAkka_ResolveTogether()
    {
        var akka = Path.Combine(ConformanceData.Root, "akka");
        var merged = Directory.GetFiles(akka, "*.conf")
            .OrderBy(f => f, StringComparer.Ordinal)
            .Select(ConfigurationFactory.ParseFileUnresolved)
            .Aggregate(Config.Empty, (acc, next) => acc.WithFallback(next))
            .Resolve(ResolveOptions.NoEnvironment);
        merged.GetDouble("akka.cluster.failure-detector.threshold").ShouldBe(8.0);
        merged.GetString("akka.remote.dot-netty.udp.transport-protocol").ShouldBe("udp");
        merged.HasPath("akka.actor.default-dispatcher").ShouldBeTrue();
        merged.Entries.Count.ShouldBeGreaterThan(500);
    }

    [Fact]
    public void AkkaCluster_SpotChecks_MatchReference()
    {
        var c = ConfigurationFactory.ParseFileUnresolved(Path.Combine(ConformanceData.Root, "akka", "Akka.Cluster__Cluster.conf"))
            .Resolve(ResolveOptions.NoEnvironment);
        c.GetDouble("akka.cluster.failure-detector.threshold").ShouldBe(8.0);
        c.GetTimeSpan("akka.cluster.failure-detector.heartbeat-interval").ShouldBe(TimeSpan.FromSeconds(1));
        c.GetString("akka.cluster.failure-detector.heartbeat-interval").ShouldBe("1 s");
        c.GetTimeSpan("akka.cluster.failure-detector.acceptable-heartbeat-pause").ShouldBe(TimeSpan.FromSeconds(3));
        c.GetString("akka.cluster.auto-down-unreachable-after").ShouldBe("off");
        c.GetBoolean("akka.cluster.auto-down-unreachable-after", true).ShouldBeFalse();
    }

    [Fact]
    public void AkkaCore_SpotChecks_MatchReference()
    {
        var c = ConfigurationFactory.ParseFileUnresolved(Path.Combine(ConformanceData.Root, "akka", "Akka__akka.conf"))
            .Resolve(ResolveOptions.NoEnvironment);
        c.GetString("akka.actor.serialization-bindings.\"System.Byte[]\"").ShouldBe("bytes");
        c.HasPath("akka.actor.provider").ShouldBeTrue();
    }

    [Fact]
    public void AkkaRemote_WholeObjectSubstitutionWithOverride_Merges()
    {
        var c = ConfigurationFactory.ParseFileUnresolved(Path.Combine(ConformanceData.Root, "akka", "Akka.Remote__Remote.conf"))
            .Resolve(ResolveOptions.NoEnvironment);
        c.GetString("akka.remote.dot-netty.udp.transport-protocol").ShouldBe("udp");
        c.GetString("akka.remote.dot-netty.tcp.transport-protocol").ShouldBe("tcp");
        c.GetInt("akka.remote.dot-netty.udp.port").ShouldBe(c.GetInt("akka.remote.dot-netty.tcp.port"));
    }

    [Fact]
    public void Test03_IncludedSubstitutions_ResolveRelativeThenRoot()
    {
        var c = ConfigurationFactory.ParseFileUnresolved(Path.Combine(ConformanceData.Root, "lightbend", "test03.conf"))
            .Resolve(ResolveOptions.NoEnvironment);
        c.GetString("a").ShouldBe("This is in the included file");
        c.GetString("b").ShouldBe("This is in the including file");
        c.GetInt("test01.booleans").ShouldBe(42);
        c.GetConfig("nonexistent").Root.Count.ShouldBe(0);
    }

    [Fact]
    public void Test01_DurationAndSizeGetters_MatchReferenceAssertions()
    {
        var c = ConfigurationFactory.ParseFileUnresolved(Path.Combine(ConformanceData.Root, "lightbend", "test01.conf"))
            .Resolve(ResolveOptions.NoEnvironment);
        c.GetTimeSpan("durations.second").ShouldBe(TimeSpan.FromSeconds(1));
        c.GetTimeSpanList("durations.secondsList").ShouldBe(new[] { 1, 2, 3, 4 }.Select(x => TimeSpan.FromSeconds(x)).ToList());
        c.GetTimeSpan("durations.secondAsNumber").ShouldBe(TimeSpan.FromSeconds(1));
        c.GetTimeSpan("durations.halfSecond").ShouldBe(TimeSpan.FromMilliseconds(500));
        c.GetTimeSpan("durations.millis").ShouldBe(TimeSpan.FromMilliseconds(1));
        c.GetTimeSpan("durations.micros").ShouldBe(TimeSpan.FromMilliseconds(2));
        c.GetTimeSpan("durations.largeNanos").ShouldBe(TimeSpan.FromTicks(4878955355435272204L / 100));
        c.GetTimeSpan("durations.plusLargeNanos").ShouldBe(TimeSpan.FromTicks(4878955355435272204L / 100));
        c.GetTimeSpan("durations.minusLargeNanos").ShouldBe(TimeSpan.FromTicks(-4878955355435272204L / 100));
        c.GetByteSize("memsizes.meg").ShouldBe(1048576L);
        c.GetByteSizeList("memsizes.megsList").ShouldBe([1048576L, 1048576L, 1048576L]);
        c.GetByteSize("memsizes.megAsNumber").ShouldBe(1048576L);
        c.GetByteSize("memsizes.halfMeg").ShouldBe(524288L);
        Should.Throw<HoconException>(() => c.GetByteSize("memsizes.yottabyte")).Path.ShouldBe("memsizes.yottabyte");
        c.GetString("strings.concatenated").ShouldBe("null bar 42 baz true 3.14 hi");
        c.GetValue("floats.pointThirtyThree").ShouldBeOfType<HoconString>().Value.ShouldBe(".33");
        c.GetString("system.concatenated").ShouldBe("Your Java version is  and your user.home is ");
    }

    [Fact]
    public void Test13_ReferenceLayeredUnderApplication_SeesOverride()
    {
        var dir = Path.Combine(ConformanceData.Root, "lightbend");
        var app = ConfigurationFactory.ParseFileUnresolved(Path.Combine(dir, "test13-application-override-substitutions.conf"));
        var reference = ConfigurationFactory.ParseFileUnresolved(Path.Combine(dir, "test13-reference-with-substitutions.conf"));
        app.WithFallback(reference).Resolve(ResolveOptions.NoEnvironment).GetString("a").ShouldBe("overridden");
    }

    [Fact]
    public void EnvVariables_WithEnvironment_UsesIt()
    {
        var file = Path.Combine(ConformanceData.Root, "lightbend", "env-variables.conf");
        var env = new Dictionary<string, string> { ["SECRET_A"] = "A", ["SECRET_B"] = "B", ["SECRET_C"] = "C" };
        var c = ConfigurationFactory.ParseFileUnresolved(file).Resolve(new ResolveOptions { Environment = env });
        c.GetString("secret").ShouldBe("A");
        c.GetStringList("secrets").ShouldBe(["B", "C"]);
    }
}
