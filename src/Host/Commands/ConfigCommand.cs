using System.CommandLine;
using System.Globalization;
using ActorNet.Hocon;
using ActorNet.Host.Configuration;

namespace ActorNet.Host.Commands;

/// <summary>
/// <c>actornet config show</c> and <c>actornet config validate</c>: print the effective configuration with the
/// origin of every value, or check a cluster file and report every problem. Runs on the CLI's thread; writes
/// only to the context's streams.
/// </summary>
internal static class ConfigCommand
{
    /// <summary>Builds <c>config</c> and its two subcommands.</summary>
    public static Command Create(CliContext context)
    {
        var command = new Command("config", "Show the effective configuration or validate a cluster file ('actornet config show --help' explains the layering).");
        command.Subcommands.Add(CreateShow(context));
        command.Subcommands.Add(CreateValidate(context));
        return command;
    }

    private static Command CreateShow(CliContext context)
    {
        var options = new ConfigOptions();
        var json = new Option<bool>("--json")
        {
            Description = "Print the resolved tree as one JSON document instead. Values keep their HOCON type: durations and sizes stay the strings written " +
                          "(e.g. \"200ms\", \"256KiB\"), so the JSON read back as a configuration file gives the same settings. Secrets are redacted.",
        };
        var command = new Command(
            "show",
            "Print the merged effective configuration: every key, its value and where it came from (file:line, reference default, -D, environment VAR, --node N). " +
            "Secrets (actornet.cluster.secret, connection strings) are redacted. " + ConfigOptions.LayeringHelp);
        options.AddTo(command);
        command.Options.Add(json);
        command.SetAction(parse => Show(context, parse.GetValue(options.File), parse.GetValue(options.Node), parse.GetValue(options.Defines) ?? [], parse.GetValue(json)));
        return command;
    }

    private static Command CreateValidate(CliContext context)
    {
        var file = new Argument<string>("FILE") { Description = "The cluster or node file to check." };
        var command = new Command(
            "validate",
            "Check a cluster file and report every problem: syntax (file:line:column), unknown keys (with a suggestion), wrong types, out-of-range values, " +
            "and clashes between node sections (ids, names, ports, addresses). Exit 0 when valid, 2 when not. Uses the file and the reference only (no -D, no environment).");
        command.Arguments.Add(file);
        command.SetAction(parse => Validate(context, parse.GetValue(file)!));
        return command;
    }

    private static int Show(CliContext context, string? file, int? node, string[] defines, bool json)
    {
        LoadedConfiguration loaded;
        try
        {
            loaded = ConfigLoader.Load(new ConfigLoadOptions(file, node, defines, context.Environment));
        }
        catch (HoconException ex)
        {
            context.Error.WriteLine(ex.Message);
            return ExitCodes.InvalidInput;
        }
        catch (ConfigLoadException ex)
        {
            context.Error.WriteLine(ex.Message);
            return ExitCodes.InvalidInput;
        }

        foreach (var ignored in loaded.IgnoredEnvironment)
        {
            context.Error.WriteLine($"note: environment variable {ignored} was not applied");
        }

        if (json)
        {
            context.Out.WriteLine(loaded.ToJson(indented: true));
            return ExitCodes.Ok;
        }

        context.Out.WriteLine("# Effective configuration; layers, lowest first: " + string.Join(" <- ", loaded.Layers));
        var leaves = loaded.Leaves();
        var width = Math.Min(90, leaves.Select(l => l.Path.Length + 3 + l.Value.Length).DefaultIfEmpty(0).Max());
        foreach (var leaf in leaves)
        {
            var setting = leaf.Path + " = " + leaf.Value;
            context.Out.WriteLine(setting.PadRight(width) + "  # " + leaf.Origin);
        }

        return ExitCodes.Ok;
    }

    private static int Validate(CliContext context, string file)
    {
        var report = ConfigValidator.Validate(file);
        if (report.IsValid)
        {
            var nodes = report.NodeIds.Count == 0 ? "no node sections" : $"{report.NodeIds.Count.ToString(CultureInfo.InvariantCulture)} nodes: {string.Join(", ", report.NodeIds)}";
            context.Out.WriteLine($"{file}: valid ({nodes})");
            return ExitCodes.Ok;
        }

        foreach (var problem in report.Problems)
        {
            context.Error.WriteLine(problem);
        }

        context.Error.WriteLine($"{file}: {report.Problems.Count.ToString(CultureInfo.InvariantCulture)} problem{(report.Problems.Count == 1 ? string.Empty : "s")}");
        return ExitCodes.InvalidInput;
    }
}
