using System.Buffers.Binary;

namespace ActorNet.DataPlane.Frames;

/// <summary>
/// A zero-allocation view of an ARP packet for Ethernet/IPv4 (hardware type 1, protocol 0x0800, lengths 6 and 4),
/// the only kind the shared-memory networks carry. IPv4 addresses are big-endian numbers (10.0.0.1 = 0x0a000001).
/// </summary>
public readonly ref struct ArpPacket
{
    /// <summary>Length of an Ethernet/IPv4 ARP packet.</summary>
    public const int Size = 28;

    /// <summary>ARP request operation code.</summary>
    public const ushort OperationRequest = 1;

    /// <summary>ARP reply operation code.</summary>
    public const ushort OperationReply = 2;

    private ArpPacket(ushort operation, MacAddress senderMac, uint senderIp, MacAddress targetMac, uint targetIp)
    {
        Operation = operation;
        SenderMac = senderMac;
        SenderIp = senderIp;
        TargetMac = targetMac;
        TargetIp = targetIp;
    }

    /// <summary>1 = request, 2 = reply (other values are passed through as read).</summary>
    public ushort Operation { get; }

    /// <summary>Sender hardware address.</summary>
    public MacAddress SenderMac { get; }

    /// <summary>Sender protocol address (IPv4, big-endian numeric).</summary>
    public uint SenderIp { get; }

    /// <summary>Target hardware address.</summary>
    public MacAddress TargetMac { get; }

    /// <summary>Target protocol address (IPv4, big-endian numeric).</summary>
    public uint TargetIp { get; }

    /// <summary>Parses the ARP body (the Ethernet payload). Never throws.</summary>
    public static ParseStatus TryParse(ReadOnlySpan<byte> packet, out ArpPacket result)
    {
        result = default;
        if (packet.Length < Size)
        {
            return ParseStatus.Truncated;
        }

        if (BinaryPrimitives.ReadUInt16BigEndian(packet) != 1 || BinaryPrimitives.ReadUInt16BigEndian(packet.Slice(2)) != EtherTypes.Ipv4
            || packet[4] != 6 || packet[5] != 4)
        {
            return ParseStatus.Unsupported;
        }

        result = new ArpPacket(
            BinaryPrimitives.ReadUInt16BigEndian(packet.Slice(6)),
            MacAddress.Read(packet.Slice(8)),
            BinaryPrimitives.ReadUInt32BigEndian(packet.Slice(14)),
            MacAddress.Read(packet.Slice(18)),
            BinaryPrimitives.ReadUInt32BigEndian(packet.Slice(24)));
        return ParseStatus.Ok;
    }

    /// <summary>
    /// Writes an Ethernet/IPv4 ARP body of <see cref="Size"/> bytes into <paramref name="destination"/>. Used by the
    /// local ARP responder of layer-3 adapters.
    /// </summary>
    /// <exception cref="ArgumentException">The destination is shorter than <see cref="Size"/>.</exception>
    public static void Write(Span<byte> destination, ushort operation, MacAddress senderMac, uint senderIp, MacAddress targetMac, uint targetIp)
    {
        if (destination.Length < Size)
        {
            throw new ArgumentException($"An ARP packet needs {Size} bytes, got {destination.Length}.", nameof(destination));
        }

        BinaryPrimitives.WriteUInt16BigEndian(destination, 1);
        BinaryPrimitives.WriteUInt16BigEndian(destination.Slice(2), EtherTypes.Ipv4);
        destination[4] = 6;
        destination[5] = 4;
        BinaryPrimitives.WriteUInt16BigEndian(destination.Slice(6), operation);
        senderMac.WriteTo(destination.Slice(8));
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(14), senderIp);
        targetMac.WriteTo(destination.Slice(18));
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(24), targetIp);
    }
}
