using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ActorNet.Host.Ops.Logs;

/// <summary>
/// Parses one line of a node's JSON-lines log into a <see cref="LogRecord"/>. The input is untrusted (a crash
/// can truncate the last line, a disk can hold garbage): anything that is not a JSON object with a valid
/// <c>timestamp</c> is rejected with a short reason, never an exception. Pure and thread-safe.
/// </summary>
internal static partial class LogLineParser
{
    private static readonly JsonDocumentOptions s_options = new() { MaxDepth = 64, AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow };

    /// <summary>
    /// Parses <paramref name="utf8"/> (one line, no newline). Returns the record, or null with
    /// <paramref name="problem"/> saying why the line is malformed.
    /// </summary>
    /// <param name="utf8">The line's bytes.</param>
    /// <param name="source">File name recorded in the record (and used for the node id when the line has none).</param>
    /// <param name="line">1-based line number recorded in the record.</param>
    /// <param name="problem">Why the line was rejected, when it was.</param>
    public static LogRecord? TryParse(ReadOnlyMemory<byte> utf8, string source, long line, out string? problem)
    {
        problem = null;
        if (!System.Text.Unicode.Utf8.IsValid(utf8.Span))
        {
            problem = "not valid UTF-8";
            return null;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8, s_options);
        }
        catch (JsonException ex)
        {
            problem = "not JSON (" + FirstSentence(ex.Message) + ")";
            return null;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                problem = "not a JSON object";
                return null;
            }

            if (!root.TryGetProperty("timestamp", out var ts) || ts.ValueKind != JsonValueKind.String)
            {
                problem = "no \"timestamp\" string";
                return null;
            }

            if (!DateTimeOffset.TryParse(ts.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var timestamp))
            {
                problem = "\"timestamp\" is not an ISO 8601 time";
                return null;
            }

            var level = String(root, "level") ?? "?";
            var message = String(root, "message") ?? String(root, "template") ?? string.Empty;
            int? eventId = root.TryGetProperty("event_id", out var id) && id.ValueKind == JsonValueKind.Number && id.TryGetInt32(out var i) ? i : null;
            int? nodeId = null;
            string? nodeName = null;
            string? cluster = null;
            long? incarnation = null;
            var template = String(root, "template") ?? string.Empty;
            if (root.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object)
            {
                // The node enrichment never overwrites a property of the event itself: when the template names one of
                // these (e.g. "... with node {NodeId}, incarnation {Incarnation}") the value is the event's, not the
                // writing node's, and is ignored here.
                if (!Names(template, "NodeId") && properties.TryGetProperty("NodeId", out var n) && n.ValueKind == JsonValueKind.Number && n.TryGetInt32(out var ni))
                {
                    nodeId = ni;
                }

                nodeName = Names(template, "NodeName") ? null : String(properties, "NodeName");
                cluster = Names(template, "Cluster") ? null : String(properties, "Cluster");
                if (!Names(template, "Incarnation") && properties.TryGetProperty("Incarnation", out var inc) && inc.ValueKind == JsonValueKind.Number && inc.TryGetInt64(out var l))
                {
                    incarnation = l;
                }
            }

            nodeId ??= NodeIdFromFileName(source);
            return new LogRecord(
                timestamp,
                level,
                String(root, "event"),
                eventId,
                message,
                String(root, "exception"),
                nodeId,
                nodeName,
                cluster,
                incarnation,
                source,
                line,
                Encoding.UTF8.GetString(utf8.Span));
        }
    }

    /// <summary>The node id in a log file name written by ActorNetLogging (<c>&lt;cluster&gt;-node-&lt;id&gt;[_NNN].jsonl</c>), or null.</summary>
    public static int? NodeIdFromFileName(string fileName)
    {
        var match = NodeFilePattern().Match(fileName);
        return match.Success && int.TryParse(match.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;
    }

    /// <summary>Whether a message template has a hole for <paramref name="property"/> (<c>{P}</c>, <c>{P:fmt}</c>, <c>{@P}</c>, <c>{$P}</c>, <c>{P,10}</c>).</summary>
    private static bool Names(string template, string property)
    {
        for (var i = template.IndexOf('{', StringComparison.Ordinal); i >= 0 && i < template.Length - 1; i = template.IndexOf('{', i + 1))
        {
            var start = template[i + 1] is '@' or '$' ? i + 2 : i + 1;
            if (string.CompareOrdinal(template, start, property, 0, property.Length) == 0
                && start + property.Length < template.Length
                && template[start + property.Length] is '}' or ':' or ',')
            {
                return true;
            }
        }

        return false;
    }

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(". ", StringComparison.Ordinal);
        var text = cut > 0 ? message[..cut] : message.TrimEnd('.');
        return text.Length > 120 ? text[..120] : text;
    }

    [GeneratedRegex(@"-node-([0-9]{1,5})(?:_[0-9]+)?\.jsonl$", RegexOptions.CultureInvariant)]
    private static partial Regex NodeFilePattern();
}
