using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using ActorNet.Actors.Cluster.Membership;
using ActorNet.Actors.Cluster.Remoting;
using ActorNet.Actors.Cluster.Remoting.Wire;
using Microsoft.Extensions.Logging;

namespace ActorNet.Actors.Remote;

using Address = ActorNet.Actors.Cluster.Membership.Address;

/// <summary>Settings of one <see cref="RemoteTransport"/>, immutable.</summary>
/// <param name="ClusterName">Cluster name: part of the address; peers of other clusters are refused.</param>
/// <param name="Hostname">Host name or IP to listen on and to advertise.</param>
/// <param name="Port">TCP port; 0 = any free port (the bound port is advertised).</param>
/// <param name="MaximumFrameSize">Largest frame accepted or sent, in bytes.</param>
/// <param name="HandshakeTimeout">A handshake not finished within this long fails.</param>
/// <param name="MinBackoff">First reconnect delay.</param>
/// <param name="MaxBackoff">Largest reconnect delay.</param>
/// <param name="Secret">Cluster secret proven in the handshake; "" = a key derived from the cluster name (no authentication).</param>
/// <param name="Uid">Incarnation of this process (random, non-zero).</param>
public sealed record RemoteTransportSettings(
    string ClusterName,
    string Hostname,
    int Port,
    int MaximumFrameSize,
    TimeSpan HandshakeTimeout,
    TimeSpan MinBackoff,
    TimeSpan MaxBackoff,
    string Secret,
    long Uid)
{
    /// <summary>Largest number of messages queued towards one peer; more are dropped and logged.</summary>
    public int MaxQueuedPerPeer { get; init; } = 500_000;

    /// <summary>An idle outbound connection sends a keep-alive frame this often.</summary>
    public TimeSpan KeepAliveInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Builds the settings from the cluster settings (actornet.cluster + actornet.node.remoting).</summary>
    public static RemoteTransportSettings From(ActorNet.Actors.Cluster.ClusterSettings cluster, long uid) => new(
        cluster.Name,
        cluster.Remoting.Hostname,
        cluster.Remoting.Port,
        (int)Math.Min(int.MaxValue / 2, cluster.Remoting.MaximumFrameSize),
        cluster.Remoting.HandshakeTimeout,
        cluster.Remoting.MinBackoff,
        cluster.Remoting.MaxBackoff,
        cluster.Secret,
        uid)
    {
        MaxQueuedPerPeer = cluster.Remoting.SendQueueSize,
        KeepAliveInterval = cluster.Remoting.KeepAliveInterval,
    };

    /// <summary>A fresh random incarnation uid (positive, non-zero).</summary>
    public static long NewUid() => (long)(RandomNumberGenerator.GetInt32(1, int.MaxValue)) << 31 | (uint)RandomNumberGenerator.GetInt32(0, int.MaxValue);
}

/// <summary>
/// TCP remoting between ActorNet nodes: one listener, one outbound association (connection + writer loop) per peer
/// address and one reader loop per inbound connection. Connections are one-way: a node writes on the connection it
/// opened and reads on the ones it accepted. Every connection starts with the HMAC handshake
/// (<see cref="HandshakeInitiator"/>/<see cref="HandshakeResponder"/>); then frames (<see cref="FrameCodec"/>
/// length prefix) carry [kind][recipient path][sender path][serializer id][manifest][payload].
/// Messages to one peer go through one queue and one connection, so the order of each sender's messages is kept.
/// Garbled, unknown or oversized data is logged and dropped (an unparseable length closes that connection only).
/// Thread-safety: every public member may be called from any thread.
/// </summary>
public sealed class RemoteTransport : IAsyncDisposable
{
    internal const byte KindMessage = 1;
    internal const byte KindKeepAlive = 2;

