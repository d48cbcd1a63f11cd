using System.Globalization;
using ActorNet.Actors.Cluster.Control;
using ActorNet.Actors.Remote;
using Microsoft.Extensions.Logging;

namespace ActorNet.Actors.Cluster;

using Address = ActorNet.Actors.Cluster.Membership.Address;

/// <summary>
/// Fault injection by message (<c>/system/fault-injector</c>, on every node), as Akka's TestConductor and
/// failure-injector transport: <see cref="InjectFault"/> applies blackhole / pass-through / throttle / drop towards a
/// peer in the remoting transport (both directions on this node), disassociates, pauses the transport, or crashes the
/// process at once. Every fault is logged on this node (<see cref="ClusterLog.FaultInjected"/>) and acknowledged with
/// a <see cref="FaultReply"/>. Only authenticated peers can reach it (the remoting handshake proves the secret).
/// </summary>
internal sealed class FaultInjectorActor : ReceiveActor
{
    private readonly ClusterNode _node;
    private readonly ILogger _log;

    public FaultInjectorActor(ClusterNode node)
    {
        _node = node;
        _log = node.System.LoggerFactory.CreateLogger("ActorNet.Cluster.FaultInjector");
        Receive<InjectFault>(OnInject);
    }

    private void OnInject(InjectFault m)
    {
        string self = _node.SelfUniqueAddress.Address.ToString();
        string requester = Sender.IsNobody() ? "local" : Sender.Path.ToString();
        Address? peer = null;
        if (m.Peer is not null && !Address.TryParse(m.Peer, out peer, out var error))
        {
            Sender.Tell(new FaultReply(self, false, $"invalid peer address '{m.Peer}': {error}"), Self);
            return;
        }

        string description;
        switch (m.Kind)
        {
            case "blackhole" when peer is not null:
                _node.Transport.SetFault(peer, PeerFault.Blackhole);
                description = "blackhole";
                break;
            case "pass-through" when peer is not null:
                _node.Transport.SetFault(peer, PeerFault.PassThrough);
                description = "pass-through";
                break;
            case "throttle" when peer is not null && m.Value >= 1:
                _node.Transport.SetFault(peer, new PeerFault(PeerFaultMode.Throttle, MessagesPerSecond: (int)m.Value));
                description = string.Create(CultureInfo.InvariantCulture, $"throttle to {(int)m.Value} msg/s");
                break;
            case "drop" when peer is not null && m.Value is >= 0 and <= 1:
                _node.Transport.SetFault(peer, new PeerFault(PeerFaultMode.Drop, DropProbability: m.Value));
                description = string.Create(CultureInfo.InvariantCulture, $"drop with probability {m.Value}");
                break;
            case "disassociate" when peer is not null:
                _node.Transport.Disassociate(peer);
                description = "disassociate";
                break;
            case "pause" when m.Value is > 0 and <= 3_600_000:
                _node.Transport.Pause(TimeSpan.FromMilliseconds(m.Value));
                description = string.Create(CultureInfo.InvariantCulture, $"pause for {(long)m.Value} ms");
                break;
            case "crash":
                ClusterLog.FaultInjected(_log, self, "crash", "-", requester);
                Sender.Tell(new FaultReply(self, true, "crash"), Self);
                var crash = _node.Options.Crash;
                int code = (int)m.Value;
                var transport = _node.Transport;
                Address? requesterNode = (Sender as RemoteActorRef)?.Node;
                _ = Task.Run(async () =>
                {
                    // Exit once the acknowledgement is on the wire (it may need a new connection and handshake back to
                    // the requester, which takes long on a loaded machine), but never later than 5 s.
                    if (requesterNode is not null)
                    {
                        await transport.FlushAsync(requesterNode, TimeSpan.FromSeconds(5)).ConfigureAwait(false);
                    }

                    await Task.Delay(20).ConfigureAwait(false);
                    crash(code);
                });
                return;
            default:
                Sender.Tell(new FaultReply(self, false, $"unknown fault '{m.Kind}' or missing/invalid peer or value"), Self);
                return;
        }

        ClusterLog.FaultInjected(_log, self, description, peer?.ToString() ?? "-", requester);
        Sender.Tell(new FaultReply(self, true, description), Self);
    }
}
