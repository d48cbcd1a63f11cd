using System.Diagnostics;
using ActorNet.DataPlane.Abi;
using ActorNet.DataPlane.Segments;
using ActorNet.DataPlane.Tests.Support;

namespace ActorNet.DataPlane.Tests.Segments;

public unsafe class SharedSegmentTests
{
    private static SegmentLayout SmallLayout() => new SegmentLayout().AddSpscRing(2, 8, 1500).AddBroadcastRing(8, 1500);

    [Fact]
    public void Open_CreatedSegment_ReadsHeaderAndFindsRings()
    {
        using var dir = new ShmDirectory();
        using var owner = SharedSegment.Create(dir.Node(1), 1, 42, SmallLayout());
        using var peer = SharedSegment.Open(dir.Node(1), 1);
        peer.NodeId.ShouldBe((ushort)1);
        peer.Incarnation.ShouldBe(42UL);
        peer.Size.ShouldBe(owner.Size);
        peer.HasRegion(RegionKind.Spsc, 2).ShouldBeTrue();
        peer.HasRegion(RegionKind.Spsc, 3).ShouldBeFalse();
        peer.HasRegion(RegionKind.Broadcast, 0).ShouldBeTrue();
    }

    private static long AllocatedBytes(string path)
    {
        using var stat = Process.Start(new ProcessStartInfo("stat", ["-c", "%b %B", path]) { RedirectStandardOutput = true, UseShellExecute = false })!;
        var parts = stat.StandardOutput.ReadToEnd().Trim().Split(' ');
        stat.WaitForExit();
        return long.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture) * long.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public void Create_AllocatesEveryPageUpFront()
    {
        using var dir = new ShmDirectory();
        using var owner = SharedSegment.Create(dir.Node(1), 1, 1, new SegmentLayout().AddSpscRing(2, 1024, 9000));

        AllocatedBytes(dir.Node(1)).ShouldBeGreaterThanOrEqualTo(owner.Size, "the file must not be sparse: a page allocated on the data path can fail with SIGBUS");
    }

    [Fact]
    public void Create_FileSystemTooSmall_FailsSayingHowMuchIsFreeAndLeavesNoFile()
    {
        var mount = Path.Combine(Path.GetTempPath(), "actornet-small-shm-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(mount);
        try
        {
            using (var m = Process.Start("mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", mount]))
            {
                m.WaitForExit();
                m.ExitCode.ShouldBe(0, "mounting a 1 MiB tmpfs needs root (the test command runs as root)");
            }

            var path = Path.Combine(mount, "node-1");
            var e = Should.Throw<IOException>(() => SharedSegment.Create(path, 1, 1, new SegmentLayout().AddSpscRing(2, 1024, 9000)));

            e.Message.ShouldContain("cannot reserve");
            e.Message.ShouldContain("MiB free");
            e.Message.ShouldContain(path);
            File.Exists(path).ShouldBeFalse();
        }
        finally
        {
            using (var u = Process.Start("umount", [mount]))
            {
                u.WaitForExit();
            }

            Directory.Delete(mount);
        }
    }

    [Fact]
    public void PathFor_FollowsTheDocumentedConvention() =>
        SharedSegment.PathFor("/dev/shm", "c1", 7).ShouldBe("/dev/shm/c1/node-7");

    private static void Corrupt(string path, int offset, byte[] bytes)
    {
        using var fs = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
        fs.Position = offset;
        fs.Write(bytes);
    }

    [Theory]
    [InlineData(ShmLayout.SegMagicOffset, "magic")]
    [InlineData(ShmLayout.SegAbiVersionOffset, "ABI version")]
    [InlineData(ShmLayout.SegHeaderSizeOffset, "header size")]
    [InlineData(ShmLayout.SegSegmentSizeOffset, "bytes but the mapping")]
    [InlineData(ShmLayout.SegRingTableCountOffset, "ring table")]
    [InlineData(ShmLayout.SegRingTableOffsetOffset, "ring table")]
    [InlineData(ShmLayout.RingTableOffset + ShmLayout.EntryOffsetOffset, "inside the")]
    [InlineData(ShmLayout.RingTableOffset + ShmLayout.EntrySizeOffset, "inside the")]
    [InlineData(ShmLayout.RingTableOffset + ShmLayout.EntryKindOffset, "unknown kind")]
    public void Open_CorruptHeaderField_ThrowsNamingTheField(int offset, string expected)
    {
        using var dir = new ShmDirectory();
        using var owner = SharedSegment.Create(dir.Node(1), 1, 1, SmallLayout());
        Corrupt(dir.Node(1), offset, [0x77, 0x66, 0x55, 0x44]);
        var e = Should.Throw<SegmentFormatException>(() => SharedSegment.Open(dir.Node(1)));
        e.Message.ShouldContain(expected);
        e.Message.ShouldContain(dir.Node(1));
    }

    [Fact]
    public void Open_TruncatedFile_Throws()
    {
        using var dir = new ShmDirectory();
        File.WriteAllBytes(dir.Node(1), new byte[100]);
        Should.Throw<SegmentFormatException>(() => SharedSegment.Open(dir.Node(1))).Message.ShouldContain("file size");
    }

    [Fact]
    public void OpenRing_CorruptGeometry_ThrowsSegmentFormatException()
    {
        using var dir = new ShmDirectory();
        using var owner = SharedSegment.Create(dir.Node(1), 1, 1, SmallLayout());
        var (ring, _) = owner.FindRegion(RegionKind.Spsc, 2);
        ((RingControlBlock*)ring)->SlotCount = 7; // not a power of two
        Should.Throw<SegmentFormatException>(() => new ActorNet.DataPlane.Rings.SpscReceiver(owner, 2)).Message.ShouldContain("slot count");
        ((RingControlBlock*)ring)->SlotCount = 1 << 19; // overruns the region
        Should.Throw<SegmentFormatException>(() => new ActorNet.DataPlane.Rings.SpscReceiver(owner, 2)).Message.ShouldContain("overrun");
    }

