namespace ActorNet.Host.Configuration;

/// <summary>
/// A configuration could not be assembled for a reason other than HOCON syntax (a missing node section, a
/// malformed <c>-D</c>, an unreadable file). The message is one line meant for the operator; the CLI prints it
/// and exits with code 2.
/// </summary>
public sealed class ConfigLoadException : Exception
{
    /// <summary>Creates the exception with the operator-facing message.</summary>
    public ConfigLoadException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with the operator-facing message and its cause.</summary>
    public ConfigLoadException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception without a message (for frameworks).</summary>
    public ConfigLoadException()
    {
    }
}
