using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using ActorNet.Host.Configuration;
using ActorNet.Host.Orchestration;
using ActorNet.Host.Platform;

namespace ActorNet.Host.Ops.Bench;

/// <summary>
/// The path under test: a 2-node ActorNet cluster started through the same orchestration as <c>actornet up</c>
/// (<see cref="LocalCluster"/>), node 1's namespace as client and node 2's as server, traffic over their <c>shm0</c>
/// TAP devices and the shared-memory rings between them. The cluster is started once with the network's MTU
/// (<c>actornet.networks.local.mtu</c>, which sizes the ring slots) at the largest the TAP device accepts; the MTUs
/// measured are then set on the two <c>shm0</c> devices, as for the other paths. Each run uses its own cluster name,
/// management subnet, run folder and shared-memory root, so it cannot meet another cluster on the machine.
/// </summary>
internal sealed class ActorNetTapBenchPath : ITapBenchPath
{
    /// <summary>Folder of the orchestration state files of benchmark clusters (for teardown after a crash).</summary>
    public const string RunFolder = "/run/actornet/anbench";

    /// <summary>MTU the cluster is configured with: the largest a Linux TAP device accepts (65535 - Ethernet header).</summary>
    public const int ConfiguredMtu = 65521;

    private readonly TextWriter _progress;

    /// <summary>Creates the path; orchestration progress lines go to <paramref name="progress"/>.</summary>
    public ActorNetTapBenchPath(TextWriter progress) => _progress = progress;

    /// <inheritdoc/>
    public string Name => "actornet";

    /// <inheritdoc/>
    public string Description => "TAP -> shared-memory rings -> TAP between two ActorNet nodes (actornet up orchestration)";

    /// <inheritdoc/>
    public string? Unavailable()
    {
        var missing = LocalCluster.MissingPrerequisites();
        return missing.Count == 0 ? null : string.Join("; ", missing);
    }

    /// <summary>
    /// Tears down benchmark clusters whose benchmark process is gone (their state files under <see cref="RunFolder"/>,
    /// named after clusters <c>anbench-&lt;pid&gt;-...</c>). Returns how many.
    /// </summary>
    public static async Task<int> CleanLeftoversAsync()
    {
        if (!Directory.Exists(RunFolder))
        {
            return 0;
        }

        var removed = 0;
        foreach (var state in Directory.EnumerateFiles(RunFolder, BenchScope.CommonPrefix + "*.state.json"))
        {
            if (BenchScope.OwnerAlive(Path.GetFileName(state)))
            {
                continue;
            }

            await LocalCluster.TeardownFromStateFileAsync(state).ConfigureAwait(false);
            removed++;
        }

        return removed;
    }

    /// <inheritdoc/>
    public async Task<IBenchLink> OpenAsync(BenchScope scope, CancellationToken cancellation)
    {
        var cluster = scope.Prefix.TrimEnd('-');
        var shmRoot = Path.Combine("/dev/shm", cluster);
        var subnet = string.Create(CultureInfo.InvariantCulture, $"10.{RandomNumberGenerator.GetInt32(214, 251)}.{RandomNumberGenerator.GetInt32(0, 256)}.0/24");
        string[] defines =
        [
            "actornet.cluster.name=" + cluster,
            "actornet.orchestration.management-subnet=\"" + subnet + "\"",
            "actornet.orchestration.run-folder=\"" + RunFolder + "\"",
            "actornet.shared-memory.root=\"" + shmRoot + "\"",
            "actornet.networks.local.mtu=" + ConfiguredMtu.ToString(CultureInfo.InvariantCulture),
            "actornet.logging.console.enabled=off",
        ];
        // The nodes are started with --node N, which needs a section per node in a cluster file.
        var file = Path.Combine(scope.TempDirectory, "bench-cluster.conf");
        await File.WriteAllTextAsync(file, "actornet.nodes {\n  1 { node.name = \"bench-1\" }\n  2 { node.name = \"bench-2\" }\n}\n", cancellation).ConfigureAwait(false);
        ClusterPlan plan;
        try
        {
            var loaded = ConfigLoader.Load(new ConfigLoadOptions(file, null, defines, null));
            plan = ClusterPlan.FromConfig(loaded.Config, file, defines, nodeCount: 2);
        }
        catch (Exception ex) when (ex is ArgumentException or ConfigLoadException or Hocon.HoconException or Actors.Cluster.SettingsException)
        {
            throw new BenchException("could not plan the 2-node cluster: " + ex.Message, ex);
        }

        LocalCluster started;
        try
        {
            started = await LocalCluster.StartAsync(plan, new LineProgress(_progress, "actornet: "), cancellation).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            TryDelete(shmRoot);
            throw new BenchException("the 2-node cluster did not start: " + ex.Message, ex);
        }

        try
        {
            var client = NetworkNamespace.Open(plan.Node(1).Namespace);
            var server = NetworkNamespace.Open(plan.Node(2).Namespace);
            var adapter = "shm0";
            var clientDetails = await BenchScope.RunAsync(cancellation, "ip", "-d", "-n", client.Name, "link", "show", "dev", adapter).ConfigureAwait(false);
            var maxMtu = Math.Min(BenchParsers.ParseMaxMtu(clientDetails) ?? ConfiguredMtu, ConfiguredMtu);
            return new ClusterLink(started, client, server, adapter, plan.Node(2).DataAddress, maxMtu, shmRoot, _progress);
        }
        catch
        {
            await started.TeardownAsync().ConfigureAwait(false);
            TryDelete(shmRoot);
            throw;
        }
    }

