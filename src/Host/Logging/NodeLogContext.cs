using System.Security.Cryptography;

namespace ActorNet.Host.Logging;

/// <summary>
/// Who is logging: added to every event as the properties <c>Cluster</c>, <c>NodeId</c>, <c>NodeName</c> and
/// <c>Incarnation</c>, so the merged logs of a cluster can be told apart. Immutable; made once per process.
/// </summary>
/// <param name="Cluster">Cluster name (<c>actornet.cluster.name</c>).</param>
/// <param name="NodeId">Node id 1..65534, or 0 for a CLI process that is not a node.</param>
/// <param name="NodeName">Node name (<c>actornet.node.name</c>).</param>
/// <param name="Incarnation">Random number chosen when the process started; a restarted node has a new one.</param>
public sealed record NodeLogContext(string Cluster, int NodeId, string NodeName, long Incarnation)
{
    /// <summary>Returns a new random, positive incarnation number for a starting process.</summary>
    public static long NewIncarnation() => RandomNumberGenerator.GetInt32(1, int.MaxValue) * 4_294_967_296L + (uint)RandomNumberGenerator.GetInt32(int.MinValue, int.MaxValue);
}
