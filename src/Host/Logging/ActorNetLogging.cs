using System.Globalization;
using ActorNet.Host.Configuration;
using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Core;
using Serilog.Extensions.Logging;
using Serilog.Formatting;
using Serilog.Formatting.Display;

namespace ActorNet.Host.Logging;

/// <summary>
/// The logging of one process, configured from <c>actornet.logging</c>: Serilog with a human (or JSON)
/// console sink on standard error and a JSON-lines file per node, both behind Serilog.Sinks.Async so a slow
/// disk or terminal never blocks a caller. Other code (actor system, data-plane control, commands) takes
/// <see cref="LoggerFactory"/> and logs through <c>ILogger&lt;T&gt;</c>. Made once by the composition root;
/// disposing it flushes and closes every sink (do it last, after the parts that log have stopped).
/// </summary>
public sealed class ActorNetLogging : IDisposable
{
    /// <summary>Human console line: time, level, node, event name, message, then the exception if any.</summary>
    public const string HumanTemplate = "{Timestamp:HH:mm:ss.fff} {Level:u3} [{NodeName}#{NodeId}] {EventName}: {Message:lj}{NewLine}{Exception}";

    private readonly Logger _logger;

    private ActorNetLogging(Logger logger, string? filePath)
    {
        _logger = logger;
        FilePath = filePath;
        LoggerFactory = new SerilogLoggerFactory(logger, dispose: false);
    }

    /// <summary>Factory of <c>ILogger&lt;T&gt;</c> for every component of this process; valid until <see cref="Dispose"/>.</summary>
    public ILoggerFactory LoggerFactory { get; }

    /// <summary>Path of this node's JSON-lines file, or null when files are off.</summary>
    public string? FilePath { get; }

    /// <summary>
    /// Builds the logging of a process. <paramref name="console"/> replaces standard error (tests pass a
    /// <see cref="StringWriter"/>); events are enriched with <paramref name="context"/>.
    /// </summary>
    public static ActorNetLogging Create(LoggingSettings settings, NodeLogContext context, TextWriter? console = null)
    {
        var configuration = new LoggerConfiguration()
            .MinimumLevel.Is(settings.Level)
            .Enrich.WithProperty("Cluster", context.Cluster)
            .Enrich.WithProperty("NodeId", context.NodeId)
            .Enrich.WithProperty("NodeName", context.NodeName)
            .Enrich.WithProperty("Incarnation", context.Incarnation)
            .Enrich.With(new EventNameEnricher());

        if (settings.ConsoleEnabled)
        {
            configuration = configuration.WriteTo.Async(
                a =>
                {
                    if (console is not null)
                    {
                        ITextFormatter formatter = settings.ConsoleFormat == ConsoleLogFormat.Json
                            ? new JsonLinesFormatter()
                            : new MessageTemplateTextFormatter(HumanTemplate, CultureInfo.InvariantCulture);
                        a.Sink(new TextWriterSink(formatter, console));
                    }
                    else if (settings.ConsoleFormat == ConsoleLogFormat.Json)
                    {
                        a.Console(new JsonLinesFormatter(), standardErrorFromLevel: Serilog.Events.LogEventLevel.Verbose);
                    }
                    else
                    {
                        a.Console(outputTemplate: HumanTemplate, formatProvider: CultureInfo.InvariantCulture, standardErrorFromLevel: Serilog.Events.LogEventLevel.Verbose);
                    }
                },
                settings.AsyncBufferSize,
                settings.BlockWhenFull);
        }

        string? filePath = null;
        if (settings.FileEnabled)
        {
            filePath = Path.GetFullPath(Path.Combine(settings.FileFolder, FileName(context)));
            var path = filePath;
            configuration = configuration.WriteTo.Async(
                a => a.File(
                    new JsonLinesFormatter(),
                    path,
                    fileSizeLimitBytes: settings.RollSize,
                    rollOnFileSizeLimit: settings.RollSize is not null,
                    retainedFileCountLimit: settings.RetainedFiles),
                settings.AsyncBufferSize,
                settings.BlockWhenFull);
        }

        return new ActorNetLogging(configuration.CreateLogger(), filePath);
    }

    /// <summary>
    /// Builds the logging of a node from its settings: the context is the node's cluster, id and name with the
    /// given <paramref name="incarnation"/> (see <see cref="NodeLogContext.NewIncarnation"/>).
    /// </summary>
    public static ActorNetLogging ForNode(ActorNetSettings settings, long incarnation, TextWriter? console = null) =>
        Create(settings.Logging, new NodeLogContext(settings.Cluster.Name, settings.Node.Id, settings.Node.Name, incarnation), console);

    /// <summary>File name of a node's JSON-lines log: <c>&lt;cluster&gt;-node-&lt;id&gt;.jsonl</c>.</summary>
    public static string FileName(NodeLogContext context) =>
        string.Create(CultureInfo.InvariantCulture, $"{context.Cluster}-node-{context.NodeId}.jsonl");

    /// <summary>Flushes and closes every sink. Events logged after this are lost.</summary>
    public void Dispose()
    {
        LoggerFactory.Dispose();
        _logger.Dispose();
    }
}
