using System.Collections.Immutable;
using System.Globalization;

namespace ActorNet.Actors.Cluster.Membership;

/// <summary>
/// One cluster member as recorded in the gossip (Akka's <c>Member</c>): unique address, status, roles and the
/// <see cref="UpNumber"/> that orders members by age. Immutable; safe to share between threads.
/// </summary>
/// <remarks>
/// As in Akka, equality and hash code use only <see cref="UniqueAddress"/>, so a set holds one entry per node and a
/// changed member replaces the old one; compare <see cref="Status"/> explicitly when the state matters.
/// </remarks>
public sealed class Member : IEquatable<Member>, IComparable<Member>
{
    /// <summary>Up number of a member that has never been Up (Akka uses <c>Int.MaxValue</c>).</summary>
    public const int NotUpNumber = int.MaxValue;

    private Member(UniqueAddress uniqueAddress, int upNumber, MemberStatus status, ImmutableSortedSet<string> roles)
    {
        UniqueAddress = uniqueAddress;
        UpNumber = upNumber;
        Status = status;
        Roles = roles;
    }

    /// <summary>The member's node and incarnation.</summary>
    public UniqueAddress UniqueAddress { get; }

    /// <summary>The member's node address.</summary>
    public Address Address => UniqueAddress.Address;

    /// <summary>Current status.</summary>
    public MemberStatus Status { get; }

    /// <summary>Roles configured on the member's node.</summary>
    public ImmutableSortedSet<string> Roles { get; }

    /// <summary>Order in which the member became Up (lower is older); <see cref="NotUpNumber"/> before that.</summary>
    public int UpNumber { get; }

    /// <summary>Member ordering by unique address (Akka's <c>Member.ordering</c>), used for the gossip's sorted member set.</summary>
    public static IComparer<Member> Ordering { get; } = Comparer<Member>.Create(static (a, b) => a.UniqueAddress.CompareTo(b.UniqueAddress));

    /// <summary>Oldest first (Akka's <c>Member.ageOrdering</c>): lower up number, then lower address. Used by keep-oldest.</summary>
    public static IComparer<Member> AgeOrdering { get; } = Comparer<Member>.Create(static (a, b) =>
        a.UniqueAddress.Equals(b.UniqueAddress) ? 0 : a.IsOlderThan(b) ? -1 : b.IsOlderThan(a) ? 1 : a.UniqueAddress.CompareTo(b.UniqueAddress));

    /// <summary>
    /// Akka's <c>leaderStatusOrdering</c>, used when no member is Up or Leaving: Up/Leaving first, then WeaklyUp,
    /// Joining, Exiting and Down, each group in address order.
    /// </summary>
    public static IComparer<Member> LeaderStatusOrdering { get; } = Comparer<Member>.Create(static (a, b) =>
    {
        int c = LeaderRank(a.Status).CompareTo(LeaderRank(b.Status));
        return c != 0 ? c : a.UniqueAddress.CompareTo(b.UniqueAddress);
    });

    /// <summary>A new member in <see cref="MemberStatus.Joining"/>, as the join handler creates it.</summary>
    public static Member Create(UniqueAddress uniqueAddress, IEnumerable<string>? roles = null) =>
        new(uniqueAddress, NotUpNumber, MemberStatus.Joining, (roles ?? []).ToImmutableSortedSet(StringComparer.Ordinal));

    /// <summary>
    /// Rebuilds a member read from a peer's gossip without transition checks; the caller has validated the fields.
    /// </summary>
    public static Member FromWire(UniqueAddress uniqueAddress, MemberStatus status, int upNumber, IEnumerable<string> roles) =>
        new(uniqueAddress, upNumber, status, roles.ToImmutableSortedSet(StringComparer.Ordinal));

    /// <summary>Whether the member carries <paramref name="role"/>.</summary>
    public bool HasRole(string role) => Roles.Contains(role);

    /// <summary>This member with a new status.</summary>
    /// <exception cref="InvalidOperationException">Akka's transition table forbids the move.</exception>
    public Member WithStatus(MemberStatus status)
    {
        if (status == Status)
        {
            return this;
        }

        if (!MemberStatusTransitions.IsAllowed(Status, status))
        {
            throw new InvalidOperationException($"invalid member status transition [{this} -> {status}]");
        }

        return new Member(UniqueAddress, UpNumber, status, Roles);
    }

