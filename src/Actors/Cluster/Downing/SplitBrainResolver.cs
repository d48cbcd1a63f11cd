using System.Collections.Immutable;
using System.Globalization;
using ActorNet.Actors.Cluster.Membership;

namespace ActorNet.Actors.Cluster.Downing;

using Address = ActorNet.Actors.Cluster.Membership.Address;

/// <summary>A downing decision to carry out: down <see cref="NodesToDown"/> (self last, if included).</summary>
/// <param name="Decision">The strategy's decision.</param>
/// <param name="NodesToDown">Members to mark Down.</param>
/// <param name="DownsSelf">True when this node is among them.</param>
/// <param name="Reason">Why, for the structured downing log event.</param>
public sealed record DowningAction(DowningDecision Decision, ImmutableHashSet<UniqueAddress> NodesToDown, bool DownsSelf, string Reason);

/// <summary>Akka's <c>ReachabilityChangedStats</c>: first and latest reachability change of the current unstable period.</summary>
/// <param name="FirstChangeMs">Time of the first change.</param>
/// <param name="LatestChangeMs">Time of the latest change.</param>
/// <param name="ChangeCount">Number of changes.</param>
public readonly record struct ReachabilityChangedStats(long FirstChangeMs, long LatestChangeMs, long ChangeCount);

/// <summary>
/// Akka's split brain resolver as a pure state machine. The SBR actor subscribes to cluster events, feeds each to
/// <see cref="On"/> with the current monotonic time, calls <see cref="Tick"/> periodically (Akka ticks at
/// <c>min(stable-after / 2, 1 s)</c>), and downs the nodes of any <see cref="DowningAction"/> it returns.
/// </summary>
/// <remarks>
/// Timing rules (Akka's): any reachability change, and any member becoming Up, restarts the stable-after deadline;
/// when the deadline passes while members are unreachable and this node is responsible (the leader, and itself
/// Up/WeaklyUp), the strategy decides. If reachability keeps changing for longer than
/// <c>stable-after + down-all-when-unstable</c> since the first change, every node (responsible or not) downs all.
/// Stats reset when all unreachable members are Down/Exiting, after a decision, or (with down-all-when-unstable off)
/// after <c>2 × stable-after</c> without change. Immutable.
/// </remarks>
public sealed record SplitBrainResolver
{
    /// <summary>Creates the resolver for <paramref name="self"/> at <paramref name="nowMs"/>.</summary>
    /// <param name="strategy">The configured strategy.</param>
    /// <param name="self">This node.</param>
    /// <param name="stableAfter">Akka's <c>stable-after</c>; &gt; 0.</param>
    /// <param name="downAllWhenUnstable">Akka's <c>down-all-when-unstable</c>; <see cref="TimeSpan.Zero"/> is off (see <see cref="DefaultDownAllWhenUnstable"/> for "on").</param>
    /// <param name="nowMs">Current monotonic time in ms.</param>
    public SplitBrainResolver(DowningStrategy strategy, UniqueAddress self, TimeSpan stableAfter, TimeSpan downAllWhenUnstable, long nowMs)
    {
        if (stableAfter <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(stableAfter), stableAfter, "split-brain-resolver.stable-after must be > 0");
        }

