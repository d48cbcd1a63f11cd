using System.Buffers.Binary;

namespace ActorNet.DataPlane.Forwarding;

/// <summary>
/// The IPv4 multicast groups this node's own kernel joined on its adapter, learnt by snooping the IGMP membership
/// reports and leaves it sends (<see cref="IgmpSnooper"/>). Fixed capacity, allocation-free and lock-free: written by
/// the transmit poller only (one writer), read by the receive poller (any number of readers) to decide whether a
/// multicast frame read from a peer's broadcast/multicast ring is handed to the adapter.
/// </summary>
/// <remarks>
/// When a join finds the table full the table <see cref="Overflowed"/> and from then on accepts every group (the
/// kernel's own filter decides, as without snooping) until a leave frees a slot: a bounded table never drops traffic
/// for a group the kernel joined.
/// </remarks>
public sealed class MulticastGroupTable
{
    /// <summary>Default number of groups tracked.</summary>
    public const int DefaultCapacity = 64;

    private readonly uint[] _groups; // IPv4 group address, host order; 0 = free slot
    private int _overflow;
    private long _joins;
    private long _leaves;

    /// <summary>Creates a table for up to <paramref name="capacity"/> groups (1..4096).</summary>
    public MulticastGroupTable(int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(capacity, 4096);
        _groups = new uint[capacity];
    }

    /// <summary>Most groups tracked at once.</summary>
    public int Capacity => _groups.Length;

    /// <summary>True while a join could not be recorded for lack of space (every group is then accepted).</summary>
    public bool Overflowed => Volatile.Read(ref _overflow) != 0;

    /// <summary>Joins recorded (new groups only).</summary>
    public long Joins => Volatile.Read(ref _joins);

    /// <summary>Leaves recorded (groups that were present).</summary>
    public long Leaves => Volatile.Read(ref _leaves);

    /// <summary>Groups currently joined, in slot order (a snapshot for diagnostics; allocates). Any thread.</summary>
    public IReadOnlyList<uint> Groups()
    {
        var list = new List<uint>();
        for (int i = 0; i < _groups.Length; i++)
        {
            uint g = Volatile.Read(ref _groups[i]);
            if (g != 0)
            {
                list.Add(g);
            }
        }

        return list;
    }

    /// <summary>Records that the kernel joined <paramref name="group"/> (IPv4, host order). Single writer (the transmit poller).</summary>
    public void Join(uint group)
    {
        if (!IsMulticast(group) || Contains(group))
        {
            return;
        }

        for (int i = 0; i < _groups.Length; i++)
        {
            if (_groups[i] == 0)
            {
                Volatile.Write(ref _groups[i], group);
                _joins++;
                return;
            }
        }

        Volatile.Write(ref _overflow, 1);
    }

    /// <summary>Records that the kernel left <paramref name="group"/>. Single writer (the transmit poller).</summary>
    public void Leave(uint group)
    {
        for (int i = 0; i < _groups.Length; i++)
        {
            if (_groups[i] == group && group != 0)
            {
                Volatile.Write(ref _groups[i], 0u);
                _leaves++;
                Volatile.Write(ref _overflow, 0);
                return;
            }
        }
    }

