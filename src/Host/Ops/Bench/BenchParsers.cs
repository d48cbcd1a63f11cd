using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ActorNet.Host.Ops.Bench;

/// <summary>What one <c>iperf3 -J</c> client run measured: receiver throughput and sender retransmits.</summary>
/// <param name="BitsPerSecond">Throughput seen by the receiver (<c>end.sum_received.bits_per_second</c>), all streams summed.</param>
/// <param name="Retransmits">TCP retransmits of the sender (<c>end.sum_sent.retransmits</c>), null when iperf3 did not report them.</param>
/// <param name="Seconds">Measured interval (<c>end.sum_received.seconds</c>).</param>
internal sealed record Iperf3Result(double BitsPerSecond, long? Retransmits, double Seconds)
{
    /// <summary>Throughput in Gbit/s (10^9 bits per second).</summary>
    public double Gbps => BitsPerSecond / 1e9;
}

/// <summary>What one <c>ping</c> run reported.</summary>
/// <param name="Transmitted">Echo requests sent.</param>
/// <param name="Received">Echo replies received.</param>
/// <param name="AverageMs">Average round trip in milliseconds, null when nothing came back.</param>
/// <param name="MinMs">Fastest round trip, null when nothing came back.</param>
/// <param name="MaxMs">Slowest round trip, null when nothing came back.</param>
/// <param name="MedianMs">Median of the per-reply round trips (<c>time=</c> lines), null when ping printed none (e.g. <c>-q</c>).</param>
internal sealed record PingResult(int Transmitted, int Received, double? AverageMs, double? MinMs, double? MaxMs, double? MedianMs = null);

/// <summary>
/// Parsers of the output of the programs the TAP benchmark runs (iperf3, ping, ethtool, ip). Their output comes from
/// other programs and may be cut short or be an error text: every parser returns a failure with the reason instead of
/// throwing. Pure and thread-safe.
/// </summary>
internal static partial class BenchParsers
{
    /// <summary>
    /// Offload features reported, in this order, by <see cref="ParseOffloads"/>: (ethtool name, short label).
    /// </summary>
    public static readonly IReadOnlyList<(string Feature, string Label)> OffloadFeatures =
    [
        ("tcp-segmentation-offload", "tso"),
        ("generic-segmentation-offload", "gso"),
        ("generic-receive-offload", "gro"),
        ("tx-checksumming", "tx-csum"),
        ("rx-checksumming", "rx-csum"),
        ("scatter-gather", "sg"),
    ];

    /// <summary>Parses the JSON document of <c>iperf3 -c ... -J</c>; null with <paramref name="error"/> when it failed or is unreadable.</summary>
    public static Iperf3Result? ParseIperf3(string json, out string? error)
    {
        error = null;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            error = "iperf3 printed no JSON (" + ex.Message.Split(". ")[0] + ")";
            return null;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                error = "iperf3 printed JSON that is not an object";
                return null;
            }

            if (root.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String)
            {
                error = "iperf3: " + e.GetString();
                return null;
            }

            if (!root.TryGetProperty("end", out var end) || end.ValueKind != JsonValueKind.Object
                || !end.TryGetProperty("sum_received", out var received) || received.ValueKind != JsonValueKind.Object
                || !received.TryGetProperty("bits_per_second", out var bps) || bps.ValueKind != JsonValueKind.Number || !bps.TryGetDouble(out var bitsPerSecond)
                || !double.IsFinite(bitsPerSecond) || bitsPerSecond < 0)
            {
                error = "iperf3 JSON has no end.sum_received.bits_per_second (a UDP test, or the run was cut short)";
                return null;
            }

            var seconds = received.TryGetProperty("seconds", out var s) && s.ValueKind == JsonValueKind.Number && s.TryGetDouble(out var sv) ? sv : 0;
            long? retransmits = end.TryGetProperty("sum_sent", out var sent) && sent.ValueKind == JsonValueKind.Object
                && sent.TryGetProperty("retransmits", out var r) && r.ValueKind == JsonValueKind.Number && r.TryGetInt64(out var rv) ? rv : null;
            return new Iperf3Result(bitsPerSecond, retransmits, seconds);
        }
    }

    /// <summary>
    /// Parses the summary of iputils <c>ping</c> (<c>N packets transmitted, M received</c> and
    /// <c>rtt min/avg/max/mdev = a/b/c/d ms</c>); null with <paramref name="error"/> when the counts are missing.
    /// </summary>
    public static PingResult? ParsePing(string output, out string? error)
    {
        error = null;
        var counts = PingCounts().Match(output);
        if (!counts.Success)
        {
            error = "ping printed no statistics";
            return null;
        }

        var transmitted = int.Parse(counts.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture);
        var received = int.Parse(counts.Groups[2].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture);
        var rtt = PingRtt().Match(output);
        if (!rtt.Success)
        {
            return new PingResult(transmitted, received, null, null, null);
        }

        static double D(Group g) => double.Parse(g.ValueSpan, NumberStyles.Float, CultureInfo.InvariantCulture);
        var times = PingTime().Matches(output).Select(m => D(m.Groups[1])).Order().ToArray();
        double? median = times.Length == 0 ? null
            : times.Length % 2 == 1 ? times[times.Length / 2]
            : (times[(times.Length / 2) - 1] + times[times.Length / 2]) / 2;
        return new PingResult(transmitted, received, D(rtt.Groups[2]), D(rtt.Groups[1]), D(rtt.Groups[3]), median);
    }

    /// <summary>
    /// Summarises <c>ethtool -k DEV</c> as <c>tso on, gso on, gro on, tx-csum off, rx-csum off, sg on</c>
    /// (features in <see cref="OffloadFeatures"/> order; those ethtool did not list are left out).
    /// </summary>
    public static string ParseOffloads(string ethtoolOutput)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in ethtoolOutput.Split('\n'))
        {
            var line = raw.Trim();
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || raw.StartsWith('\t') || raw.StartsWith(' '))
            {
                continue; // sub-features are indented; only the top-level ones are summarised
            }

            var value = line[(colon + 1)..].Trim();
            var word = value.Split(' ', 2)[0];
            if (word is "on" or "off")
            {
                values[line[..colon]] = word;
            }
        }

        return string.Join(", ", OffloadFeatures.Where(f => values.ContainsKey(f.Feature)).Select(f => f.Label + " " + values[f.Feature]));
    }

    /// <summary>The <c>maxmtu N</c> of <c>ip -d link show DEV</c>, or null when the kernel did not print one.</summary>
    public static int? ParseMaxMtu(string ipDetails)
    {
        var match = MaxMtu().Match(ipDetails);
        return match.Success && int.TryParse(match.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var mtu) ? mtu : null;
    }

    [GeneratedRegex(@"(\d+) packets transmitted, (\d+) (?:packets )?received", RegexOptions.CultureInvariant)]
    private static partial Regex PingCounts();

    [GeneratedRegex(@"(?:rtt|round-trip) min/avg/max(?:/mdev|/stddev)? = ([0-9.]+)/([0-9.]+)/([0-9.]+)", RegexOptions.CultureInvariant)]
    private static partial Regex PingRtt();

    [GeneratedRegex(@"\btime=([0-9.]+) ms", RegexOptions.CultureInvariant)]
    private static partial Regex PingTime();

    [GeneratedRegex(@"\bmaxmtu (\d+)", RegexOptions.CultureInvariant)]
    private static partial Regex MaxMtu();
}
