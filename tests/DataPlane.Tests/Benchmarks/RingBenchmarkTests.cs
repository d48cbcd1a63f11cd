using System.Diagnostics;
using System.Text.Json;
using ActorNet.DataPlane.Benchmarks;

namespace ActorNet.DataPlane.Tests.Benchmarks;

public class RingBenchmarkTests
{
    private static ProcessStartInfo Peer()
    {
        var psi = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "ActorNet.DataPlane.Peer"));
        psi.ArgumentList.Add("bench-peer");
        return psi;
    }

    [Fact]
    public void Run_TwoTransportsQuick_ProducesCheckedRowsAndTheDocumentedJson()
    {
        var options = RingBenchmarkOptions.Default(quick: true) with { FrameSizes = [1514], Transports = ["spsc-interrupt", "zero-copy", "broadcast-1w3r", "unix-seqpacket"] };
        var rows = RingBenchmark.Run(options, Peer, TextWriter.Null);
        rows.Count.ShouldBe(4);
        foreach (var r in rows)
        {
            r.FrameBytes.ShouldBe(1514);
            r.Frames.ShouldBeGreaterThan(0);
            r.FramesPerSecond.ShouldBeGreaterThan(0);
            r.BytesPerSecond.ShouldBe(r.FramesPerSecond * 1514, tolerance: 1);
            r.Errors.ShouldBe(0); // every frame arrived in sequence (broadcast: in order, losses counted apart)
        }

        rows.Where(r => r.Transport != "broadcast-1w3r").ShouldAllBe(r => r.RttP50Nanoseconds > 0 && r.RttP99Nanoseconds >= r.RttP50Nanoseconds);
        rows.Single(r => r.Transport == "spsc-interrupt").IdleCpuPercent.ShouldNotBeNull();

        var json = new StringWriter();
        RingBenchmark.WriteJson(rows, json);
        using var doc = JsonDocument.Parse(json.ToString());
        doc.RootElement.GetArrayLength().ShouldBe(4);
        var first = doc.RootElement[0];
        foreach (string key in new[] { "transport", "frame_bytes", "frames_per_s", "bytes_per_s", "rtt_p50_ns", "rtt_p99_ns" })
        {
            first.TryGetProperty(key, out _).ShouldBeTrue(key);
        }

        var table = new StringWriter();
        RingBenchmark.WriteTable(rows, table);
        table.ToString().ShouldContain("unix-seqpacket");
        Directory.GetFileSystemEntries(options.ShmRoot, $"actornet-bench-{Environment.ProcessId}-*").ShouldBeEmpty();
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(63L)]
    [InlineData(64L)]
    [InlineData(1000L)]
    [InlineData(123_456_789L)]
    [InlineData(long.MaxValue / 4)]
    public void Histogram_Percentile_IsWithinOneBucketOfTheValue(long value)
    {
        var h = new LatencyHistogram();
        h.Record(value);
        long p = h.Percentile(50);
        p.ShouldBeGreaterThanOrEqualTo(value);
        ((double)(p - value)).ShouldBeLessThanOrEqualTo((value / 32.0) + 1);
    }

    [Fact]
    public void Histogram_Percentiles_OfUniformValues()
    {
        var h = new LatencyHistogram();
        for (int i = 1; i <= 10_000; i++)
        {
            h.Record(i * 100);
        }

        h.Percentile(50).ShouldBeInRange(500_000, 500_000 * 33 / 32);
        h.Percentile(99).ShouldBeInRange(990_000, 990_000 * 33 / 32);
        h.Count.ShouldBe(10_000);
    }
}
