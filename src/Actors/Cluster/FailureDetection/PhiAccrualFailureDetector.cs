using System.Collections.Immutable;

namespace ActorNet.Actors.Cluster.FailureDetection;

/// <summary>
/// A failure detector for one monitored resource (Akka's <c>FailureDetector</c>). Implementations are thread-safe:
/// the heartbeat receiver calls <see cref="Heartbeat"/> and the membership actor reads <see cref="IsAvailable"/>.
/// </summary>
public interface IFailureDetector
{
    /// <summary>False once the resource is considered dead; true before the first heartbeat.</summary>
    bool IsAvailable { get; }

    /// <summary>True once at least one heartbeat arrived.</summary>
    bool IsMonitoring { get; }

    /// <summary>Records a heartbeat at the current time of the detector's clock.</summary>
    void Heartbeat();
}

/// <summary>
/// Akka's <c>HeartbeatHistory</c>: the last <see cref="MaxSampleSize"/> inter-arrival intervals (ms) with running sum
/// and sum of squares for mean and standard deviation. Immutable.
/// </summary>
public sealed class HeartbeatHistory
{
    private HeartbeatHistory(int maxSampleSize, ImmutableQueue<long> intervals, int count, long intervalSum, long squaredIntervalSum)
    {
        MaxSampleSize = maxSampleSize;
        Intervals = intervals;
        Count = count;
        IntervalSum = intervalSum;
        SquaredIntervalSum = squaredIntervalSum;
    }

    /// <summary>Most intervals kept; the oldest is dropped beyond it.</summary>
    public int MaxSampleSize { get; }

    /// <summary>Intervals, oldest first.</summary>
    public ImmutableQueue<long> Intervals { get; }

    /// <summary>Number of intervals.</summary>
    public int Count { get; }

    /// <summary>Sum of the intervals.</summary>
    public long IntervalSum { get; }

    /// <summary>Sum of the squared intervals.</summary>
    public long SquaredIntervalSum { get; }

    /// <summary>Mean interval in ms.</summary>
    public double Mean => (double)IntervalSum / Count;

    /// <summary>Population variance of the intervals.</summary>
    public double Variance => ((double)SquaredIntervalSum / Count) - (Mean * Mean);

    /// <summary>Standard deviation of the intervals.</summary>
    public double StdDeviation => Math.Sqrt(Math.Max(0, Variance));

    /// <summary>An empty history.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxSampleSize"/> is not positive.</exception>
    public static HeartbeatHistory Create(int maxSampleSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSampleSize, 1);
        return new HeartbeatHistory(maxSampleSize, [], 0, 0, 0);
    }

    /// <summary>The history with <paramref name="interval"/> appended (dropping the oldest when full).</summary>
    public HeartbeatHistory Add(long interval)
    {
        if (Count < MaxSampleSize)
        {
            return new HeartbeatHistory(MaxSampleSize, Intervals.Enqueue(interval), Count + 1, IntervalSum + interval, SquaredIntervalSum + (interval * interval));
        }

        var dropped = Intervals.Dequeue(out long oldest);
        return new HeartbeatHistory(MaxSampleSize, dropped, Count - 1, IntervalSum - oldest, SquaredIntervalSum - (oldest * oldest)).Add(interval);
    }
}

/// <summary>
/// Akka's phi accrual failure detector (Hayashibara et al.), with Akka's parameters and logistic approximation of
/// the normal CDF. φ = −log10(P(a heartbeat arrives later than now)), with mean = history mean +
/// <c>acceptable-heartbeat-pause</c> and deviation at least <c>min-std-deviation</c>. Thread-safe (state swapped by
/// compare-and-swap); time comes from the injected <see cref="TimeProvider"/> in milliseconds.
/// </summary>
public sealed class PhiAccrualFailureDetector : IFailureDetector
{
    private readonly TimeProvider _clock;
    private readonly HeartbeatHistory _firstHeartbeat;
    private readonly long _acceptableHeartbeatPauseMs;
    private readonly double _minStdDeviationMs;
    private State _state;

