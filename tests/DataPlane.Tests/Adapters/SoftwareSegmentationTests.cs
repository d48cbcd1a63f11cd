using System.Buffers.Binary;
using ActorNet.DataPlane.Adapters;
using ActorNet.DataPlane.Frames;
using FsCheck;
using FsCheck.Fluent;
using static ActorNet.DataPlane.Tests.Frames.FrameBuilder;

namespace ActorNet.DataPlane.Tests.Adapters;

public sealed class SoftwareSegmentationTests
{
    private const uint Src = 0x0afa0101, Dst = 0x0afa0102;

    private static byte[] Payload(int n)
    {
        var p = new byte[n];
        new Random(n).NextBytes(p);
        return p;
    }

    internal static byte[] TcpSuperFrame(byte[] data, bool v6, byte flags = 0x99 /* CWR|ACK|PSH|FIN */)
    {
        var tcp = Tcp(40000, 5201, data, optionWords: 3);
        tcp[13] = flags;
        var ip = v6 ? Ipv6(0xfd00_0000_0000_0000, 1, 0xfd00_0000_0000_0000, 2, IpProtocols.Tcp, tcp) : Ipv4(Src, Dst, IpProtocols.Tcp, tcp);
        return Ethernet(MacB, MacA, v6 ? EtherTypes.Ipv6 : EtherTypes.Ipv4, ip);
    }

    private static List<byte[]> Cut(byte[] frame, FrameOffload offload)
    {
        SoftwareSegmentation.TryPlan(frame, offload, out var plan).ShouldBeTrue();
        var segments = new List<byte[]>();
        var buffer = new byte[10_000];
        for (int i = 0; i < plan.SegmentCount; i++)
        {
            int n = SoftwareSegmentation.WriteSegment(frame, plan, i, buffer);
            n.ShouldBeGreaterThan(0);
            segments.Add(buffer.AsSpan(0, n).ToArray());
        }

        return segments;
    }

    private static bool L4ChecksumVerifies(ReadOnlySpan<byte> l4, ReadOnlySpan<byte> pseudoAddresses, byte protocol)
    {
        uint sum = InternetChecksum.Add(0, pseudoAddresses) + protocol + (uint)l4.Length;
        return InternetChecksum.Finish(InternetChecksum.Add(sum, l4)) == 0;
    }

    [Theory]
    [InlineData(false, 10_000, 1448)]
    [InlineData(true, 10_000, 1428)]
    [InlineData(false, 1448, 1448)]
    [InlineData(false, 60_000, 8948)]
    public void WriteSegment_TcpSuperFrame_ProducesValidConsecutiveSegments(bool v6, int size, int mss)
    {
        var data = Payload(size);
        var frame = TcpSuperFrame(data, v6);
        var gso = new FrameOffload(FrameOffload.FlagNeedsChecksum, (byte)(v6 ? GsoKind.TcpV6 : GsoKind.TcpV4), 0, (ushort)mss, 0, 0);

        var segments = Cut(frame, gso);

        segments.Count.ShouldBe((size + mss - 1) / mss);
        var joined = new List<byte>();
        uint expectedSeq = 1000;
        for (int i = 0; i < segments.Count; i++)
        {
            var s = segments[i];
            EthernetFrame.TryParse(s, out var eth).ShouldBe(ParseStatus.Ok);
            ReadOnlySpan<byte> l4;
            if (v6)
            {
                Ipv6Packet.TryParse(eth.Payload, out var ip).ShouldBe(ParseStatus.Ok);
                l4 = ip.UpperPayload;
                L4ChecksumVerifies(l4, eth.Payload.Slice(8, 32), IpProtocols.Tcp).ShouldBeTrue($"segment {i} TCP checksum");
            }
            else
            {
                Ipv4Packet.TryParse(eth.Payload, out var ip).ShouldBe(ParseStatus.Ok, $"segment {i} IPv4 header");
                ip.Identification.ShouldBe((ushort)(0x1234 + i));
                l4 = ip.Payload;
                L4ChecksumVerifies(l4, eth.Payload.Slice(12, 8), IpProtocols.Tcp).ShouldBeTrue($"segment {i} TCP checksum");
            }

            TcpSegment.TryParse(l4, out var tcp).ShouldBe(ParseStatus.Ok);
            tcp.SequenceNumber.ShouldBe(expectedSeq);
            expectedSeq += (uint)tcp.Payload.Length;
            bool last = i == segments.Count - 1;
            (tcp.Flags & 0x01).ShouldBe(last ? 1 : 0);   // FIN only on the last
            (tcp.Flags & 0x08).ShouldBe(last ? 8 : 0);   // PSH only on the last
            (tcp.Flags & 0x80).ShouldBe(i == 0 ? 0x80 : 0); // CWR only on the first
            (tcp.Flags & 0x10).ShouldBe(0x10);
            joined.AddRange(tcp.Payload.ToArray());
        }

        joined.ToArray().ShouldBe(data);
    }