    private readonly ActorSystem _system;
    private readonly SerializerRegistry _registry;
    private readonly ILogger _log;
    private readonly HandshakeAuthenticator _auth;
    private readonly ConcurrentDictionary<Address, Association> _associations = new();
    private readonly ConcurrentDictionary<string, IActorRef> _refCache = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Socket, Address?> _inbound = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _registryLock = new();
    private readonly RateLimiter _dropLog = new(20);
    private AssociationRegistry _associationRegistry = new();
    private ImmutableDictionary<Address, PeerFault> _faults = ImmutableDictionary<Address, PeerFault>.Empty;
    private long _pausedUntilMs;
    private Socket? _listener;
    private Task? _acceptLoop;
    private string _localPrefix = string.Empty;

    /// <summary>Creates a transport for <paramref name="system"/>; call <see cref="Start"/> to listen.</summary>
    public RemoteTransport(ActorSystem system, RemoteTransportSettings settings, SerializerRegistry registry, ILoggerFactory loggerFactory)
    {
        _system = system;
        Settings = settings;
        _registry = registry;
        _log = loggerFactory.CreateLogger("ActorNet.Remoting");
        var key = settings.Secret.Length > 0 ? settings.Secret : "actornet-unauthenticated:" + settings.ClusterName;
        _auth = new HandshakeAuthenticator(SHA256.HashData(Encoding.UTF8.GetBytes(key)).AsSpan(0, 32));
        LocalAddress = new UniqueAddress(new Address(settings.ClusterName, settings.Hostname, Math.Max(1, settings.Port)), settings.Uid);
    }

    /// <summary>The settings.</summary>
    public RemoteTransportSettings Settings { get; }

    /// <summary>This node's address and incarnation; the port is the bound one after <see cref="Start"/>.</summary>
    public UniqueAddress LocalAddress { get; private set; }

    /// <summary>The actor system whose actors receive inbound messages.</summary>
    public ActorSystem ActorSystem => _system;

    /// <summary>Raised (on an I/O thread) when a peer address is seen with a new incarnation: (old, new).</summary>
    public event Action<UniqueAddress, UniqueAddress>? IncarnationChanged;

    /// <summary>Number of inbound messages delivered (diagnostics, benchmarks).</summary>
    public long MessagesReceived => Interlocked.Read(ref _received);

    private long _received;

    /// <summary>Binds the listener and starts accepting. Throws <see cref="SocketException"/> when the port is taken.</summary>
    public void Start()
    {
        var ip = IPAddress.TryParse(Settings.Hostname, out var parsed) ? parsed : Dns.GetHostAddresses(Settings.Hostname).First();
        var listener = new Socket(ip.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            listener.Bind(new IPEndPoint(ip, Settings.Port));
            listener.Listen(512);
        }
        catch
        {
            listener.Dispose();
            throw;
        }

        _listener = listener;
        int port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        LocalAddress = new UniqueAddress(new Address(Settings.ClusterName, Settings.Hostname, port), Settings.Uid);
        _localPrefix = LocalAddress.Address.ToString();
        _acceptLoop = Task.Run(AcceptLoopAsync);
        RemoteLog.Started(_log, _localPrefix, Settings.Uid);
    }

    /// <summary>
    /// A reference to the actor at <paramref name="path"/> (e.g. "/system/cluster/core") on <paramref name="node"/>;
    /// a local reference when <paramref name="node"/> is this node. Never blocks; the connection is made on first send.
    /// </summary>
    public IActorRef ActorFor(Address node, string path)
    {
        if (node.Equals(LocalAddress.Address))
        {
            return _system.ResolveLocal(SplitPath(path));
        }

        return new RemoteActorRef(this, GetAssociation(node), node, path);
    }

    /// <summary>
    /// Resolves a full path "actornet://cluster@host:port/a/b"; <see cref="ActorRefs.Nobody"/> when it does not parse.
    /// </summary>
    public IActorRef ResolvePath(string fullPath)
    {
        if (_refCache.TryGetValue(fullPath, out var cached))
        {
            return cached;
        }

        int slash = fullPath.IndexOf('/', "actornet://".Length);
        var addressText = slash < 0 ? fullPath : fullPath[..slash];
        var path = slash < 0 ? "/" : fullPath[slash..];
        if (!Address.TryParse(addressText, out var address, out _))
        {
            return ActorRefs.Nobody;
        }

        var resolved = ActorFor(address, path);
        if (resolved is RemoteActorRef)
        {
            if (_refCache.Count > 10_000)
            {
                _refCache.Clear();
            }

            _refCache[fullPath] = resolved;
        }

        return resolved;
    }

