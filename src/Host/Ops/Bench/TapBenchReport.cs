using System.Globalization;
using System.Text;
using System.Text.Json;

namespace ActorNet.Host.Ops.Bench;

/// <summary>
/// Prints the rows of a TAP benchmark run: as JSON (an array of row objects with <c>path</c>, <c>mtu</c>,
/// <c>streams</c>, <c>tcp_gbps</c>, <c>ping_avg_ms</c> and the extra fields) or as a table with each row's throughput
/// and round trip as ratios of the veth and vde rows of the same MTU and stream count (the largest-MTU rows are
/// compared with each other). Pure; runs on the caller's thread.
/// </summary>
internal static class TapBenchReport
{
    /// <summary>The rows as one indented JSON array.</summary>
    public static string ToJson(IReadOnlyList<TapBenchRow> rows)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartArray();
            foreach (var r in rows)
            {
                json.WriteStartObject();
                json.WriteString("path", r.Path);
                Number(json, "mtu", r.Mtu);
                Number(json, "streams", r.Streams);
                Number(json, "tcp_gbps", r.TcpGbps is { } g ? Math.Round(g, 3) : null);
                Number(json, "ping_avg_ms", r.PingAvgMs);
                Number(json, "ping_p50_ms", r.PingP50Ms);
                Number(json, "retransmits", r.Retransmits);
                json.WriteBoolean("largest_mtu", r.LargestMtu);
                json.WriteNumber("seconds", r.Seconds);
                json.WriteNumber("warmup_seconds", r.WarmupSeconds);
                if (r.Offloads is null)
                {
                    json.WriteNull("offloads");
                }
                else
                {
                    json.WriteString("offloads", r.Offloads);
                }

                if (r.Error is null)
                {
                    json.WriteNull("error");
                }
                else
                {
                    json.WriteString("error", r.Error);
                }

                Number(json, "load_avg_1m", r.LoadAverage);
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>The table, the offload settings per path and MTU, and the rows that have no figures with their reasons.</summary>
    /// <param name="rows">The rows of the run.</param>
    /// <param name="options">What the run measured (for the header).</param>
    /// <param name="paths">The paths measured, listed with their descriptions; null = not listed.</param>
    public static string ToTable(IReadOnlyList<TapBenchRow> rows, TapBenchOptions options, IReadOnlyList<ITapBenchPath>? paths = null)
    {
        var text = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        text.Append(inv, $"TCP throughput (iperf3, {options.Seconds} s per run, receiver side) and ping round trip ({options.PingCount} pings, 10 ms apart) between two network namespaces.\n");
        if (options.WarmupSeconds > 0)
        {
            text.Append(inv, $"Each path was warmed up first with {options.WarmupSeconds} s of iperf3 and {options.WarmupSeconds} s of pings (not measured).\n");
        }

        text.Append("Ratios: throughput as a multiple of the reference (higher is better); ping as a multiple of the reference's round trip (lower is better).\n");
        text.Append(inv, $"Machine: {Environment.ProcessorCount} cores, 1-minute load average {Format(TapBench.LoadAverage(), "0.0")} at the end; figures vary with other load.\n");
        foreach (var path in paths ?? [])
        {
            text.Append(inv, $"  {path.Name}: {path.Description}\n");
        }

        text.Append('\n');
        var header = new[] { "path", "mtu", "streams", "Gbit/s", "vs veth", "vs vde", "ping ms", "vs veth", "vs vde", "p50 ms", "vs veth", "retrans" };
        var table = new List<string[]> { header };
        foreach (var r in rows.Where(r => r.TcpGbps is not null || r.PingAvgMs is not null))
        {
            var veth = Reference(rows, "veth", r);
            var vde = Reference(rows, "vde", r);
            table.Add(
            [
                r.Path,
                (r.Mtu?.ToString(inv) ?? "-") + (r.LargestMtu ? " (max)" : string.Empty),
                r.Streams?.ToString(inv) ?? "-",
                Format(r.TcpGbps, "0.00"),
                Ratio(r.TcpGbps, veth?.TcpGbps),
                Ratio(r.TcpGbps, vde?.TcpGbps),
                Format(r.PingAvgMs, "0.000"),
                Ratio(r.PingAvgMs, veth?.PingAvgMs),
                Ratio(r.PingAvgMs, vde?.PingAvgMs),
                Format(r.PingP50Ms, "0.000"),
                Ratio(r.PingP50Ms, veth?.PingP50Ms),
                r.Retransmits?.ToString(inv) ?? "-",
            ]);
        }

        var widths = Enumerable.Range(0, header.Length).Select(i => table.Max(row => row[i].Length)).ToArray();
        foreach (var row in table)
        {
            text.Append(string.Join("  ", row.Select((cell, i) => i < 3 ? cell.PadRight(widths[i]) : cell.PadLeft(widths[i]))).TrimEnd()).Append('\n');
        }

        var offloads = rows.Where(r => r.Offloads is not null).Select(r => (r.Path, r.Mtu, r.Offloads)).Distinct().ToArray();
        if (offloads.Length > 0)
        {
            text.Append("\nOffloads (ethtool -k):\n");
            foreach (var (path, mtu, o) in offloads)
            {
                text.Append(inv, $"  {path} mtu {mtu}: {o}\n");
            }
        }

        var problems = rows.Where(r => r.Error is not null).Select(r => (r.Path, r.Mtu, r.Error)).Distinct().ToArray();
        if (problems.Length > 0)
        {
            text.Append("\nNot measured:\n");
            foreach (var (path, mtu, error) in problems)
            {
                text.Append(inv, $"  {path}{(mtu is null ? string.Empty : " mtu " + mtu.Value.ToString(inv))}: {error}\n");
            }
        }

        return text.ToString();
    }

    /// <summary>
    /// The row of <paramref name="path"/> to compare <paramref name="row"/> with: same MTU and streams, or, for a
    /// largest-MTU row, that path's largest-MTU row with the same streams. Null when there is none with figures.
    /// </summary>
    public static TapBenchRow? Reference(IReadOnlyList<TapBenchRow> rows, string path, TapBenchRow row)
    {
        var candidates = rows.Where(r => r.Path == path && r.Streams == row.Streams && (r.TcpGbps is not null || r.PingAvgMs is not null)).ToArray();
        if (row.LargestMtu && candidates.FirstOrDefault(r => r.LargestMtu) is { } largest)
        {
            return largest;
        }

        return candidates.FirstOrDefault(r => r.Mtu == row.Mtu);
    }

    private static string Ratio(double? value, double? reference) =>
        value is { } v && reference is { } r && r > 0 ? (v / r).ToString("0.00", CultureInfo.InvariantCulture) + "x" : "-";

    private static string Format(double? value, string format) => value?.ToString(format, CultureInfo.InvariantCulture) ?? "-";

    private static void Number(Utf8JsonWriter json, string name, double? value)
    {
        if (value is { } v && double.IsFinite(v))
        {
            json.WriteNumber(name, v);
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static void Number(Utf8JsonWriter json, string name, long? value)
    {
        if (value is { } v)
        {
            json.WriteNumber(name, v);
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
