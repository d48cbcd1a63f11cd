using System.CommandLine;
using System.CommandLine.Parsing;

namespace ActorNet.Host.Commands;

/// <summary>
/// The <c>actornet</c> command line: builds the verb tree and runs one invocation. <see cref="Program"/> calls
/// <see cref="Run"/> with the process context; tests call it in process with captured streams. Bad usage
/// prints the errors and the verb's usage on standard error and returns <see cref="ExitCodes.InvalidInput"/>.
/// </summary>
public static class ActorNetCli
{
    /// <summary>Builds the root command with every verb, bound to <paramref name="context"/>.</summary>
    public static RootCommand Build(CliContext context)
    {
        var root = new RootCommand(
            "actornet: nodes that share memory act as one fast IP network, with an actor control plane. " +
            "Exit codes: 0 ok, 1 failed, 2 invalid usage or configuration, 3 verb not available in this build. " +
            ConfigOptions.LayeringHelp);
        root.Subcommands.Add(UpCommand.Create(context));
        root.Subcommands.Add(DownCommand.Create(context));
        root.Subcommands.Add(NodeCommand.Create(context));
        root.Subcommands.Add(StatusCommand.Create(context));
        root.Subcommands.Add(InjectCommand.Create(context));
        root.Subcommands.Add(LogsCommand.Create(context));
        root.Subcommands.Add(BenchCommand.Create(context));
        root.Subcommands.Add(ExecCommand.Create(context));
        root.Subcommands.Add(ConfigCommand.Create(context));
        return root;
    }

    /// <summary>Parses <paramref name="args"/>, runs the chosen verb and returns the process exit code.</summary>
    public static int Run(string[] args, CliContext context)
    {
        var root = Build(context);
        var result = root.Parse(args);
        var invocation = new InvocationConfiguration { Output = context.Out, Error = context.Error, EnableDefaultExceptionHandler = false };
        if (result.Errors.Count > 0)
        {
            foreach (var error in result.Errors)
            {
                context.Error.WriteLine("actornet: " + error.Message);
            }

            var path = new List<string>();
            for (SymbolResult? r = result.CommandResult; r is CommandResult command && command.Command is not RootCommand; r = command.Parent)
            {
                path.Insert(0, command.Command.Name);
            }

            path.Add("--help");
            context.Error.WriteLine();
            root.Parse(path).Invoke(new InvocationConfiguration { Output = context.Error, Error = context.Error });
            return ExitCodes.InvalidInput;
        }

        try
        {
            return result.Invoke(invocation);
        }
        catch (Exception ex)
        {
            // A bug, not an operator mistake: say what failed in one line rather than dumping a stack trace.
            context.Error.WriteLine($"actornet: internal error ({ex.GetType().Name}): {ex.Message}");
            return ExitCodes.Failed;
        }
    }
}
