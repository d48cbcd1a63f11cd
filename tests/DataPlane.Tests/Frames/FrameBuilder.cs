using System.Buffers.Binary;
using ActorNet.DataPlane.Frames;

namespace ActorNet.DataPlane.Tests.Frames;

/// <summary>A tiny frame builder for tests: Ethernet (+VLAN) / ARP / IPv4 (+options, fragments) / IPv6 (+extension headers) / TCP / UDP.</summary>
internal static class FrameBuilder
{
    public static readonly MacAddress MacA = MacAddress.ForNode(NetworkKind.Local, 1);
    public static readonly MacAddress MacB = MacAddress.ForNode(NetworkKind.Local, 2);

    public static byte[] Ethernet(MacAddress dst, MacAddress src, ushort etherType, ReadOnlySpan<byte> payload, ushort? vlan = null)
    {
        int header = vlan is null ? 14 : 18;
        var frame = new byte[header + payload.Length];
        dst.WriteTo(frame);
        src.WriteTo(frame.AsSpan(6));
        if (vlan is { } id)
        {
            BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(12), EtherTypes.Vlan);
            BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(14), id);
            BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(16), etherType);
        }
        else
        {
            BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(12), etherType);
        }

        payload.CopyTo(frame.AsSpan(header));
        return frame;
    }

    public static byte[] Arp(ushort op, MacAddress senderMac, uint senderIp, MacAddress targetMac, uint targetIp)
    {
        var body = new byte[ArpPacket.Size];
        ArpPacket.Write(body, op, senderMac, senderIp, targetMac, targetIp);
        return body;
    }

    public static byte[] Tcp(ushort srcPort, ushort dstPort, ReadOnlySpan<byte> data, int optionWords = 0)
    {
        int header = 20 + optionWords * 4;
        var segment = new byte[header + data.Length];
        BinaryPrimitives.WriteUInt16BigEndian(segment, srcPort);
        BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(2), dstPort);
        BinaryPrimitives.WriteUInt32BigEndian(segment.AsSpan(4), 1000);
        segment[12] = (byte)((header / 4) << 4);
        segment[13] = 0x18;
        for (int i = 20; i < header; i++)
        {
            segment[i] = 1; // NOP options
        }

        data.CopyTo(segment.AsSpan(header));
        return segment;
    }

    public static byte[] Udp(ushort srcPort, ushort dstPort, ReadOnlySpan<byte> data)
    {
        var datagram = new byte[8 + data.Length];
        BinaryPrimitives.WriteUInt16BigEndian(datagram, srcPort);
        BinaryPrimitives.WriteUInt16BigEndian(datagram.AsSpan(2), dstPort);
        BinaryPrimitives.WriteUInt16BigEndian(datagram.AsSpan(4), (ushort)datagram.Length);
        data.CopyTo(datagram.AsSpan(8));
        return datagram;
    }

    /// <summary>IPv4 with a correct checksum; <paramref name="options"/> must be a multiple of 4 bytes.</summary>
    public static byte[] Ipv4(uint src, uint dst, byte protocol, ReadOnlySpan<byte> payload, ReadOnlySpan<byte> options = default, int fragmentOffset = 0, bool moreFragments = false)
    {
        int header = 20 + options.Length;
        var packet = new byte[header + payload.Length];
        packet[0] = (byte)(0x40 | (header / 4));
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)packet.Length);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(4), 0x1234);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(6), (ushort)((moreFragments ? 0x2000 : 0) | (fragmentOffset / 8)));
        packet[8] = 64;
        packet[9] = protocol;
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(12), src);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(16), dst);
        options.CopyTo(packet.AsSpan(20));
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(10), InternetChecksum.Compute(packet.AsSpan(0, header)));
        payload.CopyTo(packet.AsSpan(header));
        return packet;
    }

    /// <summary>An IPv6 extension header: next header, length in 8-byte units beyond the first, padded with zeros.</summary>
    public static byte[] Extension(byte next, int units) => [next, (byte)units, .. new byte[6 + units * 8]];

    /// <summary>A fragment extension header.</summary>
    public static byte[] FragmentHeader(byte next, int offset, bool more)
    {
        var h = new byte[8];
        h[0] = next;
        BinaryPrimitives.WriteUInt16BigEndian(h.AsSpan(2), (ushort)((offset & 0xfff8) | (more ? 1 : 0)));
        BinaryPrimitives.WriteUInt32BigEndian(h.AsSpan(4), 77);
        return h;
    }

    /// <summary>IPv6 whose first next-header is <paramref name="firstNext"/>; <paramref name="payload"/> includes any extension headers.</summary>
    public static byte[] Ipv6(ulong srcHi, ulong srcLo, ulong dstHi, ulong dstLo, byte firstNext, ReadOnlySpan<byte> payload)
    {
        var packet = new byte[40 + payload.Length];
        packet[0] = 0x60;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(4), (ushort)payload.Length);
        packet[6] = firstNext;
        packet[7] = 64;
        BinaryPrimitives.WriteUInt64BigEndian(packet.AsSpan(8), srcHi);
        BinaryPrimitives.WriteUInt64BigEndian(packet.AsSpan(16), srcLo);
        BinaryPrimitives.WriteUInt64BigEndian(packet.AsSpan(24), dstHi);
        BinaryPrimitives.WriteUInt64BigEndian(packet.AsSpan(32), dstLo);
        payload.CopyTo(packet.AsSpan(40));
        return packet;
    }
}
