using System.Globalization;
using ActorNet.DataPlane.Abi;
using ActorNet.DataPlane.Notification;
using ActorNet.DataPlane.Peer;
using ActorNet.DataPlane.Rings;
using ActorNet.DataPlane.Segments;
using ActorNet.DataPlane.Tests.Support;

namespace ActorNet.DataPlane.Tests.CrossProcess;

/// <summary>Real child processes writing into rings this process owns (and being killed -9 while doing it).</summary>
public sealed class CrossProcessTests : IDisposable
{
    private readonly ShmDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private struct Verifier : IFrameHandler
    {
        public ulong Expected;
        public long Frames;
        public long Torn;
        public long OutOfOrder;

        public void OnFrame(ReadOnlySpan<byte> frame, SlotFlags flags)
        {
            if (!TestFrames.Verify(frame, out ulong seq, out _) || frame.Length != TestFrames.LengthFor(seq, 256))
            {
                Torn++;
                return;
            }

            if (seq != Expected)
            {
                OutOfOrder++;
            }

            Expected = seq + 1;
            Frames++;
        }
    }

    private static void DrainUntil(SpscReceiver rx, ref Verifier v, long frames, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (v.Frames + v.Torn < frames)
        {
            if (rx.Drain(ref v, 256) == 0)
            {
                rx.WaitForFrames(NotificationMode.Adaptive, TimeSpan.FromMilliseconds(200));
                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException($"received {v.Frames} of {frames} frames");
                }
            }
        }
    }

    [Fact]
    public void SpscRing_MillionFramesFromChildProcess_NoLossDuplicateOrTornFrame()
    {
        const int Count = 1_000_000;
        using var seg = SharedSegment.Create(_dir.Node(1), 1, 1, new SegmentLayout().AddSpscRing(2, 1024, 1500));
        var rx = new SpscReceiver(seg, 2);
        using var child = new ChildProcess("spsc-write", _dir.Node(1), "2", Count.ToString(CultureInfo.InvariantCulture), "256", "Adaptive");
        var v = new Verifier();
        DrainUntil(rx, ref v, Count, TimeSpan.FromSeconds(60));
        child.WaitForLine("done", TimeSpan.FromSeconds(30)).ShouldBe("done " + Count);
        child.WaitForExit(TimeSpan.FromSeconds(10)).ShouldBe(0);
        rx.Drain(ref v, 256).ShouldBe(0); // nothing beyond the count
        v.Frames.ShouldBe(Count);
        v.Torn.ShouldBe(0);
        v.OutOfOrder.ShouldBe(0);
        rx.Counters.CorruptSlots.ShouldBe(0);
    }

    [Fact]
    public void SpscRing_WriterKilledMidStream_ReaderDetectsDeathAndContinuesWithNewWriter()
    {
        using var seg = SharedSegment.Create(_dir.Node(1), 1, 1, new SegmentLayout().AddSpscRing(2, 256, 1500));
        var rx = new SpscReceiver(seg, 2);
        var v = new Verifier();
        int pid;
        using (var writer = new ChildProcess("spsc-write", _dir.Node(1), "2", "-1", "256", "Adaptive", _dir.Node(2)))
        {
            pid = writer.Pid;
            writer.WaitForLine("started", TimeSpan.FromSeconds(30));
            DrainUntil(rx, ref v, 50_000, TimeSpan.FromSeconds(30));
            using var writerSegment = SharedSegment.Open(_dir.Node(2), 2);
            writerSegment.GetLiveness(TimeSpan.FromSeconds(2)).IsAlive.ShouldBeTrue();
            writerSegment.Incarnation.ShouldBe((ulong)pid);

            writer.Kill(); // SIGKILL mid-stream
            while (rx.Drain(ref v, 256) > 0)
            {
            }

            var live = writerSegment.GetLiveness(TimeSpan.FromSeconds(2));
            live.ProcessAlive.ShouldBeFalse();
            live.IsAlive.ShouldBeFalse();
            SharedSegment.Inspect(_dir.Node(2), TimeSpan.FromSeconds(2)).Reclaimable.ShouldBeTrue();
        }

        v.Torn.ShouldBe(0);
        v.OutOfOrder.ShouldBe(0);
        long before = v.Frames;

        // A new incarnation of the writer attaches to the same ring and the reader goes on.
        SharedSegment.Remove(_dir.Node(2));
        using var again = new ChildProcess("spsc-write", _dir.Node(1), "2", "5000", "256", "Adaptive", _dir.Node(2));
        v.Expected = 0; // the new writer numbers its frames from 0
        DrainUntil(rx, ref v, before + 5000, TimeSpan.FromSeconds(30));
        again.WaitForExit(TimeSpan.FromSeconds(30)).ShouldBe(0);
        v.Frames.ShouldBe(before + 5000);
        v.Torn.ShouldBe(0);
        v.OutOfOrder.ShouldBe(0);
    }

    [Fact]
    public void BroadcastRing_WriterKilledHoldingTheClaim_OthersContinueWithinTheLease()
    {
        using var seg = SharedSegment.Create(_dir.Node(1), 1, 1, new SegmentLayout().AddBroadcastRing(64, 1500));
        var reader = new BroadcastReader(seg);
        using (var holder = new ChildProcess("bcast-hold", _dir.Node(1)))
        {
            holder.WaitForLine("holding", TimeSpan.FromSeconds(30));
            holder.Kill();
        }

        var buf = new byte[1500];
        reader.TryRead(buf, out _, out _).ShouldBeFalse(); // the half-written frame is not delivered

        var w = new BroadcastWriter(seg);
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var frame = new byte[64];
        TestFrames.Fill(frame, 0, 8);
        w.TryWrite(frame, SlotFlags.None, TimeSpan.FromMilliseconds(w.LeaseMilliseconds * 3)).ShouldBeTrue();
        w.Takeovers.ShouldBe(1); // the dead holder's claim was taken over
        sw.Elapsed.TotalMilliseconds.ShouldBeLessThan(w.LeaseMilliseconds * 3);

        // Two live writers (a child and this process) now share the ring; a reader sees only intact frames.
        const int PerWriter = 20_000;
        using var child = new ChildProcess("bcast-write", _dir.Node(1), PerWriter.ToString(CultureInfo.InvariantCulture), "7");
        var local = new Thread(() =>
        {
            var f = new byte[256];
            for (ulong i = 1; i <= PerWriter; i++)
            {
                int len = TestFrames.LengthFor(i, 256);
                TestFrames.Fill(f.AsSpan(0, len), i, 8);
                w.TryWrite(f.AsSpan(0, len), SlotFlags.None, TimeSpan.FromSeconds(5));
            }
        });
        local.Start();
        long torn = 0;
        var last = new Dictionary<uint, ulong>();
        long disorder = 0;
        bool finished = false;
        while (true)
        {
            if (reader.TryRead(buf, out int len, out _))
            {
                if (!TestFrames.Verify(buf.AsSpan(0, len), out ulong seq, out uint writer) || buf.AsSpan(0, 4).SequenceEqual(new byte[] { 0xDE, 0xAD, 0xBE, 0xEF }))
                {
                    torn++;
                    continue;
                }

                if (last.TryGetValue(writer, out ulong prev) && seq <= prev)
                {
                    disorder++;
                }

                last[writer] = seq;
            }
            else if (finished)
            {
                break;
            }
            else
            {
                finished = !local.IsAlive && child.HasExited;
            }
        }

        child.WaitForExit(TimeSpan.FromSeconds(30)).ShouldBe(0);
        torn.ShouldBe(0);
        disorder.ShouldBe(0);
        (reader.Frames + reader.Lost).ShouldBe((2 * PerWriter) + 1);
        last.Keys.ShouldBe(new uint[] { 8, 7 }, ignoreOrder: true);
    }
}
