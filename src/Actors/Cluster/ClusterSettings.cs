using System.Globalization;
using System.Text.RegularExpressions;
using ActorNet.Hocon;

namespace ActorNet.Actors.Cluster;

/// <summary>
/// Settings of cluster membership (<c>actornet.cluster</c>) and of this node's remoting endpoint
/// (<c>actornet.node.remoting</c>), built once at start-up from the resolved configuration by
/// <see cref="FromConfig"/>, then shared read-only by the cluster actors. Key meanings and units are in
/// hocon/reference.conf; the names follow Akka.Cluster's.
/// </summary>
/// <param name="Name">Cluster name (letters, digits, '-'), part of every node address and of the segment path.</param>
/// <param name="SeedNodes">Contact points in the order they are tried.</param>
/// <param name="Secret">Shared handshake secret; empty means authentication is off (development only).</param>
/// <param name="MinNrOfMembers">Members required before the leader moves Joining members to Up.</param>
/// <param name="SeedNodeTimeout">How long a join attempt waits for a seed's answer.</param>
/// <param name="RetryUnsuccessfulJoinAfter">Delay before joining again when no seed answered; null = try once.</param>
/// <param name="PeriodicTasksInitialDelay">Delay before gossip, leader actions and reaper start.</param>
/// <param name="GossipInterval">Period of gossip to one other node.</param>
/// <param name="GossipTimeToLive">Incoming gossip older than this is discarded.</param>
/// <param name="GossipDifferentViewProbability">Probability of preferring a node with a different view.</param>
/// <param name="LeaderActionsInterval">Period of leader actions.</param>
/// <param name="UnreachableNodesReaperInterval">Period of the unreachable-member reaper.</param>
/// <param name="AllowWeaklyUpMembers">Delay after which Joining members become WeaklyUp without convergence; null = never.</param>
/// <param name="FailureDetector">Phi-accrual and same-host fast-path settings.</param>
/// <param name="Downing">Split brain resolver settings.</param>
/// <param name="Remoting">This node's remoting endpoint and transport limits.</param>
public sealed record ClusterSettings(
    string Name,
    IReadOnlyList<SeedNode> SeedNodes,
    string Secret,
    int MinNrOfMembers,
    TimeSpan SeedNodeTimeout,
    TimeSpan? RetryUnsuccessfulJoinAfter,
    TimeSpan PeriodicTasksInitialDelay,
    TimeSpan GossipInterval,
    TimeSpan GossipTimeToLive,
    double GossipDifferentViewProbability,
    TimeSpan LeaderActionsInterval,
    TimeSpan UnreachableNodesReaperInterval,
    TimeSpan? AllowWeaklyUpMembers,
    FailureDetectorSettings FailureDetector,
    DowningSettings Downing,
    RemotingSettings Remoting)
{
    /// <summary>Smallest accepted non-empty secret, in characters.</summary>
    public const int MinSecretLength = 16;

    private static readonly Regex s_clusterName = new("^[A-Za-z0-9-]{1,64}$", RegexOptions.CultureInvariant);

    /// <summary>True when a secret is configured and the handshake proves it.</summary>
    public bool AuthenticationEnabled => Secret.Length > 0;

    /// <summary>
    /// Builds the settings from a resolved configuration holding <c>actornet.cluster</c> and
    /// <c>actornet.node.remoting</c> (the embedded reference supplies every default).
    /// </summary>
    /// <exception cref="SettingsException">Every invalid key, each with the fix.</exception>
    public static ClusterSettings FromConfig(Config config)
    {
        var r = new SettingsReader(config);
        var settings = Read(r);
        r.ThrowIfInvalid();
        return settings;
    }

    /// <summary>Reads the settings, recording problems in <paramref name="r"/> instead of throwing.</summary>
    public static ClusterSettings Read(SettingsReader r)
    {
        const string P = "actornet.cluster.";
        var name = r.String(P + "name", v => s_clusterName.IsMatch(v) ? null : "use 1..64 letters, digits or '-'");
        var seeds = new List<SeedNode>();
        foreach (var entry in r.StringList(P + "seed-nodes"))
        {
            if (SeedNode.TryParse(entry, out var seed, out var error))
            {
                if (seed.ClusterName is { } seedCluster && seedCluster != name)
                {
                    r.Problem(P + "seed-nodes", $"{P}seed-nodes entry \"{entry}\" names cluster \"{seedCluster}\" but actornet.cluster.name is \"{name}\"; use the same name or write the seed as \"host:port\"");
                }

                seeds.Add(seed);
            }
            else
            {
                r.Problem(P + "seed-nodes", $"{P}seed-nodes entry \"{entry}\" is invalid: {error}; write seeds as \"host:port\" or \"actornet://{name}@host:port\"");
            }
        }

        var secret = r.String(P + "secret", v => v.Length is 0 or >= MinSecretLength ? null : $"a secret must have at least {MinSecretLength} characters (or be \"\" to turn authentication off)", "set actornet.cluster.secret or ACTORNET_CLUSTER_SECRET");
        var settings = new ClusterSettings(
            name,
            seeds,
            secret,
            r.Int(P + "min-nr-of-members", 1, 65534, "members needed before Joining members become Up"),
            r.Duration(P + "seed-node-timeout", TimeSpan.FromMilliseconds(1)),
            r.DurationOrOff(P + "retry-unsuccessful-join-after", TimeSpan.FromMilliseconds(1)),
            r.Duration(P + "periodic-tasks-initial-delay", TimeSpan.Zero),
            r.Duration(P + "gossip-interval", TimeSpan.FromMilliseconds(1)),
            r.Duration(P + "gossip-time-to-live", TimeSpan.FromMilliseconds(1)),
            r.Double(P + "gossip-different-view-probability", 0.0, 1.0, "a probability"),
            r.Duration(P + "leader-actions-interval", TimeSpan.FromMilliseconds(1)),
            r.Duration(P + "unreachable-nodes-reaper-interval", TimeSpan.FromMilliseconds(1)),
            r.DurationOrOff(P + "allow-weakly-up-members", TimeSpan.Zero),
            FailureDetectorSettings.Read(r),
            DowningSettings.Read(r),
            RemotingSettings.Read(r));
        return settings;
    }
}

