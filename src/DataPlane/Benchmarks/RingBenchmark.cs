using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using ActorNet.DataPlane.Abi;
using ActorNet.DataPlane.Notification;
using ActorNet.DataPlane.Rings;
using ActorNet.DataPlane.Segments;
using ActorNet.DataPlane.ZeroCopy;

namespace ActorNet.DataPlane.Benchmarks;

/// <summary>Options of one <see cref="RingBenchmark"/> run.</summary>
/// <param name="Quick">Short phases (the whole run under 30 s).</param>
/// <param name="FrameSizes">Frame sizes in bytes (each at least 16).</param>
/// <param name="Transports">Transport names to run (see <see cref="RingBenchmark.AllTransports"/>).</param>
/// <param name="ShmRoot">Directory for the benchmark's segments (normally /dev/shm).</param>
public sealed record RingBenchmarkOptions(bool Quick, IReadOnlyList<int> FrameSizes, IReadOnlyList<string> Transports, string ShmRoot)
{
    /// <summary>The default run: every transport, frames of 64, 1514, 9000 and 65535 bytes, segments under /dev/shm.</summary>
    public static RingBenchmarkOptions Default(bool quick) =>
        new(quick, [64, 1514, 9000, 65535], RingBenchmark.AllTransports, Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath());
}

/// <summary>One measured row: a transport at one frame size. Null RTT fields mean "not measured for this transport".</summary>
public sealed record RingBenchmarkRow(
    [property: JsonPropertyName("transport")] string Transport,
    [property: JsonPropertyName("frame_bytes")] int FrameBytes,
    [property: JsonPropertyName("frames_per_s")] double FramesPerSecond,
    [property: JsonPropertyName("bytes_per_s")] double BytesPerSecond,
    [property: JsonPropertyName("rtt_p50_ns")] long? RttP50Nanoseconds,
    [property: JsonPropertyName("rtt_p99_ns")] long? RttP99Nanoseconds,
    [property: JsonPropertyName("cpu_ms")] double CpuMilliseconds,
    [property: JsonPropertyName("frames")] long Frames,
    [property: JsonPropertyName("lost_frames")] long LostFrames,
    [property: JsonPropertyName("errors")] long Errors,
    [property: JsonPropertyName("idle_cpu_percent")] double? IdleCpuPercent);

/// <summary>
/// The cross-process ring benchmark behind <c>actornet bench rings</c>: for every transport and frame size it
/// starts real peer processes, measures one-way throughput (sender copies each frame in, receiver copies it
/// out; zero-copy passes a pointer and the receiver reads in place) and ping-pong round trips, and prints the
/// rows side by side with ratios against the Unix SOCK_SEQPACKET socket. Called from the CLI thread; blocking.
/// </summary>
public static class RingBenchmark
{
    /// <summary>Every transport, in print order.</summary>
    public static readonly IReadOnlyList<string> AllTransports = ["spsc-polling", "spsc-interrupt", "zero-copy", "broadcast-1w3r", "unix-seqpacket", "tcp-loopback"];

    private static readonly CultureInfo s_inv = CultureInfo.InvariantCulture;
    private static int s_runs;

    /// <summary>
    /// Runs the benchmark. <paramref name="peerStartInfo"/> turns peer arguments into a process to start (the
    /// CLI passes its own executable with a hidden verb). Progress lines go to <paramref name="progress"/>.
    /// </summary>
    public static IReadOnlyList<RingBenchmarkRow> Run(RingBenchmarkOptions options, Func<ProcessStartInfo> peerStartInfo, TextWriter progress)
    {
        var rows = new List<RingBenchmarkRow>();
        string dir = Path.Combine(options.ShmRoot, $"actornet-bench-{Environment.ProcessId}-{Interlocked.Increment(ref s_runs)}");
        try
        {
            foreach (string transport in options.Transports)
            {
                var peers = new List<PeerProcess>();
                try
                {
                    int peerCount = transport == "broadcast-1w3r" ? 3 : 1;
                    for (int i = 0; i < peerCount; i++)
                    {
                        peers.Add(new PeerProcess(peerStartInfo()));
                    }

                    foreach (int size in options.FrameSizes)
                    {
                        progress.WriteLine($"bench rings: {transport} {size} B ...");
                        Directory.CreateDirectory(dir);
                        try
                        {
                            rows.Add(RunOne(transport, size, options, peers, dir));
                        }
                        finally
                        {
                            SharedSegment.Remove(Path.Combine(dir, "node-1"));
                            SharedSegment.Remove(Path.Combine(dir, "node-2"));
                        }
                    }
                }
                finally
                {
                    foreach (var p in peers)
                    {
                        p.Dispose();
                    }
                }
            }
        }
        finally
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }

