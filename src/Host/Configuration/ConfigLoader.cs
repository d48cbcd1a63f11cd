using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ActorNet.Actors.Cluster;
using ActorNet.Hocon;

namespace ActorNet.Host.Configuration;

/// <summary>What to assemble: the layers above the embedded reference configuration.</summary>
/// <param name="ConfigFile">Cluster or node file; null = the reference alone.</param>
/// <param name="Node">Node id whose section <c>actornet.nodes.N</c> is overlaid onto <c>actornet</c>; null = none.</param>
/// <param name="Overrides"><c>-D key=value</c> arguments in command-line order (later wins).</param>
/// <param name="Environment">Environment variables to apply with the <see cref="EnvironmentConvention"/>; null = none.</param>
public sealed record ConfigLoadOptions(
    string? ConfigFile = null,
    int? Node = null,
    IReadOnlyList<string>? Overrides = null,
    IReadOnlyDictionary<string, string>? Environment = null);

/// <summary>
/// Assembles the effective configuration of a process, lowest to highest:
/// embedded reference.conf &lt;- cluster file &lt;- the node's section (<c>actornet.nodes.N</c>, which also sets
/// <c>actornet.node.id = N</c>) &lt;- <c>-D key=value</c> &lt;- environment (<see cref="EnvironmentConvention"/>),
/// then resolves substitutions once over the whole stack, and remembers where every leaf came from. Called by
/// the CLI and the node daemon on the main thread at start-up; the result is immutable.
/// </summary>
public static class ConfigLoader
{
    /// <summary>Name of the embedded resource holding hocon/reference.conf (in ActorNet.Actors).</summary>
    public const string ReferenceResource = "ActorNet.reference.conf";

    /// <summary>Origin description given to the embedded reference configuration.</summary>
    public const string ReferenceDescription = "reference.conf";

    /// <summary>Origin description of <c>-D</c> overrides.</summary>
    public const string OverrideDescription = "-D";

    private const string NodeSectionDescription = "(node section)";

    private static readonly Lazy<string> s_referenceText = new(ReadReference);

    private static readonly Regex s_overrideKey = new("^[A-Za-z0-9_\"][A-Za-z0-9_.\"-]*$", RegexOptions.CultureInvariant);

    /// <summary>Text of the embedded reference configuration.</summary>
    public static string ReferenceText => s_referenceText.Value;

    /// <summary>Parses the embedded reference configuration (unresolved, for layering).</summary>
    public static Config ParseReference() => ConfigurationFactory.ParseStringUnresolved(ReferenceText, ReferenceDescription);

    /// <summary>The embedded reference configuration, resolved without environment fallback.</summary>
    public static Config Reference() => ParseReference().Resolve(new ResolveOptions { UseEnvironment = false });

