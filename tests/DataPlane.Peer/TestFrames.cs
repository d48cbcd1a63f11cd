using System.Buffers.Binary;

namespace ActorNet.DataPlane.Peer;

/// <summary>
/// Self-checking test frames: [sequence u64][writer u32][filler derived from the sequence][FNV-1a 32 of all previous bytes].
/// Shared (as source) by the peer and the tests so both sides agree.
/// </summary>
public static class TestFrames
{
    public const int MinLength = 16;

    public static int LengthFor(ulong seq, int maxLength) => MinLength + (int)(seq * 2654435761UL % (ulong)(maxLength - MinLength + 1));

    public static void Fill(Span<byte> frame, ulong seq, uint writer)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(frame, seq);
        BinaryPrimitives.WriteUInt32LittleEndian(frame[8..], writer);
        ulong x = seq * 0x9E3779B97F4A7C15UL + 1;
        for (int i = 12; i < frame.Length - 4; i++)
        {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            frame[i] = (byte)x;
        }

        BinaryPrimitives.WriteUInt32LittleEndian(frame[^4..], Fnv(frame[..^4]));
    }

    public static bool Verify(ReadOnlySpan<byte> frame, out ulong seq, out uint writer)
    {
        seq = 0;
        writer = 0;
        if (frame.Length < MinLength)
        {
            return false;
        }

        seq = BinaryPrimitives.ReadUInt64LittleEndian(frame);
        writer = BinaryPrimitives.ReadUInt32LittleEndian(frame[8..]);
        return BinaryPrimitives.ReadUInt32LittleEndian(frame[^4..]) == Fnv(frame[..^4]);
    }

    private static uint Fnv(ReadOnlySpan<byte> data)
    {
        uint h = 2166136261;
        foreach (byte b in data)
        {
            h = (h ^ b) * 16777619;
        }

        return h;
    }
}
