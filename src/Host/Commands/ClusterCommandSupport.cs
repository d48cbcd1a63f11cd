using ActorNet.Hocon;
using ActorNet.Host.Configuration;
using ActorNet.Host.Orchestration;

namespace ActorNet.Host.Commands;

/// <summary>What <c>up</c>, <c>down</c> and <c>exec</c> share: loading the cluster file and finding a running cluster's state file.</summary>
internal static class ClusterCommandSupport
{
    /// <summary>Loads the configuration without a node section; null (with the message written) when it does not load.</summary>
    public static LoadedConfiguration? Load(CliContext context, string? file, string[] defines)
    {
        try
        {
            return ConfigLoader.Load(new ConfigLoadOptions(file, null, defines, context.Environment));
        }
        catch (Exception ex) when (ex is HoconException or ConfigLoadException)
        {
            context.Error.WriteLine(ex.Message);
            return null;
        }
    }

    /// <summary>
    /// The state file of the cluster named by <paramref name="file"/> (when given), else the only one under the run
    /// folder; null with a message saying what to do when there is none or several.
    /// </summary>
    public static string? FindStateFile(CliContext context, LoadedConfiguration loaded, string? file)
    {
        var runFolder = loaded.Config.GetString("actornet.orchestration.run-folder");
        if (file is not null)
        {
            var path = ClusterPlan.StateFilePath(runFolder, loaded.Config.GetString("actornet.cluster.name"));
            if (!File.Exists(path))
            {
                context.Error.WriteLine($"no cluster '{loaded.Config.GetString("actornet.cluster.name")}' is running here ({path} does not exist); start one with: actornet up --config {file}");
                return null;
            }

            return path;
        }

        var all = ClusterState.List(runFolder);
        if (all.Count == 1)
        {
            return all[0];
        }

        context.Error.WriteLine(all.Count == 0
            ? $"no cluster is running here (no state file in {runFolder}); start one with: actornet up"
            : $"several clusters are running here ({string.Join(", ", all.Select(p => Path.GetFileName(p).Replace(".state.json", string.Empty, StringComparison.Ordinal)))}); say which with --config FILE");
        return null;
    }
}
