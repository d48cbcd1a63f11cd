using System.Text.Json;
using System.Text.Json.Serialization;

namespace ActorNet.Host.Orchestration;

/// <summary>
/// What an <c>actornet up</c> created, written to <c>&lt;run-folder&gt;/&lt;cluster&gt;.state.json</c> before each thing is
/// created (so a crash leaves a list that over-approximates) and removed after a clean teardown. <c>actornet down</c>
/// and the next <c>up</c> tear down from it. Untrusted when read: names are re-validated before use.
/// </summary>
public sealed class ClusterState
{
    /// <summary>Cluster name.</summary>
    public string Cluster { get; set; } = string.Empty;

    /// <summary>Pid of the <c>up</c> process (0 when detached and gone).</summary>
    public int UpPid { get; set; }

    /// <summary>True once <c>up --detach</c> handed the cluster over (no <c>up</c> process watches it any more).</summary>
    public bool Detached { get; set; }

    /// <summary>The management bridge.</summary>
    public string Bridge { get; set; } = string.Empty;

    /// <summary>Namespaces, by node id.</summary>
    public SortedDictionary<int, string> Namespaces { get; set; } = [];

    /// <summary>Host veth ends.</summary>
    public List<string> HostVeths { get; set; } = [];

    /// <summary>Node process ids, by node id.</summary>
    public SortedDictionary<int, int> Pids { get; set; } = [];

    /// <summary>The cluster's shared-memory folder.</summary>
    public string ShmFolder { get; set; } = string.Empty;

    /// <summary>Node addresses on the shared-memory network, by node id (for <c>exec</c> users and status).</summary>
    public SortedDictionary<int, string> DataAddresses { get; set; } = [];

    /// <summary>
    /// Node remoting endpoints ("ip:port" on the management network), by node id: <c>up</c> moves remoting off the
    /// file's addresses, so <c>status</c> and <c>inject</c> must dial these while the cluster runs.
    /// </summary>
    public SortedDictionary<int, string> RemotingEndpoints { get; set; } = [];

    /// <summary>Reads a state file; null when missing or unreadable (a corrupt file is reported by the caller).</summary>
    public static ClusterState? TryRead(string path)
    {
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize(File.ReadAllText(path), ClusterStateJsonContext.Default.ClusterState) : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }

    /// <summary>Every state file under <paramref name="runFolder"/>.</summary>
    public static IReadOnlyList<string> List(string runFolder) =>
        Directory.Exists(runFolder) ? Directory.GetFiles(runFolder, "*.state.json").Order(StringComparer.Ordinal).ToArray() : [];

    /// <summary>Writes the state atomically (temp file + rename).</summary>
    public void Write(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = path + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(this, ClusterStateJsonContext.Default.ClusterState));
        File.Move(temp, path, overwrite: true);
    }
}

/// <summary>JSON source generation for <see cref="ClusterState"/>.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(ClusterState))]
internal sealed partial class ClusterStateJsonContext : JsonSerializerContext
{
}
