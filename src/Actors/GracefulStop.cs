using ActorNet.Actors.Dispatch;

namespace ActorNet.Actors;

/// <summary>Akka's <c>GracefulStop</c>: stop an actor and learn when it has terminated.</summary>
public static class GracefulStopExtensions
{
    /// <summary>
    /// Watches <paramref name="target"/>, sends it <paramref name="stopMessage"/> (default <see cref="PoisonPill"/>,
    /// so messages sent before are processed first) and returns a task that completes with true once the actor
    /// has terminated, or false after <paramref name="timeout"/> (the actor may still stop later). Any thread.
    /// </summary>
    /// <exception cref="ArgumentException">The target is not a kernel ref of a running system.</exception>
    public static Task<bool> GracefulStop(this IActorRef target, TimeSpan timeout, object? stopMessage = null)
    {
        if (target is not ActorRefBase recipient || recipient.System is not { } system)
        {
            return Task.FromException<bool>(new ArgumentException($"cannot stop [{target}]: not an actor ref of a running system", nameof(target)));
        }

        var watcher = new StopWatcher(system, recipient);
        watcher.Timer = system.Scheduler.ScheduleOnce(timeout, () => watcher.Completion.TrySetResult(false));
        recipient.SendSystemMessage(new Watch(recipient, watcher));
        recipient.Tell(stopMessage ?? PoisonPill.Instance, ActorRefs.NoSender);
        return watcher.Completion.Task;
    }

    /// <summary>A one-shot watcher: completes when the DeathWatchNotification of its target arrives.</summary>
    private sealed class StopWatcher(ActorSystem system, ActorRefBase target) : MinimalActorRef
    {
        private ActorPath? _path;

        public TaskCompletionSource<bool> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ICancelable? Timer { get; set; }

        public override ActorPath Path => _path ??= system.NewTempPath();

        internal override ActorSystem? System => system;

        public override void Tell(object message, IActorRef? sender)
        {
            // Only system messages matter to this ref.
        }

        internal override void SendSystemMessage(SystemMessage message)
        {
            if (message is DeathWatchNotification dwn && dwn.Actor.Equals(target) && Completion.TrySetResult(true))
            {
                Timer?.Cancel();
            }
        }
    }
}
