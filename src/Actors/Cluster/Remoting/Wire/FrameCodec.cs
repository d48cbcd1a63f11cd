using System.Buffers.Binary;
using System.Globalization;

namespace ActorNet.Actors.Cluster.Remoting.Wire;

/// <summary>
/// The error type of every ActorNet wire decoder (frames, handshake, serialized messages): the bytes from the network
/// were oversized, truncated or garbled. The message says what and, where it matters, the offending size; it never
/// includes payload bytes. Catching this type is enough to drop a bad message or close a bad connection.
/// </summary>
public sealed class WireFormatException : Exception
{
    /// <summary>Creates the exception with a description of the problem.</summary>
    public WireFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a description of the problem and its cause.</summary>
    public WireFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a default message.</summary>
    public WireFormatException()
        : base("malformed wire data")
    {
    }
}

/// <summary>
/// Length-prefixed framing for remoting connections: each frame is a 4-byte big-endian payload length followed by
/// the payload. Stateless and thread-safe.
/// </summary>
public static class FrameCodec
{
    /// <summary>Size of the length prefix.</summary>
    public const int HeaderSize = 4;

    /// <summary>Bytes needed to frame <paramref name="payloadLength"/> bytes.</summary>
    public static int FrameLength(int payloadLength) => HeaderSize + payloadLength;

    /// <summary>Writes one frame into <paramref name="destination"/> (the caller owns it).</summary>
    /// <returns>Bytes written.</returns>
    /// <exception cref="ArgumentException">The payload exceeds <paramref name="maxFrameSize"/> or the destination is too small.</exception>
    public static int WriteFrame(ReadOnlySpan<byte> payload, Span<byte> destination, int maxFrameSize)
    {
        if (payload.Length > maxFrameSize)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"frame payload of {payload.Length} bytes exceeds the maximum frame size {maxFrameSize}"), nameof(payload));
        }

        if (destination.Length < HeaderSize + payload.Length)
        {
            throw new ArgumentException("destination too small for the frame", nameof(destination));
        }

        BinaryPrimitives.WriteInt32BigEndian(destination, payload.Length);
        payload.CopyTo(destination[HeaderSize..]);
        return HeaderSize + payload.Length;
    }

    /// <summary>Returns a new array holding one frame of <paramref name="payload"/>.</summary>
    public static byte[] EncodeFrame(ReadOnlySpan<byte> payload, int maxFrameSize)
    {
        var frame = new byte[HeaderSize + payload.Length];
        WriteFrame(payload, frame, maxFrameSize);
        return frame;
    }
}

/// <summary>What <see cref="FrameDecoder.Feed"/> concluded about the bytes so far.</summary>
public enum FrameDecodeStatus
{
    /// <summary>All complete frames were delivered; a partial frame may be buffered.</summary>
    Ok,

    /// <summary>The stream is corrupt (oversized or negative length); the connection must be closed. Sticky.</summary>
    Faulted,
}

/// <summary>
/// Incremental decoder for one connection's inbound byte stream: feed whatever the socket returned, in any
/// chunking, and receive complete frame payloads. Owned by the connection's reader loop (single thread).
/// </summary>
/// <remarks>
/// The length prefix is validated before any buffer is sized from it, so a peer can make us allocate at most
/// <see cref="MaxFrameSize"/> bytes per connection. A bad length faults the decoder permanently (the stream cannot be
/// resynchronised); <see cref="Feed"/> never throws for any input, it reports <see cref="FrameDecodeStatus.Faulted"/>
/// with <see cref="Error"/>.
/// </remarks>
public sealed class FrameDecoder
{
    private readonly byte[] _header = new byte[FrameCodec.HeaderSize];
    private int _headerFilled;
    private byte[]? _payload;
    private int _payloadFilled;

    /// <summary>Creates a decoder accepting payloads up to <paramref name="maxFrameSize"/> bytes (&gt; 0).</summary>
    public FrameDecoder(int maxFrameSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxFrameSize, 1);
        MaxFrameSize = maxFrameSize;
    }

    /// <summary>Largest accepted payload.</summary>
    public int MaxFrameSize { get; }

    /// <summary>Why the decoder faulted; null while healthy.</summary>
    public string? Error { get; private set; }

    /// <summary>True once a fault was detected.</summary>
    public bool IsFaulted => Error is not null;

    /// <summary>Consumes <paramref name="chunk"/>, calling <paramref name="onFrame"/> for each complete payload (a fresh array the callee owns).</summary>
    public FrameDecodeStatus Feed(ReadOnlySpan<byte> chunk, Action<byte[]> onFrame)
    {
        while (!IsFaulted)
        {
            if (_payload is null)
            {
                int take = Math.Min(FrameCodec.HeaderSize - _headerFilled, chunk.Length);
                chunk[..take].CopyTo(_header.AsSpan(_headerFilled));
                _headerFilled += take;
                chunk = chunk[take..];
                if (_headerFilled < FrameCodec.HeaderSize)
                {
                    return FrameDecodeStatus.Ok;
                }

                int length = BinaryPrimitives.ReadInt32BigEndian(_header);
                if (length < 0 || length > MaxFrameSize)
                {
                    Error = string.Create(CultureInfo.InvariantCulture, $"frame length {(uint)length} is outside 0..{MaxFrameSize}; closing the connection");
                    return FrameDecodeStatus.Faulted;
                }

                _headerFilled = 0;
                _payload = length == 0 ? [] : new byte[length];
                _payloadFilled = 0;
            }

            int need = _payload.Length - _payloadFilled;
            int copy = Math.Min(need, chunk.Length);
            chunk[..copy].CopyTo(_payload.AsSpan(_payloadFilled));
            _payloadFilled += copy;
            chunk = chunk[copy..];
            if (_payloadFilled < _payload.Length)
            {
                return FrameDecodeStatus.Ok;
            }

            var complete = _payload;
            _payload = null;
            onFrame(complete);
            if (chunk.IsEmpty)
            {
                return FrameDecodeStatus.Ok;
            }
        }

        return FrameDecodeStatus.Faulted;
    }
}
