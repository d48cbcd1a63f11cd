using System.Globalization;
using System.Runtime.InteropServices;
using ActorNet.Actors;
using ActorNet.Actors.Cluster;
using ActorNet.DataPlane.Adapters;
using ActorNet.Hocon;
using ActorNet.Host.Configuration;
using ActorNet.Host.Logging;

namespace ActorNet.Host.Network;

/// <summary>
/// <c>actornet node</c> until the cluster's node daemon (src/Host/Node/NodeHost.cs) lands: runs one node's local
/// network standalone — its segment, TAP adapter, engine and ring-allocation actor with same-host discovery through
/// the segment folder (peers' liveness from their segment's pid and heartbeat) — until SIGTERM or Ctrl-C. No cluster
/// membership or remoting runs in this mode. Called on the main thread by the CLI.
/// </summary>
public static class StandaloneNode
{
    /// <summary>Peers of a node: every node section of the file, plus 1..<c>actornet.orchestration.nodes</c>.</summary>
    public static IReadOnlyList<ushort> PeersOf(Config config, int nodeCount)
    {
        ArgumentNullException.ThrowIfNull(config);
        var ids = new SortedSet<ushort>();
        foreach (var key in ConfigLoader.NodeSectionIds(config))
        {
            if (ushort.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id is >= 1 and <= 65534)
            {
                ids.Add(id);
            }
        }

        for (int i = 1; i <= nodeCount; i++)
        {
            ids.Add((ushort)i);
        }

        return ids.ToArray();
    }

    /// <summary>
    /// Runs the node described by <paramref name="loaded"/> until <paramref name="stop"/> fires (or SIGTERM/SIGINT).
    /// Returns the process exit code; writes problems to <paramref name="error"/>.
    /// </summary>
    public static int Run(LoadedConfiguration loaded, TextWriter output, TextWriter error, CancellationToken stop)
    {
        ArgumentNullException.ThrowIfNull(loaded);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        ActorNetSettings settings;
        try
        {
            settings = ActorNetSettings.FromConfig(loaded.Config);
        }
        catch (SettingsException ex)
        {
            error.WriteLine(ex.Message);
            return 2;
        }

        if (settings.Node.Id == 0)
        {
            error.WriteLine("actornet node: no node id: pass --node N (a section of the cluster file) or set actornet.node.id.");
            return 2;
        }

        int count = loaded.Config.GetInt("actornet.orchestration.nodes", 0);
        var peers = PeersOf(loaded.Config, count);
        using var logging = ActorNetLogging.ForNode(settings, NodeLogContext.NewIncarnation());
        using var system = ActorSystem.Create("node-" + settings.Node.Id.ToString(CultureInfo.InvariantCulture), loaded.Config, logging.LoggerFactory);
        LocalNetworkComponent component;
        try
        {
            component = LocalNetworkComponent.Start(LocalNetworkOptions.FromSettings(settings, peers), system, logging.LoggerFactory);
        }
        catch (Exception ex) when (ex is NodeIdInUseException or TapAdapterException or DataPlane.Segments.SegmentFormatException or IOException or UnauthorizedAccessException)
        {
            error.WriteLine("actornet node: " + ex.Message);
            return 1;
        }

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stop);
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c =>
        {
            c.Cancel = true;
            linked.Cancel();
        });
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c =>
        {
            c.Cancel = true;
            linked.Cancel();
        });
        using (component)
        {
            output.WriteLine($"node {settings.Node.Id} ({settings.Node.Name}) running: {component.Options.AdapterName} {component.Options.Address}, segment {component.Options.SegmentPath}, peers {string.Join(",", component.Options.Peers)}");
            output.Flush();
            linked.Token.WaitHandle.WaitOne();
        }

        return 0;
    }
}
