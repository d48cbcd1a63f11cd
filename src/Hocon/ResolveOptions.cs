namespace ActorNet.Hocon;

/// <summary>Options for <see cref="Config.Resolve(ResolveOptions?)"/>. Immutable.</summary>
public sealed record ResolveOptions
{
    /// <summary>Default options: environment variables are used as a fallback for substitutions not found in the tree.</summary>
    public static ResolveOptions Default { get; } = new();

    /// <summary>Options without environment-variable fallback (conformance tests, reproducible resolution).</summary>
    public static ResolveOptions NoEnvironment { get; } = new() { UseEnvironment = false };

    /// <summary>
    /// When true (the default), a substitution whose path is not in the tree is looked up as an environment variable
    /// named by the path (e.g. <c>${HOME}</c>, <c>${ACTORNET_SECRET}</c>); the value becomes a string.
    /// </summary>
    public bool UseEnvironment { get; init; } = true;

    /// <summary>
    /// Source of environment variables; null means the process environment. Lets tests and hosts supply their own map.
    /// </summary>
    public IReadOnlyDictionary<string, string>? Environment { get; init; }
}
