using ActorNet.Actors.Cluster;
using ActorNet.Hocon;

namespace ActorNet.Host.Configuration;

/// <summary>Kind of virtual adapter (<c>actornet.adapters.kind</c>).</summary>
public enum AdapterKind
{
    /// <summary>Linux TAP device.</summary>
    Tap,

    /// <summary>Windows Wintun adapter.</summary>
    Wintun,

    /// <summary>In-process adapter for tests; no OS device.</summary>
    Memory,
}

/// <summary>Virtual adapter settings (<c>actornet.adapters</c>), built once at start-up.</summary>
/// <param name="Kind">Adapter kind.</param>
/// <param name="VnetHeader">Open the TAP with IFF_VNET_HDR.</param>
/// <param name="Tso">Offer TCP segmentation offload when the slot size allows.</param>
/// <param name="ChecksumOffload">Offer checksum offload.</param>
/// <param name="TapDevice">TUN/TAP clone device path.</param>
/// <param name="WintunDllPath">Path to wintun.dll; empty = next to the executable.</param>
/// <param name="WintunPool">Wintun pool name.</param>
/// <param name="WintunRingCapacity">Wintun ring size in bytes (power of two).</param>
public sealed record AdapterSettings(
    AdapterKind Kind,
    bool VnetHeader,
    bool Tso,
    bool ChecksumOffload,
    string TapDevice,
    string WintunDllPath,
    string WintunPool,
    long WintunRingCapacity)
{
    private static readonly Dictionary<string, AdapterKind> s_kinds = new()
    {
        ["tap"] = AdapterKind.Tap,
        ["wintun"] = AdapterKind.Wintun,
        ["memory"] = AdapterKind.Memory,
    };

    /// <summary>Builds the settings from a resolved configuration.</summary>
    /// <exception cref="SettingsException">Every invalid key, each with the fix.</exception>
    public static AdapterSettings FromConfig(Config config)
    {
        var r = new SettingsReader(config);
        var settings = Read(r);
        r.ThrowIfInvalid();
        return settings;
    }

    /// <summary>Reads the settings, recording problems in <paramref name="r"/>.</summary>
    public static AdapterSettings Read(SettingsReader r)
    {
        const string P = "actornet.adapters.";
        var settings = new AdapterSettings(
            r.Choice(P + "kind", s_kinds),
            r.Bool(P + "vnet-hdr.enabled"),
            r.Bool(P + "vnet-hdr.tso"),
            r.Bool(P + "vnet-hdr.checksum"),
            r.String(P + "tap.device", v => v.Length > 0 ? null : "a device path is required (usually /dev/net/tun)"),
            r.String(P + "wintun.dll-path"),
            r.String(P + "wintun.pool", v => v.Length is >= 1 and <= 127 ? null : "a pool name of 1..127 characters is required"),
            r.Bytes(P + "wintun.ring-capacity", 128 * 1024, 64L * 1024 * 1024));
        if (!long.IsPow2(settings.WintunRingCapacity))
        {
            r.Problem(P + "wintun.ring-capacity", $"{P}wintun.ring-capacity must be a power of two between 128KiB and 64MiB (e.g. 4MiB); set {P}wintun.ring-capacity");
        }

        return settings;
    }
}
