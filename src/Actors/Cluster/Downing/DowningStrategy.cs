using System.Collections.Immutable;
using ActorNet.Actors.Cluster.Membership;

namespace ActorNet.Actors.Cluster.Downing;

using Address = ActorNet.Actors.Cluster.Membership.Address;

/// <summary>What a split brain resolver strategy decided (Akka's <c>DowningStrategy.Decision</c>, without lease decisions).</summary>
public enum DowningDecision
{
    /// <summary>Down the reachable side, i.e. this side (we are the losing side).</summary>
    DownReachable,

    /// <summary>Down the unreachable side (we are the surviving side).</summary>
    DownUnreachable,

    /// <summary>Down every member (no safe survivor, or instability lasted too long).</summary>
    DownAll,

    /// <summary>Down the indirectly connected nodes (unreachable through some links, gossiping through others), plus
    /// what the strategy decides for the clean part of the partition.</summary>
    DownIndirectlyConnected,

    /// <summary>This node was quarantined by a peer: down only self.</summary>
    DownSelfQuarantinedByRemote,
}

/// <summary>
/// The split brain resolver's knowledge of the cluster (the state Akka's <c>DowningStrategy</c> keeps): all members
/// that are not Removed, the set considered unreachable, the reachability records (Unreachable/Terminated only) and
/// who has seen the current gossip. Immutable; the resolver replaces it on each cluster event.
/// </summary>
public sealed record SplitBrainView
{
    /// <summary>An empty view for <paramref name="self"/>.</summary>
    public SplitBrainView(UniqueAddress self) => SelfUniqueAddress = self;

    /// <summary>The node running the resolver.</summary>
    public UniqueAddress SelfUniqueAddress { get; }

    /// <summary>All known members by unique address (any status but Removed), latest version of each.</summary>
    public ImmutableDictionary<UniqueAddress, Member> AllMembers { get; init; } = ImmutableDictionary<UniqueAddress, Member>.Empty;

    /// <summary>Members considered unreachable (may include Joining/WeaklyUp, and Down/Exiting as Akka records them).</summary>
    public ImmutableHashSet<UniqueAddress> Unreachable { get; init; } = [];

    /// <summary>Reachability records with status Unreachable or Terminated between known members.</summary>
    public Reachability Reachability { get; init; } = Reachability.Empty;

    /// <summary>Addresses that have seen the current gossip.</summary>
    public ImmutableHashSet<Address> SeenBy { get; init; } = [];

    /// <summary>Adds or replaces <paramref name="m"/> and marks it unreachable.</summary>
    public SplitBrainView AddUnreachable(Member m) => Add(m) with { Unreachable = Unreachable.Add(m.UniqueAddress) };

    /// <summary>Adds or replaces <paramref name="m"/> and marks it reachable.</summary>
    public SplitBrainView AddReachable(Member m) => Add(m) with { Unreachable = Unreachable.Remove(m.UniqueAddress) };

    /// <summary>Adds or replaces <paramref name="m"/>.</summary>
    /// <remarks>Remove-then-add: <see cref="Member"/> equality ignores status, so <c>SetItem</c> would keep the old version.</remarks>
    public SplitBrainView Add(Member m) => this with { AllMembers = AllMembers.Remove(m.UniqueAddress).Add(m.UniqueAddress, m) };

    /// <summary>Forgets <paramref name="m"/> (removed from the cluster).</summary>
    public SplitBrainView Remove(Member m) =>
        this with { AllMembers = AllMembers.Remove(m.UniqueAddress), Unreachable = Unreachable.Remove(m.UniqueAddress) };

    /// <summary>Keeps the Unreachable/Terminated records of <paramref name="r"/> between known members.</summary>
    public SplitBrainView WithReachability(Reachability r) => this with
    {
        Reachability = r.FilterRecords(rec => rec.Status != ReachabilityStatus.Reachable && AllMembers.ContainsKey(rec.Observer) && AllMembers.ContainsKey(rec.Subject)),
    };

    /// <summary>Records who has seen the current gossip.</summary>
    public SplitBrainView WithSeenBy(IEnumerable<Address> seenBy) => this with { SeenBy = seenBy.ToImmutableHashSet() };

