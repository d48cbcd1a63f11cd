using System.Buffers.Binary;

namespace ActorNet.DataPlane.Frames;

/// <summary>A zero-allocation view of a TCP segment (header length validated, options not interpreted).</summary>
public readonly ref struct TcpSegment
{
    /// <summary>Minimum header length.</summary>
    public const int MinHeaderSize = 20;

    private TcpSegment(ReadOnlySpan<byte> header, ReadOnlySpan<byte> payload)
    {
        Header = header;
        Payload = payload;
    }

    /// <summary>The header including options.</summary>
    public ReadOnlySpan<byte> Header { get; }

    /// <summary>Data after the header.</summary>
    public ReadOnlySpan<byte> Payload { get; }

    /// <summary>Source port.</summary>
    public ushort SourcePort => BinaryPrimitives.ReadUInt16BigEndian(Header);

    /// <summary>Destination port.</summary>
    public ushort DestinationPort => BinaryPrimitives.ReadUInt16BigEndian(Header.Slice(2));

    /// <summary>Sequence number.</summary>
    public uint SequenceNumber => BinaryPrimitives.ReadUInt32BigEndian(Header.Slice(4));

    /// <summary>Acknowledgement number.</summary>
    public uint AcknowledgementNumber => BinaryPrimitives.ReadUInt32BigEndian(Header.Slice(8));

    /// <summary>Flag bits (FIN 0x01, SYN 0x02, RST 0x04, PSH 0x08, ACK 0x10, URG 0x20, ECE 0x40, CWR 0x80).</summary>
    public byte Flags => Header[13];

    /// <summary>Window field.</summary>
    public ushort Window => BinaryPrimitives.ReadUInt16BigEndian(Header.Slice(14));

    /// <summary>Parses a TCP header from the IP payload. Never throws.</summary>
    public static ParseStatus TryParse(ReadOnlySpan<byte> segment, out TcpSegment result)
    {
        result = default;
        if (segment.Length < MinHeaderSize)
        {
            return ParseStatus.Truncated;
        }

        int dataOffset = (segment[12] >> 4) * 4;
        if (dataOffset < MinHeaderSize)
        {
            return ParseStatus.BadHeaderLength;
        }

        if (dataOffset > segment.Length)
        {
            return ParseStatus.Truncated;
        }

        result = new TcpSegment(segment.Slice(0, dataOffset), segment.Slice(dataOffset));
        return ParseStatus.Ok;
    }
}

/// <summary>A zero-allocation view of a UDP datagram (length field checked against the buffer).</summary>
public readonly ref struct UdpDatagram
{
    /// <summary>Header length.</summary>
    public const int HeaderSize = 8;

    private UdpDatagram(ReadOnlySpan<byte> header, ReadOnlySpan<byte> payload)
    {
        Header = header;
        Payload = payload;
    }

    /// <summary>The 8-byte header.</summary>
    public ReadOnlySpan<byte> Header { get; }

    /// <summary>Data after the header, up to the UDP length.</summary>
    public ReadOnlySpan<byte> Payload { get; }

    /// <summary>Source port.</summary>
    public ushort SourcePort => BinaryPrimitives.ReadUInt16BigEndian(Header);

    /// <summary>Destination port.</summary>
    public ushort DestinationPort => BinaryPrimitives.ReadUInt16BigEndian(Header.Slice(2));

    /// <summary>Length field (header plus data).</summary>
    public ushort Length => BinaryPrimitives.ReadUInt16BigEndian(Header.Slice(4));

    /// <summary>
    /// Parses a UDP header from the IP payload. A length field of zero is accepted only when
    /// <paramref name="allowZeroLength"/> (GSO super-packets leave it to be filled per segment). Never throws.
    /// </summary>
    public static ParseStatus TryParse(ReadOnlySpan<byte> datagram, out UdpDatagram result, bool allowZeroLength = false)
    {
        result = default;
        if (datagram.Length < HeaderSize)
        {
            return ParseStatus.Truncated;
        }

        int length = BinaryPrimitives.ReadUInt16BigEndian(datagram.Slice(4));
        if (length == 0 && allowZeroLength)
        {
            length = datagram.Length;
        }

        if (length < HeaderSize)
        {
            return ParseStatus.BadTotalLength;
        }

        if (length > datagram.Length)
        {
            return ParseStatus.Truncated;
        }

        result = new UdpDatagram(datagram.Slice(0, HeaderSize), datagram.Slice(HeaderSize, length - HeaderSize));
        return ParseStatus.Ok;
    }
}
