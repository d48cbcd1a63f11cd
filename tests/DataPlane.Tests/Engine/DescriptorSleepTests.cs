using System.Net.Sockets;
using ActorNet.DataPlane.Adapters;
using ActorNet.DataPlane.Engine;
using ActorNet.DataPlane.Forwarding;
using ActorNet.DataPlane.Frames;
using ActorNet.DataPlane.Notification;
using ActorNet.DataPlane.RingAllocation;
using ActorNet.DataPlane.Segments;
using ActorNet.DataPlane.Tests.Frames;
using ActorNet.DataPlane.Tests.Support;

namespace ActorNet.DataPlane.Tests.Engine;

/// <summary>
/// The poller's sleep on an adapter descriptor and the descriptor bell (ABI v3), with an adapter that, like a TAP, is
/// a descriptor that poll(2) reports readable: one end of a Unix seqpacket pair (one datagram = one frame).
/// </summary>
public sealed class DescriptorSleepTests : IDisposable
{
    private readonly ShmDirectory _shm = new();
    private readonly List<IDisposable> _owned = [];

    public void Dispose()
    {
        for (int i = _owned.Count - 1; i >= 0; i--)
        {
            _owned[i].Dispose();
        }

        _shm.Dispose();
    }

    [Fact]
    public void DescriptorBell_RingerBeforeAndAfterCreation_WakesPollAndIsRemovedOnDispose()
    {
        var segmentPath = _shm.Node(7);
        var bellPath = DescriptorBell.PathFor(segmentPath);
        Path.GetFileName(bellPath).ShouldBe(".node-7.bell");
        using var ringer = new DescriptorBellRinger(segmentPath);
        ringer.Ring().ShouldBeFalse("no bell yet");

        var bell = DescriptorBell.TryCreate(segmentPath, out var error).ShouldNotBeNull(error);
        File.Exists(bellPath).ShouldBeTrue();
        Thread.Sleep(150); // the ringer retries a failed open after 100 ms
        ringer.Ring().ShouldBeTrue();
        Readable(bell.Descriptor).ShouldBeTrue();
        bell.Drain();
        Readable(bell.Descriptor).ShouldBeFalse("drained");

        bell.Dispose();
        File.Exists(bellPath).ShouldBeFalse();
    }

    [Fact]
    public void SegmentScan_MeetsABell_RefusesItAsNotASegment()
    {
        var segmentPath = _shm.Node(8);
        using var bell = DescriptorBell.TryCreate(segmentPath, out var error).ShouldNotBeNull(error);
        Should.Throw<SegmentFormatException>(() => SharedSegment.Open(DescriptorBell.PathFor(segmentPath)))
            .Message.ShouldContain("not a regular file");
    }

    // The pollers' safety-net timeout is an hour: only a real wake-up (adapter descriptor, bell) delivers in time.
    [Fact]
    public void Interrupt_BothPollersAsleepOnDescriptors_AFrameFromTheAdapterWakesOneAndItsBellTheOther()
    {
        var a = Start(1, [2]);
        var b = Start(2, [1]);
        Connect(a, b);
        Connect(b, a);
        a.Engine.BellError.ShouldBeNull();
        WaitUntilAsleepForGood(a, b);
        Doorbell.IsReceiverSleeping(b.Segment).ShouldBeTrue();
        long rungBefore = a.Engine.DoorbellsRung;

        var frame = FrameBuilder.Ethernet(b.Mac, a.Mac, 0x0800, Enumerable.Range(0, 700).Select(i => (byte)i).ToArray());
        a.Os.Send(frame);

        b.Receive().ShouldBe(frame);
        // a counts the ring after its write(2) to the bell returns, which can be after b delivered the frame.
        WaitFor(() => a.Engine.DoorbellsRung > rungBefore); // a rang b's bell: b slept in poll(2)

        // And back: b's answer crosses the same way while a sleeps again.
        WaitFor(() => a.Engine.IsReceiverSleeping);
        var answer = FrameBuilder.Ethernet(a.Mac, b.Mac, 0x0800, [1, 2, 3, 4, 5, 6, 7, 8]);
        b.Os.Send(answer);
        a.Receive().ShouldBe(answer);
    }

    // Both asleep, and still asleep without another sleep started 100 ms later: a bell byte left by the connects
    // wakes a poller once more right after it first sleeps, and a frame sent then would meet it awake.
    private static void WaitUntilAsleepForGood(Node a, Node b)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            WaitFor(() => a.Engine.IsReceiverSleeping && b.Engine.IsReceiverSleeping);
            long sleepsA = a.Engine.ReceiveSleeps, sleepsB = b.Engine.ReceiveSleeps;
            Thread.Sleep(100);
            if (a.Engine.IsReceiverSleeping && b.Engine.IsReceiverSleeping && a.Engine.ReceiveSleeps == sleepsA && b.Engine.ReceiveSleeps == sleepsB)
            {
                return;
            }

