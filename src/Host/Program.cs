namespace ActorNet.Host;

/// <summary>Entry point of the <c>actornet</c> executable.</summary>
public static class Program
{
    /// <summary>Runs the CLI and returns the process exit code.</summary>
    public static int Main(string[] args)
    {
        Console.Error.WriteLine("actornet: no verbs are implemented yet (see the foundation issue).");
        return 1;
    }
}