    /// <summary>Whether <paramref name="group"/> (host order) is joined. Any thread; no allocation.</summary>
    public bool Contains(uint group)
    {
        for (int i = 0; i < _groups.Length; i++)
        {
            if (Volatile.Read(ref _groups[i]) == group)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether a frame for IPv4 multicast <paramref name="group"/> should reach this node's adapter: link-local groups
    /// (224.0.0.0/24, which includes all-hosts 224.0.0.1) always, others when joined or while the table overflowed.
    /// </summary>
    public bool Accepts(uint group) => (group & 0xFFFFFF00u) == 0xE0000000u || Contains(group) || Volatile.Read(ref _overflow) != 0;

    /// <summary>Whether <paramref name="address"/> (host order) is an IPv4 multicast address (224.0.0.0/4).</summary>
    public static bool IsMulticast(uint address) => (address & 0xF0000000u) == 0xE0000000u;
}

/// <summary>
/// Parses the IGMP membership reports and leaves (IGMPv1/v2 reports, v2 leave, v3 reports with their group records)
/// in frames this node's kernel sends out of its adapter, and applies them to a <see cref="MulticastGroupTable"/>.
/// Called by the transmit poller for every frame; allocation-free; every length is bound-checked and malformed input
/// is ignored (never an exception).
/// </summary>
public static class IgmpSnooper
{
    /// <summary>IGMPv1 membership report.</summary>
    public const byte V1Report = 0x12;
    /// <summary>IGMPv2 membership report.</summary>
    public const byte V2Report = 0x16;
    /// <summary>IGMPv2 leave group.</summary>
    public const byte V2Leave = 0x17;
    /// <summary>IGMPv3 membership report.</summary>
    public const byte V3Report = 0x22;

    private const int EthernetHeader = 14;

    /// <summary>
    /// Looks at an Ethernet frame; when it carries an IGMP report or leave, applies it to <paramref name="table"/>.
    /// Returns the number of group changes found (joins plus leaves, before de-duplication by the table); 0 for any
    /// other or malformed frame.
    /// </summary>
    public static int Observe(ReadOnlySpan<byte> frame, MulticastGroupTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        if (frame.Length < EthernetHeader + 20 || (frame[0] & 1) == 0 || frame[12] != 0x08 || frame[13] != 0x00)
        {
            return 0;
        }

        var ip = frame[EthernetHeader..];
        int ihl = (ip[0] & 0x0F) * 4;
        if ((ip[0] >> 4) != 4 || ihl < 20 || ip[9] != 2 || ip.Length < ihl)
        {
            return 0;
        }

        int total = BinaryPrimitives.ReadUInt16BigEndian(ip[2..]);
        if (total < ihl || total > ip.Length || (BinaryPrimitives.ReadUInt16BigEndian(ip[6..]) & 0x3FFF) != 0)
        {
            return 0; // truncated, or a fragment
        }

        return ObserveIgmp(ip[ihl..total], table);
    }

    /// <summary>Applies one IGMP message (starting at its type byte) to <paramref name="table"/>; see <see cref="Observe"/>.</summary>
    public static int ObserveIgmp(ReadOnlySpan<byte> igmp, MulticastGroupTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        if (igmp.Length < 8)
        {
            return 0;
        }

        switch (igmp[0])
        {
            case V1Report:
            case V2Report:
                table.Join(BinaryPrimitives.ReadUInt32BigEndian(igmp[4..]));
                return 1;
            case V2Leave:
                table.Leave(BinaryPrimitives.ReadUInt32BigEndian(igmp[4..]));
                return 1;
            case V3Report:
                return ObserveV3(igmp, table);
            default:
                return 0;
        }
    }

    // RFC 3376 4.2: type, reserved, checksum, reserved(2), number of group records(2), then records of
    // type(1) aux-len(1, in 32-bit words) sources(2) group(4) sources(4 each) aux(4 * aux-len).
    private static int ObserveV3(ReadOnlySpan<byte> igmp, MulticastGroupTable table)
    {
        int records = BinaryPrimitives.ReadUInt16BigEndian(igmp[6..]);
        int offset = 8;
        int changes = 0;
        for (int r = 0; r < records; r++)
        {
            if (igmp.Length - offset < 8)
            {
                break; // truncated record: apply what was complete
            }

            byte type = igmp[offset];
            int aux = igmp[offset + 1] * 4;
            int sources = BinaryPrimitives.ReadUInt16BigEndian(igmp[(offset + 2)..]);
            uint group = BinaryPrimitives.ReadUInt32BigEndian(igmp[(offset + 4)..]);
            long next = offset + 8L + (sources * 4L) + aux;
            if (next > igmp.Length)
            {
                break;
            }

            switch (type)
            {
                case 2: // MODE_IS_EXCLUDE: member (all sources but the listed)
                case 4: // CHANGE_TO_EXCLUDE_MODE: join
                    table.Join(group);
                    changes++;
                    break;
                case 1: // MODE_IS_INCLUDE
                case 3: // CHANGE_TO_INCLUDE_MODE: with no sources = leave; with sources = source-specific member
                case 5: // ALLOW_NEW_SOURCES
                    if (sources == 0)
                    {
                        if (type != 5)
                        {
                            table.Leave(group);
                            changes++;
                        }
                    }
                    else
                    {
                        table.Join(group);
                        changes++;
                    }

                    break;
                default: // 6 BLOCK_OLD_SOURCES and unknown types: no change of membership at group level
                    break;
            }

            offset = (int)next;
        }

        return changes;
    }
}
