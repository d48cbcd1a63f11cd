using System.CommandLine;

namespace ActorNet.Host.Commands;

/// <summary><c>actornet node</c>: run one node (arrives with the cluster and local-network issues).</summary>
internal static class NodeCommand
{
    /// <summary>Builds the verb with the options it will take.</summary>
    public static Command Create(CliContext context)
    {
        var command = new Command("node", "Run one node: its cluster membership, data-plane engine, segment and adapters.");
        new ConfigOptions().AddTo(command);
        command.SetAction(_ => NotAvailable.Report(context, "node", "the cluster issue (issue 5) and the local-network issue (issue 6)"));
        return command;
    }
}
