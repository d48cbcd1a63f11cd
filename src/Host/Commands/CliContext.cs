namespace ActorNet.Host.Commands;

/// <summary>
/// What a command may touch of the outside world: its output streams and the environment variables. The
/// process passes the real ones; tests pass <see cref="StringWriter"/>s and a dictionary, and run the CLI in
/// process. Immutable; one per invocation.
/// </summary>
/// <param name="Out">Standard output: the command's result (configuration, JSON, reports).</param>
/// <param name="Error">Standard error: diagnostics, problems and usage.</param>
/// <param name="Environment">Environment variables the configuration layering reads.</param>
public sealed record CliContext(TextWriter Out, TextWriter Error, IReadOnlyDictionary<string, string> Environment)
{
    /// <summary>The context of the running process: console streams and the process environment.</summary>
    public static CliContext FromProcess()
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry e in System.Environment.GetEnvironmentVariables())
        {
            if (e.Key is string key && e.Value is string value)
            {
                environment[key] = value;
            }
        }

        return new CliContext(Console.Out, Console.Error, environment);
    }
}