    /// <summary>This member moved to Up with the given up number (Akka's <c>copyUp</c>).</summary>
    public Member WithUp(int upNumber) => new Member(UniqueAddress, upNumber, Status, Roles).WithStatus(MemberStatus.Up);

    /// <summary>Akka's <c>isOlderThan</c>: lower up number wins; equal up numbers fall back to address order.</summary>
    public bool IsOlderThan(Member other)
    {
        if (UpNumber == other.UpNumber)
        {
            return Address.Ordering.Compare(Address, other.Address) < 0;
        }

        return UpNumber < other.UpNumber;
    }

    /// <summary>
    /// Akka's <c>highestPriorityOf</c> for two versions of the same member during gossip merge: Removed, Down,
    /// Exiting, Leaving win over Up; Up wins over WeaklyUp, which wins over Joining; equal status keeps the older.
    /// </summary>
    public static Member HighestPriorityOf(Member m1, Member m2)
    {
        if (m1.Status == m2.Status)
        {
            return m1.IsOlderThan(m2) ? m1 : m2;
        }

        return MergeRank(m1.Status) >= MergeRank(m2.Status) ? m1 : m2;
    }

    /// <summary>
    /// Akka's <c>pickHighestPriority</c>: union of two member sets, keeping the highest-priority version of a member
    /// present on both sides; a member present on one side only is dropped if tombstoned or Down/Exiting (it was
    /// removed on the other side).
    /// </summary>
    public static ImmutableSortedSet<Member> PickHighestPriority(
        IEnumerable<Member> a, IEnumerable<Member> b, IReadOnlyDictionary<UniqueAddress, long> tombstones)
    {
        var byAddress = new Dictionary<UniqueAddress, (Member First, Member? Second)>();
        foreach (var m in a.Concat(b))
        {
            byAddress[m.UniqueAddress] = byAddress.TryGetValue(m.UniqueAddress, out var existing)
                ? (existing.First, m)
                : (m, null);
        }

        var builder = ImmutableSortedSet.CreateBuilder(Ordering);
        foreach (var (first, second) in byAddress.Values)
        {
            if (second is not null)
            {
                builder.Add(HighestPriorityOf(first, second));
            }
            else if (!tombstones.ContainsKey(first.UniqueAddress) && !MembershipState.RemoveUnreachableWithMemberStatus.Contains(first.Status))
            {
                builder.Add(first);
            }
        }

        return builder.ToImmutable();
    }

    /// <inheritdoc />
    public bool Equals(Member? other) => other is not null && UniqueAddress.Equals(other.UniqueAddress);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as Member);

    /// <inheritdoc />
    public override int GetHashCode() => UniqueAddress.GetHashCode();

    /// <summary>Compares by unique address (Akka's <c>Member.ordering</c>).</summary>
    public int CompareTo(Member? other) => other is null ? 1 : UniqueAddress.CompareTo(other.UniqueAddress);

    /// <summary>Formats as Akka logs a member: address, uid, status, roles and up number.</summary>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"Member({UniqueAddress}, {Status}, roles=[{string.Join(",", Roles)}], upNumber={(UpNumber == NotUpNumber ? "-" : UpNumber.ToString(CultureInfo.InvariantCulture))})");

    private static int LeaderRank(MemberStatus status) => status switch
    {
        MemberStatus.Up or MemberStatus.Leaving => 0,
        MemberStatus.WeaklyUp => 1,
        MemberStatus.Joining => 2,
        MemberStatus.Exiting => 3,
        MemberStatus.Down => 4,
        _ => 5,
    };

    private static int MergeRank(MemberStatus status) => status switch
    {
        MemberStatus.Removed => 7,
        MemberStatus.Down => 6,
        MemberStatus.Exiting => 5,
        MemberStatus.Leaving => 4,
        MemberStatus.Up => 3,
        MemberStatus.WeaklyUp => 2,
        MemberStatus.Joining => 1,
        _ => 0,
    };
}
