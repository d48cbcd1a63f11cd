using ActorNet.DataPlane.Forwarding;
using ActorNet.DataPlane.Frames;
using FsCheck;
using FsCheck.Fluent;

namespace ActorNet.DataPlane.Tests.Forwarding;

public sealed class FrameForwarderTests
{
    private const int BroadcastRing = 100;
    private const int McastRing = 200;
    private static readonly MacAddress Me = MacAddress.ForNode(NetworkKind.Local, 1);
    private static readonly MacAddress Group = MacAddress.Parse("01:00:5e:01:02:03");
    private static readonly MacAddress OtherGroup = MacAddress.Parse("01:00:5e:09:09:09");
    private static readonly MacAddress Outside = MacAddress.Parse("52:54:00:12:34:56");

    private static ForwardingSnapshot Snapshot(bool node3Up = false, bool groupUp = true, int broadcast = BroadcastRing) =>
        new ForwardingSnapshotBuilder(NetworkKind.Local, 1)
            .WithVersion(5)
            .WithBroadcastRing(broadcast)
            .WithNode(2, ring: 10)
            .WithNode(3, ring: 11, up: node3Up)
            .WithGroup(Group, McastRing, groupUp, [1, 2])
            .Build();

    private static FrameForwarder Forwarder(ForwardingSnapshot? snapshot = null) => new(snapshot ?? Snapshot(), new LearningTable(64, 1000));

    private static byte[] Frame(MacAddress dst, MacAddress? src = null, bool control = false)
    {
        var frame = new byte[60];
        ShmMacHeader.Write(frame, dst, src ?? Me, EtherTypes.Ipv4, control);
        return frame;
    }

    [Fact]
    public void Decide_Broadcast_GoesToBroadcastRing()
    {
        var f = Forwarder();
        f.Decide(Frame(MacAddress.Broadcast), 0).ShouldBe(new ForwardingDecision(ForwardingAction.Broadcast, BroadcastRing, 0, DropReason.None));
        f.Counters.Broadcast.ShouldBe(1);
    }

    [Fact]
    public void Decide_NodeMacWithRingUp_GoesToThatNodesRing()
    {
        var f = Forwarder();
        f.Decide(Frame(MacAddress.ForNode(NetworkKind.Local, 2)), 0).ShouldBe(new ForwardingDecision(ForwardingAction.Unicast, 10, 2, DropReason.None));
        f.Counters.Unicast.ShouldBe(1);
    }

    [Fact]
    public void Decide_NodeMacWithRingDown_IsCountedDrop()
    {
        var f = Forwarder();
        f.Decide(Frame(MacAddress.ForNode(NetworkKind.Local, 3)), 0).ShouldBe(ForwardingDecision.Dropped(DropReason.RingDown));
        f.Counters.DroppedRingDown.ShouldBe(1);
    }

    [Fact]
    public void Decide_NodeMacWithoutRing_FloodsOnBroadcast()
    {
        var f = Forwarder();
        f.Decide(Frame(MacAddress.ForNode(NetworkKind.Local, 40)), 0).Action.ShouldBe(ForwardingAction.Broadcast);
        f.Counters.UnknownUnicastFlooded.ShouldBe(1);
    }

    [Fact]
    public void Decide_OwnMac_IsDroppedAsSelf()
    {
        var f = Forwarder();
        f.Decide(Frame(Me), 0).Reason.ShouldBe(DropReason.ToSelf);
        f.Counters.DroppedToSelf.ShouldBe(1);
    }

    [Fact]
    public void Decide_GlobalNetworkNodeMacOnLocalNetwork_IsTreatedAsUnknownUnicast()
    {
        var f = Forwarder();
        f.Decide(Frame(MacAddress.ForNode(NetworkKind.Global, 2)), 0).Action.ShouldBe(ForwardingAction.Broadcast);
        f.Counters.UnknownUnicastFlooded.ShouldBe(1);
    }

    [Fact]
    public void Decide_ConfiguredGroupWithRingUp_GoesToMulticastRing()
    {
        var f = Forwarder();
        f.Decide(Frame(Group), 0).ShouldBe(new ForwardingDecision(ForwardingAction.Multicast, McastRing, 0, DropReason.None));
        f.Counters.MulticastRing.ShouldBe(1);
    }

    [Fact]
    public void Decide_UnconfiguredGroupOrGroupRingDown_FloodsOnBroadcast()
    {
        var f = Forwarder(Snapshot(groupUp: false));
        f.Decide(Frame(Group), 0).Action.ShouldBe(ForwardingAction.Broadcast);
        f.Decide(Frame(OtherGroup), 0).Action.ShouldBe(ForwardingAction.Broadcast);
        f.Counters.MulticastFlooded.ShouldBe(2);
    }

    [Fact]
    public void Decide_UnknownOutsideMac_FloodsThenAfterLearningGoesUnicast()
    {
        var f = Forwarder();
        f.Decide(Frame(Outside), 0).Action.ShouldBe(ForwardingAction.Broadcast);

        // Node 2 answers from behind itself: its frame (source = Outside) arrives on a ring from node 2.
        f.Learn(Frame(Me, Outside), fromNode: 2, now: 10);

        f.Decide(Frame(Outside), 20).ShouldBe(new ForwardingDecision(ForwardingAction.Unicast, 10, 2, DropReason.None));
        f.Counters.UnknownUnicastFlooded.ShouldBe(1);
        f.Counters.UnicastLearnt.ShouldBe(1);
        f.Counters.Learnt.ShouldBe(1);
        f.Decide(Frame(Outside), 2000).Action.ShouldBe(ForwardingAction.Broadcast); // aged out
    }

