using System.CommandLine;

namespace ActorNet.Host.Commands;

/// <summary>
/// <c>actornet bench</c>: end-to-end benchmarks that run their peers in the same run and print ratios. Each
/// benchmark is a subcommand built by one factory in <see cref="s_benchmarks"/>: adding one is one line there
/// (e.g. <c>RingsBenchCommand.Create,</c>) plus its own file.
/// </summary>
internal static class BenchCommand
{
    private static readonly Func<CliContext, Command>[] s_benchmarks =
    [
        RingsBenchCommand.Create,
        ClusterPlaceholder,
        BenchTapCommand.Create,
    ];

    /// <summary>Builds the verb and its benchmark subcommands.</summary>
    public static Command Create(CliContext context)
    {
        var command = new Command("bench", "Run an end-to-end benchmark against its peers in one run (see the subcommands).");
        foreach (var create in s_benchmarks)
        {
            command.Subcommands.Add(create(context));
        }

        return command;
    }

    private static Command ClusterPlaceholder(CliContext context)
    {
        var command = new Command("cluster", "Crash-to-removed, join-to-up, convergence and remoting throughput with real node processes.");
        command.Options.Add(new Option<bool>("--json") { Description = "Print one JSON document." });
        command.SetAction(_ => NotAvailable.Report(context, "bench cluster", "the cluster issue (issue 5)"));
        return command;
    }
}