        if (downAllWhenUnstable < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(downAllWhenUnstable), downAllWhenUnstable, "split-brain-resolver.down-all-when-unstable must be >= 0 or off");
        }

        Strategy = strategy;
        View = new SplitBrainView(self);
        StableAfterMs = (long)stableAfter.TotalMilliseconds;
        DownAllWhenUnstableMs = (long)downAllWhenUnstable.TotalMilliseconds;
        StableDeadlineMs = nowMs + StableAfterMs;
    }

    /// <summary>The strategy.</summary>
    public DowningStrategy Strategy { get; }

    /// <summary>What the resolver knows of the cluster.</summary>
    public SplitBrainView View { get; init; }

    /// <summary>stable-after in ms.</summary>
    public long StableAfterMs { get; }

    /// <summary>down-all-when-unstable in ms (0 = off).</summary>
    public long DownAllWhenUnstableMs { get; }

    /// <summary>Earliest time a decision may be taken.</summary>
    public long StableDeadlineMs { get; init; }

    /// <summary>Reachability changes of the current unstable period (ChangeCount 0 when stable).</summary>
    public ReachabilityChangedStats Stats { get; init; }

    /// <summary>True when this node is the leader.</summary>
    public bool IsLeader { get; init; }

    /// <summary>True once self has been seen Up or WeaklyUp.</summary>
    public bool SelfMemberAdded { get; init; }

    /// <summary>Akka's "on" value of down-all-when-unstable: ¾ of stable-after, at least 4 s.</summary>
    public static TimeSpan DefaultDownAllWhenUnstable(TimeSpan stableAfter) =>
        TimeSpan.FromTicks(Math.Max(TimeSpan.FromSeconds(4).Ticks, stableAfter.Ticks * 3 / 4));

    /// <summary>Akka's tick period for the resolver: half of stable-after, at most 1 s.</summary>
    public static TimeSpan TickInterval(TimeSpan stableAfter) => TimeSpan.FromTicks(Math.Min(stableAfter.Ticks / 2, TimeSpan.FromSeconds(1).Ticks));

    /// <summary>Whether this node takes decisions (leader and itself added).</summary>
    public bool IsResponsible => IsLeader && SelfMemberAdded;

    /// <summary>Applies one cluster event observed at <paramref name="nowMs"/>.</summary>
    public SplitBrainResolver On(ClusterDomainEvent e, long nowMs)
    {
        var self = View.SelfUniqueAddress;
        switch (e)
        {
            case MemberJoined(var m):
                return this with { View = View.Add(m) };
            case MemberWeaklyUp(var m):
                return this with { View = View.Add(m), SelfMemberAdded = SelfMemberAdded || m.UniqueAddress.Equals(self) };
            case MemberUp(var m):
                return this with { View = View.Add(m), SelfMemberAdded = SelfMemberAdded || m.UniqueAddress.Equals(self), StableDeadlineMs = nowMs + StableAfterMs };
            case MemberLeft(var m):
                return this with { View = View.Add(m) };
            case UnreachableMember(var m):
                return ReachabilityChange(m, unreachable: true, nowMs);
            case MemberDowned(var m):
                return ReachabilityChange(m, unreachable: true, nowMs);
            case MemberExited(var m):
                return ReachabilityChange(m, unreachable: true, nowMs);
            case ReachableMember(var m):
                return ReachabilityChange(m, unreachable: false, nowMs);
            case MemberRemoved(var m, _):
                if (m.UniqueAddress.Equals(self))
                {
                    return this;
                }

                return ResetStatsIfAllUnreachableDowned(this with { View = View.Remove(m) });
            case LeaderChanged(var leader):
                return this with { IsLeader = self.Address.Equals(leader) };
            case CurrentClusterState snapshot:
                var resolver = this;
                foreach (var m in snapshot.Members)
                {
                    resolver = resolver with { View = resolver.View.Add(m) };
                    if (m.UniqueAddress.Equals(self) && m.Status is MemberStatus.Up or MemberStatus.WeaklyUp)
                    {
                        resolver = resolver with { SelfMemberAdded = true };
                    }
                }

                foreach (var m in snapshot.Unreachable)
                {
                    resolver = resolver.ReachabilityChange(m, unreachable: true, nowMs);
                }

                return resolver with { IsLeader = self.Address.Equals(snapshot.Leader), View = resolver.View.WithSeenBy(snapshot.SeenBy) };
            default:
                return this;
        }
    }

    /// <summary>Records the gossip's reachability table (Akka's <c>ReachabilityChanged</c> event).</summary>
    public SplitBrainResolver OnReachabilityChanged(Reachability reachability) => this with { View = View.WithReachability(reachability) };

    /// <summary>Records who has seen the current gossip (Akka's <c>SeenChanged</c> event).</summary>
    public SplitBrainResolver OnSeenChanged(IEnumerable<Address> seenBy) => this with { View = View.WithSeenBy(seenBy) };

    /// <summary>
    /// The periodic check at <paramref name="nowMs"/>: returns the next state and the action to carry out, if any.
    /// </summary>
    public (SplitBrainResolver Resolver, DowningAction? Action) Tick(long nowMs)
    {
        var resolver = this;
        if (Stats.ChangeCount > 0)
        {
            long sinceFirst = nowMs - Stats.FirstChangeMs;
            long sinceLatest = nowMs - Stats.LatestChangeMs;
            if (DownAllWhenUnstableMs > 0 && sinceFirst > StableAfterMs + DownAllWhenUnstableMs)
            {
                string reason = string.Create(CultureInfo.InvariantCulture, $"instability: {Stats.ChangeCount} reachability changes over {sinceFirst} ms exceeded stable-after + down-all-when-unstable ({StableAfterMs + DownAllWhenUnstableMs} ms)");
                return Act(DowningDecision.DownAll, nowMs, reason);
            }

            if (DownAllWhenUnstableMs == 0 && sinceLatest > 2 * StableAfterMs)
            {
                resolver = this with { Stats = default };
            }
        }

        if (resolver.IsResponsible && !resolver.View.Unreachable.IsEmpty && nowMs > resolver.StableDeadlineMs)
        {
            var decision = Strategy.Decide(resolver.View);
            string reason = string.Create(CultureInfo.InvariantCulture, $"{Strategy.GetType().Name}: {resolver.View.Unreachable.Count} unreachable of {resolver.View.Members().Count()} members, stable for {StableAfterMs} ms");
            return resolver.Act(decision, nowMs, reason);
        }

        return (resolver, null);
    }

    /// <summary>The decision this node would take now, ignoring timing (for status displays and tests).</summary>
    public DowningDecision PeekDecision() => Strategy.Decide(View);

    private (SplitBrainResolver, DowningAction?) Act(DowningDecision decision, long nowMs, string reason)
    {
        var nodes = Strategy.NodesToDown(View, decision);
        if (nodes.IsEmpty)
        {
            return (this, null);
        }

        var next = this with { Stats = default, StableDeadlineMs = nowMs + StableAfterMs };
        return (next, new DowningAction(decision, nodes, nodes.Contains(View.SelfUniqueAddress), reason));
    }

    private SplitBrainResolver ReachabilityChange(Member m, bool unreachable, long nowMs)
    {
        if (m.UniqueAddress.Equals(View.SelfUniqueAddress))
        {
            return this;
        }

        var view = unreachable ? View.AddUnreachable(m) : View.AddReachable(m);
        var stats = Stats.ChangeCount == 0
            ? new ReachabilityChangedStats(nowMs, nowMs, 1)
            : Stats with { LatestChangeMs = nowMs, ChangeCount = Stats.ChangeCount + 1 };
        return ResetStatsIfAllUnreachableDowned(this with { View = view, Stats = stats }) with { StableDeadlineMs = nowMs + StableAfterMs };
    }

    private static SplitBrainResolver ResetStatsIfAllUnreachableDowned(SplitBrainResolver r) =>
        r.Stats.ChangeCount > 0 && r.View.IsAllUnreachableDownOrExiting ? r with { Stats = default } : r;
}
