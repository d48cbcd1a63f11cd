using System.Globalization;
using System.Net;
using System.Net.Sockets;
using ActorNet.Actors.Cluster;
using ActorNet.Hocon;

namespace ActorNet.Host.Configuration;

/// <summary>How ring slots carry frames (<c>slot-mode</c>).</summary>
public enum SlotMode
{
    /// <summary>Frames are copied into ring slots.</summary>
    Copy,

    /// <summary>Frames are written once into the sender's buffer pool; rings carry descriptors.</summary>
    ZeroCopy,
}

/// <summary>What a sender does when the destination ring is full (<c>full-policy</c>).</summary>
public enum RingFullPolicy
{
    /// <summary>Stop reading the adapter until there is room.</summary>
    Backpressure,

    /// <summary>Drop the frame and count it.</summary>
    Drop,
}

/// <summary>
/// Settings of one shared-memory IP network (<c>actornet.networks.local</c> or <c>.global</c>), built once at
/// start-up and handed to the data plane as plain values.
/// </summary>
/// <param name="Key">Configuration path of this network, e.g. <c>actornet.networks.local</c>.</param>
/// <param name="Enabled">Whether the node creates this network's adapter and rings.</param>
/// <param name="Adapter">OS name of the virtual adapter.</param>
/// <param name="Mtu">Largest IP packet, bytes (1490..65536).</param>
/// <param name="RingDepth">Slots per ring (power of two).</param>
/// <param name="SlotMode">Copy or zero-copy.</param>
/// <param name="BufferPoolSize">Zero-copy buffers per node.</param>
/// <param name="Subnet">IPv4 subnet.</param>
/// <param name="Address">This node's address; null when it cannot be known yet (no node id).</param>
/// <param name="MulticastRingCount">Number of multicast rings.</param>
/// <param name="MulticastGroups">Groups served by multicast rings.</param>
/// <param name="FullPolicy">Behaviour on a full ring.</param>
/// <param name="Notification">How this network's receivers learn of new frames.</param>
public sealed record NetworkSettings(
    string Key,
    bool Enabled,
    string Adapter,
    int Mtu,
    int RingDepth,
    SlotMode SlotMode,
    int BufferPoolSize,
    IPNetwork Subnet,
    IPAddress? Address,
    int MulticastRingCount,
    IReadOnlyList<IPAddress> MulticastGroups,
    RingFullPolicy FullPolicy,
    NotificationMode Notification)
{
    /// <summary>Smallest MTU (from the design: 1,490 bytes).</summary>
    public const int MinMtu = 1490;

    /// <summary>Largest MTU (65,536 bytes).</summary>
    public const int MaxMtu = 65536;

    private static readonly Dictionary<string, SlotMode> s_slotModes = new() { ["copy"] = SlotMode.Copy, ["zero-copy"] = SlotMode.ZeroCopy };

    private static readonly Dictionary<string, NotificationMode> s_notification = new()
    {
        ["polling"] = NotificationMode.Polling,
        ["interrupt"] = NotificationMode.Interrupt,
        ["adaptive"] = NotificationMode.Adaptive,
    };

    private static readonly Dictionary<string, RingFullPolicy> s_policies = new() { ["backpressure"] = RingFullPolicy.Backpressure, ["drop"] = RingFullPolicy.Drop };

    /// <summary>
    /// Reads the network at <paramref name="key"/>; <paramref name="nodeId"/> (0 = unknown) derives the
    /// address from the subnet when <c>address = ""</c> and <paramref name="addressDerivable"/> is true.
    /// </summary>
    public static NetworkSettings Read(SettingsReader r, string key, int nodeId, bool addressDerivable)
    {
        var p = key + ".";
        var enabled = r.Bool(p + "enabled");
        var adapter = r.String(p + "adapter", v => v.Length is >= 1 and <= 15 && v.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.') ? null : "adapter names are 1..15 letters, digits, '-', '_' or '.'");
        var mtu = r.Int(p + "mtu", MinMtu, MaxMtu, "the MTU of a shared-memory network is 1490..65536 bytes");
        var depth = r.Int(p + "ring-depth", 16, 65536, "slots per ring, a power of two");
        if (!int.IsPow2(depth))
        {
            r.Problem(p + "ring-depth", $"{p}ring-depth = {depth.ToString(CultureInfo.InvariantCulture)} is not a power of two; use e.g. {((int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)depth)).ToString(CultureInfo.InvariantCulture)}");
        }

        var slotMode = r.Choice(p + "slot-mode", s_slotModes);
        var pool = r.Int(p + "buffer-pool-size", 16, 16_777_216, "zero-copy buffers per node");
        if (slotMode == SlotMode.ZeroCopy && pool < depth)
        {
            r.Problem(p + "buffer-pool-size", $"{p}buffer-pool-size = {pool.ToString(CultureInfo.InvariantCulture)} is below ring-depth ({depth.ToString(CultureInfo.InvariantCulture)}): a zero-copy pool must hold at least one ring's worth of buffers; raise it");
        }

        var subnetText = r.String(p + "subnet");
        var subnet = new IPNetwork(IPAddress.Any, 0);
        var subnetOk = IPNetwork.TryParse(subnetText, out var parsed) && parsed.BaseAddress.AddressFamily == AddressFamily.InterNetwork && parsed.PrefixLength is >= 8 and <= 30;
        if (subnetOk)
        {
            subnet = parsed;
        }
        else
        {
            r.Problem(p + "subnet", $"{p}subnet = \"{subnetText}\" is invalid: use an IPv4 subnet in CIDR form with a prefix of 8..30, e.g. \"10.200.0.0/24\"; set {p}subnet");
        }

        IPAddress? address = null;
        var addressText = r.String(p + "address");
        if (addressText.Length == 0)
        {
            if (!addressDerivable)
            {
                r.Problem(p + "address", $"{p}address is empty: this network needs an explicit address; set {p}address");
            }
            else if (subnetOk && nodeId > 0)
            {
                var hosts = (1L << (32 - subnet.PrefixLength)) - 2;
                if (nodeId > hosts)
                {
                    r.Problem(p + "address", $"{p}address cannot be derived: node id {nodeId.ToString(CultureInfo.InvariantCulture)} does not fit in {subnetText} ({hosts.ToString(CultureInfo.InvariantCulture)} host addresses); widen {p}subnet or set {p}address");
                }
                else
                {
                    var b = subnet.BaseAddress.GetAddressBytes();
                    var value = ((uint)b[0] << 24 | (uint)b[1] << 16 | (uint)b[2] << 8 | b[3]) + (uint)nodeId;
                    address = new IPAddress([(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value]);
                }
            }
        }
        else if (IPAddress.TryParse(addressText, out var explicitAddress) && explicitAddress.AddressFamily == AddressFamily.InterNetwork)
        {
            address = explicitAddress;
            if (subnetOk && !subnet.Contains(explicitAddress))
            {
                r.Problem(p + "address", $"{p}address = \"{addressText}\" is outside {p}subnet = \"{subnetText}\"; pick an address inside the subnet");
            }
        }
        else
        {
            r.Problem(p + "address", $"{p}address = \"{addressText}\" is not an IPv4 address; set {p}address (or \"\" to derive it from the subnet)");
        }

        var count = r.Int(p + "multicast-rings.count", 0, 64, "number of multicast rings");
        var groups = new List<IPAddress>();
        foreach (var g in r.StringList(p + "multicast-rings.groups"))
        {
            if (IPAddress.TryParse(g, out var group) && group.AddressFamily == AddressFamily.InterNetwork && group.GetAddressBytes()[0] is >= 224 and <= 239)
            {
                groups.Add(group);
            }
            else
            {
                r.Problem(p + "multicast-rings.groups", $"{p}multicast-rings.groups entry \"{g}\" is not an IPv4 multicast address (224.0.0.0/4); fix the entry");
            }
        }

        if (groups.Count > 0 && count == 0)
        {
            r.Problem(p + "multicast-rings.count", $"{p}multicast-rings.groups lists {groups.Count.ToString(CultureInfo.InvariantCulture)} groups but multicast-rings.count = 0, so no ring serves them; set count to at least 1 or empty the list");
        }

        return new NetworkSettings(key, enabled, adapter, mtu, depth, slotMode, pool, subnet, address, count, groups, r.Choice(p + "full-policy", s_policies), r.Choice(p + "notification-mode", s_notification));
    }
}

/// <summary>Both shared-memory networks (<c>actornet.networks</c>).</summary>
/// <param name="Local">The local network: a unique address per node.</param>
/// <param name="Global">The global network: one address shared by every node.</param>
public sealed record NetworksSettings(NetworkSettings Local, NetworkSettings Global)
{
    /// <summary>Builds the settings from a resolved configuration; the node id comes from <c>actornet.node.id</c>.</summary>
    /// <exception cref="SettingsException">Every invalid key, each with the fix.</exception>
    public static NetworksSettings FromConfig(Config config)
    {
        var r = new SettingsReader(config);
        var nodeId = config.HasPath("actornet.node.id") ? SafeInt(config, "actornet.node.id") : 0;
        var settings = Read(r, nodeId);
        r.ThrowIfInvalid();
        return settings;
    }

    /// <summary>Reads both networks, recording problems in <paramref name="r"/>.</summary>
    public static NetworksSettings Read(SettingsReader r, int nodeId)
    {
        var local = NetworkSettings.Read(r, "actornet.networks.local", nodeId, addressDerivable: true);
        var global = NetworkSettings.Read(r, "actornet.networks.global", nodeId, addressDerivable: false);
        if (local.Enabled && global.Enabled && local.Adapter == global.Adapter)
        {
            r.Problem("actornet.networks.global.adapter", $"actornet.networks.global.adapter = \"{global.Adapter}\" is the same as actornet.networks.local.adapter; give each network its own adapter name");
        }

        return new NetworksSettings(local, global);
    }

    private static int SafeInt(Config config, string path)
    {
        try
        {
            var id = config.GetInt(path);
            return id is >= NodeSettings.MinId and <= NodeSettings.MaxId ? id : 0;
        }
        catch (HoconException)
        {
            return 0;
        }
    }
}
