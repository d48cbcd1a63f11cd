using System.Numerics;

namespace ActorNet.DataPlane.Benchmarks;

/// <summary>
/// Log-linear latency histogram (HdrHistogram's idea, our code): values are grouped by power of two and split
/// into 64 linear sub-buckets, so any recorded value is reported within 1/64 (1.6 %) of its true value.
/// Fixed memory, no allocation per record. Single-threaded.
/// </summary>
public sealed class LatencyHistogram
{
    private const int Linear = 64;  // values 0..63 are exact
    private const int Half = 32;    // then 32 sub-buckets per power of two
    private readonly long[] _counts = new long[Linear + (58 * Half)];
    private long _total;

    /// <summary>Values recorded.</summary>
    public long Count => _total;

    /// <summary>Records one value (nanoseconds; negative values count as 0).</summary>
    public void Record(long value)
    {
        _counts[Index(Math.Max(0, value))]++;
        _total++;
    }

    /// <summary>Forgets every value.</summary>
    public void Clear()
    {
        Array.Clear(_counts);
        _total = 0;
    }

    /// <summary>The value at percentile <paramref name="p"/> (0..100), as the upper bound of its bucket (within 1/32).</summary>
    public long Percentile(double p)
    {
        if (_total == 0)
        {
            return 0;
        }

        long rank = Math.Max(1, (long)Math.Ceiling(p / 100.0 * _total));
        long seen = 0;
        for (int i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= rank)
            {
                return UpperBound(i);
            }
        }

        return UpperBound(_counts.Length - 1);
    }

    internal static int Index(long v)
    {
        if (v < Linear)
        {
            return (int)v;
        }

        int msb = 63 - BitOperations.LeadingZeroCount((ulong)v);
        int shift = msb - 5;                 // v >> shift is in [32, 64)
        int sub = (int)(v >> shift);
        return Linear + ((shift - 1) * Half) + (sub - Half);
    }

    internal static long UpperBound(int index)
    {
        if (index < Linear)
        {
            return index;
        }

        int k = index - Linear;
        int shift = (k / Half) + 1;
        long sub = (k % Half) + Half;
        return ((sub + 1) << shift) - 1;
    }
}
