using ActorNet.Actors.Cluster;
using ActorNet.Hocon;

namespace ActorNet.Host.Configuration;

/// <summary>
/// Every setting of one node, read from one resolved configuration by <see cref="FromConfig"/>. Built once by
/// the composition root (the node daemon), then passed by value to the parts it starts; never re-read.
/// </summary>
/// <param name="Cluster">Membership, failure detection, downing and remoting.</param>
/// <param name="Node">Node identity.</param>
/// <param name="SharedMemory">Shared-memory facility.</param>
/// <param name="Networks">Local and global networks.</param>
/// <param name="Adapters">Virtual adapters.</param>
/// <param name="Persistence">SQL persistence.</param>
/// <param name="Logging">Logging.</param>
/// <param name="Ops">Operations endpoint.</param>
public sealed record ActorNetSettings(
    ClusterSettings Cluster,
    NodeSettings Node,
    SharedMemorySettings SharedMemory,
    NetworksSettings Networks,
    AdapterSettings Adapters,
    PersistenceSettings Persistence,
    LoggingSettings Logging,
    OpsSettings Ops)
{
    /// <summary>Builds every settings record; throws one exception listing every problem found.</summary>
    /// <exception cref="SettingsException">Every invalid key, each with the fix.</exception>
    public static ActorNetSettings FromConfig(Config config)
    {
        var r = new SettingsReader(config);
        var settings = Read(r);
        r.ThrowIfInvalid();
        return settings;
    }

    /// <summary>Returns every problem of the configuration (empty when it is valid).</summary>
    public static IReadOnlyList<SettingsProblem> Validate(Config config) => ReadAll(config).Problems;

    /// <summary>
    /// Reads every record without throwing: the settings (with placeholders where a key is invalid) and every
    /// problem. For validation tools that compare nodes even when some keys are wrong; never start a node from it.
    /// </summary>
    public static (ActorNetSettings Settings, IReadOnlyList<SettingsProblem> Problems) ReadAll(Config config)
    {
        var r = new SettingsReader(config);
        var settings = Read(r);
        return (settings, r.Problems);
    }

    private static ActorNetSettings Read(SettingsReader r)
    {
        var cluster = ClusterSettings.Read(r);
        var node = NodeSettings.Read(r, cluster.Remoting);
        var settings = new ActorNetSettings(
            cluster,
            node,
            SharedMemorySettings.Read(r),
            NetworksSettings.Read(r, node.Id),
            AdapterSettings.Read(r),
            PersistenceSettings.Read(r),
            LoggingSettings.Read(r),
            OpsSettings.Read(r));
        if (settings.Ops.Enabled && settings.Ops.Port != 0 && settings.Ops.Port == node.Remoting.Port && settings.Ops.Hostname == node.Remoting.Hostname)
        {
            r.Problem("actornet.ops.port", $"actornet.ops.port = {settings.Ops.Port} is also actornet.node.remoting.port; give the ops endpoint its own port");
        }

        return settings;
    }
}