    private static void TryDelete(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>
    /// The two nodes' shm0 devices; disposing tears the whole cluster down. When a node process died during the run,
    /// the cluster's output folder (node output and JSON logs) is copied out first and its place reported, since the
    /// teardown deletes it.
    /// </summary>
    private sealed class ClusterLink(LocalCluster cluster, NetworkNamespace client, NetworkNamespace server, string adapter, IPAddress serverAddress, int maxMtu, string shmRoot, TextWriter progress) : IBenchLink
    {
        public NetworkNamespace Client => client;

        public NetworkNamespace Server => server;

        public string ClientDevice => adapter;

        public string ServerDevice => adapter;

        public IPAddress ServerAddress => serverAddress;

        public int MaxMtu => maxMtu;

        public async Task SetMtuAsync(int mtu, CancellationToken cancellation)
        {
            var text = mtu.ToString(CultureInfo.InvariantCulture);
            try
            {
                await BenchScope.RunAsync(cancellation, "ip", "-n", client.Name, "link", "set", "dev", adapter, "mtu", text).ConfigureAwait(false);
                await BenchScope.RunAsync(cancellation, "ip", "-n", server.Name, "link", "set", "dev", adapter, "mtu", text).ConfigureAwait(false);
            }
            catch (BenchException ex) when (DeadNodes().Count > 0)
            {
                throw new BenchException($"{ex.Message}; node process(es) died during the run: {string.Join(", ", DeadNodes())}", ex);
            }
        }

        public async ValueTask DisposeAsync()
        {
            var dead = DeadNodes();
            if (dead.Count > 0 && Directory.Exists(cluster.Plan.OutputFolder))
            {
                var kept = Path.Combine(Path.GetTempPath(), "actornet-bench-tap-" + cluster.Plan.Cluster);
                try
                {
                    CopyFolder(cluster.Plan.OutputFolder, kept);
                    progress.WriteLine($"actornet: node process(es) died during the run ({string.Join(", ", dead)}); their output and logs are kept in {kept} (read them with: actornet logs --dir {Path.Combine(kept, "logs")})");
                }
                catch (IOException ex)
                {
                    progress.WriteLine($"actornet: node process(es) died during the run ({string.Join(", ", dead)}); copying their logs failed: {ex.Message}");
                }
            }

            await cluster.TeardownAsync().ConfigureAwait(false);
            TryDelete(shmRoot);
        }

        private List<string> DeadNodes() =>
            cluster.Pids.Where(p => !Alive(p.Value)).Select(p => $"node {p.Key.ToString(CultureInfo.InvariantCulture)} (pid {p.Value.ToString(CultureInfo.InvariantCulture)})").ToList();

        private static bool Alive(int pid)
        {
            try
            {
                // /proc/<pid>/stat: "pid (comm) S ..."; a zombie (Z) has exited.
                var stat = File.ReadAllText("/proc/" + pid.ToString(CultureInfo.InvariantCulture) + "/stat");
                var close = stat.LastIndexOf(')');
                return close < 0 || close + 2 >= stat.Length || stat[close + 2] != 'Z';
            }
            catch (IOException)
            {
                return false;
            }
        }

        private static void CopyFolder(string from, string to)
        {
            Directory.CreateDirectory(to);
            foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
            {
                var target = Path.Combine(to, Path.GetRelativePath(from, file));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(file, target, overwrite: true);
            }
        }
    }

    /// <summary>Writes each progress report as one line with a prefix (synchronously, unlike <see cref="Progress{T}"/>).</summary>
    private sealed class LineProgress(TextWriter writer, string prefix) : IProgress<string>
    {
        public void Report(string value) => writer.WriteLine(prefix + value);
    }
}
