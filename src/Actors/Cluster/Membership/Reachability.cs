using System.Collections.Immutable;

namespace ActorNet.Actors.Cluster.Membership;

/// <summary>What one observer's failure detector says about one subject.</summary>
public enum ReachabilityStatus
{
    /// <summary>Heartbeats arrive.</summary>
    Reachable = 0,

    /// <summary>The failure detector suspects the subject.</summary>
    Unreachable = 1,

    /// <summary>The subject is known dead (e.g. a new incarnation joined, or the same-host fast path confirmed exit); final.</summary>
    Terminated = 2,
}

/// <summary>One observation: <paramref name="Observer"/> saw <paramref name="Subject"/> in <paramref name="Status"/> at its own <paramref name="Version"/>.</summary>
/// <param name="Observer">The member whose failure detector made the observation.</param>
/// <param name="Subject">The observed member.</param>
/// <param name="Status">What was observed.</param>
/// <param name="Version">The observer's reachability version when recording it (only the observer increments it).</param>
public sealed record ReachabilityRecord(UniqueAddress Observer, UniqueAddress Subject, ReachabilityStatus Status, long Version);

/// <summary>
/// Akka's <c>Reachability</c> table carried in the gossip overview: per observer, its non-trivial observations, and a
/// version per observer so that gossip merge keeps the newest rows of each observer. Immutable; thread-safe.
/// </summary>
/// <remarks>
/// Only the observer itself changes its own rows (through <see cref="Unreachable"/>, <see cref="Reachable"/>,
/// <see cref="Terminated"/>); when all of an observer's rows become Reachable they are dropped, so an all-reachable
/// cluster has an empty table (<see cref="IsAllReachable"/>).
/// </remarks>
public sealed class Reachability
{
    private readonly Lazy<Cache> _cache;

    /// <summary>Creates a table from records and observer versions (both already consistent, e.g. from the wire after validation).</summary>
    public Reachability(ImmutableList<ReachabilityRecord> records, ImmutableDictionary<UniqueAddress, long> versions)
    {
        Records = records;
        Versions = versions;
        _cache = new Lazy<Cache>(() => new Cache(records), LazyThreadSafetyMode.PublicationOnly);
    }

    /// <summary>The empty table (everyone reachable).</summary>
    public static Reachability Empty { get; } = new([], ImmutableDictionary<UniqueAddress, long>.Empty);

    /// <summary>All records, in insertion order.</summary>
    public ImmutableList<ReachabilityRecord> Records { get; }

    /// <summary>Current version per observer.</summary>
    public ImmutableDictionary<UniqueAddress, long> Versions { get; }

    /// <summary>True when nobody observes anybody as unreachable or terminated.</summary>
    public bool IsAllReachable => Records.IsEmpty;

    /// <summary>Subjects with at least one Unreachable record and no Terminated record.</summary>
    public ImmutableHashSet<UniqueAddress> AllUnreachable => _cache.Value.AllUnreachable;

    /// <summary>Subjects with at least one Unreachable or Terminated record.</summary>
    public ImmutableHashSet<UniqueAddress> AllUnreachableOrTerminated => _cache.Value.AllUnreachableOrTerminated;

    /// <summary>Observers that have at least one record.</summary>
    public ImmutableHashSet<UniqueAddress> AllObservers => _cache.Value.Rows.Keys.ToImmutableHashSet();

    /// <summary>Records <paramref name="observer"/> sees <paramref name="subject"/> as unreachable.</summary>
    public Reachability Unreachable(UniqueAddress observer, UniqueAddress subject) => Change(observer, subject, ReachabilityStatus.Unreachable);

    /// <summary>Records <paramref name="observer"/> sees <paramref name="subject"/> as reachable again (no-op after Terminated).</summary>
    public Reachability Reachable(UniqueAddress observer, UniqueAddress subject) => Change(observer, subject, ReachabilityStatus.Reachable);

    /// <summary>Records <paramref name="observer"/> knows <paramref name="subject"/> is dead; final for that pair.</summary>
    public Reachability Terminated(UniqueAddress observer, UniqueAddress subject) => Change(observer, subject, ReachabilityStatus.Terminated);

