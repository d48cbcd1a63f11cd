using System.Diagnostics;
using System.Globalization;
using System.Net;
using ActorNet.Host.Network;
using ActorNet.Host.Platform;
using static ActorNet.DataPlane.Interop;

namespace ActorNet.Host.Orchestration;

/// <summary>
/// A whole ActorNet cluster on this machine, as <c>actornet up</c> runs it: one network namespace per node, a
/// management network (a bridge in the root namespace and one veth per node, <c>mgmt0</c> inside) for remoting
/// between namespaces, one <c>actornet node</c> process per node started with <c>ip netns exec</c>, health checks
/// (every link up, every pair answers ping over <c>shm0</c>), kill -9 / restart of one node, and a teardown that
/// removes processes, namespaces, links, segments and the state file. Used by the CLI verbs and by tests and
/// benchmarks. Not thread-safe: one caller drives it.
/// </summary>
public sealed class LocalCluster : IAsyncDisposable
{
    private readonly ClusterState _state;
    private readonly Dictionary<int, Process> _processes = [];
    private readonly TextWriter? _log;
    private bool _tornDown;

    private LocalCluster(ClusterPlan plan, ClusterState state, TextWriter? log)
    {
        Plan = plan;
        _state = state;
        _log = log;
    }

    /// <summary>The plan this cluster was started from.</summary>
    public ClusterPlan Plan { get; }

    /// <summary>Process id of each running node, by node id.</summary>
    public IReadOnlyDictionary<int, int> Pids => _state.Pids;

    /// <summary>
    /// Checks what <c>up</c> needs on this machine and returns a message per missing thing with its fix (empty when
    /// everything is there): Linux, root, /dev/net/tun, iproute2.
    /// </summary>
    public static IReadOnlyList<string> MissingPrerequisites()
    {
        var missing = new List<string>();
        try
        {
            NetworkNamespace.EnsurePrerequisites(needTun: true);
        }
        catch (PlatformPrerequisiteException ex)
        {
            missing.Add(ex.Message);
        }

        if (Ip.Find() is null)
        {
            missing.Add("iproute2's `ip` command is missing: install it (Debian/Ubuntu: apt-get install iproute2; Fedora: dnf install iproute).");
        }

        return missing;
    }

