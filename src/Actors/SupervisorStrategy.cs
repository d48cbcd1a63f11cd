using System.Diagnostics;

namespace ActorNet.Actors;

/// <summary>What a supervisor does with a failed child (Akka's <c>Directive</c>).</summary>
public enum Directive
{
    /// <summary>Keep the child's state and continue with its next message.</summary>
    Resume,

    /// <summary>Replace the child's instance with a new one; its mailbox is kept, the failing message is dropped.</summary>
    Restart,

    /// <summary>Stop the child.</summary>
    Stop,

    /// <summary>Fail the supervisor itself with the same exception, handing the decision to its own parent.</summary>
    Escalate,
}

/// <summary>
/// Restart bookkeeping of one child: how many restarts happened in the current window. Touched only on the
/// supervisor's thread.
/// </summary>
internal sealed class ChildRestartStats(ActorRefBase child)
{
    private int _retries;
    private long _windowStart;

    public ActorRefBase Child { get; } = child;

    /// <summary>
    /// Counts one more restart and says whether it is still allowed: Akka's semantics, where
    /// <paramref name="maxNrOfRetries"/> &lt; 0 means unlimited, and a window restarts counting once it has passed.
    /// </summary>
    public bool RequestRestartPermission(int maxNrOfRetries, TimeSpan? withinTimeRange)
    {
        if (maxNrOfRetries < 0 && withinTimeRange is null)
        {
            return true;
        }

        if (maxNrOfRetries == 0)
        {
            return false;
        }

        if (withinTimeRange is not { } window || window <= TimeSpan.Zero)
        {
            _retries++;
            return maxNrOfRetries < 0 || _retries <= maxNrOfRetries;
        }

        var now = Stopwatch.GetTimestamp();
        if (_windowStart == 0 || Stopwatch.GetElapsedTime(_windowStart, now) > window)
        {
            _windowStart = now;
            _retries = 1;
            return true;
        }

        _retries++;
        return maxNrOfRetries < 0 || _retries <= maxNrOfRetries;
    }
}

/// <summary>
/// How a parent handles a failure of one of its children (Akka's <c>SupervisorStrategy</c>). A strategy is
/// consulted on the parent's thread; the decider maps an exception to a <see cref="Directive"/>.
/// </summary>
public abstract class SupervisorStrategy
{
    /// <summary>Creates a strategy.</summary>
    protected SupervisorStrategy(int maxNrOfRetries, TimeSpan? withinTimeRange, Func<Exception, Directive> decider, bool loggingEnabled)
    {
        MaxNrOfRetries = maxNrOfRetries;
        WithinTimeRange = withinTimeRange;
        Decider = decider;
        LoggingEnabled = loggingEnabled;
    }

    /// <summary>Restarts allowed within <see cref="WithinTimeRange"/> before the child is stopped; -1 = unlimited.</summary>
    public int MaxNrOfRetries { get; }

    /// <summary>The window in which restarts are counted; null = the whole lifetime.</summary>
    public TimeSpan? WithinTimeRange { get; }

    /// <summary>Maps a failure to a directive.</summary>
    public Func<Exception, Directive> Decider { get; }

    /// <summary>Whether failures are logged (at Error for Restart/Stop/Escalate's origin, Warning for Resume).</summary>
    public bool LoggingEnabled { get; }

    /// <summary>
    /// Akka's default decider: <see cref="ActorInitializationException"/>, <see cref="ActorKilledException"/> and
    /// <see cref="DeathPactException"/> stop the child; every other exception restarts it.
    /// </summary>
    public static Directive DefaultDecider(Exception cause) => cause switch
    {
        ActorInitializationException => Directive.Stop,
        ActorKilledException => Directive.Stop,
        DeathPactException => Directive.Stop,
        _ => Directive.Restart,
    };

    /// <summary>Akka's default strategy: one-for-one, <see cref="DefaultDecider"/>, unlimited restarts.</summary>
    public static SupervisorStrategy DefaultStrategy { get; } = new OneForOneStrategy(-1, null, DefaultDecider);

    /// <summary>Stops any failing child (used for the root guardian's children).</summary>
    public static SupervisorStrategy StoppingStrategy { get; } = new OneForOneStrategy(-1, null, _ => Directive.Stop);

    /// <summary>
    /// Applies the decision for a restart or stop: to the failed child only (one-for-one) or to all children
    /// (all-for-one). Called on the supervisor's thread.
    /// </summary>
    internal abstract void ProcessFailure(ActorCell supervisor, bool restart, ChildRestartStats failed, Exception cause, IReadOnlyList<ChildRestartStats> allChildren);
}

/// <summary>Applies the directive to the failed child only.</summary>
public sealed class OneForOneStrategy : SupervisorStrategy
{
    /// <summary>Creates a one-for-one strategy; <paramref name="maxNrOfRetries"/> -1 = unlimited, null window = lifetime.</summary>
    public OneForOneStrategy(int maxNrOfRetries, TimeSpan? withinTimeRange, Func<Exception, Directive> decider, bool loggingEnabled = true)
        : base(maxNrOfRetries, withinTimeRange, decider, loggingEnabled)
    {
    }

    /// <summary>A one-for-one strategy with unlimited restarts.</summary>
    public OneForOneStrategy(Func<Exception, Directive> decider) : this(-1, null, decider)
    {
    }

    internal override void ProcessFailure(ActorCell supervisor, bool restart, ChildRestartStats failed, Exception cause, IReadOnlyList<ChildRestartStats> allChildren)
    {
        if (restart && failed.RequestRestartPermission(MaxNrOfRetries, WithinTimeRange))
        {
            failed.Child.SendSystemMessage(new Dispatch.Recreate(cause));
        }
        else
        {
            supervisor.StopChild(failed.Child);
        }
    }
}

/// <summary>Applies the directive to every child of the supervisor when one of them fails.</summary>
public sealed class AllForOneStrategy : SupervisorStrategy
{
    /// <summary>Creates an all-for-one strategy; <paramref name="maxNrOfRetries"/> -1 = unlimited, null window = lifetime.</summary>
    public AllForOneStrategy(int maxNrOfRetries, TimeSpan? withinTimeRange, Func<Exception, Directive> decider, bool loggingEnabled = true)
        : base(maxNrOfRetries, withinTimeRange, decider, loggingEnabled)
    {
    }

    /// <summary>An all-for-one strategy with unlimited restarts.</summary>
    public AllForOneStrategy(Func<Exception, Directive> decider) : this(-1, null, decider)
    {
    }

    internal override void ProcessFailure(ActorCell supervisor, bool restart, ChildRestartStats failed, Exception cause, IReadOnlyList<ChildRestartStats> allChildren)
    {
        if (allChildren.Count == 0)
        {
            return;
        }

        var allowed = restart && allChildren.All(c => c.RequestRestartPermission(MaxNrOfRetries, WithinTimeRange));
        foreach (var child in allChildren)
        {
            if (allowed)
            {
                // Siblings are suspended first so that, like the failed child, they resume only after the restart.
                if (!ReferenceEquals(child, failed))
                {
                    child.Child.SendSystemMessage(new Dispatch.Suspend());
                }

                child.Child.SendSystemMessage(new Dispatch.Recreate(cause));
            }
            else
            {
                supervisor.StopChild(child.Child);
            }
        }
    }
}
