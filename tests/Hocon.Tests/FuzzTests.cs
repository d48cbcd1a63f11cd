using System.Text;
using FsCheck.Fluent;
using ActorNet.Hocon.Tests.Conformance;

namespace ActorNet.Hocon.Tests;

/// <summary>
/// Bounded fuzzing with a fixed seed: every input either parses (and resolves and renders) or throws
/// <see cref="HoconException"/>; any other exception, a stack overflow or an input taking longer than the bound fails.
/// </summary>
public class FuzzTests
{
    private const int Seed = 20261121;
    private static readonly TimeSpan s_perInput = TimeSpan.FromSeconds(10);

    private static readonly string[] s_fragments =
    [
        "{", "}", "[", "]", ",", ":", "=", "+=", "\n", " ", "\t", "a", "b.c", "\"q\"", "\"a.b\"", "\"\"\"t\n\"\"\"", "${a}", "${?b}",
        "${b.c}", "1", "-2.5e3", "10s", "64KiB", "true", "false", "null", "# c\n", "// c\n", "include \"x.conf\"",
        "include required(file(\"nope\"))", "a = ${a}", "a += 1", "\\", "$", "\"", "\"\"\"", "\uFEFF", "é", ".", "..", "+",
        "${", "?", "include", "required(", ")", "0x1F", "\r\n", "{ a = 1 }", "[1, 2]", "b = ${?a} x",
    ];

    private static void Check(string input, ConfigSyntax syntax, string label)
    {
        var task = Task.Run(() =>
        {
            try
            {
                var c = ConfigurationFactory.ParseStringUnresolved(input, "fuzz", syntax).Resolve(ResolveOptions.NoEnvironment);
                _ = c.ToJson(true);
                _ = c.Entries.Count;
                foreach (var e in c.Entries.Take(5))
                {
                    _ = c.HasPath(e.Path);
                }

                return (Exception?)null;
            }
            catch (HoconException)
            {
                return null;
            }
            catch (Exception e)
            {
                return e;
            }
        });
        if (!task.Wait(s_perInput))
        {
            throw new TimeoutException($"{label}: no result after {s_perInput}: {Describe(input)}");
        }

        if (task.Result is { } unexpected)
        {
            throw new InvalidOperationException($"{label}: {unexpected.GetType().Name} instead of HoconException for {Describe(input)}", unexpected);
        }
    }

    private static string Describe(string input) =>
        input.Length > 300 ? System.Text.Json.JsonSerializer.Serialize(input[..300]) + "..." : System.Text.Json.JsonSerializer.Serialize(input);

    [Fact]
    public void RandomBytes_ParseOrHoconException()
    {
        var rng = new Random(Seed);
        for (var i = 0; i < 600; i++)
        {
            var bytes = new byte[rng.Next(0, 200)];
            rng.NextBytes(bytes);
            Check(Encoding.UTF8.GetString(bytes), (ConfigSyntax)(i % 3), $"bytes #{i}");
        }
    }

    [Fact]
    public void TokenSoup_ParseOrHoconException()
    {
        var rng = new Random(Seed + 1);
        for (var i = 0; i < 1500; i++)
        {
            var sb = new StringBuilder();
            var n = rng.Next(1, 40);
            for (var k = 0; k < n; k++)
            {
                sb.Append(s_fragments[rng.Next(s_fragments.Length)]);
            }

            Check(sb.ToString(), i % 10 == 0 ? ConfigSyntax.Json : ConfigSyntax.Conf, $"soup #{i}");
        }
    }

    [Fact]
    public void ConformanceFiles_TruncatedAndFlipped_ParseOrHoconException()
    {
        var root = ConformanceData.Root;
        var rng = new Random(Seed + 2);
        var files = Directory.GetFiles(root, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".conf", StringComparison.Ordinal) || f.EndsWith(".json", StringComparison.Ordinal) || f.EndsWith(".properties", StringComparison.Ordinal))
            .Where(f => !f.Contains(Path.DirectorySeparatorChar + "expected" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            .OrderBy(f => f, StringComparer.Ordinal)
            .ToList();
        files.Count.ShouldBeGreaterThan(80);
        var inputs = 0;
        foreach (var f in files)
        {
            var bytes = File.ReadAllBytes(f);
            var syntax = f.EndsWith(".json", StringComparison.Ordinal) ? ConfigSyntax.Json
                : f.EndsWith(".properties", StringComparison.Ordinal) ? ConfigSyntax.Properties : ConfigSyntax.Conf;
            for (var k = 0; k < 3; k++)
            {
                var cut = rng.Next(0, bytes.Length + 1);
                Check(Encoding.UTF8.GetString(bytes, 0, cut), syntax, $"{Path.GetFileName(f)} cut at {cut}");
                var flipped = (byte[])bytes.Clone();
                for (var m = rng.Next(1, 4); m > 0 && flipped.Length > 0; m--)
                {
                    flipped[rng.Next(flipped.Length)] = (byte)rng.Next(256);
                }

                Check(Encoding.UTF8.GetString(flipped), syntax, $"{Path.GetFileName(f)} flipped #{k}");
                inputs += 2;
            }
        }

        inputs.ShouldBeGreaterThan(480);
    }

    [Fact]
    public void LargeInputs_FinishWithinTheBound()
    {
        var keys = new StringBuilder();
        var appends = new StringBuilder();
        var chain = new StringBuilder();
        for (var i = 0; i < 50_000; i++)
        {
            keys.Append("a.b.k").Append(i).Append(" = ").Append(i).Append('\n');
        }

        for (var i = 0; i < 5_000; i++)
        {
            appends.Append("list += ").Append(i).Append('\n');
            chain.Append("v").Append(i).Append(" = ${v").Append(i + 1).Append("}\n");
        }

        Check(keys.ToString(), ConfigSyntax.Conf, "50k path keys");
        Check(appends.ToString(), ConfigSyntax.Conf, "5k appends");
        Check(chain.ToString(), ConfigSyntax.Conf, "5k chained substitutions");
        Check(new string('[', 200_000), ConfigSyntax.Conf, "200k brackets");
        ConfigurationFactory.ParseString(keys.ToString()).GetInt("a.b.k49999").ShouldBe(49999);
    }

    [Fact]
    public void RenderedKeysAndValues_RoundTripThroughParser()
    {
        var property = Prop.ForAll<string, string>((key, value) =>
        {
            key ??= string.Empty;
            value ??= string.Empty;
            var text = new StringBuilder();
            text.Append(ConfigPath.RenderKey(key)).Append(" = ");
            text.Append(System.Text.Json.JsonSerializer.Serialize(value));
            var c = ConfigurationFactory.ParseStringUnresolved(text.ToString());
            return c.GetString(ConfigPath.RenderKey(key)) == value;
        });
        FsCheck.Check.QuickThrowOnFailure(property);
    }
}
