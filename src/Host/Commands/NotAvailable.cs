namespace ActorNet.Host.Commands;

/// <summary>
/// Action of a verb whose implementation has not landed yet: says so plainly on standard error and exits with
/// <see cref="ExitCodes.NotAvailable"/>. It never prints output that could pass for a result.
/// </summary>
internal static class NotAvailable
{
    /// <summary>Writes "actornet VERB is not available yet: it arrives with ISSUE" and returns the exit code.</summary>
    public static int Report(CliContext context, string verb, string arrivesWith)
    {
        context.Error.WriteLine($"actornet {verb} is not available yet: it arrives with {arrivesWith}.");
        return ExitCodes.NotAvailable;
    }
}
