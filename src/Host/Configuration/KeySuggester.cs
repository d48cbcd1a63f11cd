namespace ActorNet.Host.Configuration;

/// <summary>
/// Finds the known key closest to a mistyped one ("did you mean"), by edit distance on the full path. Pure;
/// thread-safe.
/// </summary>
public static class KeySuggester
{
    /// <summary>Returns the closest candidate within a distance proportional to the key's length, or null.</summary>
    public static string? Suggest(string key, IEnumerable<string> candidates)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            var d = Distance(key, candidate);
            if (d < bestDistance || (d == bestDistance && best is not null && string.CompareOrdinal(candidate, best) < 0))
            {
                best = candidate;
                bestDistance = d;
            }
        }

        var lastSegment = key[(key.LastIndexOf('.') + 1)..];
        var limit = Math.Max(2, Math.Min(4, lastSegment.Length / 3));
        return bestDistance <= limit ? best : null;
    }

    /// <summary>Levenshtein distance (insert, delete, substitute; each costs 1).</summary>
    public static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
