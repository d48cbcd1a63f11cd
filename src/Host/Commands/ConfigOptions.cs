using System.CommandLine;

namespace ActorNet.Host.Commands;

/// <summary>
/// The configuration options shared by every verb that reads configuration: <c>--config FILE</c>,
/// <c>--node N</c> and repeatable <c>-D key=value</c>. Each call makes fresh option instances (System.CommandLine
/// options belong to one command).
/// </summary>
internal sealed class ConfigOptions
{
    /// <summary>Help text explaining the layering, shown in the root and config help.</summary>
    public const string LayeringHelp =
        "Layering, lowest to highest: embedded reference.conf <- --config FILE <- the node's section actornet.nodes.N " +
        "(selected by --node N, which also sets actornet.node.id = N) <- -D key=value <- environment. " +
        "Environment convention: ACTORNET_ + the path after 'actornet.' in upper case, '_' for '.', '__' for '-'; " +
        "e.g. ACTORNET_NODE_REMOTING_PORT=4999 sets actornet.node.remoting.port and " +
        "ACTORNET_CLUSTER_FAILURE__DETECTOR_THRESHOLD=12 sets actornet.cluster.failure-detector.threshold. " +
        "Only variables naming a key of the reference configuration are applied.";

    /// <summary>Creates the three options.</summary>
    public ConfigOptions()
    {
        File = new Option<string?>("--config", "-c")
        {
            Description = "Cluster or node configuration file (HOCON), layered over the embedded reference.conf.",
            HelpName = "FILE",
        };
        Node = new Option<int?>("--node", "-n")
        {
            Description = "Node id 1..65534: overlays the file's actornet.nodes.N section onto actornet and sets actornet.node.id = N.",
            HelpName = "N",
        };
        Defines = new Option<string[]>("-D")
        {
            Description = "Override one key, e.g. -D actornet.node.remoting.port=4999 (repeatable; the value is HOCON: numbers, lists [a,b], strings).",
            HelpName = "key=value",
            Arity = ArgumentArity.ZeroOrMore,
            AllowMultipleArgumentsPerToken = false,
        };
    }

    /// <summary><c>--config FILE</c>.</summary>
    public Option<string?> File { get; }

    /// <summary><c>--node N</c>.</summary>
    public Option<int?> Node { get; }

    /// <summary><c>-D key=value</c>, repeatable.</summary>
    public Option<string[]> Defines { get; }

    /// <summary>Adds the three options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(File);
        command.Options.Add(Node);
        command.Options.Add(Defines);
    }
}
