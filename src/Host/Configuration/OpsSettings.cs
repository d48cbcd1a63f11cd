using ActorNet.Actors.Cluster;
using ActorNet.Hocon;

namespace ActorNet.Host.Configuration;

/// <summary>Operations endpoint settings (<c>actornet.ops</c>), built once at start-up.</summary>
/// <param name="Enabled">Whether the node listens for the CLI.</param>
/// <param name="Hostname">Listen address.</param>
/// <param name="Port">TCP port; 0 = any free port.</param>
public sealed record OpsSettings(bool Enabled, string Hostname, int Port)
{
    /// <summary>Builds the settings from a resolved configuration.</summary>
    /// <exception cref="SettingsException">Every invalid key, each with the fix.</exception>
    public static OpsSettings FromConfig(Config config)
    {
        var r = new SettingsReader(config);
        var settings = Read(r);
        r.ThrowIfInvalid();
        return settings;
    }

    /// <summary>Reads the settings, recording problems in <paramref name="r"/>.</summary>
    public static OpsSettings Read(SettingsReader r)
    {
        const string P = "actornet.ops.";
        return new OpsSettings(
            r.Bool(P + "enabled"),
            r.String(P + "hostname", v => v.Length > 0 ? null : "a listen address is required (e.g. 127.0.0.1)"),
            r.Int(P + "port", 0, 65535, "TCP ports are 1..65535, 0 = any free port"));
    }
}
