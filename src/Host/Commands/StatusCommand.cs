using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using ActorNet.Actors.Cluster.Control;
using ActorNet.Hocon;
using ActorNet.Host.Configuration;
using ActorNet.Host.Network;
using ActorNet.Host.Node;
using ActorNet.Host.Orchestration;
using Spectre.Console;

namespace ActorNet.Host.Commands;

/// <summary>
/// <c>actornet status [--config FILE] [--node N] [--json]</c>, once, what <c>actornet up</c> shows live: a running node's
/// view of the cluster (node N, or the first that answers among the file's nodes and seeds: members, states,
/// reachability, leader, convergence), then the local network of the nodes on this machine from their status files
/// (processes, member states, adapters, rings with owners and per-ring counters, per-node rates between two samples of the status files, which nodes rewrite twice a second).
/// </summary>
internal static class StatusCommand
{
    private static readonly TimeSpan RateWindow = TimeSpan.FromSeconds(1.5);

    /// <summary>Builds the verb.</summary>
    public static Command Create(CliContext context)
    {
        var command = new Command("status", "Show a running cluster once: the members, their states, reachability and the leader as one node sees them (--node N picks the node; otherwise the first that answers), then the local network of its nodes on this machine: rings with owners, per-ring counters and per-node rates.");
        var options = new ConfigOptions();
        options.AddTo(command);
        var json = new Option<bool>("--json") { Description = "Print one JSON document instead of tables: the membership fields, and \"network\" with each node's status and rates." };
        command.Options.Add(json);
        command.SetAction(parse => Run(context, new ConfigLoadOptions(parse.GetValue(options.File), null, parse.GetValue(options.Defines) ?? [], context.Environment), parse.GetValue(options.Node), parse.GetValue(json)));
        return command;
    }

    private static int Run(CliContext context, ConfigLoadOptions load, int? node, bool json)
    {
        try
        {
            var loaded = ConfigLoader.Load(load);
            var clusterName = loaded.Config.GetString("actornet.cluster.name");
            var network = NetworkStatusSource.Find(loaded.Config, clusterName);
            var view = new ClusterView(network.Cluster, network.ShmFolder, network.Nodes);
            var first = network.Read();
            view.Sample(first);

            var targets = node is { } n ? [("node " + n.ToString(CultureInfo.InvariantCulture), ClusterTargets.AddressOf(load, n))] : ClusterTargets.All(load, loaded.Config);
            var membership = targets.Count == 0 ? null : AskMembership(context, loaded.Config, targets);
            var second = SecondSample(network, first);

            if (json)
            {
                context.Out.WriteLine(ToJson(membership, network, second, view.Sample(second)));
            }
            else
            {
                if (membership is not null)
                {
                    context.Out.Write(Format(membership));
                    context.Out.WriteLine();
                }

                WriteNetwork(context, network, view, second);
            }

            if (targets.Count == 0)
            {
                context.Error.WriteLine("actornet status: the configuration names no node sections and no seed nodes, so no node could be asked for the membership; pass --config FILE");
                return ExitCodes.InvalidInput;
            }

            if (membership is null)
            {
                context.Error.WriteLine("actornet status: no node answered (is the cluster running, and is actornet.cluster.secret the cluster's?)");
                return ExitCodes.Failed;
            }

            return ExitCodes.Ok;
        }
        catch (Exception ex) when (ex is HoconException or ConfigLoadException or ActorNet.Actors.Cluster.SettingsException)
        {
            context.Error.WriteLine(ex.Message);
            return ExitCodes.InvalidInput;
        }
    }

