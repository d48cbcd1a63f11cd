using System.Buffers.Binary;
using ActorNet.DataPlane.Forwarding;
using FsCheck;
using FsCheck.Fluent;

namespace ActorNet.DataPlane.Tests.Forwarding;

public sealed class IgmpSnoopingTests
{
    private const uint Group1 = 0xEF010101; // 239.1.1.1
    private const uint Group2 = 0xEF010102; // 239.1.1.2
    private const uint Group3 = 0xE8000001; // 232.0.0.1

    [Fact]
    public void Observe_V2ReportThenLeave_JoinsThenLeaves()
    {
        var table = new MulticastGroupTable();
        IgmpSnooper.Observe(Frame(V2(IgmpSnooper.V2Report, Group1)), table).ShouldBe(1);
        table.Contains(Group1).ShouldBeTrue();
        table.Accepts(Group1).ShouldBeTrue();
        table.Accepts(Group2).ShouldBeFalse();

        IgmpSnooper.Observe(Frame(V2(IgmpSnooper.V2Leave, Group1)), table).ShouldBe(1);
        table.Contains(Group1).ShouldBeFalse();
        table.Accepts(Group1).ShouldBeFalse();
    }

    [Fact]
    public void Observe_V1Report_Joins()
    {
        var table = new MulticastGroupTable();
        IgmpSnooper.Observe(Frame(V2(IgmpSnooper.V1Report, Group2)), table);
        table.Contains(Group2).ShouldBeTrue();
    }

    [Fact]
    public void Observe_V3Records_ExcludeJoinsIncludeWithoutSourcesLeavesSourcesJoin()
    {
        var table = new MulticastGroupTable();
        table.Join(Group3);
        var report = V3(
            (4, Group1, 0),  // CHANGE_TO_EXCLUDE {}: join
            (2, Group2, 1),  // MODE_IS_EXCLUDE {s}: member
            (3, Group3, 0)); // CHANGE_TO_INCLUDE {}: leave
        IgmpSnooper.Observe(Frame(report), table).ShouldBe(3);
        table.Groups().Order().ShouldBe(new[] { Group1, Group2 }.Order());

        IgmpSnooper.Observe(Frame(V3((1, Group3, 2), (6, Group1, 1), (1, Group2, 0))), table);
        table.Contains(Group3).ShouldBeTrue();  // MODE_IS_INCLUDE {s1, s2}: source-specific member
        table.Contains(Group1).ShouldBeTrue();  // BLOCK_OLD_SOURCES: no group-level change
        table.Contains(Group2).ShouldBeFalse(); // MODE_IS_INCLUDE {}: not a member
    }

    [Fact]
    public void Observe_TruncatedV3Record_AppliesOnlyCompleteRecords()
    {
        var table = new MulticastGroupTable();
        var report = V3((4, Group1, 0), (4, Group2, 3));
        var cut = report.AsSpan(0, report.Length - 4).ToArray(); // second record loses a source
        IgmpSnooper.Observe(Frame(cut), table).ShouldBe(1);
        table.Contains(Group1).ShouldBeTrue();
        table.Contains(Group2).ShouldBeFalse();
    }

    [Fact]
    public void Observe_NotIgmp_IsIgnored()
    {
        var table = new MulticastGroupTable();
        var frame = Frame(V2(IgmpSnooper.V2Report, Group1));
        frame[14 + 9] = 17; // UDP
        IgmpSnooper.Observe(frame, table).ShouldBe(0);
        var unicast = Frame(V2(IgmpSnooper.V2Report, Group1));
        unicast[0] = 0x02;
        IgmpSnooper.Observe(unicast, table).ShouldBe(0);
        table.Groups().ShouldBeEmpty();
    }