    /// <summary>
    /// Starts the cluster: removes what an earlier run of the same cluster left (from its state file, and any
    /// namespace or link with this cluster's prefix), creates the management bridge, the namespaces and veths, starts
    /// the node processes, and waits until every node is healthy (<see cref="WaitHealthyAsync"/>). On any failure
    /// everything created is torn down before the exception propagates.
    /// </summary>
    public static async Task<LocalCluster> StartAsync(ClusterPlan plan, IProgress<string>? progress = null, CancellationToken cancellationToken = default, TextWriter? log = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var missing = MissingPrerequisites();
        if (missing.Count > 0)
        {
            throw new PlatformPrerequisiteException("actornet up cannot run here:\n  - " + string.Join("\n  - ", missing));
        }

        RefuseIfRunning(plan);
        var leftovers = await CleanLeftoversAsync(plan).ConfigureAwait(false);
        if (leftovers.Count > 0)
        {
            progress?.Report("removed leftovers of an earlier run: " + string.Join(", ", leftovers));
        }

        var state = new ClusterState { Cluster = plan.Cluster, UpPid = Environment.ProcessId, Bridge = plan.Bridge, ShmFolder = plan.ShmFolder };
        foreach (var n in plan.Nodes)
        {
            state.DataAddresses[n.Id] = n.DataAddress.ToString();
            state.RemotingEndpoints[n.Id] = string.Create(CultureInfo.InvariantCulture, $"{n.ManagementAddress}:{n.RemotingPort}");
        }

        var cluster = new LocalCluster(plan, state, log);
        try
        {
            Directory.CreateDirectory(plan.OutputFolder);
            Directory.CreateDirectory(plan.ShmFolder);
            state.Write(plan.StatePath);
            progress?.Report($"management bridge {plan.Bridge} {plan.BridgeAddress}/{plan.ManagementSubnet.PrefixLength}");
            await Ip.RunAsync("link", "add", plan.Bridge, "type", "bridge").ConfigureAwait(false);
            await Ip.RunAsync("addr", "add", $"{plan.BridgeAddress}/{plan.ManagementSubnet.PrefixLength}", "dev", plan.Bridge).ConfigureAwait(false);
            await Ip.RunAsync("link", "set", plan.Bridge, "up").ConfigureAwait(false);
            foreach (var node in plan.Nodes)
            {
                cancellationToken.ThrowIfCancellationRequested();
                progress?.Report($"namespace {node.Namespace} for node {node.Id} ({node.Name}), management {node.ManagementAddress}");
                state.Namespaces[node.Id] = node.Namespace;
                state.HostVeths.Add(node.HostVeth);
                state.Write(plan.StatePath);
                NetworkNamespace.Create(node.Namespace);
                await Ip.RunAsync("link", "add", node.HostVeth, "type", "veth", "peer", "name", "mgmt0", "netns", node.Namespace).ConfigureAwait(false);
                await Ip.RunAsync("link", "set", node.HostVeth, "master", plan.Bridge, "up").ConfigureAwait(false);
                await Ip.RunAsync("-n", node.Namespace, "addr", "add", $"{node.ManagementAddress}/{plan.ManagementSubnet.PrefixLength}", "dev", "mgmt0").ConfigureAwait(false);
                await Ip.RunAsync("-n", node.Namespace, "link", "set", "mgmt0", "up").ConfigureAwait(false);
                await Ip.RunAsync("-n", node.Namespace, "link", "set", "lo", "up").ConfigureAwait(false);
            }

            foreach (var node in plan.Nodes)
            {
                progress?.Report($"starting node {node.Id} ({node.Name}) in {node.Namespace}");
                cluster.StartProcess(node);
            }

            await cluster.WaitHealthyAsync(progress, cancellationToken).ConfigureAwait(false);
            return cluster;
        }
        catch
        {
            await cluster.TeardownAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Waits until every node's status shows all its links to the other nodes up, then until every ordered pair
    /// answers ping over the shared-memory network; fails after <see cref="ClusterPlan.StartTimeout"/> naming what is
    /// not healthy (and the tail of the node's output when its process died).
    /// </summary>
    public async Task WaitHealthyAsync(IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        var deadline = DateTime.UtcNow + Plan.StartTimeout;
        string lastProblem = "not checked yet";
        string reported = string.Empty;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var problem = LinkProblem();
            if (problem is null)
            {
                break;
            }

            if (problem != reported)
            {
                progress?.Report("waiting: " + problem);
                reported = problem;
            }

            lastProblem = problem;
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"cluster '{Plan.Cluster}' did not become healthy within {Plan.StartTimeout.TotalSeconds:F0} s: {lastProblem}");
            }

            await Task.Delay(200, cancellationToken).ConfigureAwait(false);
        }

        progress?.Report("every link is up; checking ping between every pair of nodes");
        var pending = Plan.Nodes.SelectMany(a => Plan.Nodes.Where(b => b.Id != a.Id).Select(b => (a, b))).ToList();
        while (pending.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var results = await Task.WhenAll(pending.Select(async p => (p, ok: await PingAsync(p.a.Id, p.b.DataAddress).ConfigureAwait(false)))).ConfigureAwait(false);
            pending = results.Where(r => !r.ok).Select(r => r.p).ToList();
            if (pending.Count == 0)
            {
                break;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"cluster '{Plan.Cluster}': no ping answer for {string.Join(", ", pending.Select(p => $"{p.a.Id}->{p.b.Id} ({p.b.DataAddress})"))} within {Plan.StartTimeout.TotalSeconds:F0} s");
            }

