using Microsoft.Extensions.Logging;

namespace ActorNet.Actors.TestKit;

/// <summary>
/// Log-event assertions (Akka's <c>EventFilter</c>): describe the events you expect, run the code that should
/// log them, and the filter waits (dilated <c>default-timeout</c>) until that many matching events were captured,
/// then fails if there were more or fewer. Unlike Akka's, matched events are not removed from the log output.
/// </summary>
public sealed class EventFilter
{
    private readonly CapturingLoggerProvider _logs;
    private readonly TestKitSettings _settings;
    private readonly LogLevel? _level;
    private readonly Type? _exceptionType;
    private readonly string? _contains;
    private readonly string? _source;

    internal EventFilter(CapturingLoggerProvider logs, TestKitSettings settings, LogLevel? level, Type? exceptionType, string? contains, string? source)
    {
        _logs = logs;
        _settings = settings;
        _level = level;
        _exceptionType = exceptionType;
        _contains = contains;
        _source = source;
    }

    /// <summary>True when <paramref name="logEvent"/> matches level, exception type, message fragment and actor path.</summary>
    public bool Matches(CapturedLogEvent logEvent) =>
        (_level is null || logEvent.Level == _level)
        && (_exceptionType is null || (logEvent.Exception is not null && _exceptionType.IsInstanceOfType(logEvent.Exception)))
        && (_contains is null || logEvent.Message.Contains(_contains, StringComparison.Ordinal)
            || (logEvent.Exception?.Message.Contains(_contains, StringComparison.Ordinal) ?? false))
        && (_source is null || string.Equals(logEvent.ActorPath, _source, StringComparison.Ordinal));

    /// <summary>Runs <paramref name="action"/> and expects exactly one matching event.</summary>
    public void ExpectOne(Action action) => Expect(1, action);

    /// <summary>Runs <paramref name="action"/> and expects exactly <paramref name="count"/> matching events.</summary>
    /// <exception cref="TestKitAssertionException">Fewer events arrived in time, or more than expected.</exception>
    public void Expect(int count, Action action, TimeSpan? timeout = null)
    {
        var start = _logs.Count;
        action();
        Await(start, count, timeout);
    }

    /// <summary>Asynchronous form of <see cref="Expect(int, Action, TimeSpan?)"/>.</summary>
    public async Task ExpectAsync(int count, Func<Task> action, TimeSpan? timeout = null)
    {
        var start = _logs.Count;
        await action().ConfigureAwait(false);
        Await(start, count, timeout);
    }

    private void Await(int start, int count, TimeSpan? timeout)
    {
        var deadline = DateTime.UtcNow + _settings.Dilated(timeout ?? _settings.DefaultTimeout);
        int matched;
        while ((matched = _logs.Snapshot(start).Count(Matches)) < count && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(10);
        }

        if (matched < count)
        {
            throw new TestKitAssertionException($"Expected {count} log events matching {this} but got {matched}");
        }

        if (matched > count)
        {
            throw new TestKitAssertionException($"Expected {count} log events matching {this} but got {matched} (excess)");
        }
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"[level={_level?.ToString() ?? "any"}, exception={_exceptionType?.Name ?? "any"}, contains={_contains ?? "any"}, source={_source ?? "any"}]";
}

/// <summary>Creates <see cref="EventFilter"/>s bound to a TestKit's captured logs.</summary>
public sealed class EventFilterFactory
{
    private readonly CapturingLoggerProvider _logs;
    private readonly TestKitSettings _settings;

    internal EventFilterFactory(CapturingLoggerProvider logs, TestKitSettings settings)
    {
        _logs = logs;
        _settings = settings;
    }

    /// <summary>Error events, optionally with an exception of <paramref name="exceptionType"/>, a message fragment and an actor path.</summary>
    public EventFilter Error(Type? exceptionType = null, string? contains = null, string? source = null) =>
        new(_logs, _settings, LogLevel.Error, exceptionType, contains, source);

    /// <summary>Events of any level carrying an exception of type <typeparamref name="TException"/>.</summary>
    public EventFilter Exception<TException>(string? contains = null, string? source = null) where TException : Exception =>
        new(_logs, _settings, null, typeof(TException), contains, source);

    /// <summary>Warning events.</summary>
    public EventFilter Warning(string? contains = null, string? source = null) => new(_logs, _settings, LogLevel.Warning, null, contains, source);

    /// <summary>Information events.</summary>
    public EventFilter Info(string? contains = null, string? source = null) => new(_logs, _settings, LogLevel.Information, null, contains, source);

    /// <summary>Debug events.</summary>
    public EventFilter Debug(string? contains = null, string? source = null) => new(_logs, _settings, LogLevel.Debug, null, contains, source);
}
