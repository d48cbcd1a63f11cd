using System.Collections.Concurrent;
using System.Diagnostics;

namespace ActorNet.Actors.TestKit;

/// <summary>
/// A scriptable actor for tests (Akka's <c>TestProbe</c>): its <see cref="Ref"/> queues every message it
/// receives, and the Expect methods take them out in order, failing with <see cref="TestKitAssertionException"/>
/// when the expectation is not met within the (dilated) timeout. Expect methods are called from the test
/// thread; one test thread per probe.
/// </summary>
public sealed class TestProbe
{
    private readonly BlockingCollection<(object Message, IActorRef? Sender)> _queue = new();
    private readonly TestKitSettings _settings;
    private DateTime? _end;
    private (object Message, IActorRef? Sender)? _front; // a message ReceiveWhile looked at but did not take

    internal TestProbe(ActorSystem system, TestKitSettings settings, string? name)
    {
        System = system;
        _settings = settings;
        Ref = system.ActorOf(Props.Create(() => new ProbeActor(_queue)), name);
    }

    /// <summary>The probe's actor ref: send to it, or pass it as sender.</summary>
    public IActorRef Ref { get; }

    /// <summary>The system the probe lives in.</summary>
    public ActorSystem System { get; }

    /// <summary>The sender of the last received message (dead letters when it had none).</summary>
    public IActorRef LastSender { get; private set; } = ActorRefs.Nobody;

    /// <summary>
    /// Time left in the innermost <see cref="Within(TimeSpan, Action)"/> block, or the dilated
    /// <c>single-expect-default</c> outside one.
    /// </summary>
    public TimeSpan RemainingOrDefault => _end is { } end ? Max(end - DateTime.UtcNow, TimeSpan.Zero) : _settings.Dilated(_settings.SingleExpectDefault);

    /// <summary>Scales a duration by the configured time factor.</summary>
    public TimeSpan Dilated(TimeSpan duration) => _settings.Dilated(duration);

    /// <summary>Sends <paramref name="message"/> to <paramref name="target"/> with this probe as sender.</summary>
    public void Send(IActorRef target, object message) => target.Tell(message, Ref);

    /// <summary>Replies to <see cref="LastSender"/> with this probe as sender.</summary>
    public void Reply(object message) => LastSender.Tell(message, Ref);

    /// <summary>Forwards the last received message to <paramref name="target"/>, keeping its original sender.</summary>
    public void Forward(IActorRef target, object message) => target.Tell(message, LastSender);

    /// <summary>Receives the next message within <paramref name="max"/> (dilated default), or null on timeout.</summary>
    public object? ReceiveOne(TimeSpan? max = null)
    {
        var wait = Remaining(max);
        if (!TryTake(out var item, wait < TimeSpan.Zero ? TimeSpan.Zero : wait))
        {
            return null;
        }

        LastSender = item.Sender ?? System.DeadLetters;
        return item.Message;
    }

    /// <summary>Expects a message of type <typeparamref name="T"/> (and matching <paramref name="predicate"/>, if given).</summary>
    public T ExpectMsg<T>(Func<T, bool>? predicate = null, TimeSpan? timeout = null, string? hint = null)
    {
        var wait = Remaining(timeout);
        var message = ReceiveOne(wait) ?? throw new TestKitAssertionException(
            $"Timeout ({wait.TotalMilliseconds:F0} ms) while waiting for a message of type {typeof(T).Name}{Hint(hint)}");
        if (message is not T typed)
        {
            throw new TestKitAssertionException($"Expected a message of type {typeof(T).Name}{Hint(hint)} but got {Describe(message)}");
        }

        if (predicate is not null && !predicate(typed))
        {
            throw new TestKitAssertionException($"Message {Describe(message)} did not match the predicate{Hint(hint)}");
        }

        return typed;
    }

    /// <summary>Expects a message equal to <paramref name="expected"/>.</summary>
    public T ExpectMsg<T>(T expected, TimeSpan? timeout = null) where T : notnull
    {
        var wait = Remaining(timeout);
        var message = ReceiveOne(wait) ?? throw new TestKitAssertionException(
            $"Timeout ({wait.TotalMilliseconds:F0} ms) while waiting for {Describe(expected)}");
        if (message is not T typed || !EqualityComparer<T>.Default.Equals(typed, expected))
        {
            throw new TestKitAssertionException($"Expected {Describe(expected)} but got {Describe(message)}");
        }

        return typed;
    }

