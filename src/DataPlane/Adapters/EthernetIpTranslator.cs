using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using ActorNet.DataPlane.Frames;

namespace ActorNet.DataPlane.Adapters;

/// <summary>What <see cref="EthernetIpTranslator.Egress"/> produced.</summary>
public enum EgressResult : byte
{
    /// <summary>The IP packet, framed for its destination MAC.</summary>
    Frame = 0,

    /// <summary>The destination's MAC is unknown: an ARP request was produced instead and the packet dropped.</summary>
    ArpRequest,

    /// <summary>Nothing to send (malformed packet, unresolvable IPv6 neighbour, too large); counted.</summary>
    Dropped,
}

/// <summary>What <see cref="EthernetIpTranslator.Ingress"/> found in a frame from the network.</summary>
public enum IngressResult : byte
{
    /// <summary>An IP packet for this node: hand the given slice to the OS.</summary>
    Deliver = 0,

    /// <summary>An ARP request for this node's address: send the produced reply back on the network.</summary>
    Reply,

    /// <summary>Handled locally (ARP reply or request learnt from); nothing to deliver.</summary>
    Consumed,

    /// <summary>Not for this node (another unicast MAC, another ARP target, other EtherType).</summary>
    Ignored,

    /// <summary>Unparseable; counted.</summary>
    Malformed,
}

/// <summary>
/// Synthesises Ethernet for a layer-3 adapter (Wintun carries bare IP packets): the shared-memory networks carry
/// Ethernet frames routed by destination MAC, so this class plays the part of the OS's ARP layer for the adapter.
/// </summary>
/// <remarks>
/// Outbound (OS → network, <see cref="Egress"/>): the destination MAC is ff:ff:ff:ff:ff:ff for limited and subnet
/// broadcast, 01:00:5e + low 23 bits for IPv4 multicast, 33:33 + low 32 bits for IPv6 multicast, and otherwise
/// the MAC learnt for the destination IP (every on-link destination; there is no gateway on a shared-memory
/// network). An unknown IPv4 destination produces an ARP request instead and the packet is dropped (the sender's
/// transport retransmits, as after any ARP miss with a full queue). IPv6 neighbour discovery is not synthesised: an
/// unlearnt IPv6 unicast destination is dropped and counted.
/// Inbound (network → OS, <see cref="Ingress"/>): ARP requests for our address are answered locally with our MAC;
/// ARP packets and IP packets teach the sender's IP → MAC; IP packets to our MAC, broadcast or multicast are
/// delivered without their Ethernet header (trimmed to the IP length, so padding never reaches the OS).
/// Threading: Egress runs on the thread reading the adapter, Ingress on the thread writing it. The neighbour table
/// has one writer (Ingress) and lock-free readers (a per-entry sequence lock). No allocation per packet.
/// </remarks>
public sealed class EthernetIpTranslator
{
    private readonly uint _ip;
    private readonly uint _mask;
    private readonly Neighbour[] _neighbours;
    private long _droppedUnresolved;   // written by the egress thread
    private long _droppedMalformed;    // written by either thread for its own direction; read for status only
    private long _arpRequestsSent;     // written by the egress thread
    private long _arpRepliesSent;      // written by the ingress thread

