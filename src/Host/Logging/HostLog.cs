using Microsoft.Extensions.Logging;

namespace ActorNet.Host.Logging;

/// <summary>
/// Structured events of the host (composition root and CLI), ids 1000..1999. Event ids are stable: they are
/// part of the log contract operators and <c>actornet logs --event</c> rely on; add new ones, never renumber.
/// Ranges of the other components: actor kernel 2000..2999, cluster 3000..3999, data-plane control
/// 4000..4999, local network 5000..5999.
/// </summary>
public static partial class HostLog
{
    /// <summary>Logging is configured; the first event of every process.</summary>
    [LoggerMessage(EventId = 1000, EventName = "LoggingStarted", Level = LogLevel.Information, Message = "Logging started at level {Level}; JSON file {LogFile}")]
    public static partial void LoggingStarted(ILogger logger, string level, string logFile);

    /// <summary>The effective configuration was loaded from these layers.</summary>
    [LoggerMessage(EventId = 1001, EventName = "ConfigurationLoaded", Level = LogLevel.Information, Message = "Configuration loaded from {Layers}")]
    public static partial void ConfigurationLoaded(ILogger logger, string layers);

    /// <summary>A settings problem stopped the start-up.</summary>
    [LoggerMessage(EventId = 1002, EventName = "ConfigurationInvalid", Level = LogLevel.Error, Message = "Configuration invalid: {Problem}")]
    public static partial void ConfigurationInvalid(ILogger logger, string problem);

    /// <summary>No cluster secret: remoting accepts any peer knowing the cluster name.</summary>
    [LoggerMessage(EventId = 1003, EventName = "AuthenticationOff", Level = LogLevel.Warning, Message = "actornet.cluster.secret is empty: remoting of cluster {ClusterName} accepts any peer that knows its name (development only)")]
    public static partial void AuthenticationOff(ILogger logger, string clusterName);
}
