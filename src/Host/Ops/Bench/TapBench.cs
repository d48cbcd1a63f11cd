using System.Globalization;
using ActorNet.Host.Platform;

namespace ActorNet.Host.Ops.Bench;

/// <summary>One measured (or failed) combination of the TAP benchmark.</summary>
/// <param name="Path">Path name (<c>actornet</c>, <c>veth</c>, <c>vde</c>).</param>
/// <param name="Mtu">MTU of both devices, null for a row that reports a whole path unavailable.</param>
/// <param name="Streams">Parallel TCP streams of iperf3 (1 or 4), null when the row is about the MTU or the path.</param>
/// <param name="TcpGbps">Receiver throughput in Gbit/s, null when not measured.</param>
/// <param name="PingAvgMs">Average ping round trip in ms at this MTU (same for the 1- and 4-stream rows), null when not measured.</param>
/// <param name="PingP50Ms">Median ping round trip in ms (the average is pulled up by rare scheduling stalls of a few ms).</param>
/// <param name="Retransmits">TCP retransmits during the iperf3 run.</param>
/// <param name="LargestMtu">This MTU is the largest the path carries (found by probing with don't-fragment pings).</param>
/// <param name="Offloads">Offload settings of both devices (<c>ethtool -k</c>), e.g. <c>client: tso on, ...; server: ...</c>.</param>
/// <param name="Error">Why this row has no figures, null when it has them.</param>
/// <param name="Seconds">Length of each iperf3 measurement.</param>
/// <param name="LoadAverage">The machine's 1-minute load average when the row was measured (other work skews the figures).</param>
/// <param name="WarmupSeconds">Unmeasured traffic sent over the path before its first figure (see <see cref="TapBenchOptions.WarmupSeconds"/>).</param>
internal sealed record TapBenchRow(
    string Path,
    int? Mtu,
    int? Streams,
    double? TcpGbps,
    double? PingAvgMs,
    double? PingP50Ms,
    long? Retransmits,
    bool LargestMtu,
    string? Offloads,
    string? Error,
    int Seconds,
    double? LoadAverage,
    int WarmupSeconds = 0);

/// <summary>How long and what the TAP benchmark measures.</summary>
/// <param name="Seconds">Length of each iperf3 run (2 with <c>--quick</c>).</param>
/// <param name="PingCount">Pings per MTU, sent every 10 ms.</param>
/// <param name="Mtus">MTUs to measure; <see cref="TapBench.Largest"/> (0) stands for the largest each path carries.</param>
/// <param name="Streams">iperf3 parallel stream counts.</param>
/// <param name="WarmupSeconds">
/// Traffic sent over each path before its first measurement and thrown away (an iperf3 run of this length, then
/// pings 2 ms apart for as long): every path, kernel or ActorNet, is measured warm, as benchmark harnesses do. 0 = none.
/// </param>
internal sealed record TapBenchOptions(int Seconds, int PingCount, IReadOnlyList<int> Mtus, IReadOnlyList<int> Streams, int WarmupSeconds = 0)
{
    /// <summary>The full run: 5 s per measurement, 500 pings, MTU 1500, 9000 and largest, 1 and 4 streams, 5 s warm-up.</summary>
    public static TapBenchOptions Full { get; } = new(5, 500, [1500, 9000, TapBench.Largest], [1, 4], 5);

    /// <summary>
    /// <c>--quick</c>: 2 s per measurement (200 pings at 10 ms), same combinations, 5 s warm-up (with 2 s, the first
    /// ActorNet ping figures still came from node processes seconds old and ran 2-3x the later ones).
    /// </summary>
    public static TapBenchOptions Quick { get; } = new(2, 200, [1500, 9000, TapBench.Largest], [1, 4], 5);
}

/// <summary>
/// Runs the TAP benchmark: for each path, two namespaces joined by it, then at each MTU a don't-fragment ping at full
/// size (frames that big must cross), a ping round trip and iperf3 TCP with 1 and 4 streams, with the devices' offload
/// settings recorded. Everything runs inside one <see cref="BenchScope"/> (torn down at the end, leftovers of crashed
/// runs removed first); every program run is bounded in time. Runs on the caller's thread; progress lines go to the
/// given writer.
/// </summary>
internal static class TapBench
{
    /// <summary>MTU placeholder meaning "the largest this path carries".</summary>
    public const int Largest = 0;

