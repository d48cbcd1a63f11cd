using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using ActorNet.Actors.Cluster;
using ActorNet.Hocon;
using ActorNet.Host.Configuration;
using ActorNet.Host.Ops.Logs;

namespace ActorNet.Host.Commands;

/// <summary>
/// <c>actornet logs</c>: merges the JSON-lines logs of all nodes (the files <see cref="Logging.ActorNetLogging"/>
/// writes) into one chronological timeline, readable by default or as the JSON lines themselves, optionally
/// filtered and followed. Runs on the CLI's thread; writes events to the context's output and problems (malformed
/// lines, unreadable files) to its error stream, once, at the end.
/// </summary>
internal static class LogsCommand
{
    /// <summary>How often <c>--follow</c> looks for new lines and files.</summary>
    public static readonly TimeSpan FollowPollInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>Builds the verb.</summary>
    public static Command Create(CliContext context)
    {
        var config = new Option<string?>("--config", "-c")
        {
            Description = "Cluster file whose actornet.logging.file.folder names the log folder (default: the reference's, \"logs\").",
            HelpName = "FILE",
        };
        var defines = new Option<string[]>("-D")
        {
            Description = "Override one key, e.g. -D actornet.logging.file.folder=/var/log/actornet (repeatable).",
            HelpName = "key=value",
            Arity = ArgumentArity.ZeroOrMore,
            AllowMultipleArgumentsPerToken = false,
        };
        var dir = new Option<string?>("--dir") { Description = "Read this folder instead of the configured one.", HelpName = "DIR" };
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing new events (also from files that appear later) until Ctrl-C." };
        var node = new Option<int?>("--node", "-n") { Description = "Only events of this node id.", HelpName = "N" };
        var eventName = new Option<string?>("--event") { Description = "Only events with this name (case-insensitive), or this event id when a number.", HelpName = "NAME" };
        var since = new Option<string?>("--since")
        {
            Description = "Only events at or after this time: a duration ago (30s, 5m, 2h, 1d; HOCON duration syntax) or an ISO 8601 time (2026-11-21T15:04:05Z; no offset = UTC).",
            HelpName = "T",
        };
        var json = new Option<bool>("--json") { Description = "Print the events' JSON lines as written, in timeline order." };
        var command = new Command(
            "logs",
            "Merge the JSON-lines logs of all nodes (one <cluster>-node-<id>.jsonl per node in the log folder) into one chronological timeline: " +
            "time (UTC), node, level, event, message. Malformed lines (e.g. cut by a crash) are skipped and counted at the end.");
        command.Options.Add(config);
        command.Options.Add(defines);
        command.Options.Add(dir);
        command.Options.Add(follow);
        command.Options.Add(node);
        command.Options.Add(eventName);
        command.Options.Add(since);
        command.Options.Add(json);
        command.SetAction(parse =>
        {
            var request = new LogsRequest(
                parse.GetValue(config),
                parse.GetValue(defines) ?? [],
                parse.GetValue(dir),
                parse.GetValue(follow),
                parse.GetValue(node),
                parse.GetValue(eventName),
                parse.GetValue(since),
                parse.GetValue(json));

            // Ctrl-C (SIGINT) or SIGTERM ends --follow normally, so the malformed-line report is still printed.
            using var stop = new CancellationTokenSource();
            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c =>
            {
                c.Cancel = true;
                stop.Cancel();
            });
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c =>
            {
                c.Cancel = true;
                stop.Cancel();
            });
            return RunAsync(context, request, DateTimeOffset.UtcNow, stop.Token).GetAwaiter().GetResult();
        });
        return command;
    }

    /// <summary>Runs one <c>actornet logs</c> request; <paramref name="cancellation"/> (Ctrl-C) ends <c>--follow</c> with exit 0.</summary>
    internal static async Task<int> RunAsync(CliContext context, LogsRequest request, DateTimeOffset now, CancellationToken cancellation)
    {
        DateTimeOffset? sinceTime = null;
        if (request.Since is { } sinceText)
        {
            if (!LogFilter.TryParseSince(sinceText, now, out var parsed, out var error))
            {
                context.Error.WriteLine("actornet logs: " + error);
                return ExitCodes.InvalidInput;
            }

            sinceTime = parsed;
        }

        if (request.Node is < NodeSettings.MinId or > NodeSettings.MaxId)
        {
            context.Error.WriteLine($"actornet logs: --node {request.Node.Value.ToString(CultureInfo.InvariantCulture)} is out of range: node ids are 1..65534");
            return ExitCodes.InvalidInput;
        }

        var directory = request.Directory;
        if (directory is null)
        {
            try
            {
                var loaded = ConfigLoader.Load(new ConfigLoadOptions(request.ConfigFile, null, request.Defines, context.Environment));
                var logging = LoggingSettings.FromConfig(loaded.Config);
                if (OrchestratedFolder(loaded.Config) is { } orchestrated && Directory.Exists(orchestrated))
                {
                    directory = orchestrated;
                    context.Error.WriteLine("note: reading the logs of the nodes `actornet up` started: " + directory);
                }
                else
                {
                    directory = logging.FileFolder;
                    if (!logging.FileEnabled)
                    {
                        context.Error.WriteLine("note: actornet.logging.file.enabled is off in this configuration; reading " + directory + " anyway");
                    }
                }
            }
            catch (Exception ex) when (ex is HoconException or ConfigLoadException or SettingsException)
            {
                context.Error.WriteLine(ex.Message);
                return ExitCodes.InvalidInput;
            }
        }

        directory = Path.GetFullPath(directory);
        if (!request.Follow && !Directory.Exists(directory))
        {
            context.Error.WriteLine($"actornet logs: no log folder {directory} (nodes write to actornet.logging.file.folder; pass --config FILE or --dir DIR)");
            return ExitCodes.Failed;
        }

        var printer = new LogPrinter(context.Out, request.Json);
        using var timeline = new LogTimeline(directory, new LogFilter(request.Node, request.EventName, sinceTime), printer.Write);
        if (request.Follow)
        {
            if (!Directory.Exists(directory))
            {
                context.Error.WriteLine($"note: {directory} does not exist yet; waiting for log files to appear (Ctrl-C to stop)");
            }

            await timeline.FollowAsync(FollowPollInterval, cancellation).ConfigureAwait(false);
        }
        else
        {
            timeline.ReadOnce();
            if (timeline.Files.Count == 0)
            {
                context.Error.WriteLine($"note: no *.jsonl log files in {directory}");
            }
        }

        context.Out.Flush();
        foreach (var problem in timeline.Problems())
        {
            context.Error.WriteLine(problem);
        }

        return ExitCodes.Ok;
    }

    /// <summary>
    /// Where <c>actornet up</c> has its nodes write their logs: <c>&lt;actornet.orchestration.run-folder&gt;/&lt;cluster name&gt;/logs</c>
    /// (it overrides <c>actornet.logging.file.folder</c> for them); null when the configuration has no run folder.
    /// </summary>
    internal static string? OrchestratedFolder(Config config)
    {
        var runFolder = config.GetString("actornet.orchestration.run-folder", string.Empty);
        var cluster = config.GetString("actornet.cluster.name", string.Empty);
        return runFolder.Length == 0 || cluster.Length == 0 ? null : Path.Combine(runFolder, cluster, "logs");
    }
}

/// <summary>The options of one <c>actornet logs</c> invocation, as parsed.</summary>
/// <param name="ConfigFile"><c>--config</c>, or null for the reference configuration.</param>
/// <param name="Defines"><c>-D key=value</c> overrides.</param>
/// <param name="Directory"><c>--dir</c>, overriding the configured folder.</param>
/// <param name="Follow"><c>--follow</c>.</param>
/// <param name="Node"><c>--node</c> filter.</param>
/// <param name="EventName"><c>--event</c> filter.</param>
/// <param name="Since"><c>--since</c> text, parsed by <see cref="LogFilter.TryParseSince"/>.</param>
/// <param name="Json"><c>--json</c>.</param>
internal sealed record LogsRequest(
    string? ConfigFile,
    IReadOnlyList<string> Defines,
    string? Directory,
    bool Follow,
    int? Node,
    string? EventName,
    string? Since,
    bool Json);
