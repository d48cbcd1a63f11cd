using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace ActorNet.Actors.Cluster.Remoting.Wire;

/// <summary>
/// Turns messages of known types into bytes and back (Akka's <c>Serializer</c> with string manifests).
/// Implementations are stateless and thread-safe. <see cref="FromBinary"/> reads untrusted bytes and may throw only
/// <see cref="WireFormatException"/>.
/// </summary>
public interface IMessageSerializer
{
    /// <summary>Unique id written on the wire (positive; ids below 100 are reserved for ActorNet).</summary>
    int Identifier { get; }

    /// <summary>The types this serializer handles and the manifest of each.</summary>
    IReadOnlyDictionary<Type, string> Manifests { get; }

    /// <summary>Serializes <paramref name="message"/> (whose type is in <see cref="Manifests"/>).</summary>
    byte[] ToBinary(object message);

    /// <summary>Deserializes a message with <paramref name="manifest"/>.</summary>
    /// <exception cref="WireFormatException">The bytes or manifest are invalid.</exception>
    object FromBinary(ReadOnlySpan<byte> bytes, string manifest);
}

/// <summary>A serialized message: which serializer, which manifest, the payload.</summary>
/// <param name="SerializerId">The serializer's identifier.</param>
/// <param name="Manifest">The type manifest.</param>
/// <param name="Payload">The serializer's bytes.</param>
public readonly record struct SerializedMessage(int SerializerId, string Manifest, byte[] Payload);

/// <summary>
/// Maps message types to serializers and back (Akka's <c>Serialization</c>), enforcing the message size limit.
/// Registration happens at startup on one thread; afterwards the registry is read-only and thread-safe.
/// </summary>
/// <remarks>
/// Envelope layout: <c>int32 serializer id | uint16 manifest length | manifest (UTF-8) | payload</c>, big-endian.
/// Decoding validates every length against the bytes present and the limits before allocating.
/// </remarks>
public sealed class SerializerRegistry
{
    /// <summary>Longest accepted manifest in bytes.</summary>
    public const int MaxManifestLength = 256;

    private readonly Dictionary<int, IMessageSerializer> _byId = [];
    private readonly Dictionary<Type, (IMessageSerializer Serializer, string Manifest)> _byType = [];

