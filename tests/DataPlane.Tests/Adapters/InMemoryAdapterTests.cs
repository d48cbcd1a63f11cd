using System.Buffers.Binary;
using ActorNet.DataPlane.Adapters;
using ActorNet.DataPlane.Frames;
using ActorNet.DataPlane.Tests.Frames;

namespace ActorNet.DataPlane.Tests.Adapters;

public sealed class InMemoryAdapterTests
{
    private static byte[] Frame(int length, byte fill = 0x5a)
    {
        var f = new byte[length];
        f.AsSpan().Fill(fill);
        ShmMacHeader.Write(f, FrameBuilder.MacB, FrameBuilder.MacA, EtherTypes.Ipv4);
        return f;
    }

    [Fact]
    public void TryWrite_OnOneEnd_IsReadOnTheOther()
    {
        var (a, b) = InMemoryAdapter.CreatePair(FrameBuilder.MacA, FrameBuilder.MacB);
        using var _a = a;
        using var _b = b;
        var sent = Frame(100);

        a.TryWrite(sent, FrameOffload.None).ShouldBeTrue();

        var buffer = new byte[1518];
        b.WaitReadable(0).ShouldBeTrue();
        b.Read(buffer, out var offload).ShouldBe(100);
        buffer.AsSpan(0, 100).ToArray().ShouldBe(sent);
        offload.IsNone.ShouldBeTrue();
        b.Read(buffer, out _).ShouldBe(0);
        a.Read(buffer, out _).ShouldBe(0);
        (a.Counters.FramesWritten, a.Counters.BytesWritten, b.Counters.FramesRead, b.Counters.BytesRead).ShouldBe((1L, 100L, 1L, 100L));
    }

    [Fact]
    public void Read_RuntOversizeAndForgedFramesFromOs_AreDroppedAndCounted()
    {
        var (a, b) = InMemoryAdapter.CreatePair(FrameBuilder.MacA, FrameBuilder.MacB, maxFrameSize: 200);
        using var _a = a;
        using var _b = b;
        var forged = Frame(60);
        forged[ShmMacHeader.ControlBitOffset] |= ShmMacHeader.ControlBitMask;
        a.InjectFromOs(new byte[10]);
        a.InjectFromOs(Frame(300));
        a.InjectFromOs(forged);
        a.InjectFromOs(Frame(150));
        a.InjectFromOs(Frame(90));

        var small = new byte[100];
        a.Read(small, out _).ShouldBe(90); // 150 does not fit the caller's buffer: oversize too

        (a.Counters.Runts, a.Counters.Oversize, a.Counters.Garbled, a.Counters.FramesRead).ShouldBe((1L, 2L, 1L, 1L));
    }

    [Fact]
    public void TryWrite_RuntOrTooLarge_IsRefusedAndCounted()
    {
        var (a, b) = InMemoryAdapter.CreatePair(FrameBuilder.MacA, FrameBuilder.MacB, maxFrameSize: 200);
        using var _a = a;
        using var _b = b;
        a.TryWrite(new byte[13], FrameOffload.None).ShouldBeFalse();
        a.TryWrite(Frame(201), FrameOffload.None).ShouldBeFalse();
        a.Counters.WriteDrops.ShouldBe(2);
        b.Pending.ShouldBe(0);
    }

    [Fact]
    public void TryWrite_QueueFull_DropsAndCounts()
    {
        var (a, b) = InMemoryAdapter.CreatePair(FrameBuilder.MacA, FrameBuilder.MacB, depth: 4);
        using var _a = a;
        using var _b = b;
        var f = Frame(64);
        for (int i = 0; i < 4; i++)
        {
            a.TryWrite(f, FrameOffload.None).ShouldBeTrue();
        }

        a.TryWrite(f, FrameOffload.None).ShouldBeFalse();
        a.Counters.WriteDrops.ShouldBe(1);
        b.Read(new byte[100], out _).ShouldBe(64);
        a.TryWrite(f, FrameOffload.None).ShouldBeTrue();
    }

    [Fact]
    public void ReadBatchAndWriteBatch_MoveFramesInOrder()
    {
        var (a, b) = InMemoryAdapter.CreatePair(FrameBuilder.MacA, FrameBuilder.MacB);
        using var _a = a;
        using var _b = b;
        const int Stride = 128;
        var outBuf = new byte[Stride * 5];
        var lengths = new int[5];
        for (int i = 0; i < 5; i++)
        {
            Frame(60 + i, (byte)i).CopyTo(outBuf, i * Stride);
            lengths[i] = 60 + i;
        }

        a.WriteBatch(outBuf, Stride, lengths, default).ShouldBe(5);

        var inBuf = new byte[Stride * 8];
        var got = new int[8];
        var offloads = new FrameOffload[8];
        b.ReadBatch(inBuf, Stride, got, offloads).ShouldBe(5);
        for (int i = 0; i < 5; i++)
        {
            got[i].ShouldBe(60 + i);
            inBuf[(i * Stride) + 59].ShouldBe((byte)i);
        }
    }

    [Fact]
    public void TryWrite_PartialChecksumToAdapterWithoutOffload_IsCompletedInSoftware()
    {
        var (a, b) = InMemoryAdapter.CreatePair(FrameBuilder.MacA, FrameBuilder.MacB);
        using var _a = a;
        using var _b = b;
        var (frame, offload, expected) = OffloadSamples.UdpWithPartialChecksum();

        a.TryWrite(frame, offload).ShouldBeTrue();

        var buffer = new byte[1518];
        int n = b.Read(buffer, out var got);
        got.IsNone.ShouldBeTrue();
        BinaryPrimitives.ReadUInt16BigEndian(buffer.AsSpan(offload.ChecksumStart + offload.ChecksumOffset)).ShouldBe(expected);
        n.ShouldBe(frame.Length);
    }

