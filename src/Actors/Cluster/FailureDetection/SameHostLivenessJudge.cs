using System.Globalization;

namespace ActorNet.Actors.Cluster.FailureDetection;

/// <summary>What the OS says about a same-host peer's process (pid / pidfd probe by the data plane).</summary>
public enum PeerProcessState
{
    /// <summary>Not known (no pid, or the pid is in another pid namespace).</summary>
    Unknown,

    /// <summary>The process exists.</summary>
    Running,

    /// <summary>The process has exited (pidfd readable, or the pid no longer exists / belongs to another start time).</summary>
    Exited,
}

/// <summary>
/// One reading of a same-host peer's liveness evidence, taken by the caller from the data plane.
/// </summary>
/// <param name="Process">Result of the process probe.</param>
/// <param name="HeartbeatWord">The heartbeat word in the peer's shared-memory segment header; null when the segment is absent or unreadable.</param>
/// <param name="SegmentIncarnation">The incarnation written in the peer's segment header; null when unknown.</param>
/// <param name="ObservedAtMs">Monotonic time of the reading, in ms.</param>
public readonly record struct SameHostEvidence(PeerProcessState Process, ulong? HeartbeatWord, long? SegmentIncarnation, long ObservedAtMs);

/// <summary>The judge's conclusion about a same-host peer.</summary>
public enum SameHostVerdictKind
{
    /// <summary>The peer shows signs of life (process running, or heartbeat word advancing).</summary>
    Alive,

    /// <summary>No conclusion; leave it to the network failure detector.</summary>
    Unknown,

    /// <summary>The peer incarnation is certainly dead; it may be downed at once, without split-brain stability.</summary>
    ConfirmedDead,
}

/// <summary>A verdict with a human reason for the structured log.</summary>
/// <param name="Kind">The conclusion.</param>
/// <param name="Reason">Why, e.g. "process exited" or "heartbeat word unchanged for 250 ms".</param>
public readonly record struct SameHostVerdict(SameHostVerdictKind Kind, string Reason);

/// <summary>
/// The same-host fast path (issue: a peer process that has exited on this host is dead, not partitioned): judges one
/// peer incarnation from successive <see cref="SameHostEvidence"/> readings. Immutable; the heartbeat actor keeps one
/// per same-host peer and replaces it with the judge returned by <see cref="Observe"/>.
/// </summary>
/// <remarks>
/// Death is confirmed when (1) the process has exited, (2) the segment carries another incarnation (the node
/// restarted), or (3) the heartbeat word has not changed for longer than <see cref="StaleLimit"/>. Rule 3 also fires
/// for a process that is hung or stopped; the limit must therefore exceed the longest pause the data plane's
/// heartbeat writer may legitimately take. A word that advances again never revives a confirmed incarnation: the
/// verdict is sticky, because the cluster will already have downed it.
/// </remarks>
public sealed record SameHostLivenessJudge
{
    /// <summary>Creates a judge for the peer incarnation <paramref name="expectedIncarnation"/>.</summary>
    /// <param name="expectedIncarnation">The peer's incarnation uid as a member.</param>
    /// <param name="staleLimit">How long an unchanged heartbeat word is tolerated; &gt; 0.</param>
    public SameHostLivenessJudge(long expectedIncarnation, TimeSpan staleLimit)
    {
        if (staleLimit <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(staleLimit), staleLimit, "the same-host stale limit must be > 0");
        }

        ExpectedIncarnation = expectedIncarnation;
        StaleLimit = staleLimit;
    }

    /// <summary>The incarnation being judged.</summary>
    public long ExpectedIncarnation { get; }

    /// <summary>Longest tolerated time without a heartbeat word change.</summary>
    public TimeSpan StaleLimit { get; }

    /// <summary>Last heartbeat word seen, if any.</summary>
    public ulong? LastWord { get; init; }

    /// <summary>When <see cref="LastWord"/> last changed (ms).</summary>
    public long LastChangeMs { get; init; }

    /// <summary>Set once death was confirmed; later readings keep the verdict.</summary>
    public string? DeadReason { get; init; }

    /// <summary>Judges one reading; returns the updated judge and the verdict.</summary>
    public (SameHostLivenessJudge Judge, SameHostVerdict Verdict) Observe(SameHostEvidence evidence)
    {
        if (DeadReason is not null)
        {
            return (this, new SameHostVerdict(SameHostVerdictKind.ConfirmedDead, DeadReason));
        }

        if (evidence.Process == PeerProcessState.Exited)
        {
            return Dead("process exited");
        }

        if (evidence.SegmentIncarnation is { } inc && inc != ExpectedIncarnation)
        {
            return Dead(string.Create(CultureInfo.InvariantCulture, $"segment belongs to incarnation {inc}, not {ExpectedIncarnation}"));
        }

        if (evidence.HeartbeatWord is { } word)
        {
            if (LastWord != word)
            {
                var judge = this with { LastWord = word, LastChangeMs = evidence.ObservedAtMs };
                return (judge, new SameHostVerdict(SameHostVerdictKind.Alive, "heartbeat word advanced"));
            }

            long unchangedMs = evidence.ObservedAtMs - LastChangeMs;
            if (unchangedMs > (long)StaleLimit.TotalMilliseconds)
            {
                return Dead(string.Create(CultureInfo.InvariantCulture, $"heartbeat word unchanged for {unchangedMs} ms (limit {(long)StaleLimit.TotalMilliseconds} ms)"));
            }

            return (this, new SameHostVerdict(SameHostVerdictKind.Alive, "heartbeat word within limit"));
        }

        return evidence.Process == PeerProcessState.Running
            ? (this, new SameHostVerdict(SameHostVerdictKind.Alive, "process running"))
            : (this, new SameHostVerdict(SameHostVerdictKind.Unknown, "no same-host evidence"));
    }

    private (SameHostLivenessJudge, SameHostVerdict) Dead(string reason) =>
        (this with { DeadReason = reason }, new SameHostVerdict(SameHostVerdictKind.ConfirmedDead, reason));
}
