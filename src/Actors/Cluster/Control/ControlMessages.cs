using System.Text.Json;
using System.Text.Json.Serialization;
using ActorNet.Actors.Cluster.Remoting.Wire;

namespace ActorNet.Actors.Cluster.Control;

/// <summary>Asks a node's cluster core for its view (sent by <c>actornet status</c> and tests); answered with <see cref="ClusterStatus"/>.</summary>
/// <param name="RequestId">Echoed in the reply.</param>
public sealed record StatusRequest(long RequestId);

/// <summary>One member as a node sees it.</summary>
/// <param name="Address">actornet://cluster@host:port.</param>
/// <param name="Uid">Incarnation.</param>
/// <param name="Status">Member status name (Joining, Up, ...).</param>
/// <param name="Reachable">Whether no observer reports it unreachable.</param>
/// <param name="UpNumber">Age order among Up members (lower = older).</param>
/// <param name="Roles">Roles.</param>
public sealed record MemberRow(string Address, long Uid, string Status, bool Reachable, int UpNumber, string[] Roles);

/// <summary>A node's view of the cluster, immutable; the reply to <see cref="StatusRequest"/>.</summary>
/// <param name="RequestId">The request's id.</param>
/// <param name="Self">The answering node's address.</param>
/// <param name="SelfUid">The answering node's incarnation.</param>
/// <param name="SelfStatus">The answering node's own status ("None" before it joined).</param>
/// <param name="Leader">The leader's address, or null.</param>
/// <param name="Convergence">Whether the answering node sees convergence.</param>
/// <param name="Members">Members in address order.</param>
public sealed record ClusterStatus(long RequestId, string Self, long SelfUid, string SelfStatus, string? Leader, bool Convergence, MemberRow[] Members);

/// <summary>
/// A fault for the node's <c>/system/fault-injector</c>: <c>blackhole</c>, <c>pass-through</c>, <c>throttle</c>
/// (Value = messages/s), <c>drop</c> (Value = probability), <c>disassociate</c> (all towards <see cref="Peer"/>,
/// an address "actornet://cluster@host:port"), <c>crash</c> (Value = exit code), <c>pause</c> (Value = milliseconds).
/// Answered with <see cref="FaultReply"/>.
/// </summary>
/// <param name="Kind">The fault name.</param>
/// <param name="Peer">Peer address for the transport faults; null for crash and pause.</param>
/// <param name="Value">Numeric parameter (see above).</param>
public sealed record InjectFault(string Kind, string? Peer, double Value);

/// <summary>Reply of the fault injector: applied or refused, with a description.</summary>
/// <param name="Node">The node that applied it.</param>
/// <param name="Applied">True when the fault is in effect.</param>
/// <param name="Description">What was applied or why it was refused.</param>
public sealed record FaultReply(string Node, bool Applied, string Description);

/// <summary>
/// JSON (System.Text.Json source generation) serializer of the operator control messages above: serializer id 6.
/// Stateless and thread-safe; deserialization errors surface as <see cref="WireFormatException"/> through the registry.
/// </summary>
public sealed class ControlMessageSerializer : IMessageSerializer
{
    /// <summary>The serializer id on the wire.</summary>
    public const int SerializerId = 6;

    /// <inheritdoc />
    public int Identifier => SerializerId;

    /// <inheritdoc />
    public IReadOnlyDictionary<Type, string> Manifests { get; } = new Dictionary<Type, string>
    {
        [typeof(StatusRequest)] = "StatusRequest",
        [typeof(ClusterStatus)] = "ClusterStatus",
        [typeof(InjectFault)] = "InjectFault",
        [typeof(FaultReply)] = "FaultReply",
    };

    /// <inheritdoc />
    public byte[] ToBinary(object message) => message switch
    {
        StatusRequest m => JsonSerializer.SerializeToUtf8Bytes(m, ControlJsonContext.Default.StatusRequest),
        ClusterStatus m => JsonSerializer.SerializeToUtf8Bytes(m, ControlJsonContext.Default.ClusterStatus),
        InjectFault m => JsonSerializer.SerializeToUtf8Bytes(m, ControlJsonContext.Default.InjectFault),
        FaultReply m => JsonSerializer.SerializeToUtf8Bytes(m, ControlJsonContext.Default.FaultReply),
        _ => throw new ArgumentException($"{message.GetType()} is not a control message", nameof(message)),
    };

    /// <inheritdoc />
    public object FromBinary(ReadOnlySpan<byte> bytes, string manifest) => manifest switch
    {
        "StatusRequest" => (object?)JsonSerializer.Deserialize(bytes, ControlJsonContext.Default.StatusRequest),
        "ClusterStatus" => JsonSerializer.Deserialize(bytes, ControlJsonContext.Default.ClusterStatus),
        "InjectFault" => JsonSerializer.Deserialize(bytes, ControlJsonContext.Default.InjectFault),
        "FaultReply" => JsonSerializer.Deserialize(bytes, ControlJsonContext.Default.FaultReply),
        _ => throw new WireFormatException("unknown control message manifest"),
    } ?? throw new WireFormatException("control message is null");
}

/// <summary>Source-generated JSON metadata of the control messages.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, MaxDepth = 8)]
[JsonSerializable(typeof(StatusRequest))]
[JsonSerializable(typeof(ClusterStatus))]
[JsonSerializable(typeof(InjectFault))]
[JsonSerializable(typeof(FaultReply))]
internal sealed partial class ControlJsonContext : JsonSerializerContext;
