using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ActorNet.Actors.Cluster.Membership;

namespace ActorNet.Actors.Cluster.Remoting.Wire;

using Address = ActorNet.Actors.Cluster.Membership.Address;

/// <summary>
/// The remoting handshake messages. The connecting side (initiator) sends <see cref="Hello"/>; the accepting side
/// (responder) answers with a bare <see cref="Challenge"/> (a nonce, nothing else); the initiator proves it knows the
/// cluster secret with <see cref="Proof"/>; only then does the responder reveal itself with <see cref="Accept"/>,
/// which carries its own hello and proof. A peer that fails any check gets the connection closed and no bytes.
/// </summary>
public static class HandshakeMessages
{
    /// <summary>Wire protocol version spoken by this build.</summary>
    public const ushort ProtocolVersion = 1;

    /// <summary>Nonce length in bytes.</summary>
    public const int NonceSize = 16;

    /// <summary>HMAC-SHA256 length in bytes.</summary>
    public const int MacSize = 32;

    /// <summary>Largest encoded handshake message; anything longer is garbage.</summary>
    public const int MaxMessageSize = 2048;

    private const byte HelloType = 1;
    private const byte ChallengeType = 2;
    private const byte ProofType = 3;
    private const byte AcceptType = 4;

    /// <summary>A handshake message.</summary>
    public abstract record Message;

    /// <summary>Who a node is: protocol version, cluster name, address, incarnation uid and a fresh nonce.</summary>
    /// <param name="Version">The sender's protocol version.</param>
    /// <param name="Node">The sender's address and incarnation uid (its cluster name is <c>Node.Address.Cluster</c>).</param>
    /// <param name="Nonce">16 random bytes, fresh per connection.</param>
    public sealed record Hello(ushort Version, UniqueAddress Node, byte[] Nonce) : Message;

    /// <summary>The responder's nonce, to be covered by the initiator's proof.</summary>
    /// <param name="Nonce">16 random bytes.</param>
    public sealed record Challenge(byte[] Nonce) : Message;

    /// <summary>The initiator's HMAC over the transcript.</summary>
    /// <param name="Mac">32 bytes.</param>
    public sealed record Proof(byte[] Mac) : Message;

    /// <summary>The responder's hello and its HMAC over the transcript.</summary>
    /// <param name="Hello">The responder's identity.</param>
    /// <param name="Mac">32 bytes.</param>
    public sealed record Accept(Hello Hello, byte[] Mac) : Message;

    /// <summary>Encodes a message (type byte + fields, big-endian, UTF-8 address).</summary>
    public static byte[] Encode(Message message)
    {
        switch (message)
        {
            case Hello h:
            {
                var buffer = new byte[MaxMessageSize];
                int n = WriteHello(h, buffer);
                return buffer[..n];
            }

            case Challenge c:
                return [ChallengeType, .. CheckLength(c.Nonce, NonceSize)];
            case Proof p:
                return [ProofType, .. CheckLength(p.Mac, MacSize)];
            case Accept a:
            {
                var buffer = new byte[MaxMessageSize + MacSize + 1];
                buffer[0] = AcceptType;
                int n = WriteHello(a.Hello, buffer.AsSpan(1));
                CheckLength(a.Mac, MacSize).CopyTo(buffer.AsSpan(1 + n));
                return buffer[..(1 + n + MacSize)];
            }

            default:
                throw new ArgumentException("unknown handshake message type", nameof(message));
        }
    }

