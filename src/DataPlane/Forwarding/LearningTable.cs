using System.Numerics;
using ActorNet.DataPlane.Frames;

namespace ActorNet.DataPlane.Forwarding;

/// <summary>
/// The learning table of <c>network-shared-memory-mbufs.txt</c>: "the destination address is used as input into a
/// hash function, which results in a table lookup returning the target node"; entries are learnt from the source
/// address of frames received from a node and aged by timestamp.
/// </summary>
/// <remarks>
/// Design: open addressing with linear probing over a power-of-two array, probes bounded by
/// <see cref="ProbeLimit"/>, so both operations are O(1) worst case and allocation-free. An entry is one 64-bit word
/// (48-bit MAC in the high bits, 16-bit node id in the low bits; 0 = empty) plus a timestamp word. Slots are never
/// emptied, only overwritten (an aged entry is a miss and is the first to be reused), so "stop at the first empty
/// slot" stays correct without tombstones. When the probe window is full of live entries the oldest is evicted
/// (counted), which bounds the table's size.
/// Threading: <see cref="Learn"/> has ONE writer (the thread that receives from the rings);
/// <see cref="TryLookup"/> may run concurrently on another thread (the transmit poller). The packed word is
/// published with a release write after its timestamp, so a reader sees a MAC and a node id from the same write;
/// a timestamp read in the middle of an overwrite only shifts aging by one learn, which is benign.
/// </remarks>
public sealed class LearningTable
{
    /// <summary>Maximum slots inspected per lookup or learn.</summary>
    public const int ProbeLimit = 16;

    private readonly ulong[] _entries;     // written by the learner only: (mac << 16) | node, 0 = empty
    private readonly long[] _learntAt;     // written by the learner only: timestamp of the last learn
    private readonly int _mask;
    private readonly long _maxAge;
    private long _evictions;               // written by the learner only
    private long _count;                   // written by the learner only

    /// <summary>Creates a table with room for <paramref name="capacity"/> entries (rounded up to a power of two).</summary>
    /// <param name="capacity">Maximum entries, 16..1,048,576.</param>
    /// <param name="maxAge">Age (in the caller's timestamp units) after which an entry is a miss; must be positive.</param>
    public LearningTable(int capacity, long maxAge)
    {
        if (capacity is < ProbeLimit or > 1 << 20)
        {
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity, $"Learning table capacity must be {ProbeLimit}..{1 << 20}.");
        }

        if (maxAge <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(maxAge), maxAge, "Learning table max age must be positive.");
        }

        int size = (int)BitOperations.RoundUpToPowerOf2((uint)capacity);
        _entries = new ulong[size];
        _learntAt = new long[size];
        _mask = size - 1;
        _maxAge = maxAge;
    }

    /// <summary>Number of slots.</summary>
    public int Capacity => _entries.Length;

    /// <summary>Slots ever filled (live or aged); grows to at most <see cref="Capacity"/>.</summary>
    public long Count => Volatile.Read(ref _count);

    /// <summary>Live entries evicted because their probe window was full.</summary>
    public long Evictions => Volatile.Read(ref _evictions);

    /// <summary>
    /// Records that <paramref name="mac"/> lives behind <paramref name="nodeId"/> at time <paramref name="now"/>.
    /// Group addresses, the zero address and node id 0 are ignored (returns false). Single writer only.
    /// </summary>
    public bool Learn(MacAddress mac, ushort nodeId, long now)
    {
        if (mac.IsGroup || mac.Value == 0 || nodeId == 0)
        {
            return false;
        }

        ulong packed = (mac.Value << 16) | nodeId;
        int start = Hash(mac.Value) & _mask;
        int reuse = -1;
        int oldest = start;
        for (int i = 0; i < ProbeLimit; i++)
        {
            int slot = (start + i) & _mask;
            ulong entry = _entries[slot];
            if (entry == 0)
            {
                if (reuse < 0)
                {
                    reuse = slot;
                    _count++;
                }

                break; // nothing of this key lies beyond an empty slot
            }

            if (entry >> 16 == mac.Value)
            {
                Publish(slot, packed, now);
                return true;
            }

            if (reuse < 0 && now - _learntAt[slot] > _maxAge)
            {
                reuse = slot;
            }

            if (_learntAt[slot] < _learntAt[oldest])
            {
                oldest = slot;
            }
        }

        if (reuse < 0)
        {
            reuse = oldest;
            _evictions++;
        }

        Publish(reuse, packed, now);
        return true;
    }

    /// <summary>
    /// The node <paramref name="mac"/> was last learnt behind, if learnt within the max age at
    /// <paramref name="now"/>. Allocation-free; safe concurrently with one <see cref="Learn"/> caller.
    /// </summary>
    public bool TryLookup(MacAddress mac, long now, out ushort nodeId)
    {
        int start = Hash(mac.Value) & _mask;
        for (int i = 0; i < ProbeLimit; i++)
        {
            int slot = (start + i) & _mask;
            ulong entry = Volatile.Read(ref _entries[slot]);
            if (entry == 0)
            {
                break;
            }

            if (entry >> 16 == mac.Value)
            {
                if (now - Volatile.Read(ref _learntAt[slot]) > _maxAge)
                {
                    break;
                }

                nodeId = (ushort)entry;
                return true;
            }
        }

        nodeId = 0;
        return false;
    }

    private void Publish(int slot, ulong packed, long now)
    {
        Volatile.Write(ref _learntAt[slot], now);
        Volatile.Write(ref _entries[slot], packed);
    }

    private static int Hash(ulong mac)
    {
        // Fibonacci hashing: multiply by 2^64/phi and keep the high bits, so MACs differing only in their last
        // octets (node MACs, vendor-sequential MACs) spread over the table.
        return (int)((mac * 0x9E3779B97F4A7C15UL) >> 40);
    }
}
