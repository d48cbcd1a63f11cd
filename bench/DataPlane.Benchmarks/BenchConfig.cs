using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;

namespace ActorNet.DataPlane.Benchmarks;

/// <summary>
/// The one configuration of these benchmarks. Server GC off and concurrent GC off: the data path must not
/// allocate at all, so the collector should never run; a workstation, non-concurrent GC makes any allocation
/// show up as a collection count instead of being hidden by background threads. MemoryDiagnoser reports bytes
/// allocated per operation (0 B is the requirement).
/// </summary>
public sealed class BenchConfig : ManualConfig
{
    public BenchConfig()
    {
        AddJob(Job.ShortRun.WithGcServer(false).WithGcConcurrent(false));
        AddDiagnoser(MemoryDiagnoser.Default);
        WithOptions(ConfigOptions.DisableOptimizationsValidator);
    }
}