    [Fact]
    public void Observe_RandomOrMutatedBytes_NeverThrows()
    {
        var valid = Frame(V3((4, Group1, 2), (3, Group2, 0)));
        Prop.ForAll(ArbMap.Default.ArbFor<byte[]>(), ArbMap.Default.ArbFor<int>(), (noise, position) =>
        {
            var table = new MulticastGroupTable(4);
            IgmpSnooper.Observe(noise, table);
            var mutated = (byte[])valid.Clone();
            for (int i = 0; i < noise.Length; i++)
            {
                mutated[(int)((uint)(position + (i * 31)) % (uint)mutated.Length)] = noise[i];
            }

            IgmpSnooper.Observe(mutated, table);
            IgmpSnooper.Observe(mutated.AsSpan(0, (int)((uint)position % (uint)mutated.Length)), table);
            return table.Groups().Count <= table.Capacity;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Accepts_LinkLocalGroupsAlways()
    {
        var table = new MulticastGroupTable();
        table.Accepts(0xE0000001).ShouldBeTrue(); // 224.0.0.1 all hosts
        table.Accepts(0xE00000FB).ShouldBeTrue(); // 224.0.0.251 mDNS
        table.Accepts(0xE0000101).ShouldBeFalse(); // 224.0.1.1 is not link-local
    }

    [Fact]
    public void Join_FullTable_OverflowsAndAcceptsEverythingUntilALeave()
    {
        var table = new MulticastGroupTable(2);
        table.Join(Group1);
        table.Join(Group2);
        table.Join(Group1); // duplicate: no new slot
        table.Overflowed.ShouldBeFalse();
        table.Accepts(Group3).ShouldBeFalse();

        table.Join(Group3);
        table.Overflowed.ShouldBeTrue();
        table.Accepts(0xEF090909).ShouldBeTrue();

        table.Leave(Group1);
        table.Overflowed.ShouldBeFalse();
        table.Accepts(0xEF090909).ShouldBeFalse();
        table.Joins.ShouldBe(2);
        table.Leaves.ShouldBe(1);
    }

    [Fact]
    public void Join_NonMulticastOrZero_IsIgnored()
    {
        var table = new MulticastGroupTable();
        table.Join(0);
        table.Join(0x0A000001);
        table.Leave(0);
        table.Groups().ShouldBeEmpty();
    }

    // An IGMPv1/v2 message: type, max resp time, checksum, group.
    private static byte[] V2(byte type, uint group)
    {
        var m = new byte[8];
        m[0] = type;
        BinaryPrimitives.WriteUInt32BigEndian(m.AsSpan(4), group);
        return m;
    }

    private static byte[] V3(params (byte Type, uint Group, int Sources)[] records)
    {
        var m = new List<byte> { IgmpSnooper.V3Report, 0, 0, 0, 0, 0, 0, (byte)records.Length };
        foreach (var (type, group, sources) in records)
        {
            var r = new byte[8 + (4 * sources)];
            r[0] = type;
            BinaryPrimitives.WriteUInt16BigEndian(r.AsSpan(2), (ushort)sources);
            BinaryPrimitives.WriteUInt32BigEndian(r.AsSpan(4), group);
            for (int s = 0; s < sources; s++)
            {
                BinaryPrimitives.WriteUInt32BigEndian(r.AsSpan(8 + (4 * s)), 0x0A000001u + (uint)s);
            }

            m.AddRange(r);
        }

        return m.ToArray();
    }

    // Ethernet (to 01:00:5e:00:00:16) + IPv4 (proto 2, with the 4-byte router-alert option as Linux sends) + IGMP.
    private static byte[] Frame(byte[] igmp)
    {
        const int ihl = 24;
        var f = new byte[14 + ihl + igmp.Length];
        f[0] = 0x01;
        f[1] = 0x00;
        f[2] = 0x5e;
        f[5] = 0x16;
        f[6] = 0x02;
        f[12] = 0x08;
        var ip = f.AsSpan(14);
        ip[0] = 0x46;
        BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)(ihl + igmp.Length));
        ip[8] = 1;
        ip[9] = 2;
        BinaryPrimitives.WriteUInt32BigEndian(ip[12..], 0x0AC80001);
        BinaryPrimitives.WriteUInt32BigEndian(ip[16..], 0xE0000016);
        ip[20] = 0x94;
        ip[21] = 0x04;
        igmp.CopyTo(ip[ihl..]);
        return f;
    }
}