    /// <summary>The path a peer uses to reply to <paramref name="actor"/> (full "actornet://..." form).</summary>
    public string ToWirePath(IActorRef actor)
    {
        if (actor is RemoteActorRef remote)
        {
            return remote.FullPath;
        }

        var elements = actor.Path.Elements;
        return elements.Count == 0 ? _localPrefix + "/" : _localPrefix + "/" + string.Join('/', elements);
    }

    /// <summary>
    /// Quarantines one incarnation: it is refused from now on and its connections are closed. Called by the cluster
    /// when a member is downed or removed, and internally when a peer restarts with a new incarnation.
    /// </summary>
    public void Quarantine(UniqueAddress node, string reason)
    {
        bool added;
        lock (_registryLock)
        {
            added = !_associationRegistry.Quarantined.Contains(node);
            _associationRegistry = _associationRegistry.Quarantine(node);
        }

        if (added)
        {
            RemoteLog.Quarantined(_log, node.ToString(), reason);
            if (_associations.TryGetValue(node.Address, out var association) && association.PeerUid == node.Uid)
            {
                association.Disconnect("peer quarantined");
            }
        }
    }

    /// <summary>Whether <paramref name="node"/> is quarantined.</summary>
    public bool IsQuarantined(UniqueAddress node)
    {
        lock (_registryLock)
        {
            return _associationRegistry.Quarantined.Contains(node);
        }
    }

    /// <summary>Applies a fault to all traffic with <paramref name="peer"/> (both directions); pass-through clears it.</summary>
    public void SetFault(Address peer, PeerFault fault)
    {
        ImmutableInterlocked.Update(ref _faults, f => fault.Mode == PeerFaultMode.PassThrough ? f.Remove(peer) : f.SetItem(peer, fault));
        if (_associations.TryGetValue(peer, out var association))
        {
            association.Fault = fault.Mode == PeerFaultMode.PassThrough ? null : fault;
        }

        RemoteLog.FaultApplied(_log, peer.ToString(), fault.ToString());
    }

    /// <summary>The fault currently applied towards <paramref name="peer"/>, or null.</summary>
    public PeerFault? FaultFor(Address peer) => Volatile.Read(ref _faults).TryGetValue(peer, out var f) ? f : null;

    /// <summary>Closes the connections to and from <paramref name="peer"/>; they are re-made on the next message.</summary>
    public void Disassociate(Address peer)
    {
        if (_associations.TryGetValue(peer, out var association))
        {
            association.Disconnect("disassociated by fault injection");
        }

        foreach (var (socket, address) in _inbound)
        {
            if (peer.Equals(address))
            {
                CloseQuietly(socket);
            }
        }

        RemoteLog.FaultApplied(_log, peer.ToString(), "disassociate");
    }

    /// <summary>
    /// Waits until every message queued for <paramref name="peer"/> so far has been written to its connection (handed
    /// to the kernel, which delivers it even if this process exits next) or dropped; false after
    /// <paramref name="timeout"/>. True at once when nothing was ever sent there.
    /// </summary>
    public Task<bool> FlushAsync(Address peer, TimeSpan timeout) =>
        _associations.TryGetValue(peer, out var association) ? association.FlushAsync(timeout) : Task.FromResult(true);

    /// <summary>Stops reading and writing for <paramref name="duration"/> (messages wait in the queues).</summary>
    public void Pause(TimeSpan duration)
    {
        Volatile.Write(ref _pausedUntilMs, Environment.TickCount64 + (long)duration.TotalMilliseconds);
        RemoteLog.FaultApplied(_log, "*", $"pause {(long)duration.TotalMilliseconds} ms");
    }

    /// <summary>Closes the listener and every connection; queued messages are dropped.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        if (_listener is not null)
        {
            CloseQuietly(_listener);
        }

        foreach (var socket in _inbound.Keys)
        {
            CloseQuietly(socket);
        }

