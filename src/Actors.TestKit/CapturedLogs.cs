using Microsoft.Extensions.Logging;

namespace ActorNet.Actors.TestKit;

/// <summary>One log event captured from the actor system's logger factory.</summary>
/// <param name="Level">Its level.</param>
/// <param name="Category">Logger category (the actor's class for actor loggers).</param>
/// <param name="Message">The rendered message.</param>
/// <param name="Exception">The attached exception, if any.</param>
/// <param name="ActorPath">The <c>ActorPath</c> scope property in effect, if any.</param>
public sealed record CapturedLogEvent(LogLevel Level, string Category, string Message, Exception? Exception, string? ActorPath);

/// <summary>
/// An <see cref="ILoggerProvider"/> that records every event with its <c>ActorPath</c> scope property; add it to
/// the logger factory given to the actor system (the TestKit does). Thread-safe.
/// </summary>
public sealed class CapturingLoggerProvider : ILoggerProvider, ISupportExternalScope
{
    private readonly Lock _lock = new();
    private readonly List<CapturedLogEvent> _events = [];
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    /// <summary>Number of events captured so far.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _events.Count;
            }
        }
    }

    /// <summary>A snapshot of the events from index <paramref name="from"/> on.</summary>
    public IReadOnlyList<CapturedLogEvent> Snapshot(int from = 0)
    {
        lock (_lock)
        {
            return from >= _events.Count ? [] : _events.GetRange(from, _events.Count - from);
        }
    }

    /// <inheritdoc/>
    public ILogger CreateLogger(string categoryName) => new CapturingLogger(this, categoryName);

    /// <inheritdoc/>
    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    /// <inheritdoc/>
    public void Dispose()
    {
    }

    private void Add(CapturedLogEvent logEvent)
    {
        lock (_lock)
        {
            _events.Add(logEvent);
        }
    }

    private sealed class CapturingLogger(CapturingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => owner._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var holder = new string?[1];
            owner._scopes.ForEachScope(
                static (scope, found) =>
                {
                    if (scope is IEnumerable<KeyValuePair<string, object?>> pairs)
                    {
                        foreach (var pair in pairs)
                        {
                            if (pair.Key == Event.ActorLogScope.ActorPathProperty)
                            {
                                found[0] = pair.Value?.ToString();
                            }
                        }
                    }
                },
                holder);
            owner.Add(new CapturedLogEvent(logLevel, category, formatter(state, exception), exception, holder[0]));
        }
    }
}