    /// <summary>
    /// Akka's merge: for each observer in <paramref name="allowed"/> keep the rows of the side with the higher observer
    /// version (restricted to allowed subjects), and the higher version; drop versions of observers not allowed.
    /// </summary>
    public Reachability Merge(IReadOnlySet<UniqueAddress> allowed, Reachability other)
    {
        var records = ImmutableList.CreateBuilder<ReachabilityRecord>();
        var versions = Versions.ToBuilder();
        foreach (var observer in allowed.Order(UniqueAddress.Ordering))
        {
            long v1 = Versions.GetValueOrDefault(observer);
            long v2 = other.Versions.GetValueOrDefault(observer);
            var rows1 = ObserverRows(observer);
            var rows2 = other.ObserverRows(observer);
            IEnumerable<ReachabilityRecord>? chosen = (rows1, rows2) switch
            {
                (null, null) => null,
                ({ } r1, { } r2) => v1 > v2 ? r1.Values : r2.Values,
                ({ } r1, null) => v1 > v2 ? r1.Values : null,
                (null, { } r2) => v2 > v1 ? r2.Values : null,
            };
            if (chosen is not null)
            {
                records.AddRange(chosen.Where(r => allowed.Contains(r.Subject)).OrderBy(r => r.Subject, UniqueAddress.Ordering));
            }

            if (v2 > v1)
            {
                versions[observer] = v2;
            }
        }

        foreach (var observer in versions.Keys.ToList())
        {
            if (!allowed.Contains(observer))
            {
                versions.Remove(observer);
            }
        }

        return new Reachability(records.ToImmutable(), versions.ToImmutable());
    }

    /// <summary>The table without any record or version involving <paramref name="nodes"/> (removed members).</summary>
    public Reachability Remove(IEnumerable<UniqueAddress> nodes)
    {
        var set = nodes.ToHashSet();
        var records = Records.RemoveAll(r => set.Contains(r.Observer) || set.Contains(r.Subject));
        var versions = Versions.RemoveRange(set);
        return records.Count == Records.Count && versions.Count == Versions.Count ? this : new Reachability(records, versions);
    }

    /// <summary>The table without the rows observed by <paramref name="observers"/> (e.g. downed observers).</summary>
    public Reachability RemoveObservers(IEnumerable<UniqueAddress> observers)
    {
        var set = observers.ToHashSet();
        if (set.Count == 0)
        {
            return this;
        }

        var records = Records.RemoveAll(r => set.Contains(r.Observer));
        var versions = Versions.RemoveRange(set);
        return records.Count == Records.Count && versions.Count == Versions.Count ? this : new Reachability(records, versions);
    }

    /// <summary>The table keeping only records that satisfy <paramref name="keep"/> (versions unchanged).</summary>
    public Reachability FilterRecords(Func<ReachabilityRecord, bool> keep) => new(Records.Where(keep).ToImmutableList(), Versions);

    /// <summary>What <paramref name="observer"/> says about <paramref name="subject"/> (Reachable when it has no record).</summary>
    public ReachabilityStatus Status(UniqueAddress observer, UniqueAddress subject) =>
        _cache.Value.Rows.TryGetValue(observer, out var rows) && rows.TryGetValue(subject, out var r) ? r.Status : ReachabilityStatus.Reachable;

    /// <summary>Aggregated status of <paramref name="subject"/>: Terminated beats Unreachable beats Reachable.</summary>
    public ReachabilityStatus Status(UniqueAddress subject) =>
        _cache.Value.AllTerminated.Contains(subject) ? ReachabilityStatus.Terminated
        : _cache.Value.AllUnreachable.Contains(subject) ? ReachabilityStatus.Unreachable
        : ReachabilityStatus.Reachable;

    /// <summary>True when no observer sees <paramref name="node"/> as unreachable or terminated.</summary>
    public bool IsReachable(UniqueAddress node) => IsAllReachable || !AllUnreachableOrTerminated.Contains(node);

