using System.CommandLine;

namespace ActorNet.Host.Commands;

/// <summary><c>actornet down</c>: tear down a cluster started with <c>up --detach</c> (arrives with the local-network issue).</summary>
internal static class DownCommand
{
    /// <summary>Builds the verb with the options it will take.</summary>
    public static Command Create(CliContext context)
    {
        var command = new Command("down", "Tear down the cluster started by 'actornet up --detach': processes, namespaces, adapters and segments.");
        new ConfigOptions().AddTo(command);
        command.SetAction(_ => NotAvailable.Report(context, "down", "the local-network issue (issue 6)"));
        return command;
    }
}
