using System.Globalization;
using System.Net;
using System.Net.Sockets;
using ActorNet.DataPlane.Abi;
using ActorNet.DataPlane.Notification;
using ActorNet.DataPlane.Rings;
using ActorNet.DataPlane.Segments;
using ActorNet.DataPlane.ZeroCopy;

namespace ActorNet.DataPlane.Benchmarks;

/// <summary>
/// The peer side of <see cref="RingBenchmark"/>, run in a separate process (the hidden verb
/// <c>actornet bench-ring-peer</c>, or the test peer executable). It reads one command per line on stdin,
/// runs it against the rings/sockets the parent prepared, and answers one line on stdout per phase
/// (<c>ready</c>, <c>tput FRAMES ERRORS LOST CPU_TICKS</c>, <c>ping CPU_TICKS</c>, <c>idle CPU_TICKS</c>).
/// </summary>
public static class RingBenchmarkPeer
{
    private static readonly CultureInfo s_inv = CultureInfo.InvariantCulture;

    /// <summary>Serves commands until <c>exit</c> or end of input. Returns the process exit code.</summary>
    public static int Run(TextReader input, TextWriter output)
    {
        string? line;
        while ((line = input.ReadLine()) is not null)
        {
            var a = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (a.Length == 0)
            {
                continue;
            }

            switch (a[0])
            {
                case "exit":
                    return 0;
                case "spsc":
                    Spsc(Enum.Parse<NotificationMode>(a[1]), a[2], int.Parse(a[3], s_inv), output, input);
                    break;
                case "zc":
                    ZeroCopyPeer(Enum.Parse<NotificationMode>(a[1]), a[2], int.Parse(a[3], s_inv), output);
                    break;
                case "bcast":
                    Broadcast(a[1], int.Parse(a[2], s_inv), int.Parse(a[3], s_inv), output);
                    break;
                case "unix":
                    {
                        using var s = new Socket(AddressFamily.Unix, SocketType.Seqpacket, ProtocolType.Unspecified);
                        s.Connect(new UnixDomainSocketEndPoint(a[1]));
                        SocketPeer(s, int.Parse(a[2], s_inv), exact: false, output);
                        break;
                    }

                case "tcp":
                    {
                        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                        s.Connect(new IPEndPoint(IPAddress.Loopback, int.Parse(a[1], s_inv)));
                        SocketPeer(s, int.Parse(a[2], s_inv), exact: true, output);
                        break;
                    }

                default:
                    output.WriteLine("error unknown command " + a[0]);
                    output.Flush();
                    break;
            }
        }

        return 0;
    }

    private static void Say(TextWriter output, string text)
    {
        output.WriteLine(text);
        output.Flush();
    }

    private static void Spsc(NotificationMode mode, string dir, int size, TextWriter output, TextReader input)
    {
        using var parent = SharedSegment.Open(Path.Combine(dir, "node-1"), 1);
        using var own = SharedSegment.Open(Path.Combine(dir, "node-2"), 2);
        var rx = new SpscReceiver(own, 1);
        var tx = new SpscSender(parent, 2, mode);
        var sink = new CheckingSink(rx.MaxFrameLength);
        Say(output, "ready " + BenchFrames.CpuTicks().ToString(s_inv));

        while (!sink.SawMarker)
        {
            if (rx.Drain(ref sink, 256) == 0)
            {
                rx.WaitForFrames(mode, TimeSpan.FromSeconds(1));
            }
        }

        Say(output, $"tput {sink.Frames} {sink.Errors} 0 {BenchFrames.CpuTicks()}");
        sink.SawMarker = false;
        while (true)
        {
            if (rx.Drain(ref sink, 1) == 0)
            {
                rx.WaitForFrames(mode, TimeSpan.FromSeconds(1));
                continue;
            }

            if (sink.SawMarker)
            {
                break;
            }

            while (tx.Send(sink.Buffer.AsSpan(0, sink.LastLength)) == SendResult.Full)
            {
                Thread.SpinWait(1);
            }
        }

        Say(output, "ping " + BenchFrames.CpuTicks().ToString(s_inv));

        // Idle phase: the parent sends "idle MS" and measures how much CPU waiting for nothing costs.
        string? cmd = input.ReadLine();
        if (cmd is not null && cmd.StartsWith("idle ", StringComparison.Ordinal))
        {
            int ms = int.Parse(cmd.AsSpan(5), s_inv);
            long c0 = BenchFrames.CpuTicks();
            var until = Environment.TickCount64 + ms;
            while (Environment.TickCount64 < until)
            {
                rx.WaitForFrames(mode, TimeSpan.FromMilliseconds(Math.Max(1, until - Environment.TickCount64)));
            }

            Say(output, "idle " + (BenchFrames.CpuTicks() - c0).ToString(s_inv));
        }
    }

    private struct ZcSink : IMessageHandler
    {
        public byte[] Echo;
        public int EchoLength;
        public ulong Expected;
        public long Frames;
        public long Errors;
        public bool SawMarker;
        public bool CopyForEcho;

        public void OnMessage(in ZeroCopyMessage message)
        {
            ulong seq = BenchFrames.SequenceOf(message.Segment(0)); // read in place: the data is passed by pointer
            if (CopyForEcho)
            {
                EchoLength = message.CopyTo(Echo);
            }

            if (seq == BenchFrames.Marker)
            {
                SawMarker = true;
                return;
            }

            if (seq != Expected)
            {
                Errors++;
            }

            Expected = seq + 1;
            Frames++;
        }
    }