/// <summary>A contact point of <c>actornet.cluster.seed-nodes</c>.</summary>
/// <param name="Host">Host name or IP address.</param>
/// <param name="Port">TCP port, 1..65535.</param>
/// <param name="ClusterName">Cluster name when written as <c>actornet://name@host:port</c>; null for <c>host:port</c>.</param>
public sealed record SeedNode(string Host, int Port, string? ClusterName)
{
    /// <summary>Parses <c>host:port</c> or <c>actornet://name@host:port</c>; on failure <paramref name="error"/> says why.</summary>
    public static bool TryParse(string text, out SeedNode seed, out string error)
    {
        seed = new SeedNode(string.Empty, 0, null);
        string? cluster = null;
        var rest = text.Trim();
        if (rest.StartsWith("actornet://", StringComparison.Ordinal))
        {
            rest = rest["actornet://".Length..];
            var at = rest.IndexOf('@', StringComparison.Ordinal);
            if (at <= 0)
            {
                error = "an actornet:// address needs the cluster name before '@'";
                return false;
            }

            cluster = rest[..at];
            rest = rest[(at + 1)..];
        }

        var colon = rest.LastIndexOf(':');
        if (colon <= 0 || colon == rest.Length - 1)
        {
            error = "expected host:port";
            return false;
        }

        if (!int.TryParse(rest[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            error = "the port must be a number 1..65535";
            return false;
        }

        seed = new SeedNode(rest[..colon], port, cluster);
        error = string.Empty;
        return true;
    }

    /// <summary>Returns <c>host:port</c>.</summary>
    public override string ToString() => $"{Host}:{Port.ToString(CultureInfo.InvariantCulture)}";
}

/// <summary>Phi-accrual failure detector settings (<c>actornet.cluster.failure-detector</c>), Akka's keys and meaning.</summary>
/// <param name="HeartbeatInterval">Heartbeat period per monitored peer.</param>
/// <param name="Threshold">Phi above which a peer is unreachable.</param>
/// <param name="MaxSampleSize">Inter-arrival samples kept per peer.</param>
/// <param name="MinStdDeviation">Floor of the standard deviation used by phi.</param>
/// <param name="AcceptableHeartbeatPause">Tolerated lost or late heartbeats, as a duration.</param>
/// <param name="MonitoredByNrOfMembers">Members that monitor each member.</param>
/// <param name="ExpectedResponseAfter">Delay after the first request before detection starts.</param>
/// <param name="SameHostEnabled">Whether the same-host fast path confirms deaths of peers on this host.</param>
/// <param name="SameHostCheckInterval">Period of the same-host liveness check.</param>
/// <param name="SameHostUseProcessExit">Whether process exit alone confirms a same-host death.</param>
public sealed record FailureDetectorSettings(
    TimeSpan HeartbeatInterval,
    double Threshold,
    int MaxSampleSize,
    TimeSpan MinStdDeviation,
    TimeSpan AcceptableHeartbeatPause,
    int MonitoredByNrOfMembers,
    TimeSpan ExpectedResponseAfter,
    bool SameHostEnabled,
    TimeSpan SameHostCheckInterval,
    bool SameHostUseProcessExit)
{
    /// <summary>Reads <c>actornet.cluster.failure-detector</c>, recording problems in <paramref name="r"/>.</summary>
    public static FailureDetectorSettings Read(SettingsReader r)
    {
        const string P = "actornet.cluster.failure-detector.";
        return new FailureDetectorSettings(
            r.Duration(P + "heartbeat-interval", TimeSpan.FromMilliseconds(1)),
            r.Double(P + "threshold", double.Epsilon, 1000.0, "phi threshold, a positive number"),
            r.Int(P + "max-sample-size", 1, 1_000_000, "samples kept per peer"),
            r.Duration(P + "min-std-deviation", TimeSpan.FromTicks(1)),
            r.Duration(P + "acceptable-heartbeat-pause", TimeSpan.Zero),
            r.Int(P + "monitored-by-nr-of-members", 1, 65534, "members monitoring each member"),
            r.Duration(P + "expected-response-after", TimeSpan.FromMilliseconds(1)),
            r.Bool(P + "same-host.enabled"),
            r.Duration(P + "same-host.check-interval", TimeSpan.FromMilliseconds(1)),
            r.Bool(P + "same-host.use-process-exit"));
    }
}

/// <summary>Split brain resolver strategy (Akka's definitions).</summary>
public enum DowningStrategy
{
    /// <summary>The side with more than half of the members survives; on a tie, the side with the lowest address.</summary>
    KeepMajority,

    /// <summary>A side survives when it has at least quorum-size members.</summary>
    StaticQuorum,

    /// <summary>The side holding the oldest member survives (unless it is alone and down-if-alone is on).</summary>
    KeepOldest,
}

/// <summary>Downing settings (<c>actornet.cluster.downing</c>): what happens to unreachable members.</summary>
/// <param name="Enabled">False when provider = off: no automatic downing.</param>
/// <param name="DownConfirmedDeadImmediately">Down a same-host peer confirmed dead at once, without stable-after.</param>
/// <param name="ActiveStrategy">Split brain resolver strategy.</param>
/// <param name="StableAfter">Quiet period before a decision.</param>
/// <param name="DownAllWhenUnstable">Extra time after stable-after before downing all when unstable; null = never.</param>
/// <param name="Role">Role the active strategy counts ("" = all members).</param>
/// <param name="QuorumSize">static-quorum: members a side needs; 0 when another strategy is active.</param>
/// <param name="DownIfAlone">keep-oldest: down the oldest when it is alone.</param>
public sealed record DowningSettings(
    bool Enabled,
    bool DownConfirmedDeadImmediately,
    DowningStrategy ActiveStrategy,
    TimeSpan StableAfter,
    TimeSpan? DownAllWhenUnstable,
    string Role,
    int QuorumSize,
    bool DownIfAlone)
{
    private static readonly Dictionary<string, bool> s_providers = new() { ["split-brain-resolver"] = true, ["off"] = false };

    private static readonly Dictionary<string, DowningStrategy> s_strategies = new()
    {
        ["keep-majority"] = DowningStrategy.KeepMajority,
        ["static-quorum"] = DowningStrategy.StaticQuorum,
        ["keep-oldest"] = DowningStrategy.KeepOldest,
    };

    /// <summary>Reads <c>actornet.cluster.downing</c>, recording problems in <paramref name="r"/>.</summary>
    public static DowningSettings Read(SettingsReader r)
    {
        const string P = "actornet.cluster.downing.";
        const string S = P + "split-brain-resolver.";
        var enabled = r.IsOff(P + "provider") ? false : r.Choice(P + "provider", s_providers);
        var immediately = r.Bool(P + "down-confirmed-dead-immediately");
        var strategy = r.Choice(S + "active-strategy", s_strategies);
        var stableAfter = r.Duration(S + "stable-after", TimeSpan.FromMilliseconds(1));
        TimeSpan? downAll;
        if (r.IsOff(S + "down-all-when-unstable"))
        {
            downAll = null;
        }
        else if (r.Config.HasPath(S + "down-all-when-unstable") && IsOn(r, S + "down-all-when-unstable"))
        {
            // Akka: "on" means 3/4 of stable-after, but at least 4 seconds.
            var threeQuarters = TimeSpan.FromTicks(stableAfter.Ticks * 3 / 4);
            downAll = threeQuarters < TimeSpan.FromSeconds(4) ? TimeSpan.FromSeconds(4) : threeQuarters;
        }
        else
        {
            downAll = r.Duration(S + "down-all-when-unstable", TimeSpan.FromMilliseconds(1));
        }

        var quorum = r.Int(S + "static-quorum.quorum-size", 0, 65534, "members a side needs to survive, 0 = not set");
        if (enabled && strategy == DowningStrategy.StaticQuorum && quorum == 0)
        {
            r.Problem(S + "static-quorum.quorum-size", $"{S}static-quorum.quorum-size is not set but active-strategy = static-quorum: set it to more than half of the cluster size, or use keep-majority");
        }

        var roleKey = strategy switch
        {
            DowningStrategy.StaticQuorum => S + "static-quorum.role",
            DowningStrategy.KeepOldest => S + "keep-oldest.role",
            _ => S + "keep-majority.role",
        };
        var downIfAlone = r.Bool(S + "keep-oldest.down-if-alone");
        return new DowningSettings(enabled, immediately, strategy, stableAfter, downAll, r.String(roleKey), quorum, downIfAlone);
    }

    private static bool IsOn(SettingsReader r, string path)
    {
        try
        {
            return r.Config.GetString(path) is "on" or "true" or "yes";
        }
        catch (HoconException)
        {
            return false;
        }
    }
}

/// <summary>This node's remoting endpoint and TCP transport limits (<c>actornet.node.remoting</c>).</summary>
/// <param name="Hostname">Host name or IP peers use and this node listens on.</param>
/// <param name="Port">TCP port; 0 = any free port.</param>
/// <param name="MaximumFrameSize">Largest message accepted or sent, in bytes.</param>
/// <param name="HandshakeTimeout">Deadline of the handshake on a new connection.</param>
/// <param name="MinBackoff">First reconnect delay.</param>
/// <param name="MaxBackoff">Largest reconnect delay.</param>
public sealed record RemotingSettings(
    string Hostname,
    int Port,
    long MaximumFrameSize,
    TimeSpan HandshakeTimeout,
    TimeSpan MinBackoff,
    TimeSpan MaxBackoff)
{
    /// <summary>Messages queued towards one peer before further ones are dropped and logged (<c>send-queue-size</c>).</summary>
    public int SendQueueSize { get; init; } = 500_000;

    /// <summary>An idle outbound connection sends a keep-alive frame this often (<c>keep-alive-interval</c>).</summary>
    public TimeSpan KeepAliveInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Reads <c>actornet.node.remoting</c>, recording problems in <paramref name="r"/>.</summary>
    public static RemotingSettings Read(SettingsReader r)
    {
        const string P = "actornet.node.remoting.";
        var settings = new RemotingSettings(
            r.String(P + "hostname", v => v.Length > 0 ? null : "a host name or IP address is required"),
            r.Int(P + "port", 0, 65535, "TCP ports are 1..65535, 0 = any free port"),
            r.Bytes(P + "maximum-frame-size", 1024, 64L * 1024 * 1024),
            r.Duration(P + "handshake-timeout", TimeSpan.FromMilliseconds(1)),
            r.Duration(P + "min-backoff", TimeSpan.FromMilliseconds(1)),
            r.Duration(P + "max-backoff", TimeSpan.FromMilliseconds(1)))
        {
            SendQueueSize = r.Int(P + "send-queue-size", 1, 100_000_000, "messages queued per peer"),
            KeepAliveInterval = r.Duration(P + "keep-alive-interval", TimeSpan.FromMilliseconds(1)),
        };
        if (settings.MaxBackoff < settings.MinBackoff)
        {
            r.Problem(P + "max-backoff", $"{P}max-backoff ({SettingsReader.Format(settings.MaxBackoff)}) is below {P}min-backoff ({SettingsReader.Format(settings.MinBackoff)}); raise max-backoff or lower min-backoff");
        }

        return settings;
    }
}
