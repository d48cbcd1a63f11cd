using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using ActorNet.Actors.Cluster.Control;
using ActorNet.Hocon;
using ActorNet.Host.Configuration;

namespace ActorNet.Host.Node;

using Address = ActorNet.Actors.Cluster.Membership.Address;

/// <summary>One structured event read back from a node's JSON-lines log.</summary>
/// <param name="Timestamp">When it was logged (UTC).</param>
/// <param name="Event">Event name.</param>
/// <param name="Properties">Its properties as strings.</param>
public sealed record LoggedEvent(DateTime Timestamp, string Event, IReadOnlyDictionary<string, string> Properties)
{
    /// <summary>A property or "".</summary>
    public string this[string name] => Properties.TryGetValue(name, out var v) ? v : string.Empty;
}

/// <summary>
/// A set of real <c>actornet node</c> processes of one cluster on this machine, for benchmarks: writes a cluster file
/// (unique name, free loopback ports unless hosts are given, shared-memory root and logs in a temp folder), starts,
/// kills (-9) and restarts node processes, asks nodes for their status and reads their JSON logs. Dispose kills what
/// is left and deletes the folder. One caller thread.
/// </summary>
public sealed class NodeProcesses : IAsyncDisposable
{
    private readonly Dictionary<int, Process> _processes = [];
    private readonly Func<int, IReadOnlyList<string>>? _wrapper;
    private readonly string _clientHost;
    private ClusterClient? _client;

    /// <summary>Creates the cluster file for <paramref name="nodes"/> nodes.</summary>
    /// <param name="nodes">Number of node sections.</param>
    /// <param name="clusterConfig">Extra HOCON inside <c>actornet.cluster { }</c> (empty = defaults).</param>
    /// <param name="hosts">Remoting host per node (null = 127.0.0.1 with a free port each).</param>
    /// <param name="wrapper">Command prefix per node (e.g. <c>ip netns exec NS</c>), or null.</param>
    /// <param name="clientHost">Address this process uses to reach the nodes (status queries).</param>
    public NodeProcesses(int nodes, string clusterConfig = "", IReadOnlyList<string>? hosts = null, Func<int, IReadOnlyList<string>>? wrapper = null, string clientHost = "127.0.0.1")
    {
        _clientHost = clientHost;
        _wrapper = wrapper;
        Name = "bench-" + Guid.NewGuid().ToString("N")[..10];
        Folder = Path.Combine(Path.GetTempPath(), Name);
        Directory.CreateDirectory(Folder);
        Hosts = hosts ?? Enumerable.Repeat("127.0.0.1", nodes).ToArray();
        Ports = hosts is null ? Enumerable.Range(0, nodes).Select(_ => FreePort()).ToArray() : Enumerable.Repeat(4711, nodes).ToArray();
        var sections = string.Join("\n", Enumerable.Range(0, nodes).Select(i => $"    {i + 1} {{ node.remoting {{ hostname = \"{Hosts[i]}\", port = {Ports[i]} }} }}"));
        ConfigFile = Path.Combine(Folder, "cluster.conf");
        File.WriteAllText(ConfigFile, $$"""
            actornet {
              cluster {
                name = "{{Name}}"
                secret = "{{Secret}}"
                seed-nodes = ["{{Hosts[0]}}:{{Ports[0]}}"]
                {{clusterConfig}}
              }
              shared-memory.root = "{{Folder}}/shm"
              # Membership only: no shm0 adapter or rings (nodes may share one network namespace).
              networks.local.enabled = off
              logging { console.enabled = off, file.folder = "{{Folder}}/logs" }
              nodes {
            {{sections}}
              }
            }
            """);
    }

    /// <summary>The generated cluster secret.</summary>
    public string Secret { get; } = "bench-" + Guid.NewGuid().ToString("N");

    /// <summary>Cluster name (unique).</summary>
    public string Name { get; }

    /// <summary>Temp folder (cluster file, shm root, logs).</summary>
    public string Folder { get; }

    /// <summary>The cluster file.</summary>
    public string ConfigFile { get; }

    /// <summary>Remoting host per node.</summary>
    public IReadOnlyList<string> Hosts { get; }

    /// <summary>When true, dispose leaves the folder (logs) for a post-mortem.</summary>
    public bool KeepFolder { get; set; }

    /// <summary>Remoting port per node.</summary>
    public IReadOnlyList<int> Ports { get; }

    /// <summary>Remoting address of node <paramref name="node"/> (1-based).</summary>
    public Address AddressOf(int node) => new(Name, Hosts[node - 1], Ports[node - 1]);

