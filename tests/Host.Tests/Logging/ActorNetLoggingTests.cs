using System.Text.Json;
using ActorNet.Host.Configuration;
using ActorNet.Host.Logging;
using Microsoft.Extensions.Logging;
using Serilog.Events;

namespace ActorNet.Host.Tests.Logging;

public class ActorNetLoggingTests
{
    private static LoggingSettings Settings(string folder, ConsoleLogFormat format = ConsoleLogFormat.Human) =>
        new(LogEventLevel.Information, ConsoleEnabled: true, format, FileEnabled: true, folder, RollSize: null, RetainedFiles: 2, AsyncBufferSize: 100, BlockWhenFull: true);

    private static readonly NodeLogContext s_context = new("demo", 3, "charlie", 1234567890123L);

    [Fact]
    public void Create_EventThroughILogger_WritesOneJsonLineWithEveryField()
    {
        using var dir = new TempDir();
        using var console = new StringWriter();
        string file;
        using (var logging = ActorNetLogging.Create(Settings(dir.Path), s_context, console))
        {
            var logger = logging.LoggerFactory.CreateLogger<ActorNetLoggingTests>();
            HostLog.ConfigurationLoaded(logger, "reference.conf <- cluster.conf");
            HostLog.AuthenticationOff(logger, "demo");
            file = logging.FilePath!;
        }

        Path.GetFileName(file).ShouldBe("demo-node-3.jsonl");
        var lines = File.ReadAllLines(file);
        lines.Length.ShouldBe(2);
        using var doc = JsonDocument.Parse(lines[0]);
        var e = doc.RootElement;
        DateTimeOffset.Parse(e.GetProperty("timestamp").GetString()!, System.Globalization.CultureInfo.InvariantCulture).ShouldBeGreaterThan(DateTimeOffset.UtcNow.AddMinutes(-5));
        e.GetProperty("level").GetString().ShouldBe("Information");
        e.GetProperty("event").GetString().ShouldBe("ConfigurationLoaded");
        e.GetProperty("event_id").GetInt32().ShouldBe(1001);
        e.GetProperty("template").GetString().ShouldBe("Configuration loaded from {Layers}");
        e.GetProperty("message").GetString().ShouldBe("Configuration loaded from reference.conf <- cluster.conf");
        var p = e.GetProperty("properties");
        p.GetProperty("Layers").GetString().ShouldBe("reference.conf <- cluster.conf");
        p.GetProperty("Cluster").GetString().ShouldBe("demo");
        p.GetProperty("NodeId").GetInt32().ShouldBe(3);
        p.GetProperty("NodeName").GetString().ShouldBe("charlie");
        p.GetProperty("Incarnation").GetInt64().ShouldBe(1234567890123L);
        p.GetProperty("SourceContext").GetString().ShouldBe(typeof(ActorNetLoggingTests).FullName);

        using var second = JsonDocument.Parse(lines[1]);
        second.RootElement.GetProperty("level").GetString().ShouldBe("Warning");
        second.RootElement.GetProperty("event_id").GetInt32().ShouldBe(1003);

        console.ToString().ShouldContain("INF [charlie#3] ConfigurationLoaded: Configuration loaded from reference.conf <- cluster.conf");
    }

    [Fact]
    public void Create_LevelAboveEvent_FiltersItOut()
    {
        using var dir = new TempDir();
        string file;
        using (var logging = ActorNetLogging.Create(Settings(dir.Path) with { Level = LogEventLevel.Warning, ConsoleEnabled = false }, s_context))
        {
            var logger = logging.LoggerFactory.CreateLogger("test");
            HostLog.ConfigurationLoaded(logger, "x");
            HostLog.ConfigurationInvalid(logger, "actornet.node.id is not set");
            file = logging.FilePath!;
        }

        var line = File.ReadAllLines(file).ShouldHaveSingleItem();
        line.ShouldContain("\"event\":\"ConfigurationInvalid\"");
    }

    [Fact]
    public void Create_JsonConsole_WritesTheSameJsonLines()
    {
        using var dir = new TempDir();
        using var console = new StringWriter();
        using (var logging = ActorNetLogging.Create(Settings(dir.Path, ConsoleLogFormat.Json) with { FileEnabled = false }, s_context, console))
        {
            logging.FilePath.ShouldBeNull();
            logging.LoggerFactory.CreateLogger("x").LogInformation(new EventId(1234, "Plain"), "Value {Answer} and {@Shape}", 42, new { Sides = 3 });
        }

        using var doc = JsonDocument.Parse(console.ToString().Trim());
        doc.RootElement.GetProperty("event").GetString().ShouldBe("Plain");
        doc.RootElement.GetProperty("properties").GetProperty("Answer").GetInt32().ShouldBe(42);
        doc.RootElement.GetProperty("properties").GetProperty("Shape").GetProperty("Sides").GetInt32().ShouldBe(3);
    }

    [Fact]
    public void Create_FromReferenceSettings_Works()
    {
        var settings = LoggingSettings.FromConfig(ConfigLoader.Reference());
        settings.FileFolder.ShouldBe("logs");
        settings.ConsoleFormat.ShouldBe(ConsoleLogFormat.Human);
    }
}

public class ActorNetLoggingForNodeTests
{
    [Fact]
    public void ForNode_SampleClusterNode_EnrichesWithItsIdentity()
    {
        using var dir = new TempDir();
        using var console = new StringWriter();
        var loaded = ConfigLoader.Load(new ConfigLoadOptions(RepoPaths.ClusterConf, 2, [$"actornet.logging.file.folder=\"{dir.Path}\""]));
        var settings = ActorNetSettings.FromConfig(loaded.Config);
        string file;
        using (var logging = ActorNetLogging.ForNode(settings, 77, console))
        {
            HostLog.LoggingStarted(logging.LoggerFactory.CreateLogger("t"), settings.Logging.Level.ToString(), logging.FilePath!);
            file = logging.FilePath!;
        }

        file.ShouldBe(Path.Combine(dir.Path, "demo-node-2.jsonl"));
        using var doc = JsonDocument.Parse(File.ReadAllLines(file).ShouldHaveSingleItem());
        var p = doc.RootElement.GetProperty("properties");
        (p.GetProperty("Cluster").GetString(), p.GetProperty("NodeId").GetInt32(), p.GetProperty("NodeName").GetString(), p.GetProperty("Incarnation").GetInt64())
            .ShouldBe(("demo", 2, "bravo", 77L));
        doc.RootElement.GetProperty("event").GetString().ShouldBe("LoggingStarted");
    }
}
