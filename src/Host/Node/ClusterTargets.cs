using System.Globalization;
using ActorNet.Actors.Cluster;
using ActorNet.Hocon;
using ActorNet.Host.Configuration;

namespace ActorNet.Host.Node;

using Address = ActorNet.Actors.Cluster.Membership.Address;

/// <summary>
/// Where the nodes of a cluster file listen: node id → remoting address, from the node sections
/// (<c>actornet.nodes.N</c>) layered like <c>actornet node --node N</c> would. Used by the operator commands.
/// </summary>
public static class ClusterTargets
{
    /// <summary>The remoting address of node <paramref name="nodeId"/> in the configuration given by <paramref name="options"/>.</summary>
    public static Address AddressOf(ConfigLoadOptions options, int nodeId)
    {
        var loaded = ConfigLoader.Load(options with { Node = nodeId });
        var settings = ClusterSettings.FromConfig(loaded.Config);
        return new Address(settings.Name, settings.Remoting.Hostname, settings.Remoting.Port);
    }

    /// <summary>Every node section's address, in id order, then the seed nodes not already listed.</summary>
    public static IReadOnlyList<(string Label, Address Address)> All(ConfigLoadOptions options, Config resolved)
    {
        var result = new List<(string, Address)>();
        foreach (var id in ConfigLoader.NodeSectionIds(resolved))
        {
            if (int.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                result.Add(("node " + id, AddressOf(options, n)));
            }
        }

        var cluster = ClusterSettings.FromConfig(resolved);
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
