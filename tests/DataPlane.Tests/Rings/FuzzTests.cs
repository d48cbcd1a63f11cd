using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ActorNet.DataPlane.Abi;
using ActorNet.DataPlane.Notification;
using ActorNet.DataPlane.Rings;
using ActorNet.DataPlane.Segments;
using ActorNet.DataPlane.Tests.Support;
using ActorNet.DataPlane.ZeroCopy;

namespace ActorNet.DataPlane.Tests.Rings;

/// <summary>Random bytes over everything a peer can write must never crash a reader, make it read outside the segment, or hang it.</summary>
public sealed unsafe class FuzzTests : IDisposable
{
    private const int Rounds = 300;
    private readonly ShmDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private struct BoundsCheck : IFrameHandler, IMessageHandler
    {
        public nint Low;
        public nint High;
        public long Frames;
        public long OutOfBounds;

        private void Check(ReadOnlySpan<byte> s)
        {
            nint p = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetReference(s));
            if (s.Length > 0 && (p < Low || p + s.Length > High))
            {
                OutOfBounds++;
            }

            // Touch every byte: a wild span would fault here.
            int sum = 0;
            foreach (byte b in s)
            {
                sum += b;
            }

            Frames += sum >= 0 ? 1 : 0;
        }

        public void OnFrame(ReadOnlySpan<byte> frame, SlotFlags flags) => Check(frame);

        public void OnMessage(in ZeroCopyMessage message)
        {
            for (int i = 0; i < message.SegmentCount; i++)
            {
                Check(message.Segment(i));
            }
        }
    }

    private static void Scribble(Random rng, byte* p, int length, int writes)
    {
        for (int i = 0; i < writes; i++)
        {
            int at = rng.Next(length);
            int n = Math.Min(rng.Next(1, 9), length - at);
            rng.NextBytes(new Span<byte>(p + at, n));
        }
    }

    [Fact]
    public void SpscReceiver_RandomBytesOverControlBlockAndSlots_NeverCrashesLeaksOrHangs()
    {
        using var seg = SharedSegment.Create(_dir.Node(1), 1, 1, new SegmentLayout().AddSpscRing(2, 16, 1500));
        var (ring, size) = seg.FindRegion(RegionKind.Spsc, 2);
        var tx = new SpscSender(seg, 2, NotificationMode.Interrupt);
        var rx = new SpscReceiver(seg, 2);
        var h = new BoundsCheck { Low = ring, High = ring + (nint)size };
        var rng = new Random(1234);
        var sw = Stopwatch.StartNew();
        for (int round = 0; round < Rounds; round++)
        {
            tx.Send(new byte[rng.Next(0, 1500)]);
            Scribble(rng, (byte*)ring, ShmLayout.RingControlBlockSize, 4);
            Scribble(rng, (byte*)ring + ShmLayout.RingControlBlockSize, (int)size - ShmLayout.RingControlBlockSize, 8);
            rx.Drain(ref h, 64);
            rx.Available();
            rx.WaitForFrames(NotificationMode.Adaptive, TimeSpan.FromMilliseconds(1), spinIterations: 10);
        }

        h.OutOfBounds.ShouldBe(0);
        (rx.Counters.CorruptIndex + rx.Counters.CorruptSlots).ShouldBeGreaterThan(0);
        sw.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(30)); // bounded: no call may spin forever
    }

    [Fact]
    public void OpenRing_RandomControlBlock_EitherOpensOrThrowsFormatError()
    {
        var rng = new Random(99);
        for (int round = 0; round < 100; round++)
        {
            string path = Path.Combine(_dir.Path, "r" + round);
            using var seg = SharedSegment.Create(path, 1, 1, new SegmentLayout().AddSpscRing(2, 8, 1500));
            var (ring, size) = seg.FindRegion(RegionKind.Spsc, 2);
            Scribble(rng, (byte*)ring, 40, 3); // geometry fields
            try
            {
                var rx = new SpscReceiver(seg, 2);
                var h = new BoundsCheck { Low = ring, High = ring + (nint)size };
                rx.Drain(ref h, 16);
                h.OutOfBounds.ShouldBe(0);
            }
            catch (SegmentFormatException)
            {
            }
        }
    }

    [Fact]
    public void BroadcastReader_RandomBytesOverControlBlockAndSlots_NeverCrashesOrHangs()
    {
        using var seg = SharedSegment.Create(_dir.Node(1), 1, 1, new SegmentLayout().AddBroadcastRing(16, 1500));
        var (ring, size) = seg.FindRegion(RegionKind.Broadcast, 0);
        var w = new BroadcastWriter(seg);
        var r = new BroadcastReader(seg);
        var buf = new byte[1500];
        var rng = new Random(77);
        var sw = Stopwatch.StartNew();
        for (int round = 0; round < Rounds; round++)
        {
            var rcb = (RingControlBlock*)ring;
            rcb->ClaimWord = 0; // fuzzing the claim is covered by the lease; keep the writer going
            w.TryWrite(new byte[rng.Next(0, 1500)], SlotFlags.None, TimeSpan.FromMilliseconds(300));
            Scribble(rng, (byte*)ring, ShmLayout.RingControlBlockSize, 3);
            Scribble(rng, (byte*)ring + ShmLayout.RingControlBlockSize, (int)size - ShmLayout.RingControlBlockSize, 6);
            for (int i = 0; i < 4; i++)
            {
                if (r.TryRead(buf, out int len, out _))
                {
                    len.ShouldBeInRange(0, 1500);
                }
            }
        }

        sw.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(60));
    }

    [Fact]
    public void ZeroCopyReceiver_RandomBytesOverDescriptorsAndBufferHeaders_NeverCrashesOrLeaksOutsidePool()
    {
        using var s = SharedSegment.Create(_dir.Node(1), 1, 1, new SegmentLayout().AddZeroCopySenderRegions(2, 64, 256));
        using var r = SharedSegment.Create(_dir.Node(2), 2, 1, new SegmentLayout().AddZeroCopyReceiverRegions(1, 16));
        var tx = new ZeroCopySender(s, r, NotificationMode.Polling);
        var rx = new ZeroCopyReceiver(r, s);
        var (pool, poolSize) = s.FindRegion(RegionKind.BufferPool, 2);
        var (desc, descSize) = r.FindRegion(RegionKind.Descriptor, 1);
        var h = new BoundsCheck { Low = pool, High = pool + (nint)poolSize };
        var rng = new Random(5);
        for (int round = 0; round < Rounds; round++)
        {
            if (tx.TryWrite(new byte[rng.Next(0, 2000)]))
            {
                tx.Publish();
            }

            // Descriptor slots (not the control block, so the ring keeps moving) and the pool's buffer headers.
            Scribble(rng, (byte*)desc + ShmLayout.RingControlBlockSize, (int)descSize - ShmLayout.RingControlBlockSize, 4);
            Scribble(rng, (byte*)pool + ShmLayout.PoolHeaderSize, (int)poolSize - ShmLayout.PoolHeaderSize, 6);
            rx.Drain(ref h, 16);
            tx.Reclaim();
        }

        h.OutOfBounds.ShouldBe(0);
        rx.Corrupt.ShouldBeGreaterThan(0);
        tx.FreeBuffers.ShouldBeInRange(0, 64);
    }
}
