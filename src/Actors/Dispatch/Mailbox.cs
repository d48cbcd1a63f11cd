using System.Collections.Concurrent;
using System.Diagnostics;

namespace ActorNet.Actors.Dispatch;

/// <summary>
/// An actor's mailbox: a user-message queue, a separate system-message queue processed first, and the
/// scheduling state that guarantees the actor runs on at most one thread at a time.
/// </summary>
/// <remarks>
/// Design: any thread enqueues (multi-producer); only the thread currently running <see cref="Run"/> dequeues
/// (single consumer). The user queue is a segment-based <see cref="ConcurrentQueue{T}"/> of
/// <see cref="Envelope"/> structs: its segments are ring buffers reused while the queue does not grow, so a
/// Tell allocates nothing in the steady state. System messages go into an intrusive Treiber stack (they are
/// rare and already objects), reversed to FIFO when drained; a sentinel head marks the mailbox closed so that a
/// system message sent to a dead actor is handled as dead (e.g. a late Watch answers Terminated). The mailbox
/// itself is the thread-pool work item, so scheduling it allocates nothing. Status is one int changed by CAS:
/// bit 0 scheduled, bit 1 closed, the bits above the suspend count.
/// </remarks>
internal sealed class Mailbox : IThreadPoolWorkItem
{
    private const int Scheduled = 1;
    private const int Closed = 2;
    private const int SuspendUnit = 4;

    private static readonly SystemMessage s_closedSentinel = new Terminate();

    private readonly ConcurrentQueue<Envelope> _queue = new();

    // Number of queued user messages; maintained only for bounded mailboxes (capacity > 0).
    private int _count;

    // Head of the system-message stack; pushed by any thread, popped only by the running thread.
    private SystemMessage? _systemHead;

    // Scheduling state, see the remarks.
    private int _status;

    // Messages given back by UnstashAll; touched only by the thread running the actor.
    private Queue<Envelope>? _prepend;

    public Mailbox(MessageDispatcher dispatcher, MailboxSettings settings)
    {
        Dispatcher = dispatcher;
        Capacity = settings.Capacity;
    }

    /// <summary>The dispatcher that runs this mailbox.</summary>
    public MessageDispatcher Dispatcher { get; }

    /// <summary>Maximum number of queued user messages, or 0 for unbounded.</summary>
    public int Capacity { get; }

    /// <summary>The cell whose messages this mailbox holds; set once before the first enqueue.</summary>
    public ActorCell Cell { get; set; } = null!;

    /// <summary>State owned by a dispatcher that needs per-mailbox resources (the pinned dispatcher's thread).</summary>
    public object? DispatcherState { get; set; }

    public bool IsClosed => (Volatile.Read(ref _status) & Closed) != 0;

    public bool IsSuspended => Volatile.Read(ref _status) >= SuspendUnit;

    public bool HasMessages => !_queue.IsEmpty || _prepend is { Count: > 0 };

    public bool HasSystemMessages
    {
        get
        {
            var head = Volatile.Read(ref _systemHead);
            return head is not null && !ReferenceEquals(head, s_closedSentinel);
        }
    }

    /// <summary>Number of queued user messages (approximate while producers are running).</summary>
    public int NumberOfMessages => Capacity > 0 ? Volatile.Read(ref _count) : _queue.Count;

    /// <summary>
    /// Enqueues a user message from any thread. Returns false when the mailbox is closed or full; the caller
    /// then routes the message to dead letters.
    /// </summary>
    public bool Enqueue(in Envelope envelope)
    {
        if (IsClosed)
        {
            return false;
        }

        if (Capacity > 0 && Interlocked.Increment(ref _count) > Capacity)
        {
            Interlocked.Decrement(ref _count);
            return false;
        }

        _queue.Enqueue(envelope);
        if (IsClosed)
        {
            // The actor terminated between the check above and the enqueue: its final drain may have missed
            // this message, so hand whatever is left to dead letters here (the queue is safe for this).
            while (_queue.TryDequeue(out var late))
            {
                Cell.DeadUserMessage(late);
            }

            return true;
        }

        RegisterForExecution(hasMessageHint: true, hasSystemMessageHint: false);
        return true;
    }

    /// <summary>
    /// Enqueues a system message from any thread. Returns false when the mailbox is already closed; the caller
    /// then handles the message as sent to a dead actor.
    /// </summary>
    public bool SystemEnqueue(SystemMessage message)
    {
        while (true)
        {
            var head = Volatile.Read(ref _systemHead);
            if (ReferenceEquals(head, s_closedSentinel))
            {
                return false;
            }

            message.Next = head;
            if (ReferenceEquals(Interlocked.CompareExchange(ref _systemHead, message, head), head))
            {
                RegisterForExecution(hasMessageHint: false, hasSystemMessageHint: true);
                return true;
            }
        }
    }

    /// <summary>Puts messages at the front of the queue (Unstash); only from the thread running the actor.</summary>
    public void Prepend(IEnumerable<Envelope> envelopes)
    {
        var existing = _prepend;
        var merged = new Queue<Envelope>(envelopes);
        if (existing is not null)
        {
            while (existing.TryDequeue(out var e))
            {
                merged.Enqueue(e);
            }
        }

        _prepend = merged;
    }

