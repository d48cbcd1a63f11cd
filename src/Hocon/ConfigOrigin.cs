namespace ActorNet.Hocon;

/// <summary>
/// Where a configuration value came from: a file (with line) or a described source such as
/// "reference.conf (embedded)", "-D", or an environment variable. Immutable; shared freely across threads.
/// Used by <c>config show</c> to print the origin of every value and by errors to point at the source.
/// </summary>
/// <param name="Description">Human description of the source: the file path as given, or the description passed to the parse call.</param>
/// <param name="File">Full path of the source file, or <c>null</c> when the value did not come from a file.</param>
/// <param name="Line">1-based line in the source, or 0 when the source has no lines (environment variable, API).</param>
public sealed record ConfigOrigin(string Description, string? File, int Line)
{
    /// <summary>Origin used for values created by the API itself (empty config, merges without a source).</summary>
    public static ConfigOrigin None { get; } = new("(none)", null, 0);

    /// <summary>Returns the same source at another line.</summary>
    /// <param name="line">1-based line number.</param>
    /// <returns>A new origin with <paramref name="line"/>.</returns>
    public ConfigOrigin AtLine(int line) => this with { Line = line };

    /// <summary>Renders the origin as <c>description:line</c> (or just the description when there is no line).</summary>
    /// <returns>The rendered origin.</returns>
    public override string ToString() => Line > 0 ? $"{Description}:{Line}" : Description;
}