        var loops = _associations.Values.Select(a => a.StopAsync()).ToList();
        if (_acceptLoop is not null)
        {
            loops.Add(_acceptLoop);
        }

        try
        {
            await Task.WhenAll(loops).WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException or SocketException or IOException or ObjectDisposedException)
        {
            // Shutting down: late I/O errors do not matter.
        }

        _stop.Dispose();
    }

    internal Association GetAssociation(Address node) =>
        _associations.GetOrAdd(node, n => new Association(this, n) { Fault = FaultFor(n) });

    internal ILogger Log => _log;

    internal SerializerRegistry Registry => _registry;

    internal HandshakeAuthenticator Authenticator => _auth;

    internal CancellationToken StopToken => _stop.Token;

    internal long PausedRemainingMs => Math.Max(0, Volatile.Read(ref _pausedUntilMs) - Environment.TickCount64);

    internal void LogDrop(string direction, string peer, string reason)
    {
        if (_dropLog.Next(out long count))
        {
            RemoteLog.MessageDropped(_log, direction, peer, reason, count);
        }
    }

    /// <summary>Registers the incarnation a handshake revealed; false when it is quarantined (refuse it).</summary>
    internal bool OnPeerIncarnation(UniqueAddress peer)
    {
        AssociationDecision decision;
        UniqueAddress? old;
        lock (_registryLock)
        {
            (_associationRegistry, decision, old) = _associationRegistry.OnHandshake(peer);
        }

        if (decision == AssociationDecision.Refused)
        {
            return false;
        }

        if (decision == AssociationDecision.IncarnationChanged && old is not null)
        {
            RemoteLog.Quarantined(_log, old.ToString(), $"{peer.Address} restarted as incarnation {peer.Uid}");
            if (_associations.TryGetValue(peer.Address, out var association) && association.PeerUid == old.Uid)
            {
                association.Disconnect("peer restarted with a new incarnation");
            }

            IncarnationChanged?.Invoke(old, peer);
        }

        return true;
    }

    internal static IReadOnlyList<string> SplitPath(string path) => path.Split('/', StringSplitOptions.RemoveEmptyEntries);

    internal static void CloseQuietly(Socket socket)
    {
        try
        {
            socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Already closed.
        }

        socket.Dispose();
    }

    /// <summary>Reads one whole frame during the handshake (small frames only).</summary>
    internal static async Task<byte[]> ReadHandshakeFrameAsync(NetworkStream stream, CancellationToken token)
    {
        var header = new byte[FrameCodec.HeaderSize];
        await stream.ReadExactlyAsync(header, token).ConfigureAwait(false);
        int length = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(header);
        if (length <= 0 || length > HandshakeMessages.MaxMessageSize + HandshakeMessages.MacSize + 1)
        {
            throw new WireFormatException($"handshake frame length {(uint)length} is out of range");
        }

        var payload = new byte[length];
        await stream.ReadExactlyAsync(payload, token).ConfigureAwait(false);
        return payload;
    }

    internal static Task WriteHandshakeFrameAsync(NetworkStream stream, HandshakeMessages.Message message, CancellationToken token)
    {
        var payload = HandshakeMessages.Encode(message);
        return stream.WriteAsync(FrameCodec.EncodeFrame(payload, HandshakeMessages.MaxMessageSize + HandshakeMessages.MacSize + 1), token).AsTask();
    }

    private async Task AcceptLoopAsync()
    {
        var listener = _listener!;
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                if (_stop.IsCancellationRequested)
                {
                    return;
                }

                continue;
            }

            socket.NoDelay = true;
            _inbound[socket] = null;
            _ = Task.Run(() => new InboundConnection(this, socket).RunAsync());
        }
    }

    internal void OnInboundAuthenticated(Socket socket, Address peer) => _inbound[socket] = peer;

    internal void OnInboundClosed(Socket socket) => _inbound.TryRemove(socket, out _);

    internal IActorRef ResolveLocalRecipient(string path) => _system.ResolveLocal(SplitPath(path));

    internal void CountReceived() => Interlocked.Increment(ref _received);

    internal IActorRef DeadLetters => _system.DeadLetters;
}
