using System.Collections;
using Microsoft.Extensions.Logging;

namespace ActorNet.Actors.Event;

/// <summary>
/// An actor's logger (Akka's <c>ILoggingAdapter</c>), obtained with <c>Context.GetLogger()</c>. Every event is
/// written to the system's <see cref="ILoggerFactory"/> inside a scope carrying <c>ActorPath</c> and
/// <c>ActorSystem</c> properties, so a Serilog host gets them as structured properties. Templates use
/// Microsoft.Extensions.Logging message-template syntax. Callable from the actor's thread (or any thread).
/// </summary>
public interface ILoggingAdapter
{
    /// <summary>True when events at <paramref name="level"/> are written.</summary>
    bool IsEnabled(LogLevel level);

    /// <summary>Writes one event.</summary>
    void Log(LogLevel level, Exception? exception, string template, params object?[] args);

    /// <summary>Writes a Debug event.</summary>
    void Debug(string template, params object?[] args);

    /// <summary>Writes an Information event.</summary>
    void Info(string template, params object?[] args);

    /// <summary>Writes a Warning event.</summary>
    void Warning(string template, params object?[] args);

    /// <summary>Writes an Error event.</summary>
    void Error(string template, params object?[] args);

    /// <summary>Writes an Error event with its exception.</summary>
    void Error(Exception exception, string template, params object?[] args);
}

/// <summary>The <see cref="ILoggingAdapter"/> over an <see cref="ILogger"/> with a cached path scope.</summary>
internal sealed class ActorLoggingAdapter(ILogger logger, ActorLogScope scope) : ILoggingAdapter
{
    public bool IsEnabled(LogLevel level) => logger.IsEnabled(level);

    public void Log(LogLevel level, Exception? exception, string template, params object?[] args)
    {
        if (!logger.IsEnabled(level))
        {
            return;
        }

        using (logger.BeginScope(scope))
        {
#pragma warning disable CA2254 // the template is the caller's constant, passed through
            logger.Log(level, exception, template, args);
#pragma warning restore CA2254
        }
    }

    public void Debug(string template, params object?[] args) => Log(LogLevel.Debug, null, template, args);

    public void Info(string template, params object?[] args) => Log(LogLevel.Information, null, template, args);

    public void Warning(string template, params object?[] args) => Log(LogLevel.Warning, null, template, args);

    public void Error(string template, params object?[] args) => Log(LogLevel.Error, null, template, args);

    public void Error(Exception exception, string template, params object?[] args) => Log(LogLevel.Error, exception, template, args);
}

/// <summary>
/// The logging scope state of one actor: the properties <c>ActorPath</c> and <c>ActorSystem</c>. Allocated once
/// per actor logger and reused for every event.
/// </summary>
public sealed class ActorLogScope : IReadOnlyList<KeyValuePair<string, object?>>
{
    /// <summary>Name of the scope property holding the actor path.</summary>
    public const string ActorPathProperty = "ActorPath";

    /// <summary>Name of the scope property holding the actor system's name.</summary>
    public const string ActorSystemProperty = "ActorSystem";

    private readonly KeyValuePair<string, object?>[] _items;

    /// <summary>Creates the scope for <paramref name="path"/>.</summary>
    public ActorLogScope(ActorPath path)
    {
        Path = path.ToString();
        _items = [new(ActorPathProperty, Path), new(ActorSystemProperty, path.Address.System)];
    }

    /// <summary>The actor path as text.</summary>
    public string Path { get; }

    /// <inheritdoc/>
    public int Count => _items.Length;

    /// <inheritdoc/>
    public KeyValuePair<string, object?> this[int index] => _items[index];

    /// <inheritdoc/>
    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, object?>>)_items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Renders <c>ActorPath:path</c> for providers that print scopes as text.</summary>
    public override string ToString() => $"{ActorPathProperty}:{Path}";
}
