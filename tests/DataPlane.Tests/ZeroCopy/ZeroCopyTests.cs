using System.Runtime.InteropServices;
using ActorNet.DataPlane.Abi;
using ActorNet.DataPlane.Notification;
using ActorNet.DataPlane.Segments;
using ActorNet.DataPlane.Tests.Support;
using ActorNet.DataPlane.ZeroCopy;

namespace ActorNet.DataPlane.Tests.ZeroCopy;

public sealed unsafe class ZeroCopyTests : IDisposable
{
    private const int BufferSize = 256;
    private const int Buffers = 64;
    private readonly ShmDirectory _dir = new();
    private readonly SharedSegment _sender;
    private readonly SharedSegment _receiver;

    public ZeroCopyTests()
    {
        _sender = SharedSegment.Create(_dir.Node(1), 1, 1, new SegmentLayout().AddZeroCopySenderRegions(2, Buffers, BufferSize));
        _receiver = SharedSegment.Create(_dir.Node(2), 2, 1, new SegmentLayout().AddZeroCopyReceiverRegions(1, 16));
    }

    public void Dispose()
    {
        _sender.Dispose();
        _receiver.Dispose();
        _dir.Dispose();
    }

    private struct Collect : IMessageHandler
    {
        public List<byte[]> Messages;
        public List<int> SegmentCounts;

        public void OnMessage(in ZeroCopyMessage message)
        {
            var copy = new byte[message.TotalLength];
            message.CopyTo(copy);
            Messages.Add(copy);
            SegmentCounts.Add(message.SegmentCount);
        }
    }

    private static Collect NewCollect() => new() { Messages = [], SegmentCounts = [] };

    private static byte[] Pattern(int length, int seed) => Enumerable.Range(0, length).Select(i => (byte)((i * 31) + seed)).ToArray();

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 1)]
    [InlineData(256, 1)]
    [InlineData(257, 2)]
    [InlineData(5000, 20)]
    public void Send_MessageOfAnySize_ArrivesAsChainWithSameContent(int length, int buffers)
    {
        var tx = new ZeroCopySender(_sender, _receiver, NotificationMode.Polling);
        var rx = new ZeroCopyReceiver(_receiver, _sender);
        var msg = Pattern(length, 3);
        tx.TryWrite(msg).ShouldBeTrue();
        tx.Publish();
        var c = NewCollect();
        rx.Drain(ref c, 10).ShouldBe(1);
        c.Messages[0].ShouldBe(msg);
        c.SegmentCounts[0].ShouldBe(buffers);
        tx.FreeBuffers.ShouldBe(Buffers - buffers);
        tx.Reclaim().ShouldBe(1);
        tx.FreeBuffers.ShouldBe(Buffers);
        tx.BadReturns.ShouldBe(0);
    }

    [Fact]
    public void Send_PoolExhausted_BackpressuresUntilBuffersReturn()
    {
        var tx = new ZeroCopySender(_sender, _receiver, NotificationMode.Polling);
        var rx = new ZeroCopyReceiver(_receiver, _sender);
        int sent = 0;
        while (tx.TryWrite(Pattern(BufferSize * 8, sent)))
        {
            sent++;
        }

        tx.Publish();
        sent.ShouldBe(Buffers / 8);
        var c = NewCollect();
        rx.Drain(ref c, 100).ShouldBe(sent);
        tx.TryWrite(Pattern(BufferSize * 8, 99)).ShouldBeTrue(); // reclaims on demand
        for (int i = 0; i < sent; i++)
        {
            c.Messages[i].ShouldBe(Pattern(BufferSize * 8, i));
        }
    }

    [Fact]
    public void Send_LongerThanChainCap_Throws()
    {
        using var dir = new ShmDirectory();
        using var s = SharedSegment.Create(dir.Node(1), 1, 1, new SegmentLayout().AddZeroCopySenderRegions(2, 200, 64));
        using var r = SharedSegment.Create(dir.Node(2), 2, 1, new SegmentLayout().AddZeroCopyReceiverRegions(1, 16));
        var tx = new ZeroCopySender(s, r, NotificationMode.Polling);
        Should.Throw<ArgumentOutOfRangeException>(() => tx.TryWrite(new byte[(64 * ShmLayout.MaxChainLength) + 1]));
    }

    private Descriptor* QueuedDescriptor()
    {
        var (ring, _) = _receiver.FindRegion(RegionKind.Descriptor, 1);
        return (Descriptor*)((byte*)ring + ShmLayout.RingControlBlockSize + ShmLayout.SlotHeaderSize);
    }

    private BufferHeader* Buffer(ulong segmentOffset) => (BufferHeader*)(_sender.Base + segmentOffset);

    public static TheoryData<string> Corruptions => ["offset-outside", "offset-misaligned", "self-loop", "length-too-big", "count-mismatch", "total-mismatch", "wrong-segment", "count-over-cap"];

    [Theory]
    [MemberData(nameof(Corruptions))]
    public void Drain_CorruptDescriptorOrChain_IsCountedNotDelivered(string corruption)
    {
        var tx = new ZeroCopySender(_sender, _receiver, NotificationMode.Polling);
        var rx = new ZeroCopyReceiver(_receiver, _sender);
        tx.TryWrite(Pattern(600, 1)).ShouldBeTrue(); // 3 buffers
        tx.Publish();
        var d = QueuedDescriptor();
        switch (corruption)
        {
            case "offset-outside": d->Offset = (ulong)_sender.Size + 4096; break;
            case "offset-misaligned": d->Offset += 8; break;
            case "self-loop": Buffer(d->Offset)->Next = d->Offset; d->BufferCount = 64; d->TotalLength = 64 * 256; break;
            case "length-too-big": Buffer(d->Offset)->Length = 100_000; break;
            case "count-mismatch": d->BufferCount = 2; break;
            case "total-mismatch": d->TotalLength = 601; break;
            case "wrong-segment": d->SegmentNodeId = 9; break;
            case "count-over-cap": d->BufferCount = 1000; break;
        }

        var c = NewCollect();
        rx.Drain(ref c, 10).ShouldBe(1);
        c.Messages.Count.ShouldBe(0);
        rx.Corrupt.ShouldBe(1);
        tx.Reclaim(); // the corrupted descriptor comes back; the sender re-validates and must not crash
        tx.FreeBuffers.ShouldBeLessThanOrEqualTo(Buffers);
    }

    [Fact]
    public void Reclaim_DuplicateOrForgedReturn_IsIgnoredAndCounted()
    {
        var tx = new ZeroCopySender(_sender, _receiver, NotificationMode.Polling);
        var forger = new ActorNet.DataPlane.Rings.SpscSender(_sender, 2, NotificationMode.Polling, ActorNet.DataPlane.Rings.FullPolicy.Backpressure, RegionKind.Return);
        var forged = new Descriptor { SegmentNodeId = 1, BufferCount = 1, TotalLength = 1, Offset = 4096 * 3 + 256 };
        var bytes = MemoryMarshal.AsBytes(new ReadOnlySpan<Descriptor>(in forged)).ToArray();
        forger.Send(bytes);
        forger.Send(bytes);
        tx.Reclaim().ShouldBe(2);
        tx.BadReturns.ShouldBe(2); // not in flight: never enters the free list twice
        tx.FreeBuffers.ShouldBe(Buffers);
    }
}
