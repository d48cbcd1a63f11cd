using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using ActorNet.Actors.Cluster.Remoting;
using ActorNet.Actors.Cluster.Remoting.Wire;

namespace ActorNet.Actors.Remote;

using Address = ActorNet.Actors.Cluster.Membership.Address;

/// <summary>
/// The outbound side towards one peer address: a queue filled by any thread (<see cref="Enqueue"/>) and one writer
/// loop that connects (with backoff), runs the handshake as initiator and then drains the queue into one pooled
/// buffer per batch, one socket write per batch. Serialization happens in the writer loop, so senders only enqueue.
/// </summary>
internal sealed class Association
{
    private readonly RemoteTransport _transport;
    private readonly ConcurrentQueue<Outbound> _queue = new();
    private readonly SemaphoreSlim _signal = new(0, int.MaxValue);
    private readonly Dictionary<Type, (IMessageSerializer Serializer, byte[] Manifest)> _types = [];
    private readonly ReconnectBackoff _backoff;
    private readonly Random _random = new();
    private int _wake;
    private int _reconnectRequested; // set by Disconnect (any thread); consumed by the write loop before it dequeues
    private int _queued;
    private long _accepted; // messages taken onto the queue, ever
    private long _settled;  // of those, written to the socket or dropped
    private int _inFlight;  // dequeued by the write loop, not yet settled (write loop only)
    private Task? _loop;
    private Socket? _socket;
    private IActorRef? _lastSender;
    private byte[] _lastSenderBytes = [];

    public Association(RemoteTransport transport, Address peer)
    {
        _transport = transport;
        Peer = peer;
        _backoff = new ReconnectBackoff(transport.Settings.MinBackoff, transport.Settings.MaxBackoff);
    }

    public Address Peer { get; }

    /// <summary>Incarnation of the peer on the current connection (0 = not connected yet).</summary>
    public long PeerUid { get; private set; }

    /// <summary>Fault towards this peer, set by <see cref="RemoteTransport.SetFault"/>; null = none.</summary>
    public volatile PeerFault? Fault;

    public void Enqueue(byte[] recipient, object message, IActorRef? sender)
    {
        if (Interlocked.Increment(ref _queued) > _transport.Settings.MaxQueuedPerPeer)
        {
            Interlocked.Decrement(ref _queued);
            _transport.LogDrop("to", Peer.ToString(), "the send queue is full");
            return;
        }

        Interlocked.Increment(ref _accepted);
        _queue.Enqueue(new Outbound(recipient, message, sender));
        if (_loop is null)
        {
            lock (_queue)
            {
                _loop ??= Task.Run(RunAsync);
            }
        }

        if (Interlocked.Exchange(ref _wake, 1) == 0)
        {
            _signal.Release();
        }
    }

    /// <summary>
    /// Drops the current connection (this side's decision, e.g. the peer restarted as a new incarnation). The write
    /// loop sees the request before it takes anything off the queue, so what is queued — typically the reply to the
    /// new incarnation's first message, such as an InitJoinAck — goes out on a fresh connection instead of being
    /// written into the dead one. Any thread.
    /// </summary>
    public void Disconnect(string reason)
    {
        var socket = Volatile.Read(ref _socket);
        if (socket is not null)
        {
            Volatile.Write(ref _reconnectRequested, 1);
            RemoteLog.AssociationLost(_transport.Log, "to", Peer.ToString(), reason);
            RemoteTransport.CloseQuietly(socket);
            if (Interlocked.Exchange(ref _wake, 1) == 0)
            {
                _signal.Release();
            }
        }
    }

    /// <summary>
    /// Waits until everything enqueued before this call has been handed to the kernel (or dropped); false after
    /// <paramref name="timeout"/>. Data handed to the kernel is delivered even if this process exits right after.
    /// </summary>
    public async Task<bool> FlushAsync(TimeSpan timeout)
    {
        long target = Interlocked.Read(ref _accepted);
        var deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        while (Interlocked.Read(ref _settled) < target)
        {
            if (Environment.TickCount64 >= deadline)
            {
                return false;
            }

            await Task.Delay(2).ConfigureAwait(false);
        }

        return true;
    }

    public Task StopAsync()
    {
        Disconnect("transport stopped");
        return _loop ?? Task.CompletedTask;
    }

