using ActorNet.DataPlane.Abi;
using ActorNet.DataPlane.Peer;
using ActorNet.DataPlane.Rings;
using ActorNet.DataPlane.Segments;
using ActorNet.DataPlane.Tests.Support;
using FsCheck;
using FsCheck.Fluent;

namespace ActorNet.DataPlane.Tests.Rings;

public sealed unsafe class BroadcastRingTests : IDisposable
{
    private readonly ShmDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private SharedSegment Ring(int slots) =>
        SharedSegment.Create(_dir.Node(1), 1, 1, new SegmentLayout().AddBroadcastRing(slots, 1500).AddMulticastRing(7, slots, 1500, [0x01005E000001UL, 0x01005E000002UL]));

    private static byte[] Frame(ulong seq, uint writer = 1)
    {
        var f = new byte[TestFrames.LengthFor(seq, 300)];
        TestFrames.Fill(f, seq, writer);
        return f;
    }

    [Fact]
    public void Write_ThenRead_EveryReaderGetsEveryFrameIntact()
    {
        using var seg = Ring(16);
        var w = new BroadcastWriter(seg);
        var readers = new[] { new BroadcastReader(seg), new BroadcastReader(seg) };
        for (ulong i = 0; i < 10; i++)
        {
            w.TryWrite(Frame(i), SlotFlags.None, TimeSpan.FromSeconds(1)).ShouldBeTrue();
        }

        var buf = new byte[1500];
        foreach (var r in readers)
        {
            for (ulong i = 0; i < 10; i++)
            {
                r.TryRead(buf, out int len, out _).ShouldBeTrue();
                TestFrames.Verify(buf.AsSpan(0, len), out ulong seq, out _).ShouldBeTrue();
                seq.ShouldBe(i);
            }

            r.TryRead(buf, out _, out _).ShouldBeFalse();
            r.Lost.ShouldBe(0);
        }
    }

    [Fact]
    public void LappedReader_ResumesAtOldestValidSlot_AndCountsWhatItLost()
    {
        using var seg = Ring(8);
        var w = new BroadcastWriter(seg);
        var r = new BroadcastReader(seg);
        for (ulong i = 0; i < 30; i++)
        {
            w.TryWrite(Frame(i), SlotFlags.None, TimeSpan.FromSeconds(1)).ShouldBeTrue();
        }

        var buf = new byte[1500];
        var got = new List<ulong>();
        while (r.TryRead(buf, out int len, out _))
        {
            TestFrames.Verify(buf.AsSpan(0, len), out ulong seq, out _).ShouldBeTrue();
            got.Add(seq);
        }

        got.ShouldBe(Enumerable.Range(23, 7).Select(i => (ulong)i).ToList()); // oldest valid = W - slots + 1
        r.Lost.ShouldBe(23);
        (r.Frames + r.Lost).ShouldBe(30);
    }

    [Fact]
    public void Multicast_ReaderSeesGroupAddresses_AndItsOwnStream()
    {
        using var seg = Ring(8);
        var w = new BroadcastWriter(seg, multicastIndex: 7);
        var r = new BroadcastReader(seg, multicastIndex: 7);
        var b = new BroadcastReader(seg);
        r.Groups.ShouldBe(new[] { 0x01005E000001UL, 0x01005E000002UL });
        b.Groups.Count.ShouldBe(0);
        w.TryWrite(Frame(5), SlotFlags.Control, TimeSpan.FromSeconds(1)).ShouldBeTrue();
        var buf = new byte[1500];
        r.TryRead(buf, out _, out var flags).ShouldBeTrue();
        flags.ShouldBe(SlotFlags.Control);
        b.TryRead(buf, out _, out _).ShouldBeFalse();
    }