    private const int IcmpOverhead = 28;
    private const string IperfPort = "5201";

    /// <summary>Measures every path and returns the rows, in path then MTU then stream order.</summary>
    public static async Task<IReadOnlyList<TapBenchRow>> RunAsync(IReadOnlyList<ITapBenchPath> paths, TapBenchOptions options, TextWriter progress, CancellationToken cancellation)
    {
        var rows = new List<TapBenchRow>();
        var cleaned = BenchScope.CleanLeftovers() + await ActorNetTapBenchPath.CleanLeftoversAsync().ConfigureAwait(false);
        if (cleaned > 0)
        {
            progress.WriteLine($"removed {cleaned.ToString(CultureInfo.InvariantCulture)} namespaces or clusters left by earlier runs that crashed");
        }

        using var scope = new BenchScope();
        foreach (var path in paths)
        {
            if (path.Unavailable() is { } reason)
            {
                progress.WriteLine($"{path.Name}: unavailable: {reason}");
                rows.Add(new TapBenchRow(path.Name, null, null, null, null, null, null, false, null, "unavailable: " + reason, options.Seconds, LoadAverage(), options.WarmupSeconds));
                continue;
            }

            try
            {
                await MeasurePathAsync(path, scope, options, rows, progress, cancellation).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is BenchException or PlatformPrerequisiteException)
            {
                progress.WriteLine($"{path.Name}: failed: {ex.Message}");
                rows.Add(new TapBenchRow(path.Name, null, null, null, null, null, null, false, null, "failed: " + ex.Message, options.Seconds, LoadAverage(), options.WarmupSeconds));
            }
        }

        return rows;
    }

