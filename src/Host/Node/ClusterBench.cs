using System.Diagnostics;
using System.Globalization;
using ActorNet.Actors;
using ActorNet.Actors.Cluster;
using ActorNet.Actors.Remote;
using ActorNet.Hocon;
using Microsoft.Extensions.Logging.Abstractions;

namespace ActorNet.Host.Node;

/// <summary>What <c>actornet bench cluster</c> runs.</summary>
/// <param name="Kills">kill -9 → Removed samples on the same host (≥ 20 for the issue's figure).</param>
/// <param name="ConvergenceNodes">Cluster size for the convergence figure (16 in the issue).</param>
/// <param name="ThroughputMessages">Small messages sent for the remoting throughput figure.</param>
/// <param name="CrossNamespace">Also measure crash → Removed with nodes in their own network namespaces (root only).</param>
public sealed record ClusterBenchOptions(int Kills = 20, int ConvergenceNodes = 16, int ThroughputMessages = 1_000_000, bool CrossNamespace = true);

/// <summary>Figures of one <c>actornet bench cluster</c> run (JSON field names are the issue's).</summary>
public sealed class ClusterBenchResult
{
    /// <summary>Same-host kill -9 → Removed (leader's log) p50, ms.</summary>
    public double? CrashToRemovedSameHostP50Ms { get; set; }

    /// <summary>Same-host kill -9 → Removed p95, ms.</summary>
    public double? CrashToRemovedSameHostP95Ms { get; set; }

    /// <summary>Number of same-host kills measured.</summary>
    public int CrashToRemovedSameHostSamples { get; set; }

    /// <summary>kill -9 → Removed with nodes in separate network namespaces, default settings, ms (median).</summary>
    public double? CrashToRemovedCrossNetnsMs { get; set; }

    /// <summary>Why the cross-namespace figure is missing, if it is.</summary>
    public string? CrossNetnsNote { get; set; }

    /// <summary>First join request → this node Up (its own log), p50, ms.</summary>
    public double? JoinToUpP50Ms { get; set; }

    /// <summary>Join → Up p95, ms.</summary>
    public double? JoinToUpP95Ms { get; set; }

    /// <summary>Join samples.</summary>
    public int JoinToUpSamples { get; set; }

    /// <summary>Join → Up p50 when nodes 2..N-1 of the convergence run start four at a time (CPU-bound start-up).</summary>
    public double? JoinToUpParallelP50Ms { get; set; }

    /// <summary>Join → Up p95 of the simultaneous joins.</summary>
    public double? JoinToUpParallelP95Ms { get; set; }

    /// <summary>Leader logs the last node Up → every other node has logged it, ms.</summary>
    [System.Text.Json.Serialization.JsonPropertyName("convergence_16_nodes_ms")]
    public double? Convergence16NodesMs { get; set; }

    /// <summary>Nodes in the convergence run.</summary>
    public int ConvergenceNodes { get; set; }

    /// <summary>Small messages per second between two transports over loopback TCP.</summary>
    public double? RemotingMsgsPerSec { get; set; }

    /// <summary>Peer in the same run: the same actor receiving the same messages by local Tell, per second.</summary>
    public double? LocalTellMsgsPerSec { get; set; }

    /// <summary>Processor count and load note.</summary>
    public string Machine { get; set; } = string.Empty;
}

/// <summary>
/// <c>actornet bench cluster</c>: real node processes (the same executable) on this machine; figures come from the
/// nodes' own JSON logs (timestamps of the structured events) and the kill time. Runs on the caller's thread.
/// </summary>
public static class ClusterBench
{
    /// <summary>Runs every measurement; <paramref name="progress"/> receives one line per step.</summary>
    public static async Task<ClusterBenchResult> RunAsync(ClusterBenchOptions options, Action<string> progress)
    {
        var result = new ClusterBenchResult { Machine = $"{Environment.ProcessorCount} cores, load average {LoadAverage()}" };
        var joins = new List<double>();
        if (options.Kills > 0)
        {
            await SameHostAsync(options, result, joins, progress).ConfigureAwait(false);
        }

        await ConvergenceAsync(options, result, joins, progress).ConfigureAwait(false);
        if (joins.Count > 0)
        {
            result.JoinToUpP50Ms = Percentile(joins, 50);
            result.JoinToUpP95Ms = Percentile(joins, 95);
            result.JoinToUpSamples = joins.Count;
        }

        await ThroughputAsync(options, result, progress).ConfigureAwait(false);
        if (options.CrossNamespace)
        {
            await CrossNamespaceAsync(result, progress).ConfigureAwait(false);
        }
        else
        {
            result.CrossNetnsNote = "skipped (--no-netns)";
        }

        return result;
    }

