using System.Globalization;
using System.Text;

namespace ActorNet.Host.Ops.Logs;

/// <summary>
/// Writes timeline records to a <see cref="TextWriter"/>: either one readable line per event
/// (<c>2026-11-21 15:04:05.123 [node-2#2] INF MemberUp: Member ... is Up</c>, exception and extra message lines
/// indented below, a marker line when a node shows up with a new incarnation, i.e. it restarted), or the JSON line
/// exactly as read. Text from the files is untrusted: control characters (terminal escapes) are shown as
/// <c>\uXXXX</c> in the readable form. Used by one thread; keeps the last incarnation seen per node.
/// </summary>
internal sealed class LogPrinter
{
    private readonly TextWriter _out;
    private readonly bool _json;
    private readonly Dictionary<(string? Cluster, int? Node), long> _incarnations = [];

    /// <summary>Creates a printer writing to <paramref name="output"/> (owned by the caller).</summary>
    public LogPrinter(TextWriter output, bool json)
    {
        _out = output;
        _json = json;
    }

    /// <summary>Events written so far.</summary>
    public long Printed { get; private set; }

    /// <summary>Three-letter level abbreviation, as the console log uses.</summary>
    public static string LevelAbbreviation(string level) => level switch
    {
        "Verbose" => "VRB",
        "Debug" => "DBG",
        "Information" => "INF",
        "Warning" => "WRN",
        "Error" => "ERR",
        "Fatal" => "FTL",
        _ => Clean(level.Length > 3 ? level[..3].ToUpperInvariant() : level.ToUpperInvariant()),
    };

    /// <summary>The readable one-line form of a record (without exception lines or trailing newline).</summary>
    public static string FormatLine(LogRecord record)
    {
        var node = NodeLabel(record);
        var time = record.Timestamp.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture);
        var name = record.Event ?? (record.EventId is { } id ? id.ToString(CultureInfo.InvariantCulture) : "-");
        var message = Clean(record.Message).Replace("\n", "\n    ", StringComparison.Ordinal);
        return $"{time} [{node}] {LevelAbbreviation(record.Level)} {Clean(name)}: {message}";
    }

    /// <summary>Writes one record.</summary>
    public void Write(LogRecord record)
    {
        Printed++;
        if (_json)
        {
            _out.Write(record.RawLine);
            _out.Write('\n');
            return;
        }

        if (record.Incarnation is { } incarnation)
        {
            var key = (record.Cluster, record.NodeId);
            if (_incarnations.TryGetValue(key, out var previous) && previous != incarnation)
            {
                _out.Write($"---- [{NodeLabel(record)}] restarted: incarnation {previous.ToString(CultureInfo.InvariantCulture)} -> {incarnation.ToString(CultureInfo.InvariantCulture)}\n");
            }

            _incarnations[key] = incarnation;
        }

        _out.Write(FormatLine(record));
        _out.Write('\n');
        if (record.Exception is { } exception)
        {
            foreach (var line in Clean(exception).Split('\n'))
            {
                _out.Write("    ");
                _out.Write(line.TrimEnd('\r'));
                _out.Write('\n');
            }
        }
    }

    private static string NodeLabel(LogRecord record)
    {
        var id = record.NodeId?.ToString(CultureInfo.InvariantCulture) ?? "?";
        var name = record.NodeName is { Length: > 0 } n ? Clean(n) : Clean(record.Source);
        return name + "#" + id;
    }

    /// <summary>Replaces control characters other than newline and tab with <c>\uXXXX</c>.</summary>
    private static string Clean(string text)
    {
        var clean = true;
        foreach (var c in text)
        {
            if (char.IsControl(c) && c is not '\n' and not '\t')
            {
                clean = false;
                break;
            }
        }

        if (clean)
        {
            return text;
        }

        var builder = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            if (char.IsControl(c) && c is not '\n' and not '\t')
            {
                builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}