    /// <summary>The 1-minute load average from /proc/loadavg, null when unreadable.</summary>
    public static double? LoadAverage()
    {
        try
        {
            var first = File.ReadAllText("/proc/loadavg").Split(' ')[0];
            return double.TryParse(first, NumberStyles.Float, CultureInfo.InvariantCulture, out var load) ? load : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static async Task MeasurePathAsync(ITapBenchPath path, BenchScope scope, TapBenchOptions options, List<TapBenchRow> rows, TextWriter progress, CancellationToken cancellation)
    {
        progress.WriteLine($"{path.Name}: setting up ({path.Description})");
        await using var link = await path.OpenAsync(scope, cancellation).ConfigureAwait(false);
        if (!await CrossesAsync(link, 1500, cancellation).ConfigureAwait(false))
        {
            throw new BenchException("1500-byte frames do not cross (a don't-fragment ping of 1472 bytes got no reply)");
        }

        var largest = await FindLargestMtuAsync(link, cancellation).ConfigureAwait(false);
        progress.WriteLine($"{path.Name}: largest MTU that crosses: {largest.ToString(CultureInfo.InvariantCulture)} (devices accept up to {link.MaxMtu.ToString(CultureInfo.InvariantCulture)})");
        var mtus = new List<int>();
        foreach (var wanted in options.Mtus)
        {
            var mtu = wanted == Largest ? largest : wanted;
            if (mtu > largest)
            {
                foreach (var streams in options.Streams)
                {
                    rows.Add(new TapBenchRow(path.Name, mtu, streams, null, null, null, null, false, null, $"MTU {mtu.ToString(CultureInfo.InvariantCulture)} not carried: the largest frames that cross are MTU {largest.ToString(CultureInfo.InvariantCulture)}", options.Seconds, LoadAverage(), options.WarmupSeconds));
                }
            }
            else if (!mtus.Contains(mtu))
            {
                mtus.Add(mtu);
            }
        }

        if (options.WarmupSeconds > 0 && mtus.Count > 0)
        {
            await WarmUpAsync(path, scope, link, mtus[0], options.WarmupSeconds, progress, cancellation).ConfigureAwait(false);
        }

        foreach (var mtu in mtus)
        {
            await MeasureMtuAsync(path, scope, link, mtu, mtu == largest, options, rows, progress, cancellation).ConfigureAwait(false);
        }
    }

    private static async Task MeasureMtuAsync(ITapBenchPath path, BenchScope scope, IBenchLink link, int mtu, bool largest, TapBenchOptions options, List<TapBenchRow> rows, TextWriter progress, CancellationToken cancellation)
    {
        var mtuText = mtu.ToString(CultureInfo.InvariantCulture);
        await link.SetMtuAsync(mtu, cancellation).ConfigureAwait(false);
        if (!await CrossesAsync(link, mtu, cancellation).ConfigureAwait(false))
        {
            foreach (var streams in options.Streams)
            {
                rows.Add(new TapBenchRow(path.Name, mtu, streams, null, null, null, null, largest, null, $"frames of MTU {mtuText} do not cross", options.Seconds, LoadAverage(), options.WarmupSeconds));
            }

            return;
        }

        var offloads = await OffloadsAsync(link, cancellation).ConfigureAwait(false);
        progress.WriteLine($"{path.Name} MTU {mtuText}: ping x{options.PingCount.ToString(CultureInfo.InvariantCulture)}");
        var pingText = await ExecAsync(link.Client, TimeSpan.FromSeconds(options.PingCount * 0.05 + 15), cancellation,
            "ping", "-n", "-c", options.PingCount.ToString(CultureInfo.InvariantCulture), "-i", "0.01", "-W", "1", link.ServerAddress.ToString()).ConfigureAwait(false);
        var ping = BenchParsers.ParsePing(pingText.StandardOutput, out var pingError);
        var pingAvg = ping?.AverageMs;
        foreach (var streams in options.Streams)
        {
            progress.WriteLine($"{path.Name} MTU {mtuText}: iperf3 {streams.ToString(CultureInfo.InvariantCulture)} stream(s), {options.Seconds.ToString(CultureInfo.InvariantCulture)} s");
            var (result, error) = await IperfAsync(scope, link, streams, options.Seconds, cancellation).ConfigureAwait(false);
            var problems = new[] { error, pingAvg is null ? "ping: " + (pingError ?? "no reply") : null }.Where(p => p is not null).ToArray();
            rows.Add(new TapBenchRow(path.Name, mtu, streams, result?.Gbps, pingAvg, ping?.MedianMs, result?.Retransmits, largest, offloads, problems.Length == 0 ? null : string.Join("; ", problems), options.Seconds, LoadAverage(), options.WarmupSeconds));
        }
    }

    // Traffic whose figures are thrown away: programs, caches and the JIT of every process on the path settle first.
    private static async Task WarmUpAsync(ITapBenchPath path, BenchScope scope, IBenchLink link, int mtu, int seconds, TextWriter progress, CancellationToken cancellation)
    {
        var secondsText = seconds.ToString(CultureInfo.InvariantCulture);
        progress.WriteLine($"{path.Name}: warming up ({secondsText} s of iperf3 and {secondsText} s of pings, not measured)");
        await link.SetMtuAsync(mtu, cancellation).ConfigureAwait(false);
        var (_, error) = await IperfAsync(scope, link, 1, seconds, cancellation).ConfigureAwait(false);
        if (error is not null)
        {
            progress.WriteLine($"{path.Name}: warm-up iperf3: {error}");
        }

        var count = (seconds * 500).ToString(CultureInfo.InvariantCulture);
        await ExecAsync(link.Client, TimeSpan.FromSeconds(seconds + 15), cancellation,
            "ping", "-q", "-n", "-c", count, "-i", "0.002", "-W", "1", link.ServerAddress.ToString()).ConfigureAwait(false);
    }

    private static async Task<int> FindLargestMtuAsync(IBenchLink link, CancellationToken cancellation)
    {
        var high = link.MaxMtu;
        if (high <= 1500)
        {
            return 1500;
        }

        await link.SetMtuAsync(high, cancellation).ConfigureAwait(false);
        if (await CrossesAsync(link, high, cancellation).ConfigureAwait(false))
        {
            return high;
        }

        // Binary search between 1500 (crosses) and high (does not).
        var low = 1500;
        while (high - low > 1)
        {
            var mid = low + ((high - low) / 2);
            await link.SetMtuAsync(mid, cancellation).ConfigureAwait(false);
            if (await CrossesAsync(link, mid, cancellation).ConfigureAwait(false))
            {
                low = mid;
            }
            else
            {
                high = mid;
            }
        }

        return low;
    }

    /// <summary>Whether a don't-fragment ping filling an MTU-sized frame gets a reply (the link MTU must already be set).</summary>
    private static async Task<bool> CrossesAsync(IBenchLink link, int mtu, CancellationToken cancellation)
    {
        var size = (mtu - IcmpOverhead).ToString(CultureInfo.InvariantCulture);
        var result = await ExecAsync(link.Client, TimeSpan.FromSeconds(15), cancellation,
            "ping", "-q", "-n", "-c", "2", "-i", "0.05", "-W", "1", "-M", "do", "-s", size, link.ServerAddress.ToString()).ConfigureAwait(false);
        return BenchParsers.ParsePing(result.StandardOutput, out _) is { Received: > 0 };
    }

    private static async Task<string> OffloadsAsync(IBenchLink link, CancellationToken cancellation)
    {
        var client = await ExecAsync(link.Client, TimeSpan.FromSeconds(15), cancellation, "ethtool", "-k", link.ClientDevice).ConfigureAwait(false);
        var server = await ExecAsync(link.Server, TimeSpan.FromSeconds(15), cancellation, "ethtool", "-k", link.ServerDevice).ConfigureAwait(false);
        var c = client.ExitCode == 0 ? BenchParsers.ParseOffloads(client.StandardOutput) : "ethtool failed";
        var s = server.ExitCode == 0 ? BenchParsers.ParseOffloads(server.StandardOutput) : "ethtool failed";
        return c == s ? "both: " + c : $"client: {c}; server: {s}";
    }

    private static async Task<(Iperf3Result? Result, string? Error)> IperfAsync(BenchScope scope, IBenchLink link, int streams, int seconds, CancellationToken cancellation)
    {
        var server = scope.Start(link.Server, "iperf3", "-s", "-1", "-B", link.ServerAddress.ToString(), "-p", IperfPort, "--forceflush");
        try
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
            while (!server.Output.Contains("Server listening", StringComparison.Ordinal))
            {
                if (server.Process.HasExited)
                {
                    return (null, "iperf3 server exited: " + server.Output.Trim());
                }

                if (DateTime.UtcNow > deadline)
                {
                    return (null, "iperf3 server did not start listening within 15 s");
                }

                await Task.Delay(20, cancellation).ConfigureAwait(false);
            }

            var client = await ExecAsync(link.Client, TimeSpan.FromSeconds(seconds + 30), cancellation,
                "iperf3", "-c", link.ServerAddress.ToString(), "-p", IperfPort, "-t", seconds.ToString(CultureInfo.InvariantCulture),
                "-P", streams.ToString(CultureInfo.InvariantCulture), "-J", "--connect-timeout", "5000").ConfigureAwait(false);
            var result = BenchParsers.ParseIperf3(client.StandardOutput, out var error);
            if (result is null && string.IsNullOrWhiteSpace(client.StandardOutput))
            {
                var stderr = client.StandardError.Trim().Split('\n')[^1].Trim();
                error = $"iperf3 client exited with {client.ExitCode.ToString(CultureInfo.InvariantCulture)} without a result" + (stderr.Length > 0 ? ": " + stderr : string.Empty);
            }

            return (result, error);
        }
        finally
        {
            scope.Kill(server); // by pid; with -1 it has usually exited already
        }
    }

    private static Task<ProcessResult> ExecAsync(NetworkNamespace ns, TimeSpan timeout, CancellationToken cancellation, string program, params string[] arguments) =>
        BenchScope.TryRunAsync(timeout, cancellation, "ip", ["netns", "exec", ns.Name, program, .. arguments]);
}
