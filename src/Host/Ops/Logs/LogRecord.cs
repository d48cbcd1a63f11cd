namespace ActorNet.Host.Ops.Logs;

/// <summary>
/// One event read back from a node's JSON-lines log (the format <see cref="Logging.JsonLinesFormatter"/> writes).
/// Immutable; made by <see cref="LogLineParser"/> on the thread reading the file and handed to the merge and
/// the printer. Every field comes from an untrusted file: strings may hold anything (the printer escapes
/// control characters), optional fields are null when absent or of the wrong type.
/// </summary>
/// <param name="Timestamp">When the event was logged (the <c>timestamp</c> field, UTC).</param>
/// <param name="Level">Serilog level name as written (<c>Information</c>, <c>Warning</c>, ...).</param>
/// <param name="Event">Event name (<c>event</c>), null when the event has none.</param>
/// <param name="EventId">Event id (<c>event_id</c>), null when the event has none.</param>
/// <param name="Message">Rendered message (<c>message</c>; the template when the message is missing).</param>
/// <param name="Exception">Exception text, null when none.</param>
/// <param name="NodeId">Node id from the <c>NodeId</c> property, else from the file name (<c>-node-N</c>), else null.</param>
/// <param name="NodeName">Node name from the <c>NodeName</c> property, null when absent.</param>
/// <param name="Cluster">Cluster name from the <c>Cluster</c> property, null when absent.</param>
/// <param name="Incarnation">Process incarnation from the <c>Incarnation</c> property, null when absent.</param>
/// <param name="Source">File name (without folder) the line came from.</param>
/// <param name="Line">1-based line number in <paramref name="Source"/>.</param>
/// <param name="RawLine">The line exactly as read (without the newline), for <c>--json</c> pass-through.</param>
internal sealed record LogRecord(
    DateTimeOffset Timestamp,
    string Level,
    string? Event,
    int? EventId,
    string Message,
    string? Exception,
    int? NodeId,
    string? NodeName,
    string? Cluster,
    long? Incarnation,
    string Source,
    long Line,
    string RawLine);