    /// <summary>Creates a detector; arguments have Akka's meaning and constraints.</summary>
    /// <param name="threshold">φ at or above which the resource is unavailable (Akka: <c>threshold</c>, default 8.0); &gt; 0.</param>
    /// <param name="maxSampleSize">Intervals kept (Akka: <c>max-sample-size</c>, default 1000); &gt; 0.</param>
    /// <param name="minStdDeviation">Floor of the deviation (Akka: <c>min-std-deviation</c>, default 100 ms); &gt; 0.</param>
    /// <param name="acceptableHeartbeatPause">Pause tolerated on top of the mean (Akka: <c>acceptable-heartbeat-pause</c>, default 3 s); ≥ 0.</param>
    /// <param name="firstHeartbeatEstimate">Assumed interval before data exists (Akka: <c>heartbeat-interval</c>, default 1 s); &gt; 0.</param>
    /// <param name="clock">Time source; <see cref="TimeProvider.System"/> in production, a fake in tests.</param>
    public PhiAccrualFailureDetector(
        double threshold,
        int maxSampleSize,
        TimeSpan minStdDeviation,
        TimeSpan acceptableHeartbeatPause,
        TimeSpan firstHeartbeatEstimate,
        TimeProvider? clock = null)
    {
        if (!(threshold > 0.0))
        {
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "failure-detector.threshold must be > 0");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(maxSampleSize, 1);
        if (minStdDeviation <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(minStdDeviation), minStdDeviation, "failure-detector.min-std-deviation must be > 0");
        }

        if (acceptableHeartbeatPause < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(acceptableHeartbeatPause), acceptableHeartbeatPause, "failure-detector.acceptable-heartbeat-pause must be >= 0");
        }

        if (firstHeartbeatEstimate <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(firstHeartbeatEstimate), firstHeartbeatEstimate, "failure-detector.heartbeat-interval must be > 0");
        }

        Threshold = threshold;
        _clock = clock ?? TimeProvider.System;
        _acceptableHeartbeatPauseMs = (long)acceptableHeartbeatPause.TotalMilliseconds;
        _minStdDeviationMs = (long)minStdDeviation.TotalMilliseconds;
        long mean = (long)firstHeartbeatEstimate.TotalMilliseconds;
        long stdDeviation = mean / 4;
        _firstHeartbeat = HeartbeatHistory.Create(maxSampleSize).Add(mean - stdDeviation).Add(mean + stdDeviation);
        _state = new State(HeartbeatHistory.Create(maxSampleSize), null);
    }

    /// <summary>The φ threshold.</summary>
    public double Threshold { get; }

    /// <inheritdoc />
    public bool IsAvailable => IsAvailableAt(NowMs());

    /// <inheritdoc />
    public bool IsMonitoring => Volatile.Read(ref _state).Timestamp is not null;

    /// <summary>The current history (for diagnostics).</summary>
    public HeartbeatHistory History => Volatile.Read(ref _state).History;

    /// <summary>Current φ; 0 before the first heartbeat.</summary>
    public double Phi => PhiAt(NowMs());

    /// <summary>
    /// Akka's φ for a gap <paramref name="timeDiffMs"/> given <paramref name="meanMs"/> and <paramref name="stdDeviationMs"/>:
    /// y = (t − μ)/σ, e = exp(−y(1.5976 + 0.070566 y²)), φ = −log10(e/(1+e)) when t &gt; μ else −log10(1 − 1/(1+e)).
    /// </summary>
    public static double CalculatePhi(long timeDiffMs, double meanMs, double stdDeviationMs)
    {
        double y = (timeDiffMs - meanMs) / stdDeviationMs;
        double e = Math.Exp(-y * (1.5976 + (0.070566 * y * y)));
        return timeDiffMs > meanMs ? -Math.Log10(e / (1.0 + e)) : -Math.Log10(1.0 - (1.0 / (1.0 + e)));
    }

    /// <inheritdoc />
    public void Heartbeat()
    {
        long now = NowMs();
        while (true)
        {
            var old = Volatile.Read(ref _state);
            HeartbeatHistory history;
            if (old.Timestamp is not { } latest)
            {
                history = _firstHeartbeat;
            }
            else if (IsAvailableAt(now, old))
            {
                history = old.History.Add(now - latest);
            }
            else
            {
                // The first heartbeat after a failure is not recorded: a long pause would skew the statistics.
                history = old.History;
            }

            if (Interlocked.CompareExchange(ref _state, new State(history, now), old) == old)
            {
                return;
            }
        }
    }

    /// <summary>φ at <paramref name="nowMs"/> (clock milliseconds).</summary>
    public double PhiAt(long nowMs) => PhiAt(nowMs, Volatile.Read(ref _state));

    /// <summary>Whether φ at <paramref name="nowMs"/> is below the threshold.</summary>
    public bool IsAvailableAt(long nowMs) => IsAvailableAt(nowMs, Volatile.Read(ref _state));

    private bool IsAvailableAt(long nowMs, State state) => PhiAt(nowMs, state) < Threshold;

    private double PhiAt(long nowMs, State state)
    {
        if (state.Timestamp is not { } last)
        {
            return 0.0;
        }

        var history = state.History;
        double mean = history.Mean + _acceptableHeartbeatPauseMs;
        double stdDeviation = Math.Max(history.StdDeviation, _minStdDeviationMs);
        return CalculatePhi(nowMs - last, mean, stdDeviation);
    }

    private long NowMs() => _clock.GetTimestamp() * 1000 / _clock.TimestampFrequency;

    private sealed record State(HeartbeatHistory History, long? Timestamp);
}

