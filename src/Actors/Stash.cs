using ActorNet.Actors.Dispatch;

namespace ActorNet.Actors;

/// <summary>
/// Implemented by actors that stash messages (Akka's <c>IWithUnboundedStash</c>). The kernel sets
/// <see cref="Stash"/> before <c>PreStart</c>; before a restart and after <c>PostStop</c> it unstashes
/// everything, so stashed messages survive a restart and become dead letters when the actor stops.
/// </summary>
public interface IWithStash
{
    /// <summary>The actor's stash; assigned by the kernel.</summary>
    IStash Stash { get; set; }
}

/// <summary>An actor's stash: set messages aside and bring them back later, in order. Actor thread only.</summary>
public interface IStash
{
    /// <summary>Sets the message being processed (with its sender) aside.</summary>
    /// <exception cref="InvalidOperationException">The same message is stashed twice, or called outside a handler.</exception>
    void Stash();

    /// <summary>Puts the oldest stashed message back at the front of the mailbox.</summary>
    void Unstash();

    /// <summary>Puts all stashed messages back at the front of the mailbox, in the order they were stashed.</summary>
    void UnstashAll();

    /// <summary>Drops all stashed messages and returns them.</summary>
    IReadOnlyList<object> ClearStash();

    /// <summary>Number of stashed messages.</summary>
    int Count { get; }
}

/// <summary>The unbounded stash the kernel gives every <see cref="IWithStash"/> actor.</summary>
internal sealed class UnboundedStash(ActorCell cell) : IStash
{
    private readonly List<Envelope> _stashed = [];

    public int Count => _stashed.Count;

    public void Stash()
    {
        var current = cell.CurrentEnvelope ?? throw new InvalidOperationException("Stash can only be called while processing a message");
        if (_stashed.Count > 0 && ReferenceEquals(_stashed[^1].Message, current.Message) && Equals(_stashed[^1].Sender, current.Sender))
        {
            throw new InvalidOperationException($"Can't stash the same message {current.Message} more than once");
        }

        _stashed.Add(current);
    }

    public void Unstash()
    {
        if (_stashed.Count == 0)
        {
            return;
        }

        var first = _stashed[0];
        _stashed.RemoveAt(0);
        cell.Mailbox.Prepend([first]);
    }

    public void UnstashAll()
    {
        if (_stashed.Count == 0)
        {
            return;
        }

        cell.Mailbox.Prepend(_stashed.ToArray());
        _stashed.Clear();
    }

    public IReadOnlyList<object> ClearStash()
    {
        var messages = _stashed.Select(e => e.Message).ToArray();
        _stashed.Clear();
        return messages;
    }
}
