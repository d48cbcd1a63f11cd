using System.Collections.Immutable;
using System.Globalization;

namespace ActorNet.Actors.Cluster.Membership;

/// <summary>
/// Akka's <c>GossipOverview</c>: which members have seen the current gossip version, and the reachability table.
/// Immutable.
/// </summary>
/// <param name="Seen">Members that have seen (merged or produced) the gossip's current version.</param>
/// <param name="Reachability">Per-observer reachability records.</param>
public sealed record GossipOverview(ImmutableHashSet<UniqueAddress> Seen, Reachability Reachability)
{
    /// <summary>Nobody has seen anything; everyone reachable.</summary>
    public static GossipOverview Empty { get; } = new([], Reachability.Empty);
}

/// <summary>
/// The replicated cluster state (Akka's <c>Gossip</c>): members sorted by address, the overview (seen set and
/// reachability), the vector clock version and tombstones of removed members. Immutable; the membership actor owns
/// the current instance and replaces it, never mutates it.
/// </summary>
public sealed record Gossip
{
    /// <summary>Creates a gossip from its parts (used by decoders after validation and by the transitions below).</summary>
    public Gossip(ImmutableSortedSet<Member> members, GossipOverview overview, VectorClock version, ImmutableDictionary<UniqueAddress, long> tombstones)
    {
        Members = members;
        Overview = overview;
        Version = version;
        Tombstones = tombstones;
    }

    /// <summary>The gossip of a node that has not joined anything yet.</summary>
    public static Gossip Empty { get; } = new(ImmutableSortedSet.Create(Member.Ordering), GossipOverview.Empty, VectorClock.Empty, ImmutableDictionary<UniqueAddress, long>.Empty);

    /// <summary>Members sorted by unique address (Akka's <c>Member.ordering</c>); a set with another comparer is re-sorted on assignment.</summary>
    public ImmutableSortedSet<Member> Members
    {
        get;
        init => field = value.KeyComparer == Member.Ordering ? value : value.WithComparer(Member.Ordering);
    }

    /// <summary>Seen set and reachability.</summary>
    public GossipOverview Overview { get; init; }

    /// <summary>Version of this state.</summary>
    public VectorClock Version { get; init; }

    /// <summary>Removed members and when they were removed (Unix ms); keeps a removed incarnation from being merged back.</summary>
    public ImmutableDictionary<UniqueAddress, long> Tombstones { get; init; }

    /// <summary>The vector clock node name of a member (Akka's <c>Gossip.vclockName</c>: <c>address-uid</c>).</summary>
    public static string VectorClockName(UniqueAddress node) => string.Create(CultureInfo.InvariantCulture, $"{node.Address}-{node.Uid}");

    /// <summary>A gossip containing <paramref name="members"/> and nothing else.</summary>
    public static Gossip Create(IEnumerable<Member> members) => Empty with { Members = members.ToImmutableSortedSet(Member.Ordering) };

    /// <summary>Whether <paramref name="node"/> is a member.</summary>
    public bool HasMember(UniqueAddress node) => TryGetMember(node, out _);

    /// <summary>Looks up the member for <paramref name="node"/>.</summary>
    public bool TryGetMember(UniqueAddress node, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Member? member)
    {
        if (Members.TryGetValue(Member.FromWire(node, MemberStatus.Joining, Member.NotUpNumber, []), out var found))
        {
            member = found;
            return true;
        }

        member = null;
        return false;
    }

    /// <summary>The member for <paramref name="node"/>; a Removed placeholder when it is not a member (as Akka does).</summary>
    public Member GetMember(UniqueAddress node) =>
        TryGetMember(node, out var m) ? m : Member.FromWire(node, MemberStatus.Removed, Member.NotUpNumber, []);

    /// <summary>This gossip with the version incremented for <paramref name="node"/> (Akka's <c>:+</c>).</summary>
    public Gossip Increment(UniqueAddress node) => this with { Version = Version.Increment(VectorClockName(node)) };

    /// <summary>Marks the current version as seen by <paramref name="node"/>.</summary>
    public Gossip Seen(UniqueAddress node) =>
        Overview.Seen.Contains(node) ? this : this with { Overview = Overview with { Seen = Overview.Seen.Add(node) } };

    /// <summary>Marks the current version as seen by <paramref name="node"/> only.</summary>
    public Gossip OnlySeen(UniqueAddress node) => this with { Overview = Overview with { Seen = [node] } };

    /// <summary>Clears the seen set.</summary>
    public Gossip ClearSeen() => this with { Overview = Overview with { Seen = [] } };

