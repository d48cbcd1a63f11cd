using System.Buffers.Binary;
using System.Diagnostics;
using ActorNet.DataPlane.Abi;
using ActorNet.DataPlane.Rings;

namespace ActorNet.DataPlane.Benchmarks;

/// <summary>Frame conventions shared by the benchmark parent and its peers: an 8-byte sequence number first; <see cref="Marker"/> ends a phase.</summary>
internal static class BenchFrames
{
    public const ulong Marker = ulong.MaxValue;

    public static void Stamp(Span<byte> frame, ulong seq) => BinaryPrimitives.WriteUInt64LittleEndian(frame, seq);

    public static ulong SequenceOf(ReadOnlySpan<byte> frame) => frame.Length >= 8 ? BinaryPrimitives.ReadUInt64LittleEndian(frame) : 0;

    public static long CpuTicks() => Process.GetCurrentProcess().TotalProcessorTime.Ticks;

    /// <summary>Slot payload for a frame size: frames smaller than the minimum MTU still use an MTU-sized slot.</summary>
    public static int SlotPayload(int frameBytes) => Math.Max(frameBytes, ShmLayout.MinMtu);

    /// <summary>Slot count giving about 8 MiB of ring, a power of two in 64..4096.</summary>
    public static int SlotCount(int payload)
    {
        int n = (8 << 20) / ShmLayout.SlotStride(payload);
        int p = 64;
        while (p * 2 <= n && p < 4096)
        {
            p *= 2;
        }

        return p;
    }
}

/// <summary>Copies each frame out (as an adapter would) and checks the sequence numbers of a stream.</summary>
internal struct CheckingSink : IFrameHandler
{
    public byte[] Buffer;
    public ulong Expected;
    public long Frames;
    public long Errors;
    public bool SawMarker;
    public int LastLength;

    public CheckingSink(int capacity) => Buffer = new byte[capacity];

    public void OnFrame(ReadOnlySpan<byte> frame, SlotFlags flags)
    {
        frame.CopyTo(Buffer);
        LastLength = frame.Length;
        ulong seq = BenchFrames.SequenceOf(frame);
        if (seq == BenchFrames.Marker)
        {
            SawMarker = true;
            return;
        }

        if (seq != Expected)
        {
            Errors++;
        }

        Expected = seq + 1;
        Frames++;
    }
}