    /// <summary>Increments the suspend count; only from the thread running the actor.</summary>
    public void Suspend() => Interlocked.Add(ref _status, SuspendUnit);

    /// <summary>Decrements the suspend count (never below zero); only from the thread running the actor.</summary>
    public void Resume()
    {
        while (true)
        {
            var s = Volatile.Read(ref _status);
            if (s < SuspendUnit || (s & Closed) != 0)
            {
                return;
            }

            if (Interlocked.CompareExchange(ref _status, s - SuspendUnit, s) == s)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Closes the mailbox (the actor terminated): later enqueues fail, queued system messages are handed to
    /// <paramref name="deadSystem"/>, queued user messages to <paramref name="deadUser"/>. Only from the running thread.
    /// </summary>
    public void Close(Action<SystemMessage> deadSystem, Action<Envelope> deadUser)
    {
        while (true)
        {
            var s = Volatile.Read(ref _status);
            if (Interlocked.CompareExchange(ref _status, s | Closed, s) == s)
            {
                break;
            }
        }

        var pending = Interlocked.Exchange(ref _systemHead, s_closedSentinel);
        for (var m = Reverse(pending); m is not null;)
        {
            var next = m.Next;
            m.Next = null;
            deadSystem(m);
            m = next;
        }

        while (TryDequeue(out var envelope))
        {
            deadUser(envelope);
        }
    }

    /// <summary>The work item entry point: run system messages, then up to <c>throughput</c> user messages.</summary>
    public void Execute() => Run();

    /// <summary>Processes messages on the calling (dispatcher) thread; never called concurrently with itself.</summary>
    public void Run()
    {
        try
        {
            if (!IsClosed)
            {
                ProcessAllSystemMessages();
                ProcessMailbox();
            }
        }
        finally
        {
            SetAsIdle();
            RegisterForExecution(hasMessageHint: false, hasSystemMessageHint: false);
        }
    }

    private void ProcessMailbox()
    {
        var left = Math.Max(Dispatcher.Throughput, 1);
        var deadlineTicks = Dispatcher.ThroughputDeadlineTicks;
        var start = deadlineTicks > 0 ? Stopwatch.GetTimestamp() : 0;
        while (ShouldProcessMessage() && TryDequeue(out var envelope))
        {
            Cell.Invoke(envelope);
            ProcessAllSystemMessages();
            if (--left == 0 || (deadlineTicks > 0 && Stopwatch.GetTimestamp() - start >= deadlineTicks))
            {
                break;
            }
        }
    }

    private bool ShouldProcessMessage() => (Volatile.Read(ref _status) & ~Scheduled) == 0;

    private bool TryDequeue(out Envelope envelope)
    {
        if (_prepend is { Count: > 0 } prepend)
        {
            envelope = prepend.Dequeue();
            return true;
        }

        if (_queue.TryDequeue(out envelope))
        {
            if (Capacity > 0)
            {
                Interlocked.Decrement(ref _count);
            }

            return true;
        }

        return false;
    }

    private void ProcessAllSystemMessages()
    {
        while (!IsClosed)
        {
            var head = Volatile.Read(ref _systemHead);
            if (head is null || ReferenceEquals(head, s_closedSentinel))
            {
                return;
            }

            if (!ReferenceEquals(Interlocked.CompareExchange(ref _systemHead, null, head), head))
            {
                continue;
            }

            for (var m = Reverse(head); m is not null;)
            {
                var next = m.Next;
                m.Next = null;
                if (IsClosed)
                {
                    Cell.HandleDeadSystemMessage(m);
                }
                else
                {
                    Cell.SystemInvoke(m);
                }

                m = next;
            }
        }
    }

    private static SystemMessage? Reverse(SystemMessage? head)
    {
        if (ReferenceEquals(head, s_closedSentinel))
        {
            return null;
        }

        SystemMessage? reversed = null;
        while (head is not null)
        {
            var next = head.Next;
            head.Next = reversed;
            reversed = head;
            head = next;
        }

        return reversed;
    }

    private void RegisterForExecution(bool hasMessageHint, bool hasSystemMessageHint)
    {
        if (CanBeScheduled(hasMessageHint, hasSystemMessageHint) && TrySetAsScheduled())
        {
            Dispatcher.Schedule(this);
        }
    }

    private bool CanBeScheduled(bool hasMessageHint, bool hasSystemMessageHint)
    {
        var s = Volatile.Read(ref _status);
        if ((s & Closed) != 0)
        {
            return false;
        }

        if (hasSystemMessageHint || HasSystemMessages)
        {
            return true;
        }

        return s < SuspendUnit && (hasMessageHint || HasMessages);
    }

    private bool TrySetAsScheduled()
    {
        while (true)
        {
            var s = Volatile.Read(ref _status);
            if ((s & (Scheduled | Closed)) != 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _status, s | Scheduled, s) == s)
            {
                return true;
            }
        }
    }

    private void SetAsIdle()
    {
        while (true)
        {
            var s = Volatile.Read(ref _status);
            if (Interlocked.CompareExchange(ref _status, s & ~Scheduled, s) == s)
            {
                return;
            }
        }
    }
}