        return rows;
    }

    /// <summary>Writes the rows as one JSON document (a list of rows).</summary>
    public static void WriteJson(IReadOnlyList<RingBenchmarkRow> rows, TextWriter output) =>
        output.WriteLine(JsonSerializer.Serialize(rows, new JsonSerializerOptions { WriteIndented = true }));

    /// <summary>Writes the rows as a table with ratios against the Unix socket at the same frame size.</summary>
    public static void WriteTable(IReadOnlyList<RingBenchmarkRow> rows, TextWriter output)
    {
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"{"transport",-16} {"frame",6} {"frames/s",13} {"MB/s",10} {"x unix",7} {"p50 rtt",10} {"p99 rtt",10} {"unix/p50",8} {"cpu ms",8} {"lost",8} {"err",4} {"idle cpu",8}");
        foreach (var r in rows)
        {
            var unix = rows.FirstOrDefault(u => u.Transport == "unix-seqpacket" && u.FrameBytes == r.FrameBytes);
            string rate = unix is { FramesPerSecond: > 0 } ? (r.FramesPerSecond / unix.FramesPerSecond).ToString("F1", s_inv) : "-";
            string lat = unix?.RttP50Nanoseconds is > 0 && r.RttP50Nanoseconds is > 0 ? ((double)unix.RttP50Nanoseconds.Value / r.RttP50Nanoseconds.Value).ToString("F1", s_inv) : "-";
            sb.AppendLine(CultureInfo.InvariantCulture,
                $"{r.Transport,-16} {r.FrameBytes,6} {r.FramesPerSecond,13:N0} {r.BytesPerSecond / 1e6,10:N0} {rate,7} {Ns(r.RttP50Nanoseconds),10} {Ns(r.RttP99Nanoseconds),10} {lat,8} {r.CpuMilliseconds,8:N0} {r.LostFrames,8} {r.Errors,4} {(r.IdleCpuPercent is { } idle ? idle.ToString("F1", s_inv) + "%" : "-"),8}");
        }

        sb.AppendLine("rings/sockets: sender copies each frame in, receiver copies it out; zero-copy: copied once into the pool, read in place by pointer.");
        sb.AppendLine("frame slots are at least the 1490-byte minimum MTU; broadcast frames/s is the writer's rate, 'lost' sums what the 3 readers were lapped by; broadcast RTT: broadcast out, reader 0 echoes on an SPSC ring.");
        sb.AppendLine("idle cpu: the receiver's CPU use while waiting 200 ms with nothing to read (polling spins, interrupt sleeps on the futex).");
        output.Write(sb.ToString());
    }

    private static string Ns(long? ns) => ns switch
    {
        null => "-",
        < 10_000 => ns.Value.ToString(s_inv) + " ns",
        < 10_000_000 => (ns.Value / 1000.0).ToString("F1", s_inv) + " us",
        _ => (ns.Value / 1e6).ToString("F1", s_inv) + " ms",
    };

    private static RingBenchmarkRow RunOne(string transport, int size, RingBenchmarkOptions o, List<PeerProcess> peers, string dir)
    {
        var phase = TimeSpan.FromMilliseconds(o.Quick ? 200 : 1500);
        int pings = o.Quick ? 2000 : 20000;
        return transport switch
        {
            "spsc-polling" => Spsc(NotificationMode.Polling, size, phase, pings, peers[0], dir, transport),
            "spsc-interrupt" => Spsc(NotificationMode.Interrupt, size, phase, pings / 2, peers[0], dir, transport),
            "zero-copy" => ZeroCopyRow(size, phase, pings, peers[0], dir),
            "broadcast-1w3r" => Broadcast(size, phase, pings / 2, peers, dir),
            "unix-seqpacket" => Sockets(false, size, phase, pings, peers[0], transport),
            "tcp-loopback" => Sockets(true, size, phase, pings, peers[0], transport),
            _ => throw new ArgumentException("unknown transport " + transport),
        };
    }

    private static RingBenchmarkRow Spsc(NotificationMode mode, int size, TimeSpan phase, int pings, PeerProcess peer, string dir, string name)
    {
        int payload = BenchFrames.SlotPayload(size);
        int slots = BenchFrames.SlotCount(payload);
        using var own = SharedSegment.Create(Path.Combine(dir, "node-1"), 1, 1, new SegmentLayout().AddSpscRing(2, slots, payload));
        using var other = SharedSegment.Create(Path.Combine(dir, "node-2"), 2, 1, new SegmentLayout().AddSpscRing(1, slots, payload));
        var tx = new SpscSender(other, 1, mode);
        var rx = new SpscReceiver(own, 2);
        peer.Send($"spsc {mode} {dir} {size}");
        long childCpu0 = peer.ExpectLong("ready", 1);
        long cpu0 = BenchFrames.CpuTicks();

        var frame = new byte[size];
        var sw = Stopwatch.StartNew();
        ulong seq = 0;
        long deadline = Stopwatch.GetTimestamp() + (long)(phase.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            for (int i = 0; i < 32; i++)
            {
                if (!tx.TryClaim(out var slot))
                {
                    break;
                }

                frame.CopyTo(slot);
                BenchFrames.Stamp(slot, seq++);
                tx.Commit(size);
            }

            tx.Publish();
        }

        BenchFrames.Stamp(frame, BenchFrames.Marker);
        while (tx.Send(frame) != SendResult.Sent)
        {
            Thread.SpinWait(1);
        }

        var t = peer.Expect("tput");
        double seconds = sw.Elapsed.TotalSeconds;

        var hist = new LatencyHistogram();
        var sink = new CheckingSink(payload);
        int warm = pings / 10;
        for (int i = 0; i < pings + warm; i++)
        {
            BenchFrames.Stamp(frame, (ulong)i);
            long t0 = Stopwatch.GetTimestamp();
            tx.Send(frame);
            while (rx.Drain(ref sink, 1) == 0)
            {
                rx.WaitForFrames(mode, TimeSpan.FromSeconds(5));
            }

            long t1 = Stopwatch.GetTimestamp();
            if (i >= warm)
            {
                hist.Record(TicksToNs(t1 - t0));
            }
        }

        BenchFrames.Stamp(frame, BenchFrames.Marker);
        tx.Send(frame);
        long childCpu1 = peer.ExpectLong("ping", 1);
        double cpuMs = TicksToMs(BenchFrames.CpuTicks() - cpu0 + childCpu1 - childCpu0);

        // Idle cost: the peer waits 200 ms with nothing to read.
        peer.Send("idle 200");
        long idleTicks = peer.ExpectLong("idle", 1);
        double idlePct = TicksToMs(idleTicks) / 200.0 * 100.0;

        long frames = long.Parse(t[1], s_inv);
        return new RingBenchmarkRow(name, size, frames / seconds, frames * (double)size / seconds, hist.Percentile(50), hist.Percentile(99),
            cpuMs, frames, 0, long.Parse(t[2], s_inv) + (long)seq - frames, idlePct);
    }

    private struct EchoSink : IMessageHandler
    {
        public bool Got;

        public void OnMessage(in ZeroCopyMessage message) => Got = true;
    }

    private static RingBenchmarkRow ZeroCopyRow(int size, TimeSpan phase, int pings, PeerProcess peer, string dir)
    {
        const int BufferSize = 9216;
        int buffers = 2048;
        var layout1 = new SegmentLayout().AddZeroCopySenderRegions(2, buffers, BufferSize).AddZeroCopyReceiverRegions(2, 1024);
        var layout2 = new SegmentLayout().AddZeroCopySenderRegions(1, buffers, BufferSize).AddZeroCopyReceiverRegions(1, 1024);
        using var own = SharedSegment.Create(Path.Combine(dir, "node-1"), 1, 1, layout1);
        using var other = SharedSegment.Create(Path.Combine(dir, "node-2"), 2, 1, layout2);
        var tx = new ZeroCopySender(own, other, NotificationMode.Polling);
        var rx = new ZeroCopyReceiver(own, other);
        peer.Send($"zc {NotificationMode.Polling} {dir} {size}");
        long childCpu0 = peer.ExpectLong("ready", 1);
        long cpu0 = BenchFrames.CpuTicks();

        var frame = new byte[size];
        var sw = Stopwatch.StartNew();
        ulong seq = 0;
        long deadline = Stopwatch.GetTimestamp() + (long)(phase.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            for (int i = 0; i < 32; i++)
            {
                BenchFrames.Stamp(frame, seq);
                if (!tx.TryWrite(frame))
                {
                    break;
                }

                seq++;
            }

            tx.Publish();
        }

        BenchFrames.Stamp(frame, BenchFrames.Marker);
        while (!tx.TryWrite(frame))
        {
            Thread.SpinWait(1);
        }

        tx.Publish();
        var t = peer.Expect("tput");
        double seconds = sw.Elapsed.TotalSeconds;

        var hist = new LatencyHistogram();
        var sink = new EchoSink();
        int warm = pings / 10;
        for (int i = 0; i < pings + warm; i++)
        {
            BenchFrames.Stamp(frame, (ulong)i);
            long t0 = Stopwatch.GetTimestamp();
            while (!tx.TryWrite(frame))
            {
                Thread.SpinWait(1);
            }

            tx.Publish();
            sink.Got = false;
            while (rx.Drain(ref sink, 1) == 0)
            {
                rx.DescriptorRing.WaitForFrames(NotificationMode.Polling, TimeSpan.FromSeconds(5));
            }

            long t1 = Stopwatch.GetTimestamp();
            if (i >= warm)
            {
                hist.Record(TicksToNs(t1 - t0));
            }
        }

        BenchFrames.Stamp(frame, BenchFrames.Marker);
        while (!tx.TryWrite(frame))
        {
            Thread.SpinWait(1);
        }

        tx.Publish();
        long childCpu1 = peer.ExpectLong("ping", 1);
        double cpuMs = TicksToMs(BenchFrames.CpuTicks() - cpu0 + childCpu1 - childCpu0);
        long frames = long.Parse(t[1], s_inv);
        return new RingBenchmarkRow("zero-copy", size, frames / seconds, frames * (double)size / seconds, hist.Percentile(50), hist.Percentile(99),
            cpuMs, frames, 0, long.Parse(t[2], s_inv) + (long)seq - frames, null);
    }

    private static RingBenchmarkRow Broadcast(int size, TimeSpan phase, int pings, List<PeerProcess> peers, string dir)
    {
        int payload = BenchFrames.SlotPayload(size);
        int slots = BenchFrames.SlotCount(payload);
        using var own = SharedSegment.Create(Path.Combine(dir, "node-1"), 1, 1, new SegmentLayout().AddBroadcastRing(slots, payload).AddSpscRing(2, 64, payload));
        var writer = new BroadcastWriter(own);
        var echoes = new SpscReceiver(own, 2);
        long childCpu0 = 0;
        for (int i = 0; i < peers.Count; i++)
        {
            peers[i].Send($"bcast {dir} {size} {i}");
        }

        foreach (var p in peers)
        {
            childCpu0 += p.ExpectLong("ready", 1);
        }

        long cpu0 = BenchFrames.CpuTicks();
        var frame = new byte[size];
        var sw = Stopwatch.StartNew();
        ulong seq = 0;
        long deadline = Stopwatch.GetTimestamp() + (long)(phase.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            for (int i = 0; i < 32; i++)
            {
                BenchFrames.Stamp(frame, seq++);
                writer.TryWrite(frame, SlotFlags.None, TimeSpan.FromSeconds(1));
            }
        }

        double seconds = sw.Elapsed.TotalSeconds;
        BenchFrames.Stamp(frame, BenchFrames.Marker);
        long lost = 0;
        long errors = 0;
        long childCpu1 = 0;
        foreach (var p in peers)
        {
            string[]? t = null;
            var until = Stopwatch.StartNew();
            while (t is null)
            {
                writer.TryWrite(frame, SlotFlags.Control, TimeSpan.FromSeconds(1)); // markers until the (possibly lapped) reader sees one
                t = p.TryExpect("tput", TimeSpan.FromMilliseconds(2));
                if (until.Elapsed > TimeSpan.FromSeconds(30))
                {
                    throw new TimeoutException("broadcast reader did not finish");
                }
            }

            errors += long.Parse(t[2], s_inv);
            lost += long.Parse(t[3], s_inv);
        }

        // Ping-pong: broadcast a frame, reader 0 echoes it back on an SPSC ring; the others just read it.
        var hist = new LatencyHistogram();
        var sink = new CheckingSink(payload);
        int warm = pings / 10;
        for (int i = 0; i < pings + warm; i++)
        {
            BenchFrames.Stamp(frame, (ulong)i);
            long t0 = Stopwatch.GetTimestamp();
            writer.TryWrite(frame, SlotFlags.None, TimeSpan.FromSeconds(1));
            var until = Stopwatch.GetTimestamp() + (5 * Stopwatch.Frequency);
            while (echoes.Drain(ref sink, 1) == 0)
            {
                if (Stopwatch.GetTimestamp() > until)
                {
                    throw new TimeoutException($"broadcast echo {i} did not come back within 5 s");
                }
            }

            long t1 = Stopwatch.GetTimestamp();
            if (i >= warm)
            {
                hist.Record(TicksToNs(t1 - t0));
            }
        }

        BenchFrames.Stamp(frame, BenchFrames.Marker - 1);
        foreach (var p in peers)
        {
            string[]? t = null;
            var until = Stopwatch.StartNew();
            while (t is null)
            {
                writer.TryWrite(frame, SlotFlags.Control, TimeSpan.FromSeconds(1));
                t = p.TryExpect("ping", TimeSpan.FromMilliseconds(2));
                if (until.Elapsed > TimeSpan.FromSeconds(30))
                {
                    throw new TimeoutException("broadcast reader did not finish the ping phase");
                }
            }

            childCpu1 += long.Parse(t[1], s_inv);
        }

        double cpuMs = TicksToMs(BenchFrames.CpuTicks() - cpu0 + childCpu1 - childCpu0);
        long frames = (long)seq;
        return new RingBenchmarkRow("broadcast-1w3r", size, frames / seconds, frames * (double)size / seconds, hist.Percentile(50), hist.Percentile(99), cpuMs, frames, lost, errors, null);
    }

    private static RingBenchmarkRow Sockets(bool tcp, int size, TimeSpan phase, int pings, PeerProcess peer, string name)
    {
        string? path = null;
        Socket listener;
        if (tcp)
        {
            listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            listener.Listen(1);
            peer.Send($"tcp {((IPEndPoint)listener.LocalEndPoint!).Port} {size}");
        }
        else
        {
            path = Path.Combine(Path.GetTempPath(), $"actornet-bench-{Environment.ProcessId}-{Guid.NewGuid():N}.sock");
            listener = new Socket(AddressFamily.Unix, SocketType.Seqpacket, ProtocolType.Unspecified);
            listener.Bind(new UnixDomainSocketEndPoint(path));
            listener.Listen(1);
            peer.Send($"unix {path} {size}");
        }

        try
        {
            using var s = listener.Accept();
            if (tcp)
            {
                s.NoDelay = true;
            }

            long childCpu0 = peer.ExpectLong("ready", 1);
            long cpu0 = BenchFrames.CpuTicks();
            var frame = new byte[size];
            var buf = new byte[size + 16];
            var sw = Stopwatch.StartNew();
            ulong seq = 0;
            long deadline = Stopwatch.GetTimestamp() + (long)(phase.TotalSeconds * Stopwatch.Frequency);
            while (Stopwatch.GetTimestamp() < deadline)
            {
                for (int i = 0; i < 32; i++)
                {
                    BenchFrames.Stamp(frame, seq++);
                    RingBenchmarkPeer.Send(s, frame);
                }
            }

            BenchFrames.Stamp(frame, BenchFrames.Marker);
            RingBenchmarkPeer.Send(s, frame);
            var t = peer.Expect("tput");
            double seconds = sw.Elapsed.TotalSeconds;

            var hist = new LatencyHistogram();
            int warm = pings / 10;
            for (int i = 0; i < pings + warm; i++)
            {
                BenchFrames.Stamp(frame, (ulong)i);
                long t0 = Stopwatch.GetTimestamp();
                RingBenchmarkPeer.Send(s, frame);
                RingBenchmarkPeer.Receive(s, buf, size, tcp);
                long t1 = Stopwatch.GetTimestamp();
                if (i >= warm)
                {
                    hist.Record(TicksToNs(t1 - t0));
                }
            }

            BenchFrames.Stamp(frame, BenchFrames.Marker);
            RingBenchmarkPeer.Send(s, frame);
            long childCpu1 = peer.ExpectLong("ping", 1);
            double cpuMs = TicksToMs(BenchFrames.CpuTicks() - cpu0 + childCpu1 - childCpu0);
            long frames = long.Parse(t[1], s_inv);
            return new RingBenchmarkRow(name, size, frames / seconds, frames * (double)size / seconds, hist.Percentile(50), hist.Percentile(99),
                cpuMs, frames, 0, long.Parse(t[2], s_inv) + (long)seq - frames, null);
        }
        finally
        {
            listener.Dispose();
            if (path is not null)
            {
                File.Delete(path);
            }
        }
    }

    private static long TicksToNs(long stopwatchTicks) => (long)(stopwatchTicks * (1e9 / Stopwatch.Frequency));

    private static double TicksToMs(long timeSpanTicks) => timeSpanTicks / (double)TimeSpan.TicksPerMillisecond;

    /// <summary>A started peer process with line-based stdin/stdout; killed on dispose if it does not exit.</summary>
    private sealed class PeerProcess : IDisposable
    {
        private readonly Process _process;
        private readonly BlockingCollection<string> _lines = [];

        public PeerProcess(ProcessStartInfo psi)
        {
            psi.RedirectStandardInput = true;
            psi.RedirectStandardOutput = true;
            psi.UseShellExecute = false;
            _process = Process.Start(psi) ?? throw new InvalidOperationException("could not start the benchmark peer " + psi.FileName);
            var reader = new Thread(() =>
            {
                try
                {
                    string? l;
                    while ((l = _process.StandardOutput.ReadLine()) is not null)
                    {
                        _lines.Add(l);
                    }
                }
                catch (IOException)
                {
                }
                finally
                {
                    _lines.CompleteAdding();
                }
            })
            { IsBackground = true, Name = "bench-peer-stdout" };
            reader.Start();
        }

        public void Send(string line)
        {
            _process.StandardInput.WriteLine(line);
            _process.StandardInput.Flush();
        }

        public string[] Expect(string tag) => TryExpect(tag, TimeSpan.FromSeconds(60))
            ?? throw new TimeoutException($"benchmark peer pid {_process.Id} did not answer '{tag}' within 60 s (exited: {_process.HasExited})");

        public long ExpectLong(string tag, int field) => long.Parse(Expect(tag)[field], s_inv);

        public string[]? TryExpect(string tag, TimeSpan timeout)
        {
            var sw = Stopwatch.StartNew();
            while (true)
            {
                var left = timeout - sw.Elapsed;
                if (left <= TimeSpan.Zero || !_lines.TryTake(out string? line, left))
                {
                    if (_lines.IsCompleted)
                    {
                        throw new IOException($"benchmark peer pid {_process.Id} exited while '{tag}' was expected");
                    }

                    return null;
                }

                var f = line.Split(' ');
                if (f[0] == tag)
                {
                    return f;
                }

                if (f[0] == "error")
                {
                    throw new IOException("benchmark peer: " + line);
                }
            }
        }

        public void Dispose()
        {
            try
            {
                if (!_process.HasExited)
                {
                    Send("exit");
                    if (!_process.WaitForExit(2000))
                    {
                        _process.Kill(entireProcessTree: true);
                        _process.WaitForExit(5000);
                    }
                }
            }
            catch (Exception e) when (e is IOException or InvalidOperationException)
            {
                if (!_process.HasExited)
                {
                    _process.Kill(entireProcessTree: true);
                }
            }
            finally
            {
                _process.Dispose();
                _lines.Dispose();
            }
        }
    }
}
