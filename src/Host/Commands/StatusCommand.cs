using System.CommandLine;
using System.Globalization;
using System.Text;
using ActorNet.Actors.Cluster.Control;
using ActorNet.Hocon;
using ActorNet.Host.Configuration;
using ActorNet.Host.Node;

namespace ActorNet.Host.Commands;

/// <summary>
/// <c>actornet status [--config FILE] [--node N] [--json]</c>: asks a running node (node N, or the first that answers
/// among the file's nodes and seeds) for its view: members, states, reachability, leader, convergence.
/// </summary>
internal static class StatusCommand
{
    /// <summary>Builds the verb.</summary>
    public static Command Create(CliContext context)
    {
        var command = new Command("status", "Show the members of a running cluster, their states, reachability and the leader, as one node sees them (--node N picks the node; otherwise the first that answers).");
        var options = new ConfigOptions();
        options.AddTo(command);
        var json = new Option<bool>("--json") { Description = "Print one JSON document instead of a table." };
        command.Options.Add(json);
        command.SetAction(parse => Run(context, new ConfigLoadOptions(parse.GetValue(options.File), null, parse.GetValue(options.Defines) ?? [], context.Environment), parse.GetValue(options.Node), parse.GetValue(json)));
        return command;
    }

    private static int Run(CliContext context, ConfigLoadOptions load, int? node, bool json)
    {
        try
        {
            var loaded = ConfigLoader.Load(load);
            var targets = node is { } n ? [("node " + n.ToString(CultureInfo.InvariantCulture), ClusterTargets.AddressOf(load, n))] : ClusterTargets.All(load, loaded.Config);
            if (targets.Count == 0)
            {
                context.Error.WriteLine("actornet status: the configuration names no node sections and no seed nodes; pass --config FILE");
                return ExitCodes.InvalidInput;
            }

            var client = ClusterClient.Start(loaded.Config, hostname: ClusterClient.LocalAddressTowards(targets[0].Address));
            try
            {
                foreach (var (label, address) in targets)
                {
                    var reply = client.AskAsync(address, "/system/cluster/core", new StatusRequest(1), TimeSpan.FromSeconds(3)).GetAwaiter().GetResult();
                    if (reply is ClusterStatus status)
                    {
                        context.Out.Write(json ? Encoding.UTF8.GetString(new ControlMessageSerializer().ToBinary(status)) + Environment.NewLine : Format(status));
                        return ExitCodes.Ok;
                    }

                    context.Error.WriteLine($"no answer from {label} ({address}) within 3 s");
                }
            }
            finally
            {
                client.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }

            context.Error.WriteLine("actornet status: no node answered (is the cluster running, and is actornet.cluster.secret the cluster's?)");
            return ExitCodes.Failed;
        }
        catch (Exception ex) when (ex is HoconException or ConfigLoadException or ActorNet.Actors.Cluster.SettingsException)
        {
            context.Error.WriteLine(ex.Message);
            return ExitCodes.InvalidInput;
        }
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
