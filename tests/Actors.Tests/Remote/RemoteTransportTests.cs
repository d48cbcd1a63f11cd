using System.Net.Sockets;
using ActorNet.Actors.Cluster;
using ActorNet.Actors.Cluster.Control;
using ActorNet.Actors.Cluster.Membership;
using ActorNet.Actors.Remote;
using ActorNet.Actors.TestKit;

namespace ActorNet.Actors.Tests.Remote;

using Address = ActorNet.Actors.Cluster.Membership.Address;

public sealed class RemoteTransportTests : TestKit.TestKit
{
    private const string Secret = "remote-test-secret-0123456789";
    private readonly string _cluster = "rt-" + Guid.NewGuid().ToString("N")[..8];
    private readonly List<RemoteTransport> _transports = [];

    public RemoteTransportTests()
        : base(systemName: "remote-tests")
    {
    }

    private RemoteTransport StartTransport(string secret = Secret, int port = 0, int maxFrame = 256 * 1024, string? cluster = null)
    {
        var settings = new RemoteTransportSettings(cluster ?? _cluster, "127.0.0.1", port, maxFrame, TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(500), secret, RemoteTransportSettings.NewUid());
        var transport = new RemoteTransport(Sys, settings, ClusterNode.CreateSerializerRegistry(maxFrame), LoggerFactory);
        transport.Start();
        _transports.Add(transport);
        return transport;
    }

    private string TestActorPath => "/" + string.Join('/', TestActor.Path.Elements);

    private bool Logged(string contains) => Logs.Snapshot().Any(e => e.Message.Contains(contains, StringComparison.Ordinal));

    [Fact]
    public void Tell_ManyMessagesFromOneSender_ArriveInOrder()
    {
        var a = StartTransport();
        var b = StartTransport();
        var target = a.ActorFor(b.LocalAddress.Address, TestActorPath);
        const int count = 20_000;
        for (int i = 0; i < count; i++)
        {
            target.Tell(new ThroughputProbe(i), ActorRefs.NoSender);
        }

        for (int i = 0; i < count; i++)
        {
            ExpectMsg<ThroughputProbe>(timeout: Dilated(TimeSpan.FromSeconds(10))).Sequence.ShouldBe(i);
        }
    }

    [Fact]
    public void Tell_WithSender_ReplyGoesBackOverTheOtherConnection()
    {
        var a = StartTransport();
        var b = StartTransport();
        var echo = Sys.ActorOf(Props.Create(() => new EchoActor()), "echo");
        var target = a.ActorFor(b.LocalAddress.Address, "/user/echo");
        var senderProbe = CreateTestProbe("echo-sender");
        target.Tell(new ThroughputProbe(42), senderProbe.Ref);
        senderProbe.ExpectMsg<ThroughputProbe>(timeout: Dilated(TimeSpan.FromSeconds(5))).Sequence.ShouldBe(42);
        Sys.Stop(echo);
    }