/// <summary>
/// Akka's <c>DeadlineFailureDetector</c>: unavailable when no heartbeat arrived within
/// <c>acceptable-heartbeat-pause + heartbeat-interval</c>; available before the first heartbeat. Thread-safe.
/// </summary>
public sealed class DeadlineFailureDetector : IFailureDetector
{
    private readonly TimeProvider _clock;
    private readonly long _deadlineMs;
    private long _heartbeatTimestampMs;
    private int _active;

    /// <summary>Creates a detector.</summary>
    /// <param name="acceptableHeartbeatPause">Tolerated pause; ≥ 0.</param>
    /// <param name="heartbeatInterval">Expected heartbeat interval; &gt; 0.</param>
    /// <param name="clock">Time source.</param>
    public DeadlineFailureDetector(TimeSpan acceptableHeartbeatPause, TimeSpan heartbeatInterval, TimeProvider? clock = null)
    {
        if (acceptableHeartbeatPause < TimeSpan.Zero || heartbeatInterval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(acceptableHeartbeatPause), "acceptable-heartbeat-pause must be >= 0 and heartbeat-interval > 0");
        }

        _clock = clock ?? TimeProvider.System;
        _deadlineMs = (long)(acceptableHeartbeatPause + heartbeatInterval).TotalMilliseconds;
    }

    /// <inheritdoc />
    public bool IsAvailable => Volatile.Read(ref _active) == 0 || Volatile.Read(ref _heartbeatTimestampMs) + _deadlineMs > NowMs();

    /// <inheritdoc />
    public bool IsMonitoring => Volatile.Read(ref _active) != 0;

    /// <inheritdoc />
    public void Heartbeat()
    {
        Volatile.Write(ref _heartbeatTimestampMs, NowMs());
        Volatile.Write(ref _active, 1);
    }

    private long NowMs() => _clock.GetTimestamp() * 1000 / _clock.TimestampFrequency;
}

/// <summary>
/// Akka's <c>DefaultFailureDetectorRegistry</c>: one detector per monitored resource, created on the first heartbeat.
/// Thread-safe (a lock guards the map; detectors are themselves thread-safe).
/// </summary>
/// <typeparam name="TResource">The monitored key, e.g. a node address.</typeparam>
public sealed class FailureDetectorRegistry<TResource>
    where TResource : notnull
{
    private readonly Func<IFailureDetector> _factory;
    private readonly Dictionary<TResource, IFailureDetector> _detectors = [];
    private readonly Lock _lock = new();

    /// <summary>Creates a registry that builds detectors with <paramref name="factory"/>.</summary>
    public FailureDetectorRegistry(Func<IFailureDetector> factory) => _factory = factory;

    /// <summary>Whether <paramref name="resource"/> is available; true when it is not monitored.</summary>
    public bool IsAvailable(TResource resource)
    {
        lock (_lock)
        {
            return !_detectors.TryGetValue(resource, out var d) || d.IsAvailable;
        }
    }

    /// <summary>Whether <paramref name="resource"/> has received a heartbeat.</summary>
    public bool IsMonitoring(TResource resource)
    {
        lock (_lock)
        {
            return _detectors.TryGetValue(resource, out var d) && d.IsMonitoring;
        }
    }

    /// <summary>Records a heartbeat from <paramref name="resource"/>, creating its detector if needed.</summary>
    public void Heartbeat(TResource resource)
    {
        IFailureDetector detector;
        lock (_lock)
        {
            if (!_detectors.TryGetValue(resource, out detector!))
            {
                detector = _factory();
                _detectors[resource] = detector;
            }
        }

        detector.Heartbeat();
    }

    /// <summary>Stops monitoring <paramref name="resource"/> (e.g. it was removed from the cluster).</summary>
    public void Remove(TResource resource)
    {
        lock (_lock)
        {
            _detectors.Remove(resource);
        }
    }

    /// <summary>Stops monitoring everything.</summary>
    public void Reset()
    {
        lock (_lock)
        {
            _detectors.Clear();
        }
    }
}
