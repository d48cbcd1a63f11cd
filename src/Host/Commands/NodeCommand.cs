using System.CommandLine;
using System.Runtime.InteropServices;
using ActorNet.Actors.Cluster;
using ActorNet.Hocon;
using ActorNet.Host.Configuration;
using ActorNet.Host.Network;
using ActorNet.Host.Node;

namespace ActorNet.Host.Commands;

/// <summary>
/// <c>actornet node --config FILE [--node N] [-D k=v]</c>: runs one node (<see cref="NodeHost"/>) until Ctrl-C or
/// SIGTERM (graceful leave, exit 0) or until the cluster removes or downs it (exit 1).
/// </summary>
internal static class NodeCommand
{
    /// <summary>Builds the verb.</summary>
    public static Command Create(CliContext context)
    {
        var command = new Command("node", "Run one node: its cluster membership, shared-memory segment and registered components. Ctrl-C or SIGTERM leaves the cluster gracefully and exits 0; exit 1 when the cluster downs or removes the node.");
        var options = new ConfigOptions();
        options.AddTo(command);
        command.SetAction(parse => Run(context, new ConfigLoadOptions(parse.GetValue(options.File), parse.GetValue(options.Node), parse.GetValue(options.Defines) ?? [], context.Environment)));
        return command;
    }

    /// <summary>Runs a node with <paramref name="load"/> until stopped; returns the exit code.</summary>
    public static int Run(CliContext context, ConfigLoadOptions load, IReadOnlyList<INodeComponent>? components = null)
    {
        NodeHost host;
        try
        {
            var loaded = ConfigLoader.Load(load);
            var options = new NodeHostOptions { Components = components ?? [] };
            if (components is null)
            {
                // The default node: the local shared-memory network, which also lays out the node's segment.
                var local = new LocalNetworkNodeComponent(loaded.Config);
                options = new NodeHostOptions { Components = [local], SegmentLayout = local.Layout };
            }

            host = NodeHost.StartAsync(loaded, options).GetAwaiter().GetResult();
        }
        catch (Exception ex) when (ex is HoconException or ConfigLoadException or SettingsException)
        {
            context.Error.WriteLine(ex.Message);
            return ExitCodes.InvalidInput;
        }
        catch (Exception ex) when (ex is NodeStartException or DataPlane.Adapters.TapAdapterException)
        {
            context.Error.WriteLine("actornet node: " + ex.Message);
            return ExitCodes.Failed;
        }

        var stop = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.TrySetResult("SIGINT"); });
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.TrySetResult("SIGTERM"); });
        context.Out.WriteLine($"node {host.Context.Settings.Node.Id} running at {host.Transport.LocalAddress} (log {host.LogFile ?? "console only"}); Ctrl-C leaves the cluster");
        context.Out.Flush();
        var finished = Task.WhenAny(stop.Task, host.Cluster.WhenRemoved).GetAwaiter().GetResult();
        bool signalled = finished == stop.Task;
        host.StopAsync(leave: signalled).GetAwaiter().GetResult();
        if (signalled)
        {
            context.Out.WriteLine($"node {host.Context.Settings.Node.Id}: {stop.Task.Result}: left the cluster");
            return ExitCodes.Ok;
        }

        context.Error.WriteLine($"node {host.Context.Settings.Node.Id}: no longer a member: {host.Cluster.WhenRemoved.Result}");
        return ExitCodes.Failed;
    }
}
