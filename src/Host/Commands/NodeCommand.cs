using System.CommandLine;
using ActorNet.Hocon;
using ActorNet.Host.Configuration;
using ActorNet.Host.Network;

namespace ActorNet.Host.Commands;

/// <summary>
/// <c>actornet node</c>: run one node. Until the cluster's node daemon lands this runs the node's local network
/// standalone (<see cref="StandaloneNode"/>): segment, adapter, engine, ring allocation with same-host discovery.
/// </summary>
internal static class NodeCommand
{
    /// <summary>Builds the verb with the options it will take.</summary>
    public static Command Create(CliContext context)
    {
        var command = new Command("node", "Run one node: its data-plane engine, segment and adapter (cluster membership arrives with the cluster issue).");
        var options = new ConfigOptions();
        options.AddTo(command);
        command.SetAction(parse =>
        {
            LoadedConfiguration loaded;
            try
            {
                loaded = ConfigLoader.Load(new ConfigLoadOptions(parse.GetValue(options.File), parse.GetValue(options.Node), parse.GetValue(options.Defines) ?? [], context.Environment));
            }
            catch (Exception ex) when (ex is HoconException or ConfigLoadException)
            {
                context.Error.WriteLine(ex.Message);
                return ExitCodes.InvalidInput;
            }

            return StandaloneNode.Run(loaded, context.Out, context.Error, CancellationToken.None);
        });
        return command;
    }
}
