using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using ActorNet.Host.Node;

namespace ActorNet.Host.Commands;

/// <summary>
/// <c>actornet bench cluster [--json]</c>: crash → Removed on the same host (p50/p95 over ≥ 20 kills) and across
/// network namespaces, join → Up, convergence of one change across 16 nodes, remoting throughput of small messages,
/// all with real node processes of this executable (see <see cref="ClusterBench"/>).
/// </summary>
internal static class BenchClusterCommand
{
    /// <summary>Builds the subcommand.</summary>
    public static Command Create(CliContext context)
    {
        var command = new Command("cluster", "Crash-to-removed (same host, ≥ 20 kills; across network namespaces), join-to-up, convergence across 16 nodes and remoting throughput, with real node processes.");
        var json = new Option<bool>("--json") { Description = "Print one JSON document (fields crash_to_removed_same_host_p95_ms, ...)." };
        var kills = new Option<int>("--kills") { Description = "Same-host kills to measure (default 20; 0 skips the same-host run).", DefaultValueFactory = _ => 20 };
        var nodes = new Option<int>("--nodes") { Description = "Cluster size of the convergence run (default 16).", DefaultValueFactory = _ => 16 };
        var messages = new Option<int>("--messages") { Description = "Messages of the throughput run (default 1000000).", DefaultValueFactory = _ => 1_000_000 };
        var noNetns = new Option<bool>("--no-netns") { Description = "Skip the cross-namespace measurement." };
        command.Options.Add(json);
        command.Options.Add(kills);
        command.Options.Add(nodes);
        command.Options.Add(messages);
        command.Options.Add(noNetns);
        command.SetAction(parse =>
        {
            var options = new ClusterBenchOptions(Math.Max(0, parse.GetValue(kills)), parse.GetValue(nodes), Math.Max(1000, parse.GetValue(messages)), !parse.GetValue(noNetns));
            bool asJson = parse.GetValue(json);
            ClusterBenchResult result;
            try
            {
                result = ClusterBench.RunAsync(options, line => context.Error.WriteLine(line)).GetAwaiter().GetResult();
            }
            catch (TimeoutException ex)
            {
                context.Error.WriteLine("actornet bench cluster: " + ex.Message);
                return ExitCodes.Failed;
            }

            if (asJson)
            {
                context.Out.WriteLine(JsonSerializer.Serialize(result, BenchJsonContext.Default.ClusterBenchResult));
            }
            else
            {
                context.Out.WriteLine(Format(result));
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static string Format(ClusterBenchResult r)
    {
        static string F(double? v, string unit) => v is { } x ? x.ToString("F0", CultureInfo.InvariantCulture) + unit : "n/a";
        return string.Join(
            Environment.NewLine,
            $"machine: {r.Machine}",
            $"crash -> Removed, same host:     p50 {F(r.CrashToRemovedSameHostP50Ms, " ms")}, p95 {F(r.CrashToRemovedSameHostP95Ms, " ms")} ({r.CrashToRemovedSameHostSamples} kills; target p95 <= 200 ms)",
            $"crash -> Removed, across netns:  {F(r.CrashToRemovedCrossNetnsMs, " ms")} (target <= 3000 ms; {r.CrossNetnsNote})",
            $"join -> Up:                      p50 {F(r.JoinToUpP50Ms, " ms")}, p95 {F(r.JoinToUpP95Ms, " ms")} ({r.JoinToUpSamples} joins one at a time; target <= 1000 ms)",
            $"join -> Up, 4 nodes at a time:   p50 {F(r.JoinToUpParallelP50Ms, " ms")}, p95 {F(r.JoinToUpParallelP95Ms, " ms")} (nodes 2..{r.ConvergenceNodes - 1} of the convergence run, starting together)",
            $"convergence of one change:       {F(r.Convergence16NodesMs, " ms")} across {r.ConvergenceNodes} nodes (target <= 500 ms)",
            $"remoting throughput:             {F(r.RemotingMsgsPerSec, " msg/s")} (local Tell in the same run: {F(r.LocalTellMsgsPerSec, " msg/s")}; target >= 500000)");
    }
}

/// <summary>Source-generated JSON of the benchmark result, snake_case field names.</summary>
[System.Text.Json.Serialization.JsonSourceGenerationOptions(PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[System.Text.Json.Serialization.JsonSerializable(typeof(ClusterBenchResult))]
internal sealed partial class BenchJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
