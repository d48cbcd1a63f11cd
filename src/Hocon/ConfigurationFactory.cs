using System.Runtime.CompilerServices;
using ActorNet.Hocon.Parsing;

namespace ActorNet.Hocon;

/// <summary>
/// Entry points that turn HOCON text and files into <see cref="Config"/>. Thread-safe (no shared state); all work
/// happens on the caller's thread. <c>Parse*</c> methods return resolved configs (environment fallback on, like
/// Akka); <c>Parse*Unresolved</c> methods return configs meant to be layered with <see cref="Config.WithFallback"/> and
/// resolved once with <see cref="Config.Resolve"/>.
/// </summary>
public static class ConfigurationFactory
{
    /// <summary>An empty, resolved configuration.</summary>
    public static Config Empty => Config.Empty;

    /// <summary>Parses and resolves HOCON text. Relative includes are looked up from the process working directory.</summary>
    /// <param name="text">The HOCON text.</param>
    /// <param name="originDescription">How origins and errors name this source (default "String").</param>
    /// <returns>The resolved configuration.</returns>
    /// <exception cref="HoconException">On a syntax error (with line and column) or an unresolvable substitution.</exception>
    public static Config ParseString(string text, string? originDescription = null) =>
        ParseStringUnresolved(text, originDescription).Resolve();

    /// <summary>Parses HOCON (or JSON/properties) text without resolving substitutions.</summary>
    /// <param name="text">The text.</param>
    /// <param name="originDescription">How origins and errors name this source (default "String").</param>
    /// <param name="syntax">The syntax of the text (default HOCON).</param>
    /// <returns>The unresolved configuration.</returns>
    /// <exception cref="HoconException">On a syntax error (with line and column).</exception>
    public static Config ParseStringUnresolved(string text, string? originDescription = null, ConfigSyntax syntax = ConfigSyntax.Conf)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Guard(() => new Config(SourceLoader.ParseText(text, originDescription ?? "String", null, syntax, new ParseContext(), 0)));
    }

    /// <summary>Parses and resolves a file; the syntax follows the extension (.json strict JSON, .properties, else HOCON).</summary>
    /// <param name="path">The file path.</param>
    /// <returns>The resolved configuration.</returns>
    /// <exception cref="HoconException">When the file is missing, malformed, or a substitution cannot be resolved.</exception>
    public static Config ParseFile(string path) => ParseFileUnresolved(path).Resolve();

    /// <summary>Parses a file without resolving; the syntax follows the extension.</summary>
    /// <param name="path">The file path.</param>
    /// <returns>The unresolved configuration.</returns>
    /// <exception cref="HoconException">When the file is missing or malformed.</exception>
    public static Config ParseFileUnresolved(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return ParseFileUnresolved(path, SourceLoader.SyntaxFromExtension(path));
    }

    /// <summary>Parses a file with an explicit syntax (e.g. a <c>.json</c> file read as HOCON), without resolving.</summary>
    /// <param name="path">The file path.</param>
    /// <param name="syntax">The syntax to use regardless of the extension.</param>
    /// <returns>The unresolved configuration.</returns>
    /// <exception cref="HoconException">When the file is missing or malformed.</exception>
    public static Config ParseFileUnresolved(string path, ConfigSyntax syntax)
    {
        ArgumentNullException.ThrowIfNull(path);
        var full = Path.GetFullPath(path);
        return Guard(() => new Config(SourceLoader.LoadFile(full, syntax, new ParseContext(), null, null, 0)
            ?? throw new HoconException($"{path}: expected a configuration file but it does not exist", path, 0, 0, null)));
    }

    /// <summary>
    /// Loads a basename without extension: <c>name.properties</c>, <c>name.json</c> and <c>name.conf</c>, all that exist,
    /// merged with <c>.conf</c> winning over <c>.json</c> over <c>.properties</c>. Not resolved.
    /// </summary>
    /// <param name="basePath">The path without extension.</param>
    /// <returns>The unresolved configuration.</returns>
    /// <exception cref="HoconException">When none of the files exists, or one is malformed.</exception>
    public static Config ParseFileAnySyntaxUnresolved(string basePath)
    {
        ArgumentNullException.ThrowIfNull(basePath);
        var full = Path.GetFullPath(basePath);
        return Guard(() => new Config(SourceLoader.LoadAnySyntax(full, new ParseContext(), null, null, 0)
            ?? throw new HoconException($"{basePath}: expected {basePath}.conf, .json or .properties but none exists", basePath, 0, 0, null)));
    }

    /// <summary>
    /// Builds a resolved configuration from path/value pairs, every value a string (like Java system properties):
    /// the form for <c>-D key=value</c> overrides and environment layers. Getters convert the strings (numbers,
    /// booleans, durations, sizes) on read. Later pairs win over earlier ones for the same path.
    /// </summary>
    /// <param name="properties">Pairs of path expression (e.g. <c>actornet.node.remoting.port</c>) and value.</param>
    /// <param name="originDescription">How origins name this source, e.g. "-D" or "environment".</param>
    /// <returns>The configuration.</returns>
    /// <exception cref="HoconException">When a key is not a valid path expression.</exception>
    public static Config FromProperties(IEnumerable<KeyValuePair<string, string>> properties, string originDescription)
    {
        ArgumentNullException.ThrowIfNull(properties);
        ArgumentNullException.ThrowIfNull(originDescription);
        var origin = new ConfigOrigin(originDescription, null, 0);
        var root = HoconObject.Empty;
        foreach (var kv in properties)
        {
            var keys = ConfigPath.Parse(kv.Key);
            var leaf = Values.ValueOps.WrapPath(keys, 0, new HoconString(kv.Value ?? string.Empty, origin));
            var fields = new OrderedDictionary<string, HoconValue> { [keys[0]] = leaf };
            root = Values.ValueOps.MergeObjects(new HoconObject(fields, origin), root);
        }

        return new Config(root);
    }

    internal static T Guard<T>(Func<T> f)
    {
        try
        {
            return f();
        }
        catch (InsufficientExecutionStackException)
        {
            throw new HoconException("expected a less deeply nested document but ran out of stack while processing it");
        }
    }

    internal static void EnsureStack()
    {
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            throw new HoconException("expected a less deeply nested configuration but ran out of stack while processing it");
        }
    }
}
