using System.Net;
using ActorNet.DataPlane.Frames;

namespace ActorNet.DataPlane.Adapters;

/// <summary>
/// How to create a Linux TAP device. Built once by the node from configuration; validated by
/// <see cref="TapAdapter.Open"/>.
/// </summary>
public sealed record TapAdapterOptions
{
    /// <summary>Largest MTU a TAP accepts: the kernel's 65535 minus the 14-byte Ethernet header.</summary>
    public const int MaxTapMtu = 65521;

    /// <summary>Largest frame a GSO super-frame can be: a 65535-byte IP packet plus an Ethernet header and one VLAN tag.</summary>
    public const int MaxSuperFrameSize = FrameAdapter.MaxSuperFrameSize;

    /// <summary>Interface name (at most 15 ASCII characters), e.g. <c>shm0</c>.</summary>
    public required string Name { get; init; }

    /// <summary>The MAC to set (normally <see cref="MacAddress.ForNode"/>).</summary>
    public required MacAddress MacAddress { get; init; }

    /// <summary>MTU in bytes, 68..<see cref="MaxTapMtu"/>.</summary>
    public int Mtu { get; init; } = 1500;

    /// <summary>IPv4 address to assign, or null to leave the interface unaddressed.</summary>
    public IPAddress? Ipv4Address { get; init; }

    /// <summary>Prefix length of <see cref="Ipv4Address"/> (0..32).</summary>
    public int Ipv4PrefixLength { get; init; } = 24;

    /// <summary>
    /// Open with <c>IFF_VNET_HDR</c> and turn on checksum and TSO offloads (TUNSETOFFLOAD CSUM|TSO4|TSO6|TSO_ECN),
    /// so the kernel hands over 64 KiB TCP super-frames. Only when the ring slot holds
    /// <see cref="MaxSuperFrameSize"/> bytes plus the offload header.
    /// </summary>
    public bool Offloads { get; init; }

    /// <summary>Bring the link up after configuring it.</summary>
    public bool Up { get; init; } = true;

    /// <summary>
    /// Whether a ring slot payload of <paramref name="slotPayloadBytes"/> can carry super-frames with their offload
    /// header, i.e. whether a node may turn <see cref="Offloads"/> on for a network with that slot size.
    /// </summary>
    public static bool OffloadsFit(int slotPayloadBytes) => slotPayloadBytes >= MaxSuperFrameSize + FrameOffload.Size;

    /// <summary>The largest frame the adapter will carry with these options.</summary>
    public int MaxFrameSize => Offloads ? MaxSuperFrameSize : Mtu + 18;
}
