using System.Globalization;
using ActorNet.DataPlane.Abi;
using ActorNet.DataPlane.Benchmarks;
using ActorNet.DataPlane.Notification;
using ActorNet.DataPlane.Rings;
using ActorNet.DataPlane.Segments;

namespace ActorNet.DataPlane.Peer;

public static partial class Program
{
    private static readonly CultureInfo s_inv = CultureInfo.InvariantCulture;

    public static int Main(string[] args)
    {
        ExitWhenOrphaned();
        switch (args[0])
        {
            case "bench":
                return Bench(args);
            case "bench-peer":
                return RingBenchmarkPeer.Run(Console.In, Console.Out);
            case "spsc-write":
                return SpscWrite(args[1], ushort.Parse(args[2], s_inv), long.Parse(args[3], s_inv), int.Parse(args[4], s_inv), Enum.Parse<NotificationMode>(args[5]), args.Length > 6 ? args[6] : null);
            case "bcast-hold":
                return BroadcastHold(args[1]);
            case "bcast-write":
                return BroadcastWrite(args[1], long.Parse(args[2], s_inv), uint.Parse(args[3], s_inv));
            default:
                Console.Error.WriteLine("unknown role " + args[0]);
                return 2;
        }
    }

    private static int Bench(string[] args)
    {
        bool quick = args.Contains("--quick");
        var options = RingBenchmarkOptions.Default(quick);
        var sizes = args.SkipWhile(a => a != "--sizes").Skip(1).FirstOrDefault();
        var transports = args.SkipWhile(a => a != "--transports").Skip(1).FirstOrDefault();
        if (sizes is not null)
        {
            options = options with { FrameSizes = sizes.Split(',').Select(x => int.Parse(x, s_inv)).ToArray() };
        }

        if (transports is not null)
        {
            options = options with { Transports = transports.Split(',') };
        }

        var self = Environment.ProcessPath!;
        var dll = typeof(Program).Assembly.Location;
        var rows = RingBenchmark.Run(options, () =>
        {
            var psi = new System.Diagnostics.ProcessStartInfo(self);
            if (Path.GetFileNameWithoutExtension(self) == "dotnet")
            {
                psi.ArgumentList.Add(dll);
            }

            psi.ArgumentList.Add("bench-peer");
            return psi;
        }, Console.Error);
        if (args.Contains("--json"))
        {
            RingBenchmark.WriteJson(rows, Console.Out);
        }
        else
        {
            RingBenchmark.WriteTable(rows, Console.Out);
        }

        return 0;
    }

    // count < 0: write until killed.
    private static int SpscWrite(string path, ushort sender, long count, int maxLength, NotificationMode mode, string? ownPath)
    {
        // The writer's own segment (no rings needed here) carries its liveness: pid, incarnation, heartbeat.
        using var own = ownPath is null ? null : SharedSegment.Create(ownPath, sender, (ulong)Environment.ProcessId, new SegmentLayout());
        using var heartbeat = own is null ? null : new Timer(_ => own.Heartbeat(), null, 0, 50);
        using var seg = SharedSegment.Open(path);
        var tx = new SpscSender(seg, sender, mode);
        maxLength = Math.Min(maxLength, tx.MaxFrameLength);
        ulong seq = 0;
        bool announced = false;
        while (count < 0 || (long)seq < count)
        {
            int batch = 0;
            while (batch < 16 && (count < 0 || (long)seq < count) && tx.TryClaim(out var slot))
            {
                int len = TestFrames.LengthFor(seq, maxLength);
                TestFrames.Fill(slot[..len], seq, sender);
                tx.Commit(len);
                seq++;
                batch++;
            }

            tx.Publish();
            if (batch == 0)
            {
                if (tx.IsDown)
                {
                    return 3;
                }

                Thread.SpinWait(16);
            }

            if (!announced && seq >= 1)
            {
                announced = true;
                Console.WriteLine("started");
                Console.Out.Flush();
            }
        }

        Console.WriteLine("done " + seq.ToString(s_inv));
        Console.Out.Flush();
        return 0;
    }

    private static int BroadcastHold(string path)
    {
        using var seg = SharedSegment.Open(path);
        var w = new BroadcastWriter(seg);
        w.BeginWriteAndAbandon(new byte[] { 0xDE, 0xAD, 0xBE, 0xEF, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 });
        Console.WriteLine("holding");
        Console.Out.Flush();
        Thread.Sleep(Timeout.Infinite);
        return 0;
    }

    private static int BroadcastWrite(string path, long count, uint writer)
    {
        using var seg = SharedSegment.Open(path);
        var w = new BroadcastWriter(seg);
        var buf = new byte[256];
        for (long i = 0; i < count; i++)
        {
            int len = TestFrames.LengthFor((ulong)i, 256);
            TestFrames.Fill(buf.AsSpan(0, len), (ulong)i, writer);
            if (!w.TryWrite(buf.AsSpan(0, len), SlotFlags.None, TimeSpan.FromSeconds(5)))
            {
                Console.WriteLine("claim-timeout");
                return 4;
            }
        }

        Console.WriteLine("done " + count.ToString(s_inv));
        Console.Out.Flush();
        return 0;
    }

    /// <summary>
    /// A peer whose test host died (crashed or killed) would otherwise spin on a full ring forever, owned by nobody:
    /// a watchdog thread exits the process once its parent is gone (the kernel re-parents an orphan).
    /// </summary>
    private static void ExitWhenOrphaned()
    {
        int parent = getppid();
        var watchdog = new Thread(() =>
        {
            while (getppid() == parent)
            {
                Thread.Sleep(250);
            }

            Console.Error.WriteLine($"peer {Environment.ProcessId}: parent {parent} is gone; exiting");
            Environment.Exit(3);
        })
        { IsBackground = true, Name = "orphan-watchdog" };
        watchdog.Start();
    }

    [System.Runtime.InteropServices.LibraryImport("libc")]
    private static partial int getppid();
}