    /// <summary>Decodes one handshake message from untrusted bytes.</summary>
    /// <exception cref="WireFormatException">The bytes are not a valid handshake message.</exception>
    public static Message Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty || bytes.Length > MaxMessageSize + MacSize + 1)
        {
            throw new WireFormatException(string.Create(CultureInfo.InvariantCulture, $"handshake message of {bytes.Length} bytes is empty or too long"));
        }

        switch (bytes[0])
        {
            case HelloType:
                var hello = ReadHello(bytes, out int used);
                if (used != bytes.Length)
                {
                    throw new WireFormatException("trailing bytes after handshake hello");
                }

                return hello;
            case ChallengeType:
                return bytes.Length == 1 + NonceSize ? new Challenge(bytes[1..].ToArray()) : throw new WireFormatException("handshake challenge has the wrong length");
            case ProofType:
                return bytes.Length == 1 + MacSize ? new Proof(bytes[1..].ToArray()) : throw new WireFormatException("handshake proof has the wrong length");
            case AcceptType:
                var inner = ReadHello(bytes[1..], out int helloLength);
                if (bytes.Length != 1 + helloLength + MacSize)
                {
                    throw new WireFormatException("handshake accept has the wrong length");
                }

                return new Accept(inner, bytes[(1 + helloLength)..].ToArray());
            default:
                throw new WireFormatException(string.Create(CultureInfo.InvariantCulture, $"unknown handshake message type {bytes[0]}"));
        }
    }

    private static byte[] CheckLength(byte[] value, int length) =>
        value.Length == length ? value : throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"expected {length} bytes"), nameof(value));

    private static int WriteHello(Hello h, Span<byte> buffer)
    {
        var address = Encoding.UTF8.GetBytes(h.Node.Address.ToString());
        buffer[0] = HelloType;
        BinaryPrimitives.WriteUInt16BigEndian(buffer[1..], h.Version);
        BinaryPrimitives.WriteUInt16BigEndian(buffer[3..], (ushort)address.Length);
        address.CopyTo(buffer[5..]);
        int p = 5 + address.Length;
        BinaryPrimitives.WriteInt64BigEndian(buffer[p..], h.Node.Uid);
        CheckLength(h.Nonce, NonceSize).CopyTo(buffer[(p + 8)..]);
        return p + 8 + NonceSize;
    }

    private static Hello ReadHello(ReadOnlySpan<byte> bytes, out int used)
    {
        if (bytes.Length < 5 || bytes[0] != HelloType)
        {
            throw new WireFormatException("handshake hello is truncated");
        }

        ushort version = BinaryPrimitives.ReadUInt16BigEndian(bytes[1..]);
        int addressLength = BinaryPrimitives.ReadUInt16BigEndian(bytes[3..]);
        if (addressLength > MaxMessageSize || bytes.Length < 5 + addressLength + 8 + NonceSize)
        {
            throw new WireFormatException("handshake hello is truncated or its address is too long");
        }

        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes.Slice(5, addressLength));
        }
        catch (ArgumentException ex)
        {
            throw new WireFormatException("handshake hello address is not valid UTF-8", ex);
        }

        if (!Address.TryParse(text, out var address, out string error))
        {
            throw new WireFormatException("handshake hello: " + error);
        }

        int p = 5 + addressLength;
        long uid = BinaryPrimitives.ReadInt64BigEndian(bytes[p..]);
        var nonce = bytes.Slice(p + 8, NonceSize).ToArray();
        used = p + 8 + NonceSize;
        return new Hello(version, new UniqueAddress(address, uid), nonce);
    }
}

/// <summary>
/// HMAC-SHA256 proofs of the cluster secret for the handshake. The MAC covers a domain label, the role and the exact
/// encoded transcript, so a proof cannot be replayed on another connection (fresh nonces) or reflected to the other
/// role. Verification uses <see cref="CryptographicOperations.FixedTimeEquals"/>. Thread-safe; the secret is copied.
/// </summary>
public sealed class HandshakeAuthenticator
{
    private static readonly byte[] s_initiatorLabel = Encoding.ASCII.GetBytes("ActorNet/handshake/v1/initiator");
    private static readonly byte[] s_responderLabel = Encoding.ASCII.GetBytes("ActorNet/handshake/v1/responder");
    private readonly byte[] _secret;

