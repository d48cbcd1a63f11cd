using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace ActorNet.Actors;

/// <summary>A handle to something scheduled; cancelling is thread-safe and idempotent.</summary>
public interface ICancelable
{
    /// <summary>True once <see cref="Cancel"/> was called.</summary>
    bool IsCancellationRequested { get; }

    /// <summary>Prevents future runs; returns true if this call cancelled it (false when already cancelled or run once).</summary>
    bool Cancel();
}

/// <summary>
/// Runs tells and callbacks later (Akka's scheduler). Callable from any thread; tasks run on the scheduler's
/// thread, so callbacks must be short and non-blocking (a tell is). Resolution is one tick
/// (<c>actornet.actor.scheduler.tick-duration</c>): a task never runs early and normally within one tick late.
/// </summary>
public interface IScheduler
{
    /// <summary>Monotonic time since the scheduler started.</summary>
    TimeSpan Elapsed { get; }

    /// <summary>Tells <paramref name="message"/> to <paramref name="receiver"/> once after <paramref name="delay"/>.</summary>
    ICancelable ScheduleTellOnce(TimeSpan delay, ICanTell receiver, object message, IActorRef? sender);

    /// <summary>Tells after <paramref name="initialDelay"/> and then every <paramref name="interval"/> until cancelled.</summary>
    ICancelable ScheduleTellRepeatedly(TimeSpan initialDelay, TimeSpan interval, ICanTell receiver, object message, IActorRef? sender);

    /// <summary>Runs <paramref name="action"/> once after <paramref name="delay"/> on the scheduler thread.</summary>
    ICancelable ScheduleOnce(TimeSpan delay, Action action);

    /// <summary>Runs <paramref name="action"/> after <paramref name="initialDelay"/> and then every <paramref name="interval"/>.</summary>
    ICancelable ScheduleRepeatedly(TimeSpan initialDelay, TimeSpan interval, Action action);
}

/// <summary>
/// A hashed wheel timer (Varghese and Lauck; Netty's and Akka's <c>LightArrayRevolverScheduler</c> idea):
/// scheduling and cancelling are O(1) (a lock-free enqueue, a flag), one dedicated thread advances the wheel
/// once per tick and only looks at the bucket of that tick. Cancelled timers are dropped when their bucket comes
/// round. When nothing is scheduled the thread sleeps until a timer is added.
/// </summary>
internal sealed class HashedWheelScheduler : IScheduler, IDisposable
{
    private readonly long _tickTimestamp; // Stopwatch ticks per wheel tick
    private readonly int _mask;
    private readonly List<ScheduledTask>[] _wheel; // scheduler thread only
    private readonly ConcurrentQueue<ScheduledTask> _pending = new(); // any thread -> scheduler thread
    private readonly ManualResetEventSlim _wake = new(false);
    private readonly long _start = Stopwatch.GetTimestamp();
    private readonly Thread _thread;
    private readonly ILogger _logger;
    private long _lastTick; // scheduler thread only: last processed tick
    private int _live; // scheduler thread only: timers in the wheel
    private int _idle; // 1 while the thread waits without a deadline; set by the scheduler thread, read by producers
    private volatile bool _stopped;

    public HashedWheelScheduler(TimeSpan tick, int wheelSize, ILogger logger, string name)
    {
        if (tick <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(tick), "scheduler tick-duration must be positive");
        }

        var size = 1;
        while (size < Math.Max(wheelSize, 1))
        {
            size <<= 1;
        }

        _tickTimestamp = Math.Max(1, (long)(tick.TotalSeconds * Stopwatch.Frequency));
        _mask = size - 1;
        _wheel = new List<ScheduledTask>[size];
        for (var i = 0; i < size; i++)
        {
            _wheel[i] = [];
        }

