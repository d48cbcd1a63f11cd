using System.Text.Json;
using ActorNet.Host.Ops.Bench;

namespace ActorNet.Host.Tests.Ops.Bench;

public class TapBenchReportTests
{
    private static TapBenchRow Row(string path, int mtu, int streams, double gbps, double ping, bool largest = false) =>
        new(path, mtu, streams, gbps, ping, ping / 2, 3, largest, "both: tso on", null, 2, 1.5, WarmupSeconds: 5);

    private static readonly TapBenchRow[] s_rows =
    [
        new("actornet", null, null, null, null, null, null, false, null, "unavailable: no orchestration", 2, 1.0),
        Row("veth", 1500, 1, 20, 0.05),
        Row("veth", 65535, 1, 40, 0.04, largest: true),
        Row("vde", 1500, 1, 1, 0.5),
        Row("vde", 1504, 1, 2, 0.4, largest: true),
        new("vde", 9000, 1, null, null, null, null, false, null, "MTU 9000 not carried", 2, 1.0),
    ];

    [Fact]
    public void ToJson_Rows_HaveTheAgreedFields()
    {
        using var doc = JsonDocument.Parse(TapBenchReport.ToJson(s_rows));
        var rows = doc.RootElement.EnumerateArray().ToArray();
        rows.Length.ShouldBe(6);
        rows[0].GetProperty("path").GetString().ShouldBe("actornet");
        rows[0].GetProperty("tcp_gbps").ValueKind.ShouldBe(JsonValueKind.Null);
        rows[0].GetProperty("error").GetString().ShouldBe("unavailable: no orchestration");
        rows[1].GetProperty("mtu").GetInt32().ShouldBe(1500);
        rows[1].GetProperty("streams").GetInt32().ShouldBe(1);
        rows[1].GetProperty("tcp_gbps").GetDouble().ShouldBe(20);
        rows[1].GetProperty("ping_avg_ms").GetDouble().ShouldBe(0.05);
        rows[1].GetProperty("ping_p50_ms").GetDouble().ShouldBe(0.025);
        rows[1].GetProperty("offloads").GetString().ShouldBe("both: tso on");
        rows[1].GetProperty("warmup_seconds").GetInt32().ShouldBe(5);
        rows[2].GetProperty("largest_mtu").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public void Reference_LargestRow_ComparesWithTheReferencesLargest()
    {
        TapBenchReport.Reference(s_rows, "veth", s_rows[4]).ShouldBe(s_rows[2]);
        TapBenchReport.Reference(s_rows, "veth", s_rows[3]).ShouldBe(s_rows[1]);
        TapBenchReport.Reference(s_rows, "vde", s_rows[5]).ShouldBeNull();
    }

    [Fact]
    public void ToTable_Ratios_AgainstVethAndVde()
    {
        var table = TapBenchReport.ToTable(s_rows, TapBenchOptions.Quick, [new VethTapBenchPath()]);
        table.ShouldContain("  veth: kernel veth pair\n");
        var vde1500 = table.Split('\n').Single(l => l.StartsWith("vde ", StringComparison.Ordinal) && l.Contains(" 1500 ", StringComparison.Ordinal));
        vde1500.ShouldContain("0.05x"); // 1 / 20 Gbit/s
        vde1500.ShouldContain("10.00x"); // 0.5 / 0.05 ms
        table.ShouldContain("actornet: unavailable: no orchestration");
        table.ShouldContain("vde mtu 9000: MTU 9000 not carried");
        table.ShouldContain("veth mtu 1500: both: tso on");
    }
}
