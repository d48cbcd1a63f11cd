using System.CommandLine;

namespace ActorNet.Host.Commands;

/// <summary><c>actornet inject</c>: send a fault to a running cluster's fault injectors (arrives with the cluster issue).</summary>
internal static class InjectCommand
{
    /// <summary>Builds the verb with the arguments it will take.</summary>
    public static Command Create(CliContext context)
    {
        var command = new Command("inject", "Inject a fault by message: blackhole, pass-through, throttle, drop, disassociate, crash or pause, between named nodes.");
        new ConfigOptions().AddTo(command);
        command.Arguments.Add(new Argument<string[]>("FAULT") { Description = "The fault and its parameters, e.g. 'blackhole 1 3'.", Arity = ArgumentArity.ZeroOrMore });
        command.SetAction(_ => NotAvailable.Report(context, "inject", "the cluster issue (issue 5)"));
        return command;
    }
}