    [Fact]
    public void Learn_NodeMacsAndOwnFrames_AreNotStored()
    {
        var f = Forwarder();
        f.Learn(Frame(Me, MacAddress.ForNode(NetworkKind.Local, 2)), 2, 0);
        f.Learn(Frame(Me, Outside), 1, 0);
        f.Learn(new byte[5], 2, 0);
        f.Counters.Learnt.ShouldBe(0);
    }

    [Fact]
    public void Decide_RuntOrControlBitFromAdapter_IsDropped()
    {
        var f = Forwarder();
        f.Decide(new byte[13], 0).Reason.ShouldBe(DropReason.Runt);
        f.Decide(Frame(MacAddress.Broadcast, control: true), 0).Reason.ShouldBe(DropReason.BadSource);
        (f.Counters.DroppedRunt, f.Counters.DroppedBadSource).ShouldBe((1L, 1L));
    }

    [Fact]
    public void Decide_NoBroadcastRing_DropsWhatWouldBeFlooded()
    {
        var f = Forwarder(Snapshot(broadcast: -1));
        f.Decide(Frame(MacAddress.Broadcast), 0).Reason.ShouldBe(DropReason.NoBroadcastRing);
        f.Counters.DroppedNoBroadcastRing.ShouldBe(1);
        Forwarder(ForwardingSnapshot.Empty(NetworkKind.Local, 1)).Decide(Frame(MacAddress.ForNode(NetworkKind.Local, 2)), 0).Reason.ShouldBe(DropReason.NoBroadcastRing);
    }

    [Fact]
    public void Publish_NewSnapshot_TakesEffectForNextDecision()
    {
        var f = Forwarder();
        var node3 = Frame(MacAddress.ForNode(NetworkKind.Local, 3));
        f.Decide(node3, 0).Action.ShouldBe(ForwardingAction.Drop);

        var old = f.Publish(Snapshot(node3Up: true));

        old.Version.ShouldBe(5);
        f.Decide(node3, 0).ShouldBe(new ForwardingDecision(ForwardingAction.Unicast, 11, 3, DropReason.None));
    }

    [Fact]
    public void Snapshot_GroupMembership_IsQueryable()
    {
        var s = Snapshot();
        s.IsMember(Group, 2).ShouldBeTrue();
        s.IsMember(Group, 3).ShouldBeFalse();
        s.AcceptsGroup(Group).ShouldBeTrue();
        s.AcceptsGroup(OtherGroup).ShouldBeTrue();
        var notMember = new ForwardingSnapshotBuilder(NetworkKind.Local, 3).WithGroup(Group, McastRing, true, [1, 2]).Build();
        notMember.AcceptsGroup(Group).ShouldBeFalse();
        notMember.GroupCount.ShouldBe(1);
    }

    [Fact]
    public void Builder_InvalidInput_ThrowsNamingTheProblem()
    {
        var b = new ForwardingSnapshotBuilder(NetworkKind.Local, 1);
        Should.Throw<ArgumentOutOfRangeException>(() => b.WithNode(0, 1));
        Should.Throw<ArgumentOutOfRangeException>(() => b.WithNode(2, -1));
        Should.Throw<ArgumentException>(() => b.WithGroup(Outside, 1, true, [])).Message.ShouldContain("not a multicast");
        Should.Throw<ArgumentException>(() => b.WithGroup(MacAddress.Broadcast, 1, true, []));
    }

    [Fact]
    public void Decide_SteadyState_DoesNotAllocate()
    {
        var f = Forwarder();
        f.Learn(Frame(Me, Outside), 2, 0);
        var frames = new[] { Frame(MacAddress.Broadcast), Frame(Group), Frame(Outside), Frame(MacAddress.ForNode(NetworkKind.Local, 2)), Frame(MacAddress.Parse("52:54:00:00:00:99")) };
        foreach (var fr in frames)
        {
            f.Decide(fr, 1);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++)
        {
            f.Decide(frames[i % frames.Length], 1);
            f.Learn(frames[0], 2, 1);
        }

        (GC.GetAllocatedBytesForCurrentThread() - before).ShouldBe(0);
    }

    [Fact]
    public void Decide_ArbitraryFramesAndSnapshots_NeverThrowsAndOnlyNamesConfiguredRings()
    {
        var gen = from bytes in ArbMap.Default.GeneratorFor<byte[]>()
                  from nodes in Gen.ArrayOf(Gen.Zip(Gen.Choose(1, 8), Gen.Elements(true, false)))
                  from broadcast in Gen.Choose(-1, 3)
                  select (bytes, nodes, broadcast);
        Prop.ForAll(gen.ToArbitrary(), c =>
        {
            var b = new ForwardingSnapshotBuilder(NetworkKind.Local, 1).WithBroadcastRing(c.broadcast).WithGroup(Group, McastRing, true, [2]);
            var allowed = new HashSet<int> { c.broadcast, McastRing };
            foreach (var (id, up) in c.nodes)
            {
                b.WithNode((ushort)id, 1000 + id, up);
                allowed.Add(1000 + id);
            }

            var f = new FrameForwarder(b.Build(), new LearningTable(16, 10));
            var frame = c.bytes ?? [];
            if (frame.Length >= 12)
            {
                f.Learn(frame, 3, 0);
            }

            var d = f.Decide(frame, 1);
            return d.Action == ForwardingAction.Drop ? d.Ring == -1 && d.Reason != DropReason.None : allowed.Contains(d.Ring) && d.Ring >= 0;
        }).QuickCheckThrowOnFailure();
    }
}
