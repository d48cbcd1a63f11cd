namespace ActorNet.Host.Configuration;

/// <summary>One leaf of the effective configuration, as <c>actornet config show</c> prints it.</summary>
/// <param name="Path">Full HOCON path, e.g. <c>actornet.node.remoting.port</c>.</param>
/// <param name="Value">The value rendered as JSON (strings quoted, lists as arrays); secrets are redacted.</param>
/// <param name="Origin">Where the value came from: <c>file:line</c>, <c>reference default</c>, <c>-D</c>, <c>environment VAR</c> or <c>--node N</c>.</param>
public sealed record ConfigLeaf(string Path, string Value, string Origin);