    /// <summary>Creates an authenticator for the cluster secret (at least 16 bytes).</summary>
    /// <exception cref="ArgumentException">The secret is shorter than 16 bytes.</exception>
    public HandshakeAuthenticator(ReadOnlySpan<byte> secret)
    {
        if (secret.Length < 16)
        {
            throw new ArgumentException("the cluster secret must be at least 16 bytes", nameof(secret));
        }

        _secret = secret.ToArray();
    }

    /// <summary>The initiator's proof: HMAC(secret, label ‖ helloI ‖ nonceR).</summary>
    public byte[] InitiatorProof(ReadOnlySpan<byte> encodedInitiatorHello, ReadOnlySpan<byte> responderNonce) =>
        Mac(s_initiatorLabel, encodedInitiatorHello, responderNonce, []);

    /// <summary>The responder's proof: HMAC(secret, label ‖ helloI ‖ nonceR ‖ helloR).</summary>
    public byte[] ResponderProof(ReadOnlySpan<byte> encodedInitiatorHello, ReadOnlySpan<byte> responderNonce, ReadOnlySpan<byte> encodedResponderHello) =>
        Mac(s_responderLabel, encodedInitiatorHello, responderNonce, encodedResponderHello);

    /// <summary>Constant-time comparison of a received MAC with the expected one.</summary>
    public static bool Verify(ReadOnlySpan<byte> expected, ReadOnlySpan<byte> received) =>
        received.Length == expected.Length && CryptographicOperations.FixedTimeEquals(expected, received);

    private byte[] Mac(byte[] label, ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, ReadOnlySpan<byte> c)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _secret);
        Span<byte> length = stackalloc byte[4];
        hmac.AppendData(label);
        foreach (var part in new[] { a.ToArray(), b.ToArray(), c.ToArray() })
        {
            BinaryPrimitives.WriteInt32BigEndian(length, part.Length);
            hmac.AppendData(length);
            hmac.AppendData(part);
        }

        return hmac.GetHashAndReset();
    }
}

/// <summary>How a handshake ended.</summary>
/// <param name="Peer">The authenticated peer, when successful.</param>
/// <param name="RefusalReason">Why it was refused, for the local log only (never sent to the peer).</param>
public sealed record HandshakeOutcome(UniqueAddress? Peer, string? RefusalReason)
{
    /// <summary>True when the peer was authenticated.</summary>
    public bool Succeeded => Peer is not null;
}

/// <summary>
/// The accepting side of one connection's handshake. Single-threaded (the connection's reader loop). Feed each
/// decoded message to <see cref="Receive"/>; send the returned reply, if any; stop when an outcome is returned
/// (close the connection silently on refusal).
/// </summary>
public sealed class HandshakeResponder
{
    private readonly HandshakeAuthenticator _auth;
    private readonly UniqueAddress _self;
    private byte[]? _initiatorHello;
    private HandshakeMessages.Hello? _peerHello;
    private byte[]? _nonce;

    /// <summary>Creates the responder for <paramref name="self"/>.</summary>
    public HandshakeResponder(HandshakeAuthenticator auth, UniqueAddress self)
    {
        _auth = auth;
        _self = self;
    }

