using ActorNet.DataPlane.Abi;
using ActorNet.DataPlane.Notification;
using ActorNet.DataPlane.Rings;
using ActorNet.DataPlane.Segments;
using ActorNet.DataPlane.ZeroCopy;
using BenchmarkDotNet.Attributes;

namespace ActorNet.DataPlane.Benchmarks;

/// <summary>Send and receive on one thread through real /dev/shm segments: the per-frame cost without the cross-core transfer.</summary>
[Config(typeof(BenchConfig))]
public class RingBenchmarks
{
    private string _dir = "";
    private SharedSegment _seg = null!;
    private SharedSegment _zcSender = null!;
    private SharedSegment _zcReceiver = null!;
    private SpscSender _tx = null!;
    private SpscReceiver _rx = null!;
    private BroadcastWriter _bw = null!;
    private BroadcastReader _br = null!;
    private ZeroCopySender _zs = null!;
    private ZeroCopyReceiver _zr = null!;
    private byte[] _frame = [];
    private byte[] _buffer = [];

    [Params(64, 1514)]
    public int FrameBytes { get; set; }

    private struct Sink : IFrameHandler, IMessageHandler
    {
        public long Bytes;

        public void OnFrame(ReadOnlySpan<byte> frame, SlotFlags flags) => Bytes += frame[0] + frame.Length;

        public void OnMessage(in ZeroCopyMessage message) => Bytes += message.Segment(0)[0] + message.TotalLength;
    }

    [GlobalSetup]
    public void Setup()
    {
        _dir = Path.Combine(Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath(), $"actornet-bdn-{Environment.ProcessId}");
        Directory.CreateDirectory(_dir);
        _seg = SharedSegment.Create(Path.Combine(_dir, "node-1"), 1, 1, new SegmentLayout().AddSpscRing(2, 1024, 1514).AddBroadcastRing(1024, 1514));
        _zcSender = SharedSegment.Create(Path.Combine(_dir, "node-2"), 2, 1, new SegmentLayout().AddZeroCopySenderRegions(3, 1024, 2048));
        _zcReceiver = SharedSegment.Create(Path.Combine(_dir, "node-3"), 3, 1, new SegmentLayout().AddZeroCopyReceiverRegions(2, 1024));
        _tx = new SpscSender(_seg, 2, NotificationMode.Interrupt);
        _rx = new SpscReceiver(_seg, 2);
        _bw = new BroadcastWriter(_seg);
        _br = new BroadcastReader(_seg);
        _zs = new ZeroCopySender(_zcSender, _zcReceiver, NotificationMode.Polling);
        _zr = new ZeroCopyReceiver(_zcReceiver, _zcSender);
        _frame = new byte[FrameBytes];
        _buffer = new byte[1514];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _seg.Dispose();
        _zcSender.Dispose();
        _zcReceiver.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Benchmark(Description = "SPSC send+drain, 1 frame")]
    public long SpscOne()
    {
        _tx.Send(_frame);
        var sink = default(Sink);
        _rx.Drain(ref sink, 1);
        return sink.Bytes;
    }

    [Benchmark(Description = "SPSC batch of 32 (claim/commit, 1 publish, 1 drain)", OperationsPerInvoke = 32)]
    public long SpscBatch32()
    {
        for (int i = 0; i < 32; i++)
        {
            _tx.TryClaim(out var slot);
            _frame.CopyTo(slot);
            _tx.Commit(_frame.Length);
        }

        _tx.Publish();
        var sink = default(Sink);
        _rx.Drain(ref sink, 32);
        return sink.Bytes;
    }

    [Benchmark(Description = "Broadcast write+read (claim, seqlock copy-out)")]
    public int BroadcastOne()
    {
        _bw.TryWrite(_frame, SlotFlags.None, TimeSpan.FromSeconds(1));
        _br.TryRead(_buffer, out int len, out _);
        return len;
    }

    [Benchmark(Description = "Zero-copy write+drain+reclaim")]
    public long ZeroCopyOne()
    {
        _zs.TryWrite(_frame);
        _zs.Publish();
        var sink = default(Sink);
        _zr.Drain(ref sink, 1);
        _zs.Reclaim();
        return sink.Bytes;
    }
}
