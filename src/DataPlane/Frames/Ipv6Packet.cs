using System.Buffers.Binary;

namespace ActorNet.DataPlane.Frames;

/// <summary>
/// A zero-allocation view of an IPv6 packet with the common extension headers (hop-by-hop, routing, fragment,
/// destination options, authentication) skipped safely: every length is bound-checked and the chain is capped at
/// <see cref="MaxExtensionHeaders"/>. <see cref="UpperProtocol"/> and <see cref="UpperPayload"/> are what follows.
/// </summary>
public readonly ref struct Ipv6Packet
{
    /// <summary>Fixed header length.</summary>
    public const int HeaderSize = 40;

    /// <summary>Longest extension-header chain accepted.</summary>
    public const int MaxExtensionHeaders = 8;

    private Ipv6Packet(ReadOnlySpan<byte> header, byte upperProtocol, ReadOnlySpan<byte> upperPayload, bool isFragment, bool isFirstFragment)
    {
        Header = header;
        UpperProtocol = upperProtocol;
        UpperPayload = upperPayload;
        IsFragment = isFragment;
        IsFirstFragment = isFirstFragment;
    }

    /// <summary>The 40-byte fixed header.</summary>
    public ReadOnlySpan<byte> Header { get; }

    /// <summary>Protocol after the extension headers (e.g. 6 TCP, 17 UDP, 58 ICMPv6, 59 none, 50 ESP).</summary>
    public byte UpperProtocol { get; }

    /// <summary>Bytes after the extension headers, up to the payload length.</summary>
    public ReadOnlySpan<byte> UpperPayload { get; }

    /// <summary>True when a fragment header was present.</summary>
    public bool IsFragment { get; }

    /// <summary>True when unfragmented or the fragment offset is zero (the transport header is here).</summary>
    public bool IsFirstFragment { get; }

    /// <summary>Hop limit.</summary>
    public byte HopLimit => Header[7];

    /// <summary>Source address, first 8 bytes (big-endian numeric).</summary>
    public ulong SourceHigh => BinaryPrimitives.ReadUInt64BigEndian(Header.Slice(8));

    /// <summary>Source address, last 8 bytes.</summary>
    public ulong SourceLow => BinaryPrimitives.ReadUInt64BigEndian(Header.Slice(16));

    /// <summary>Destination address, first 8 bytes.</summary>
    public ulong DestinationHigh => BinaryPrimitives.ReadUInt64BigEndian(Header.Slice(24));

    /// <summary>Destination address, last 8 bytes.</summary>
    public ulong DestinationLow => BinaryPrimitives.ReadUInt64BigEndian(Header.Slice(32));

    /// <summary>Parses the header and walks the extension headers. Jumbograms (payload length 0) are unsupported. Never throws.</summary>
    public static ParseStatus TryParse(ReadOnlySpan<byte> packet, out Ipv6Packet result)
    {
        result = default;
        if (packet.Length < HeaderSize)
        {
            return ParseStatus.Truncated;
        }

        if (packet[0] >> 4 != 6)
        {
            return ParseStatus.BadVersion;
        }

        int payloadLength = BinaryPrimitives.ReadUInt16BigEndian(packet.Slice(4));
        if (payloadLength == 0 && packet[6] == IpProtocols.HopByHop)
        {
            return ParseStatus.Unsupported; // jumbogram
        }

        if (HeaderSize + payloadLength > packet.Length)
        {
            return ParseStatus.Truncated;
        }

        var payload = packet.Slice(HeaderSize, payloadLength);
        byte next = packet[6];
        int offset = 0;
        bool fragment = false;
        bool first = true;
        for (int count = 0; ; count++)
        {
            int length;
            switch (next)
            {
                case IpProtocols.HopByHop:
                case IpProtocols.Routing:
                case IpProtocols.DestinationOptions:
                    if (offset + 2 > payload.Length)
                    {
                        return ParseStatus.Truncated;
                    }

                    length = (payload[offset + 1] + 1) * 8;
                    break;
                case IpProtocols.Fragment:
                    if (offset + 8 > payload.Length)
                    {
                        return ParseStatus.Truncated;
                    }

                    length = 8;
                    fragment = true;
                    first = (BinaryPrimitives.ReadUInt16BigEndian(payload.Slice(offset + 2)) & 0xfff8) == 0;
                    break;
                case IpProtocols.AuthenticationHeader:
                    if (offset + 2 > payload.Length)
                    {
                        return ParseStatus.Truncated;
                    }

                    length = (payload[offset + 1] + 2) * 4;
                    break;
                default:
                    result = new Ipv6Packet(packet.Slice(0, HeaderSize), next, payload.Slice(offset), fragment, first);
                    return ParseStatus.Ok;
            }

            if (count == MaxExtensionHeaders)
            {
                return ParseStatus.TooManyExtensionHeaders;
            }

            if (offset + length > payload.Length)
            {
                return ParseStatus.BadOption;
            }

            if (next == IpProtocols.HopByHop && count != 0)
            {
                return ParseStatus.BadOption; // RFC 8200: hop-by-hop only directly after the fixed header
            }

            next = payload[offset];
            offset += length;
        }
    }
}
