using ActorNet.Host.Ops.Logs;
using FsCheck;
using FsCheck.Fluent;

namespace ActorNet.Host.Tests.Ops.Logs;

public class LogMergeTests
{
    private static readonly DateTimeOffset s_t0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Merge_SortedSources_InterleavesByTime()
    {
        var a = new[] { (1, "a1"), (4, "a4"), (9, "a9") };
        var b = new[] { (2, "b2"), (3, "b3"), (10, "b10") };
        var c = Array.Empty<(int, string)>();
        var merged = LogMerge.Merge([a, b, c], e => s_t0.AddSeconds(e.Item1)).Select(e => e.Item2).ToArray();
        merged.ShouldBe(["a1", "b2", "b3", "a4", "a9", "b10"]);
    }

    [Fact]
    public void Merge_EqualTimestamps_EarlierSourceFirstAndSourceOrderKept()
    {
        var a = new[] { (5, "a-first"), (5, "a-second") };
        var b = new[] { (5, "b-first"), (5, "b-second") };
        var merged = LogMerge.Merge([b, a], e => s_t0.AddSeconds(e.Item1)).Select(e => e.Item2).ToArray();
        merged.ShouldBe(["b-first", "b-second", "a-first", "a-second"]);
    }

    [Fact]
    public void Merge_AnySortedSources_EqualsStableSortOfTheConcatenation()
    {
        // Each element: (time, source, index in source); few distinct times so ties are frequent.
        var source = Gen.ListOf(Gen.Choose(0, 6)).Select(times => times.Order().ToArray());
        var sources = Gen.ListOf(source).Select(list => list.ToArray());
        Prop.ForAll(sources.ToArbitrary(), raw =>
        {
            var tagged = raw.Select((times, s) => times.Select((t, i) => (Time: t, Source: s, Index: i)).ToArray()).ToArray();
            var merged = LogMerge.Merge(tagged, e => s_t0.AddSeconds(e.Time)).ToArray();
            var expected = tagged.SelectMany(x => x).OrderBy(e => e.Time).ToArray(); // OrderBy is stable
            return merged.SequenceEqual(expected);
        }).QuickCheckThrowOnFailure();
    }
}
