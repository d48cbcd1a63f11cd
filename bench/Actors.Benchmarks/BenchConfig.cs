using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;

namespace ActorNet.Actors.Benchmarks;

/// <summary>
/// The one configuration every benchmark here uses.
/// GC choice: workstation, non-concurrent. The machine has 2 cores shared with other work; server GC would add
/// one heap and one GC thread per core competing with the actors being measured, and background (concurrent)
/// GC adds another thread. We measure message rates and allocated bytes per message, not GC throughput, and the
/// node daemon runs workstation GC, so this is also the mode production sees.
/// Job: ShortRun (3 warm-ups, 3 iterations) because the machine is shared; treat absolute numbers as noisy and
/// read the Ratio column (actor vs. bare channel in the same run).
/// </summary>
public sealed class BenchConfig : ManualConfig
{
    public BenchConfig()
    {
        Add(DefaultConfig.Instance);
        AddJob(Job.ShortRun.WithGcServer(false).WithGcConcurrent(false).WithId("ShortRun-WksGC"));
        AddDiagnoser(MemoryDiagnoser.Default);
        AddColumn(StatisticColumn.OperationsPerSecond);
        // Ratio = actor time / channel time of the same class (below 1 = the actor is faster).
        WithSummaryStyle(SummaryStyle.Default.WithRatioStyle(RatioStyle.Value));
    }
}
