using System.Globalization;
using System.Text.Json;

namespace ActorNet.Hocon.Tests.Conformance;

/// <summary>Locates ../shared/conformance/hocon and compares values with the reference implementation's equality.</summary>
internal static class ConformanceData
{
    private static readonly Lazy<string?> s_root = new(Locate);

    public static string? RootOrNull => s_root.Value;

    public static string Root => s_root.Value ?? throw new InvalidOperationException(
        "HOCON conformance data not found: looked for <dir>/shared/conformance/hocon and <dir>/../shared/conformance/hocon " +
        "at every level above " + AppContext.BaseDirectory + ". Clone the repository with shared/ beside it (as CI does).");

    private static string? Locate()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null)
        {
            foreach (var candidate in new[]
            {
                Path.Combine(dir.FullName, "shared", "conformance", "hocon"),
                Path.Combine(dir.FullName, "..", "shared", "conformance", "hocon"),
            })
            {
                if (File.Exists(Path.Combine(candidate, "expected", "MANIFEST.tsv")))
                {
                    return Path.GetFullPath(candidate);
                }
            }

            dir = dir.Parent;
        }

        return null;
    }

    public sealed record Case(string Input, string Mode, string Outcome, string Expected)
    {
        public override string ToString() => $"{Input} [{Mode}]";
    }

    public static IReadOnlyList<Case> Manifest()
    {
        var root = RootOrNull;
        if (root is null)
        {
            return [];
        }

        var lines = File.ReadAllLines(Path.Combine(root, "expected", "MANIFEST.tsv"));
        var cases = new List<Case>();
        foreach (var line in lines.Skip(1))
        {
            if (line.Trim().Length == 0)
            {
                continue;
            }

            var f = line.Split('\t');
            cases.Add(new Case(f[0], f[1], f[2], f[4]));
        }

        return cases;
    }

    /// <summary>Reference equality: unordered objects, ordered arrays, strict types, numbers by value.</summary>
    public static string? Difference(HoconValue actual, JsonElement expected, string path)
    {
        switch (expected.ValueKind)
        {
            case JsonValueKind.Object:
                if (actual is not HoconObject o)
                {
                    return $"{path}: expected an object but found {actual.Type}";
                }

                var expectedKeys = expected.EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
                var actualKeys = o.Keys.ToHashSet(StringComparer.Ordinal);
                var missing = expectedKeys.Except(actualKeys).ToList();
                var extra = actualKeys.Except(expectedKeys).ToList();
                if (missing.Count > 0 || extra.Count > 0)
                {
                    return $"{path}: keys differ; missing [{string.Join(", ", missing)}], unexpected [{string.Join(", ", extra)}]";
                }

                foreach (var p in expected.EnumerateObject())
                {
                    var d = Difference(o[p.Name], p.Value, path + "." + p.Name);
                    if (d is not null)
                    {
                        return d;
                    }
                }

                return null;
            case JsonValueKind.Array:
                if (actual is not HoconArray a)
                {
                    return $"{path}: expected an array but found {actual.Type}";
                }

                var items = expected.EnumerateArray().ToList();
                if (items.Count != a.Items.Count)
                {
                    return $"{path}: expected {items.Count} elements but found {a.Items.Count}";
                }

                for (var i = 0; i < items.Count; i++)
                {
                    var d = Difference(a.Items[i], items[i], $"{path}[{i}]");
                    if (d is not null)
                    {
                        return d;
                    }
                }

                return null;
            case JsonValueKind.String:
                return actual is HoconString s && s.Value == expected.GetString()
                    ? null
                    : $"{path}: expected string {JsonSerializer.Serialize(expected.GetString())} but found {actual.Type} {actual.ToJson()}";
            case JsonValueKind.Number:
                if (actual is not HoconNumber n)
                {
                    return $"{path}: expected number {expected.GetRawText()} but found {actual.Type} {actual.ToJson()}";
                }

                var raw = expected.GetRawText();
                bool same;
                if (long.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var el) && n.IsInteger)
                {
                    same = el == n.LongValue;
                }
                else
                {
                    same = double.Parse(raw, NumberStyles.Float, CultureInfo.InvariantCulture) == n.Value;
                }

                return same ? null : $"{path}: expected number {raw} but found {n.Text}";
            case JsonValueKind.True:
            case JsonValueKind.False:
                return actual is HoconBoolean b && b.Value == (expected.ValueKind == JsonValueKind.True)
                    ? null
                    : $"{path}: expected {expected.GetRawText()} but found {actual.Type} {actual.ToJson()}";
            case JsonValueKind.Null:
                return actual is HoconNull ? null : $"{path}: expected null but found {actual.Type} {actual.ToJson()}";
            default:
                return $"{path}: unexpected JSON kind {expected.ValueKind}";
        }
    }

    public static void ShouldEqualJson(HoconValue actual, string expectedJsonPath)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(expectedJsonPath));
        var d = Difference(actual, doc.RootElement, "$");
        d.ShouldBeNull();
    }
}