    private static async Task SameHostAsync(ClusterBenchOptions options, ClusterBenchResult result, List<double> joins, Action<string> progress)
    {
        await using var nodes = new NodeProcesses(3);
        progress($"same host: starting 3 nodes of cluster {nodes.Name}");
        nodes.Start(1);
        await nodes.AwaitAllUpAsync(1, 1, TimeSpan.FromSeconds(60)).ConfigureAwait(false);
        nodes.Start(2);
        nodes.Start(3);
        await nodes.AwaitAllUpAsync(1, 3, TimeSpan.FromSeconds(60)).ConfigureAwait(false);
        joins.AddRange(JoinSamples(nodes, 2));
        var samples = new List<double>();
        for (int i = 0; i < options.Kills; i++)
        {
            var view = await nodes.AwaitAllUpAsync(1, 3, TimeSpan.FromSeconds(60)).ConfigureAwait(false);
            var victim = view.Members.Single(m => m.Address == nodes.AddressOf(3).ToString());
            string peer = $"{victim.Address}#{victim.Uid}";
            var killedAt = nodes.Kill9(3);
            var removed = await nodes.AwaitEventAsync(1, e => e.Event == "MemberStatusChanged" && e["Peer"] == peer && e["NewState"] == "Removed", TimeSpan.FromSeconds(60)).ConfigureAwait(false);
            if (removed is null)
            {
                progress($"kill {i + 1}: node 3 was not removed within 60 s");
                continue;
            }

            double ms = (removed.Timestamp - killedAt).TotalMilliseconds;
            samples.Add(ms);
            progress(string.Create(CultureInfo.InvariantCulture, $"kill {i + 1}/{options.Kills}: Removed after {ms:F0} ms"));
            nodes.Start(3);
        }

        await nodes.AwaitAllUpAsync(1, 3, TimeSpan.FromSeconds(60)).ConfigureAwait(false);
        joins.AddRange(JoinSamples(nodes, 3));
        if (samples.Count > 0)
        {
            result.CrashToRemovedSameHostP50Ms = Percentile(samples, 50);
            result.CrashToRemovedSameHostP95Ms = Percentile(samples, 95);
            result.CrashToRemovedSameHostSamples = samples.Count;
        }
    }

    private static async Task ConvergenceAsync(ClusterBenchOptions options, ClusterBenchResult result, List<double> joins, Action<string> progress)
    {
        int n = options.ConvergenceNodes;
        if (n < 2)
        {
            return;
        }

        await using var nodes = new NodeProcesses(n);
        progress($"convergence: starting {n} nodes of cluster {nodes.Name}");
        try
        {
            await ConvergenceRunAsync(nodes, n, result, joins, progress).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            nodes.KeepFolder = true;
            progress($"convergence run failed; logs kept in {nodes.Folder}/logs");
            throw;
        }
    }

