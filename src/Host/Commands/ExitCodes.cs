namespace ActorNet.Host.Commands;

/// <summary>Exit codes of the <c>actornet</c> CLI (stable: scripts rely on them).</summary>
public static class ExitCodes
{
    /// <summary>The command did what was asked.</summary>
    public const int Ok = 0;

    /// <summary>The command ran and failed (e.g. the cluster could not start).</summary>
    public const int Failed = 1;

    /// <summary>Invalid input: bad command-line usage, a malformed or invalid configuration.</summary>
    public const int InvalidInput = 2;

    /// <summary>The verb exists but the issue that implements it has not landed in this build.</summary>
    public const int NotAvailable = 3;
}
