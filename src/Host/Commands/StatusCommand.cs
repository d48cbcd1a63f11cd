using System.CommandLine;

namespace ActorNet.Host.Commands;

/// <summary><c>actornet status</c>: members, states, reachability and leader (arrives with the cluster issue).</summary>
internal static class StatusCommand
{
    /// <summary>Builds the verb with the options it will take.</summary>
    public static Command Create(CliContext context)
    {
        var command = new Command("status", "Show the members of a running cluster, their states, reachability, the leader and the rings.");
        new ConfigOptions().AddTo(command);
        command.Options.Add(new Option<bool>("--json") { Description = "Print one JSON document instead of a table." });
        command.SetAction(_ => NotAvailable.Report(context, "status", "the cluster issue (issue 5)"));
        return command;
    }
}
