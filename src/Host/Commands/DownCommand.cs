using System.CommandLine;
using ActorNet.Host.Configuration;
using ActorNet.Host.Orchestration;

namespace ActorNet.Host.Commands;

/// <summary><c>actornet down</c>: tear down a cluster started with <c>up --detach</c> (or left by a crashed <c>up</c>).</summary>
internal static class DownCommand
{
    /// <summary>Builds the verb.</summary>
    public static Command Create(CliContext context)
    {
        var command = new Command("down", "Tear down the cluster started by 'actornet up --detach' (or left by a crashed up): processes, namespaces, links, segments. Without --config: every cluster this machine runs.");
        var options = new ConfigOptions();
        options.AddTo(command);
        command.SetAction(parse =>
        {
            var file = parse.GetValue(options.File);
            var loaded = ClusterCommandSupport.Load(context, file, parse.GetValue(options.Defines) ?? []);
            if (loaded is null)
            {
                return ExitCodes.InvalidInput;
            }

            var runFolder = loaded.Config.GetString("actornet.orchestration.run-folder");
            var paths = file is null
                ? ClusterState.List(runFolder)
                : [ClusterPlan.StateFilePath(runFolder, loaded.Config.GetString("actornet.cluster.name"))];
            var missing = LocalCluster.MissingPrerequisites();
            if (missing.Count > 0)
            {
                context.Error.WriteLine("actornet down cannot run here:\n  - " + string.Join("\n  - ", missing));
                return ExitCodes.Failed;
            }

            int count = 0;
            foreach (var path in paths.Where(File.Exists))
            {
                var name = Path.GetFileName(path).Replace(".state.json", string.Empty, StringComparison.Ordinal);
                var removed = LocalCluster.TeardownFromStateFileAsync(path).GetAwaiter().GetResult();
                context.Out.WriteLine($"cluster '{name}' torn down: {(removed.Count == 0 ? "nothing was left" : string.Join(", ", removed))}");
                count++;
            }

            if (count == 0)
            {
                context.Out.WriteLine($"no cluster to tear down (no state file in {runFolder})");
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