    /// <summary>Creates a translator for an adapter with <paramref name="mac"/> and IPv4 <paramref name="address"/>/<paramref name="prefixLength"/>.</summary>
    public EthernetIpTranslator(MacAddress mac, IPAddress address, int prefixLength, int neighbourCapacity = 256)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily != AddressFamily.InterNetwork || prefixLength is < 1 or > 32)
        {
            throw new ArgumentException($"{address}/{prefixLength} is not an IPv4 address with a prefix length of 1..32.", nameof(address));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(neighbourCapacity, 8);
        Mac = mac;
        _ip = BinaryPrimitives.ReadUInt32BigEndian(address.GetAddressBytes());
        _mask = uint.MaxValue << (32 - prefixLength);
        _neighbours = new Neighbour[neighbourCapacity];
    }

    /// <summary>The MAC the adapter answers ARP with and sends from.</summary>
    public MacAddress Mac { get; }

    /// <summary>IP packets dropped because the destination MAC was unknown.</summary>
    public long DroppedUnresolved => Volatile.Read(ref _droppedUnresolved);

    /// <summary>Packets or frames dropped as malformed.</summary>
    public long DroppedMalformed => Volatile.Read(ref _droppedMalformed);

    /// <summary>ARP requests produced for unknown destinations.</summary>
    public long ArpRequestsSent => Volatile.Read(ref _arpRequestsSent);

    /// <summary>ARP replies produced for requests for our address.</summary>
    public long ArpRepliesSent => Volatile.Read(ref _arpRepliesSent);

    /// <summary>
    /// Frames an IP packet from the OS into <paramref name="frame"/>; returns the frame length (0 when dropped) and
    /// what it is. <paramref name="frame"/> must hold the packet plus 14 bytes (or 42 for an ARP request).
    /// </summary>
    public int Egress(ReadOnlySpan<byte> ipPacket, Span<byte> frame, out EgressResult result)
    {
        result = EgressResult.Dropped;
        if (ipPacket.Length < 1 || frame.Length < ipPacket.Length + ShmMacHeader.Size)
        {
            _droppedMalformed++;
            return 0;
        }

        MacAddress destination;
        ushort etherType;
        switch (ipPacket[0] >> 4)
        {
            case 4:
            {
                if (Ipv4Packet.TryParse(ipPacket, out var ip, verifyChecksum: false) != ParseStatus.Ok)
                {
                    _droppedMalformed++;
                    return 0;
                }

                etherType = EtherTypes.Ipv4;
                uint dst = ip.Destination;
                if (dst == uint.MaxValue || ((dst & _mask) == (_ip & _mask) && (dst | _mask) == uint.MaxValue))
                {
                    destination = MacAddress.Broadcast;
                }
                else if ((dst >> 28) == 0xe)
                {
                    destination = new MacAddress(0x01005e000000UL | (dst & 0x7fffff));
                }
                else if (!TryResolve(new IpAddressValue(0, dst, false), out destination))
                {
                    if (frame.Length < ShmMacHeader.Size + ArpPacket.Size)
                    {
                        _droppedUnresolved++;
                        return 0;
                    }

                    ShmMacHeader.Write(frame, MacAddress.Broadcast, Mac, EtherTypes.Arp);
                    ArpPacket.Write(frame.Slice(ShmMacHeader.Size), ArpPacket.OperationRequest, Mac, _ip, MacAddress.Zero, dst);
                    _droppedUnresolved++;
                    _arpRequestsSent++;
                    result = EgressResult.ArpRequest;
                    return ShmMacHeader.Size + ArpPacket.Size;
                }

                break;
            }

            case 6:
            {
                if (Ipv6Packet.TryParse(ipPacket, out var ip) is not (ParseStatus.Ok or ParseStatus.Unsupported) || ipPacket.Length < Ipv6Packet.HeaderSize)
                {
                    _droppedMalformed++;
                    return 0;
                }

                etherType = EtherTypes.Ipv6;
                ulong hi = BinaryPrimitives.ReadUInt64BigEndian(ipPacket.Slice(24));
                ulong lo = BinaryPrimitives.ReadUInt64BigEndian(ipPacket.Slice(32));
                if ((hi >> 56) == 0xff)
                {
                    destination = new MacAddress(0x333300000000UL | (lo & 0xffffffff));
                }
                else if (!TryResolve(new IpAddressValue(hi, lo, true), out destination))
                {
                    _droppedUnresolved++;
                    return 0;
                }

                break;
            }

            default:
                _droppedMalformed++;
                return 0;
        }

        ShmMacHeader.Write(frame, destination, Mac, etherType);
        ipPacket.CopyTo(frame.Slice(ShmMacHeader.Size));
        result = EgressResult.Frame;
        return ShmMacHeader.Size + ipPacket.Length;
    }

    /// <summary>
    /// Handles a frame from the network. For <see cref="IngressResult.Deliver"/>, the IP packet is
    /// <paramref name="frame"/>[<paramref name="ipOffset"/> .. + <paramref name="ipLength"/>]. For
    /// <see cref="IngressResult.Reply"/>, an ARP reply of <paramref name="replyLength"/> bytes was written to
    /// <paramref name="reply"/> (at least 42 bytes) and must be sent back on the network.
    /// </summary>
    public IngressResult Ingress(ReadOnlySpan<byte> frame, out int ipOffset, out int ipLength, Span<byte> reply, out int replyLength)
    {
        ipOffset = 0;
        ipLength = 0;
        replyLength = 0;
        if (EthernetFrame.TryParse(frame, out var eth) != ParseStatus.Ok)
        {
            _droppedMalformed++;
            return IngressResult.Malformed;
        }

        bool forUs = eth.Destination == Mac || eth.Destination.IsGroup;
        int payloadOffset = frame.Length - eth.Payload.Length;
        switch (eth.EtherType)
        {
            case EtherTypes.Arp:
            {
                if (ArpPacket.TryParse(eth.Payload, out var arp) != ParseStatus.Ok)
                {
                    _droppedMalformed++;
                    return IngressResult.Malformed;
                }

                if (arp.SenderIp != 0 && !arp.SenderMac.IsGroup)
                {
                    Learn(new IpAddressValue(0, arp.SenderIp, false), arp.SenderMac);
                }

                if (arp.Operation == ArpPacket.OperationRequest && arp.TargetIp == _ip && reply.Length >= ShmMacHeader.Size + ArpPacket.Size)
                {
                    ShmMacHeader.Write(reply, arp.SenderMac, Mac, EtherTypes.Arp);
                    ArpPacket.Write(reply.Slice(ShmMacHeader.Size), ArpPacket.OperationReply, Mac, _ip, arp.SenderMac, arp.SenderIp);
                    replyLength = ShmMacHeader.Size + ArpPacket.Size;
                    _arpRepliesSent++;
                    return IngressResult.Reply;
                }

                return forUs ? IngressResult.Consumed : IngressResult.Ignored;
            }

            case EtherTypes.Ipv4 when forUs:
            {
                if (Ipv4Packet.TryParse(eth.Payload, out var ip, verifyChecksum: false) != ParseStatus.Ok)
                {
                    _droppedMalformed++;
                    return IngressResult.Malformed;
                }

                if (!eth.Source.IsGroup && (ip.Source & _mask) == (_ip & _mask))
                {
                    Learn(new IpAddressValue(0, ip.Source, false), eth.Source);
                }

                ipOffset = payloadOffset;
                ipLength = ip.TotalLength;
                return IngressResult.Deliver;
            }

            case EtherTypes.Ipv6 when forUs:
            {
                if (Ipv6Packet.TryParse(eth.Payload, out var ip) is not (ParseStatus.Ok or ParseStatus.Unsupported) || eth.Payload.Length < Ipv6Packet.HeaderSize)
                {
                    _droppedMalformed++;
                    return IngressResult.Malformed;
                }

                if (!eth.Source.IsGroup)
                {
                    Learn(new IpAddressValue(BinaryPrimitives.ReadUInt64BigEndian(eth.Payload.Slice(8)), BinaryPrimitives.ReadUInt64BigEndian(eth.Payload.Slice(16)), true), eth.Source);
                }

                ipOffset = payloadOffset;
                ipLength = Math.Min(Ipv6Packet.HeaderSize + BinaryPrimitives.ReadUInt16BigEndian(eth.Payload.Slice(4)), eth.Payload.Length);
                return IngressResult.Deliver;
            }

            default:
                return IngressResult.Ignored;
        }
    }

    /// <summary>The MAC learnt for <paramref name="address"/>, if any. Safe from any thread.</summary>
    public bool TryResolve(IpAddressValue address, out MacAddress mac)
    {
        ref var entry = ref _neighbours[Slot(address)];
        while (true)
        {
            int seq = Volatile.Read(ref entry.Sequence);
            if ((seq & 1) != 0)
            {
                continue; // writer mid-update
            }

            bool hit = entry.Address == address && entry.Mac != 0;
            ulong value = entry.Mac;
            Interlocked.MemoryBarrier();
            if (Volatile.Read(ref entry.Sequence) == seq)
            {
                mac = new MacAddress(value);
                return hit;
            }
        }
    }

    private void Learn(IpAddressValue address, MacAddress mac)
    {
        ref var entry = ref _neighbours[Slot(address)];
        if (entry.Address == address && entry.Mac == mac.Value)
        {
            return;
        }

        Volatile.Write(ref entry.Sequence, entry.Sequence + 1);
        Interlocked.MemoryBarrier();
        entry.Address = address;
        entry.Mac = mac.Value;
        Volatile.Write(ref entry.Sequence, entry.Sequence + 1);
    }

    private int Slot(IpAddressValue address)
    {
        ulong h = (address.High ^ (address.Low * 0x9E3779B97F4A7C15UL)) * 0x9E3779B97F4A7C15UL;
        return (int)((h >> 33) % (ulong)_neighbours.Length);
    }

    // A direct-mapped cache: a collision replaces the older neighbour, which is then re-learnt by ARP.
    private struct Neighbour
    {
        public int Sequence;            // odd while the ingress thread writes the entry
        public IpAddressValue Address;  // written by the ingress thread only
        public ulong Mac;               // written by the ingress thread only; 0 = empty
    }
}
