using System.Globalization;
using ActorNet.Hocon;
using ActorNet.Host.Configuration;
using ActorNet.Host.Network;

namespace ActorNet.Host.Orchestration;

/// <summary>
/// Where the local-network status of a cluster's nodes on this machine is read from: the status files each node
/// rewrites twice a second (<c>&lt;shm-folder&gt;/status/node-&lt;id&gt;.json</c>). For a cluster started by
/// <c>actornet up</c>, its state file names the nodes, their processes and the segment folder; otherwise the nodes are
/// those with a status file or a node section in the configuration. Used by <c>actornet status</c>.
/// </summary>
/// <param name="Cluster">Cluster name.</param>
/// <param name="ShmFolder">Folder of the cluster's segments.</param>
/// <param name="Nodes">Nodes to show, in id order.</param>
/// <param name="Pids">Node processes recorded by <c>actornet up</c>, by node id (empty when it did not start them).</param>
public sealed record NetworkStatusSource(string Cluster, string ShmFolder, IReadOnlyList<ViewNode> Nodes, IReadOnlyDictionary<int, int> Pids)
{
    /// <summary>Finds the nodes of <paramref name="cluster"/> on this machine from <paramref name="config"/> (resolved).</summary>
    public static NetworkStatusSource Find(Config config, string cluster)
    {
        ArgumentNullException.ThrowIfNull(config);
        var runFolder = config.GetString("actornet.orchestration.run-folder", string.Empty);
        var state = runFolder.Length == 0 ? null : ClusterState.TryRead(ClusterPlan.StateFilePath(runFolder, cluster));
        var shmFolder = state is { ShmFolder.Length: > 0 } ? state.ShmFolder : Path.Combine(config.GetString("actornet.shared-memory.root", "/dev/shm/actornet"), cluster);

        var ids = new SortedSet<int>();
        if (state is { Pids.Count: > 0 })
        {
            ids.UnionWith(state.Pids.Keys);
        }
        else
        {
            ids.UnionWith(StatusFile.NodeIdsIn(shmFolder));
            foreach (var id in ConfigLoader.NodeSectionIds(config))
            {
                if (int.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is > 0 and < 65535)
                {
                    ids.Add(n);
                }
            }
        }

        var nodes = new List<ViewNode>();
        foreach (var id in ids)
        {
            var status = StatusFile.TryRead(StatusFile.PathIn(shmFolder, id));
            var idText = id.ToString(CultureInfo.InvariantCulture);
            var name = status?.NodeName is { Length: > 0 } n ? n : config.GetString($"actornet.nodes.{idText}.node.name", "node " + idText);
            var address = status?.Address is { Length: > 0 } a ? a
                : state is not null && state.DataAddresses.TryGetValue(id, out var d) ? d
                : "-";
            nodes.Add(new ViewNode(id, name, address));
        }

        return new NetworkStatusSource(cluster, shmFolder, nodes, state?.Pids ?? new SortedDictionary<int, int>());
    }

    /// <summary>
    /// Each node's status, null for a node whose file is missing or invalid, or whose process is gone (or is not the
    /// one <c>actornet up</c> started).
    /// </summary>
    public IReadOnlyDictionary<int, NodeNetworkStatus?> Read()
    {
        var result = new SortedDictionary<int, NodeNetworkStatus?>();
        foreach (var node in Nodes)
        {
            var s = StatusFile.TryRead(StatusFile.PathIn(ShmFolder, node.Id));
            bool live = s is not null && s.NodeId == node.Id && (!Pids.TryGetValue(node.Id, out var pid) || pid == s.Pid) && LocalCluster.IsAlive(s.Pid);
            result[node.Id] = live ? s : null;
        }

        return result;
    }
}