    /// <summary>Joining and WeaklyUp members.</summary>
    public IEnumerable<Member> Joining => AllMembers.Values.Where(m => m.Status is MemberStatus.Joining or MemberStatus.WeaklyUp);

    /// <summary>
    /// Akka's <c>members(includingPossiblyUp, excludingPossiblyExiting)</c>: members without Down and Exiting, without
    /// Joining/WeaklyUp unless <paramref name="includingPossiblyUp"/>, without Leaving if <paramref name="excludingPossiblyExiting"/>.
    /// </summary>
    public IEnumerable<Member> Members(bool includingPossiblyUp = false, bool excludingPossiblyExiting = false) =>
        AllMembers.Values.Where(m =>
            !((!includingPossiblyUp && m.Status is MemberStatus.Joining or MemberStatus.WeaklyUp) ||
              (excludingPossiblyExiting && m.Status == MemberStatus.Leaving) ||
              m.Status is MemberStatus.Down or MemberStatus.Exiting or MemberStatus.Removed));

    /// <summary>Nodes unreachable through some links but still connected through others (Akka's <c>indirectlyConnected</c>).</summary>
    public ImmutableHashSet<UniqueAddress> IndirectlyConnected => IntersectionOfObserversAndSubjects.Union(HaveSeenCurrentGossip);

    /// <summary>Observers that are themselves observed unreachable (a cycle in the unreachability graph).</summary>
    public ImmutableHashSet<UniqueAddress> IntersectionOfObserversAndSubjects =>
        Reachability.AllObservers.Intersect(Reachability.AllUnreachableOrTerminated);

    /// <summary>Both ends of records whose subject has nevertheless seen the current gossip.</summary>
    public ImmutableHashSet<UniqueAddress> HaveSeenCurrentGossip =>
        Reachability.Records.Where(r => SeenBy.Contains(r.Subject.Address)).SelectMany(r => new[] { r.Observer, r.Subject }).ToImmutableHashSet();

    /// <summary>True when every unreachable member is Down or Exiting (or none is unreachable).</summary>
    public bool IsAllUnreachableDownOrExiting =>
        Unreachable.IsEmpty || Members().Where(m => Unreachable.Contains(m.UniqueAddress)).All(m => m.Status is MemberStatus.Down or MemberStatus.Exiting);
}

/// <summary>
/// A split brain resolver strategy (Akka's <c>DowningStrategy</c> subclasses): a pure decision over a
/// <see cref="SplitBrainView"/>. Only members of <see cref="Role"/> are counted when it is set.
/// </summary>
public abstract record DowningStrategy
{
    /// <summary>Only members with this role are counted; null counts everyone.</summary>
    public string? Role { get; init; }

    /// <summary>Ordering that makes the first member the one the strategy protects (address, or age for keep-oldest).</summary>
    protected virtual IComparer<Member> Ordering => Member.Ordering;

    /// <summary>The decision for the current view.</summary>
    public abstract DowningDecision Decide(SplitBrainView view);

    /// <summary>
    /// The nodes to down for <paramref name="decision"/> (Akka's <c>nodesToDown</c>): only Up, Leaving, Joining and
    /// WeaklyUp members are downable. If the indirectly-connected refinement is itself indirectly connected, all are
    /// downed (Akka logs and downs all).
    /// </summary>
    public ImmutableHashSet<UniqueAddress> NodesToDown(SplitBrainView view, DowningDecision decision)
    {
        try
        {
            return NodesToDownUnchecked(view, decision);
        }
        catch (InvalidOperationException)
        {
            return NodesToDownUnchecked(view, DowningDecision.DownAll);
        }
    }

    /// <summary>Members counted by this strategy.</summary>
    protected IEnumerable<Member> MembersWithRole(SplitBrainView view, bool includingPossiblyUp = false, bool excludingPossiblyExiting = false) =>
        view.Members(includingPossiblyUp, excludingPossiblyExiting).Where(m => Role is null || m.HasRole(Role)).Order(Ordering);

