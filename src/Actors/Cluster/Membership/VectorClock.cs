using System.Collections.Immutable;
using System.Globalization;

namespace ActorNet.Actors.Cluster.Membership;

/// <summary>How two vector clocks relate (Akka's <c>VectorClock.Ordering</c>).</summary>
public enum VectorClockOrdering
{
    /// <summary>This clock happened before the other.</summary>
    Before,

    /// <summary>This clock happened after the other.</summary>
    After,

    /// <summary>Both clocks are identical.</summary>
    Same,

    /// <summary>Neither dominates: the histories diverged and must be merged.</summary>
    Concurrent,
}

/// <summary>
/// Akka's vector clock versioning the gossip: one counter per node name (a missing entry counts as 0).
/// Immutable; safe to share. Node names are <see cref="Gossip.VectorClockName"/> of a unique address.
/// </summary>
public sealed class VectorClock : IEquatable<VectorClock>
{
    private VectorClock(ImmutableSortedDictionary<string, long> versions) => Versions = versions;

    /// <summary>The clock without any entry.</summary>
    public static VectorClock Empty { get; } = new(ImmutableSortedDictionary.Create<string, long>(StringComparer.Ordinal));

    /// <summary>Counter per node name; never contains a zero or negative counter from this API.</summary>
    public ImmutableSortedDictionary<string, long> Versions { get; }

    /// <summary>Builds a clock from counters read off the wire; the caller has validated them (positive).</summary>
    public static VectorClock Create(IEnumerable<KeyValuePair<string, long>> versions) =>
        new(ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, versions));

    /// <summary>This clock with the counter of <paramref name="node"/> incremented (Akka's <c>:+</c>).</summary>
    public VectorClock Increment(string node) =>
        new(Versions.SetItem(node, Versions.TryGetValue(node, out long v) ? v + 1 : 1));

    /// <summary>The entry-wise maximum of both clocks; commutative, associative and idempotent.</summary>
    public VectorClock Merge(VectorClock that)
    {
        var merged = Versions;
        foreach (var (node, v) in that.Versions)
        {
            if (!merged.TryGetValue(node, out long mine) || v > mine)
            {
                merged = merged.SetItem(node, v);
            }
        }

        return ReferenceEquals(merged, Versions) ? this : new VectorClock(merged);
    }

    /// <summary>This clock without the entry of <paramref name="removedNode"/> (a removed member).</summary>
    public VectorClock Prune(string removedNode) =>
        Versions.ContainsKey(removedNode) ? new VectorClock(Versions.Remove(removedNode)) : this;

    /// <summary>How this clock relates to <paramref name="that"/>.</summary>
    public VectorClockOrdering CompareTo(VectorClock that)
    {
        bool anyLess = false;
        bool anyGreater = false;
        foreach (var (node, mine) in Versions)
        {
            long theirs = that.Versions.GetValueOrDefault(node);
            anyLess |= mine < theirs;
            anyGreater |= mine > theirs;
        }

        foreach (var (node, theirs) in that.Versions)
        {
            if (!Versions.ContainsKey(node))
            {
                anyLess |= theirs > 0;
                anyGreater |= theirs < 0;
            }
        }

        return (anyLess, anyGreater) switch
        {
            (false, false) => VectorClockOrdering.Same,
            (true, false) => VectorClockOrdering.Before,
            (false, true) => VectorClockOrdering.After,
            _ => VectorClockOrdering.Concurrent,
        };
    }

    /// <summary>True when this clock happened strictly before <paramref name="that"/>.</summary>
    public bool IsBefore(VectorClock that) => CompareTo(that) == VectorClockOrdering.Before;

    /// <summary>True when this clock happened strictly after <paramref name="that"/>.</summary>
    public bool IsAfter(VectorClock that) => CompareTo(that) == VectorClockOrdering.After;

    /// <summary>Equality of the entries (the <see cref="VectorClockOrdering.Same"/> relation).</summary>
    public bool Equals(VectorClock? other) => other is not null && CompareTo(other) == VectorClockOrdering.Same;

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as VectorClock);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var (node, v) in Versions)
        {
            if (v != 0)
            {
                hash.Add(node, StringComparer.Ordinal);
                hash.Add(v);
            }
        }

        return hash.ToHashCode();
    }

    /// <summary>Formats as <c>VectorClock(node -&gt; n, …)</c>.</summary>
    public override string ToString() =>
        "VectorClock(" + string.Join(", ", Versions.Select(kv => string.Create(CultureInfo.InvariantCulture, $"{kv.Key} -> {kv.Value}"))) + ")";
}
