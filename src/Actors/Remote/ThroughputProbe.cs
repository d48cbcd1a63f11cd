using System.Buffers.Binary;
using ActorNet.Actors.Cluster.Remoting.Wire;

namespace ActorNet.Actors.Remote;

/// <summary>A small message (one sequence number) for remoting throughput benchmarks and ordering tests.</summary>
/// <param name="Sequence">Sender-assigned sequence number.</param>
public sealed record ThroughputProbe(long Sequence);

/// <summary>Binary serializer of <see cref="ThroughputProbe"/> (8 bytes, big-endian): serializer id 7. Stateless, thread-safe.</summary>
public sealed class ThroughputProbeSerializer : IMessageSerializer
{
    /// <summary>The serializer id on the wire.</summary>
    public const int SerializerId = 7;

    /// <inheritdoc />
    public int Identifier => SerializerId;

    /// <inheritdoc />
    public IReadOnlyDictionary<Type, string> Manifests { get; } = new Dictionary<Type, string> { [typeof(ThroughputProbe)] = "P" };

    /// <inheritdoc />
    public byte[] ToBinary(object message)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, ((ThroughputProbe)message).Sequence);
        return bytes;
    }

    /// <inheritdoc />
    public object FromBinary(ReadOnlySpan<byte> bytes, string manifest) =>
        bytes.Length == 8 ? new ThroughputProbe(BinaryPrimitives.ReadInt64BigEndian(bytes)) : throw new WireFormatException("a throughput probe is 8 bytes");
}
