using System.Net;

namespace ActorNet.DataPlane.Frames;

/// <summary>
/// An IPv4 or IPv6 address held by value in two <see cref="ulong"/>s (IPv4 in the low 32 bits of <see cref="Low"/>),
/// so a 5-tuple is a plain struct usable as a key without allocating <see cref="IPAddress"/> objects.
/// </summary>
public readonly record struct IpAddressValue(ulong High, ulong Low, bool IsIpv6)
{
    /// <summary>An IPv4 address from its big-endian numeric value (10.0.0.1 = 0x0a000001).</summary>
    public static IpAddressValue FromIpv4(uint address) => new(0, address, false);

    /// <summary>Converts to <see cref="IPAddress"/> (allocates; for logs, tests and the control plane).</summary>
    public IPAddress ToIPAddress()
    {
        if (!IsIpv6)
        {
            uint v = (uint)Low;
            return new IPAddress(new[] { (byte)(v >> 24), (byte)(v >> 16), (byte)(v >> 8), (byte)v });
        }

        var bytes = new byte[16];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(bytes, High);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(bytes.AsSpan(8), Low);
        return new IPAddress(bytes);
    }

    /// <summary>The usual textual form.</summary>
    public override string ToString() => ToIPAddress().ToString();
}

/// <summary>
/// The 5-tuple of the seed's connection table: &lt;protocol, source address, source port, destination address,
/// destination port&gt;, as seen in the frame. Ports are zero for protocols without ports and for non-first fragments.
/// </summary>
public readonly record struct FiveTuple(byte Protocol, IpAddressValue Source, ushort SourcePort, IpAddressValue Destination, ushort DestinationPort);

/// <summary>
/// Cracks an Ethernet frame down to its 5-tuple: Ethernet (VLAN tags skipped) → IPv4/IPv6 (extension headers
/// skipped) → TCP/UDP ports. Pure, allocation-free, never throws; any thread.
/// </summary>
public static class FrameCracker
{
    /// <summary>
    /// Returns <see cref="ParseStatus.Ok"/> with the tuple filled; <see cref="ParseStatus.Fragment"/> with addresses
    /// and protocol filled but ports zero for a non-first fragment; any other status means no usable tuple.
    /// ICMP and other port-less protocols return Ok with ports zero. <paramref name="verifyIpv4Checksum"/> may be
    /// turned off for frames whose checksums were left to offload.
    /// </summary>
    public static ParseStatus TryCrack(ReadOnlySpan<byte> frame, out FiveTuple tuple, bool verifyIpv4Checksum = true)
    {
        tuple = default;
        var status = EthernetFrame.TryParse(frame, out var ethernet);
        if (status != ParseStatus.Ok)
        {
            return status;
        }

        return ethernet.EtherType switch
        {
            EtherTypes.Ipv4 => CrackIpv4(ethernet.Payload, out tuple, verifyIpv4Checksum),
            EtherTypes.Ipv6 => CrackIpv6(ethernet.Payload, out tuple),
            _ => ParseStatus.Unsupported,
        };
    }

    private static ParseStatus CrackIpv4(ReadOnlySpan<byte> packet, out FiveTuple tuple, bool verifyChecksum)
    {
        tuple = default;
        var status = Ipv4Packet.TryParse(packet, out var ip, verifyChecksum);
        if (status != ParseStatus.Ok)
        {
            return status;
        }

        var source = IpAddressValue.FromIpv4(ip.Source);
        var destination = IpAddressValue.FromIpv4(ip.Destination);
        if (ip.FragmentOffset != 0)
        {
            tuple = new FiveTuple(ip.Protocol, source, 0, destination, 0);
            return ParseStatus.Fragment;
        }

        return CrackPorts(ip.Protocol, ip.Payload, source, destination, out tuple);
    }

    private static ParseStatus CrackIpv6(ReadOnlySpan<byte> packet, out FiveTuple tuple)
    {
        tuple = default;
        var status = Ipv6Packet.TryParse(packet, out var ip);
        if (status != ParseStatus.Ok)
        {
            return status;
        }

        var source = new IpAddressValue(ip.SourceHigh, ip.SourceLow, true);
        var destination = new IpAddressValue(ip.DestinationHigh, ip.DestinationLow, true);
        if (!ip.IsFirstFragment)
        {
            tuple = new FiveTuple(ip.UpperProtocol, source, 0, destination, 0);
            return ParseStatus.Fragment;
        }

        return CrackPorts(ip.UpperProtocol, ip.UpperPayload, source, destination, out tuple);
    }

    private static ParseStatus CrackPorts(byte protocol, ReadOnlySpan<byte> payload, IpAddressValue source, IpAddressValue destination, out FiveTuple tuple)
    {
        tuple = default;
        switch (protocol)
        {
            case IpProtocols.Tcp:
            {
                var status = TcpSegment.TryParse(payload, out var tcp);
                if (status != ParseStatus.Ok)
                {
                    return status;
                }

                tuple = new FiveTuple(protocol, source, tcp.SourcePort, destination, tcp.DestinationPort);
                return ParseStatus.Ok;
            }

            case IpProtocols.Udp:
            {
                var status = UdpDatagram.TryParse(payload, out var udp, allowZeroLength: true);
                if (status != ParseStatus.Ok)
                {
                    return status;
                }

                tuple = new FiveTuple(protocol, source, udp.SourcePort, destination, udp.DestinationPort);
                return ParseStatus.Ok;
            }

            default:
                tuple = new FiveTuple(protocol, source, 0, destination, 0);
                return ParseStatus.Ok;
        }
    }
}
