namespace ActorNet.Host.Ops.Logs;

/// <summary>
/// K-way merge of sequences that are each in time order into one time-ordered sequence, lazily (one element of
/// each source is held at a time). Stable: of elements with equal keys, those of an earlier source come first, and
/// those of one source keep their order, so the result equals a stable sort of the sources concatenated in order
/// whenever every source is itself sorted. A source that is not sorted is not reordered internally: its elements
/// come out in its own order, interleaved with the others. Pure; runs on the caller's thread.
/// </summary>
internal static class LogMerge
{
    /// <summary>Merges <paramref name="sources"/> by <paramref name="key"/>.</summary>
    public static IEnumerable<T> Merge<T>(IReadOnlyList<IEnumerable<T>> sources, Func<T, DateTimeOffset> key)
    {
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(key);
        return Iterate(sources, key);
    }

    private static IEnumerable<T> Iterate<T>(IReadOnlyList<IEnumerable<T>> sources, Func<T, DateTimeOffset> key)
    {
        var heads = new PriorityQueue<IEnumerator<T>, (DateTimeOffset Time, int Source)>();
        var sourceOf = new Dictionary<IEnumerator<T>, int>(ReferenceEqualityComparer.Instance);
        var open = new List<IEnumerator<T>>(sources.Count);
        try
        {
            for (var i = 0; i < sources.Count; i++)
            {
                var e = sources[i].GetEnumerator();
                open.Add(e);
                sourceOf[e] = i;
                if (e.MoveNext())
                {
                    heads.Enqueue(e, (key(e.Current), i));
                }
            }

            while (heads.TryDequeue(out var e, out _))
            {
                yield return e.Current;
                if (e.MoveNext())
                {
                    heads.Enqueue(e, (key(e.Current), sourceOf[e]));
                }
            }
        }
        finally
        {
            foreach (var e in open)
            {
                e.Dispose();
            }
        }
    }
}
