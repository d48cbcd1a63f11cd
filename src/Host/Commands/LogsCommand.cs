using System.CommandLine;

namespace ActorNet.Host.Commands;

/// <summary><c>actornet logs</c>: merge the nodes' JSON logs into one timeline (arrives with the local-network issue).</summary>
internal static class LogsCommand
{
    /// <summary>Builds the verb with the options it will take.</summary>
    public static Command Create(CliContext context)
    {
        var command = new Command("logs", "Merge the JSON-lines logs of all nodes into one chronological timeline.");
        new ConfigOptions().AddTo(command);
        command.Options.Add(new Option<bool>("--follow", "-f") { Description = "Keep printing new events as they are written." });
        command.Options.Add(new Option<string?>("--event") { Description = "Only events with this name.", HelpName = "NAME" });
        command.Options.Add(new Option<string?>("--since") { Description = "Only events at or after this time (ISO 8601 or a duration ago, e.g. 5m).", HelpName = "T" });
        command.SetAction(_ => NotAvailable.Report(context, "logs", "the local-network issue (issue 6)"));
        return command;
    }
}
