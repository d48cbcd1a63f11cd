using System.Buffers.Binary;
using ActorNet.DataPlane.Adapters;
using FsCheck;
using FsCheck.Fluent;

namespace ActorNet.DataPlane.Tests.Adapters;

public sealed class FrameOffloadTests
{
    [Fact]
    public void WriteToAndTryRead_ValidOffload_RoundTripsInVirtioLayout()
    {
        var offload = new FrameOffload(FrameOffload.FlagNeedsChecksum, (byte)GsoKind.TcpV4 | FrameOffload.GsoEcnBit, 66, 1448, 34, 16);
        var bytes = new byte[FrameOffload.Size];
        offload.WriteTo(bytes);

        bytes.ShouldBe(new byte[] { 1, 0x81, 66, 0, 0xa8, 0x05, 34, 0, 16, 0 });
        FrameOffload.TryRead(bytes, 65000, out var back).ShouldBeTrue();
        back.ShouldBe(offload);
        back.Gso.ShouldBe(GsoKind.TcpV4);
    }

    [Theory]
    [InlineData(4, 0, 0, 0, 0)]        // unknown flag
    [InlineData(0, 2, 0, 100, 0)]      // unknown GSO type
    [InlineData(0, 1, 0, 0, 0)]        // super-frame without segment size
    [InlineData(1, 0, 0, 0, 10)]       // checksum starts inside the MAC header
    [InlineData(1, 0, 0, 0, 1000)]     // checksum field beyond the frame
    public void TryRead_InconsistentFields_IsRejected(byte flags, byte gso, ushort hdrLen, ushort gsoSize, ushort csumStart)
    {
        var bytes = new byte[FrameOffload.Size];
        new FrameOffload(flags, gso, hdrLen, gsoSize, csumStart, 6).WriteTo(bytes);
        FrameOffload.TryRead(bytes, 200, out _).ShouldBeFalse();
    }

    [Fact]
    public void TryRead_ArbitraryBytes_NeverThrowsAndAcceptedValuesFitTheFrame()
    {
        Prop.ForAll<byte[], ushort>((bytes, len) =>
        {
            bytes ??= [];
            if (!FrameOffload.TryRead(bytes, len, out var o))
            {
                return true;
            }

            return !o.NeedsChecksum || o.ChecksumStart + o.ChecksumOffset + 2 <= len;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void TryCompleteChecksum_PartialUdpChecksum_ProducesTheFullChecksum()
    {
        var (frame, offload, expected) = OffloadSamples.UdpWithPartialChecksum();
        offload.TryCompleteChecksum(frame).ShouldBeTrue();
        BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(40)).ShouldBe(expected);
    }
}
