using System.CommandLine;
using System.Runtime.InteropServices;
using ActorNet.Host.Ops.Bench;

namespace ActorNet.Host.Commands;

/// <summary>
/// <c>actornet bench tap</c>: iperf3 and ping between two network namespaces joined through ActorNet, a kernel veth
/// pair and vde_switch, side by side in one run. Installs nothing: when a program is missing it says which Debian
/// packages to install and exits 1. Runs on the CLI's thread; rows (or the table) go to the output, progress to the
/// error stream; Ctrl-C stops the run and tears everything down.
/// </summary>
internal static class BenchTapCommand
{
    /// <summary>Builds the subcommand.</summary>
    public static Command Create(CliContext context)
    {
        var json = new Option<bool>("--json") { Description = "Print the rows as a JSON array (path, mtu, streams, tcp_gbps, ping_avg_ms, retransmits, offloads, error, ...)." };
        var quick = new Option<bool>("--quick") { Description = "2 s per measurement instead of 5 s." };
        var paths = new Option<string[]>("--path")
        {
            Description = "Measure only these paths (actornet, veth, vde; repeatable). Default: all three.",
            HelpName = "NAME",
            Arity = ArgumentArity.ZeroOrMore,
            AllowMultipleArgumentsPerToken = true,
        };
        var command = new Command(
            "tap",
            "iperf3 TCP throughput (1 and 4 streams) and ping round trip between two network namespaces joined (a) through ActorNet, (b) by a kernel veth pair, " +
            "(c) by two TAPs on a vde_switch, at MTU 1500, 9000 and the largest each carries, with offload settings. Needs root and iperf3, vde2, ethtool, iproute2, iputils-ping.");
        command.Options.Add(json);
        command.Options.Add(quick);
        command.Options.Add(paths);
        command.SetAction(parse => Run(context, parse.GetValue(json), parse.GetValue(quick), parse.GetValue(paths) ?? []));
        return command;
    }

    /// <summary>
    /// Runs synchronously with its own SIGINT/SIGTERM handling, so Ctrl-C cancels the measurements and then waits for
    /// the whole teardown (stopping a cluster can take longer than System.CommandLine's grace period for async actions).
    /// </summary>
    private static int Run(CliContext context, bool json, bool quick, string[] selected)
    {
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
        return RunAsync(context, json, quick, selected, cts.Token).GetAwaiter().GetResult();
    }

    private static async Task<int> RunAsync(CliContext context, bool json, bool quick, string[] selected, CancellationToken cancellation)
    {
        ITapBenchPath[] all = [new ActorNetTapBenchPath(context.Error), new VethTapBenchPath(), new VdeTapBenchPath()];
        var unknown = selected.Where(s => all.All(p => p.Name != s)).ToArray();
        if (unknown.Length > 0)
        {
            context.Error.WriteLine($"actornet bench tap: unknown path {string.Join(", ", unknown)}; the paths are {string.Join(", ", all.Select(p => p.Name))}");
            return ExitCodes.InvalidInput;
        }

        if (BenchTools.Problem() is { } problem)
        {
            context.Error.WriteLine(problem);
            return ExitCodes.Failed;
        }

        var chosen = selected.Length == 0 ? all : all.Where(p => selected.Contains(p.Name)).ToArray();
        var options = quick ? TapBenchOptions.Quick : TapBenchOptions.Full;
        IReadOnlyList<TapBenchRow> rows;
        try
        {
            rows = await TapBench.RunAsync(chosen, options, context.Error, cancellation).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            context.Error.WriteLine("actornet bench tap: cancelled; namespaces and processes of this run were removed");
            return ExitCodes.Failed;
        }

        context.Out.Write(json ? TapBenchReport.ToJson(rows) + "\n" : TapBenchReport.ToTable(rows, options, chosen));
        return rows.Any(r => r.TcpGbps is not null) ? ExitCodes.Ok : ExitCodes.Failed;
    }
}
