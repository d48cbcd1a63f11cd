using ActorNet.DataPlane.Forwarding;
using ActorNet.DataPlane.Frames;
using FsCheck;
using FsCheck.Fluent;

namespace ActorNet.DataPlane.Tests.Forwarding;

public sealed class LearningTableTests
{
    private static readonly MacAddress Outside = MacAddress.Parse("52:54:00:aa:bb:01");

    [Fact]
    public void TryLookup_AfterLearn_ReturnsNodeUntilAged()
    {
        var table = new LearningTable(64, maxAge: 100);
        table.Learn(Outside, 7, now: 1000).ShouldBeTrue();

        table.TryLookup(Outside, 1100, out ushort node).ShouldBeTrue();
        node.ShouldBe((ushort)7);
        table.TryLookup(Outside, 1101, out _).ShouldBeFalse();
    }

    [Fact]
    public void Learn_SameMacAgain_MovesItAndRefreshesAge()
    {
        var table = new LearningTable(64, maxAge: 100);
        table.Learn(Outside, 7, 0);
        table.Learn(Outside, 9, 90);

        table.TryLookup(Outside, 180, out ushort node).ShouldBeTrue();
        node.ShouldBe((ushort)9);
        table.Count.ShouldBe(1);
    }

    [Fact]
    public void Learn_GroupZeroOrNodeZero_IsIgnored()
    {
        var table = new LearningTable(64, 100);
        table.Learn(MacAddress.Broadcast, 1, 0).ShouldBeFalse();
        table.Learn(MacAddress.Parse("01:00:5e:00:00:01"), 1, 0).ShouldBeFalse();
        table.Learn(MacAddress.Zero, 1, 0).ShouldBeFalse();
        table.Learn(Outside, 0, 0).ShouldBeFalse();
        table.Count.ShouldBe(0);
    }

    [Fact]
    public void Learn_MoreMacsThanCapacity_StaysBoundedAndKeepsRecentOnes()
    {
        var table = new LearningTable(64, maxAge: long.MaxValue / 2);
        for (int i = 0; i < 10_000; i++)
        {
            table.Learn(new MacAddress(0x525400000000UL + (ulong)i), (ushort)(1 + (i % 100)), i);
        }

        table.Count.ShouldBeLessThanOrEqualTo(table.Capacity);
        table.Evictions.ShouldBeGreaterThan(0);
        table.TryLookup(new MacAddress(0x525400000000UL + 9_999), 10_000, out ushort node).ShouldBeTrue();
        node.ShouldBe((ushort)(1 + (9_999 % 100)));
    }

    [Fact]
    public void Learn_AgedEntries_AreReusedBeforeEvictingLiveOnes()
    {
        var table = new LearningTable(16, maxAge: 10);
        for (int i = 0; i < 16; i++)
        {
            table.Learn(new MacAddress(0x525400000000UL + (ulong)i), 1, now: 0);
        }

        for (int i = 16; i < 32; i++)
        {
            table.Learn(new MacAddress(0x525400000000UL + (ulong)i), 2, now: 100);
        }

        table.Evictions.ShouldBe(0);
        for (int i = 16; i < 32; i++)
        {
            table.TryLookup(new MacAddress(0x525400000000UL + (ulong)i), 100, out ushort node).ShouldBeTrue();
            node.ShouldBe((ushort)2);
        }
    }

    [Fact]
    public void LearnAndLookup_AgainstDictionaryModel_AgreeWhileUnderCapacity()
    {
        var ops = Gen.ArrayOf(Gen.Zip(Gen.Choose(0, 40), Gen.Choose(1, 65534)));
        Prop.ForAll(ops.ToArbitrary(), list =>
        {
            var table = new LearningTable(1024, maxAge: long.MaxValue / 2);
            var model = new Dictionary<ulong, ushort>();
            long now = 0;
            foreach (var (mac, node) in list)
            {
                var m = new MacAddress(0x0a0000000000UL + (ulong)mac * 0x10001UL);
                table.Learn(m, (ushort)node, ++now);
                model[m.Value] = (ushort)node;
            }

            foreach (var (mac, node) in model)
            {
                if (!table.TryLookup(new MacAddress(mac), now, out ushort got) || got != node)
                {
                    return false;
                }
            }

            return !table.TryLookup(Outside, now, out _);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void TryLookup_ConcurrentWithLearner_NeverSeesAMacPairedWithAnotherMacsNode()
    {
        // Each MAC is only ever learnt behind node (mac % 1000) + 1, so any other answer would be a torn entry.
        var table = new LearningTable(64, maxAge: long.MaxValue / 2);
        long learns = 0;
        bool stop = false;
        var writer = new Thread(() =>
        {
            ulong i = 0;
            while (!Volatile.Read(ref stop))
            {
                ulong mac = 0x525400000000UL + (i++ % 5000);
                table.Learn(new MacAddress(mac), (ushort)((mac % 1000) + 1), (long)i);
                Volatile.Write(ref learns, (long)i);
            }
        });
        writer.Start();
        long hits = 0;
        int bad = 0;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        for (int round = 0; (round < 200 || Volatile.Read(ref learns) < 200_000) && DateTime.UtcNow < deadline; round++)
        {
            for (ulong j = 0; j < 5000; j++)
            {
                ulong mac = 0x525400000000UL + j;
                if (table.TryLookup(new MacAddress(mac), 0, out ushort node))
                {
                    hits++;
                    if (node != (ushort)((mac % 1000) + 1))
                    {
                        bad++;
                    }
                }
            }
        }

        Volatile.Write(ref stop, true);
        writer.Join();
        bad.ShouldBe(0);
        hits.ShouldBeGreaterThan(0);
        Volatile.Read(ref learns).ShouldBeGreaterThan(0);
    }

    [Theory]
    [InlineData(8, 10)]
    [InlineData(64, 0)]
    public void Constructor_InvalidArguments_Throw(int capacity, long maxAge)
    {
        Should.Throw<ArgumentOutOfRangeException>(() => new LearningTable(capacity, maxAge));
    }
}
