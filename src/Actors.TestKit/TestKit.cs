using ActorNet.Hocon;
using Microsoft.Extensions.Logging;

namespace ActorNet.Actors.TestKit;

/// <summary>
/// A per-test actor system with a default probe (Akka's <c>TestKit</c>). Create one per test (e.g. as the test
/// class's base or field) and dispose it at the end: disposing terminates the system. The system logs into a
/// <see cref="CapturingLoggerProvider"/> (at Debug and above) so <see cref="EventFilter"/> can assert on events.
/// </summary>
public class TestKit : IDisposable
{
    private readonly TestProbe _testActor;
    private bool _disposed;

    /// <summary>
    /// Creates the kit with a system configured by <paramref name="config"/> (inline HOCON, e.g.
    /// <c>actornet.actor.default-dispatcher.throughput = 1</c>) layered over the reference configuration.
    /// </summary>
    /// <exception cref="HoconException">The HOCON text is invalid.</exception>
    public TestKit(string? config = null, string? systemName = null)
        : this(ActorSystemSettings.WithReference(ConfigurationFactory.ParseStringUnresolved(config ?? string.Empty, "test config")), systemName)
    {
    }

    /// <summary>Creates the kit from a config that already includes the reference defaults.</summary>
    private TestKit(Config resolved, string? systemName)
        : this(ActorSystemSettings.FromConfig(resolved), TestKitSettings.FromConfig(resolved), systemName)
    {
    }

    /// <summary>Creates the kit with explicit settings.</summary>
    public TestKit(ActorSystemSettings settings, TestKitSettings testKitSettings, string? systemName = null)
    {
        TestKitSettings = testKitSettings;
        Logs = new CapturingLoggerProvider();
#pragma warning disable CA2000 // owned by the kit, disposed in Dispose
        LoggerFactory = new LoggerFactory([Logs], new LoggerFilterOptions { MinLevel = LogLevel.Debug });
#pragma warning restore CA2000
        Sys = ActorSystem.Create(systemName ?? "test", settings, LoggerFactory);
        EventFilter = new EventFilterFactory(Logs, testKitSettings);
        _testActor = new TestProbe(Sys, testKitSettings, "testActor");
    }

    /// <summary>The actor system under test.</summary>
    public ActorSystem Sys { get; }

    /// <summary>TestKit timing settings (dilation factor and default timeouts).</summary>
    public TestKitSettings TestKitSettings { get; }

    /// <summary>Every log event of <see cref="Sys"/>.</summary>
    public CapturingLoggerProvider Logs { get; }

    /// <summary>The logger factory given to <see cref="Sys"/>.</summary>
    public ILoggerFactory LoggerFactory { get; }

    /// <summary>Creates log-event assertions.</summary>
    public EventFilterFactory EventFilter { get; }

    /// <summary>The default probe's ref.</summary>
    public IActorRef TestActor => _testActor.Ref;

    /// <summary>The default probe.</summary>
    public TestProbe Probe => _testActor;

    /// <summary>The sender of the last message the default probe received.</summary>
    public IActorRef LastSender => _testActor.LastSender;

    /// <summary>Creates another probe in <see cref="Sys"/>.</summary>
    public TestProbe CreateTestProbe(string? name = null) => new(Sys, TestKitSettings, name);

    /// <summary>Scales a duration by <c>actornet.actor.test.timefactor</c>.</summary>
    public TimeSpan Dilated(TimeSpan duration) => TestKitSettings.Dilated(duration);

    /// <inheritdoc cref="TestProbe.ExpectMsg{T}(Func{T, bool}?, TimeSpan?, string?)"/>
    public T ExpectMsg<T>(Func<T, bool>? predicate = null, TimeSpan? timeout = null, string? hint = null) => _testActor.ExpectMsg(predicate, timeout, hint);

    /// <inheritdoc cref="TestProbe.ExpectMsg{T}(T, TimeSpan?)"/>
    public T ExpectMsg<T>(T expected, TimeSpan? timeout = null) where T : notnull => _testActor.ExpectMsg(expected, timeout);

    /// <inheritdoc cref="TestProbe.ExpectNoMsg"/>
    public void ExpectNoMsg(TimeSpan? duration = null) => _testActor.ExpectNoMsg(duration);

    /// <inheritdoc cref="TestProbe.FishForMessage(Func{object, bool}, TimeSpan?, string?)"/>
    public object FishForMessage(Func<object, bool> isMessage, TimeSpan? max = null) => _testActor.FishForMessage(isMessage, max);

    /// <inheritdoc cref="TestProbe.ReceiveWhile{T}"/>
    public IReadOnlyList<T> ReceiveWhile<T>(Func<object, T?> filter, TimeSpan? max = null, TimeSpan? idle = null, int maxMessages = int.MaxValue)
        where T : class => _testActor.ReceiveWhile(filter, max, idle, maxMessages);

    /// <inheritdoc cref="TestProbe.ReceiveN"/>
    public IReadOnlyList<object> ReceiveN(int count, TimeSpan? max = null) => _testActor.ReceiveN(count, max);

    /// <inheritdoc cref="TestProbe.Within(TimeSpan, TimeSpan, Action)"/>
    public void Within(TimeSpan min, TimeSpan max, Action action) => _testActor.Within(min, max, action);

    /// <inheritdoc cref="TestProbe.Within(TimeSpan, Action)"/>
    public void Within(TimeSpan max, Action action) => _testActor.Within(max, action);

    /// <inheritdoc cref="TestProbe.AwaitAssert"/>
    public void AwaitAssert(Action assertion, TimeSpan? duration = null, TimeSpan? interval = null) => _testActor.AwaitAssert(assertion, duration, interval);

    /// <inheritdoc cref="TestProbe.AwaitCondition"/>
    public void AwaitCondition(Func<bool> condition, TimeSpan? max = null, string? message = null) => _testActor.AwaitCondition(condition, max, message);

    /// <inheritdoc cref="TestProbe.Watch"/>
    public IActorRef Watch(IActorRef target) => _testActor.Watch(target);

    /// <inheritdoc cref="TestProbe.Unwatch"/>
    public IActorRef Unwatch(IActorRef target) => _testActor.Unwatch(target);

    /// <inheritdoc cref="TestProbe.ExpectTerminated"/>
    public Terminated ExpectTerminated(IActorRef target, TimeSpan? timeout = null) => _testActor.ExpectTerminated(target, timeout);

    /// <summary>Terminates the system, waiting up to the dilated default timeout.</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Terminates <see cref="Sys"/> and disposes the logger factory.</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (_disposed || !disposing)
        {
            return;
        }

        _disposed = true;
        var terminated = Sys.Terminate().Wait(Dilated(TestKitSettings.DefaultTimeout) * 2);
        LoggerFactory.Dispose();
        if (!terminated)
        {
            throw new TestKitAssertionException($"Actor system {Sys.Name} did not terminate in time");
        }
    }
}
