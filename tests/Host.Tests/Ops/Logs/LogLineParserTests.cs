using System.Text;
using ActorNet.Host.Configuration;
using ActorNet.Host.Logging;
using ActorNet.Host.Ops.Logs;
using Microsoft.Extensions.Logging;
using Serilog.Events;

namespace ActorNet.Host.Tests.Ops.Logs;

public class LogLineParserTests
{
    private static LogRecord? Parse(string line, string source = "demo-node-2.jsonl") =>
        LogLineParser.TryParse(Encoding.UTF8.GetBytes(line), source, 1, out _);

    private static string? Problem(byte[] line)
    {
        LogLineParser.TryParse(line, "x.jsonl", 1, out var problem).ShouldBeNull();
        return problem;
    }

    [Fact]
    public void TryParse_LineWrittenByActorNetLogging_ReadsEveryField()
    {
        using var dir = new TempDir();
        var settings = new LoggingSettings(LogEventLevel.Information, false, ConsoleLogFormat.Human, true, dir.Path, null, 2, 100, true);
        string file;
        using (var logging = ActorNetLogging.Create(settings, new NodeLogContext("demo", 3, "charlie", 1234567890123L)))
        {
            HostLog.ConfigurationInvalid(logging.LoggerFactory.CreateLogger("t"), "actornet.node.id is not set");
            file = logging.FilePath!;
        }

        var line = File.ReadAllLines(file).ShouldHaveSingleItem();
        var record = Parse(line, Path.GetFileName(file)).ShouldNotBeNull();
        record.Level.ShouldBe("Error");
        record.Event.ShouldBe("ConfigurationInvalid");
        record.EventId.ShouldBe(1002);
        record.Message.ShouldBe("Configuration invalid: actornet.node.id is not set");
        record.NodeId.ShouldBe(3);
        record.NodeName.ShouldBe("charlie");
        record.Cluster.ShouldBe("demo");
        record.Incarnation.ShouldBe(1234567890123L);
        record.Timestamp.ShouldBeGreaterThan(DateTimeOffset.UtcNow.AddMinutes(-5));
        record.RawLine.ShouldBe(line);
    }

    [Fact]
    public void TryParse_NoNodeIdProperty_TakesItFromTheFileName()
    {
        var record = Parse("""{"timestamp":"2026-11-21T12:00:00Z","level":"Warning","message":"m"}""", "demo-node-42_003.jsonl").ShouldNotBeNull();
        record.NodeId.ShouldBe(42);
        record.Event.ShouldBeNull();
        record.EventId.ShouldBeNull();
        record.Timestamp.ShouldBe(new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero));
    }

    [Theory]
    [InlineData("{\"timestamp\":\"2026-11-21T12:00:00Z\",\"level\":\"Infor", "not JSON")]
    [InlineData("garbage", "not JSON")]
    [InlineData("[1,2,3]", "not a JSON object")]
    [InlineData("{\"level\":\"Information\"}", "no \"timestamp\" string")]
    [InlineData("{\"timestamp\":12}", "no \"timestamp\" string")]
    [InlineData("{\"timestamp\":\"yesterday\"}", "not an ISO 8601 time")]
    public void TryParse_Malformed_ReturnsNullWithTheReason(string line, string reason)
    {
        Problem(Encoding.UTF8.GetBytes(line)).ShouldNotBeNull().ShouldContain(reason);
    }

    [Fact]
    public void TryParse_InvalidUtf8OrDeepNesting_IsMalformedNotACrash()
    {
        byte[] invalid = [.. "{\"timestamp\":\"2026-11-21T12:00:00Z\",\"message\":\""u8, 0xC3, 0x28, .. "\"}"u8];
        Problem(invalid).ShouldNotBeNull();
        Problem(Encoding.UTF8.GetBytes(new string('[', 10_000) + new string(']', 10_000))).ShouldNotBeNull();
    }

    [Fact]
    public void TryParse_TemplateUsesAnEnrichmentName_ThatValueIsNotTakenForTheWritingNode()
    {
        // As written by a node whose event names a peer's incarnation and node id: the event's values win over the enrichment.
        var line = "{'timestamp':'2026-11-21T16:10:30.12Z','level':'Information','event':'RingConnected','event_id':6001," +
                   "'template':'Connected rings with node {NodeId} (incarnation {Incarnation:D})','message':'Connected rings with node 2 (incarnation 99)'," +
                   "'properties':{'NodeId':2,'Incarnation':99,'Cluster':'demo','NodeName':'alpha'}}";
        line = line.Replace('\'', '"');
        var record = Parse(line, "demo-node-1.jsonl").ShouldNotBeNull();
        record.NodeId.ShouldBe(1);
        record.Incarnation.ShouldBeNull();
        record.NodeName.ShouldBe("alpha");
        record.Cluster.ShouldBe("demo");
    }
}
