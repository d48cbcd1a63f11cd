namespace ActorNet.Actors.Event;

/// <summary>
/// The system-wide publish/subscribe bus (Akka's <c>EventStream</c>): subscribers register for a type and
/// receive every published event assignable to it (subclasses and interfaces included). Thread-safe: publish is
/// lock-free over a copy-on-write array; subscribe/unsubscribe take a lock. A stopped actor is unsubscribed
/// automatically.
/// </summary>
public sealed class EventStream
{
    private readonly Lock _lock = new();
    private volatile Subscription[] _subscriptions = [];

    /// <summary>Subscribes <paramref name="subscriber"/> to events of <paramref name="channel"/>; false if already subscribed.</summary>
    public bool Subscribe(IActorRef subscriber, Type channel)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        ArgumentNullException.ThrowIfNull(channel);
        lock (_lock)
        {
            var current = _subscriptions;
            if (current.Any(s => s.Channel == channel && s.Subscriber.Equals(subscriber)))
            {
                return false;
            }

            _subscriptions = [.. current, new Subscription(subscriber, channel)];
            return true;
        }
    }

    /// <summary>Subscribes to events of type <typeparamref name="T"/>.</summary>
    public bool Subscribe<T>(IActorRef subscriber) => Subscribe(subscriber, typeof(T));

    /// <summary>Removes one subscription; false if there was none.</summary>
    public bool Unsubscribe(IActorRef subscriber, Type channel)
    {
        lock (_lock)
        {
            var current = _subscriptions;
            var next = current.Where(s => !(s.Channel == channel && s.Subscriber.Equals(subscriber))).ToArray();
            _subscriptions = next;
            return next.Length != current.Length;
        }
    }

    /// <summary>Removes every subscription of <paramref name="subscriber"/>; false if it had none.</summary>
    public bool Unsubscribe(IActorRef subscriber)
    {
        if (!Array.Exists(_subscriptions, s => s.Subscriber.Equals(subscriber)))
        {
            return false;
        }

        lock (_lock)
        {
            var current = _subscriptions;
            var next = current.Where(s => !s.Subscriber.Equals(subscriber)).ToArray();
            _subscriptions = next;
            return next.Length != current.Length;
        }
    }

    /// <summary>Tells <paramref name="event"/> (without sender) to every subscriber of a matching type; any thread.</summary>
    public void Publish(object @event)
    {
        ArgumentNullException.ThrowIfNull(@event);
        foreach (var subscription in _subscriptions)
        {
            if (subscription.Channel.IsInstanceOfType(@event))
            {
                subscription.Subscriber.Tell(@event, null);
            }
        }
    }

    private sealed record Subscription(IActorRef Subscriber, Type Channel);
}