            DateTime.UtcNow.ShouldBeLessThan(deadline, "the pollers did not stay asleep within 20 s");
        }
    }

    private static unsafe bool Readable(int fd)
    {
        var pfd = new Interop.Tun.PollFd { Fd = fd, Events = Interop.Tun.POLLIN };
        return Interop.Tun.poll(&pfd, 1, 0) > 0;
    }

    private static void WaitFor(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!condition())
        {
            DateTime.UtcNow.ShouldBeLessThan(deadline, "condition not met within 20 s");
            Thread.Sleep(5);
        }
    }

    private void Connect(Node from, Node to)
    {
        from.Engine.ConnectPeer(to.Id, SharedSegment.Open(_shm.Node(to.Id), to.Id));
        from.State = from.State.WithConnected(to.Id, to.Segment.Incarnation);
        from.Forwarder.Publish(from.State.ToSnapshot(NetworkKind.Local, []));
    }

    private Node Start(ushort id, ushort[] peers)
    {
        var node = new Node(_shm, id, peers);
        _owned.Add(node);
        return node;
    }

    private sealed class Node : IDisposable
    {
        private readonly byte[] _buffer = new byte[9018];

        public Node(ShmDirectory shm, ushort id, ushort[] peers)
        {
            Id = id;
            Mac = MacAddress.ForNode(NetworkKind.Local, id);
            Segment = SharedSegment.Create(shm.Node(id), id, (ulong)Random.Shared.NextInt64(), NodeSegmentLayout.Build(id, peers, 64, NodeSegmentLayout.SlotSizeForMtu(9000), []));
            var socketPath = Path.Combine(shm.Path, $"adapter-{id}.sock");
            using var listener = new Socket(AddressFamily.Unix, SocketType.Seqpacket, ProtocolType.Unspecified);
            listener.Bind(new UnixDomainSocketEndPoint(socketPath));
            listener.Listen(1);
            Os = new Socket(AddressFamily.Unix, SocketType.Seqpacket, ProtocolType.Unspecified);
            Os.Connect(new UnixDomainSocketEndPoint(socketPath));
            Adapter = new SocketAdapter(listener.Accept(), Mac);
            State = RingAllocationState.Initial(id, peers);
            Forwarder = new FrameForwarder(State.ToSnapshot(NetworkKind.Local, []), new LearningTable(64, 60_000));
            Engine = new LocalNetworkEngine(Segment, Adapter, Forwarder, LocalEngineOptions.Default with { Mode = NotificationMode.Interrupt, MaxSleep = TimeSpan.FromHours(1) }, peers);
            Engine.Start();
        }

        public ushort Id { get; }

        public MacAddress Mac { get; }

        public SharedSegment Segment { get; }

        public SocketAdapter Adapter { get; }

        public Socket Os { get; }

        public FrameForwarder Forwarder { get; }

        public LocalNetworkEngine Engine { get; }

        public RingAllocationState State { get; set; }

        public byte[] Receive()
        {
            if (!Os.Poll(20_000_000, SelectMode.SelectRead))
            {
                throw new TimeoutException($"node {Id}'s adapter received nothing within 20 s");
            }

            int n = Os.Receive(_buffer);
            return _buffer.AsSpan(0, n).ToArray();
        }

        public void Dispose()
        {
            Engine.Dispose();
            Adapter.Dispose();
            Os.Dispose();
            Segment.Dispose();
        }
    }

    // A frame adapter over a seqpacket socket: like a TAP, a non-blocking descriptor with one frame per read.
    private sealed class SocketAdapter : FrameAdapter
    {
        private readonly Socket _socket;

        public SocketAdapter(Socket socket, MacAddress mac)
            : base("sock0", mac, 9018, supportsOffload: false)
        {
            _socket = socket;
            _socket.Blocking = false;
        }

        public override int PollDescriptor => (int)_socket.Handle;

        public override bool WaitReadable(int timeoutMilliseconds) => _socket.Poll(timeoutMilliseconds * 1000, SelectMode.SelectRead);

        protected override int ReadCore(Span<byte> frame, out FrameOffload offload, out bool garbledOffload)
        {
            offload = FrameOffload.None;
            garbledOffload = false;
            int n = _socket.Receive(frame, SocketFlags.None, out var error);
            return error == SocketError.Success ? n : 0;
        }

        protected override bool WriteCore(ReadOnlySpan<byte> frame, in FrameOffload offload) =>
            _socket.Send(frame, SocketFlags.None, out var error) == frame.Length && error == SocketError.Success;

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _socket.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
