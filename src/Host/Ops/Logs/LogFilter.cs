using System.Globalization;
using ActorNet.Hocon;

namespace ActorNet.Host.Ops.Logs;

/// <summary>
/// Which events <c>actornet logs</c> shows: one node, one event (by name, case-insensitive, or by numeric id), and
/// events at or after a time. A null criterion lets everything through. Immutable; thread-safe.
/// </summary>
/// <param name="NodeId">Only events of this node id.</param>
/// <param name="Event">Only events with this name (or this event id when it is a number).</param>
/// <param name="Since">Only events whose timestamp is at or after this instant.</param>
internal sealed record LogFilter(int? NodeId = null, string? Event = null, DateTimeOffset? Since = null)
{
    private const string AcceptedForms = "expected a duration ago (e.g. 30s, 5m, 2h, 1d) or an ISO 8601 time (e.g. 2026-11-21T15:04:05Z)";

    /// <summary>Whether <paramref name="record"/> passes every criterion.</summary>
    public bool Matches(LogRecord record)
    {
        if (NodeId is { } node && record.NodeId != node)
        {
            return false;
        }

        if (Since is { } since && record.Timestamp < since)
        {
            return false;
        }

        if (Event is { } name)
        {
            if (int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                return record.EventId == id;
            }

            return string.Equals(record.Event, name, StringComparison.OrdinalIgnoreCase);
        }

        return true;
    }

    /// <summary>
    /// Parses the <c>--since</c> argument: a duration before <paramref name="now"/> in HOCON duration syntax
    /// (<c>30s</c>, <c>5m</c>, <c>2h</c>, <c>1 day</c>; a bare number is milliseconds, as in HOCON), or an absolute ISO 8601
    /// time (<c>2026-11-21T15:04:05Z</c>, <c>2026-11-21 15:04</c>; a time without offset is UTC, as the logs are).
    /// Returns false with a message naming the accepted forms when it is neither.
    /// </summary>
    public static bool TryParseSince(string text, DateTimeOffset now, out DateTimeOffset since, out string? error)
    {
        since = default;
        error = null;
        var t = text?.Trim() ?? string.Empty;
        if (t.Length > 0 && t != "infinite" && Units.TryParseDuration(t, out var ago))
        {
            if (ago < TimeSpan.Zero)
            {
                error = $"--since {text}: a duration back in time cannot be negative; " + AcceptedForms;
                return false;
            }

            since = ago >= now - DateTimeOffset.MinValue ? DateTimeOffset.MinValue : now - ago;
            return true;
        }

        if (t.Length > 0 && (t.Contains('-', StringComparison.Ordinal) || t.Contains(':', StringComparison.Ordinal))
            && DateTimeOffset.TryParse(t, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var absolute))
        {
            since = absolute;
            return true;
        }

        error = $"--since {text}: " + AcceptedForms;
        return false;
    }
}