    /// <summary>Processes one message; returns the reply to send and, when finished, the outcome.</summary>
    public (HandshakeMessages.Message? Reply, HandshakeOutcome? Outcome) Receive(HandshakeMessages.Message message)
    {
        switch (message)
        {
            case HandshakeMessages.Hello hello when _initiatorHello is null:
                _initiatorHello = HandshakeMessages.Encode(hello);
                _peerHello = hello;
                _nonce = RandomNumberGenerator.GetBytes(HandshakeMessages.NonceSize);
                return (new HandshakeMessages.Challenge(_nonce), null);

            case HandshakeMessages.Proof proof when _initiatorHello is not null && _nonce is not null && _peerHello is not null:
                if (!HandshakeAuthenticator.Verify(_auth.InitiatorProof(_initiatorHello, _nonce), proof.Mac))
                {
                    return (null, Refuse("the peer's proof of the cluster secret is wrong"));
                }

                if (_peerHello.Version != HandshakeMessages.ProtocolVersion)
                {
                    return (null, Refuse(string.Create(CultureInfo.InvariantCulture, $"protocol version {_peerHello.Version} is not supported (this node speaks {HandshakeMessages.ProtocolVersion})")));
                }

                if (_peerHello.Node.Address.Cluster != _self.Address.Cluster)
                {
                    return (null, Refuse($"the peer belongs to cluster '{_peerHello.Node.Address.Cluster}', not '{_self.Address.Cluster}'"));
                }

                var ownHello = new HandshakeMessages.Hello(HandshakeMessages.ProtocolVersion, _self, RandomNumberGenerator.GetBytes(HandshakeMessages.NonceSize));
                var mac = _auth.ResponderProof(_initiatorHello, _nonce, HandshakeMessages.Encode(ownHello));
                return (new HandshakeMessages.Accept(ownHello, mac), new HandshakeOutcome(_peerHello.Node, null));

            default:
                return (null, Refuse($"unexpected handshake message {message.GetType().Name}"));
        }
    }

    private static HandshakeOutcome Refuse(string reason) => new(null, reason);
}

/// <summary>
/// The connecting side of one connection's handshake. Single-threaded. Send <see cref="Start"/>'s hello, then feed each
/// decoded reply to <see cref="Receive"/>.
/// </summary>
public sealed class HandshakeInitiator
{
    private readonly HandshakeAuthenticator _auth;
    private readonly HandshakeMessages.Hello _hello;
    private readonly byte[] _encodedHello;
    private byte[]? _responderNonce;

    /// <summary>Creates the initiator for <paramref name="self"/>, expecting to reach a node of the same cluster.</summary>
    public HandshakeInitiator(HandshakeAuthenticator auth, UniqueAddress self)
    {
        _auth = auth;
        _hello = new HandshakeMessages.Hello(HandshakeMessages.ProtocolVersion, self, RandomNumberGenerator.GetBytes(HandshakeMessages.NonceSize));
        _encodedHello = HandshakeMessages.Encode(_hello);
    }

    /// <summary>The first message to send.</summary>
    public HandshakeMessages.Hello Start() => _hello;

    /// <summary>Processes one reply; returns the message to send and, when finished, the outcome.</summary>
    public (HandshakeMessages.Message? Reply, HandshakeOutcome? Outcome) Receive(HandshakeMessages.Message message)
    {
        switch (message)
        {
            case HandshakeMessages.Challenge challenge when _responderNonce is null:
                _responderNonce = challenge.Nonce;
                return (new HandshakeMessages.Proof(_auth.InitiatorProof(_encodedHello, challenge.Nonce)), null);

            case HandshakeMessages.Accept accept when _responderNonce is not null:
                var expected = _auth.ResponderProof(_encodedHello, _responderNonce, HandshakeMessages.Encode(accept.Hello));
                if (!HandshakeAuthenticator.Verify(expected, accept.Mac))
                {
                    return (null, new HandshakeOutcome(null, "the responder's proof of the cluster secret is wrong"));
                }

                if (accept.Hello.Version != HandshakeMessages.ProtocolVersion)
                {
                    return (null, new HandshakeOutcome(null, string.Create(CultureInfo.InvariantCulture, $"the responder speaks protocol version {accept.Hello.Version}, not {HandshakeMessages.ProtocolVersion}")));
                }

                if (accept.Hello.Node.Address.Cluster != _hello.Node.Address.Cluster)
                {
                    return (null, new HandshakeOutcome(null, $"the responder belongs to cluster '{accept.Hello.Node.Address.Cluster}'"));
                }

                return (null, new HandshakeOutcome(accept.Hello.Node, null));

            default:
                return (null, new HandshakeOutcome(null, $"unexpected handshake message {message.GetType().Name}"));
        }
    }
}