    /// <summary>Counted members that are reachable.</summary>
    protected int ReachableCount(SplitBrainView view, bool includingPossiblyUp = false, bool excludingPossiblyExiting = false) =>
        MembersWithRole(view, includingPossiblyUp, excludingPossiblyExiting).Count(m => !view.Unreachable.Contains(m.UniqueAddress));

    /// <summary>Counted members that are unreachable.</summary>
    protected int UnreachableCount(SplitBrainView view, bool includingPossiblyUp = false, bool excludingPossiblyExiting = false) =>
        MembersWithRole(view, includingPossiblyUp, excludingPossiblyExiting).Count(m => view.Unreachable.Contains(m.UniqueAddress));

    private ImmutableHashSet<UniqueAddress> NodesToDownUnchecked(SplitBrainView view, DowningDecision decision)
    {
        var downable = view.Members().Concat(view.Joining).Select(m => m.UniqueAddress).ToImmutableHashSet();
        switch (decision)
        {
            case DowningDecision.DownUnreachable:
                return downable.Intersect(view.Unreachable);
            case DowningDecision.DownReachable:
                return downable.Except(view.Unreachable);
            case DowningDecision.DownAll:
                return downable;
            case DowningDecision.DownIndirectlyConnected:
                return downable.Intersect(view.IndirectlyConnected.Union(AdditionalNodesToDownWhenIndirectlyConnected(view, downable)));
            case DowningDecision.DownSelfQuarantinedByRemote:
                return downable.Contains(view.SelfUniqueAddress) ? [view.SelfUniqueAddress] : [];
            default:
                throw new ArgumentOutOfRangeException(nameof(decision), decision, "unknown downing decision");
        }
    }

    private ImmutableHashSet<UniqueAddress> AdditionalNodesToDownWhenIndirectlyConnected(SplitBrainView view, ImmutableHashSet<UniqueAddress> downable)
    {
        if (view.Unreachable.Except(view.IndirectlyConnected).IsEmpty)
        {
            return [];
        }

        var intersection = view.IntersectionOfObserversAndSubjects;
        var haveSeen = view.HaveSeenCurrentGossip;
        var filtered = view.Reachability.FilterRecords(r =>
            downable.Contains(r.Observer) && downable.Contains(r.Subject) &&
            !((intersection.Contains(r.Observer) && intersection.Contains(r.Subject)) ||
              (haveSeen.Contains(r.Observer) && haveSeen.Contains(r.Subject))));
        var refined = view with { Reachability = filtered, Unreachable = filtered.AllUnreachableOrTerminated };
        var decision = Decide(refined);
        if (decision == DowningDecision.DownIndirectlyConnected)
        {
            throw new InvalidOperationException("split brain resolver: indirectly connected decision twice; downing all instead");
        }

        return NodesToDownUnchecked(refined, decision);
    }
}

/// <summary>
/// Akka's keep-majority: the side with more counted members survives; on equal halves the side containing the
/// member with the lowest address survives; an empty count downs all. Also checks Akka's membership-change edge case
/// (counting Joining/WeaklyUp on the other side and not counting Leaving on this side) and downs all if it disagrees.
/// </summary>
public sealed record KeepMajority : DowningStrategy
{
    /// <inheritdoc />
    public override DowningDecision Decide(SplitBrainView view)
    {
        if (!view.IndirectlyConnected.IsEmpty)
        {
            return DowningDecision.DownIndirectlyConnected;
        }

        var ms = MembersWithRole(view).ToList();
        if (ms.Count == 0)
        {
            return DowningDecision.DownAll;
        }

        var decision = MajorityDecision(view, ReachableCount(view), UnreachableCount(view), ms[0]);
        if (decision != DowningDecision.DownUnreachable)
        {
            return decision;
        }

        var edge = MembersWithRole(view, includingPossiblyUp: false, excludingPossiblyExiting: true).ToList();
        if (edge.Count == 0)
        {
            return DowningDecision.DownAll;
        }

        var edgeDecision = MajorityDecision(
            view,
            ReachableCount(view, includingPossiblyUp: false, excludingPossiblyExiting: true),
            UnreachableCount(view, includingPossiblyUp: true, excludingPossiblyExiting: false),
            edge[0]);
        return edgeDecision == DowningDecision.DownUnreachable ? DowningDecision.DownUnreachable : DowningDecision.DownAll;
    }