    /// <summary>Creates a registry with a maximum payload size (Akka's <c>maximum-frame-size</c> meaning).</summary>
    public SerializerRegistry(int maxMessageSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMessageSize, 1);
        MaxMessageSize = maxMessageSize;
    }

    /// <summary>Largest accepted payload in bytes.</summary>
    public int MaxMessageSize { get; }

    /// <summary>Adds a serializer.</summary>
    /// <exception cref="ArgumentException">Its id or one of its types is already registered.</exception>
    public void Register(IMessageSerializer serializer)
    {
        if (serializer.Identifier <= 0 || !_byId.TryAdd(serializer.Identifier, serializer))
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"serializer id {serializer.Identifier} is invalid or already registered"), nameof(serializer));
        }

        foreach (var (type, manifest) in serializer.Manifests)
        {
            if (Encoding.UTF8.GetByteCount(manifest) > MaxManifestLength || !_byType.TryAdd(type, (serializer, manifest)))
            {
                throw new ArgumentException($"type {type} is already registered or its manifest is too long", nameof(serializer));
            }
        }
    }

    /// <summary>Whether <paramref name="type"/> can be serialized.</summary>
    public bool CanSerialize(Type type) => _byType.ContainsKey(type);

    /// <summary>Serializes an outbound message.</summary>
    /// <exception cref="InvalidOperationException">No serializer for its type, or it exceeds the size limit (a local bug, not network input).</exception>
    public SerializedMessage Serialize(object message)
    {
        if (!_byType.TryGetValue(message.GetType(), out var entry))
        {
            throw new InvalidOperationException($"no serializer is registered for {message.GetType()}");
        }

        var payload = entry.Serializer.ToBinary(message);
        if (payload.Length > MaxMessageSize)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"{message.GetType().Name} serializes to {payload.Length} bytes, above the limit of {MaxMessageSize}"));
        }

        return new SerializedMessage(entry.Serializer.Identifier, entry.Manifest, payload);
    }

    /// <summary>Deserializes an inbound message.</summary>
    /// <exception cref="WireFormatException">Unknown serializer or manifest, oversized, or garbled payload.</exception>
    public object Deserialize(SerializedMessage message)
    {
        if (message.Payload.Length > MaxMessageSize)
        {
            throw new WireFormatException(string.Create(CultureInfo.InvariantCulture, $"message of {message.Payload.Length} bytes exceeds the limit of {MaxMessageSize}"));
        }

        if (!_byId.TryGetValue(message.SerializerId, out var serializer))
        {
            throw new WireFormatException(string.Create(CultureInfo.InvariantCulture, $"unknown serializer id {message.SerializerId}"));
        }

        try
        {
            return serializer.FromBinary(message.Payload, message.Manifest);
        }
        catch (WireFormatException)
        {
            throw;
        }
        catch (Exception ex)
        {
            throw new WireFormatException($"serializer {message.SerializerId} failed on manifest '{message.Manifest}': {ex.GetType().Name}", ex);
        }
    }

    /// <summary>
    /// The serializer and manifest registered for <paramref name="type"/>, or false. Remoting's writer loop calls it
    /// once per message type and caches the manifest bytes, so the per-message cost is the serializer alone.
    /// </summary>
    public bool TryGetSerializer(Type type, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IMessageSerializer? serializer, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? manifest)
    {
        if (_byType.TryGetValue(type, out var entry))
        {
            serializer = entry.Serializer;
            manifest = entry.Manifest;
            return true;
        }

        serializer = null;
        manifest = null;
        return false;
    }

    /// <summary>
    /// Deserializes a payload that has not been copied out of the receive buffer (remoting's reader loop). Same
    /// contract as <see cref="Deserialize(SerializedMessage)"/>: any failure is a <see cref="WireFormatException"/>.
    /// </summary>
    public object Deserialize(int serializerId, string manifest, ReadOnlySpan<byte> payload)
    {
        if (payload.Length > MaxMessageSize)
        {
            throw new WireFormatException(string.Create(CultureInfo.InvariantCulture, $"message of {payload.Length} bytes exceeds the limit of {MaxMessageSize}"));
        }

        if (!_byId.TryGetValue(serializerId, out var serializer))
        {
            throw new WireFormatException(string.Create(CultureInfo.InvariantCulture, $"unknown serializer id {serializerId}"));
        }

        try
        {
            return serializer.FromBinary(payload, manifest);
        }
        catch (WireFormatException)
        {
            throw;
        }
        catch (Exception ex)
        {
            throw new WireFormatException($"serializer {serializerId} failed on manifest '{manifest}': {ex.GetType().Name}", ex);
        }
    }

    /// <summary>Encodes the envelope of a serialized message.</summary>
    public static byte[] EncodeEnvelope(SerializedMessage message)
    {
        var manifest = Encoding.UTF8.GetBytes(message.Manifest);
        var bytes = new byte[6 + manifest.Length + message.Payload.Length];
        BinaryPrimitives.WriteInt32BigEndian(bytes, message.SerializerId);
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(4), (ushort)manifest.Length);
        manifest.CopyTo(bytes, 6);
        message.Payload.CopyTo(bytes, 6 + manifest.Length);
        return bytes;
    }

    /// <summary>Decodes an envelope from untrusted bytes (one frame's payload).</summary>
    /// <exception cref="WireFormatException">The envelope is truncated or its manifest invalid.</exception>
    public SerializedMessage DecodeEnvelope(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 6)
        {
            throw new WireFormatException("message envelope is truncated");
        }

        int id = BinaryPrimitives.ReadInt32BigEndian(bytes);
        int manifestLength = BinaryPrimitives.ReadUInt16BigEndian(bytes[4..]);
        if (manifestLength > MaxManifestLength || bytes.Length < 6 + manifestLength)
        {
            throw new WireFormatException("message manifest is too long or truncated");
        }

        if (bytes.Length - 6 - manifestLength > MaxMessageSize)
        {
            throw new WireFormatException(string.Create(CultureInfo.InvariantCulture, $"message payload exceeds the limit of {MaxMessageSize} bytes"));
        }

        string manifest;
        try
        {
            manifest = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes.Slice(6, manifestLength));
        }
        catch (ArgumentException ex)
        {
            throw new WireFormatException("message manifest is not valid UTF-8", ex);
        }

        return new SerializedMessage(id, manifest, bytes[(6 + manifestLength)..].ToArray());
    }

    /// <summary>Decodes an envelope and deserializes its message.</summary>
    /// <exception cref="WireFormatException">Anything about the bytes is wrong.</exception>
    public object DecodeMessage(ReadOnlySpan<byte> bytes) => Deserialize(DecodeEnvelope(bytes));
}