    private static void ZeroCopyPeer(NotificationMode mode, string dir, int size, TextWriter output)
    {
        using var parent = SharedSegment.Open(Path.Combine(dir, "node-1"), 1);
        using var own = SharedSegment.Open(Path.Combine(dir, "node-2"), 2);
        var rx = new ZeroCopyReceiver(own, parent);
        var tx = new ZeroCopySender(own, parent, mode);
        var sink = new ZcSink { Echo = new byte[Math.Max(size, 64)] };
        Say(output, "ready " + BenchFrames.CpuTicks().ToString(s_inv));
        while (!sink.SawMarker)
        {
            if (rx.Drain(ref sink, 256) == 0)
            {
                rx.DescriptorRing.WaitForFrames(mode, TimeSpan.FromSeconds(1));
            }
        }

        Say(output, $"tput {sink.Frames} {sink.Errors + rx.Corrupt} 0 {BenchFrames.CpuTicks()}");
        sink.SawMarker = false;
        sink.CopyForEcho = true;
        while (true)
        {
            if (rx.Drain(ref sink, 1) == 0)
            {
                rx.DescriptorRing.WaitForFrames(mode, TimeSpan.FromSeconds(1));
                continue;
            }

            if (sink.SawMarker)
            {
                break;
            }

            while (!tx.TryWrite(sink.Echo.AsSpan(0, sink.EchoLength)))
            {
                Thread.SpinWait(1);
            }

            tx.Publish();
        }

        Say(output, "ping " + BenchFrames.CpuTicks().ToString(s_inv));
    }

    private static void Broadcast(string dir, int size, int readerIndex, TextWriter output)
    {
        using var owner = SharedSegment.Open(Path.Combine(dir, "node-1"), 1);
        var reader = new BroadcastReader(owner);
        var echo = readerIndex == 0 ? new SpscSender(owner, 2, NotificationMode.Polling) : null;
        var buf = new byte[reader.MaxFrameLength];
        Say(output, "ready " + BenchFrames.CpuTicks().ToString(s_inv));
        long frames = 0;
        long errors = 0;
        ulong last = 0;
        bool any = false;
        int idle = 0;
        while (true)
        {
            if (!reader.TryRead(buf, out int len, out _))
            {
                if (++idle > 64)
                {
                    Thread.Yield();
                    idle = 0;
                }

                continue;
            }

            ulong seq = BenchFrames.SequenceOf(buf.AsSpan(0, len));
            if (seq == BenchFrames.Marker)
            {
                break;
            }

            if (any && seq <= last)
            {
                errors++; // out of order or duplicate: never acceptable, even when lapped
            }

            any = true;
            last = seq;
            frames++;
        }

        Say(output, $"tput {frames} {errors} {reader.Lost} {BenchFrames.CpuTicks()}");

        // Ping phase: reader 0 echoes every frame back on an SPSC ring; leftover phase-1 markers are skipped.
        while (true)
        {
            if (!reader.TryRead(buf, out int len, out _))
            {
                if (++idle > 256)
                {
                    Thread.Yield(); // four spinning processes share two cores: let the one with work run
                    idle = 0;
                }

                Thread.SpinWait(1);
                continue;
            }

            ulong seq = BenchFrames.SequenceOf(buf.AsSpan(0, len));
            if (seq == BenchFrames.Marker)
            {
                continue;
            }

            if (seq == BenchFrames.Marker - 1)
            {
                break;
            }

            if (echo is not null)
            {
                while (echo.Send(buf.AsSpan(0, len)) == SendResult.Full)
                {
                    Thread.SpinWait(1);
                }
            }
        }

        Say(output, "ping " + BenchFrames.CpuTicks().ToString(s_inv));
    }

    private static void SocketPeer(Socket s, int size, bool exact, TextWriter output)
    {
        var buf = new byte[Math.Max(size, 64) + 16];
        Say(output, "ready " + BenchFrames.CpuTicks().ToString(s_inv));
        long frames = 0;
        long errors = 0;
        ulong expected = 0;
        while (true)
        {
            int n = Receive(s, buf, size, exact);
            ulong seq = BenchFrames.SequenceOf(buf.AsSpan(0, n));
            if (seq == BenchFrames.Marker)
            {
                break;
            }

            if (seq != expected || n != size)
            {
                errors++;
            }

            expected = seq + 1;
            frames++;
        }

        Say(output, $"tput {frames} {errors} 0 {BenchFrames.CpuTicks()}");
        while (true)
        {
            int n = Receive(s, buf, size, exact);
            if (BenchFrames.SequenceOf(buf.AsSpan(0, n)) == BenchFrames.Marker)
            {
                break;
            }

            Send(s, buf.AsSpan(0, n));
        }

        Say(output, "ping " + BenchFrames.CpuTicks().ToString(s_inv));
    }

    internal static int Receive(Socket s, byte[] buf, int size, bool exact)
    {
        if (!exact)
        {
            int r = s.Receive(buf);
            if (r == 0)
            {
                throw new IOException("peer closed the socket");
            }

            return r;
        }

        int got = 0;
        while (got < size)
        {
            int r = s.Receive(buf, got, size - got, SocketFlags.None);
            if (r == 0)
            {
                throw new IOException("peer closed the socket");
            }

            got += r;
        }

        return got;
    }

    internal static void Send(Socket s, ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            int n = s.Send(data);
            data = data[n..];
        }
    }
}
