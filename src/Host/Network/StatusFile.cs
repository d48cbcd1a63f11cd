using System.Text.Json;
using System.Text.Json.Serialization;

namespace ActorNet.Host.Network;

/// <summary>One peer link of a node, as shown by the live views.</summary>
/// <param name="Peer">Peer node id.</param>
/// <param name="State">absent, up or down.</param>
/// <param name="PeerIncarnation">Incarnation last connected.</param>
/// <param name="TxFrames">Frames written to the peer's ring.</param>
/// <param name="TxBytes">Bytes written.</param>
/// <param name="TxDropFull">Dropped: ring full.</param>
/// <param name="TxDropDown">Dropped: ring or peer down.</param>
/// <param name="RxFrames">Frames received from the peer.</param>
/// <param name="RxBytes">Bytes received.</param>
/// <param name="RxDropStale">Lost: cast-ring reader lapped.</param>
/// <param name="RxDropMalformed">Refused: malformed slots.</param>
/// <param name="Member">The peer's cluster member status as this node sees it (empty: not a member, or no cluster).</param>
public sealed record LinkStatusRow(int Peer, string State, ulong PeerIncarnation, long TxFrames, long TxBytes, long TxDropFull, long TxDropDown, long RxFrames, long RxBytes, long RxDropStale, long RxDropMalformed, string Member = "");

/// <summary>This node's own broadcast/multicast rings (transmit side).</summary>
/// <param name="TxFrames">Frames written.</param>
/// <param name="TxBytes">Bytes written.</param>
/// <param name="TxDropFull">Dropped: claim not obtained or frame too large.</param>
/// <param name="RxMulticastFiltered">IPv4 multicast frames read from peers' cast rings and not delivered because this node's kernel did not join the group (IGMP snooping).</param>
/// <param name="JoinedGroups">IPv4 multicast groups this node's kernel joined on its adapter, as snooped from its IGMP reports (dotted quads).</param>
public sealed record CastStatusRow(long TxFrames, long TxBytes, long TxDropFull, long RxMulticastFiltered = 0, IReadOnlyList<string>? JoinedGroups = null);

/// <summary>The adapter's counters.</summary>
/// <param name="FramesRead">Frames read from the OS.</param>
/// <param name="BytesRead">Bytes read.</param>
/// <param name="FramesWritten">Frames handed to the OS.</param>
/// <param name="BytesWritten">Bytes handed to the OS.</param>
/// <param name="Runts">Dropped reads: runts.</param>
/// <param name="Oversize">Dropped reads: oversize.</param>
/// <param name="Garbled">Dropped reads: garbled.</param>
/// <param name="WriteDrops">Writes the OS refused.</param>
public sealed record AdapterStatusRow(long FramesRead, long BytesRead, long FramesWritten, long BytesWritten, long Runts, long Oversize, long Garbled, long WriteDrops);

/// <summary>The forwarder's decisions.</summary>
/// <param name="Unicast">To one node's ring.</param>
/// <param name="Broadcast">Broadcast frames.</param>
/// <param name="Multicast">Multicast frames.</param>
/// <param name="UnknownFlooded">Unknown unicast flooded.</param>
/// <param name="DroppedRingDown">Dropped: destination ring down.</param>
/// <param name="DroppedMalformed">Dropped: runt or bad source.</param>
/// <param name="DroppedToSelf">Dropped: addressed to this node.</param>
/// <param name="DroppedNoBroadcastRing">Dropped: no broadcast ring.</param>
public sealed record ForwardingStatusRow(long Unicast, long Broadcast, long Multicast, long UnknownFlooded, long DroppedRingDown, long DroppedMalformed, long DroppedToSelf, long DroppedNoBroadcastRing);

/// <summary>A node's local network at one instant: what <c>actornet up</c> shows live.</summary>
/// <param name="NodeId">Node id.</param>
/// <param name="NodeName">Node name.</param>
/// <param name="Pid">Node process id.</param>
/// <param name="Incarnation">Segment incarnation.</param>
/// <param name="Address">Adapter IPv4 address.</param>
/// <param name="Adapter">Adapter name.</param>
/// <param name="StartedUtc">When the component started.</param>
/// <param name="WrittenUtc">When this status was taken.</param>
/// <param name="Links">One row per possible peer.</param>
/// <param name="Cast">Own cast rings.</param>
/// <param name="AdapterCounters">Adapter counters.</param>
/// <param name="Forwarding">Forwarding decisions.</param>
/// <param name="Member">This node's own cluster member status (empty without a cluster).</param>
public sealed record NodeNetworkStatus(
    int NodeId,
    string NodeName,
    int Pid,
    ulong Incarnation,
    string Address,
    string Adapter,
    DateTime StartedUtc,
    DateTime WrittenUtc,
    IReadOnlyList<LinkStatusRow> Links,
    CastStatusRow Cast,
    AdapterStatusRow AdapterCounters,
    ForwardingStatusRow Forwarding,
    string Member = "");