    /// <summary>True when <paramref name="observer"/> sees <paramref name="subject"/> as reachable.</summary>
    public bool IsReachable(UniqueAddress observer, UniqueAddress subject) => Status(observer, subject) == ReachabilityStatus.Reachable;

    /// <summary>Subjects <paramref name="observer"/> sees as unreachable (not terminated).</summary>
    public ImmutableHashSet<UniqueAddress> AllUnreachableFrom(UniqueAddress observer) =>
        _cache.Value.Rows.TryGetValue(observer, out var rows)
            ? rows.Values.Where(r => r.Status == ReachabilityStatus.Unreachable).Select(r => r.Subject).ToImmutableHashSet()
            : [];

    /// <summary>The records of <paramref name="observer"/>.</summary>
    public ImmutableList<ReachabilityRecord> RecordsFrom(UniqueAddress observer) =>
        _cache.Value.Rows.TryGetValue(observer, out var rows) ? [.. rows.Values] : [];

    /// <summary>Lists the records, for logs.</summary>
    public override string ToString() =>
        "Reachability(" + string.Join(", ", Records.Select(r => $"{r.Observer} -> {r.Subject}: {r.Status} [{r.Version}]")) + ")";

    private Dictionary<UniqueAddress, ReachabilityRecord>? ObserverRows(UniqueAddress observer) =>
        _cache.Value.Rows.GetValueOrDefault(observer);

    private Reachability Change(UniqueAddress observer, UniqueAddress subject, ReachabilityStatus status)
    {
        long v = Versions.GetValueOrDefault(observer) + 1;
        var newVersions = Versions.SetItem(observer, v);
        var newRecord = new ReachabilityRecord(observer, subject, status, v);
        var rows = ObserverRows(observer);
        if (rows is null)
        {
            return status == ReachabilityStatus.Reachable ? this : new Reachability(Records.Add(newRecord), newVersions);
        }

        if (!rows.TryGetValue(subject, out var old))
        {
            if (status == ReachabilityStatus.Reachable && rows.Values.All(r => r.Status == ReachabilityStatus.Reachable))
            {
                return new Reachability(Records.RemoveAll(r => r.Observer.Equals(observer)), newVersions);
            }

            return new Reachability(Records.Add(newRecord), newVersions);
        }

        if (old.Status == ReachabilityStatus.Terminated || old.Status == status)
        {
            return this;
        }

        if (status == ReachabilityStatus.Reachable &&
            rows.Values.All(r => r.Subject.Equals(subject) || r.Status == ReachabilityStatus.Reachable))
        {
            return new Reachability(Records.RemoveAll(r => r.Observer.Equals(observer)), newVersions);
        }

        return new Reachability(Records.Replace(old, newRecord), newVersions);
    }

    private sealed class Cache
    {
        public Cache(ImmutableList<ReachabilityRecord> records)
        {
            var unreachable = ImmutableHashSet.CreateBuilder<UniqueAddress>();
            var terminated = ImmutableHashSet.CreateBuilder<UniqueAddress>();
            foreach (var r in records)
            {
                if (!Rows.TryGetValue(r.Observer, out var rows))
                {
                    rows = [];
                    Rows[r.Observer] = rows;
                }

                rows[r.Subject] = r;
                if (r.Status == ReachabilityStatus.Unreachable)
                {
                    unreachable.Add(r.Subject);
                }
                else if (r.Status == ReachabilityStatus.Terminated)
                {
                    terminated.Add(r.Subject);
                }
            }

            AllTerminated = terminated.ToImmutable();
            AllUnreachable = unreachable.ToImmutable().Except(AllTerminated);
            AllUnreachableOrTerminated = AllUnreachable.Union(AllTerminated);
        }

        public Dictionary<UniqueAddress, Dictionary<UniqueAddress, ReachabilityRecord>> Rows { get; } = [];

        public ImmutableHashSet<UniqueAddress> AllTerminated { get; }

        public ImmutableHashSet<UniqueAddress> AllUnreachable { get; }

        public ImmutableHashSet<UniqueAddress> AllUnreachableOrTerminated { get; }
    }
}
