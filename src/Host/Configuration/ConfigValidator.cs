using System.Globalization;
using ActorNet.Hocon;

namespace ActorNet.Host.Configuration;

/// <summary>The outcome of <see cref="ConfigValidator.Validate"/>.</summary>
/// <param name="Problems">Every problem, one line each, prefixed with file:line where known; empty when valid.</param>
/// <param name="NodeIds">Node ids of the file's node sections that were checked.</param>
public sealed record ValidationReport(IReadOnlyList<string> Problems, IReadOnlyList<int> NodeIds)
{
    /// <summary>True when no problem was found.</summary>
    public bool IsValid => Problems.Count == 0;
}

/// <summary>
/// Checks a cluster (or node) file the way <c>actornet config validate</c> reports it: syntax, unknown keys
/// (with a "did you mean" from the reference), types and ranges of every settings record for every node
/// section, and clashes between node sections (ids, names, ports, addresses). Collects every problem rather
/// than stopping at the first, except for a syntax error, after which nothing else can be read. Reads only the
/// file and the embedded reference: no <c>-D</c>, no environment. Pure apart from reading the file.
/// </summary>
public static class ConfigValidator
{
    private static readonly System.Text.RegularExpressions.Regex s_linePrefix = new(@"^[^\s]+?:(\d+): ", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    /// <summary>Validates <paramref name="file"/>.</summary>
    public static ValidationReport Validate(string file)
    {
        var problems = new List<string>();
        if (!File.Exists(file))
        {
            return new ValidationReport([$"{file}: no such file"], []);
        }

        Config merged;
        try
        {
            var parsed = ConfigurationFactory.ParseFileUnresolved(file);
            merged = parsed.WithFallback(ConfigLoader.ParseReference()).Resolve(new ResolveOptions { UseEnvironment = true });
        }
        catch (HoconException ex)
        {
            return new ValidationReport([ex.Message], []);
        }

        var reference = ConfigLoader.Reference();
        var knownLeaves = ConfigTree.Leaves(reference.Root).Select(l => l.Path).ToHashSet(StringComparer.Ordinal);
        var knownSections = ConfigTree.Objects(reference.Root).Select(o => o.Path).ToHashSet(StringComparer.Ordinal);
        var openSections = ConfigTree.Objects(reference.Root).Where(o => o.Value.Count == 0 && o.Path != "actornet.nodes").Select(o => o.Path).ToArray();

        // Unknown keys outside the node sections. A section replaced by a plain value is reported once, and the
        // settings problems below it (every key of that section is then missing) are left out.
        var replacedSections = new List<string>();
        foreach (var (path, value) in ConfigTree.Leaves(merged.Root))
        {
            if (!path.StartsWith("actornet.", StringComparison.Ordinal) || path.StartsWith("actornet.nodes.", StringComparison.Ordinal))
            {
                continue;
            }

            if (knownSections.Contains(path))
            {
                replacedSections.Add(path + ".");
            }

            CheckKey(path, path, value, knownLeaves, knownSections, openSections, problems);
        }

        // Node sections: keys are node ids, contents are keys relative to actornet.
        var nodeIds = new List<int>();
        if (merged.HasPath("actornet.nodes") && merged.GetConfig("actornet.nodes").Root is HoconObject nodes)
        {
            var seen = new Dictionary<int, string>();
            foreach (var (key, section) in nodes.Fields)
            {
                var where = Where(section.Origin);
                if (!int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id is < NodeSettings.MinId or > NodeSettings.MaxId)
                {
                    problems.Add($"{where}actornet.nodes.{key}: node section keys are node ids 1..65534; rename the section");
                    continue;
                }

                if (seen.TryGetValue(id, out var other))
                {
                    problems.Add($"{where}actornet.nodes.{key}: node id {id} is already defined by section actornet.nodes.{other}; node ids must be unique");
                    continue;
                }

                seen[id] = key;
                if (section is not HoconObject sectionObject)
                {
                    problems.Add($"{where}actornet.nodes.{key} must be an object of keys relative to actornet, e.g. {{ node.remoting.port = 4701 }}");
                    continue;
                }

                foreach (var (relative, value) in ConfigTree.Leaves(sectionObject))
                {
                    var full = "actornet." + relative;
                    if (relative.StartsWith("nodes.", StringComparison.Ordinal))
                    {
                        problems.Add($"{Where(value.Origin)}actornet.nodes.{key}.{relative}: node sections cannot nest node sections; move it to actornet.nodes");
                        continue;
                    }

                    if (full == "actornet.node.id" && value is HoconNumber n && n.LongValue != id)
                    {
                        problems.Add($"{Where(value.Origin)}actornet.nodes.{key}.node.id = {n.Text} contradicts the section's node id {id}; remove it (the section key is the node id)");
                        continue;
                    }

                    CheckKey(full, $"actornet.nodes.{key}.{relative}", value, knownLeaves, knownSections, openSections, problems, "actornet.nodes." + key + ".");
                }

                nodeIds.Add(id);
            }
        }

        // Settings of every node (or of the file alone when it has no node sections).
        var perNode = new List<(int Node, IReadOnlyList<string> Problems)>();
        var identities = new List<NodeIdentity>();
        if (nodeIds.Count == 0)
        {
            perNode.Add((0, SettingsProblems(file, null, identities)));
        }
        else
        {
            foreach (var id in nodeIds)
            {
                perNode.Add((id, SettingsProblems(file, id, identities)));
            }
        }

        perNode = perNode.Select(p => (p.Node, (IReadOnlyList<string>)p.Problems.Where(m => !replacedSections.Any(r => m.Contains(r, StringComparison.Ordinal))).ToArray())).ToList();

        // A problem every node shares is reported once; the others name their node.
        var shared = perNode.Select(p => p.Problems).Aggregate((a, b) => a.Intersect(b).ToArray()).ToHashSet(StringComparer.Ordinal);
        problems.AddRange(perNode[0].Problems.Where(shared.Contains));
        foreach (var (node, nodeProblems) in perNode)
        {
            problems.AddRange(nodeProblems.Where(p => !shared.Contains(p)).Select(p => $"node {node.ToString(CultureInfo.InvariantCulture)}: {p}"));
        }

        problems.AddRange(Clashes(identities));
        // Problems that point into the file come first, in line order; the rest keep their order.
        return new ValidationReport(problems.Distinct(StringComparer.Ordinal).OrderBy(LineOf).ToArray(), nodeIds);
    }

    private static void CheckKey(string referencePath, string shownPath, HoconValue value, HashSet<string> knownLeaves, HashSet<string> knownSections, string[] openSections, List<string> problems, string shownPrefix = "")
    {
        if (knownLeaves.Contains(referencePath) || openSections.Any(s => referencePath.StartsWith(s + ".", StringComparison.Ordinal)))
        {
            return;
        }

        var where = Where(value.Origin);
        if (knownSections.Contains(referencePath))
        {
            problems.Add($"{where}{shownPath} has the wrong type: it is a section (object) in the reference configuration, not a {value.Type.ToString().ToLowerInvariant()}; write {shownPath} {{ ... }}");
            return;
        }

        var suggestion = KeySuggester.Suggest(referencePath, knownLeaves);
        var shownSuggestion = suggestion is null ? null : shownPrefix.Length == 0 ? suggestion : shownPrefix + suggestion["actornet.".Length..];
        var hint = shownSuggestion is null ? "remove it, or see hocon/reference.conf for the keys" : $"did you mean {shownSuggestion}?";
        problems.Add($"{where}{shownPath} is not an ActorNet key: {hint}");
    }

    private static IReadOnlyList<string> SettingsProblems(string file, int? node, List<NodeIdentity> identities)
    {
        LoadedConfiguration loaded;
        try
        {
            loaded = ConfigLoader.Load(new ConfigLoadOptions(file, node));
        }
        catch (HoconException ex)
        {
            return [ex.Message];
        }
        catch (ConfigLoadException ex)
        {
            return [ex.Message];
        }

        var (settings, problems) = ActorNetSettings.ReadAll(loaded.Config);
        var origins = loaded.Leaves().ToDictionary(l => l.Path, l => l.Origin, StringComparer.Ordinal);
        var lines = problems.Select(p => origins.TryGetValue(p.Path, out var o) && !o.StartsWith("reference default", StringComparison.Ordinal) && !o.StartsWith("--node", StringComparison.Ordinal) ? $"{o}: {p.Message}" : p.Message).ToList();
        if (node is { } id)
        {
            identities.Add(new NodeIdentity(id, settings.Node.Name, $"{settings.Node.Remoting.Hostname}:{settings.Node.Remoting.Port}", settings.Ops.Enabled ? $"{settings.Ops.Hostname}:{settings.Ops.Port}" : null, settings.Networks.Local.Enabled ? settings.Networks.Local.Address?.ToString() : null));
        }

        return lines;
    }

    private static IEnumerable<string> Clashes(List<NodeIdentity> identities)
    {
        foreach (var (what, key, select) in new (string, string, Func<NodeIdentity, string?>)[]
        {
            ("name", "node.name", n => n.Name),
            ("remoting endpoint", "node.remoting.port", n => n.Remoting.EndsWith(":0", StringComparison.Ordinal) ? null : n.Remoting),
            ("ops endpoint", "ops.port", n => n.Ops is { } o && !o.EndsWith(":0", StringComparison.Ordinal) ? o : null),
            ("local network address", "networks.local.address", n => n.LocalAddress),
        })
        {
            foreach (var group in identities.Where(n => select(n) is not null).GroupBy(n => select(n)!, StringComparer.Ordinal).Where(g => g.Count() > 1))
            {
                var ids = string.Join(" and ", group.Select(n => n.Id.ToString(CultureInfo.InvariantCulture)));
                yield return $"nodes {ids} share the {what} {group.Key}; give each node its own {key} in its section";
            }
        }

        var endpoints = identities.SelectMany(n => new[] { (n.Id, n.Remoting, "remoting"), (n.Id, n.Ops, "ops") })
            .Where(e => e.Item2 is not null && !e.Item2.EndsWith(":0", StringComparison.Ordinal))
            .GroupBy(e => e.Item2!, StringComparer.Ordinal)
            .Where(g => g.Select(e => e.Item3).Distinct().Count() > 1);
        foreach (var group in endpoints)
        {
            yield return $"{group.Key} is both a remoting and an ops endpoint ({string.Join(", ", group.Select(e => $"node {e.Id} {e.Item3}"))}); give each its own port";
        }
    }

    private static string Where(ConfigOrigin origin) => origin.File is not null && origin.Line > 0 ? LoadedConfiguration.Describe(origin) + ": " : string.Empty;

    private static int LineOf(string problem)
    {
        var match = s_linePrefix.Match(problem);
        return match.Success ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : int.MaxValue;
    }

    private sealed record NodeIdentity(int Id, string Name, string Remoting, string? Ops, string? LocalAddress);
}
