using System.Globalization;
using ActorNet.Actors.Cluster;
using ActorNet.Hocon;

namespace ActorNet.Host.Configuration;

/// <summary>
/// Identity of this node (<c>actornet.node</c>), built once at start-up by <see cref="FromConfig"/>. The
/// incarnation is not configuration: it is chosen when the process starts (see <see cref="Logging.NodeLogContext"/>).
/// </summary>
/// <param name="Id">Node id 1..65534, the last two bytes of the node's MAC addresses.</param>
/// <param name="Name">Human name for logs and status (defaults to <c>node-&lt;id&gt;</c>).</param>
/// <param name="Remoting">Control-plane remoting endpoint.</param>
public sealed record NodeSettings(int Id, string Name, RemotingSettings Remoting)
{
    /// <summary>Smallest node id.</summary>
    public const int MinId = 1;

    /// <summary>Largest node id (0xFFFF is reserved for broadcast).</summary>
    public const int MaxId = 65534;

    /// <summary>Builds the settings from a resolved configuration.</summary>
    /// <exception cref="SettingsException">Every invalid key, each with the fix.</exception>
    public static NodeSettings FromConfig(Config config)
    {
        var r = new SettingsReader(config);
        var settings = Read(r);
        r.ThrowIfInvalid();
        return settings;
    }

    /// <summary>Reads the settings, recording problems in <paramref name="r"/>; <paramref name="remoting"/> reuses settings already read.</summary>
    public static NodeSettings Read(SettingsReader r, RemotingSettings? remoting = null)
    {
        const string IdKey = "actornet.node.id";
        var id = 0;
        var before = r.Problems.Count;
        var raw = r.Int(IdKey, int.MinValue, int.MaxValue, "node id");
        if (r.Problems.Count == before)
        {
            if (raw == 0)
            {
                r.Problem(IdKey, $"{IdKey} is not set: pass --node N to pick a node section of the cluster file, or set {IdKey} (1..65534)");
            }
            else if (raw is < MinId or > MaxId)
            {
                r.Problem(IdKey, $"{IdKey} = {raw.ToString(CultureInfo.InvariantCulture)} is out of range: node ids are 1..65534 (last two bytes of the MAC); set {IdKey}");
            }
            else
            {
                id = raw;
            }
        }

        var name = r.String("actornet.node.name", v => v.Length <= 64 ? null : "names are at most 64 characters");
        if (name.Length == 0)
        {
            name = "node-" + id.ToString(CultureInfo.InvariantCulture);
        }

        return new NodeSettings(id, name, remoting ?? RemotingSettings.Read(r));
    }
}
