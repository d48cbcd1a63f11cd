using System.Text;

namespace ActorNet.Host.Configuration;

/// <summary>
/// Maps environment variables to configuration paths, like Lightbend config's <c>CONFIG_FORCE_</c>
/// convention: a variable named <c>ACTORNET_</c> + the rest of the path in upper case, where <c>_</c> stands for
/// <c>.</c> and <c>__</c> for <c>-</c>. Example: <c>ACTORNET_NODE_REMOTING_PORT=4999</c> sets
/// <c>actornet.node.remoting.port</c>, and <c>ACTORNET_CLUSTER_FAILURE__DETECTOR_THRESHOLD=12</c> sets
/// <c>actornet.cluster.failure-detector.threshold</c>. Pure functions; thread-safe.
/// </summary>
public static class EnvironmentConvention
{
    /// <summary>Prefix of every variable the convention reads.</summary>
    public const string Prefix = "ACTORNET_";

    /// <summary>Returns the configuration path a variable name stands for, or null when it does not start with <see cref="Prefix"/>.</summary>
    public static string? ToPath(string variable)
    {
        if (!variable.StartsWith(Prefix, StringComparison.Ordinal) || variable.Length == Prefix.Length)
        {
            return null;
        }

        var rest = variable[Prefix.Length..];
        var path = new StringBuilder("actornet.");
        for (var i = 0; i < rest.Length; i++)
        {
            if (rest[i] == '_')
            {
                if (i + 1 < rest.Length && rest[i + 1] == '_')
                {
                    path.Append('-');
                    i++;
                }
                else
                {
                    path.Append('.');
                }
            }
            else
            {
                path.Append(char.ToLowerInvariant(rest[i]));
            }
        }

        return path.ToString();
    }

    /// <summary>Returns the variable name that sets <paramref name="path"/> (which must start with <c>actornet.</c>).</summary>
    public static string ToVariable(string path)
    {
        if (!path.StartsWith("actornet.", StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{path}' is not under actornet.", nameof(path));
        }

        return Prefix + path["actornet.".Length..].Replace("-", "__", StringComparison.Ordinal).Replace('.', '_').ToUpperInvariant();
    }
}
