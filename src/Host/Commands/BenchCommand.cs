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
        BenchClusterCommand.Create,
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
}
