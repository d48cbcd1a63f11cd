using System.Buffers.Binary;

namespace ActorNet.DataPlane.Frames;

/// <summary>
/// The shared-memory MAC header every slot payload starts with: 6-byte destination, 6-byte source, 2-byte EtherType,
/// laid out exactly as an Ethernet II header so a frame read from a TAP device is stored unchanged. One bit marks
/// internal control frames: the I/G (group) bit of the source MAC's first octet, a bit that IEEE 802 requires to be
/// zero in every legitimate frame (a source address is always an individual address). See docs/frames.md.
/// </summary>
/// <remarks>
/// Pure functions over spans; safe from any thread. The caller owns the memory. Frames coming from an adapter that
/// already carry the control bit are forgeries (or garbage) and must be dropped by the reader of the adapter.
/// </remarks>
public static class ShmMacHeader
{
    /// <summary>Header length in bytes.</summary>
    public const int Size = 14;

    /// <summary>Offset of the destination MAC.</summary>
    public const int DestinationOffset = 0;

    /// <summary>Offset of the source MAC.</summary>
    public const int SourceOffset = 6;

    /// <summary>Offset of the big-endian EtherType.</summary>
    public const int EtherTypeOffset = 12;

    /// <summary>Mask of the control bit within the byte at <see cref="ControlBitOffset"/>.</summary>
    public const byte ControlBitMask = 0x01;

    /// <summary>Offset of the byte holding the control bit (the first octet of the source MAC).</summary>
    public const int ControlBitOffset = SourceOffset;

    /// <summary>Writes a header. <paramref name="control"/> sets the control bit in the source MAC's first octet.</summary>
    /// <exception cref="ArgumentException">The destination span is shorter than <see cref="Size"/>.</exception>
    public static void Write(Span<byte> frame, MacAddress destination, MacAddress source, ushort etherType, bool control = false)
    {
        if (frame.Length < Size)
        {
            throw new ArgumentException($"A shared-memory MAC header needs {Size} bytes, got {frame.Length}.", nameof(frame));
        }

        destination.WriteTo(frame);
        source.WriteTo(frame.Slice(SourceOffset));
        BinaryPrimitives.WriteUInt16BigEndian(frame.Slice(EtherTypeOffset), etherType);
        if (control)
        {
            frame[ControlBitOffset] |= ControlBitMask;
        }
        else
        {
            frame[ControlBitOffset] &= unchecked((byte)~ControlBitMask);
        }
    }

    /// <summary>True when the frame is at least a header long and its control bit is set.</summary>
    public static bool IsControl(ReadOnlySpan<byte> frame) => frame.Length >= Size && (frame[ControlBitOffset] & ControlBitMask) != 0;

    /// <summary>The destination MAC, or false when the frame is shorter than a header.</summary>
    public static bool TryGetDestination(ReadOnlySpan<byte> frame, out MacAddress destination)
    {
        if (frame.Length < Size)
        {
            destination = default;
            return false;
        }

        destination = MacAddress.Read(frame);
        return true;
    }

    /// <summary>The source MAC with the control bit cleared, or false when the frame is shorter than a header.</summary>
    public static bool TryGetSource(ReadOnlySpan<byte> frame, out MacAddress source)
    {
        if (frame.Length < Size)
        {
            source = default;
            return false;
        }

        source = new MacAddress(MacAddress.Read(frame.Slice(SourceOffset)).Value & ~0x0100_0000_0000UL);
        return true;
    }

    /// <summary>The outer EtherType (no VLAN processing), or false when the frame is shorter than a header.</summary>
    public static bool TryGetEtherType(ReadOnlySpan<byte> frame, out ushort etherType)
    {
        if (frame.Length < Size)
        {
            etherType = 0;
            return false;
        }

        etherType = BinaryPrimitives.ReadUInt16BigEndian(frame.Slice(EtherTypeOffset));
        return true;
    }
}

/// <summary>EtherType values the data plane recognises (IEEE registry numbers).</summary>
public static class EtherTypes
{
    /// <summary>IPv4.</summary>
    public const ushort Ipv4 = 0x0800;

    /// <summary>ARP.</summary>
    public const ushort Arp = 0x0806;

    /// <summary>IEEE 802.1Q customer VLAN tag.</summary>
    public const ushort Vlan = 0x8100;

    /// <summary>IEEE 802.1ad service VLAN tag (QinQ outer tag).</summary>
    public const ushort QinQ = 0x88a8;

    /// <summary>IPv6.</summary>
    public const ushort Ipv6 = 0x86dd;

    /// <summary>
    /// IEEE 802 "local experimental EtherType 1", used by ActorNet control frames (control bit set) to say which
    /// control message follows; it never appears on a TAP.
    /// </summary>
    public const ushort ActorNetControl = 0x88b5;
}

/// <summary>IP protocol numbers the parsers know.</summary>
public static class IpProtocols
{
    /// <summary>IPv6 hop-by-hop options.</summary>
    public const byte HopByHop = 0;

    /// <summary>ICMP.</summary>
    public const byte Icmp = 1;

    /// <summary>IGMP.</summary>
    public const byte Igmp = 2;

    /// <summary>TCP.</summary>
    public const byte Tcp = 6;

    /// <summary>UDP.</summary>
    public const byte Udp = 17;

    /// <summary>IPv6 routing header.</summary>
    public const byte Routing = 43;

    /// <summary>IPv6 fragment header.</summary>
    public const byte Fragment = 44;

    /// <summary>ESP (payload is encrypted: parsing stops).</summary>
    public const byte Esp = 50;

    /// <summary>Authentication header.</summary>
    public const byte AuthenticationHeader = 51;

    /// <summary>ICMPv6.</summary>
    public const byte Icmpv6 = 58;

    /// <summary>IPv6 "no next header".</summary>
    public const byte NoNextHeader = 59;

    /// <summary>IPv6 destination options.</summary>
    public const byte DestinationOptions = 60;
}

/// <summary>Outcome of a frame parser. Parsers never throw on malformed input; they return one of these.</summary>
public enum ParseStatus
{
    /// <summary>The header was parsed and every length in it is consistent with the buffer.</summary>
    Ok = 0,

    /// <summary>The buffer ends before the header (or a length the header claims).</summary>
    Truncated,

    /// <summary>The IP version field is not the one expected.</summary>
    BadVersion,

    /// <summary>A header length field is below the minimum or beyond the packet.</summary>
    BadHeaderLength,

    /// <summary>A total/payload length field is inconsistent with the header or the buffer.</summary>
    BadTotalLength,

    /// <summary>The IPv4 header checksum does not verify.</summary>
    BadChecksum,

    /// <summary>An IPv4 option or IPv6 extension header is malformed.</summary>
    BadOption,

    /// <summary>Too many IPv6 extension headers (a cap defends against header chains crafted to burn CPU).</summary>
    TooManyExtensionHeaders,

    /// <summary>Not a first fragment: the transport header is not in this packet, so there are no ports.</summary>
    Fragment,

    /// <summary>A protocol, hardware type or EtherType these parsers do not crack.</summary>
    Unsupported,
}
