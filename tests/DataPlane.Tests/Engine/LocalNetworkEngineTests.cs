using ActorNet.DataPlane.Abi;
using ActorNet.DataPlane.Adapters;
using ActorNet.DataPlane.Engine;
using ActorNet.DataPlane.Forwarding;
using ActorNet.DataPlane.Frames;
using ActorNet.DataPlane.Notification;
using ActorNet.DataPlane.RingAllocation;
using ActorNet.DataPlane.Rings;
using ActorNet.DataPlane.Segments;
using ActorNet.DataPlane.Tests.Frames;
using ActorNet.DataPlane.Tests.Support;

namespace ActorNet.DataPlane.Tests.Engine;

public sealed class LocalNetworkEngineTests : IDisposable
{
    private static readonly MacAddress s_group = MacAddress.Parse("01:00:5e:01:01:01");
    private readonly ShmDirectory _shm = new();
    private readonly List<TestNode> _nodes = [];

    public void Dispose()
    {
        foreach (var n in _nodes)
        {
            n.Dispose();
        }

        _shm.Dispose();
    }

    [Theory]
    [InlineData(NotificationMode.Adaptive)]
    [InlineData(NotificationMode.Interrupt)]
    [InlineData(NotificationMode.Polling)]
    public void Unicast_ConnectedPeers_FrameArrivesIntactBothWaysAndIsCounted(NotificationMode mode)
    {
        var a = Start(1, [2], mode);
        var b = Start(2, [1], mode);
        Connect(a, b);
        Connect(b, a);

        var ab = FrameBuilder.Ethernet(b.Mac, a.Mac, 0x0800, Payload(1000, 1));
        var ba = FrameBuilder.Ethernet(a.Mac, b.Mac, 0x0800, Payload(60, 2));
        a.Inject(ab);
        b.Inject(ba);

        b.Receive().ShouldBe(ab);
        a.Receive().ShouldBe(ba);
        var link = a.Engine.Snapshot().Single(l => l.PeerNodeId == 2);
        link.State.ShouldBe(LinkState.Up);
        WaitFor(() => link.Counters.TxFrames == 1 && link.Counters.RxFrames == 1);
        link.Counters.TxBytes.ShouldBe(ab.Length);
        link.Counters.RxBytes.ShouldBe(ba.Length);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Receive_SleepingReceiverFrameOnASecondRing_IsWokenByTheDoorbellAndDelivers(bool broadcast)
    {
        var a = Start(1, [2, 3], NotificationMode.Interrupt);
        var b = Start(2, [1, 3], NotificationMode.Interrupt);
        var c = Start(3, [1, 2], NotificationMode.Interrupt);
        Connect(a, b);
        Connect(a, c);
        Connect(b, a);
        Connect(c, a);

        // Traffic on the first ring (from b), then a goes back to sleep on its doorbell.
        var first = FrameBuilder.Ethernet(a.Mac, b.Mac, 0x0800, Payload(100, 5));
        b.Inject(first);
        a.Receive().ShouldBe(first);
        long sleeps = a.Engine.ReceiveSleeps;
        WaitFor(() => a.Engine.IsReceiverSleeping && a.Engine.ReceiveSleeps > sleeps);

        // A frame on another ring (c's unicast ring, or c's broadcast ring) must wake it through the doorbell.
        var second = broadcast
            ? FrameBuilder.Ethernet(MacAddress.Broadcast, c.Mac, 0x0806, Payload(28, 6))
            : FrameBuilder.Ethernet(a.Mac, c.Mac, 0x0800, Payload(300, 6));
        c.Inject(second);
        a.Receive().ShouldBe(second);
        WaitFor(() => c.Engine.DoorbellsRung >= 1);
    }

    [Fact]
    public void Broadcast_ThreeNodes_ReachesEveryOtherNodeOnce()
    {
        var a = Start(1, [2, 3]);
        var b = Start(2, [1, 3]);
        var c = Start(3, [1, 2]);
        foreach (var x in new[] { a, b, c })
        {
            foreach (var y in new[] { a, b, c })
            {
                if (x != y)
                {
                    Connect(x, y);
                }
            }
        }

        var frame = FrameBuilder.Ethernet(MacAddress.Broadcast, a.Mac, 0x0806, Payload(28, 3));
        a.Inject(frame);

        b.Receive().ShouldBe(frame);
        c.Receive().ShouldBe(frame);
        Thread.Sleep(50);
        a.Os.Pending.ShouldBe(0); // a node does not hear its own broadcast
        b.Os.Pending.ShouldBe(0);
        a.Engine.CastCounters.TxFrames.ShouldBe(1);
    }

    [Fact]
    public void Multicast_ConfiguredGroup_TravelsOnTheGroupRingToMembersOnly()
    {
        var a = Start(1, [2, 3], groups: [s_group]);
        var b = Start(2, [1, 3], groups: [s_group]);
        var c = Start(3, [1, 2], groups: [s_group]);
        Connect(a, b);
        Connect(a, c);
        Connect(b, a);
        Connect(c, a);
        Connect(b, a, members: [1, 2]);
        Connect(c, a, members: [1, 2]);

        var frame = FrameBuilder.Ethernet(s_group, a.Mac, 0x0800, Payload(200, 4));
        a.Inject(frame);

        b.Receive().ShouldBe(frame);
        Thread.Sleep(100);
        c.Os.Pending.ShouldBe(0);
        a.Forwarder.Counters.MulticastRing.ShouldBe(1);
    }

    [Fact]
    public void Multicast_GroupJoinedByIgmpReport_DeliveredToTheJoinerAndFilteredAtTheOthers()
    {
        var a = Start(1, [2, 3]);
        var b = Start(2, [1, 3]);
        var c = Start(3, [1, 2]);
        foreach (var (x, y) in new[] { (a, b), (a, c), (b, a), (b, c), (c, a), (c, b) })
        {
            Connect(x, y);
        }

        // b's kernel joins 239.1.1.3: its IGMPv2 report leaves through b's adapter and b's transmit poller snoops it.
        var groupMac = MacAddress.Parse("01:00:5e:01:01:03");
        var report = FrameBuilder.Ethernet(groupMac, b.Mac, 0x0800, FrameBuilder.Ipv4(0x0AC80002, 0xEF010103, 2, [0x16, 0, 0, 0, 0xEF, 1, 1, 3]));
        b.Inject(report);
        WaitFor(() => b.Engine.LocalGroups.Contains(0xEF010103));
        WaitFor(() => c.Engine.MulticastFiltered == 1); // the report itself goes to the group, which c did not join

        // Data to the group (unconfigured, so on a's broadcast ring): b delivers, c filters; link-local always passes.
        var data = FrameBuilder.Ethernet(groupMac, a.Mac, 0x0800, FrameBuilder.Ipv4(0x0AC80001, 0xEF010103, 17, FrameBuilder.Udp(5000, 5000, Payload(64, 9))));
        var mdns = FrameBuilder.Ethernet(MacAddress.Parse("01:00:5e:00:00:fb"), a.Mac, 0x0800, FrameBuilder.Ipv4(0x0AC80001, 0xE00000FB, 17, FrameBuilder.Udp(5353, 5353, Payload(32, 3))));
        a.Inject(data);
        a.Inject(mdns);

        b.Receive().ShouldBe(data);
        b.Receive().ShouldBe(mdns);
        c.Receive().ShouldBe(mdns);
        c.Engine.MulticastFiltered.ShouldBe(2);
        c.Os.Pending.ShouldBe(0);
        b.Engine.MulticastFiltered.ShouldBe(0);

        // b's kernel leaves: later data is filtered at b too.
        b.Inject(FrameBuilder.Ethernet(MacAddress.Parse("01:00:5e:00:00:02"), b.Mac, 0x0800, FrameBuilder.Ipv4(0x0AC80002, 0xE0000002, 2, [0x17, 0, 0, 0, 0xEF, 1, 1, 3])));
        WaitFor(() => !b.Engine.LocalGroups.Contains(0xEF010103));
        a.Inject(data);
        WaitFor(() => b.Engine.MulticastFiltered == 1);
    }

    [Fact]
    public void DisconnectPeer_MarksRingsDownAndCountsLaterFramesAsDown()
    {
        var a = Start(1, [2]);
        var b = Start(2, [1]);
        Connect(a, b);
        Connect(b, a);

        a.Engine.DisconnectPeer(2);
        a.State = a.State.WithReleased(2);
        a.Forwarder.Publish(a.State.ToSnapshot(NetworkKind.Local, []));
        a.Inject(FrameBuilder.Ethernet(b.Mac, a.Mac, 0x0800, Payload(100, 5)));

        WaitFor(() => a.Forwarder.Counters.DroppedRingDown == 1);
        a.Engine.IsConnected(2).ShouldBeFalse();
        a.Engine.Snapshot().Single().State.ShouldBe(LinkState.Down);
        RingIsDown(b.Segment, 1).ShouldBeTrue();   // a's transmit ring in b's segment
        RingIsDown(a.Segment, 2).ShouldBeTrue();   // a's receive ring for b, released
        RingIsDown(b.Segment, 1).ShouldBeTrue();
        Thread.Sleep(50);
        b.Os.Pending.ShouldBe(0);
    }

    [Fact]
    public void Unicast_AfterPeerRestart_FlowsToTheNewIncarnation()
    {
        var a = Start(1, [2]);
        var b = Start(2, [1]);
        Connect(a, b);
        Connect(b, a);
        b.Dispose();
        _nodes.Remove(b);
        a.Engine.DisconnectPeer(2);

        var b2 = Start(2, [1]);
        Connect(a, b2);
        Connect(b2, a);
        var frame = FrameBuilder.Ethernet(b2.Mac, a.Mac, 0x0800, Payload(300, 6));
        a.Inject(frame);

        b2.Receive().ShouldBe(frame);
        a.Engine.Snapshot().Single().PeerIncarnation.ShouldBe(b2.Segment.Incarnation);
    }

    [Fact]
    public void Read_RuntAndForgedSourceFromAdapter_CountedAndDropped()
    {
        var a = Start(1, [2]);
        var b = Start(2, [1]);
        Connect(a, b);
        Connect(b, a);

        a.Adapter.InjectFromOs(new byte[5]);
        var forged = FrameBuilder.Ethernet(b.Mac, a.Mac, 0x0800, Payload(40, 7));
        forged[ShmMacHeader.SourceOffset] |= ShmMacHeader.ControlBitMask;
        a.Adapter.InjectFromOs(forged);
        var good = FrameBuilder.Ethernet(b.Mac, a.Mac, 0x0800, Payload(40, 8));
        a.Inject(good);

        b.Receive().ShouldBe(good);
        a.Engine.AdapterCounters.Runts.ShouldBe(1);
        a.Engine.AdapterCounters.Garbled.ShouldBe(1);
    }

    [Fact]
    public void Receive_MalformedSlotFromPeer_CountedAndNotDelivered()
    {
        var a = Start(1, [2]);
        var b = Start(2, [1]);
        Connect(b, a);
        Connect(a, b);

        // A buggy peer: writes an offload-flagged slot whose prefix is garbage, then a good frame.
        using var peerView = SharedSegment.Open(_shm.Node(2), 2);
        var raw = new SpscSender(peerView, 1, NotificationMode.Adaptive);
        var garbage = new byte[80];
        Array.Fill(garbage, (byte)0xFF);
        raw.Write(garbage, SlotFlags.Offload).ShouldBe(SendResult.Sent);
        raw.Publish();

        var link = b.Engine.Snapshot().Single(l => l.PeerNodeId == 1);
        WaitFor(() => link.Counters.RxDropMalformed == 1);
        b.Os.Pending.ShouldBe(0);
    }

    [Fact]
    public void Unicast_OffloadAdapters_OffloadMetadataTravelsWithTheFrame()
    {
        var a = Start(1, [2], offloads: true);
        var b = Start(2, [1], offloads: true);
        Connect(a, b);
        Connect(b, a);
        a.Engine.OffloadInSlots.ShouldBeTrue();

        var frame = FrameBuilder.Ethernet(b.Mac, a.Mac, 0x0800, Payload(2000, 9));
        var offload = new FrameOffload(FrameOffload.FlagNeedsChecksum, 0, 0, 0, 34, 16);
        a.Adapter.InjectFromOs(frame, offload).ShouldBeTrue();

        var (received, receivedOffload) = b.ReceiveWithOffload();
        received.ShouldBe(frame);
        receivedOffload.ShouldBe(offload);
    }

    private static unsafe bool RingIsDown(SharedSegment segment, ushort sender)
    {
        var g = RingGeometry.Open(segment, RegionKind.Spsc, sender);
        return (Volatile.Read(ref g.Control->Flags) & (uint)RingFlags.Down) != 0;
    }

    private static byte[] Payload(int length, byte seed)
    {
        var p = new byte[length];
        for (int i = 0; i < p.Length; i++)
        {
            p[i] = (byte)(seed + (i * 7));
        }

        return p;
    }

    private static void WaitFor(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("condition not met within 20 s");
            }

            Thread.Sleep(5);
        }
    }

    private void Connect(TestNode from, TestNode to, ushort[]? members = null)
    {
        if (!from.Engine.IsConnected(to.Id))
        {
            from.Engine.ConnectPeer(to.Id, SharedSegment.Open(_shm.Node(to.Id), to.Id));
            from.State = from.State.WithConnected(to.Id, to.Segment.Incarnation);
        }

        from.Forwarder.Publish(from.State.ToSnapshot(NetworkKind.Local, from.Groups, members is null ? null : _ => members));
    }

    private TestNode Start(ushort id, ushort[] peers, NotificationMode mode = NotificationMode.Adaptive, MacAddress[]? groups = null, bool offloads = false)
    {
        var node = new TestNode(_shm.Node(id), id, peers, mode, groups ?? [], offloads);
        _nodes.Add(node);
        return node;
    }

    private sealed class TestNode : IDisposable
    {
        private readonly byte[] _buffer = new byte[FrameAdapter.MaxSuperFrameSize];

        public TestNode(string path, ushort id, ushort[] peers, NotificationMode mode, MacAddress[] groups, bool offloads)
        {
            int maxFrame = offloads ? FrameAdapter.MaxSuperFrameSize : 9018;
            int slot = offloads ? FrameAdapter.MaxSuperFrameSize + FrameOffload.Size : NodeSegmentLayout.SlotSizeForMtu(9000);
            Id = id;
            Groups = groups;
            Mac = MacAddress.ForNode(NetworkKind.Local, id);
            Segment = SharedSegment.Create(path, id, (ulong)Random.Shared.NextInt64(), NodeSegmentLayout.Build(id, peers, offloads ? 16 : 64, slot, groups));
            (Adapter, Os) = InMemoryAdapter.CreatePair(Mac, MacAddress.ForNode(NetworkKind.Local, 60000), maxFrame, 64, offloads);
            State = RingAllocationState.Initial(id, peers);
            Forwarder = new FrameForwarder(State.ToSnapshot(NetworkKind.Local, groups), new LearningTable(64, 60_000));
            Engine = new LocalNetworkEngine(Segment, Adapter, Forwarder, LocalEngineOptions.Default with { Mode = mode, SpinIterations = 200 }, peers);
            Engine.Start();
        }

        public ushort Id { get; }

        public MacAddress Mac { get; }

        public MacAddress[] Groups { get; }

        public SharedSegment Segment { get; }

        public InMemoryAdapter Adapter { get; }

        public InMemoryAdapter Os { get; }

        public FrameForwarder Forwarder { get; }

        public LocalNetworkEngine Engine { get; }

        public RingAllocationState State { get; set; }

        public void Inject(byte[] frame) => Adapter.InjectFromOs(frame).ShouldBeTrue();

        public byte[] Receive() => ReceiveWithOffload().Frame;

        public (byte[] Frame, FrameOffload Offload) ReceiveWithOffload()
        {
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (DateTime.UtcNow < deadline)
            {
                int n = Os.Read(_buffer, out var offload);
                if (n > 0)
                {
                    return (_buffer.AsSpan(0, n).ToArray(), offload);
                }

                Os.WaitReadable(50);
            }

            throw new TimeoutException($"node {Id} received nothing within 20 s");
        }

        public void Dispose()
        {
            Engine.Dispose();
            Adapter.Dispose();
            Os.Dispose();
            Segment.Dispose();
        }
    }
}
