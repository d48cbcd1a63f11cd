using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using ActorNet.DataPlane.Benchmarks;

namespace ActorNet.Host.Commands;

/// <summary>
/// <c>actornet bench rings [--quick] [--json]</c>: the cross-process ring benchmark of the data plane
/// (<see cref="RingBenchmark"/>). Its peers are this same executable started with the hidden <c>--peer</c>
/// option, which serves <see cref="RingBenchmarkPeer"/>'s line protocol on stdin/stdout. Runs on the CLI thread.
/// </summary>
internal static class RingsBenchCommand
{
    /// <summary>Builds the <c>rings</c> subcommand of <c>bench</c>.</summary>
    public static Command Create(CliContext context)
    {
        var quick = new Option<bool>("--quick") { Description = "Short phases: the whole run finishes in under 30 s." };
        var json = new Option<bool>("--json") { Description = "Print one JSON document: a list of rows (transport, frame_bytes, frames_per_s, bytes_per_s, rtt_p50_ns, rtt_p99_ns, ...)." };
        var sizes = new Option<string?>("--sizes") { Description = "Comma-separated frame sizes in bytes (default 64,1514,9000,65535)." };
        var transports = new Option<string?>("--transports") { Description = "Comma-separated transports (default all: " + string.Join(',', RingBenchmark.AllTransports) + ")." };
        var peer = new Option<bool>("--peer") { Hidden = true, Description = "Internal: serve as a benchmark peer process." };
        var command = new Command("rings", "Shared-memory rings (SPSC polling/interrupt, zero-copy, broadcast 1 writer + 3 readers) against a Unix SOCK_SEQPACKET socket and TCP loopback, with real peer processes.");
        command.Options.Add(quick);
        command.Options.Add(json);
        command.Options.Add(sizes);
        command.Options.Add(transports);
        command.Options.Add(peer);
        command.SetAction(parse =>
        {
            if (parse.GetValue(peer))
            {
                return RingBenchmarkPeer.Run(Console.In, Console.Out);
            }

            var options = RingBenchmarkOptions.Default(parse.GetValue(quick));
            if (parse.GetValue(sizes) is { } s)
            {
                options = options with { FrameSizes = s.Split(',').Select(x => int.Parse(x, CultureInfo.InvariantCulture)).ToArray() };
            }

            if (parse.GetValue(transports) is { } t)
            {
                var unknown = t.Split(',').Except(RingBenchmark.AllTransports).ToArray();
                if (unknown.Length > 0)
                {
                    context.Error.WriteLine($"actornet bench rings: unknown transport(s) {string.Join(", ", unknown)}; known: {string.Join(", ", RingBenchmark.AllTransports)}");
                    return ExitCodes.InvalidInput;
                }

                options = options with { Transports = t.Split(',') };
            }

            if (options.FrameSizes.Any(f => f is < 16 or > 65536))
            {
                context.Error.WriteLine("actornet bench rings: frame sizes must be 16..65536 bytes");
                return ExitCodes.InvalidInput;
            }

            var rows = RingBenchmark.Run(options, PeerStartInfo, context.Error);
            if (parse.GetValue(json))
            {
                RingBenchmark.WriteJson(rows, context.Out);
            }
            else
            {
                RingBenchmark.WriteTable(rows, context.Out);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static ProcessStartInfo PeerStartInfo()
    {
        string self = Environment.ProcessPath ?? "dotnet";
        var psi = new ProcessStartInfo(self);
        if (string.Equals(Path.GetFileNameWithoutExtension(self), "dotnet", StringComparison.OrdinalIgnoreCase))
        {
            psi.ArgumentList.Add(typeof(RingsBenchCommand).Assembly.Location);
        }

        psi.ArgumentList.Add("bench");
        psi.ArgumentList.Add("rings");
        psi.ArgumentList.Add("--peer");
        return psi;
    }
}
