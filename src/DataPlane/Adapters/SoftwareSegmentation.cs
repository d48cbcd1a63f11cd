using System.Buffers.Binary;
using ActorNet.DataPlane.Frames;

namespace ActorNet.DataPlane.Adapters;

/// <summary>
/// Where the headers of a GSO super-frame are and how many segments it makes; computed once by
/// <see cref="SoftwareSegmentation.TryPlan"/> from the frame itself (the offload header's lengths are only hints).
/// </summary>
public readonly record struct SegmentationPlan(int L3Offset, int L4Offset, int HeaderLength, int PayloadLength, int SegmentSize, bool IsIpv6, byte Protocol)
{
    /// <summary>Number of segments the super-frame is cut into.</summary>
    public int SegmentCount => PayloadLength == 0 ? 1 : (PayloadLength + SegmentSize - 1) / SegmentSize;
}

/// <summary>
/// Software GSO: cuts a TCP (TSO) or UDP (USO) super-frame into MTU-sized frames with complete checksums, what the
/// kernel's <c>skb_segment</c> does, for adapters that cannot take super-frames (Wintun, the in-memory adapter, a
/// TAP without offloads). Pure and allocation-free: the caller provides one output buffer per segment.
/// Legacy UFO (IP fragmentation of UDP) is not supported.
/// </summary>
public static class SoftwareSegmentation
{
    /// <summary>
    /// Checks that <paramref name="frame"/> is a super-frame this class can cut (Ethernet, IPv4 without fragments or
    /// IPv6, TCP for TcpV4/TcpV6, UDP for UdpL4) and returns the plan. False for anything else.
    /// </summary>
    public static bool TryPlan(ReadOnlySpan<byte> frame, in FrameOffload offload, out SegmentationPlan plan)
    {
        plan = default;
        if (offload.GsoSize == 0 || EthernetFrame.TryParse(frame, out var eth) != ParseStatus.Ok)
        {
            return false;
        }

        int l3 = frame.Length - eth.Payload.Length;
        int l4;
        byte protocol;
        bool v6;
        switch (eth.EtherType)
        {
            case EtherTypes.Ipv4:
            {
                // A super-frame's total length may be stale; parse the header against the whole rest of the frame.
                if (eth.Payload.Length < Ipv4Packet.MinHeaderSize || eth.Payload[0] >> 4 != 4)
                {
                    return false;
                }

                int ihl = (eth.Payload[0] & 0x0f) * 4;
                if (ihl < Ipv4Packet.MinHeaderSize || ihl > eth.Payload.Length || (BinaryPrimitives.ReadUInt16BigEndian(eth.Payload.Slice(6)) & 0x3fff) != 0)
                {
                    return false;
                }

                protocol = eth.Payload[9];
                l4 = l3 + ihl;
                v6 = false;
                break;
            }

            case EtherTypes.Ipv6:
            {
                if (eth.Payload.Length < Ipv6Packet.HeaderSize || eth.Payload[0] >> 4 != 6 || eth.Payload[6] is not (IpProtocols.Tcp or IpProtocols.Udp))
                {
                    return false; // extension headers on super-frames are not handled
                }

                protocol = eth.Payload[6];
                l4 = l3 + Ipv6Packet.HeaderSize;
                v6 = true;
                break;
            }

            default:
                return false;
        }

        int l4Header;
        switch (offload.Gso)
        {
            case GsoKind.TcpV4 or GsoKind.TcpV6 when protocol == IpProtocols.Tcp && (offload.Gso == GsoKind.TcpV6) == v6:
                if (frame.Length < l4 + TcpSegment.MinHeaderSize)
                {
                    return false;
                }

                l4Header = (frame[l4 + 12] >> 4) * 4;
                if (l4Header < TcpSegment.MinHeaderSize)
                {
                    return false;
                }

                break;
            case GsoKind.UdpL4 when protocol == IpProtocols.Udp:
                l4Header = UdpDatagram.HeaderSize;
                break;
            default:
                return false;
        }

        int header = l4 + l4Header;
        if (header > frame.Length)
        {
            return false;
        }

        plan = new SegmentationPlan(l3, l4, header, frame.Length - header, offload.GsoSize, v6, protocol);
        return true;
    }