/// <summary>JSON source generation for the status file.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = false)]
[JsonSerializable(typeof(NodeNetworkStatus))]
internal sealed partial class StatusJsonContext : JsonSerializerContext
{
}

/// <summary>
/// The status file of a node: <c>&lt;shm-root&gt;/&lt;cluster&gt;/status/node-&lt;id&gt;.json</c>, rewritten atomically
/// (temp file + rename) by the node, read by <c>actornet up</c>. Untrusted when read: a file that does not parse is
/// treated as absent.
/// </summary>
public static class StatusFile
{
    private const string FilePrefix = "node-";
    private const string FileSuffix = ".json";

    /// <summary>Path of node <paramref name="nodeId"/>'s status file.</summary>
    public static string PathFor(string shmRoot, string cluster, int nodeId) => PathIn(Path.Combine(shmRoot, cluster), nodeId);

    /// <summary>Path of node <paramref name="nodeId"/>'s status file for the cluster whose segments are in <paramref name="shmFolder"/>.</summary>
    public static string PathIn(string shmFolder, int nodeId) =>
        Path.Combine(FolderIn(shmFolder), FilePrefix + nodeId.ToString(System.Globalization.CultureInfo.InvariantCulture) + FileSuffix);

    /// <summary>Folder of the status files of the cluster whose segments are in <paramref name="shmFolder"/>.</summary>
    public static string FolderIn(string shmFolder) => Path.Combine(shmFolder, "status");

    /// <summary>
    /// The node ids of the status files in <paramref name="shmFolder"/>'s status folder, judged by file name only
    /// (<c>node-&lt;id&gt;.json</c>, id 1..65534); other files are ignored.
    /// </summary>
    public static IReadOnlyList<int> NodeIdsIn(string shmFolder)
    {
        var folder = FolderIn(shmFolder);
        var ids = new List<int>();
        if (!Directory.Exists(folder))
        {
            return ids;
        }

        foreach (var file in Directory.EnumerateFiles(folder, FilePrefix + "*" + FileSuffix))
        {
            var name = Path.GetFileName(file);
            if (int.TryParse(name.AsSpan(FilePrefix.Length, name.Length - FilePrefix.Length - FileSuffix.Length), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id) && id is > 0 and < 65535)
            {
                ids.Add(id);
            }
        }

        return ids;
    }

    /// <summary>Writes <paramref name="status"/> atomically.</summary>
    public static void Write(string path, NodeNetworkStatus status)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = path + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(status, StatusJsonContext.Default.NodeNetworkStatus));
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Reads a status file; null when missing, unreadable, larger than 1 MiB or not valid.</summary>
    public static NodeNetworkStatus? TryRead(string path)
    {
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists || info.Length > 1 << 20)
            {
                return null;
            }

            var status = JsonSerializer.Deserialize(File.ReadAllText(path), StatusJsonContext.Default.NodeNetworkStatus);
            return status is not null && IsComplete(status) ? status : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }

    /// <summary>The status as JSON (the status file's format: snake_case names).</summary>
    public static JsonElement ToJsonElement(NodeNetworkStatus status) =>
        JsonSerializer.SerializeToElement(status, StatusJsonContext.Default.NodeNetworkStatus);

    // JSON null where the record promises an object or a list: a foreign or damaged file, not a status.
    private static bool IsComplete(NodeNetworkStatus s) =>
        s.NodeName is not null && s.Address is not null && s.Adapter is not null && s.Member is not null
        && s.Links is not null && s.Links.All(l => l is not null && l.State is not null && l.Member is not null)
        && s.Cast is not null && s.AdapterCounters is not null && s.Forwarding is not null;

    /// <summary>Removes a status file (missing is fine).</summary>
    public static void Remove(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
    }
}
