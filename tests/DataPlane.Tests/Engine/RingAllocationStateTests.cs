using ActorNet.DataPlane.Engine;
using ActorNet.DataPlane.Forwarding;
using ActorNet.DataPlane.Frames;
using ActorNet.DataPlane.RingAllocation;
using FsCheck;
using FsCheck.Fluent;

namespace ActorNet.DataPlane.Tests.Engine;

public class RingAllocationStateTests
{
    private static readonly RingAllocationState s_initial = RingAllocationState.Initial(1, [2, 3, 4]);

    [Fact]
    public void Plan_UpPeers_ConnectsEachOnceInIdOrder()
    {
        var plan = s_initial.Plan([new(3, 30, true), new(2, 20, true), new(1, 10, true)]);

        plan.Steps.ShouldBe([new RingStep(RingStepKind.Connect, 2, 20, ReleaseReason.Removed), new RingStep(RingStepKind.Connect, 3, 30, ReleaseReason.Removed)]);
        plan.Next.Connected.ShouldBe(new Dictionary<ushort, ulong> { [2] = 20, [3] = 30 });
        plan.Next.Plan([new(3, 30, true), new(2, 20, true)]).Steps.ShouldBeEmpty();
    }

    [Fact]
    public void Plan_PeerDownOrGone_ReleasesWithReason()
    {
        var state = s_initial.WithConnected(2, 20).WithConnected(3, 30);

        var plan = state.Plan([new(2, 20, false)]);

        plan.Steps.ShouldBe([new RingStep(RingStepKind.Release, 2, 20, ReleaseReason.Down), new RingStep(RingStepKind.Release, 3, 30, ReleaseReason.Removed)]);
        plan.Next.Connected.ShouldBeEmpty();
        plan.Next.Released.ShouldBe(new ushort[] { 2, 3 });
    }

    [Fact]
    public void Plan_PeerRestarted_ReleasesOldIncarnationThenConnectsNew()
    {
        var state = s_initial.WithConnected(2, 20);

        var plan = state.Plan([new(2, 21, true)]);

        plan.Steps.ShouldBe([new RingStep(RingStepKind.Release, 2, 20, ReleaseReason.Restarted), new RingStep(RingStepKind.Connect, 2, 21, ReleaseReason.Removed)]);
        plan.Next.Connected[2].ShouldBe(21UL);
        plan.Next.Released.ShouldNotContain((ushort)2);
    }

    [Fact]
    public void Plan_PeerWithoutRing_IsIgnoredAndReported()
    {
        var plan = s_initial.Plan([new(9, 90, true)]);

        plan.Steps.ShouldBeEmpty();
        plan.Ignored.ShouldBe(new ushort[] { 9 });
    }

    [Fact]
    public void ToSnapshot_ConnectedUpReleasedDownGroupsOnTheirRings()
    {
        var group = MacAddress.Parse("01:00:5e:01:01:01");
        var state = s_initial.WithConnected(2, 20).WithConnected(3, 30).WithReleased(3);

        var snapshot = state.ToSnapshot(NetworkKind.Local, [group]);

        snapshot.GetNodeRing(2, out int ring2).ShouldBe(RingState.Up);
        ring2.ShouldBe(2);
        snapshot.GetNodeRing(3, out _).ShouldBe(RingState.Down);
        snapshot.GetNodeRing(4, out _).ShouldBe(RingState.Absent);
        snapshot.BroadcastRing.ShouldBe(LocalNetworkEngine.BroadcastRingIndex);
        snapshot.GetGroupRing(group, out int g).ShouldBe(RingState.Up);
        g.ShouldBe(LocalNetworkEngine.MulticastRingBase);
        snapshot.Version.ShouldBe(state.Version);
    }

    [Fact]
    public void Plan_AnyViewSequence_ConnectedIsExactlyTheUpAllocatablePeersOfTheLastView()
    {
        var observation = Gen.Choose(1, 6).SelectMany(id => Gen.Choose(1, 3).SelectMany(inc => Gen.Elements(true, false).Select(up => new PeerObservation((ushort)id, (ulong)inc, up))));
        var views = Gen.ListOf(Gen.ListOf(observation).Select(l => l.ToArray())).Select(l => l.ToArray());
        Prop.ForAll(views.ToArbitrary(), sequence =>
        {
            var state = s_initial;
            foreach (var view in sequence)
            {
                var plan = state.Plan(view);
                // Apply step by step as the actor does: the result must equal the planned state.
                var applied = state;
                foreach (var step in plan.Steps)
                {
                    applied = step.Kind == RingStepKind.Connect ? applied.WithConnected(step.PeerNodeId, step.Incarnation) : applied.WithReleased(step.PeerNodeId);
                }

                applied.Connected.ShouldBe(plan.Next.Connected);
                var last = view.Where(o => o.NodeId != 1).GroupBy(o => o.NodeId).ToDictionary(g => g.Key, g => g.Last());
                var expected = last.Values.Where(o => o.IsUp && s_initial.Allocatable.Contains(o.NodeId)).OrderBy(o => o.NodeId).ToDictionary(o => o.NodeId, o => o.Incarnation);
                plan.Next.Connected.ShouldBe(expected);
                plan.Next.Plan(view).Steps.ShouldBeEmpty();
                state = plan.Next;
            }
        }).QuickCheckThrowOnFailure();
    }
}