    /// <summary>Expects that no message arrives during <paramref name="duration"/> (dilated <c>expect-no-message-default</c>).</summary>
    public void ExpectNoMsg(TimeSpan? duration = null)
    {
        var wait = duration is { } d ? _settings.Dilated(d) : _settings.Dilated(_settings.ExpectNoMessageDefault);
        if (_end is { } end)
        {
            wait = Min(wait, Max(end - DateTime.UtcNow, TimeSpan.Zero));
        }

        var message = ReceiveOne(wait);
        if (message is not null)
        {
            throw new TestKitAssertionException($"Expected no message during {wait.TotalMilliseconds:F0} ms but got {Describe(message)}");
        }
    }

    /// <summary>Skips messages until one satisfies <paramref name="isMessage"/>, and returns it.</summary>
    public object FishForMessage(Func<object, bool> isMessage, TimeSpan? max = null, string? hint = null)
    {
        var deadline = DateTime.UtcNow + Remaining(max);
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            var message = left > TimeSpan.Zero ? ReceiveOne(left) : null;
            if (message is null)
            {
                throw new TestKitAssertionException($"Timeout while fishing for a message{Hint(hint)}");
            }

            if (isMessage(message))
            {
                return message;
            }
        }
    }

    /// <summary>Skips messages until a <typeparamref name="T"/> satisfying <paramref name="isMessage"/> arrives.</summary>
    public T FishForMessage<T>(Func<T, bool> isMessage, TimeSpan? max = null) =>
        (T)FishForMessage(m => m is T t && isMessage(t), max, typeof(T).Name);

    /// <summary>
    /// Collects messages while <paramref name="filter"/> maps them to a non-null value, at most
    /// <paramref name="maxMessages"/>, within <paramref name="max"/>, stopping when none arrives for
    /// <paramref name="idle"/>. The first message that maps to null is not consumed: the next expectation gets it.
    /// </summary>
    public IReadOnlyList<T> ReceiveWhile<T>(Func<object, T?> filter, TimeSpan? max = null, TimeSpan? idle = null, int maxMessages = int.MaxValue)
        where T : class
    {
        var deadline = DateTime.UtcNow + Remaining(max);
        var idleWait = idle is { } i ? _settings.Dilated(i) : Timeout.InfiniteTimeSpan;
        var result = new List<T>();
        while (result.Count < maxMessages)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                break;
            }

            if (!TryTake(out var item, idleWait == Timeout.InfiniteTimeSpan ? left : Min(left, idleWait)))
            {
                break;
            }

            var mapped = filter(item.Message);
            if (mapped is null)
            {
                _front = item;
                break;
            }

            LastSender = item.Sender ?? System.DeadLetters;
            result.Add(mapped);
        }

        return result;
    }

    /// <summary>Receives exactly <paramref name="count"/> messages within <paramref name="max"/>.</summary>
    public IReadOnlyList<object> ReceiveN(int count, TimeSpan? max = null)
    {
        var deadline = DateTime.UtcNow + Remaining(max);
        var result = new List<object>(count);
        for (var n = 0; n < count; n++)
        {
            var left = deadline - DateTime.UtcNow;
            var message = left > TimeSpan.Zero ? ReceiveOne(left) : null;
            result.Add(message ?? throw new TestKitAssertionException($"Timeout: received {n} of {count} messages"));
        }

        return result;
    }

    /// <summary>
    /// Runs <paramref name="action"/> with expectations bounded by <paramref name="max"/> (dilated) and asserts
    /// that the block took between <paramref name="min"/> and the dilated maximum (Akka's <c>within</c>).
    /// </summary>
    public void Within(TimeSpan min, TimeSpan max, Action action)
    {
        var start = Stopwatch.GetTimestamp();
        var dilatedMax = _settings.Dilated(max);
        var previous = _end;
        var end = DateTime.UtcNow + dilatedMax;
        _end = previous is { } p && p < end ? p : end;
        try
        {
            action();
        }
        finally
        {
            _end = previous;
        }

        var elapsed = Stopwatch.GetElapsedTime(start);
        if (elapsed < min)
        {
            throw new TestKitAssertionException($"Block finished after {elapsed.TotalMilliseconds:F0} ms, earlier than the minimum {min.TotalMilliseconds:F0} ms");
        }

        if (elapsed > dilatedMax)
        {
            throw new TestKitAssertionException($"Block took {elapsed.TotalMilliseconds:F0} ms, longer than {dilatedMax.TotalMilliseconds:F0} ms");
        }
    }

    /// <summary>Within with no minimum.</summary>
    public void Within(TimeSpan max, Action action) => Within(TimeSpan.Zero, max, action);

    /// <summary>Retries <paramref name="assertion"/> until it stops throwing, or rethrows its last failure after <paramref name="duration"/>.</summary>
    public void AwaitAssert(Action assertion, TimeSpan? duration = null, TimeSpan? interval = null)
    {
        var deadline = DateTime.UtcNow + (duration is { } d ? _settings.Dilated(d) : _settings.Dilated(_settings.DefaultTimeout));
        var pause = interval ?? TimeSpan.FromMilliseconds(20);
        while (true)
        {
            try
            {
                assertion();
                return;
            }
            catch (Exception e) when (DateTime.UtcNow < deadline)
            {
                _ = e;
                Thread.Sleep(pause);
            }
            catch (Exception e)
            {
                throw new TestKitAssertionException($"Assertion still failing after the timeout: {e.Message}", e);
            }
        }
    }

    /// <summary>Waits until <paramref name="condition"/> holds, failing after <paramref name="max"/>.</summary>
    public void AwaitCondition(Func<bool> condition, TimeSpan? max = null, string? message = null)
    {
        var deadline = DateTime.UtcNow + (max is { } m ? _settings.Dilated(m) : _settings.Dilated(_settings.DefaultTimeout));
        while (!condition())
        {
            if (DateTime.UtcNow >= deadline)
            {
                throw new TestKitAssertionException($"Condition not met in time{Hint(message)}");
            }

            Thread.Sleep(10);
        }
    }

    /// <summary>
    /// Makes the probe watch <paramref name="target"/> and returns once the watch is registered; the
    /// <see cref="Terminated"/> arrives as a message.
    /// </summary>
    public IActorRef Watch(IActorRef target) => SendWatchCommand(target, watch: true);

    /// <summary>Stops watching <paramref name="target"/>; returns once the probe has processed it.</summary>
    public IActorRef Unwatch(IActorRef target) => SendWatchCommand(target, watch: false);

    private IActorRef SendWatchCommand(IActorRef target, bool watch)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Ref.Tell(new ProbeActor.WatchCommand(target, watch, done), ActorRefs.NoSender);
        if (!done.Task.Wait(_settings.Dilated(_settings.DefaultTimeout)))
        {
            throw new TestKitAssertionException($"Probe {Ref} did not process the (un)watch of {target} in time");
        }

        return target;
    }

    /// <summary>Expects the <see cref="Terminated"/> of a watched <paramref name="target"/>.</summary>
    public Terminated ExpectTerminated(IActorRef target, TimeSpan? timeout = null) =>
        ExpectMsg<Terminated>(t => t.ActorRef.Equals(target), timeout, $"Terminated of {target}");

    private TimeSpan Remaining(TimeSpan? requested)
    {
        var wait = requested is { } r ? _settings.Dilated(r) : RemainingOrDefault;
        if (_end is { } end)
        {
            wait = Min(wait, Max(end - DateTime.UtcNow, TimeSpan.Zero));
        }

        return wait;
    }

    private bool TryTake(out (object Message, IActorRef? Sender) item, TimeSpan wait)
    {
        if (_front is { } front)
        {
            _front = null;
            item = front;
            return true;
        }

        return _queue.TryTake(out item, wait);
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static string Hint(string? hint) => hint is null ? string.Empty : $" ({hint})";

    private static string Describe(object? message) => message is null ? "null" : $"{message.GetType().Name} [{message}]";

    /// <summary>The probe's actor: queues everything, and executes watch commands from the test thread.</summary>
    private sealed class ProbeActor(BlockingCollection<(object Message, IActorRef? Sender)> queue) : UntypedActor
    {
        protected override void OnReceive(object message)
        {
            if (message is WatchCommand command)
            {
                if (command.Watch)
                {
                    Context.Watch(command.Target);
                }
                else
                {
                    Context.Unwatch(command.Target);
                }

                command.Done.TrySetResult();
                return;
            }

            queue.Add((message, Sender));
        }

        internal sealed record WatchCommand(IActorRef Target, bool Watch, TaskCompletionSource Done);
    }
}
