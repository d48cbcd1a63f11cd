using System.Buffers.Binary;
using System.Net;
using ActorNet.DataPlane.Adapters;
using ActorNet.DataPlane.Frames;
using FsCheck;
using FsCheck.Fluent;
using static ActorNet.DataPlane.Tests.Frames.FrameBuilder;

namespace ActorNet.DataPlane.Tests.Adapters;

public sealed class EthernetIpTranslatorTests
{
    private const uint Me = 0x0ac80001;    // 10.200.0.1
    private const uint Peer = 0x0ac80002;  // 10.200.0.2

    private static EthernetIpTranslator Translator() => new(MacA, IPAddress.Parse("10.200.0.1"), 24);

    private static byte[] UdpTo(uint dst) => Ipv4(Me, dst, IpProtocols.Udp, Udp(1, 2, "payload"u8));

    [Fact]
    public void Ingress_ArpRequestForOurAddress_ProducesReplyWithOurMac()
    {
        var t = Translator();
        var request = Ethernet(MacAddress.Broadcast, MacB, EtherTypes.Arp, Arp(ArpPacket.OperationRequest, MacB, Peer, MacAddress.Zero, Me));
        var reply = new byte[64];

        t.Ingress(request, out _, out _, reply, out int n).ShouldBe(IngressResult.Reply);

        EthernetFrame.TryParse(reply.AsSpan(0, n), out var eth).ShouldBe(ParseStatus.Ok);
        (eth.Destination, eth.Source, eth.EtherType).ShouldBe((MacB, MacA, EtherTypes.Arp));
        ArpPacket.TryParse(eth.Payload, out var arp).ShouldBe(ParseStatus.Ok);
        (arp.Operation, arp.SenderMac, arp.SenderIp, arp.TargetMac, arp.TargetIp).ShouldBe((ArpPacket.OperationReply, MacA, Me, MacB, Peer));
        t.ArpRepliesSent.ShouldBe(1);
    }

    [Fact]
    public void Ingress_ArpRequestForAnotherAddress_IsIgnoredButTeachesTheSender()
    {
        var t = Translator();
        var request = Ethernet(MacAddress.Broadcast, MacB, EtherTypes.Arp, Arp(ArpPacket.OperationRequest, MacB, Peer, MacAddress.Zero, 0x0ac80009));
        t.Ingress(request, out _, out _, new byte[64], out _).ShouldBe(IngressResult.Consumed);
        t.TryResolve(IpAddressValue.FromIpv4(Peer), out var mac).ShouldBeTrue();
        mac.ShouldBe(MacB);
    }

    [Fact]
    public void Egress_UnknownDestination_ProducesArpRequestThenFramesOnceReplyArrives()
    {
        var t = Translator();
        var frame = new byte[1600];

        int n = t.Egress(UdpTo(Peer), frame, out var result);
        result.ShouldBe(EgressResult.ArpRequest);
        EthernetFrame.TryParse(frame.AsSpan(0, n), out var eth).ShouldBe(ParseStatus.Ok);
        eth.Destination.ShouldBe(MacAddress.Broadcast);
        ArpPacket.TryParse(eth.Payload, out var arp).ShouldBe(ParseStatus.Ok);
        (arp.Operation, arp.TargetIp, arp.SenderIp).ShouldBe((ArpPacket.OperationRequest, Peer, Me));
        t.DroppedUnresolved.ShouldBe(1);

        var reply = Ethernet(MacA, MacB, EtherTypes.Arp, Arp(ArpPacket.OperationReply, MacB, Peer, MacA, Me));
        t.Ingress(reply, out _, out _, new byte[64], out _).ShouldBe(IngressResult.Consumed);

        var packet = UdpTo(Peer);
        n = t.Egress(packet, frame, out result);
        result.ShouldBe(EgressResult.Frame);
        EthernetFrame.TryParse(frame.AsSpan(0, n), out eth).ShouldBe(ParseStatus.Ok);
        (eth.Destination, eth.Source, eth.EtherType).ShouldBe((MacB, MacA, EtherTypes.Ipv4));
        eth.Payload.ToArray().ShouldBe(packet);
    }