    /// <summary>Whether <paramref name="node"/> has seen this version.</summary>
    public bool SeenByNode(UniqueAddress node) => Overview.Seen.Contains(node);

    /// <summary>Addresses of the members that have seen this version.</summary>
    public ImmutableHashSet<Address> SeenBy => Overview.Seen.Select(n => n.Address).ToImmutableHashSet();

    /// <summary>Union of both seen sets (used when two gossips have the same version).</summary>
    public Gossip MergeSeen(Gossip that) => this with { Overview = Overview with { Seen = Overview.Seen.Union(that.Overview.Seen) } };

    /// <summary>This gossip with a new reachability table.</summary>
    public Gossip WithReachability(Reachability reachability) => this with { Overview = Overview with { Reachability = reachability } };

    /// <summary>
    /// Akka's merge of two concurrent gossips: tombstones united (newest time kept), vector clocks merged and pruned
    /// of tombstoned nodes, members by <see cref="Member.PickHighestPriority"/>, reachability merged for the
    /// surviving members, and the seen set reset because nobody has seen the merged version yet.
    /// </summary>
    public Gossip Merge(Gossip that)
    {
        var tombstones = Tombstones;
        foreach (var (node, at) in that.Tombstones)
        {
            if (!tombstones.TryGetValue(node, out long mine) || at > mine)
            {
                tombstones = tombstones.SetItem(node, at);
            }
        }

        var clock = Version.Merge(that.Version);
        foreach (var node in tombstones.Keys)
        {
            clock = clock.Prune(VectorClockName(node));
        }

        var members = Member.PickHighestPriority(Members, that.Members, tombstones);
        var allowed = members.Select(m => m.UniqueAddress).ToHashSet();
        var reachability = Overview.Reachability.Merge(allowed, that.Overview.Reachability);
        return new Gossip(members, new GossipOverview([], reachability), clock, tombstones);
    }

    /// <summary>Replaces the given members (matched by unique address) and adds new ones (Akka's <c>update</c>).</summary>
    public Gossip Update(IEnumerable<Member> updatedMembers)
    {
        var members = Members;
        foreach (var m in updatedMembers)
        {
            members = members.Remove(m).Add(m);
        }

        return this with { Members = members };
    }

    /// <summary>
    /// Removes <paramref name="node"/>: from members, the seen set and reachability, prunes its clock entry and adds a
    /// tombstone stamped <paramref name="removalTimestampMs"/> (Akka's <c>remove</c>).
    /// </summary>
    public Gossip Remove(UniqueAddress node, long removalTimestampMs) => RemoveAll([node], removalTimestampMs);

    /// <summary>Removes each of <paramref name="nodes"/> as <see cref="Remove"/> does.</summary>
    public Gossip RemoveAll(IEnumerable<UniqueAddress> nodes, long removalTimestampMs)
    {
        var list = nodes.ToList();
        if (list.Count == 0)
        {
            return this;
        }

        var clock = Version;
        var members = Members;
        var tombstones = Tombstones;
        foreach (var node in list)
        {
            clock = clock.Prune(VectorClockName(node));
            members = members.Remove(GetMember(node));
            tombstones = tombstones.SetItem(node, removalTimestampMs);
        }

        var overview = new GossipOverview(Overview.Seen.Except(list), Overview.Reachability.Remove(list));
        return new Gossip(members, overview, clock, tombstones);
    }

    /// <summary>Drops tombstones older than <paramref name="removedBeforeMs"/> (Akka's <c>pruneTombstones</c>).</summary>
    public Gossip PruneTombstones(long removedBeforeMs)
    {
        var keep = Tombstones.Where(kv => kv.Value >= removedBeforeMs).ToImmutableDictionary();
        return keep.Count == Tombstones.Count ? this : this with { Tombstones = keep };
    }

    /// <summary>Marks <paramref name="member"/> Down and removes it from the seen set (Akka's <c>markAsDown</c>).</summary>
    public Gossip MarkAsDown(Member member) =>
        new(Members.Remove(member).Add(member.WithStatus(MemberStatus.Down)), Overview with { Seen = Overview.Seen.Remove(member.UniqueAddress) }, Version, Tombstones);

    /// <summary>Prunes the clock entry of <paramref name="node"/> (used before merging with a gossip that already removed it).</summary>
    public Gossip Prune(UniqueAddress node) => this with { Version = Version.Prune(VectorClockName(node)) };

    /// <summary>Summarises members, seen set, version and reachability for logs.</summary>
    public override string ToString() =>
        $"Gossip(members=[{string.Join(", ", Members)}], seen=[{string.Join(", ", Overview.Seen)}], {Overview.Reachability}, {Version})";
}
