using ActorNet.Actors.Dispatch;

namespace ActorNet.Actors;

/// <summary>Request-reply on top of Tell (Akka's <c>Ask</c> pattern).</summary>
public static class AskExtensions
{
    /// <summary>
    /// Sends <paramref name="message"/> with a temporary one-shot ref as sender and returns a task completed by
    /// the first reply: with the reply when it is a <typeparamref name="T"/>, faulted with the cause for
    /// <see cref="Status.Failure"/>, faulted with <see cref="InvalidCastException"/> for another type, faulted
    /// with <see cref="AskTimeoutException"/> when no reply arrived within <paramref name="timeout"/> (default
    /// <c>actornet.actor.ask-timeout</c>) or at once when the target was already terminated. Later replies go to
    /// dead letters. Continuations never run on the replying actor's thread.
    /// </summary>
    /// <exception cref="ArgumentException">The target is not a kernel ref, or the timeout is not positive.</exception>
    public static Task<T> Ask<T>(this ICanTell target, object message, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        if (target is not ActorRefBase recipient || recipient.System is not { } system)
        {
            return Task.FromException<T>(new ArgumentException($"cannot ask [{target}]: not an actor ref of a running system", nameof(target)));
        }

        var actualTimeout = timeout ?? system.Settings.AskTimeout;
        if (actualTimeout <= TimeSpan.Zero)
        {
            return Task.FromException<T>(new ArgumentException($"ask timeout must be positive, was {actualTimeout}", nameof(timeout)));
        }

        if (recipient.IsTerminated)
        {
            return Task.FromException<T>(new AskTimeoutException($"Recipient {recipient} had already been terminated. Sender[] sent the message of type \"{message.GetType().FullName}\"."));
        }

        var promise = new PromiseActorRef<T>(system, recipient, actualTimeout);
        promise.Start(system, actualTimeout, cancellationToken);
        recipient.Tell(message, promise);
        return promise.Task;
    }

    /// <summary>Ask whose reply may be any object (see <see cref="Ask{T}"/>).</summary>
    public static Task<object> Ask(this ICanTell target, object message, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        target.Ask<object>(message, timeout, cancellationToken);
}

/// <summary>The temporary sender of an Ask: completes its task on the first message and is dead afterwards.</summary>
internal sealed class PromiseActorRef<T>(ActorSystem system, ActorRefBase recipient, TimeSpan timeout) : MinimalActorRef
{
    private static readonly Action<object> s_onTimeout = static state => ((PromiseActorRef<T>)state).Timeout();

    private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ActorPath? _path;
    private ICancelable? _timer;
    private CancellationTokenRegistration _registration;

    public override ActorPath Path => _path ??= system.NewTempPath();

    internal override ActorSystem? System => system;

    internal override bool IsTerminated => _completion.Task.IsCompleted;

    public Task<T> Task => _completion.Task;

    public void Start(ActorSystem actorSystem, TimeSpan after, CancellationToken cancellationToken)
    {
        _timer = actorSystem.InternalScheduler.ScheduleOnce(after, s_onTimeout, this);
        if (cancellationToken.CanBeCanceled)
        {
            _registration = cancellationToken.Register(static s =>
            {
                var promise = (PromiseActorRef<T>)s!;
                if (promise._completion.TrySetCanceled())
                {
                    promise.Cleanup();
                }
            }, this);
        }
    }

    public override void Tell(object message, IActorRef? sender)
    {
        var completed = message switch
        {
            Status.Failure failure => _completion.TrySetException(failure.Cause),
            T value => _completion.TrySetResult(value),
            _ => _completion.TrySetException(new InvalidCastException(
                $"Ask of {recipient} expected a reply of type {typeof(T).FullName} but got {message.GetType().FullName}")),
        };
        if (completed)
        {
            Cleanup();
        }
        else
        {
            system.DeadLetters.Tell(new DeadLetter(message, sender ?? ActorRefs.Nobody, this), sender);
        }
    }

    internal override void SendSystemMessage(SystemMessage message)
    {
        if (message is DeathWatchNotification)
        {
            return;
        }

        base.SendSystemMessage(message);
    }

    private void Timeout()
    {
        if (_completion.TrySetException(new AskTimeoutException($"Ask timed out on {recipient} after {timeout.TotalMilliseconds} ms")))
        {
            _registration.Dispose();
        }
    }

    private void Cleanup()
    {
        _timer?.Cancel();
        _registration.Dispose();
    }
}