    [Fact]
    public void AbandonedMidWrite_FrameIsNeverDelivered_AndNextWriterTakesOverAfterLease()
    {
        using var seg = Ring(8);
        var dead = new BroadcastWriter(seg);
        var r = new BroadcastReader(seg);
        dead.BeginWriteAndAbandon([0xDE, 0xAD, 0xBE, 0xEF]);
        var buf = new byte[1500];
        r.TryRead(buf, out _, out _).ShouldBeFalse(); // busy slot: not delivered

        var next = new BroadcastWriter(seg); // same pid (alive), so only the lease frees the claim
        var sw = System.Diagnostics.Stopwatch.StartNew();
        next.TryWrite(Frame(1), SlotFlags.None, TimeSpan.FromSeconds(5)).ShouldBeTrue();
        next.Takeovers.ShouldBe(1);
        sw.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(5));
        r.TryRead(buf, out int len, out _).ShouldBeTrue();
        TestFrames.Verify(buf.AsSpan(0, len), out ulong seq, out _).ShouldBeTrue();
        seq.ShouldBe(1UL);
        r.Lost.ShouldBe(0);
    }

    [Fact]
    public void TakeOver_HolderDiedAfterCompletingButBeforeAdvancing_PublishesItsFrame()
    {
        using var seg = Ring(8);
        var r = new BroadcastReader(seg);
        var (ring, _) = seg.FindRegion(RegionKind.Broadcast, 0);
        var rcb = (RingControlBlock*)ring;
        // Hand-craft "slot 0 done, WriteIndex still 0, claim held by a dead pid".
        var slot = (SlotHeader*)((byte*)ring + ShmLayout.RingControlBlockSize);
        var f = Frame(0);
        f.CopyTo(new Span<byte>((byte*)slot + ShmLayout.SlotHeaderSize, 1500));
        slot->Length = (uint)f.Length;
        slot->Sequence = 2;
        rcb->ClaimWord = (4_000_000UL << 40) | (uint)(Environment.TickCount64 + 100_000);
        var w = new BroadcastWriter(seg);
        w.TryWrite(Frame(1), SlotFlags.None, TimeSpan.FromSeconds(2)).ShouldBeTrue();
        var buf = new byte[1500];
        var got = new List<ulong>();
        while (r.TryRead(buf, out int len, out _))
        {
            TestFrames.Verify(buf.AsSpan(0, len), out ulong seq, out _).ShouldBeTrue();
            got.Add(seq);
        }

        got.ShouldBe(new ulong[] { 0, 1 });
        rcb->TakeoverCount.ShouldBe(1UL);
    }

    [Fact]
    public void RandomInterleavings_ReadersGetFramesIntactInOrderOrCountThemLost()
    {
        var gen = Gen.ListOf(Gen.Choose(-20, 20)).Select(l => l.ToArray());
        Prop.ForAll(gen.ToArbitrary(), ops =>
        {
            using var dir = new ShmDirectory();
            using var seg = SharedSegment.Create(dir.Node(1), 1, 1, new SegmentLayout().AddBroadcastRing(8, 1500));
            var w = new BroadcastWriter(seg);
            var r = new BroadcastReader(seg);
            var buf = new byte[1500];
            ulong written = 0;
            ulong last = ulong.MaxValue;
            foreach (int op in ops)
            {
                for (int i = 0; i < Math.Abs(op); i++)
                {
                    if (op > 0)
                    {
                        w.TryWrite(Frame(written++), SlotFlags.None, TimeSpan.FromSeconds(1));
                    }
                    else if (r.TryRead(buf, out int len, out _))
                    {
                        if (!TestFrames.Verify(buf.AsSpan(0, len), out ulong seq, out _) || (last != ulong.MaxValue && seq <= last))
                        {
                            return false;
                        }

                        last = seq;
                    }
                }
            }

            while (r.TryRead(buf, out int l2, out _))
            {
                if (!TestFrames.Verify(buf.AsSpan(0, l2), out _, out _))
                {
                    return false;
                }
            }

            return r.Frames + r.Lost == (long)written;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void ConcurrentWriterAndReader_NeverDeliverTornFrames()
    {
        using var seg = Ring(16);
        const int Count = 200_000;
        var r = new BroadcastReader(seg);
        var writer = new Thread(() =>
        {
            var w = new BroadcastWriter(seg);
            for (ulong i = 0; i < Count; i++)
            {
                w.TryWrite(Frame(i), SlotFlags.None, TimeSpan.FromSeconds(5));
            }
        });
        writer.Start();
        var buf = new byte[1500];
        long torn = 0;
        ulong last = 0;
        bool any = false;
        long order = 0;
        bool writerDone = false;
        while (true)
        {
            if (r.TryRead(buf, out int len, out _))
            {
                if (!TestFrames.Verify(buf.AsSpan(0, len), out ulong seq, out _))
                {
                    torn++;
                }
                else
                {
                    if (any && seq <= last)
                    {
                        order++;
                    }

                    any = true;
                    last = seq;
                }
            }
            else if (writerDone)
            {
                break;
            }
            else
            {
                writerDone = !writer.IsAlive; // one more pass after the writer ends drains what is left
            }
        }

        writer.Join();
        torn.ShouldBe(0);
        order.ShouldBe(0);
        (r.Frames + r.Lost).ShouldBe(Count);
    }

    [Fact]
    public void ReaderNeverLapped_RacingTheWriter_LosesNothing()
    {
        // Regression: a reader that loaded the slot sequence just before the writer completed it, and the write
        // index just after, used to count the frame lost and skip it although it was intact.
        using var seg = Ring(8);
        const int Count = 100_000;
        var r = new BroadcastReader(seg);
        long acked = -1;
        var writer = new Thread(() =>
        {
            var w = new BroadcastWriter(seg);
            for (ulong i = 0; i < Count; i++)
            {
                while (Volatile.Read(ref acked) < (long)i - 4)
                {
                    Thread.SpinWait(1); // stay well within one lap of the reader
                }

                w.TryWrite(Frame(i), SlotFlags.None, TimeSpan.FromSeconds(5));
            }
        });
        writer.Start();
        var buf = new byte[1500];
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (r.Frames + r.Lost < Count && DateTime.UtcNow < deadline)
        {
            if (r.TryRead(buf, out int len, out _))
            {
                TestFrames.Verify(buf.AsSpan(0, len), out ulong seq, out _).ShouldBeTrue();
                seq.ShouldBe((ulong)(r.Frames - 1));
                Volatile.Write(ref acked, (long)seq);
            }
        }

        writer.Join();
        r.Lost.ShouldBe(0);
        r.Frames.ShouldBe(Count);
    }
}
