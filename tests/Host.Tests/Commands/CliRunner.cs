using ActorNet.Host.Commands;

namespace ActorNet.Host.Tests.Commands;

/// <summary>Runs the CLI in process with captured streams and a given environment.</summary>
internal static class CliRunner
{
    public static (int Code, string Out, string Error) Run(IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = ActorNetCli.Run(args, new CliContext(stdout, stderr, environment ?? new Dictionary<string, string>()));
        return (code, stdout.ToString(), stderr.ToString());
    }

    public static (int Code, string Out, string Error) Run(params string[] args) => Run(null, args);
}
