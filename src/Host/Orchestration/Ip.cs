using System.Diagnostics;

namespace ActorNet.Host.Orchestration;

/// <summary>Runs iproute2's <c>ip</c> for the orchestration (links, addresses, bridges). Control path only.</summary>
internal static class Ip
{
    private static readonly string[] s_candidates = ["/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip"];

    /// <summary>Path of the <c>ip</c> binary, or null when iproute2 is not installed.</summary>
    public static string? Find() => s_candidates.FirstOrDefault(File.Exists);

    /// <summary>Runs <c>ip ARGS</c>; throws with the command and its error output when it fails.</summary>
    public static async Task RunAsync(params string[] arguments)
    {
        var (code, error) = await ExecAsync(arguments).ConfigureAwait(false);
        if (code != 0)
        {
            throw new InvalidOperationException($"`ip {string.Join(' ', arguments)}` failed (exit {code}): {error.Trim()}");
        }
    }

    /// <summary>Runs <c>ip ARGS</c>; false when it fails (e.g. deleting a link that is not there).</summary>
    public static async Task<bool> TryRunAsync(params string[] arguments) => (await ExecAsync(arguments).ConfigureAwait(false)).Code == 0;

    private static async Task<(int Code, string Error)> ExecAsync(string[] arguments)
    {
        var info = new ProcessStartInfo(Find() ?? "ip") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in arguments)
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start `ip`");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        await output.ConfigureAwait(false);
        return (process.ExitCode, await error.ConfigureAwait(false));
    }
}
