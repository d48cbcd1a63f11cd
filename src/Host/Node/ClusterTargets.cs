using System.Globalization;
using ActorNet.Actors.Cluster;
using ActorNet.Hocon;
using ActorNet.Host.Configuration;

namespace ActorNet.Host.Node;

using Address = ActorNet.Actors.Cluster.Membership.Address;

/// <summary>
/// Where the nodes of a cluster file listen: node id → remoting address, from the node sections
/// (<c>actornet.nodes.N</c>) layered like <c>actornet node --node N</c> would — unless <c>actornet up</c> is running
/// that cluster on this machine, in which case its state file's management-network endpoints win (the nodes listen
/// there, inside their namespaces). Used by the operator commands.
/// </summary>
public static class ClusterTargets
{
    /// <summary>The remoting address of node <paramref name="nodeId"/> in the configuration given by <paramref name="options"/>.</summary>
    public static Address AddressOf(ConfigLoadOptions options, int nodeId)
    {
        var loaded = ConfigLoader.Load(options with { Node = nodeId });
        var settings = ClusterSettings.FromConfig(loaded.Config);
        return RunningEndpoints(loaded.Config, settings.Name).TryGetValue(nodeId, out var running)
            ? running
            : new Address(settings.Name, settings.Remoting.Hostname, settings.Remoting.Port);
    }

    /// <summary>
    /// The endpoints that a running <c>actornet up</c> of <paramref name="cluster"/> recorded in its state file, by
    /// node id; empty when there is none. The file is untrusted: entries that are not an IP address and a port in
    /// 1..65535 are ignored.
    /// </summary>
    public static IReadOnlyDictionary<int, Address> RunningEndpoints(Config resolved, string cluster)
    {
        var result = new SortedDictionary<int, Address>();
        var runFolder = resolved.GetString("actornet.orchestration.run-folder", string.Empty);
        if (runFolder.Length == 0 || Orchestration.ClusterState.TryRead(Orchestration.ClusterPlan.StateFilePath(runFolder, cluster)) is not { } state)
        {
            return result;
        }

        foreach (var (id, endpoint) in state.RemotingEndpoints)
        {
            var colon = endpoint.LastIndexOf(':');
            if (colon > 0 && System.Net.IPAddress.TryParse(endpoint.AsSpan(0, colon), out var ip)
                && int.TryParse(endpoint.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535)
            {
                result[id] = new Address(cluster, ip.ToString(), port);
            }
        }

        return result;
    }

    /// <summary>Every node section's address, in id order, then the seed nodes not already listed.</summary>
    public static IReadOnlyList<(string Label, Address Address)> All(ConfigLoadOptions options, Config resolved)
    {
        var result = new List<(string, Address)>();
        var cluster = ClusterSettings.FromConfig(resolved);
        var running = RunningEndpoints(resolved, cluster.Name);
        if (running.Count > 0)
        {
            // A cluster started by `actornet up`: every node it started, where it really listens.
            return running.Select(r => ("node " + r.Key.ToString(CultureInfo.InvariantCulture), r.Value)).ToList();
        }

        foreach (var id in ConfigLoader.NodeSectionIds(resolved))
        {
            if (int.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                result.Add(("node " + id, AddressOf(options, n)));
            }
        }

        foreach (var seed in cluster.SeedNodes)
        {
            var address = new Address(cluster.Name, seed.Host, seed.Port);
            if (!result.Any(r => r.Item2.Equals(address)))
            {
                result.Add(("seed " + seed, address));
            }
        }

        return result;
    }
}