    [Theory]
    [InlineData(0xffffffffu, "ff:ff:ff:ff:ff:ff")]
    [InlineData(0x0ac800ffu, "ff:ff:ff:ff:ff:ff")]
    [InlineData(0xe00000fbu, "01:00:5e:00:00:fb")]
    [InlineData(0xef818283u, "01:00:5e:01:82:83")]
    public void Egress_BroadcastAndMulticast_MapToGroupMacs(uint dst, string mac)
    {
        var frame = new byte[1600];
        Translator().Egress(UdpTo(dst), frame, out var result).ShouldBeGreaterThan(0);
        result.ShouldBe(EgressResult.Frame);
        MacAddress.Read(frame).ShouldBe(MacAddress.Parse(mac));
    }

    [Fact]
    public void Egress_Ipv6Multicast_MapsTo3333AndUnknownUnicastIsDropped()
    {
        var t = Translator();
        var frame = new byte[1600];
        var mcast = Ipv6(0xfe80_0000_0000_0000, 1, 0xff02_0000_0000_0000, 0x0000_0001_ff00_0002, IpProtocols.Udp, Udp(1, 2, default));
        t.Egress(mcast, frame, out var r1).ShouldBeGreaterThan(0);
        r1.ShouldBe(EgressResult.Frame);
        MacAddress.Read(frame).ShouldBe(MacAddress.Parse("33:33:ff:00:00:02"));

        var unicast = Ipv6(0xfd00_0000_0000_0000, 1, 0xfd00_0000_0000_0000, 2, IpProtocols.Udp, Udp(1, 2, default));
        t.Egress(unicast, frame, out var r2).ShouldBe(0);
        r2.ShouldBe(EgressResult.Dropped);
    }

    [Fact]
    public void Ingress_IpToUs_DeliversPacketWithoutPaddingAndLearnsSender()
    {
        var t = Translator();
        var packet = Ipv4(Peer, Me, IpProtocols.Icmp, new byte[8]);
        byte[] padded = [.. Ethernet(MacA, MacB, EtherTypes.Ipv4, packet), .. new byte[10]];

        t.Ingress(padded, out int offset, out int length, new byte[64], out _).ShouldBe(IngressResult.Deliver);

        padded.AsSpan(offset, length).ToArray().ShouldBe(packet);
        t.TryResolve(IpAddressValue.FromIpv4(Peer), out var mac).ShouldBeTrue();
        mac.ShouldBe(MacB);
    }

    [Fact]
    public void Ingress_IpToAnotherMac_IsIgnored()
    {
        var frame = Ethernet(MacAddress.ForNode(NetworkKind.Local, 9), MacB, EtherTypes.Ipv4, Ipv4(Peer, 0x0ac80009, IpProtocols.Icmp, new byte[8]));
        Translator().Ingress(frame, out _, out _, new byte[64], out _).ShouldBe(IngressResult.Ignored);
    }

    [Fact]
    public void IngressAndEgress_ArbitraryBytes_NeverThrow()
    {
        var t = Translator();
        var frame = new byte[70_000];
        var reply = new byte[64];
        Prop.ForAll<byte[]>(bytes =>
        {
            bytes ??= [];
            _ = t.Ingress(bytes, out int off, out int len, reply, out _);
            if (off < 0 || len < 0 || off + len > bytes.Length)
            {
                return false;
            }

            _ = t.Egress(bytes, frame, out _);
            return true;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Constructor_NonIpv4_Throws()
    {
        Should.Throw<ArgumentException>(() => new EthernetIpTranslator(MacA, IPAddress.IPv6Loopback, 64));
        Should.Throw<ArgumentException>(() => new EthernetIpTranslator(MacA, IPAddress.Loopback, 0));
    }

    [Fact]
    public void Ingress_Ipv6Unicast_TeachesNeighbourForLaterEgress()
    {
        var t = Translator();
        var inbound = Ipv6(0xfd00_0000_0000_0000, 2, 0xfd00_0000_0000_0000, 1, IpProtocols.Udp, Udp(1, 2, default));
        t.Ingress(Ethernet(MacA, MacB, EtherTypes.Ipv6, inbound), out _, out _, new byte[64], out _).ShouldBe(IngressResult.Deliver);

        var outbound = Ipv6(0xfd00_0000_0000_0000, 1, 0xfd00_0000_0000_0000, 2, IpProtocols.Udp, Udp(2, 1, default));
        var frame = new byte[200];
        t.Egress(outbound, frame, out var result).ShouldBeGreaterThan(0);
        result.ShouldBe(EgressResult.Frame);
        MacAddress.Read(frame).ShouldBe(MacB);
        BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(12)).ShouldBe(EtherTypes.Ipv6);
    }
}