    /// <summary>
    /// Writes segment <paramref name="index"/> of <paramref name="plan"/> into <paramref name="output"/> and returns its
    /// length (0 when it does not fit). Headers are copied and fixed: IP lengths, IPv4 id and checksum, TCP sequence
    /// number and flags (FIN/PSH only on the last segment, CWR only on the first), and a full L4 checksum.
    /// </summary>
    public static int WriteSegment(ReadOnlySpan<byte> frame, in SegmentationPlan plan, int index, Span<byte> output)
    {
        int offset = index * plan.SegmentSize;
        int chunk = Math.Min(plan.SegmentSize, plan.PayloadLength - offset);
        if (index < 0 || chunk < 0 || (chunk == 0 && plan.PayloadLength != 0))
        {
            return 0;
        }

        int length = plan.HeaderLength + chunk;
        if (output.Length < length)
        {
            return 0;
        }

        frame.Slice(0, plan.HeaderLength).CopyTo(output);
        frame.Slice(plan.HeaderLength + offset, chunk).CopyTo(output.Slice(plan.HeaderLength));
        var segment = output.Slice(0, length);
        var ip = segment.Slice(plan.L3Offset);
        int l4Length = length - plan.L4Offset;
        if (plan.IsIpv6)
        {
            BinaryPrimitives.WriteUInt16BigEndian(ip.Slice(4), (ushort)(length - plan.L3Offset - Ipv6Packet.HeaderSize));
        }
        else
        {
            int ihl = plan.L4Offset - plan.L3Offset;
            BinaryPrimitives.WriteUInt16BigEndian(ip.Slice(2), (ushort)(length - plan.L3Offset));
            BinaryPrimitives.WriteUInt16BigEndian(ip.Slice(4), (ushort)(BinaryPrimitives.ReadUInt16BigEndian(ip.Slice(4)) + index));
            BinaryPrimitives.WriteUInt16BigEndian(ip.Slice(10), 0);
            BinaryPrimitives.WriteUInt16BigEndian(ip.Slice(10), InternetChecksum.Compute(ip.Slice(0, ihl)));
        }

        var l4 = segment.Slice(plan.L4Offset);
        int checksumField;
        if (plan.Protocol == IpProtocols.Tcp)
        {
            BinaryPrimitives.WriteUInt32BigEndian(l4.Slice(4), BinaryPrimitives.ReadUInt32BigEndian(l4.Slice(4)) + (uint)offset);
            bool last = offset + chunk >= plan.PayloadLength;
            if (!last)
            {
                l4[13] &= unchecked((byte)~0x09); // FIN, PSH
            }

            if (index != 0)
            {
                l4[13] &= unchecked((byte)~0x80); // CWR
            }

            checksumField = 16;
        }
        else
        {
            BinaryPrimitives.WriteUInt16BigEndian(l4.Slice(4), (ushort)l4Length);
            checksumField = 6;
        }

        BinaryPrimitives.WriteUInt16BigEndian(l4.Slice(checksumField), 0);
        uint sum = PseudoHeaderSum(ip, plan.IsIpv6, plan.Protocol, l4Length);
        ushort checksum = InternetChecksum.Finish(InternetChecksum.Add(sum, l4));
        if (checksum == 0 && plan.Protocol == IpProtocols.Udp)
        {
            checksum = 0xffff;
        }

        BinaryPrimitives.WriteUInt16BigEndian(l4.Slice(checksumField), checksum);
        return length;
    }

    private static uint PseudoHeaderSum(ReadOnlySpan<byte> ip, bool v6, byte protocol, int l4Length)
    {
        uint sum = v6 ? InternetChecksum.Add(0, ip.Slice(8, 32)) : InternetChecksum.Add(0, ip.Slice(12, 8));
        sum += protocol;
        sum += (uint)l4Length;
        return sum;
    }
}
