namespace ActorNet.Hocon;

/// <summary>The syntax of a configuration source.</summary>
public enum ConfigSyntax
{
    /// <summary>HOCON (the default; a superset of JSON).</summary>
    Conf,

    /// <summary>Strict JSON: no comments, unquoted text, substitutions, includes or concatenation.</summary>
    Json,

    /// <summary>Java <c>.properties</c>: every value a string, dotted keys become paths.</summary>
    Properties,
}