    /// <summary>Builds the effective configuration.</summary>
    /// <exception cref="HoconException">A layer does not parse or a substitution cannot be resolved (message reads file:line:column).</exception>
    /// <exception cref="ConfigLoadException">A missing file or node section, or a malformed <c>-D</c>.</exception>
    public static LoadedConfiguration Load(ConfigLoadOptions options)
    {
        var layers = new List<string> { "reference.conf (embedded)" };
        var stack = ParseReference();
        if (options.ConfigFile is { } file)
        {
            if (!File.Exists(file))
            {
                throw new ConfigLoadException($"{file}: no such file; pass an existing cluster file to --config (e.g. hocon/cluster.conf)");
            }

            stack = ConfigurationFactory.ParseFileUnresolved(file).WithFallback(stack);
            layers.Add(file);
        }

        var sectionOrigins = new Dictionary<string, ConfigOrigin>(StringComparer.Ordinal);
        if (options.Node is { } node)
        {
            if (node is < NodeSettings.MinId or > NodeSettings.MaxId)
            {
                throw new ConfigLoadException($"--node {node.ToString(CultureInfo.InvariantCulture)} is out of range: node ids are 1..65534");
            }

            var nodeText = node.ToString(CultureInfo.InvariantCulture);
            var preliminary = stack.Resolve(new ResolveOptions { UseEnvironment = true });
            var sectionPath = "actornet.nodes.\"" + nodeText + "\"";
            if (!preliminary.HasPath(sectionPath))
            {
                var defined = NodeSectionIds(preliminary);
                var where = options.ConfigFile ?? "the configuration";
                throw new ConfigLoadException(defined.Count == 0
                    ? $"--node {nodeText}: {where} has no node sections (actornet.nodes.<id> {{ ... }}); add one or set actornet.node.id"
                    : $"--node {nodeText}: {where} has no section actornet.nodes.{nodeText}; defined nodes: {string.Join(", ", defined)}");
            }

            var section = preliminary.GetConfig(sectionPath);
            if (section.Root is not HoconObject sectionObject)
            {
                throw new ConfigLoadException($"actornet.nodes.{nodeText} must be an object of keys relative to actornet, e.g. {{ node.remoting.port = 4701 }}");
            }

            foreach (var (path, value) in ConfigTree.Leaves(sectionObject))
            {
                sectionOrigins["actornet." + path] = value.Origin;
            }

            var layerText = "actornet : " + sectionObject.ToJson(false) + "\nactornet.node.id = " + nodeText + "\n";
            stack = ConfigurationFactory.ParseStringUnresolved(layerText, NodeSectionDescription).WithFallback(stack);
            layers.Add($"actornet.nodes.{nodeText}");
        }

        foreach (var entry in options.Overrides ?? [])
        {
            var eq = entry.IndexOf('=', StringComparison.Ordinal);
            var key = eq > 0 ? entry[..eq].Trim() : string.Empty;
            if (eq <= 0 || !s_overrideKey.IsMatch(key))
            {
                throw new ConfigLoadException($"-D {entry}: expected -D key=value, e.g. -D actornet.node.remoting.port=4999");
            }

            var text = key + " = " + FormatValue(entry[(eq + 1)..].Trim(), allowSubstitutions: true);
            Config layer;
            try
            {
                layer = ConfigurationFactory.ParseStringUnresolved(text, OverrideDescription);
            }
            catch (HoconException ex)
            {
                throw new ConfigLoadException($"-D {entry}: not a valid HOCON setting ({ex.Message})", ex);
            }

            stack = layer.WithFallback(stack);
            layers.Add("-D " + key);
        }

        var ignored = new List<string>();
        if (options.Environment is { } environment)
        {
            var known = KnownLeafPaths();
            foreach (var (name, value) in environment.OrderBy(e => e.Key, StringComparer.Ordinal))
            {
                if (EnvironmentConvention.ToPath(name) is not { } path)
                {
                    continue;
                }

                if (!known.Contains(path))
                {
                    ignored.Add($"{name} (actornet has no key {path})");
                    continue;
                }

                var description = "environment " + name;
                stack = ConfigurationFactory.ParseStringUnresolved(path + " = " + FormatValue(value, allowSubstitutions: false), description).WithFallback(stack);
                layers.Add(description);
            }
        }

        var resolved = stack.Resolve(new ResolveOptions { UseEnvironment = true });
        return new LoadedConfiguration(resolved, sectionOrigins, options.Node, layers, ignored);
    }

    /// <summary>Node ids of the sections under <c>actornet.nodes</c> of a resolved configuration, as written.</summary>
    public static IReadOnlyList<string> NodeSectionIds(Config resolved)
    {
        if (!resolved.HasPath("actornet.nodes") || resolved.GetConfig("actornet.nodes").Root is not HoconObject nodes)
        {
            return [];
        }

        return nodes.Keys.ToArray();
    }

    /// <summary>Every leaf path of the reference configuration.</summary>
    public static HashSet<string> KnownLeafPaths() =>
        ConfigTree.Leaves(Reference().Root).Select(l => l.Path).ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// Turns a command-line or environment value into HOCON text: numbers, booleans, null, lists and objects
    /// are kept as written; anything else becomes a quoted string (so <c>10.0.0.1</c> or <c>a:b</c> are strings).
    /// Substitutions are kept only when <paramref name="allowSubstitutions"/> (never for environment values).
    /// </summary>
    public static string FormatValue(string raw, bool allowSubstitutions)
    {
        if (Regex.IsMatch(raw, "^-?[0-9]+(\\.[0-9]+)?$", RegexOptions.CultureInvariant) || raw is "true" or "false" or "null")
        {
            return raw;
        }

        if ((raw.StartsWith('[') || raw.StartsWith('{') || raw.StartsWith('"')) && (allowSubstitutions || !raw.Contains("${", StringComparison.Ordinal)))
        {
            return raw;
        }

        if (allowSubstitutions && raw.StartsWith("${", StringComparison.Ordinal) && raw.EndsWith('}'))
        {
            return raw;
        }

        return JsonSerializer.Serialize(raw);
    }

