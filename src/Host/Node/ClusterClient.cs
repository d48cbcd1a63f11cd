using ActorNet.Actors;
using ActorNet.Actors.Cluster;
using ActorNet.Actors.Remote;
using ActorNet.Hocon;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ActorNet.Host.Node;

using Address = ActorNet.Actors.Cluster.Membership.Address;

/// <summary>
/// A transient remoting client for operator commands (<c>actornet status</c>, <c>actornet inject</c>): its own actor
/// system and transport on an ephemeral port, authenticated with the cluster secret through the same HMAC handshake
/// as the nodes. It is never a cluster member. Ask one node, wait for one reply. One caller at a time.
/// </summary>
public sealed class ClusterClient : IAsyncDisposable
{
    private readonly ActorSystem _system;

    private ClusterClient(ActorSystem system, RemoteTransport transport)
    {
        _system = system;
        Transport = transport;
    }

    /// <summary>The client's transport.</summary>
    public RemoteTransport Transport { get; }

    /// <summary>
    /// Starts a client for the cluster described by <paramref name="config"/> (name, secret, remoting host), listening
    /// on <paramref name="hostname"/> (default: the configuration's remoting host) at an ephemeral port.
    /// </summary>
    public static ClusterClient Start(Config config, ILoggerFactory? loggerFactory = null, string? hostname = null)
    {
        var settings = ClusterSettings.FromConfig(config);
        var factory = loggerFactory ?? NullLoggerFactory.Instance;
        var system = ActorSystem.Create(settings.Name, config, factory);
        var transportSettings = RemoteTransportSettings.From(settings, RemoteTransportSettings.NewUid()) with { Port = 0, Hostname = hostname ?? settings.Remoting.Hostname };
        var transport = new RemoteTransport(system, transportSettings, ClusterNode.CreateSerializerRegistry(transportSettings.MaximumFrameSize), factory);
        transport.Start();
        return new ClusterClient(system, transport);
    }

    /// <summary>
    /// The local IP address the kernel would send from to reach <paramref name="node"/> (a connected UDP socket sends
    /// nothing but learns its route), so that the node can connect back to a client listening there — e.g. the
    /// management bridge's address for a cluster started by <c>actornet up</c>, whose nodes cannot reach this
    /// namespace's 127.0.0.1. Null when there is no route or the host does not resolve.
    /// </summary>
    public static string? LocalAddressTowards(Address node)
    {
        try
        {
            var ip = System.Net.IPAddress.TryParse(node.Host, out var parsed) ? parsed : System.Net.Dns.GetHostAddresses(node.Host).FirstOrDefault();
            if (ip is null)
            {
                return null;
            }

            using var probe = new System.Net.Sockets.Socket(ip.AddressFamily, System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Udp);
            probe.Connect(new System.Net.IPEndPoint(ip, node.Port));
            return (probe.LocalEndPoint as System.Net.IPEndPoint)?.Address.ToString();
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or ArgumentException)
        {
            // no route, or a host name the resolver rejects: listen on the configured host instead
            return null;
        }
    }

    /// <summary>
    /// Sends <paramref name="message"/> to <paramref name="path"/> on <paramref name="node"/> and returns the first
    /// reply, or null after <paramref name="timeout"/> (node down, wrong secret, wrong cluster).
    /// </summary>
    public async Task<object?> AskAsync(Address node, string path, object message, TimeSpan timeout)
    {
        var reply = new TaskCompletionSource<object>(TaskCreationOptions.RunContinuationsAsynchronously);
        var receiver = _system.ActorOf(Props.Create(() => new ReplyActor(reply)));
        try
        {
            Transport.ActorFor(node, path).Tell(message, receiver);
            var done = await Task.WhenAny(reply.Task, Task.Delay(timeout)).ConfigureAwait(false);
            return done == reply.Task ? reply.Task.Result : null;
        }
        finally
        {
            _system.Stop(receiver);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Transport.DisposeAsync().ConfigureAwait(false);
        await _system.Terminate().WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
    }

    private sealed class ReplyActor : ReceiveActor
    {
        public ReplyActor(TaskCompletionSource<object> reply) => ReceiveAny(m => reply.TrySetResult(m));
    }
}
