using System.Diagnostics;

namespace ActorNet.Actors.Dispatch;

/// <summary>
/// Runs mailboxes on threads (Akka's <c>MessageDispatcher</c>). <see cref="Schedule"/> is called by any thread
/// after a mailbox was marked scheduled, so each mailbox is queued at most once at a time and an actor never
/// runs on two threads at once.
/// </summary>
internal abstract class MessageDispatcher
{
    protected MessageDispatcher(DispatcherSettings settings)
    {
        Settings = settings;
        Throughput = settings.Throughput;
        ThroughputDeadlineTicks = settings.ThroughputDeadline is { } d && d > TimeSpan.Zero
            ? (long)(d.TotalSeconds * Stopwatch.Frequency)
            : 0;
    }

    /// <summary>The settings this dispatcher was built from.</summary>
    public DispatcherSettings Settings { get; }

    /// <summary>Maximum number of user messages one actor processes before yielding its thread.</summary>
    public int Throughput { get; }

    /// <summary>Maximum time (Stopwatch ticks) one actor runs before yielding, or 0 for no limit.</summary>
    public long ThroughputDeadlineTicks { get; }

    /// <summary>Called once when an actor using this dispatcher is created, before its first message.</summary>
    public virtual void Attach(Mailbox mailbox)
    {
    }

    /// <summary>Called once on the actor's thread after the actor terminated and its mailbox closed.</summary>
    public virtual void Detach(Mailbox mailbox)
    {
    }

    /// <summary>Runs <paramref name="mailbox"/> soon on one of this dispatcher's threads.</summary>
    public abstract void Schedule(Mailbox mailbox);
}

/// <summary>
/// The default dispatcher: mailboxes run on the .NET thread pool, each as its own work item (no allocation
/// per scheduling), processing up to <c>throughput</c> messages before giving the thread back.
/// </summary>
internal sealed class ThreadPoolDispatcher(DispatcherSettings settings) : MessageDispatcher(settings)
{
    public override void Schedule(Mailbox mailbox) => ThreadPool.UnsafeQueueUserWorkItem(mailbox, preferLocal: false);
}

/// <summary>
/// A dedicated thread per actor, for actors that must run even when the thread pool is saturated (membership
/// heartbeats: Akka's "false unreachable from starvation"). The thread sleeps on a semaphore between runs and
/// ends when the actor terminates. Costs one OS thread per actor: use it for a handful of actors only.
/// </summary>
internal sealed class PinnedDispatcher(DispatcherSettings settings) : MessageDispatcher(settings)
{
    public override void Attach(Mailbox mailbox)
    {
        var worker = new PinnedWorker(mailbox);
        mailbox.DispatcherState = worker;
        worker.Start();
    }

    public override void Detach(Mailbox mailbox)
    {
        if (mailbox.DispatcherState is PinnedWorker worker)
        {
            worker.StopAfterCurrentRun();
        }
    }

    public override void Schedule(Mailbox mailbox)
    {
        if (mailbox.DispatcherState is PinnedWorker worker)
        {
            worker.Signal();
        }
    }

    /// <summary>The dedicated thread of one mailbox. Signalled by any thread; runs only the owning mailbox.</summary>
    private sealed class PinnedWorker(Mailbox mailbox)
    {
        private readonly SemaphoreSlim _signal = new(0);

        // Written by the worker thread (in Detach, which runs on it), read by the loop.
        private volatile bool _stopping;

        public void Start()
        {
            var thread = new Thread(Loop)
            {
                IsBackground = true,
                Name = $"pinned:{mailbox.Cell?.Self.Path.ToString() ?? "actor"}",
            };
            thread.Start();
        }

        public void Signal() => _signal.Release();

        public void StopAfterCurrentRun()
        {
            _stopping = true;
            _signal.Release();
        }

        private void Loop()
        {
            while (!_stopping)
            {
                _signal.Wait();
                mailbox.Run();
            }

            // The semaphore is not disposed: a racing Signal after the actor stopped must stay harmless.
        }
    }
}
