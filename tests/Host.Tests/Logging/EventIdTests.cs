using System.Reflection;
using Microsoft.Extensions.Logging;

namespace ActorNet.Host.Tests.Logging;

/// <summary>Event ids are what operators filter on (<c>actornet logs --event ID</c>): one id, one event, product-wide.</summary>
public class EventIdTests
{
    private static readonly Assembly[] s_productAssemblies =
    [
        typeof(ActorNet.Actors.ActorSystem).Assembly,
        typeof(ActorNet.DataPlane.Frames.MacAddress).Assembly,
        typeof(ActorNet.Host.Program).Assembly,
    ];

    private static IEnumerable<(string Method, LoggerMessageAttribute Attribute)> Events() =>
        from assembly in s_productAssemblies
        from type in assembly.GetTypes()
        from method in type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly)
        let attribute = method.GetCustomAttribute<LoggerMessageAttribute>()
        where attribute is not null
        select (type.Name + "." + method.Name, attribute);

    [Fact]
    public void LoggerMessages_AcrossTheProduct_HaveUniqueIdsAndNames()
    {
        var events = Events().ToList();
        events.Count.ShouldBeGreaterThan(20);
        var clashes = events.GroupBy(e => e.Attribute.EventId).Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(e => e.Method))}").ToList();
        clashes.ShouldBeEmpty();
        var names = events.GroupBy(e => e.Attribute.EventName).Where(g => g.Key is not null && g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(e => e.Method))}").ToList();
        names.ShouldBeEmpty();
    }

    [Fact]
    public void LoggerMessages_ClusterAndRemoting_AreInTheDocumentedRange()
    {
        foreach (var (method, attribute) in Events().Where(e => e.Method.StartsWith("ClusterLog.", StringComparison.Ordinal) || e.Method.StartsWith("RemoteLog.", StringComparison.Ordinal)))
        {
            attribute.EventId.ShouldBeInRange(3000, 3999, method);
        }
    }
}
