using Serilog.Core;
using Serilog.Events;

namespace ActorNet.Host.Logging;

/// <summary>
/// Adds the scalar property <c>EventName</c> (the Microsoft.Extensions.Logging event name, or the message
/// template's first word when the event has no name) so the human console format can show it. Called by
/// Serilog on the logging thread; stateless.
/// </summary>
internal sealed class EventNameEnricher : ILogEventEnricher
{
    /// <summary>Adds <c>EventName</c> when it is not already present.</summary>
    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        var (name, _) = JsonLinesFormatter.EventOf(logEvent);
        logEvent.AddPropertyIfAbsent(propertyFactory.CreateProperty("EventName", name ?? "-"));
    }
}