    private static DowningDecision MajorityDecision(SplitBrainView view, int thisSide, int otherSide, Member lowest)
    {
        if (thisSide == otherSide)
        {
            return view.Unreachable.Contains(lowest.UniqueAddress) ? DowningDecision.DownReachable : DowningDecision.DownUnreachable;
        }

        return thisSide > otherSide ? DowningDecision.DownUnreachable : DowningDecision.DownReachable;
    }
}

/// <summary>
/// Akka's static-quorum: the side with at least <see cref="QuorumSize"/> counted members survives, the other downs
/// itself; more than <c>2 × quorum-size − 1</c> members downs all (both sides could otherwise survive).
/// </summary>
/// <param name="QuorumSize">Akka's <c>static-quorum.quorum-size</c>; &gt; 0.</param>
public sealed record StaticQuorum(int QuorumSize) : DowningStrategy
{
    /// <summary>True when the cluster is too large for this quorum to be safe.</summary>
    public bool IsTooManyMembers(SplitBrainView view) => MembersWithRole(view).Count() > (QuorumSize * 2) - 1;

    /// <inheritdoc />
    public override DowningDecision Decide(SplitBrainView view)
    {
        if (IsTooManyMembers(view))
        {
            return DowningDecision.DownAll;
        }

        if (!view.IndirectlyConnected.IsEmpty)
        {
            return DowningDecision.DownIndirectlyConnected;
        }

        return ReachableCount(view) >= QuorumSize ? DowningDecision.DownUnreachable : DowningDecision.DownReachable;
    }
}

/// <summary>
/// Akka's keep-oldest: the side containing the oldest counted member survives. With <see cref="DownIfAlone"/>, an
/// oldest that is alone against two or more others downs itself instead (and the others survive), but a single
/// oldest facing a single other member is kept.
/// </summary>
/// <param name="DownIfAlone">Akka's <c>keep-oldest.down-if-alone</c>.</param>
public sealed record KeepOldest(bool DownIfAlone) : DowningStrategy
{
    /// <inheritdoc />
    protected override IComparer<Member> Ordering => Member.AgeOrdering;

    /// <inheritdoc />
    public override DowningDecision Decide(SplitBrainView view)
    {
        if (!view.IndirectlyConnected.IsEmpty)
        {
            return DowningDecision.DownIndirectlyConnected;
        }

        var ms = MembersWithRole(view).ToList();
        if (ms.Count == 0)
        {
            return DowningDecision.DownAll;
        }

        var decision = OldestDecision(!view.Unreachable.Contains(ms[0].UniqueAddress), ReachableCount(view), UnreachableCount(view));
        if (decision != DowningDecision.DownUnreachable)
        {
            return decision;
        }

        var edge = MembersWithRole(view, includingPossiblyUp: false, excludingPossiblyExiting: true).ToList();
        if (edge.Count == 0)
        {
            return DowningDecision.DownAll;
        }

        var edgeDecision = OldestDecision(
            !view.Unreachable.Contains(edge[0].UniqueAddress),
            ReachableCount(view, DownIfAlone, excludingPossiblyExiting: true),
            UnreachableCount(view, DownIfAlone, excludingPossiblyExiting: true));
        return edgeDecision == DowningDecision.DownUnreachable ? DowningDecision.DownUnreachable : DowningDecision.DownAll;
    }

    private DowningDecision OldestDecision(bool oldestIsOnThisSide, int thisSide, int otherSide)
    {
        if (oldestIsOnThisSide)
        {
            return DownIfAlone && thisSide == 1 && otherSide >= 2 ? DowningDecision.DownReachable : DowningDecision.DownUnreachable;
        }

        return DownIfAlone && otherSide == 1 && thisSide >= 2 ? DowningDecision.DownUnreachable : DowningDecision.DownReachable;
    }
}

/// <summary>Akka's down-all strategy: every decision downs all members.</summary>
public sealed record DownAllNodes : DowningStrategy
{
    /// <inheritdoc />
    public override DowningDecision Decide(SplitBrainView view) => DowningDecision.DownAll;
}
