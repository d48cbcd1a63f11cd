using System.CommandLine;

namespace ActorNet.Host.Commands;

/// <summary><c>actornet exec NODE -- CMD</c>: run a program inside a node's namespace (arrives with the local-network issue).</summary>
internal static class ExecCommand
{
    /// <summary>Builds the verb with the arguments it will take.</summary>
    public static Command Create(CliContext context)
    {
        var command = new Command("exec", "Run a command inside a node's network namespace: actornet exec NODE -- CMD [ARGS...].");
        command.Arguments.Add(new Argument<int>("NODE") { Description = "Node id." });
        command.Arguments.Add(new Argument<string[]>("CMD") { Description = "The command and its arguments, after --.", Arity = ArgumentArity.ZeroOrMore });
        command.SetAction(_ => NotAvailable.Report(context, "exec", "the local-network issue (issue 6)"));
        return command;
    }
}
