using System.Buffers.Binary;

namespace ActorNet.DataPlane.Frames;

/// <summary>
/// A zero-allocation view of an Ethernet II frame: addresses, up to two VLAN tags (802.1ad outer, 802.1Q inner) and
/// the payload after the last tag. A <c>ref struct</c> over the caller's buffer; valid only while the buffer is.
/// </summary>
public readonly ref struct EthernetFrame
{
    /// <summary>Length of the untagged header.</summary>
    public const int HeaderSize = 14;

    /// <summary>Smallest EtherType value (values below 0x0600 are 802.3 lengths, not types).</summary>
    public const ushort MinEtherType = 0x0600;

    private EthernetFrame(MacAddress destination, MacAddress source, ushort etherType, ushort vlanId, int tags, ReadOnlySpan<byte> payload)
    {
        Destination = destination;
        Source = source;
        EtherType = etherType;
        VlanId = vlanId;
        VlanTagCount = tags;
        Payload = payload;
    }

    /// <summary>Destination MAC.</summary>
    public MacAddress Destination { get; }

    /// <summary>Source MAC as on the wire (the shared-memory control bit, if set, is kept).</summary>
    public MacAddress Source { get; }

    /// <summary>EtherType after the VLAN tags.</summary>
    public ushort EtherType { get; }

    /// <summary>The innermost VLAN id (12 bits), or 0 when untagged.</summary>
    public ushort VlanId { get; }

    /// <summary>Number of VLAN tags skipped (0..2).</summary>
    public int VlanTagCount { get; }

    /// <summary>Bytes after the header and tags.</summary>
    public ReadOnlySpan<byte> Payload { get; }

    /// <summary>
    /// Parses the header. Returns <see cref="ParseStatus.Truncated"/> for runts, <see cref="ParseStatus.Unsupported"/>
    /// for 802.3 length frames or a third VLAN tag. Never throws.
    /// </summary>
    public static ParseStatus TryParse(ReadOnlySpan<byte> frame, out EthernetFrame result)
    {
        result = default;
        if (frame.Length < HeaderSize)
        {
            return ParseStatus.Truncated;
        }

        var destination = MacAddress.Read(frame);
        var source = MacAddress.Read(frame.Slice(6));
        ushort type = BinaryPrimitives.ReadUInt16BigEndian(frame.Slice(12));
        int offset = HeaderSize;
        ushort vlan = 0;
        int tags = 0;
        while (type is EtherTypes.Vlan or EtherTypes.QinQ)
        {
            if (tags == 2)
            {
                return ParseStatus.Unsupported;
            }

            if (frame.Length < offset + 4)
            {
                return ParseStatus.Truncated;
            }

            vlan = (ushort)(BinaryPrimitives.ReadUInt16BigEndian(frame.Slice(offset)) & 0x0fff);
            type = BinaryPrimitives.ReadUInt16BigEndian(frame.Slice(offset + 2));
            offset += 4;
            tags++;
        }

        if (type < MinEtherType)
        {
            return ParseStatus.Unsupported;
        }

        result = new EthernetFrame(destination, source, type, vlan, tags, frame.Slice(offset));
        return ParseStatus.Ok;
    }
}
