using System.CommandLine;
using System.Runtime.InteropServices;
using ActorNet.Host.Orchestration;
using ActorNet.Host.Platform;
using Spectre.Console;

namespace ActorNet.Host.Commands;

/// <summary>
/// <c>actornet up</c>: start a whole cluster on this machine (<see cref="LocalCluster"/>), show progress until it is
/// healthy, then a live status view until Ctrl-C, which tears everything down and exits 0. <c>--detach</c> returns
/// once healthy and leaves the cluster running for <c>actornet exec</c> and <c>actornet down</c>.
/// </summary>
internal static class UpCommand
{
    /// <summary>Builds the verb with its options.</summary>
    public static Command Create(CliContext context)
    {
        var command = new Command("up", "Start a whole cluster on this machine, one node per network namespace, and show it live until Ctrl-C (which tears it all down).");
        var options = new ConfigOptions();
        var nodes = new Option<int?>("--nodes") { Description = "Number of nodes to start (default: one per node section of the file, else 3).", HelpName = "N" };
        var detach = new Option<bool>("--detach") { Description = "Return once the cluster is healthy instead of showing it live; stop it with 'actornet down'." };
        command.Options.Add(options.File);
        command.Options.Add(options.Defines);
        command.Options.Add(nodes);
        command.Options.Add(detach);
        command.SetAction(parse => Run(context, parse.GetValue(options.File), parse.GetValue(options.Defines) ?? [], parse.GetValue(nodes), parse.GetValue(detach)));
        return command;
    }

    private static int Run(CliContext context, string? file, string[] defines, int? nodeCount, bool detach)
    {
        var loaded = ClusterCommandSupport.Load(context, file, defines);
        if (loaded is null)
        {
            return ExitCodes.InvalidInput;
        }

        ClusterPlan plan;
        try
        {
            plan = ClusterPlan.FromConfig(loaded.Config, file, defines, nodeCount);
        }
        catch (ArgumentException ex)
        {
            context.Error.WriteLine("actornet up: " + ex.Message);
            return ExitCodes.InvalidInput;
        }

        using var cts = new CancellationTokenSource();
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c =>
        {
            c.Cancel = true;
            cts.Cancel();
        });
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c =>
        {
            c.Cancel = true;
            cts.Cancel();
        });
        context.Out.WriteLine($"actornet up: cluster '{plan.Cluster}', {plan.Nodes.Count} node(s): {string.Join(", ", plan.Nodes.Select(n => $"{n.Id} {n.Name} {n.DataAddress}"))}");
        var progress = new SyncProgress(m => context.Out.WriteLine("  " + m));
        LocalCluster cluster;
        try
        {
            cluster = LocalCluster.StartAsync(plan, progress, cts.Token, log: detach ? context.Out : null).GetAwaiter().GetResult();
        }
        catch (PlatformPrerequisiteException ex)
        {
            context.Error.WriteLine(ex.Message);
            return ExitCodes.Failed;
        }
        catch (ClusterAlreadyRunningException ex)
        {
            context.Error.WriteLine("actornet up: " + ex.Message);
            return ExitCodes.Failed;
        }
        catch (OperationCanceledException)
        {
            context.Error.WriteLine("actornet up: interrupted during start-up; everything created was removed.");
            return ExitCodes.Ok;
        }
        catch (Exception ex) when (ex is TimeoutException or InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            context.Error.WriteLine("actornet up: " + ex.Message + "\neverything created was removed.");
            return ExitCodes.Failed;
        }

        if (detach)
        {
            cluster.MarkDetached();
            context.Out.WriteLine($"cluster '{plan.Cluster}' is running. Try: actornet exec {plan.Nodes[0].Id} -- ping {plan.Nodes[^1].DataAddress}   Stop it with: actornet down{(file is null ? string.Empty : " --config " + file)}{string.Concat(defines.Select(d => " -D " + d))}");
            return ExitCodes.Ok;
        }

        try
        {
            ShowLive(context, cluster, cts.Token);
        }
        finally
        {
            context.Out.WriteLine("tearing down...");
            cluster.TeardownAsync().GetAwaiter().GetResult();
            context.Out.WriteLine($"cluster '{plan.Cluster}' torn down: processes, namespaces, links and segments removed.");
        }

        return ExitCodes.Ok;
    }

    private static void ShowLive(CliContext context, LocalCluster cluster, CancellationToken stop)
    {
        var view = new ClusterView(cluster.Plan);
        bool terminal = ReferenceEquals(context.Out, Console.Out) && !Console.IsOutputRedirected;
        if (!terminal)
        {
            while (!stop.IsCancellationRequested)
            {
                context.Out.Write(ClusterView.RenderPlain(cluster.Plan, cluster.ReadStatus()));
                context.Out.Flush();
                stop.WaitHandle.WaitOne(TimeSpan.FromSeconds(5));
            }

            return;
        }

        AnsiConsole.Live(view.Render(cluster.ReadStatus())).AutoClear(false).Start(ctx =>
        {
            while (!stop.WaitHandle.WaitOne(TimeSpan.FromSeconds(1)))
            {
                ctx.UpdateTarget(view.Render(cluster.ReadStatus()));
            }
        });
    }

    private sealed class SyncProgress(Action<string> report) : IProgress<string>
    {
        public void Report(string value) => report(value);
    }
}
