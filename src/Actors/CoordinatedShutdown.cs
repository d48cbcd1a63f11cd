using Microsoft.Extensions.Logging;

namespace ActorNet.Actors;

/// <summary>
/// Orderly shutdown in phases (Akka's <c>CoordinatedShutdown</c>): components register tasks in named phases;
/// <see cref="Run"/> executes the phases in dependency order, the tasks of one phase concurrently, each phase
/// bounded by its timeout; the last phase, <c>actor-system-terminate</c>, stops all actors (children before
/// parents, <c>/user</c> before <c>/system</c>). Thread-safe; <see cref="Run"/> runs at most once.
/// </summary>
public sealed class CoordinatedShutdown
{
    /// <summary>The first phase.</summary>
    public const string PhaseBeforeServiceUnbind = "before-service-unbind";

    /// <summary>Stop accepting new work from outside.</summary>
    public const string PhaseServiceUnbind = "service-unbind";

    /// <summary>Wait for in-flight requests.</summary>
    public const string PhaseServiceRequestsDone = "service-requests-done";

    /// <summary>Stop services.</summary>
    public const string PhaseServiceStop = "service-stop";

    /// <summary>Before the node leaves its cluster.</summary>
    public const string PhaseBeforeClusterShutdown = "before-cluster-shutdown";

    /// <summary>Leave the cluster.</summary>
    public const string PhaseClusterLeave = "cluster-leave";

    /// <summary>Wait for the exiting state to spread.</summary>
    public const string PhaseClusterExiting = "cluster-exiting";

    /// <summary>Exiting is done.</summary>
    public const string PhaseClusterExitingDone = "cluster-exiting-done";

    /// <summary>Shut the cluster extension down.</summary>
    public const string PhaseClusterShutdown = "cluster-shutdown";

    /// <summary>Last chance before actors stop.</summary>
    public const string PhaseBeforeActorSystemTerminate = "before-actor-system-terminate";

    /// <summary>Stops all actors and the system (built-in task).</summary>
    public const string PhaseActorSystemTerminate = "actor-system-terminate";

    private readonly ActorSystem _system;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, List<(string Name, Func<CancellationToken, Task> Task)>> _tasks = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PhaseSettings> _phases;
    private Task? _run;

    internal CoordinatedShutdown(ActorSystem system, CoordinatedShutdownSettings settings)
    {
        _system = system;
        _phases = settings.Phases.ToDictionary(p => p.Name, StringComparer.Ordinal);
        OrderedPhases = TopologicalSort(settings.Phases);
    }

    /// <summary>Phase names in execution order.</summary>
    public IReadOnlyList<string> OrderedPhases { get; }

    /// <summary>The reason given to the first <see cref="Run"/>, or null before.</summary>
    public CoordinatedShutdownReason? ShutdownReason { get; private set; }

    /// <summary>
    /// Adds a task to <paramref name="phase"/>. The task gets a token cancelled when the phase times out.
    /// </summary>
    /// <exception cref="ArgumentException">Unknown phase.</exception>
    /// <exception cref="InvalidOperationException">Shutdown has already started.</exception>
    public void AddTask(string phase, string taskName, Func<CancellationToken, Task> task)
    {
        if (!_phases.ContainsKey(phase))
        {
            throw new ArgumentException($"unknown coordinated-shutdown phase [{phase}]; known: {string.Join(", ", OrderedPhases)}", nameof(phase));
        }

        lock (_lock)
        {
            if (_run is not null)
            {
                throw new InvalidOperationException($"cannot add task [{taskName}] to phase [{phase}]: shutdown already running");
            }

            if (!_tasks.TryGetValue(phase, out var list))
            {
                _tasks[phase] = list = [];
            }

            list.Add((taskName, task));
        }
    }

    /// <summary>Runs all phases once; later calls return the same task. Completes when the system has terminated.</summary>
    public Task Run(CoordinatedShutdownReason reason)
    {
        lock (_lock)
        {
            if (_run is null)
            {
                ShutdownReason = reason;
                _run = Task.Run(() => RunPhases(reason));
            }

            return _run;
        }
    }

