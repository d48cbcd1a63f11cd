using System.CommandLine;
using System.Diagnostics;
using ActorNet.Host.Orchestration;
using ActorNet.Host.Platform;

namespace ActorNet.Host.Commands;

/// <summary><c>actornet exec NODE -- CMD</c>: run a program inside a node's namespace of the running cluster.</summary>
internal static class ExecCommand
{
    /// <summary>Builds the verb.</summary>
    public static Command Create(CliContext context)
    {
        var command = new Command("exec", "Run a command inside a node's network namespace: actornet exec NODE -- CMD [ARGS...]. Exit code: the command's.");
        var node = new Argument<int>("NODE") { Description = "Node id." };
        var cmd = new Argument<string[]>("CMD") { Description = "The command and its arguments, after --.", Arity = ArgumentArity.ZeroOrMore };
        var options = new ConfigOptions();
        command.Arguments.Add(node);
        command.Arguments.Add(cmd);
        command.Options.Add(options.File);
        command.Options.Add(options.Defines);
        command.SetAction(parse =>
        {
            var file = parse.GetValue(options.File);
            var argv = parse.GetValue(cmd) ?? [];
            if (argv.Length == 0)
            {
                context.Error.WriteLine("actornet exec: no command given; e.g. actornet exec 1 -- ping 10.200.0.2");
                return ExitCodes.InvalidInput;
            }

            var loaded = ClusterCommandSupport.Load(context, file, parse.GetValue(options.Defines) ?? []);
            var statePath = loaded is null ? null : ClusterCommandSupport.FindStateFile(context, loaded, file);
            if (statePath is null)
            {
                return loaded is null ? ExitCodes.InvalidInput : ExitCodes.Failed;
            }

            var state = ClusterState.TryRead(statePath);
            int id = parse.GetValue(node);
            if (state is null || !state.Namespaces.TryGetValue(id, out var ns) || !NetworkNamespace.Exists(ns))
            {
                context.Error.WriteLine($"actornet exec: cluster '{state?.Cluster}' has no node {id}{(state is null ? string.Empty : "; its nodes are " + string.Join(", ", state.Namespaces.Keys))}");
                return ExitCodes.InvalidInput;
            }

            var info = NetworkNamespace.Open(ns).CreateStartInfo(argv[0], argv[1..]);
            info.RedirectStandardOutput = false;
            info.RedirectStandardError = false;
            using var process = Process.Start(info);
            if (process is null)
            {
                context.Error.WriteLine("actornet exec: could not start " + argv[0]);
                return ExitCodes.Failed;
            }

            process.WaitForExit();
            return process.ExitCode;
        });
        return command;
    }
}
