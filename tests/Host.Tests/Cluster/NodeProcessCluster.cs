using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using ActorNet.Actors.Cluster.Control;
using ActorNet.Hocon;
using ActorNet.Host.Node;

namespace ActorNet.Host.Tests.Cluster;

using Address = ActorNet.Actors.Cluster.Membership.Address;

/// <summary>
/// Real <c>actornet node</c> processes on loopback for one test: a unique cluster name, free ports, a temp folder
/// holding the cluster file, the shared-memory root and the logs. Dispose kills what is left and deletes the folder.
/// </summary>
internal sealed class NodeProcessCluster : IAsyncDisposable
{
    public const string Secret = "node-process-tests-secret-0123";
    private readonly Dictionary<int, Process> _processes = [];
    private readonly Dictionary<int, StringBuilder> _output = [];

    public NodeProcessCluster(int nodes, string extraClusterConfig = "")
    {
        Name = "ct-" + Guid.NewGuid().ToString("N")[..10];
        Folder = Path.Combine(Path.GetTempPath(), Name);
        Directory.CreateDirectory(Folder);
        Ports = Enumerable.Range(0, nodes).Select(_ => FreePort()).ToArray();
        var sections = string.Join("\n", Ports.Select((p, i) => $"    {i + 1} {{ node.remoting.port = {p} }}"));
        ConfigFile = Path.Combine(Folder, "cluster.conf");
        File.WriteAllText(ConfigFile, $$"""
            actornet {
              cluster {
                name = "{{Name}}"
                secret = "{{Secret}}"
                seed-nodes = ["127.0.0.1:{{Ports[0]}}"]
                seed-node-timeout = 1s
                periodic-tasks-initial-delay = 100ms
                gossip-interval = 200ms
                leader-actions-interval = 200ms
                unreachable-nodes-reaper-interval = 200ms
                failure-detector { heartbeat-interval = 200ms, acceptable-heartbeat-pause = 2s, expected-response-after = 500ms }
                downing.split-brain-resolver.stable-after = 2s
                {{extraClusterConfig}}
              }
              shared-memory { root = "{{Folder}}/shm", heartbeat.timeout = 3s }
              # All nodes share the root network namespace here: no shm0 adapters (membership tests only).
              networks.local.enabled = off
              logging { level = debug, console.enabled = off, file.folder = "{{Folder}}/logs" }
              nodes {
            {{sections}}
              }
            }
            """);
    }

    public string Name { get; }

    public string Folder { get; }

    public string ConfigFile { get; }

    public int[] Ports { get; }

    public static TimeSpan Dilated(TimeSpan t) => t * Math.Max(1.0, double.TryParse(Environment.GetEnvironmentVariable("ACTORNET_TEST_TIMEFACTOR"), NumberStyles.Float, CultureInfo.InvariantCulture, out var f) ? f : 3.0);

    public Address AddressOf(int node) => new(Name, "127.0.0.1", Ports[node - 1]);

    public Config Config => ConfigurationFactory.ParseFile(ConfigFile).WithFallback(ActorNet.Host.Configuration.ConfigLoader.Reference()).Resolve();

    public Process Start(int node)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "actornet.dll");
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { dll, "node", "--config", ConfigFile, "--node", node.ToString(CultureInfo.InvariantCulture) })
        {
            info.ArgumentList.Add(a);
        }

        var process = Process.Start(info)!;
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _processes[node] = process;
        _output[node] = output;
        return process;
    }

    public Process ProcessOf(int node) => _processes[node];

    public string OutputOf(int node)
    {
        var sb = _output[node];
        lock (sb)
        {
            return sb.ToString();
        }
    }

    public void Kill9(int node)
    {
        var p = _processes[node];
        p.Kill();
        p.WaitForExit(10_000);
    }

    public void Terminate(int node)
    {
        var p = _processes[node];
        _ = Syscall.Kill(p.Id, 15);
    }

    /// <summary>Asks node <paramref name="node"/> for its status (null = no answer).</summary>
    public async Task<ClusterStatus?> StatusAsync(int node, string secret = Secret)
    {
        var config = ConfigurationFactory.ParseString($"actornet.cluster.secret = \"{secret}\"").WithFallback(Config).Resolve();
        await using var client = ClusterClient.Start(config);
        return await client.AskAsync(AddressOf(node), "/system/cluster/core", new StatusRequest(1), TimeSpan.FromSeconds(3)) as ClusterStatus;
    }

    /// <summary>Polls node <paramref name="node"/>'s status until <paramref name="condition"/> holds or the dilated timeout ends.</summary>
    public async Task<ClusterStatus> AwaitStatusAsync(int node, Func<ClusterStatus, bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + Dilated(timeout);
        ClusterStatus? last = null;
        while (DateTime.UtcNow < deadline)
        {
            last = await StatusAsync(node);
            if (last is not null && condition(last))
            {
                return last;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"node {node}: {what} not reached; last view: {(last is null ? "no answer" : JsonSerializer.Serialize(last))}; output: {OutputOf(node)}");
    }

    /// <summary>The node's JSON log events (event name, message).</summary>
    public IReadOnlyList<(string Event, string Message)> Events(int node)
    {
        var path = Path.Combine(Folder, "logs", $"{Name}-node-{node}.jsonl");
        if (!File.Exists(path))
        {
            return [];
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        var result = new List<(string, string)>();
        while (reader.ReadLine() is { } line)
        {
            try
            {
                using var doc = JsonDocument.Parse(line);
                var root = doc.RootElement;
                result.Add((root.TryGetProperty("event", out var e) ? e.GetString() ?? "" : "", root.TryGetProperty("message", out var m) ? m.GetString() ?? "" : ""));
            }
            catch (JsonException)
            {
                // A line being written.
            }
        }

        return result;
    }

    public async Task AwaitEventAsync(int node, string eventName, string contains, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + Dilated(timeout);
        while (DateTime.UtcNow < deadline)
        {
            if (Events(node).Any(e => e.Event == eventName && e.Message.Contains(contains, StringComparison.Ordinal)))
            {
                return;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"node {node}: no {eventName} event containing '{contains}'; events: {string.Join(" | ", Events(node).Select(e => e.Event))}");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var p in _processes.Values)
        {
            try
            {
                if (!p.HasExited)
                {
                    p.Kill();
                    await p.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
                }
            }
            catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or System.ComponentModel.Win32Exception)
            {
                // Already gone.
            }

            p.Dispose();
        }

        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }

    public static int FreePort() => ActorNet.Host.Node.NodeProcesses.FreePort();

    private static class Syscall
    {
        [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
        public static extern int Kill(int pid, int signal);
    }
}
