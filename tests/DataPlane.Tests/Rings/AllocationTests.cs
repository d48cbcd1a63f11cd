using ActorNet.DataPlane.Abi;
using ActorNet.DataPlane.Notification;
using ActorNet.DataPlane.Rings;
using ActorNet.DataPlane.Segments;
using ActorNet.DataPlane.Tests.Support;
using ActorNet.DataPlane.ZeroCopy;

namespace ActorNet.DataPlane.Tests.Rings;

/// <summary>The per-frame paths allocate nothing (BenchmarkDotNet shows the same as 0 B; this is the deterministic check).</summary>
public sealed class AllocationTests : IDisposable
{
    private readonly ShmDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private struct Sink : IFrameHandler, IMessageHandler
    {
        public long Bytes;

        public void OnFrame(ReadOnlySpan<byte> frame, SlotFlags flags) => Bytes += frame.Length;

        public void OnMessage(in ZeroCopyMessage message) => Bytes += message.TotalLength;
    }

    [Fact]
    public void SendAndReceive_AllRingKinds_AllocateZeroBytes()
    {
        using var seg = SharedSegment.Create(_dir.Node(1), 1, 1, new SegmentLayout().AddSpscRing(2, 64, 1514).AddBroadcastRing(64, 1514));
        using var zs = SharedSegment.Create(_dir.Node(2), 2, 1, new SegmentLayout().AddZeroCopySenderRegions(3, 64, 2048));
        using var zr = SharedSegment.Create(_dir.Node(3), 3, 1, new SegmentLayout().AddZeroCopyReceiverRegions(2, 64));
        var tx = new SpscSender(seg, 2, NotificationMode.Interrupt);
        var rx = new SpscReceiver(seg, 2);
        var bw = new BroadcastWriter(seg);
        var br = new BroadcastReader(seg);
        var zsend = new ZeroCopySender(zs, zr, NotificationMode.Polling);
        var zrecv = new ZeroCopyReceiver(zr, zs);
        var frame = new byte[1514];
        var buffer = new byte[1514];
        var sink = default(Sink);

        void Round()
        {
            tx.Send(frame);
            rx.Drain(ref sink, 8);
            rx.TryRead(buffer, out _, out _);
            bw.TryWrite(frame, SlotFlags.None, TimeSpan.FromSeconds(1));
            br.TryRead(buffer, out _, out _);
            zsend.TryWrite(frame);
            zsend.Publish();
            zrecv.Drain(ref sink, 8);
            zsend.Reclaim();
        }

        for (int i = 0; i < 1000; i++)
        {
            Round(); // warm up (JIT, tiering)
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++)
        {
            Round();
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        allocated.ShouldBe(0);
        sink.Bytes.ShouldBeGreaterThan(0);
    }
}