    [Fact]
    public void Handshake_WrongSecret_IsRefusedAndLoggedAndDeliversNothing()
    {
        var b = StartTransport();
        var intruder = StartTransport(secret: "not-the-cluster-secret-at-all");
        intruder.ActorFor(b.LocalAddress.Address, TestActorPath).Tell(new ThroughputProbe(1), ActorRefs.NoSender);
        AwaitCondition(() => Logged("proof of the cluster secret is wrong"), Dilated(TimeSpan.FromSeconds(10)));
        ExpectNoMsg(TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public void Handshake_OtherClusterName_IsRefused()
    {
        var b = StartTransport();
        var other = StartTransport(cluster: _cluster + "-other");
        other.ActorFor(new Address(_cluster + "-other", "127.0.0.1", b.LocalAddress.Address.Port), TestActorPath).Tell(new ThroughputProbe(1), ActorRefs.NoSender);
        AwaitCondition(() => Logged("HandshakeRefused") || Logged("refused"), Dilated(TimeSpan.FromSeconds(10)));
        ExpectNoMsg(TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public void GarbledBytes_OnTheListeningPort_AreDroppedAndTheTransportKeepsWorking()
    {
        var a = StartTransport();
        var b = StartTransport();
        var random = new Random(7);
        for (int round = 0; round < 5; round++)
        {
            using var raw = new Socket(SocketType.Stream, ProtocolType.Tcp);
            raw.Connect("127.0.0.1", b.LocalAddress.Address.Port);
            var junk = new byte[4096];
            random.NextBytes(junk);
            if (round == 0)
            {
                junk[0] = 0x7f; // a huge length prefix
            }

            raw.Send(junk);
        }

        AwaitCondition(() => Logged("garbled") || Logged("out of range"), Dilated(TimeSpan.FromSeconds(10)));
        a.ActorFor(b.LocalAddress.Address, TestActorPath).Tell(new ThroughputProbe(5), ActorRefs.NoSender);
        ExpectMsg<ThroughputProbe>(timeout: Dilated(TimeSpan.FromSeconds(10))).Sequence.ShouldBe(5);
    }

    [Fact]
    public void Tell_OversizedMessage_IsDroppedAndLoggedThenSmallOnesStillFlow()
    {
        var a = StartTransport(maxFrame: 2048);
        var b = StartTransport(maxFrame: 2048);
        var target = a.ActorFor(b.LocalAddress.Address, TestActorPath);
        var rows = Enumerable.Range(0, 200).Select(i => new MemberRow("actornet://x@h:" + i, i, "Up", true, i, [])).ToArray();
        target.Tell(new ClusterStatus(1, "x", 1, "Up", null, true, rows), ActorRefs.NoSender);
        target.Tell(new ThroughputProbe(9), ActorRefs.NoSender);
        ExpectMsg<ThroughputProbe>(timeout: Dilated(TimeSpan.FromSeconds(10))).Sequence.ShouldBe(9);
        Logged("exceeds the maximum frame size").ShouldBeTrue();
    }

    [Fact]
    public async Task FlushAsync_WaitsUntilQueuedMessagesAreWritten()
    {
        var a = StartTransport();
        var b = StartTransport();
        (await a.FlushAsync(b.LocalAddress.Address, TimeSpan.Zero)).ShouldBeTrue("nothing was ever sent there");
        var target = a.ActorFor(b.LocalAddress.Address, TestActorPath);
        target.Tell(new ThroughputProbe(1), ActorRefs.NoSender);
        ExpectMsg<ThroughputProbe>(timeout: Dilated(TimeSpan.FromSeconds(5)));

        // While the transport is paused the write loop holds the message: a flush cannot complete.
        a.Pause(TimeSpan.FromSeconds(2));
        await Task.Delay(100);
        target.Tell(new ThroughputProbe(2), ActorRefs.NoSender);
        (await a.FlushAsync(b.LocalAddress.Address, TimeSpan.FromMilliseconds(300))).ShouldBeFalse();
        (await a.FlushAsync(b.LocalAddress.Address, Dilated(TimeSpan.FromSeconds(10)))).ShouldBeTrue();
        ExpectMsg<ThroughputProbe>(timeout: Dilated(TimeSpan.FromSeconds(5))).Sequence.ShouldBe(2);
    }

    [Fact]
    public void SetFault_Blackhole_DropsUntilPassThrough()
    {
        var a = StartTransport();
        var b = StartTransport();
        var target = a.ActorFor(b.LocalAddress.Address, TestActorPath);
        target.Tell(new ThroughputProbe(1), ActorRefs.NoSender);
        ExpectMsg<ThroughputProbe>(timeout: Dilated(TimeSpan.FromSeconds(5)));
        b.SetFault(a.LocalAddress.Address, PeerFault.Blackhole);
        target.Tell(new ThroughputProbe(2), ActorRefs.NoSender);
        ExpectNoMsg(TimeSpan.FromMilliseconds(500));
        b.SetFault(a.LocalAddress.Address, PeerFault.PassThrough);
        target.Tell(new ThroughputProbe(3), ActorRefs.NoSender);
        ExpectMsg<ThroughputProbe>(timeout: Dilated(TimeSpan.FromSeconds(5))).Sequence.ShouldBe(3);
    }

    [Fact]
    public async Task Handshake_PeerRestartedWithNewIncarnation_OldOneIsQuarantined()
    {
        var b = StartTransport();
        var first = StartTransport();
        int port = first.LocalAddress.Address.Port;
        first.ActorFor(b.LocalAddress.Address, TestActorPath).Tell(new ThroughputProbe(1), ActorRefs.NoSender);
        ExpectMsg<ThroughputProbe>(timeout: Dilated(TimeSpan.FromSeconds(5)));
        var changes = new List<(UniqueAddress Old, UniqueAddress New)>();
        b.IncarnationChanged += (o, n) => { lock (changes) { changes.Add((o, n)); } };
        await first.DisposeAsync();
        var second = StartTransport(port: port);
        second.ActorFor(b.LocalAddress.Address, TestActorPath).Tell(new ThroughputProbe(2), ActorRefs.NoSender);
        ExpectMsg<ThroughputProbe>(timeout: Dilated(TimeSpan.FromSeconds(5))).Sequence.ShouldBe(2);
        AwaitCondition(() => { lock (changes) { return changes.Count == 1; } }, Dilated(TimeSpan.FromSeconds(5)));
        b.IsQuarantined(first.LocalAddress).ShouldBeTrue();
        b.IsQuarantined(second.LocalAddress).ShouldBeFalse();
    }

    [Fact]
    public async Task Reply_ToPeerRestartedAtTheSameAddress_IsNotLostWithTheOldConnection()
    {
        // A restarted node's first message (e.g. InitJoin) makes this side drop its connection to the old incarnation;
        // the reply (InitJoinAck) must go out on a new connection, not into the dead one (it was lost, and the joiner
        // retried only after seed-node-timeout).
        var b = StartTransport();
        Sys.ActorOf(Props.Create(() => new EchoActor()), "echo-restart");
        var first = StartTransport();
        int port = first.LocalAddress.Address.Port;
        first.ActorFor(b.LocalAddress.Address, "/user/echo-restart").Tell(new ThroughputProbe(1), TestActor);
        ExpectMsg<ThroughputProbe>(timeout: Dilated(TimeSpan.FromSeconds(5))).Sequence.ShouldBe(1);
        await first.DisposeAsync();

        for (int i = 2; i <= 4; i++)
        {
            var next = StartTransport(port: port);
            next.ActorFor(b.LocalAddress.Address, "/user/echo-restart").Tell(new ThroughputProbe(i), TestActor);
            ExpectMsg<ThroughputProbe>(timeout: Dilated(TimeSpan.FromSeconds(5))).Sequence.ShouldBe(i);
            await next.DisposeAsync();
        }
    }

    protected override void Dispose(bool disposing)
    {
        foreach (var t in _transports)
        {
            t.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(5));
        }

        base.Dispose(disposing);
    }

    private sealed class EchoActor : ReceiveActor
    {
        public EchoActor() => ReceiveAny(m => Sender.Tell(m, Self));
    }
}
