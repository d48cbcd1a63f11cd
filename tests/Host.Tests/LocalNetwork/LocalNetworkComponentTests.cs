using System.Net;
using ActorNet.Actors;
using ActorNet.DataPlane.Adapters;
using ActorNet.DataPlane.Engine;
using ActorNet.DataPlane.Frames;
using ActorNet.DataPlane.RingAllocation;
using ActorNet.Host.Network;
using Microsoft.Extensions.Logging.Abstractions;

namespace ActorNet.Host.Tests.LocalNetwork;

/// <summary>
/// Two local-network components in one process, without the cluster: same-host discovery through their segments,
/// ring allocation by the actor, frames through in-memory adapters.
/// </summary>
public sealed class LocalNetworkComponentTests : IDisposable
{
    private readonly string _root = Path.Combine("/dev/shm", "actornet-lnc-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly ActorSystem _system = ActorSystem.Create("lnc");
    private readonly List<IDisposable> _owned = [];

    public void Dispose()
    {
        for (int i = _owned.Count - 1; i >= 0; i--)
        {
            _owned[i].Dispose();
        }

        _system.Dispose();
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public async Task Start_TwoNodes_DiscoverEachOtherConnectAndCarryFrames()
    {
        var (a, osA) = Start(1);
        var (b, osB) = Start(2);

        await Eventually(() => a.Engine.IsConnected(2) && b.Engine.IsConnected(1));

        // The allocator publishes the forwarding snapshot right after it connects the ring; a frame sent in between
        // is a counted ring-down drop. Its state, asked through its mailbox, is current once the snapshot is.
        (await a.Allocator.Ask<RingAllocationState>(RingAllocationActor.GetAllocation.Instance, TimeSpan.FromSeconds(10))).Connected.Keys.ShouldBe(new ushort[] { 2 });
        var frame = Frame(MacAddress.ForNode(NetworkKind.Local, 2), MacAddress.ForNode(NetworkKind.Local, 1));
        osA.Peer.TryWrite(frame, FrameOffload.None).ShouldBeTrue();

        (await ReceiveAsync(osB, () => Describe(a) + " | " + Describe(b))).ShouldBe(frame);
        var state = await a.Allocator.Ask<RingAllocationState>(RingAllocationActor.GetAllocation.Instance, TimeSpan.FromSeconds(10));
        state.Connected.Keys.ShouldBe(new ushort[] { 2 });
        a.GetStatus().Links.Single(l => l.Peer == 2).State.ShouldBe("up");
    }

    [Fact]
    public async Task Dispose_OneNode_TheOtherReleasesItsRingsAndCountsFramesToItAsDown()
    {
        var (a, osA) = Start(1);
        var (b, _) = Start(2);
        await Eventually(() => a.Engine.IsConnected(2) && b.Engine.IsConnected(1));

        b.Dispose();
        await Eventually(() => !a.Engine.IsConnected(2), () => "still connected; b's segment exists: " + File.Exists(b.Options.SegmentPath));
        osA.Peer.TryWrite(Frame(MacAddress.ForNode(NetworkKind.Local, 2), MacAddress.ForNode(NetworkKind.Local, 1)), FrameOffload.None).ShouldBeTrue();

        await Eventually(() => a.Engine.ForwardingCounters.DroppedRingDown == 1, () => $"ring-down drops {a.Engine.ForwardingCounters.DroppedRingDown}, unicast {a.Engine.ForwardingCounters.Unicast}, flooded {a.Engine.ForwardingCounters.UnknownUnicastFlooded}, read {a.Engine.AdapterCounters.FramesRead}");
        a.GetStatus().Links.Single(l => l.Peer == 2).State.ShouldBe("down");
    }

    [Fact]
    public void Start_NodeIdInUse_IsRefusedWithTheOwnerPid()
    {
        Start(1);

        var ex = Should.Throw<NodeIdInUseException>(() => Start(1));

        ex.Message.ShouldContain($"node id 1 is already in use in cluster 'lnc': process {Environment.ProcessId} owns");
    }

    [Fact]
    public void StatusFile_GarbageOrHugeOrMissing_ReadsAsAbsent()
    {
        Directory.CreateDirectory(_root);
        var path = Path.Combine(_root, "status.json");
        StatusFile.TryRead(path).ShouldBeNull();
        File.WriteAllText(path, "{ not json");
        StatusFile.TryRead(path).ShouldBeNull();
        File.WriteAllBytes(path, new byte[(1 << 20) + 1]);
        StatusFile.TryRead(path).ShouldBeNull();
    }

    private static byte[] Frame(MacAddress destination, MacAddress source)
    {
        var frame = new byte[100];
        destination.WriteTo(frame);
        source.WriteTo(frame.AsSpan(6));
        frame[12] = 0x08;
        for (int i = 14; i < frame.Length; i++)
        {
            frame[i] = (byte)i;
        }

        return frame;
    }

    private static string Describe(LocalNetworkComponent c)
    {
        var e = c.Engine;
        var f = e.ForwardingCounters;
        var links = string.Join(",", e.Snapshot().Select(l => $"{l.PeerNodeId}:{l.State} tx={l.Counters.TxFrames} rx={l.Counters.RxFrames}"));
        return $"node {e.LocalNodeId}: read {e.AdapterCounters.FramesRead} written {e.AdapterCounters.FramesWritten} unicast {f.Unicast} flooded {f.UnknownUnicastFlooded} broadcast {f.Broadcast} ring-down {f.DroppedRingDown} no-bcast {f.DroppedNoBroadcastRing} self {f.DroppedToSelf} badsrc {f.DroppedBadSource} cast-tx {e.CastCounters.TxFrames} links [{links}] rx-sleeping {e.IsReceiverSleeping}";
    }

    private static async Task<byte[]> ReceiveAsync(OsSide os, Func<string> describe)
    {
        var buffer = new byte[9018];
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            int n = os.Peer.Read(buffer, out _);
            if (n > 0)
            {
                return buffer.AsSpan(0, n).ToArray();
            }

            await Task.Delay(10);
        }

        throw new TimeoutException("nothing received; " + describe());
    }

    private static async Task Eventually(Func<bool> condition, Func<string>? describe = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            DateTime.UtcNow.ShouldBeLessThan(deadline, "condition not met in time: " + describe?.Invoke());
            await Task.Delay(20);
        }
    }

    private (LocalNetworkComponent Component, OsSide Os) Start(ushort id)
    {
        var options = new LocalNetworkOptions(
            id, "n" + id, "lnc", _root, [1, 2], "mem0", 9000, IPAddress.Parse("10.200.0." + id), 24, 64, [],
            LocalEngineOptions.Default, TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(50), Offloads: false);
        var os = new OsSide();
        var component = LocalNetworkComponent.Start(options, _system, NullLoggerFactory.Instance, o =>
        {
            var (engineSide, osSide) = InMemoryAdapter.CreatePair(MacAddress.ForNode(NetworkKind.Local, o.NodeId), MacAddress.ForNode(NetworkKind.Local, 60000), 9018, 256);
            os.Peer = osSide;
            return engineSide;
        });
        _owned.Add(os);
        _owned.Add(component); // disposed first: the engine stops before its adapters go
        return (component, os);
    }

    private sealed class OsSide : IDisposable
    {
        public FrameAdapter Peer { get; set; } = null!;

        public void Dispose() => Peer?.Dispose();
    }
}