    private async Task RunPhases(CoordinatedShutdownReason reason)
    {
        var log = _system.SystemLogger;
        log.LogInformation("Running coordinated shutdown of {ActorSystem} with reason {Reason}", _system.Name, reason.ToString());
        try
        {
            foreach (var phaseName in OrderedPhases)
            {
                var phase = _phases[phaseName];
                List<(string Name, Func<CancellationToken, Task> Task)> tasks;
                lock (_lock)
                {
                    tasks = _tasks.TryGetValue(phaseName, out var list) ? [.. list] : [];
                }

                if (tasks.Count == 0)
                {
                    continue;
                }

                log.LogDebug("Performing phase {Phase} with {TaskCount} tasks", phaseName, tasks.Count);
                using var cts = new CancellationTokenSource(phase.Timeout);
                var running = tasks.Select(t => RunTask(t.Name, t.Task, cts.Token)).ToArray();
                try
                {
                    await Task.WhenAll(running).WaitAsync(phase.Timeout).ConfigureAwait(false);
                }
                catch (Exception e)
                {
                    if (!phase.Recover)
                    {
                        log.LogError(e, "Coordinated shutdown phase {Phase} failed; skipping the remaining phases", phaseName);
                        break;
                    }

                    log.LogWarning(e, "Coordinated shutdown phase {Phase} failed or timed out after {Timeout}; continuing", phaseName, phase.Timeout);
                }
            }
        }
        finally
        {
            await _system.FinalTerminate().ConfigureAwait(false);
        }
    }

    private static async Task RunTask(string name, Func<CancellationToken, Task> task, CancellationToken token)
    {
        try
        {
            await task(token).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            throw new InvalidOperationException($"coordinated-shutdown task [{name}] failed: {e.Message}", e);
        }
    }

    private static List<string> TopologicalSort(IReadOnlyList<PhaseSettings> phases)
    {
        var byName = phases.ToDictionary(p => p.Name, StringComparer.Ordinal);
        var result = new List<string>();
        var state = new Dictionary<string, int>(StringComparer.Ordinal); // 1 visiting, 2 done

        void Visit(string name, string from)
        {
            if (!byName.TryGetValue(name, out var phase))
            {
                throw new ArgumentException($"coordinated-shutdown phase [{from}] depends on unknown phase [{name}]");
            }

            switch (state.GetValueOrDefault(name))
            {
                case 2:
                    return;
                case 1:
                    throw new ArgumentException($"coordinated-shutdown phases have a cycle through [{name}]");
            }

            state[name] = 1;
            foreach (var dependency in phase.DependsOn)
            {
                Visit(dependency, name);
            }

            state[name] = 2;
            result.Add(name);
        }

        foreach (var phase in phases)
        {
            Visit(phase.Name, phase.Name);
        }

        return result;
    }
}

/// <summary>Why coordinated shutdown was started (Akka's <c>CoordinatedShutdown.Reason</c>).</summary>
public abstract class CoordinatedShutdownReason
{
    /// <summary>The reason when <c>ActorSystem.Terminate()</c> started the shutdown.</summary>
    public static CoordinatedShutdownReason ActorSystemTerminate { get; } = new Named("ActorSystemTerminate");

    /// <summary>The reason when the process is exiting.</summary>
    public static CoordinatedShutdownReason ProcessExit { get; } = new Named("ProcessExit");

    /// <summary>The reason when the node was downed by the cluster.</summary>
    public static CoordinatedShutdownReason ClusterDowning { get; } = new Named("ClusterDowning");

    /// <summary>The reason when the node left the cluster.</summary>
    public static CoordinatedShutdownReason ClusterLeaving { get; } = new Named("ClusterLeaving");

    /// <summary>Any other reason.</summary>
    public static CoordinatedShutdownReason Unknown { get; } = new Named("Unknown");

    private sealed class Named(string name) : CoordinatedShutdownReason
    {
        public override string ToString() => name;
    }
}
