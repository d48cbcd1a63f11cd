using ActorNet.Host.Commands;

namespace ActorNet.Host;

/// <summary>Entry point of the <c>actornet</c> executable: hands the arguments to <see cref="ActorNetCli"/>.</summary>
public static class Program
{
    /// <summary>Runs the CLI with the process's console and environment and returns its exit code.</summary>
    public static int Main(string[] args) => ActorNetCli.Run(args, CliContext.FromProcess());
}
