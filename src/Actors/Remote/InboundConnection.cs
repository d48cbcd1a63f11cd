using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using ActorNet.Actors.Cluster.Membership;
using ActorNet.Actors.Cluster.Remoting.Wire;

namespace ActorNet.Actors.Remote;

using Address = ActorNet.Actors.Cluster.Membership.Address;

/// <summary>
/// One accepted connection: handshake as responder (a peer that cannot prove the secret is refused, logged and
/// closed without any reply beyond the random challenge), then a reader loop that parses frames in place in one
/// pooled buffer and delivers each message to its local recipient. Runs on its own task; owns the socket.
/// </summary>
internal sealed class InboundConnection(RemoteTransport transport, Socket socket)
{
    private static readonly UTF8Encoding s_strictUtf8 = new(false, throwOnInvalidBytes: true);
    private readonly Random _random = new();
    private string _peerText = socket.RemoteEndPoint?.ToString() ?? "?";
    private Address? _peer;
    private byte[] _lastRecipient = [];
    private IActorRef _lastRecipientRef = ActorRefs.Nobody;
    private byte[] _lastSender = [];
    private IActorRef? _lastSenderRef;
    private byte[] _lastManifest = [];
    private string _lastManifestText = string.Empty;

    public async Task RunAsync()
    {
        var token = transport.StopToken;
        var stream = new NetworkStream(socket, ownsSocket: false);
        try
        {
            if (!await HandshakeAsync(stream, token).ConfigureAwait(false))
            {
                return;
            }

            await ReadLoopAsync(stream, token).ConfigureAwait(false);
            RemoteLog.AssociationLost(transport.Log, "from", _peerText, "closed by the peer");
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            if (_peer is not null && !token.IsCancellationRequested)
            {
                RemoteLog.AssociationLost(transport.Log, "from", _peerText, ex.Message);
            }
        }
        finally
        {
            transport.OnInboundClosed(socket);
            RemoteTransport.CloseQuietly(socket);
        }
    }