    [Fact]
    public void TryWrite_TcpSuperFrameToAdapterWithoutOffload_IsSegmentedInSoftware()
    {
        var (a, b) = InMemoryAdapter.CreatePair(FrameBuilder.MacA, FrameBuilder.MacB, maxFrameSize: 1518, depth: 64);
        using var _a = a;
        using var _b = b;
        var data = new byte[20_000];
        new Random(1).NextBytes(data);
        var super = SoftwareSegmentationTests.TcpSuperFrame(data, v6: false);
        var gso = new FrameOffload(FrameOffload.FlagNeedsChecksum, (byte)GsoKind.TcpV4, 66, 1448, 34, 16);

        a.TryWrite(super, gso).ShouldBeTrue();

        a.Counters.FramesWritten.ShouldBe(14);
        var buffer = new byte[1518];
        int total = 0;
        int n;
        while ((n = b.Read(buffer, out var offload)) > 0)
        {
            offload.IsNone.ShouldBeTrue();
            n.ShouldBeLessThanOrEqualTo(1514);
            FrameCracker.TryCrack(buffer.AsSpan(0, n), out var t).ShouldBe(ParseStatus.Ok);
            t.DestinationPort.ShouldBe((ushort)5201);
            total += n - 14 - 20 - 32;
        }

        total.ShouldBe(data.Length);
    }

    [Fact]
    public void TryWrite_UfoSuperFrameToAdapterWithoutOffload_IsDroppedAsUnsupported()
    {
        var (a, b) = InMemoryAdapter.CreatePair(FrameBuilder.MacA, FrameBuilder.MacB);
        using var _a = a;
        using var _b = b;
        var (frame, _, _) = OffloadSamples.UdpWithPartialChecksum();
        var ufo = new FrameOffload(0, (byte)GsoKind.Udp, 0, 8, 0, 0);

        a.TryWrite(frame, ufo).ShouldBeFalse();
        a.Counters.OffloadUnsupported.ShouldBe(1);
        b.Pending.ShouldBe(0);
    }

    [Fact]
    public void TryWrite_WithOffloadSupport_CarriesMetadataUnchanged()
    {
        var (a, b) = InMemoryAdapter.CreatePair(FrameBuilder.MacA, FrameBuilder.MacB, supportsOffload: true);
        using var _a = a;
        using var _b = b;
        var (frame, offload, _) = OffloadSamples.UdpWithPartialChecksum();
        a.TryWrite(frame, offload).ShouldBeTrue();
        b.Read(new byte[1518], out var got).ShouldBe(frame.Length);
        got.ShouldBe(offload);
    }

    [Fact]
    public async Task WaitReadable_BlocksUntilPeerWrites()
    {
        var (a, b) = InMemoryAdapter.CreatePair(FrameBuilder.MacA, FrameBuilder.MacB);
        using var _a = a;
        using var _b = b;
        b.WaitReadable(10).ShouldBeFalse();
        var waiter = Task.Run(() => b.WaitReadable(10_000));
        await Task.Delay(50);
        a.TryWrite(Frame(60), FrameOffload.None);
        (await waiter).ShouldBeTrue();
    }

    [Fact]
    public void ReadAndWrite_SteadyState_DoNotAllocate()
    {
        var (a, b) = InMemoryAdapter.CreatePair(FrameBuilder.MacA, FrameBuilder.MacB);
        using var _a = a;
        using var _b = b;
        var f = Frame(1000);
        var buffer = new byte[1518];
        a.TryWrite(f, FrameOffload.None);
        b.Read(buffer, out _);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            a.TryWrite(f, FrameOffload.None);
            b.Read(buffer, out _);
        }

        (GC.GetAllocatedBytesForCurrentThread() - before).ShouldBe(0);
    }
}

internal static class OffloadSamples
{
    /// <summary>
    /// A UDP/IPv4 frame whose checksum field holds only the pseudo-header sum (as the kernel leaves it with
    /// CHECKSUM_PARTIAL), the offload describing it, and the correct final checksum.
    /// </summary>
    public static (byte[] Frame, FrameOffload Offload, ushort Expected) UdpWithPartialChecksum()
    {
        const uint Src = 0x0afa0101, Dst = 0x0afa0102;
        var udp = FrameBuilder.Udp(1234, 5678, "offload me!"u8);
        var frame = FrameBuilder.Ethernet(FrameBuilder.MacB, FrameBuilder.MacA, EtherTypes.Ipv4, FrameBuilder.Ipv4(Src, Dst, IpProtocols.Udp, udp));
        Span<byte> pseudo = stackalloc byte[12];
        BinaryPrimitives.WriteUInt32BigEndian(pseudo, Src);
        BinaryPrimitives.WriteUInt32BigEndian(pseudo.Slice(4), Dst);
        pseudo[9] = IpProtocols.Udp;
        BinaryPrimitives.WriteUInt16BigEndian(pseudo.Slice(10), (ushort)udp.Length);
        uint pseudoSum = InternetChecksum.Add(0, pseudo);
        ushort expected = InternetChecksum.Finish(InternetChecksum.Add(pseudoSum, udp));
        // Partial: the field holds the folded (not complemented) pseudo-header sum.
        ushort partial = (ushort)~InternetChecksum.Finish(pseudoSum);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(14 + 20 + 6), partial);
        return (frame, new FrameOffload(FrameOffload.FlagNeedsChecksum, 0, 0, 0, 34, 6), expected);
    }
}