    private async Task RunAsync()
    {
        var token = _transport.StopToken;
        int attempt = 0;
        while (!token.IsCancellationRequested)
        {
            Socket? socket = null;
            try
            {
                socket = await ConnectAsync(token).ConfigureAwait(false);
                attempt = 0;
                await WriteLoopAsync(socket, token).ConfigureAwait(false);

                // The write loop returns only when Disconnect asked for a new connection: keep the queue, reconnect now.
                Volatile.Write(ref _socket, null);
                RemoteTransport.CloseQuietly(socket);
            }
            catch (Exception ex) when (ex is SocketException or IOException or WireFormatException or TimeoutException or OperationCanceledException or ObjectDisposedException or HandshakeRefusedException)
            {
                if (token.IsCancellationRequested)
                {
                    return;
                }

                Volatile.Write(ref _socket, null);
                Volatile.Write(ref _reconnectRequested, 0); // this failure already ends the connection
                if (socket is not null)
                {
                    RemoteTransport.CloseQuietly(socket);
                }

                Interlocked.Add(ref _settled, _inFlight); // the batch being written when the connection failed is lost
                _inFlight = 0;
                int dropped = DrainQueue();
                var delay = _backoff.Delay(attempt, _random);
                if (attempt < 3 || attempt % 20 == 0)
                {
                    RemoteLog.AssociationFailed(_transport.Log, Peer.ToString(), attempt + 1, (long)delay.TotalMilliseconds, ex.Message + (dropped > 0 ? string.Create(CultureInfo.InvariantCulture, $"; {dropped} queued messages dropped") : string.Empty));
                }

                attempt++;
                try
                {
                    await Task.Delay(delay, token).ConfigureAwait(false);

                    // Only reconnect when there is something to send (messages queued during the delay wait).
                    if (_queue.IsEmpty)
                    {
                        await _signal.WaitAsync(token).ConfigureAwait(false);
                        Volatile.Write(ref _wake, 0);
                        _signal.Release();
                    }
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private int DrainQueue()
    {
        int n = 0;
        while (_queue.TryDequeue(out _))
        {
            Interlocked.Decrement(ref _queued);
            Interlocked.Increment(ref _settled);
            n++;
        }

        return n;
    }

    private async Task<Socket> ConnectAsync(CancellationToken token)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(token);
        timeout.CancelAfter(_transport.Settings.HandshakeTimeout);
        try
        {
            await socket.ConnectAsync(Peer.Host, Peer.Port, timeout.Token).ConfigureAwait(false);
            var stream = new NetworkStream(socket, ownsSocket: false);
            var initiator = new HandshakeInitiator(_transport.Authenticator, _transport.LocalAddress);
            await RemoteTransport.WriteHandshakeFrameAsync(stream, initiator.Start(), timeout.Token).ConfigureAwait(false);
            while (true)
            {
                var frame = await RemoteTransport.ReadHandshakeFrameAsync(stream, timeout.Token).ConfigureAwait(false);
                var (reply, outcome) = initiator.Receive(HandshakeMessages.Decode(frame));
                if (reply is not null)
                {
                    await RemoteTransport.WriteHandshakeFrameAsync(stream, reply, timeout.Token).ConfigureAwait(false);
                }

                if (outcome is null)
                {
                    continue;
                }

                if (!outcome.Succeeded)
                {
                    RemoteLog.HandshakeRefused(_transport.Log, Peer.ToString(), "outbound", outcome.RefusalReason!);
                    throw new HandshakeRefusedException(outcome.RefusalReason!);
                }

                var peer = outcome.Peer!;
                if (!peer.Address.Equals(Peer))
                {
                    throw new HandshakeRefusedException($"the peer at {Peer} calls itself {peer.Address}");
                }

                if (!_transport.OnPeerIncarnation(peer))
                {
                    throw new HandshakeRefusedException($"{peer} is quarantined");
                }

                PeerUid = peer.Uid;
                Volatile.Write(ref _socket, socket);
                RemoteLog.AssociationEstablished(_transport.Log, "to", peer.ToString());
                return socket;
            }
        }
        catch (OperationCanceledException) when (!token.IsCancellationRequested)
        {
            RemoteTransport.CloseQuietly(socket);
            throw new TimeoutException("connect or handshake timed out");
        }
        catch
        {
            RemoteTransport.CloseQuietly(socket);
            throw;
        }
    }

    private async Task WriteLoopAsync(Socket socket, CancellationToken token)
    {
        int maxFrame = _transport.Settings.MaximumFrameSize;
        var buffer = ArrayPool<byte>.Shared.Rent(BatchLimit + maxFrame + 64);
        var keepAlive = _transport.Settings.KeepAliveInterval;
        try
        {
            while (true)
            {
                if (_queue.IsEmpty)
                {
                    if (!await _signal.WaitAsync(keepAlive, token).ConfigureAwait(false))
                    {
                        BinaryPrimitives.WriteInt32BigEndian(buffer, 1);
                        buffer[FrameCodec.HeaderSize] = RemoteTransport.KindKeepAlive;
                        await socket.SendAsync(buffer.AsMemory(0, FrameCodec.HeaderSize + 1), token).ConfigureAwait(false);
                        continue;
                    }
                }

                Volatile.Write(ref _wake, 0);
                if (Interlocked.Exchange(ref _reconnectRequested, 0) == 1)
                {
                    return;
                }

                long paused = _transport.PausedRemainingMs;
                if (paused > 0)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(paused), token).ConfigureAwait(false);
                }

                int length = 0;
                var fault = Fault;
                while (_queue.TryDequeue(out var item))
                {
                    Interlocked.Decrement(ref _queued);
                    _inFlight++;
                    if (fault is not null && !fault.Passes(_random.NextDouble()))
                    {
                        continue;
                    }

                    if (fault is { Mode: PeerFaultMode.Throttle, MessagesPerSecond: > 0 })
                    {
                        if (length > 0)
                        {
                            await socket.SendAsync(buffer.AsMemory(0, length), token).ConfigureAwait(false);
                            length = 0;
                        }

                        Interlocked.Add(ref _settled, _inFlight - 1);
                        _inFlight = 1;

                        await Task.Delay(TimeSpan.FromSeconds(1.0 / fault.MessagesPerSecond), token).ConfigureAwait(false);
                    }

                    int written = Encode(item, buffer.AsSpan(length), maxFrame);
                    if (written < 0)
                    {
                        continue;
                    }

                    length += written;
                    if (length >= BatchLimit)
                    {
                        await socket.SendAsync(buffer.AsMemory(0, length), token).ConfigureAwait(false);
                        length = 0;
                        Interlocked.Add(ref _settled, _inFlight);
                        _inFlight = 0;
                    }
                }

                if (length > 0)
                {
                    await socket.SendAsync(buffer.AsMemory(0, length), token).ConfigureAwait(false);
                }

                Interlocked.Add(ref _settled, _inFlight);
                _inFlight = 0;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private const int BatchLimit = 64 * 1024;

    /// <summary>Writes one frame into <paramref name="destination"/> (which has room for a whole frame); -1 = dropped.</summary>
    private int Encode(in Outbound item, Span<byte> destination, int maxFrame)
    {
        var type = item.Message.GetType();
        if (!_types.TryGetValue(type, out var entry))
        {
            if (!_transport.Registry.TryGetSerializer(type, out var serializer, out var manifest))
            {
                _transport.LogDrop("to", Peer.ToString(), $"no serializer for {type.Name}");
                return -1;
            }

            entry = (serializer, Encoding.UTF8.GetBytes(manifest));
            _types[type] = entry;
        }

        byte[] payload;
        try
        {
            payload = entry.Serializer.ToBinary(item.Message);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or NotSupportedException or System.Text.Json.JsonException)
        {
            _transport.LogDrop("to", Peer.ToString(), $"{type.Name} failed to serialize: {ex.Message}");
            return -1;
        }

        var sender = SenderBytes(item.Sender);
        int frameLength = 1 + 2 + item.Recipient.Length + 2 + sender.Length + 4 + 2 + entry.Manifest.Length + payload.Length;
        if (frameLength > maxFrame || payload.Length > _transport.Registry.MaxMessageSize)
        {
            _transport.LogDrop("to", Peer.ToString(), string.Create(CultureInfo.InvariantCulture, $"{type.Name} of {frameLength} bytes exceeds the maximum frame size {maxFrame}"));
            return -1;
        }

        var d = destination;
        BinaryPrimitives.WriteInt32BigEndian(d, frameLength);
        d[4] = RemoteTransport.KindMessage;
        int p = 5;
        BinaryPrimitives.WriteUInt16BigEndian(d[p..], (ushort)item.Recipient.Length);
        p += 2;
        item.Recipient.CopyTo(d[p..]);
        p += item.Recipient.Length;
        BinaryPrimitives.WriteUInt16BigEndian(d[p..], (ushort)sender.Length);
        p += 2;
        sender.CopyTo(d[p..]);
        p += sender.Length;
        BinaryPrimitives.WriteInt32BigEndian(d[p..], entry.Serializer.Identifier);
        p += 4;
        BinaryPrimitives.WriteUInt16BigEndian(d[p..], (ushort)entry.Manifest.Length);
        p += 2;
        entry.Manifest.CopyTo(d[p..]);
        p += entry.Manifest.Length;
        payload.CopyTo(d[p..]);
        return p + payload.Length;
    }

    private byte[] SenderBytes(IActorRef? sender)
    {
        if (sender is null || sender.IsNobody())
        {
            return [];
        }

        if (!ReferenceEquals(sender, _lastSender))
        {
            var bytes = Encoding.UTF8.GetBytes(_transport.ToWirePath(sender));
            _lastSenderBytes = bytes.Length <= ushort.MaxValue ? bytes : [];
            _lastSender = sender;
        }

        return _lastSenderBytes;
    }

    private readonly record struct Outbound(byte[] Recipient, object Message, IActorRef? Sender);
}

/// <summary>A handshake was refused by either side; the association backs off and retries.</summary>
public sealed class HandshakeRefusedException : Exception
{
    /// <summary>Creates the exception with the refusal reason.</summary>
    public HandshakeRefusedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a reason and a cause.</summary>
    public HandshakeRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception without details.</summary>
    public HandshakeRefusedException()
        : base("handshake refused")
    {
    }
}