            await Task.Delay(200, cancellationToken).ConfigureAwait(false);
        }

        progress?.Report($"healthy: {Plan.Nodes.Count} nodes, every pair answers ping");
    }

    /// <summary>
    /// Pings <paramref name="address"/> from node <paramref name="fromNode"/> (3 probes 200 ms apart, 3 s wait); true
    /// when at least one is answered, which tolerates one probe delayed on a heavily loaded machine.
    /// </summary>
    public async Task<bool> PingAsync(int fromNode, IPAddress address)
    {
        var r = await ExecAsync(fromNode, TimeSpan.FromSeconds(15), "ping", "-c", "3", "-i", "0.2", "-W", "3", address.ToString()).ConfigureAwait(false);
        return r.ExitCode == 0;
    }

    /// <summary>Runs a program inside node <paramref name="nodeId"/>'s namespace and returns its exit code and output.</summary>
    public Task<ProcessResult> ExecAsync(int nodeId, TimeSpan timeout, string program, params string[] arguments) =>
        NetworkNamespace.Open(Plan.Node(nodeId).Namespace).ExecAsync(timeout, program, arguments);

    /// <summary>The latest status of every node (null for a node without a readable, current status).</summary>
    public IReadOnlyDictionary<int, NodeNetworkStatus?> ReadStatus()
    {
        var result = new SortedDictionary<int, NodeNetworkStatus?>();
        foreach (var node in Plan.Nodes)
        {
            var s = StatusFile.TryRead(StatusFile.PathFor(Plan.ShmRoot, Plan.Cluster, node.Id));
            result[node.Id] = s is not null && _state.Pids.TryGetValue(node.Id, out var pid) && s.Pid == pid && IsAlive(pid) ? s : null;
        }

        return result;
    }

    /// <summary>
    /// Hands the cluster over (<c>up --detach</c>): the state file records that no <c>up</c> process watches it, so a
    /// later <c>up</c> of the same cluster refuses while its nodes run, and <c>actornet down</c> stops it.
    /// </summary>
    public void MarkDetached()
    {
        _state.Detached = true;
        _state.UpPid = 0;
        _state.Write(Plan.StatePath);
    }

    /// <summary>Kills node <paramref name="nodeId"/>'s process with SIGKILL (as a crash would) and reaps it.</summary>
    public void KillNode(int nodeId)
    {
        if (_processes.Remove(nodeId, out var process))
        {
            process.Kill();
            process.WaitForExit();
            process.Dispose();
        }
        else if (_state.Pids.TryGetValue(nodeId, out var pid))
        {
            _ = Libc.kill(pid, 9);
        }

        _state.Pids.Remove(nodeId);
        _state.Write(Plan.StatePath);
    }

    /// <summary>Starts node <paramref name="nodeId"/>'s process again in its (kept) namespace and waits until the cluster is healthy.</summary>
    public async Task RestartNodeAsync(int nodeId, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        if (_state.Pids.TryGetValue(nodeId, out var pid) && IsAlive(pid))
        {
            throw new InvalidOperationException($"node {nodeId} is still running (pid {pid}); kill it first.");
        }

        StartProcess(Plan.Node(nodeId));
        await WaitHealthyAsync(progress, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Starts one more <c>actornet node</c> process for <paramref name="nodeId"/> in its namespace, not tracked as
    /// part of the cluster (for tests of refusal paths); the caller owns the returned process.
    /// </summary>
    public Process StartExtraNodeProcess(int nodeId)
    {
        var node = Plan.Node(nodeId);
        var info = NetworkNamespace.Open(node.Namespace).CreateStartInfo(SelfCommand().File, [.. SelfCommand().Prefix, .. NodeArguments(node)]);
        return Process.Start(info) ?? throw new InvalidOperationException("could not start the node process");
    }

    /// <summary>Tears everything down (idempotent): SIGTERM the nodes (SIGKILL after 5 s), delete namespaces, veths, bridge, segments, state file.</summary>
    public async Task TeardownAsync()
    {
        if (_tornDown)
        {
            return;
        }

        _tornDown = true;
        await TeardownStateAsync(_state, Plan.StatePath, _processes.Values).ConfigureAwait(false);
        foreach (var p in _processes.Values)
        {
            p.Dispose();
        }

        _processes.Clear();
        try
        {
            if (Directory.Exists(Plan.OutputFolder) && _log is null)
            {
                // Node output stays for post-mortems only when the caller asked for a log; tests leave nothing.
                Directory.Delete(Plan.OutputFolder, recursive: true);
            }
        }
        catch (IOException)
        {
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync() => await TeardownAsync().ConfigureAwait(false);

    /// <summary>
    /// Tears down the cluster a state file describes (used by <c>actornet down</c> and by <c>up</c> for leftovers).
    /// Returns what was removed, in words.
    /// </summary>
    public static async Task<IReadOnlyList<string>> TeardownFromStateFileAsync(string statePath)
    {
        var state = ClusterState.TryRead(statePath);
        if (state is null)
        {
            if (File.Exists(statePath))
            {
                File.Delete(statePath);
                return [$"unreadable state file {statePath}"];
            }

            return [];
        }

        return await TeardownStateAsync(state, statePath, []).ConfigureAwait(false);
    }

    // A state file is a leftover only when nothing runs the cluster any more: refuse while its up process lives
    // (another terminal) or, for a detached cluster, while any of its nodes lives.
    private static void RefuseIfRunning(ClusterPlan plan)
    {
        var state = ClusterState.TryRead(plan.StatePath);
        if (state is null)
        {
            return;
        }

        if (state.UpPid > 0 && state.UpPid != Environment.ProcessId && IsAlive(state.UpPid) && IsActornetProcess(state.UpPid))
        {
            throw new ClusterAlreadyRunningException($"cluster '{plan.Cluster}' is already running: `actornet up` (pid {state.UpPid}) manages it. Stop it with Ctrl-C there, or `actornet down`.");
        }

        var alive = state.Pids.Where(p => p.Value > 0 && IsAlive(p.Value) && IsNodeProcess(p.Value)).Select(p => p.Key).ToList();
        if (state.Detached && alive.Count > 0)
        {
            throw new ClusterAlreadyRunningException($"cluster '{plan.Cluster}' is already running (started with --detach; node(s) {string.Join(", ", alive)} alive). Stop it first with `actornet down`.");
        }
    }

    private static bool IsActornetProcess(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Contains("actornet", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static async Task<IReadOnlyList<string>> CleanLeftoversAsync(ClusterPlan plan)
    {
        var removed = new List<string>(await TeardownFromStateFileAsync(plan.StatePath).ConfigureAwait(false));
        foreach (var ns in NetworkNamespace.List(plan.Prefix + "-"))
        {
            NetworkNamespace.Delete(ns);
            removed.Add("namespace " + ns);
        }

        if (await Ip.TryRunAsync("link", "del", plan.Bridge).ConfigureAwait(false))
        {
            removed.Add("bridge " + plan.Bridge);
        }

        if (Directory.Exists(plan.ShmFolder))
        {
            Directory.Delete(plan.ShmFolder, recursive: true);
            removed.Add("segments in " + plan.ShmFolder);
        }

        return removed;
    }

    private static async Task<IReadOnlyList<string>> TeardownStateAsync(ClusterState state, string statePath, IEnumerable<Process> owned)
    {
        var removed = new List<string>();
        var pids = state.Pids.Values.Where(p => p > 0 && IsNodeProcess(p)).ToList();
        foreach (var pid in pids)
        {
            _ = Libc.kill(pid, 15);
        }

        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (pids.Any(IsAlive) && DateTime.UtcNow < deadline)
        {
            foreach (var p in owned)
            {
                p.WaitForExit(0); // lets the runtime reap our own children
            }

            await Task.Delay(50).ConfigureAwait(false);
        }

        foreach (var pid in pids.Where(IsAlive))
        {
            _ = Libc.kill(pid, 9);
        }

        foreach (var p in owned)
        {
            p.WaitForExit(2000);
        }

        removed.AddRange(pids.Select(p => "process " + p.ToString(CultureInfo.InvariantCulture)));
        foreach (var ns in state.Namespaces.Values.Where(ValidName))
        {
            if (NetworkNamespace.Exists(ns))
            {
                NetworkNamespace.Delete(ns);
                removed.Add("namespace " + ns);
            }
        }

        foreach (var veth in state.HostVeths.Where(ValidName))
        {
            if (await Ip.TryRunAsync("link", "del", veth).ConfigureAwait(false))
            {
                removed.Add("link " + veth);
            }
        }

        if (ValidName(state.Bridge) && await Ip.TryRunAsync("link", "del", state.Bridge).ConfigureAwait(false))
        {
            removed.Add("bridge " + state.Bridge);
        }

        if (state.ShmFolder.Length > 0 && Path.IsPathFullyQualified(state.ShmFolder) && Directory.Exists(state.ShmFolder))
        {
            Directory.Delete(state.ShmFolder, recursive: true);
            removed.Add("segments in " + state.ShmFolder);
        }

        if (File.Exists(statePath))
        {
            File.Delete(statePath);
        }

        return removed;
    }

    private static bool ValidName(string name) => name.Length is > 0 and <= 15 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    /// <summary>Whether process <paramref name="pid"/> exists and is not a zombie.</summary>
    internal static bool IsAlive(int pid) => pid > 0 && DataPlane.Segments.ProcessLiveness.IsAlive(pid) && !IsZombie(pid);

    private static bool IsZombie(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            int close = stat.LastIndexOf(')');
            return close > 0 && close + 2 < stat.Length && stat[close + 2] == 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    // A pid from a state file may have been reused by an unrelated process: only signal actornet node processes.
    private static bool IsNodeProcess(int pid)
    {
        try
        {
            var args = File.ReadAllText($"/proc/{pid}/cmdline").Split('\0');
            return args.Contains("node") && (args.Contains("--node") || args.Any(a => a.StartsWith("actornet.node.id=", StringComparison.Ordinal)));
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    private string? LinkProblem()
    {
        var status = ReadStatus();
        foreach (var node in Plan.Nodes)
        {
            if (!_state.Pids.TryGetValue(node.Id, out var pid) || !IsAlive(pid))
            {
                var tail = TailOfOutput(node.Id);
                throw new InvalidOperationException($"node {node.Id} ({node.Name}) exited during start-up.{(tail.Length > 0 ? " Its output ends with:\n" + tail : string.Empty)}");
            }

            if (status[node.Id] is not { } s)
            {
                return $"node {node.Id} has not reported yet";
            }

            var down = Plan.Nodes.Where(o => o.Id != node.Id && !s.Links.Any(l => l.Peer == o.Id && l.State == "up")).Select(o => o.Id).ToList();
            if (down.Count > 0)
            {
                return $"node {node.Id} has no rings with node(s) {string.Join(",", down)} yet";
            }
        }

        return null;
    }

    private string TailOfOutput(int nodeId)
    {
        var path = OutputPath(nodeId);
        try
        {
            return File.Exists(path) ? string.Join("\n", File.ReadLines(path).TakeLast(8)) : string.Empty;
        }
        catch (IOException)
        {
            return string.Empty;
        }
    }

    private string OutputPath(int nodeId) => Path.Combine(Plan.OutputFolder, $"node-{nodeId.ToString(CultureInfo.InvariantCulture)}.out");

    private void StartProcess(NodePlan node)
    {
        var (file, prefix) = SelfCommand();
        var info = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("exec \"$@\" >>\"$ACTORNET_UP_OUTPUT\" 2>&1 </dev/null");
        info.ArgumentList.Add("sh");
        info.ArgumentList.Add(Ip.Find() ?? "ip");
        info.ArgumentList.Add("netns");
        info.ArgumentList.Add("exec");
        info.ArgumentList.Add(node.Namespace);
        info.ArgumentList.Add(file);
        foreach (var a in prefix.Concat(NodeArguments(node)))
        {
            info.ArgumentList.Add(a);
        }

        info.Environment["ACTORNET_UP_OUTPUT"] = OutputPath(node.Id);
        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start node {node.Id}");
        _processes[node.Id] = process;
        _state.Pids[node.Id] = process.Id;
        _state.Write(Plan.StatePath);
        _log?.WriteLine($"node {node.Id}: pid {process.Id}, output {OutputPath(node.Id)}");
    }

    private List<string> NodeArguments(NodePlan node)
    {
        var args = new List<string> { "node" };
        if (Plan.ConfigFile is not null)
        {
            args.Add("--config");
            args.Add(Plan.ConfigFile);
        }

        if (node.HasSection)
        {
            args.Add("--node");
            args.Add(node.Id.ToString(CultureInfo.InvariantCulture));
        }
        else
        {
            args.AddRange(["-D", "actornet.node.id=" + node.Id.ToString(CultureInfo.InvariantCulture), "-D", "actornet.node.name=\"" + node.Name + "\""]);
        }
        foreach (var d in Plan.Defines)
        {
            args.Add("-D");
            args.Add(d);
        }

        args.AddRange([
            "-D", "actornet.orchestration.nodes=" + Plan.Nodes.Max(n => n.Id).ToString(CultureInfo.InvariantCulture),
            "-D", "actornet.node.remoting.hostname=\"" + node.ManagementAddress + "\"",
            "-D", "actornet.cluster.seed-nodes=" + Plan.SeedNodesHocon,
            "-D", "actornet.networks.local.address=\"" + node.DataAddress + "\"",
            "-D", "actornet.logging.file.folder=\"" + Path.Combine(Plan.OutputFolder, "logs") + "\"",
        ]);
        return args;
    }

    private static (string File, string[] Prefix) SelfCommand()
    {
        var dir = Path.GetDirectoryName(typeof(LocalCluster).Assembly.Location) ?? AppContext.BaseDirectory;
        var apphost = Path.Combine(dir, "actornet");
        if (File.Exists(apphost))
        {
            return (apphost, []);
        }

        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (string.IsNullOrEmpty(dotnet))
        {
            dotnet = Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet" ? p : "dotnet";
        }

        return (dotnet, [Path.Combine(dir, "actornet.dll")]);
    }
}

/// <summary>An <c>up</c> of a cluster that another <c>up</c> (or a detached run) still runs on this machine.</summary>
public sealed class ClusterAlreadyRunningException : InvalidOperationException
{
    /// <summary>Creates the exception with what runs and how to stop it.</summary>
    public ClusterAlreadyRunningException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public ClusterAlreadyRunningException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>Creates the exception with a generic message.</summary>
    public ClusterAlreadyRunningException()
        : base("the cluster is already running")
    {
    }
}
