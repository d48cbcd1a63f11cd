using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;

namespace ActorNet.Host.Logging;

/// <summary>
/// Writes formatted events to a caller-supplied <see cref="TextWriter"/> (tests capture console output with
/// it). Sits behind the async sink, so it is called from the async worker thread; the lock keeps lines whole if
/// the writer is shared. The writer is owned by the caller and is not disposed here.
/// </summary>
internal sealed class TextWriterSink : ILogEventSink
{
    private readonly ITextFormatter _formatter;
    private readonly TextWriter _writer;
    private readonly Lock _lock = new();

    /// <summary>Creates the sink over <paramref name="writer"/>.</summary>
    public TextWriterSink(ITextFormatter formatter, TextWriter writer)
    {
        _formatter = formatter;
        _writer = writer;
    }

    /// <summary>Formats and writes one event, then flushes.</summary>
    public void Emit(LogEvent logEvent)
    {
        lock (_lock)
        {
            _formatter.Format(logEvent, _writer);
            _writer.Flush();
        }
    }
}
