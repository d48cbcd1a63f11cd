using System.Buffers.Binary;

namespace ActorNet.DataPlane.Frames;

/// <summary>
/// A zero-allocation view of an IPv4 packet: header checksum verified, options walked and validated, total length
/// checked against the buffer (trailing Ethernet padding is excluded from <see cref="Payload"/>).
/// </summary>
public readonly ref struct Ipv4Packet
{
    /// <summary>Minimum header length (no options).</summary>
    public const int MinHeaderSize = 20;

    private Ipv4Packet(ReadOnlySpan<byte> header, ReadOnlySpan<byte> payload)
    {
        Header = header;
        Payload = payload;
    }

    /// <summary>The header including options.</summary>
    public ReadOnlySpan<byte> Header { get; }

    /// <summary>The bytes after the header up to the total length.</summary>
    public ReadOnlySpan<byte> Payload { get; }

    /// <summary>Header length in bytes (IHL × 4).</summary>
    public int HeaderLength => Header.Length;

    /// <summary>Total length field.</summary>
    public ushort TotalLength => BinaryPrimitives.ReadUInt16BigEndian(Header.Slice(2));

    /// <summary>Identification field.</summary>
    public ushort Identification => BinaryPrimitives.ReadUInt16BigEndian(Header.Slice(4));

    /// <summary>Don't-fragment flag.</summary>
    public bool DontFragment => (Header[6] & 0x40) != 0;

    /// <summary>More-fragments flag.</summary>
    public bool MoreFragments => (Header[6] & 0x20) != 0;

    /// <summary>Fragment offset in bytes.</summary>
    public int FragmentOffset => (BinaryPrimitives.ReadUInt16BigEndian(Header.Slice(6)) & 0x1fff) * 8;

    /// <summary>True for any fragment (first or later).</summary>
    public bool IsFragment => MoreFragments || FragmentOffset != 0;

    /// <summary>Time to live.</summary>
    public byte TimeToLive => Header[8];

    /// <summary>Protocol number of the payload.</summary>
    public byte Protocol => Header[9];

    /// <summary>Source address (big-endian numeric).</summary>
    public uint Source => BinaryPrimitives.ReadUInt32BigEndian(Header.Slice(12));

    /// <summary>Destination address (big-endian numeric).</summary>
    public uint Destination => BinaryPrimitives.ReadUInt32BigEndian(Header.Slice(16));

    /// <summary>
    /// Parses an IPv4 header. <paramref name="verifyChecksum"/> is on by default; pass false for packets whose
    /// checksum the sender left to offload. Never throws.
    /// </summary>
    public static ParseStatus TryParse(ReadOnlySpan<byte> packet, out Ipv4Packet result, bool verifyChecksum = true)
    {
        result = default;
        if (packet.Length < MinHeaderSize)
        {
            return ParseStatus.Truncated;
        }

        if (packet[0] >> 4 != 4)
        {
            return ParseStatus.BadVersion;
        }

        int ihl = (packet[0] & 0x0f) * 4;
        if (ihl < MinHeaderSize)
        {
            return ParseStatus.BadHeaderLength;
        }

        if (ihl > packet.Length)
        {
            return ParseStatus.Truncated;
        }

        int total = BinaryPrimitives.ReadUInt16BigEndian(packet.Slice(2));
        if (total < ihl)
        {
            return ParseStatus.BadTotalLength;
        }

        if (total > packet.Length)
        {
            return ParseStatus.Truncated;
        }

        var header = packet.Slice(0, ihl);
        if (verifyChecksum && InternetChecksum.Compute(header) != 0)
        {
            return ParseStatus.BadChecksum;
        }

        if (!OptionsAreWellFormed(header.Slice(MinHeaderSize)))
        {
            return ParseStatus.BadOption;
        }

        result = new Ipv4Packet(header, packet.Slice(ihl, total - ihl));
        return ParseStatus.Ok;
    }

    private static bool OptionsAreWellFormed(ReadOnlySpan<byte> options)
    {
        int i = 0;
        while (i < options.Length)
        {
            byte type = options[i];
            if (type == 0)
            {
                return true; // end of option list; the rest is padding
            }

            if (type == 1)
            {
                i++; // no-operation
                continue;
            }

            if (i + 1 >= options.Length)
            {
                return false;
            }

            int length = options[i + 1];
            if (length < 2 || i + length > options.Length)
            {
                return false;
            }

            i += length;
        }

        return true;
    }
}
