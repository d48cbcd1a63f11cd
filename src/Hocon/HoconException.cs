namespace ActorNet.Hocon;

/// <summary>
/// The one exception type thrown by the HOCON parser, resolver and getters. Parse errors read
/// <c>file:line:column: expected X but found Y</c>; getter errors name the key path, the origin of the value
/// (file:line) and what was expected. Thrown on the caller's thread; carries no resources.
/// </summary>
public sealed class HoconException : Exception
{
    /// <summary>Creates an exception with a message only (no position).</summary>
    /// <param name="message">What went wrong.</param>
    public HoconException(string message) : base(message)
    {
    }

    /// <summary>Creates an exception with a message and an inner cause.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The underlying cause, e.g. an I/O error reading an include.</param>
    public HoconException(string message, Exception innerException) : base(message, innerException)
    {
    }

    /// <summary>Creates an exception that points at a source position and, optionally, a key path.</summary>
    /// <param name="message">Full message, already including the position text.</param>
    /// <param name="originFile">File name or source description the error refers to.</param>
    /// <param name="line">1-based line, or 0 when unknown.</param>
    /// <param name="column">1-based column, or 0 when unknown.</param>
    /// <param name="path">The key path involved, if any.</param>
    public HoconException(string message, string? originFile, int line, int column, string? path)
        : base(message)
    {
        OriginFile = originFile;
        Line = line;
        Column = column;
        Path = path;
    }

    /// <summary>Creates an exception without arguments (for serializers and frameworks).</summary>
    public HoconException()
    {
    }

    /// <summary>The file (or source description) the error refers to, when known.</summary>
    public string? OriginFile { get; }

    /// <summary>1-based line of the error, or 0 when unknown.</summary>
    public int Line { get; }

    /// <summary>1-based column of the error, or 0 when unknown (getter and resolve errors know only the line).</summary>
    public int Column { get; }

    /// <summary>The key path involved (e.g. <c>akka.cluster.seed-nodes</c>), when the error is about a key.</summary>
    public string? Path { get; }

    internal static HoconException Parse(string source, int line, int column, string what) =>
        new($"{source}:{line}:{column}: {what}", source, line, column, null);

    internal static HoconException AtOrigin(ConfigOrigin origin, string? path, string what)
    {
        var where = origin.ToString();
        var prefix = path is null ? $"{where}: " : $"{where}: {path}: ";
        return new HoconException(prefix + what, origin.File ?? origin.Description, origin.Line, 0, path);
    }
}