    /// <summary>Starts node <paramref name="node"/> (the same executable as this process).</summary>
    public Process Start(int node)
    {
        var (file, prefix) = SelfCommand();
        var args = new List<string>();
        string exe = file;
        if (_wrapper is not null)
        {
            var wrap = _wrapper(node);
            exe = wrap[0];
            args.AddRange(wrap.Skip(1));
            args.Add(file);
        }

        args.AddRange(prefix);
        args.AddRange(["node", "--config", ConfigFile, "--node", node.ToString(CultureInfo.InvariantCulture)]);
        var info = new ProcessStartInfo(exe) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start " + exe);
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (_processes.Remove(node, out var old))
        {
            old.Dispose();
        }

        _processes[node] = process;
        return process;
    }

    /// <summary>kill -9 of node <paramref name="node"/>; returns the time of the kill (UTC).</summary>
    public DateTime Kill9(int node)
    {
        var p = _processes[node];
        var at = DateTime.UtcNow;
        p.Kill();
        p.WaitForExit(10_000);
        return at;
    }

    /// <summary>Asks node <paramref name="node"/> for its view (null = no answer within 2 s).</summary>
    public async Task<ClusterStatus?> StatusAsync(int node)
    {
        _client ??= ClusterClient.Start(ConfigLoader.Load(new ConfigLoadOptions(ConfigFile, 1)).Config, hostname: _clientHost);
        return await _client.AskAsync(AddressOf(node), "/system/cluster/core", new StatusRequest(1), TimeSpan.FromSeconds(2)).ConfigureAwait(false) as ClusterStatus;
    }

    /// <summary>Waits until node <paramref name="node"/> sees <paramref name="count"/> Up, reachable members and convergence.</summary>
    public async Task<ClusterStatus> AwaitAllUpAsync(int node, int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        ClusterStatus? last = null;
        while (DateTime.UtcNow < deadline)
        {
            last = await StatusAsync(node).ConfigureAwait(false);
            if (last is not null && last.Convergence && last.Members.Length == count && last.Members.All(m => m.Status == "Up" && m.Reachable))
            {
                return last;
            }

            await Task.Delay(100).ConfigureAwait(false);
        }

        throw new TimeoutException($"node {node} did not see {count} members Up within {timeout.TotalSeconds:F0} s; last view: {(last is null ? "no answer" : JsonSerializer.Serialize(last))}");
    }

    /// <summary>Reads node <paramref name="node"/>'s log events (tolerates a line being written).</summary>
    public IReadOnlyList<LoggedEvent> Events(int node)
    {
        var path = Path.Combine(Folder, "logs", $"{Name}-node-{node}.jsonl");
        var result = new List<LoggedEvent>();
        if (!File.Exists(path))
        {
            return result;
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
        {
            try
            {
                using var doc = JsonDocument.Parse(line);
                var root = doc.RootElement;
                var props = new Dictionary<string, string>(StringComparer.Ordinal);
                if (root.TryGetProperty("properties", out var p) && p.ValueKind == JsonValueKind.Object)
                {
                    foreach (var prop in p.EnumerateObject())
                    {
                        props[prop.Name] = prop.Value.ValueKind == JsonValueKind.String ? prop.Value.GetString() ?? string.Empty : prop.Value.GetRawText();
                    }
                }

                result.Add(new LoggedEvent(
                    root.GetProperty("timestamp").GetDateTime().ToUniversalTime(),
                    root.TryGetProperty("event", out var e) ? e.GetString() ?? string.Empty : string.Empty,
                    props));
            }
            catch (Exception ex) when (ex is JsonException or KeyNotFoundException or FormatException or InvalidOperationException)
            {
                // A line being written.
            }
        }

        return result;
    }

    /// <summary>Polls node <paramref name="node"/>'s log until an event matches; returns it or null after <paramref name="timeout"/>.</summary>
    public async Task<LoggedEvent?> AwaitEventAsync(int node, Func<LoggedEvent, bool> match, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var hit = Events(node).FirstOrDefault(match);
            if (hit is not null)
            {
                return hit;
            }

            await Task.Delay(20).ConfigureAwait(false);
        }

        return null;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_client is not null)
        {
            await _client.DisposeAsync().ConfigureAwait(false);
        }

        foreach (var p in _processes.Values)
        {
            try
            {
                if (!p.HasExited)
                {
                    p.Kill();
                    p.WaitForExit(10_000);
                }
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }

            p.Dispose();
        }

        if (KeepFolder)
        {
            return;
        }

        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a segment still mapped by a dying process.
        }
    }

    /// <summary>A free loopback TCP port (bound then released).</summary>
    public static int FreePort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        int port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }

    /// <summary>How to run this same CLI again: the executable and the arguments before the verb.</summary>
    public static (string File, IReadOnlyList<string> Prefix) SelfCommand()
    {
        var processPath = Environment.ProcessPath ?? "dotnet";
        var entry = typeof(NodeProcesses).Assembly.Location;
        return Path.GetFileNameWithoutExtension(processPath).Equals("dotnet", StringComparison.OrdinalIgnoreCase)
            ? (processPath, [entry])
            : (processPath, []);
    }
}
