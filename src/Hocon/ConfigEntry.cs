namespace ActorNet.Hocon;

/// <summary>
/// One leaf of a configuration (a value that is not a non-empty object) with its path and origin;
/// listed by <see cref="Config.Entries"/> for <c>config show</c>. Immutable.
/// </summary>
/// <param name="Path">The path expression (keys quoted where needed), e.g. <c>akka.actor."System.Byte[]"</c>.</param>
/// <param name="Keys">The path as separate keys.</param>
/// <param name="Value">The value at the path.</param>
/// <param name="Origin">Where the value came from.</param>
public sealed record ConfigEntry(string Path, IReadOnlyList<string> Keys, HoconValue Value, ConfigOrigin Origin);
