using System.CommandLine;

namespace ActorNet.Host.Commands;

/// <summary><c>actornet up</c>: start a whole cluster on this machine (arrives with the local-network issue).</summary>
internal static class UpCommand
{
    /// <summary>Builds the verb with the options it will take.</summary>
    public static Command Create(CliContext context)
    {
        var command = new Command("up", "Start a whole cluster on this machine, one node per network namespace, and show it live until Ctrl-C.");
        new ConfigOptions().AddTo(command);
        command.Options.Add(new Option<int?>("--nodes") { Description = "Number of nodes to start (default: every node section of the file).", HelpName = "N" });
        command.Options.Add(new Option<bool>("--detach") { Description = "Return once the cluster is healthy instead of showing it live." });
        command.SetAction(_ => NotAvailable.Report(context, "up", "the local-network issue (issue 6)"));
        return command;
    }
}