    [Fact]
    public void WriteSegment_UdpL4SuperFrame_EachDatagramHasItsLengthAndChecksum()
    {
        var data = Payload(5000);
        var frame = Ethernet(MacB, MacA, EtherTypes.Ipv4, Ipv4(Src, Dst, IpProtocols.Udp, Udp(1, 2, data)));
        var segments = Cut(frame, new FrameOffload(0, (byte)GsoKind.UdpL4, 0, 1400, 0, 0));

        segments.Count.ShouldBe(4);
        var joined = new List<byte>();
        foreach (var s in segments)
        {
            FrameCracker.TryCrack(s, out _).ShouldBe(ParseStatus.Ok);
            EthernetFrame.TryParse(s, out var eth);
            Ipv4Packet.TryParse(eth.Payload, out var ip).ShouldBe(ParseStatus.Ok);
            UdpDatagram.TryParse(ip.Payload, out var udp).ShouldBe(ParseStatus.Ok);
            L4ChecksumVerifies(ip.Payload, eth.Payload.Slice(12, 8), IpProtocols.Udp).ShouldBeTrue();
            joined.AddRange(udp.Payload.ToArray());
        }

        joined.ToArray().ShouldBe(data);
    }

    [Fact]
    public void TryPlan_UnsupportedKinds_ReturnFalse()
    {
        var frame = TcpSuperFrame(Payload(3000), v6: false);
        SoftwareSegmentation.TryPlan(frame, new FrameOffload(0, (byte)GsoKind.Udp, 0, 1400, 0, 0), out _).ShouldBeFalse();   // UFO
        SoftwareSegmentation.TryPlan(frame, new FrameOffload(0, (byte)GsoKind.TcpV6, 0, 1400, 0, 0), out _).ShouldBeFalse(); // family mismatch
        SoftwareSegmentation.TryPlan(frame, new FrameOffload(0, (byte)GsoKind.TcpV4, 0, 0, 0, 0), out _).ShouldBeFalse();    // no MSS
        SoftwareSegmentation.TryPlan(frame.AsSpan(0, 40), new FrameOffload(0, (byte)GsoKind.TcpV4, 0, 1400, 0, 0), out _).ShouldBeFalse();
    }

    [Fact]
    public void TryPlanAndWriteSegment_ArbitraryBytes_NeverThrowOrOverrun()
    {
        var output = new byte[1600];
        var gen = from bytes in ArbMap.Default.GeneratorFor<byte[]>()
                  from gso in Gen.Elements((byte)1, (byte)4, (byte)5)
                  from mss in Gen.Choose(1, 2000)
                  select (bytes, gso, mss);
        Prop.ForAll(gen.ToArbitrary(), c =>
        {
            var bytes = c.bytes ?? [];
            var offload = new FrameOffload(0, c.gso, 0, (ushort)c.mss, 0, 0);
            if (!SoftwareSegmentation.TryPlan(bytes, offload, out var plan))
            {
                return true;
            }

            for (int i = 0; i < Math.Min(plan.SegmentCount, 50); i++)
            {
                _ = SoftwareSegmentation.WriteSegment(bytes, plan, i, output);
            }

            return true;
        }).QuickCheckThrowOnFailure();
    }
}
