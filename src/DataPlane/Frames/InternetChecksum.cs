using System.Buffers.Binary;

namespace ActorNet.DataPlane.Frames;

/// <summary>The RFC 1071 ones'-complement Internet checksum. Pure, allocation-free, any thread.</summary>
public static class InternetChecksum
{
    /// <summary>Adds <paramref name="data"/> to a running 32-bit sum (odd trailing byte padded with zero).</summary>
    public static uint Add(uint sum, ReadOnlySpan<byte> data)
    {
        ulong acc = sum;
        int i = 0;
        for (; i + 4 <= data.Length; i += 4)
        {
            acc += BinaryPrimitives.ReadUInt32BigEndian(data.Slice(i));
        }

        for (; i + 2 <= data.Length; i += 2)
        {
            acc += BinaryPrimitives.ReadUInt16BigEndian(data.Slice(i));
        }

        if (i < data.Length)
        {
            acc += (uint)data[i] << 8;
        }

        while ((acc >> 32) != 0)
        {
            acc = (acc & 0xffff_ffff) + (acc >> 32);
        }

        return (uint)acc;
    }

    /// <summary>Folds a running sum to 16 bits and complements it: the value to store in a checksum field.</summary>
    public static ushort Finish(uint sum)
    {
        while ((sum >> 16) != 0)
        {
            sum = (sum & 0xffff) + (sum >> 16);
        }

        return (ushort)~sum;
    }

    /// <summary>The checksum of <paramref name="data"/> alone.</summary>
    public static ushort Compute(ReadOnlySpan<byte> data) => Finish(Add(0, data));
}