        _logger = logger;
        _thread = new Thread(Loop) { IsBackground = true, Name = $"scheduler:{name}" };
        _thread.Start();
    }

    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(_start);

    public ICancelable ScheduleTellOnce(TimeSpan delay, ICanTell receiver, object message, IActorRef? sender) =>
        Add(new TellTask(receiver, message, sender), delay, TimeSpan.Zero);

    public ICancelable ScheduleTellRepeatedly(TimeSpan initialDelay, TimeSpan interval, ICanTell receiver, object message, IActorRef? sender) =>
        Add(new TellTask(receiver, message, sender), initialDelay, CheckInterval(interval));

    public ICancelable ScheduleOnce(TimeSpan delay, Action action) => Add(new ActionTask(action), delay, TimeSpan.Zero);

    public ICancelable ScheduleRepeatedly(TimeSpan initialDelay, TimeSpan interval, Action action) =>
        Add(new ActionTask(action), initialDelay, CheckInterval(interval));

    /// <summary>Schedules a callback with state without a closure (used by Ask).</summary>
    internal ICancelable ScheduleOnce(TimeSpan delay, Action<object> action, object state) =>
        Add(new StateTask(action, state), delay, TimeSpan.Zero);

    public void Dispose()
    {
        _stopped = true;
        _wake.Set();
        if (Thread.CurrentThread != _thread)
        {
            _thread.Join(TimeSpan.FromSeconds(5));
        }
    }

    private static TimeSpan CheckInterval(TimeSpan interval) =>
        interval > TimeSpan.Zero ? interval : throw new ArgumentOutOfRangeException(nameof(interval), "interval must be positive");

    private ScheduledTask Add(ScheduledTask task, TimeSpan delay, TimeSpan interval)
    {
        if (delay < TimeSpan.Zero)
        {
            delay = TimeSpan.Zero;
        }

        task.Interval = (long)(interval.TotalSeconds * Stopwatch.Frequency);
        task.Deadline = Stopwatch.GetTimestamp() + (long)(delay.TotalSeconds * Stopwatch.Frequency);
        if (_stopped)
        {
            task.Cancel();
            return task;
        }

        _pending.Enqueue(task);
        if (Volatile.Read(ref _idle) == 1)
        {
            _wake.Set();
        }

        return task;
    }

    private long TickOf(long timestamp) => (timestamp - _start + _tickTimestamp - 1) / _tickTimestamp;

    private void Loop()
    {
        while (!_stopped)
        {
            if (_live == 0 && _pending.IsEmpty)
            {
                _wake.Reset();
                Interlocked.Exchange(ref _idle, 1);
                if (_pending.IsEmpty && !_stopped)
                {
                    _wake.Wait();
                }

                Interlocked.Exchange(ref _idle, 0);
                _lastTick = Math.Max(_lastTick, TickOf(Stopwatch.GetTimestamp()) - 1);
            }
            else
            {
                var nextTickAt = _start + ((_lastTick + 1) * _tickTimestamp);
                var waitTicks = nextTickAt - Stopwatch.GetTimestamp();
                if (waitTicks > 0)
                {
                    var ms = (int)Math.Ceiling(waitTicks * 1000.0 / Stopwatch.Frequency);
                    _wake.Wait(Math.Max(ms, 1));
                    _wake.Reset();
                    continue;
                }
            }

            var now = TickOf(Stopwatch.GetTimestamp());
            if (now <= _lastTick)
            {
                now = _lastTick + 1;
            }

            TransferPending(now);
            var from = Math.Max(_lastTick + 1, now - _mask);
            for (var tick = from; tick <= now; tick++)
            {
                ProcessBucket(tick, now);
            }

            _lastTick = now;
        }
    }

    private void TransferPending(long now)
    {
        while (_pending.TryDequeue(out var task))
        {
            if (task.IsCancellationRequested)
            {
                continue;
            }

            Place(task, now);
        }
    }

    private void Place(ScheduledTask task, long now)
    {
        task.Tick = Math.Max(TickOf(task.Deadline), now);
        _wheel[task.Tick & _mask].Add(task);
        _live++;
    }

    private void ProcessBucket(long tick, long now)
    {
        var bucket = _wheel[tick & _mask];
        for (var i = bucket.Count - 1; i >= 0; i--)
        {
            var task = bucket[i];
            if (!task.IsCancellationRequested && task.Tick > now)
            {
                continue;
            }

            bucket[i] = bucket[^1];
            bucket.RemoveAt(bucket.Count - 1);
            _live--;
            if (task.IsCancellationRequested)
            {
                continue;
            }

            Fire(task);
            if (task.Interval > 0 && !task.IsCancellationRequested)
            {
                task.Deadline += task.Interval;
                Place(task, now + 1);
            }
            else
            {
                task.MarkDone();
            }
        }
    }

    private void Fire(ScheduledTask task)
    {
        try
        {
            task.Run();
        }
        catch (Exception e)
        {
            _logger.LogError(e, "Scheduled task failed");
        }
    }

    private abstract class ScheduledTask : ICancelable
    {
        private int _state; // 0 scheduled, 1 cancelled, 2 done; any thread

        public long Deadline { get; set; }

        public long Interval { get; set; }

        public long Tick { get; set; }

        public bool IsCancellationRequested => Volatile.Read(ref _state) == 1;

        public bool Cancel() => Interlocked.CompareExchange(ref _state, 1, 0) == 0;

        public void MarkDone() => Interlocked.CompareExchange(ref _state, 2, 0);

        public abstract void Run();
    }

    private sealed class TellTask(ICanTell receiver, object message, IActorRef? sender) : ScheduledTask
    {
        public override void Run() => receiver.Tell(message, sender);
    }

    private sealed class ActionTask(Action action) : ScheduledTask
    {
        public override void Run() => action();
    }

    private sealed class StateTask(Action<object> action, object state) : ScheduledTask
    {
        public override void Run() => action(state);
    }
}