    private static string ReadReference()
    {
        using var stream = typeof(ClusterSettings).Assembly.GetManifestResourceStream(ReferenceResource)
            ?? throw new InvalidOperationException($"The embedded resource {ReferenceResource} is missing from ActorNet.Actors; the build is broken.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    internal static string NodeSection => NodeSectionDescription;
}

/// <summary>
/// The effective configuration of a process and where each value came from. Immutable; produced by
/// <see cref="ConfigLoader.Load"/>.
/// </summary>
public sealed class LoadedConfiguration
{
    private static readonly string[] s_secretPaths = ["actornet.cluster.secret", "actornet.persistence.postgresql.connection-string", "actornet.persistence.sqlite.connection-string"];

    private readonly IReadOnlyDictionary<string, ConfigOrigin> _sectionOrigins;
    private readonly int? _node;

    internal LoadedConfiguration(Config config, IReadOnlyDictionary<string, ConfigOrigin> sectionOrigins, int? node, IReadOnlyList<string> layers, IReadOnlyList<string> ignoredEnvironment)
    {
        Config = config;
        _sectionOrigins = sectionOrigins;
        _node = node;
        Layers = layers;
        IgnoredEnvironment = ignoredEnvironment;
    }

    /// <summary>The resolved configuration; settings records are built from it.</summary>
    public Config Config { get; }

    /// <summary>The layers applied, lowest first (for logs and <c>config show</c>).</summary>
    public IReadOnlyList<string> Layers { get; }

    /// <summary><c>ACTORNET_*</c> variables that name no key of the reference and were therefore not applied.</summary>
    public IReadOnlyList<string> IgnoredEnvironment { get; }

    /// <summary>True when <paramref name="path"/> holds a secret that <c>config show</c> must not print.</summary>
    public static bool IsSecret(string path) => s_secretPaths.Contains(path, StringComparer.Ordinal);

    /// <summary>Every leaf with its value (secrets redacted) and origin, sorted by path.</summary>
    public IReadOnlyList<ConfigLeaf> Leaves()
    {
        var leaves = new List<ConfigLeaf>();
        foreach (var (path, value) in ConfigTree.Leaves(Config.Root))
        {
            var text = IsSecret(path) && value is HoconString { Value.Length: > 0 } s ? Redacted(s.Value) : value.ToJson(false);
            leaves.Add(new ConfigLeaf(path, text, OriginOf(path, value.Origin)));
        }

        leaves.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        return leaves;
    }

    /// <summary>Where the value at <paramref name="path"/> came from, or null when the path is not a leaf.</summary>
    public string? OriginOf(string path)
    {
        foreach (var (p, value) in ConfigTree.Leaves(Config.Root))
        {
            if (p == path)
            {
                return OriginOf(p, value.Origin);
            }
        }

        return null;
    }

    /// <summary>The resolved tree as one JSON document (durations and sizes stay the strings written, e.g. "200ms"); secrets redacted.</summary>
    public string ToJson(bool indented)
    {
        var node = JsonNode.Parse(Config.Root.ToJson(false))!;
        foreach (var path in s_secretPaths)
        {
            var keys = path.Split('.');
            var parent = node;
            for (var i = 0; i < keys.Length - 1 && parent is not null; i++)
            {
                parent = parent is JsonObject o && o.TryGetPropertyValue(keys[i], out var child) ? child : null;
            }

            if (parent is JsonObject owner && owner[keys[^1]] is JsonValue v && v.TryGetValue<string>(out var secret) && secret.Length > 0)
            {
                owner[keys[^1]] = Redacted(secret)[1..^1];
            }
        }

        return node.ToJsonString(new JsonSerializerOptions { WriteIndented = indented });
    }

    private static string Redacted(string secret) => $"\"<redacted: {secret.Length.ToString(CultureInfo.InvariantCulture)} characters>\"";

    private string OriginOf(string path, ConfigOrigin origin)
    {
        if (origin.Description == ConfigLoader.NodeSection)
        {
            if (_sectionOrigins.TryGetValue(path, out var fromSection))
            {
                return Describe(fromSection);
            }

            return "--node " + (_node ?? 0).ToString(CultureInfo.InvariantCulture);
        }

        return Describe(origin);
    }

    /// <summary>Renders an origin for operators: reference default, -D, environment VAR, or file:line (relative to the working directory when under it).</summary>
    internal static string Describe(ConfigOrigin origin)
    {
        if (origin.Description == ConfigLoader.ReferenceDescription)
        {
            return origin.Line > 0 ? $"reference default (reference.conf:{origin.Line.ToString(CultureInfo.InvariantCulture)})" : "reference default";
        }

        if (origin.Description == ConfigLoader.OverrideDescription || origin.Description.StartsWith("environment ", StringComparison.Ordinal))
        {
            return origin.Description;
        }

        if (origin.File is { } file)
        {
            // Files under the working directory are shown relative to it, as an operator typed them.
            var relative = Path.GetRelativePath(Directory.GetCurrentDirectory(), file);
            var shown = relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? file : relative;
            return origin.Line > 0 ? $"{shown}:{origin.Line.ToString(CultureInfo.InvariantCulture)}" : shown;
        }

        return origin.ToString();
    }
}