    private static async Task ConvergenceRunAsync(NodeProcesses nodes, int n, ClusterBenchResult result, List<double> joins, Action<string> progress)
    {
        nodes.Start(1);
        await nodes.AwaitAllUpAsync(1, 1, TimeSpan.FromSeconds(60)).ConfigureAwait(false);
        // Start in waves of 4: sixteen cold .NET processes at once on a small loaded host starve each other's
        // heartbeats for seconds (phi then rightly suspects them), which measures the host, not the cluster.
        for (int first = 2; first < n; first += 4)
        {
            int waveEnd = Math.Min(n - 1, first + 3);
            for (int i = first; i <= waveEnd; i++)
            {
                nodes.Start(i);
            }

            await nodes.AwaitAllUpAsync(1, waveEnd, TimeSpan.FromSeconds(120)).ConfigureAwait(false);
        }
        nodes.Start(n);
        var view = await nodes.AwaitAllUpAsync(1, n, TimeSpan.FromSeconds(120)).ConfigureAwait(false);
        string last = nodes.AddressOf(n).ToString();
        var lastMember = view.Members.Single(m => m.Address == last);
        string peer = $"{last}#{lastMember.Uid}";
        await Task.Delay(1000).ConfigureAwait(false);
        var upEvents = new List<LoggedEvent>();
        for (int i = 1; i <= n; i++)
        {
            var e = nodes.Events(i).FirstOrDefault(x => x.Event == "MemberStatusChanged" && x["Peer"] == peer && x["NewState"] == "Up");
            if (e is not null)
            {
                upEvents.Add(e);
            }
        }

        var leaderEvent = upEvents.FirstOrDefault(e => e["Reason"] == "leader actions");
        if (leaderEvent is not null && upEvents.Count == n)
        {
            result.Convergence16NodesMs = (upEvents.Max(e => e.Timestamp) - leaderEvent.Timestamp).TotalMilliseconds;
            result.ConvergenceNodes = n;
            progress(string.Create(CultureInfo.InvariantCulture, $"convergence: node {n} Up seen by all {n} nodes {result.Convergence16NodesMs:F0} ms after the leader"));
        }
        else
        {
            progress($"convergence: only {upEvents.Count} of {n} nodes logged node {n} Up");
        }

        var parallel = new List<double>();
        for (int i = 2; i < n; i++)
        {
            parallel.AddRange(JoinSamples(nodes, i));
        }

        if (parallel.Count > 0)
        {
            result.JoinToUpParallelP50Ms = Percentile(parallel, 50);
            result.JoinToUpParallelP95Ms = Percentile(parallel, 95);
        }

        // Node N joined alone into a running cluster: a sequential sample like the restarts of the same-host run.
        joins.AddRange(JoinSamples(nodes, n));
    }

    private static IEnumerable<double> JoinSamples(NodeProcesses nodes, int node)
    {
        var events = nodes.Events(node);
        string self = nodes.AddressOf(node).ToString();
        LoggedEvent? start = null;
        foreach (var e in events)
        {
            if (e.Event == "JoinProgress" && start is null)
            {
                start = e;
            }
            else if (start is not null && e.Event == "MemberStatusChanged" && e["Node"] == self && e["Peer"].StartsWith(self + "#", StringComparison.Ordinal) && e["NewState"] == "Up")
            {
                yield return (e.Timestamp - start.Timestamp).TotalMilliseconds;
                start = null;
            }
            else if (e.Event == "NodeStarted")
            {
                start = null;
            }
        }
    }

    private static async Task ThroughputAsync(ClusterBenchOptions options, ClusterBenchResult result, Action<string> progress)
    {
        int count = options.ThroughputMessages;
        string cluster = "bench-tp-" + Guid.NewGuid().ToString("N")[..8];
        await using var systemA = ActorSystem.Create("bench-a", ConfigurationFactory.Empty);
        await using var systemB = ActorSystem.Create("bench-b", ConfigurationFactory.Empty);
        RemoteTransport Transport(ActorSystem s) => new(
            s,
            new RemoteTransportSettings(cluster, "127.0.0.1", 0, 256 * 1024, TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1), "bench-throughput-secret", RemoteTransportSettings.NewUid()) { MaxQueuedPerPeer = count + 1 },
            ClusterNode.CreateSerializerRegistry(256 * 1024),
            NullLoggerFactory.Instance);
        await using var a = Transport(systemA);
        await using var b = Transport(systemB);
        a.Start();
        b.Start();

        // Local peer in the same run: the same counting actor fed by local Tell.
        var localDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var local = systemB.ActorOf(Props.Create(() => new Counter(count, localDone)), "local-counter");
        var sw = Stopwatch.StartNew();
        for (int i = 0; i < count; i++)
        {
            local.Tell(new ThroughputProbe(i), ActorRefs.NoSender);
        }

        await localDone.Task.WaitAsync(TimeSpan.FromMinutes(2)).ConfigureAwait(false);
        result.LocalTellMsgsPerSec = count / sw.Elapsed.TotalSeconds;

