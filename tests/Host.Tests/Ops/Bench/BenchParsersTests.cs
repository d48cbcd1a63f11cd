using ActorNet.Host.Ops.Bench;

namespace ActorNet.Host.Tests.Ops.Bench;

public class BenchParsersTests
{
    // Shape of `iperf3 -c ... -P 2 -J` (3.12), trimmed to the parts that matter.
    private const string IperfOk = """
        {
          "start": { "version": "iperf 3.12", "test_start": { "protocol": "TCP", "num_streams": 2, "duration": 1 } },
          "intervals": [ { "sum": { "bits_per_second": 29000000000.0 } } ],
          "end": {
            "streams": [],
            "sum_sent": { "start": 0, "end": 1.000298, "seconds": 1.000298, "bytes": 3624402944, "bits_per_second": 28986585549.50625, "retransmits": 40540, "sender": true },
            "sum_received": { "start": 0, "end": 1.000355, "seconds": 1.000355, "bytes": 3624402944, "bits_per_second": 28984933900.465332, "sender": true },
            "cpu_utilization_percent": { "host_total": 90.1 }
          }
        }
        """;

    private const string IperfRefused = """
        {
        	"start":	{
        		"connected":	[],
        		"version":	"iperf 3.12"
        	},
        	"intervals":	[],
        	"end":	{
        	},
        	"error":	"unable to connect to server: Connection refused"
        }
        """;

    [Fact]
    public void ParseIperf3_TcpRun_ReadsReceiverThroughputAndRetransmits()
    {
        var result = BenchParsers.ParseIperf3(IperfOk, out var error).ShouldNotBeNull();
        error.ShouldBeNull();
        result.Gbps.ShouldBe(28.9849339, 1e-6);
        result.Retransmits.ShouldBe(40540);
        result.Seconds.ShouldBe(1.000355, 1e-9);
    }

    [Fact]
    public void ParseIperf3_ErrorDocument_ReturnsIperfsMessage()
    {
        BenchParsers.ParseIperf3(IperfRefused, out var error).ShouldBeNull();
        error.ShouldBe("iperf3: unable to connect to server: Connection refused");
    }

    [Fact]
    public void ParseIperf3_WrongTypesInOptionalFields_AreIgnored()
    {
        var result = BenchParsers.ParseIperf3("{\"end\":{\"sum_sent\":{\"retransmits\":\"many\"},\"sum_received\":{\"bits_per_second\":1e9,\"seconds\":\"x\"}}}", out _).ShouldNotBeNull();
        result.Gbps.ShouldBe(1);
        result.Retransmits.ShouldBeNull();
    }

    [Theory]
    [InlineData("", "no JSON")]
    [InlineData("iperf3: error - unable to start listener", "no JSON")]
    [InlineData("{\"start\":{}", "no JSON")]
    [InlineData("[]", "not an object")]
    [InlineData("{\"end\":{\"sum_received\":{\"bits_per_second\":\"fast\"}}}", "no end.sum_received.bits_per_second")]
    [InlineData("{\"end\":{\"sum_received\":{\"bits_per_second\":-1}}}", "no end.sum_received.bits_per_second")]
    [InlineData("{\"end\":{\"sum\":{\"bits_per_second\":5}}}", "no end.sum_received.bits_per_second")]
    [InlineData("{\"end\":[]}", "no end.sum_received.bits_per_second")]
    public void ParseIperf3_BrokenOrTruncated_FailsWithAReason(string text, string reason)
    {
        BenchParsers.ParseIperf3(text, out var error).ShouldBeNull();
        error.ShouldNotBeNull().ShouldContain(reason);
    }

    [Fact]
    public void ParsePing_Summary_ReadsCountsAndAverage()
    {
        const string output = """
            PING 10.9.0.2 (10.9.0.2) 56(84) bytes of data.

            --- 10.9.0.2 ping statistics ---
            200 packets transmitted, 199 received, 0.5% packet loss, time 2031ms
            rtt min/avg/max/mdev = 0.011/0.084/0.209/0.088 ms
            """;
        var ping = BenchParsers.ParsePing(output, out var error).ShouldNotBeNull();
        error.ShouldBeNull();
        ping.ShouldBe(new PingResult(200, 199, 0.084, 0.011, 0.209));
    }

    [Fact]
    public void ParsePing_PerReplyLines_GiveTheMedian()
    {
        const string output = """
            PING 10.9.0.2 (10.9.0.2) 56(84) bytes of data.
            64 bytes from 10.9.0.2: icmp_seq=1 ttl=64 time=0.031 ms
            64 bytes from 10.9.0.2: icmp_seq=2 ttl=64 time=4.20 ms
            64 bytes from 10.9.0.2: icmp_seq=3 ttl=64 time=0.025 ms
            64 bytes from 10.9.0.2: icmp_seq=4 ttl=64 time=0.029 ms

            --- 10.9.0.2 ping statistics ---
            4 packets transmitted, 4 received, 0% packet loss, time 31ms
            rtt min/avg/max/mdev = 0.025/1.071/4.200/1.806 ms
            """;
        var ping = BenchParsers.ParsePing(output, out _).ShouldNotBeNull();
        ping.AverageMs.ShouldBe(1.071);
        ping.MedianMs.ShouldNotBeNull().ShouldBe(0.030, 1e-9); // (0.029 + 0.031) / 2: one stall does not move it
    }

    [Fact]
    public void ParsePing_AllLost_HasCountsButNoAverage()
    {
        const string output = """
            PING 10.9.0.99 (10.9.0.99) 56(84) bytes of data.

            --- 10.9.0.99 ping statistics ---
            2 packets transmitted, 0 received, +2 errors, 100% packet loss, time 1009ms
            """;
        var ping = BenchParsers.ParsePing(output, out _).ShouldNotBeNull();
        ping.Received.ShouldBe(0);
        ping.AverageMs.ShouldBeNull();
    }

    [Fact]
    public void ParsePing_NoStatistics_Fails()
    {
        BenchParsers.ParsePing("ping: connect: Network is unreachable", out var error).ShouldBeNull();
        error.ShouldBe("ping printed no statistics");
    }

    [Fact]
    public void ParseOffloads_EthtoolFeatures_SummarisesTopLevelOnes()
    {
        const string output = "Features for a0:\nrx-checksumming: on\ntx-checksumming: on\n\ttx-checksum-ipv4: off [fixed]\n\ttx-checksum-ip-generic: on\n" +
                              "scatter-gather: on\n\ttx-scatter-gather: on\ntcp-segmentation-offload: off\n\ttx-tcp-segmentation: off [requested on]\n" +
                              "generic-segmentation-offload: on\ngeneric-receive-offload: off\nlarge-receive-offload: off [fixed]\n";
        BenchParsers.ParseOffloads(output).ShouldBe("tso off, gso on, gro off, tx-csum on, rx-csum on, sg on");
        BenchParsers.ParseOffloads("Cannot get device features: No such device").ShouldBeEmpty();
    }

    [Fact]
    public void ParseMaxMtu_IpDetails_ReadsIt()
    {
        const string details = "2: t0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 9000 qdisc pfifo_fast state UNKNOWN\n" +
                               "    link/ether de:42:70:7b:d9:51 brd ff:ff:ff:ff:ff:ff promiscuity 0  allmulti 0 minmtu 68 maxmtu 65521\n";
        BenchParsers.ParseMaxMtu(details).ShouldBe(65521);
        BenchParsers.ParseMaxMtu("2: t0: <UP> mtu 1500").ShouldBeNull();
    }
}
