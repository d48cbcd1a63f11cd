using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using ActorNet.Hocon;
using ActorNet.Host.Configuration;

namespace ActorNet.Host.Orchestration;

/// <summary>One node of a local cluster: its namespace, management link and addresses.</summary>
/// <param name="Id">Node id.</param>
/// <param name="Name">Node name (from its section, else "node-N").</param>
/// <param name="Namespace">Network namespace name.</param>
/// <param name="HostVeth">The veth end in the root namespace (enslaved to the bridge).</param>
/// <param name="ManagementAddress">The node's address on the management network (interface <c>mgmt0</c>).</param>
/// <param name="DataAddress">The node's address on the shared-memory network (<c>shm0</c>).</param>
/// <param name="HasSection">Whether the cluster file has a section <c>actornet.nodes.N</c> for it (else the node gets its id by <c>-D</c>).</param>
/// <param name="RemotingPort">The node's remoting port (its section's, else the file's or reference's); it listens on its management address.</param>
public sealed record NodePlan(int Id, string Name, string Namespace, string HostVeth, IPAddress ManagementAddress, IPAddress DataAddress, bool HasSection, int RemotingPort);

/// <summary>
/// What <c>actornet up</c> creates for one cluster file, decided before anything is touched: names derived from the
/// cluster name (a short hash, so interface names stay within 15 characters and two clusters never collide), the
/// management subnet layout and each node's addresses. Pure; built by <see cref="FromConfig"/>.
/// </summary>
/// <param name="Cluster">Cluster name.</param>
/// <param name="ConfigFile">The cluster file, absolute (null: reference configuration only).</param>
/// <param name="Defines">Extra <c>-D key=value</c> passed to every node.</param>
/// <param name="Prefix">Name prefix of every namespace and link (e.g. <c>an3f2a</c>).</param>
/// <param name="Bridge">The management bridge in the root namespace.</param>
/// <param name="ManagementSubnet">Management subnet.</param>
/// <param name="BridgeAddress">The bridge's address (first of the subnet).</param>
/// <param name="ShmRoot">Shared-memory root.</param>
/// <param name="RunFolder">Folder of the state file and node output.</param>
/// <param name="StartTimeout">How long to wait for health.</param>
/// <param name="Nodes">The nodes, by id.</param>
public sealed record ClusterPlan(
    string Cluster,
    string? ConfigFile,
    IReadOnlyList<string> Defines,
    string Prefix,
    string Bridge,
    IPNetwork ManagementSubnet,
    IPAddress BridgeAddress,
    string ShmRoot,
    string RunFolder,
    TimeSpan StartTimeout,
    IReadOnlyList<NodePlan> Nodes)
{
    /// <summary>Path of the state file of this cluster.</summary>
    public string StatePath => StateFilePath(RunFolder, Cluster);

    /// <summary>Folder of the nodes' output and logs.</summary>
    public string OutputFolder => Path.Combine(RunFolder, Cluster);

    /// <summary>Folder of the cluster's segments and status files.</summary>
    public string ShmFolder => Path.Combine(ShmRoot, Cluster);

    /// <summary>Path of the state file of <paramref name="cluster"/> under <paramref name="runFolder"/>.</summary>
    public static string StateFilePath(string runFolder, string cluster) => Path.Combine(runFolder, cluster + ".state.json");

    /// <summary>The seed nodes every node is given: the first two nodes' management addresses and remoting ports.</summary>
    public string SeedNodesHocon => "[" + string.Join(",", Nodes.Take(2).Select(n => $"\"{n.ManagementAddress}:{n.RemotingPort.ToString(CultureInfo.InvariantCulture)}\"")) + "]";

    /// <summary>Node by id; throws when there is none.</summary>
    public NodePlan Node(int id) => Nodes.FirstOrDefault(n => n.Id == id) ?? throw new ArgumentOutOfRangeException(nameof(id), id, $"cluster '{Cluster}' has no node {id}; its nodes are {string.Join(", ", Nodes.Select(n => n.Id))}.");

    /// <summary>Nodes started when neither <c>--nodes</c>, <c>orchestration.nodes</c> nor a node section says how many: enough for a network.</summary>
    public const int DefaultNodesWithoutSections = 3;

    /// <summary>
    /// Builds the plan from a resolved configuration (the cluster file without a node section).
    /// <paramref name="nodeCount"/> overrides <c>actornet.orchestration.nodes</c>.
    /// </summary>
    /// <exception cref="ArgumentException">A value makes the plan impossible (message names the key).</exception>
    public static ClusterPlan FromConfig(Config config, string? configFile, IReadOnlyList<string> defines, int? nodeCount = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(defines);
        var cluster = config.GetString("actornet.cluster.name");
        var sections = ConfigLoader.NodeSectionIds(config)
            .Select(s => int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : -1)
            .Where(id => id is >= 1 and <= 254)
            .Order()
            .ToArray();
        int count = nodeCount ?? config.GetInt("actornet.orchestration.nodes", 0);
        if (count is < 0 or > 254)
        {
            throw new ArgumentException($"actornet.orchestration.nodes (or --nodes) = {count} is out of range: use 1..254.");
        }

        int[] ids = count == 0
            ? (sections.Length > 0 ? sections : [.. Enumerable.Range(1, DefaultNodesWithoutSections)])
            : sections.Concat(Enumerable.Range(1, 254)).Distinct().Take(count).Order().ToArray();
        var subnetText = config.GetString("actornet.orchestration.management-subnet");
        if (!IPNetwork.TryParse(subnetText, out var subnet) || subnet.BaseAddress.AddressFamily != AddressFamily.InterNetwork || subnet.PrefixLength is < 16 or > 29)
        {
            throw new ArgumentException($"actornet.orchestration.management-subnet = \"{subnetText}\" is not an IPv4 subnet /16../29 (e.g. \"10.213.0.0/24\").");
        }

        long capacity = (1L << (32 - subnet.PrefixLength)) - 2;
        if (ids.Max() + 1 > capacity)
        {
            throw new ArgumentException($"actornet.orchestration.management-subnet {subnetText} holds {capacity} addresses, too few for node {ids.Max()} (needs id + 1): use a larger subnet.");
        }

        var dataSubnetText = config.GetString("actornet.networks.local.subnet");
        IPNetwork.TryParse(dataSubnetText, out var dataSubnet);
        var prefix = "an" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(cluster)))[..4];
        var nodes = new List<NodePlan>();
        foreach (var id in ids)
        {
            var idText = id.ToString(CultureInfo.InvariantCulture);
            var section = "actornet.nodes.\"" + idText + "\".";
            var name = config.GetString(section + "node.name", string.Empty);
            var addressText = config.GetString(section + "networks.local.address", string.Empty);
            IPAddress data = IPAddress.TryParse(addressText, out var explicitAddress) ? explicitAddress : Offset(dataSubnet.BaseAddress, id);
            nodes.Add(new NodePlan(id, name.Length > 0 ? name : "node-" + idText, prefix + "-n" + idText, prefix + "h" + idText, Offset(subnet.BaseAddress, id + 1), data, sections.Contains(id), config.GetInt(section + "node.remoting.port", config.GetInt("actornet.node.remoting.port"))));
        }

        return new ClusterPlan(
            cluster,
            configFile is null ? null : Path.GetFullPath(configFile),
            defines,
            prefix,
            prefix + "br",
            subnet,
            Offset(subnet.BaseAddress, 1),
            config.GetString("actornet.shared-memory.root"),
            config.GetString("actornet.orchestration.run-folder"),
            config.GetTimeSpan("actornet.orchestration.start-timeout"),
            nodes);
    }

    /// <summary><paramref name="address"/> + <paramref name="offset"/> (IPv4).</summary>
    public static IPAddress Offset(IPAddress address, int offset)
    {
        ArgumentNullException.ThrowIfNull(address);
        var b = address.GetAddressBytes();
        uint value = ((uint)b[0] << 24 | (uint)b[1] << 16 | (uint)b[2] << 8 | b[3]) + (uint)offset;
        return new IPAddress([(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value]);
    }
}
