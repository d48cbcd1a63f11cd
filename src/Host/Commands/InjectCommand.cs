using System.CommandLine;
using System.Globalization;
using ActorNet.Actors.Cluster.Control;
using ActorNet.Hocon;
using ActorNet.Host.Configuration;
using ActorNet.Host.Node;

namespace ActorNet.Host.Commands;

/// <summary>
/// <c>actornet inject --config FILE FAULT ...</c>: sends a fault to the fault injector of running nodes, authenticated
/// with the cluster secret. Faults between two nodes are applied on both of them.
/// </summary>
internal static class InjectCommand
{
    private const string Usage =
        "faults: blackhole A B | pass-through A B | throttle A B MSG_PER_S | drop A B PROBABILITY | disassociate A B | crash N | pause N MS (A, B, N = node ids of the cluster file)";

    /// <summary>Builds the verb.</summary>
    public static Command Create(CliContext context)
    {
        var command = new Command("inject", "Inject a fault by message into running nodes: " + Usage + ". Every fault is logged on the node that applies it.");
        var options = new ConfigOptions();
        options.AddTo(command);
        var fault = new Argument<string[]>("FAULT") { Description = "The fault and its parameters, e.g. 'blackhole 1 3'.", Arity = ArgumentArity.OneOrMore };
        command.Arguments.Add(fault);
        command.SetAction(parse => Run(context, new ConfigLoadOptions(parse.GetValue(options.File), null, parse.GetValue(options.Defines) ?? [], context.Environment), parse.GetValue(fault) ?? []));
        return command;
    }

    private static int Run(CliContext context, ConfigLoadOptions load, string[] args)
    {
        try
        {
            var plan = Plan(load, args);
            if (plan is null)
            {
                context.Error.WriteLine("actornet inject: " + Usage);
                return ExitCodes.InvalidInput;
            }

            var loaded = ConfigLoader.Load(load);
            var client = ClusterClient.Start(loaded.Config, hostname: ClusterClient.LocalAddressTowards(plan[0].Target));
            int failures = 0;
            try
            {
                foreach (var (target, message) in plan)
                {
                    var reply = client.AskAsync(target, "/system/fault-injector", message, TimeSpan.FromSeconds(5)).GetAwaiter().GetResult();
                    if (reply is FaultReply { Applied: true } applied)
                    {
                        context.Out.WriteLine($"{applied.Node}: {applied.Description}{(message.Peer is null ? string.Empty : " towards " + message.Peer)}");
                    }
                    else
                    {
                        failures++;
                        context.Error.WriteLine(reply is FaultReply refused ? $"{refused.Node}: refused: {refused.Description}" : $"{target}: no answer within 5 s (node down, or wrong secret?)");
                    }
                }
            }
            finally
            {
                client.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }

            return failures == 0 ? ExitCodes.Ok : ExitCodes.Failed;
        }
        catch (Exception ex) when (ex is HoconException or ConfigLoadException or ActorNet.Actors.Cluster.SettingsException)
        {
            context.Error.WriteLine(ex.Message);
            return ExitCodes.InvalidInput;
        }
    }

    private static List<(ActorNet.Actors.Cluster.Membership.Address Target, InjectFault Message)>? Plan(ConfigLoadOptions load, string[] args)
    {
        static int? Id(string s) => int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v is >= 1 and <= 65534 ? v : null;
        static double? Number(string s) => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null;
        if (args.Length == 0)
        {
            return null;
        }

        var kind = args[0];
        switch (kind)
        {
            case "blackhole" or "pass-through" or "disassociate" when args.Length == 3 && Id(args[1]) is { } a && Id(args[2]) is { } b:
                return Between(load, kind, a, b, 0);
            case "throttle" or "drop" when args.Length == 4 && Id(args[1]) is { } a && Id(args[2]) is { } b && Number(args[3]) is { } value:
                return Between(load, kind, a, b, value);
            case "crash" when args.Length == 2 && Id(args[1]) is { } n:
                return [(ClusterTargets.AddressOf(load, n), new InjectFault("crash", null, 137))];
            case "pause" when args.Length == 3 && Id(args[1]) is { } n && Number(args[2]) is { } ms:
                return [(ClusterTargets.AddressOf(load, n), new InjectFault("pause", null, ms))];
            default:
                return null;
        }
    }

    private static List<(ActorNet.Actors.Cluster.Membership.Address, InjectFault)> Between(ConfigLoadOptions load, string kind, int a, int b, double value)
    {
        var addressA = ClusterTargets.AddressOf(load, a);
        var addressB = ClusterTargets.AddressOf(load, b);
        return
        [
            (addressA, new InjectFault(kind, addressB.ToString(), value)),
            (addressB, new InjectFault(kind, addressA.ToString(), value)),
        ];
    }
}
