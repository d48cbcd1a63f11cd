using System.Globalization;
using System.Text.Json;

namespace ActorNet.Host.Tests.Ops.Logs;

/// <summary>Builds JSON lines in the format JsonLinesFormatter writes, for generated log files.</summary>
internal static class LogLines
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    public static string Line(
        DateTimeOffset time,
        int node,
        string message,
        string? eventName = "Test",
        int? eventId = 5000,
        string level = "Information",
        long incarnation = 7,
        string cluster = "demo")
    {
        var o = new Dictionary<string, object?>
        {
            ["timestamp"] = time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture),
            ["level"] = level,
            ["event"] = eventName,
            ["event_id"] = eventId,
            ["template"] = message,
            ["message"] = message,
            ["properties"] = new Dictionary<string, object?>
            {
                ["Cluster"] = cluster,
                ["NodeId"] = node,
                ["NodeName"] = "node-" + node.ToString(CultureInfo.InvariantCulture),
                ["Incarnation"] = incarnation,
            },
        };
        return JsonSerializer.Serialize(o);
    }

    public static string At(int ms, int node, string message, string? eventName = "Test", int? eventId = 5000) =>
        Line(T0.AddMilliseconds(ms), node, message, eventName, eventId);

    public static string FileName(int node) => "demo-node-" + node.ToString(CultureInfo.InvariantCulture) + ".jsonl";
}