    [Fact]
    public void Liveness_OwnerRunning_IsAliveWithIncarnation()
    {
        using var dir = new ShmDirectory();
        using var owner = SharedSegment.Create(dir.Node(1), 1, 9, SmallLayout());
        owner.Heartbeat();
        using var peer = SharedSegment.Open(dir.Node(1));
        var live = peer.GetLiveness(TimeSpan.FromSeconds(5));
        live.IsAlive.ShouldBeTrue();
        live.ProcessAlive.ShouldBeTrue();
        live.Incarnation.ShouldBe(9UL);
        live.OwnerPid.ShouldBe(Environment.ProcessId);
        live.State.ShouldBe(SegmentState.Active);
    }

    [Fact]
    public void Liveness_StaleHeartbeat_IsNotAlive()
    {
        using var dir = new ShmDirectory();
        using var owner = SharedSegment.Create(dir.Node(1), 1, 9, SmallLayout());
        owner.Header->Heartbeat = Environment.TickCount64 - 60_000;
        var live = owner.GetLiveness(TimeSpan.FromSeconds(5));
        live.ProcessAlive.ShouldBeTrue();
        live.IsAlive.ShouldBeFalse();
        live.HeartbeatAge.ShouldBeGreaterThan(TimeSpan.FromSeconds(50));
    }

    private static int DeadPid()
    {
        using var p = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        p.WaitForExit();
        return p.Id;
    }

    [Fact]
    public void Create_LeftoverOfDeadOwner_IsReclaimed()
    {
        using var dir = new ShmDirectory();
        var old = SharedSegment.Create(dir.Node(1), 1, 1, SmallLayout());
        old.Header->OwnerPid = DeadPid();
        // Simulate a crash: the owner never marked it closed (unmap without Dispose's MarkClosed).
        old.Header->State = (uint)SegmentState.Active;
        var inspection = SharedSegment.Inspect(dir.Node(1), TimeSpan.FromSeconds(5));
        inspection.Reclaimable.ShouldBeTrue();
        inspection.Reason.ShouldContain("dead");
        old.Header->OwnerPid = Environment.ProcessId; // let the old handle unmap cleanly
        old.Dispose();

        File.WriteAllBytes(dir.Node(2), new byte[4096]); // garbage leftover
        SharedSegment.Inspect(dir.Node(2), TimeSpan.FromSeconds(5)).Reclaimable.ShouldBeTrue();
        using var fresh = SharedSegment.Create(dir.Node(2), 2, 2, SmallLayout());
        fresh.Incarnation.ShouldBe(2UL);
    }

    [Fact]
    public void Create_SegmentOfLiveOtherProcess_Refuses()
    {
        using var dir = new ShmDirectory();
        using var sleeper = Process.Start(new ProcessStartInfo("sleep", "30") { UseShellExecute = false })!;
        try
        {
            using (var seg = SharedSegment.Create(dir.Node(1), 1, 1, SmallLayout()))
            {
                seg.Header->OwnerPid = sleeper.Id;
                seg.Header->Heartbeat = Environment.TickCount64 + 60_000; // fresh for the next minute
                SharedSegment.Inspect(dir.Node(1), TimeSpan.FromSeconds(5)).Reclaimable.ShouldBeFalse();
                Should.Throw<IOException>(() => SharedSegment.Create(dir.Node(1), 1, 2, SmallLayout())).Message.ShouldContain("in use");
                seg.Header->Heartbeat = Environment.TickCount64 - 60_000; // stale: pid reused or hung
                SharedSegment.Inspect(dir.Node(1), TimeSpan.FromSeconds(5)).Reclaimable.ShouldBeTrue();
                seg.Header->OwnerPid = Environment.ProcessId;
            }
        }
        finally
        {
            sleeper.Kill();
            sleeper.WaitForExit();
        }
    }

    [Fact]
    public void Dispose_Owner_MarksClosedAndRemoveDeletes()
    {
        using var dir = new ShmDirectory();
        SharedSegment.Create(dir.Node(1), 1, 1, SmallLayout()).Dispose();
        var inspection = SharedSegment.Inspect(dir.Node(1), TimeSpan.FromSeconds(5));
        inspection.Liveness!.Value.State.ShouldBe(SegmentState.Closed);
        inspection.Reclaimable.ShouldBeTrue();
        SharedSegment.Remove(dir.Node(1));
        File.Exists(dir.Node(1)).ShouldBeFalse();
    }

    [Fact]
    public void Layout_InvalidMtuOrSlotCount_FailsFast()
    {
        Should.Throw<ArgumentOutOfRangeException>(() => new SegmentLayout().AddSpscRing(2, 8, 1000));
        Should.Throw<ArgumentOutOfRangeException>(() => new SegmentLayout().AddSpscRing(2, 8, ShmLayout.MaxSlotPayloadSize + 1));
        Should.NotThrow(() => new SegmentLayout().AddSpscRing(2, 8, ShmLayout.MaxMtu + 14)); // 64 KiB MTU plus the MAC header fits
        Should.Throw<ArgumentOutOfRangeException>(() => new SegmentLayout().AddSpscRing(2, 12, 1500));
        Should.Throw<ArgumentException>(() => new SegmentLayout().AddMulticastRing(1, 8, 1500, [1, 2, 3, 4, 5]));
    }
}