    private async Task<bool> HandshakeAsync(NetworkStream stream, CancellationToken token)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(token);
        timeout.CancelAfter(transport.Settings.HandshakeTimeout);
        var responder = new HandshakeResponder(transport.Authenticator, transport.LocalAddress);
        try
        {
            while (true)
            {
                var frame = await RemoteTransport.ReadHandshakeFrameAsync(stream, timeout.Token).ConfigureAwait(false);
                var message = HandshakeMessages.Decode(frame);
                if (message is HandshakeMessages.Hello hello)
                {
                    _peerText = $"{hello.Node} at {_peerText}";
                }

                var (reply, outcome) = responder.Receive(message);
                if (outcome is { Succeeded: false })
                {
                    RemoteLog.HandshakeRefused(transport.Log, _peerText, "inbound", outcome.RefusalReason!);
                    return false;
                }

                if (outcome is { Succeeded: true })
                {
                    var peer = outcome.Peer!;
                    if (!transport.OnPeerIncarnation(peer))
                    {
                        RemoteLog.HandshakeRefused(transport.Log, _peerText, "inbound", "this incarnation is quarantined");
                        return false;
                    }

                    await RemoteTransport.WriteHandshakeFrameAsync(stream, reply!, timeout.Token).ConfigureAwait(false);
                    _peer = peer.Address;
                    _peerText = peer.ToString();
                    transport.OnInboundAuthenticated(socket, peer.Address);
                    RemoteLog.AssociationEstablished(transport.Log, "from", _peerText);
                    return true;
                }

                if (reply is not null)
                {
                    await RemoteTransport.WriteHandshakeFrameAsync(stream, reply, timeout.Token).ConfigureAwait(false);
                }
            }
        }
        catch (WireFormatException ex)
        {
            RemoteLog.HandshakeRefused(transport.Log, _peerText, "inbound", "garbled handshake: " + ex.Message);
            return false;
        }
        catch (OperationCanceledException) when (!token.IsCancellationRequested)
        {
            RemoteLog.HandshakeRefused(transport.Log, _peerText, "inbound", "handshake timed out");
            return false;
        }
        catch (Exception ex) when (ex is IOException or EndOfStreamException or SocketException)
        {
            RemoteLog.HandshakeRefused(transport.Log, _peerText, "inbound", "connection closed during the handshake: " + ex.Message);
            return false;
        }
    }

    private async Task ReadLoopAsync(NetworkStream stream, CancellationToken token)
    {
        int maxFrame = transport.Settings.MaximumFrameSize;
        var buffer = ArrayPool<byte>.Shared.Rent(maxFrame + FrameCodec.HeaderSize + (64 * 1024));
        int start = 0;
        int end = 0;
        try
        {
            while (true)
            {
                if (buffer.Length - end < 16 * 1024 && start > 0)
                {
                    Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                    end -= start;
                    start = 0;
                }

                int n = await stream.ReadAsync(buffer.AsMemory(end), token).ConfigureAwait(false);
                if (n == 0)
                {
                    return;
                }

                end += n;
                long paused = transport.PausedRemainingMs;
                if (paused > 0)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(paused), token).ConfigureAwait(false);
                }

                while (end - start >= FrameCodec.HeaderSize)
                {
                    int length = BinaryPrimitives.ReadInt32BigEndian(buffer.AsSpan(start));
                    if (length <= 0 || length > maxFrame)
                    {
                        transport.LogDrop("from", _peerText, string.Create(CultureInfo.InvariantCulture, $"frame length {(uint)length} is outside 1..{maxFrame}; closing this connection"));
                        return;
                    }

                    if (end - start < FrameCodec.HeaderSize + length)
                    {
                        break;
                    }

                    Deliver(buffer.AsSpan(start + FrameCodec.HeaderSize, length));
                    start += FrameCodec.HeaderSize + length;
                }

                if (start == end)
                {
                    start = end = 0;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void Deliver(ReadOnlySpan<byte> frame)
    {
        if (frame[0] == RemoteTransport.KindKeepAlive)
        {
            return;
        }

        try
        {
            if (frame[0] != RemoteTransport.KindMessage)
            {
                throw new WireFormatException(string.Create(CultureInfo.InvariantCulture, $"unknown frame kind {frame[0]}"));
            }

            var fault = _peer is null ? null : transport.FaultFor(_peer);
            if (fault is not null && !fault.Passes(_random.NextDouble()))
            {
                return;
            }

            int p = 1;
            var recipient = Field(frame, ref p);
            var sender = Field(frame, ref p);
            if (frame.Length < p + 6)
            {
                throw new WireFormatException("frame truncated before the serializer id");
            }

            int serializerId = BinaryPrimitives.ReadInt32BigEndian(frame[p..]);
            p += 4;
            var manifest = Field(frame, ref p);
            var payload = frame[p..];

            var recipientRef = ResolveRecipient(recipient);
            var senderRef = ResolveSender(sender);
            var message = transport.Registry.Deserialize(serializerId, Manifest(manifest), payload);
            if (recipientRef.IsNobody())
            {
                transport.LogDrop("from", _peerText, $"no actor at {Encoding.UTF8.GetString(recipient)} for {message.GetType().Name}");
                return;
            }

            transport.CountReceived();
            recipientRef.Tell(message, senderRef);
        }
        catch (WireFormatException ex)
        {
            transport.LogDrop("from", _peerText, "garbled or unknown message: " + ex.Message);
        }
        catch (ArgumentException ex)
        {
            transport.LogDrop("from", _peerText, "invalid message: " + ex.Message);
        }
    }

    private static ReadOnlySpan<byte> Field(ReadOnlySpan<byte> frame, ref int p)
    {
        if (frame.Length < p + 2)
        {
            throw new WireFormatException("frame truncated in a length field");
        }

        int length = BinaryPrimitives.ReadUInt16BigEndian(frame[p..]);
        p += 2;
        if (frame.Length < p + length)
        {
            throw new WireFormatException("frame truncated in a field");
        }

        var field = frame.Slice(p, length);
        p += length;
        return field;
    }

    private IActorRef ResolveRecipient(ReadOnlySpan<byte> bytes)
    {
        if (!bytes.SequenceEqual(_lastRecipient))
        {
            _lastRecipientRef = transport.ResolveLocalRecipient(Text(bytes));
            _lastRecipient = bytes.ToArray();
        }

        return _lastRecipientRef;
    }

    private IActorRef? ResolveSender(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return null;
        }

        if (!bytes.SequenceEqual(_lastSender) || _lastSenderRef is null)
        {
            _lastSenderRef = transport.ResolvePath(Text(bytes));
            _lastSender = bytes.ToArray();
        }

        return _lastSenderRef;
    }

    private string Manifest(ReadOnlySpan<byte> bytes)
    {
        if (!bytes.SequenceEqual(_lastManifest))
        {
            _lastManifestText = Text(bytes);
            _lastManifest = bytes.ToArray();
        }

        return _lastManifestText;
    }

    private static string Text(ReadOnlySpan<byte> bytes)
    {
        try
        {
            return s_strictUtf8.GetString(bytes);
        }
        catch (ArgumentException ex)
        {
            throw new WireFormatException("a path or manifest is not valid UTF-8", ex);
        }
    }
}