        var remoteDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        systemB.ActorOf(Props.Create(() => new Counter(count, remoteDone)), "counter");
        var target = a.ActorFor(b.LocalAddress.Address, "/user/counter");
        var warm = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        systemB.ActorOf(Props.Create(() => new Counter(1, warm)), "warm");
        a.ActorFor(b.LocalAddress.Address, "/user/warm").Tell(new ThroughputProbe(-1), ActorRefs.NoSender);
        await warm.Task.WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        sw.Restart();
        for (int i = 0; i < count; i++)
        {
            target.Tell(new ThroughputProbe(i), ActorRefs.NoSender);
        }

        await remoteDone.Task.WaitAsync(TimeSpan.FromMinutes(5)).ConfigureAwait(false);
        result.RemotingMsgsPerSec = count / sw.Elapsed.TotalSeconds;
        progress(string.Create(CultureInfo.InvariantCulture, $"throughput: {result.RemotingMsgsPerSec:F0} msg/s remote, {result.LocalTellMsgsPerSec:F0} msg/s local Tell ({count} messages)"));
    }

    private static async Task CrossNamespaceAsync(ClusterBenchResult result, Action<string> progress)
    {
        if (!OperatingSystem.IsLinux() || Environment.UserName != "root")
        {
            result.CrossNetnsNote = "needs Linux and root (network namespaces)";
            return;
        }

        await using var net = await NamespaceNetwork.CreateAsync(3).ConfigureAwait(false);
        if (net.Error is not null)
        {
            result.CrossNetnsNote = net.Error;
            return;
        }

        await using var nodes = new NodeProcesses(3, hosts: net.Addresses, wrapper: i => ["ip", "netns", "exec", net.Namespaces[i - 1]], clientHost: net.HostAddress);
        progress($"cross-namespace: 3 nodes in namespaces {string.Join(", ", net.Namespaces)}");
        nodes.Start(1);
        await nodes.AwaitAllUpAsync(1, 1, TimeSpan.FromSeconds(60)).ConfigureAwait(false);
        nodes.Start(2);
        nodes.Start(3);
        await nodes.AwaitAllUpAsync(1, 3, TimeSpan.FromSeconds(60)).ConfigureAwait(false);
        var samples = new List<double>();
        for (int i = 0; i < 3; i++)
        {
            var view = await nodes.AwaitAllUpAsync(1, 3, TimeSpan.FromSeconds(60)).ConfigureAwait(false);
            var victim = view.Members.Single(m => m.Address == nodes.AddressOf(3).ToString());
            string peer = $"{victim.Address}#{victim.Uid}";
            var killedAt = nodes.Kill9(3);
            var removed = await nodes.AwaitEventAsync(1, e => e.Event == "MemberStatusChanged" && e["Peer"] == peer && e["NewState"] == "Removed", TimeSpan.FromSeconds(90)).ConfigureAwait(false);
            if (removed is not null)
            {
                samples.Add((removed.Timestamp - killedAt).TotalMilliseconds);
                progress(string.Create(CultureInfo.InvariantCulture, $"cross-namespace kill {i + 1}/3: Removed after {samples[^1]:F0} ms"));
            }

            nodes.Start(3);
        }

        result.CrashToRemovedCrossNetnsMs = samples.Count > 0 ? Percentile(samples, 50) : null;
        result.CrossNetnsNote = "default settings; the nodes share the /dev/shm root of this host, so the same-host fast path applies across namespaces";
    }

    internal static double Percentile(List<double> values, double p)
    {
        var sorted = values.OrderBy(v => v).ToList();
        double rank = p / 100.0 * (sorted.Count - 1);
        int lo = (int)Math.Floor(rank);
        int hi = (int)Math.Ceiling(rank);
        return sorted[lo] + ((sorted[hi] - sorted[lo]) * (rank - lo));
    }

    private static string LoadAverage()
    {
        try
        {
            return File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
        }
        catch (IOException)
        {
            return "n/a";
        }
    }

    private sealed class Counter : ReceiveActor
    {
        public Counter(int expected, TaskCompletionSource done)
        {
            int seen = 0;
            Receive<ThroughputProbe>(_ =>
            {
                if (++seen == expected)
                {
                    done.TrySetResult();
                }
            });
        }
    }
}