    private static ClusterStatus? AskMembership(CliContext context, Config config, IReadOnlyList<(string Label, Actors.Cluster.Membership.Address Address)> targets)
    {
        var client = ClusterClient.Start(config, hostname: ClusterClient.LocalAddressTowards(targets[0].Address));
        try
        {
            foreach (var (label, address) in targets)
            {
                var reply = client.AskAsync(address, "/system/cluster/core", new StatusRequest(1), TimeSpan.FromSeconds(3)).GetAwaiter().GetResult();
                if (reply is ClusterStatus status)
                {
                    return status;
                }

                context.Error.WriteLine($"no answer from {label} ({address}) within 3 s");
            }

            return null;
        }
        finally
        {
            client.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    // Waits until every node that reported has rewritten its status file (twice a second), so rates can be computed.
    private static IReadOnlyDictionary<int, NodeNetworkStatus?> SecondSample(NetworkStatusSource network, IReadOnlyDictionary<int, NodeNetworkStatus?> first)
    {
        var deadline = DateTime.UtcNow + RateWindow;
        while (true)
        {
            var now = network.Read();
            bool allNewer = first.All(f => f.Value is null || (now.TryGetValue(f.Key, out var s) && (s is null || s.WrittenUtc > f.Value.WrittenUtc)));
            if (first.Values.All(f => f is null) || allNewer || DateTime.UtcNow > deadline)
            {
                return now;
            }

            Thread.Sleep(100);
        }
    }

    private static void WriteNetwork(CliContext context, NetworkStatusSource network, ClusterView view, IReadOnlyDictionary<int, NodeNetworkStatus?> statuses)
    {
        if (network.Nodes.Count == 0 || statuses.Values.All(s => s is null))
        {
            context.Out.WriteLine($"local network: no node of cluster '{network.Cluster}' reports on this machine (no live status file in {StatusFile.FolderIn(network.ShmFolder)})");
            return;
        }

        bool terminal = ReferenceEquals(context.Out, Console.Out) && !Console.IsOutputRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(context.Out),
        });
        if (!terminal)
        {
            console.Profile.Width = 160;
        }

        console.Write(view.Render(statuses));
        console.WriteLine();
    }

    private static string ToJson(ClusterStatus? membership, NetworkStatusSource network, IReadOnlyDictionary<int, NodeNetworkStatus?> statuses, IReadOnlyDictionary<int, NodeRates> rates)
    {
        var root = membership is null ? new JsonObject() : JsonNode.Parse(new ControlMessageSerializer().ToBinary(membership))!.AsObject();
        var nodes = new JsonArray();
        foreach (var n in network.Nodes)
        {
            statuses.TryGetValue(n.Id, out var s);
            var item = new JsonObject
            {
                ["id"] = n.Id,
                ["name"] = n.Name,
                ["address"] = n.Address,
                ["running"] = s is not null,
            };
            item["rates"] = rates.TryGetValue(n.Id, out var r)
                ? new JsonObject
                {
                    ["tx_mbit_per_second"] = Math.Round(r.TxMbitPerSecond, 3),
                    ["rx_mbit_per_second"] = Math.Round(r.RxMbitPerSecond, 3),
                    ["tx_frames_per_second"] = Math.Round(r.TxFramesPerSecond, 1),
                    ["rx_frames_per_second"] = Math.Round(r.RxFramesPerSecond, 1),
                }
                : null;
            item["status"] = s is null ? null : JsonNode.Parse(StatusFile.ToJsonElement(s).GetRawText());
            nodes.Add(item);
        }

        root["network"] = new JsonObject
        {
            ["cluster"] = network.Cluster,
            ["shm_folder"] = network.ShmFolder,
            ["nodes"] = nodes,
        };
        return root.ToJsonString();
    }

    internal static string Format(ClusterStatus status)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"Cluster view of {status.Self} (status {status.SelfStatus}); leader {status.Leader ?? "none"}; convergence {(status.Convergence ? "yes" : "no")}").AppendLine();
        sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"{"ADDRESS",-45} {"INCARNATION",-20} {"STATUS",-9} {"REACHABLE",-9} ROLES"));
        foreach (var m in status.Members)
        {
            var marker = m.Address == status.Leader ? " (leader)" : string.Empty;
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"{m.Address,-45} {m.Uid,-20} {m.Status,-9} {(m.Reachable ? "yes" : "NO"),-9} {string.Join(',', m.Roles)}{marker}"));
        }

        return sb.ToString();
    }
}
