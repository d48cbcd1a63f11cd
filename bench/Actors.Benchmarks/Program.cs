using BenchmarkDotNet.Running;

namespace ActorNet.Actors.Benchmarks;

/// <summary>
/// Entry point: <c>dotnet run -c Release --project bench/Actors.Benchmarks -- --filter '*'</c>.
/// </summary>
public static class Program
{
    public static void Main(string[] args) =>
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, new BenchConfig());
}
