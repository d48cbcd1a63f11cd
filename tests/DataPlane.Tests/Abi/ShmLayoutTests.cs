using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ActorNet.DataPlane.Abi;

namespace ActorNet.DataPlane.Tests.Abi;

public class ShmLayoutTests
{
    private static int Off<T>(string field) => (int)Marshal.OffsetOf<T>(field);

    [Fact]
    public void StructSizes_MatchLayoutConstants()
    {
        Unsafe.SizeOf<SegmentHeader>().ShouldBe(256);
        Unsafe.SizeOf<RingTableEntry>().ShouldBe(32);
        Unsafe.SizeOf<RingControlBlock>().ShouldBe(256);
        Unsafe.SizeOf<SlotHeader>().ShouldBe(16);
        Unsafe.SizeOf<PoolHeader>().ShouldBe(256);
        Unsafe.SizeOf<BufferHeader>().ShouldBe(32);
        Unsafe.SizeOf<Descriptor>().ShouldBe(32);
        ShmLayout.SegmentHeaderSize.ShouldBe(256);
        ShmLayout.RingControlBlockSize.ShouldBe(256);
        ShmLayout.SlotHeaderSize.ShouldBe(16);
        ShmLayout.DescriptorSize.ShouldBe(32);
    }

    [Fact]
    public void SegmentHeader_Offsets_AreTheDocumentedOnes()
    {
        Off<SegmentHeader>(nameof(SegmentHeader.Magic)).ShouldBe(0);
        Off<SegmentHeader>(nameof(SegmentHeader.AbiVersion)).ShouldBe(8);
        Off<SegmentHeader>(nameof(SegmentHeader.HeaderSize)).ShouldBe(12);
        Off<SegmentHeader>(nameof(SegmentHeader.SegmentSize)).ShouldBe(16);
        Off<SegmentHeader>(nameof(SegmentHeader.Incarnation)).ShouldBe(24);
        Off<SegmentHeader>(nameof(SegmentHeader.NodeId)).ShouldBe(32);
        Off<SegmentHeader>(nameof(SegmentHeader.OwnerPid)).ShouldBe(36);
        Off<SegmentHeader>(nameof(SegmentHeader.State)).ShouldBe(40);
        Off<SegmentHeader>(nameof(SegmentHeader.RingTableCount)).ShouldBe(44);
        Off<SegmentHeader>(nameof(SegmentHeader.RingTableOffset)).ShouldBe(48);
        Off<SegmentHeader>(nameof(SegmentHeader.Heartbeat)).ShouldBe(64);
        Off<SegmentHeader>(nameof(SegmentHeader.Doorbell)).ShouldBe(128);
        Off<SegmentHeader>(nameof(SegmentHeader.ReceiverSleeping)).ShouldBe(132);
    }

    [Fact]
    public void RingTableEntry_Offsets_AreTheDocumentedOnes()
    {
        Off<RingTableEntry>(nameof(RingTableEntry.Kind)).ShouldBe(0);
        Off<RingTableEntry>(nameof(RingTableEntry.PeerNodeId)).ShouldBe(4);
        Off<RingTableEntry>(nameof(RingTableEntry.Offset)).ShouldBe(8);
        Off<RingTableEntry>(nameof(RingTableEntry.Size)).ShouldBe(16);
        Off<RingTableEntry>(nameof(RingTableEntry.Tag)).ShouldBe(24);
    }

    [Fact]
    public void RingControlBlock_Offsets_PutEachWriterOnItsOwnCacheLine()
    {
        Off<RingControlBlock>(nameof(RingControlBlock.Kind)).ShouldBe(0);
        Off<RingControlBlock>(nameof(RingControlBlock.SlotCount)).ShouldBe(4);
        Off<RingControlBlock>(nameof(RingControlBlock.SlotPayloadSize)).ShouldBe(8);
        Off<RingControlBlock>(nameof(RingControlBlock.SlotStride)).ShouldBe(12);
        Off<RingControlBlock>(nameof(RingControlBlock.SenderNodeId)).ShouldBe(16);
        Off<RingControlBlock>(nameof(RingControlBlock.ReceiverNodeId)).ShouldBe(18);
        Off<RingControlBlock>(nameof(RingControlBlock.Flags)).ShouldBe(20);
        Off<RingControlBlock>(nameof(RingControlBlock.Epoch)).ShouldBe(24);
        Off<RingControlBlock>(nameof(RingControlBlock.SlotsOffset)).ShouldBe(32);
        Off<RingControlBlock>(nameof(RingControlBlock.LeaseMilliseconds)).ShouldBe(36);
        Off<RingControlBlock>(nameof(RingControlBlock.WriteIndex)).ShouldBe(64);
        Off<RingControlBlock>(nameof(RingControlBlock.ClaimWord)).ShouldBe(72);
        Off<RingControlBlock>(nameof(RingControlBlock.TakeoverCount)).ShouldBe(80);
        Off<RingControlBlock>(nameof(RingControlBlock.ReadIndex)).ShouldBe(128);
        Off<RingControlBlock>(nameof(RingControlBlock.GroupCount)).ShouldBe(136);
        Off<RingControlBlock>(nameof(RingControlBlock.Group0)).ShouldBe(144);
        Off<RingControlBlock>(nameof(RingControlBlock.NotifyWord)).ShouldBe(192);
        (ShmLayout.RcbWriteIndexOffset / ShmLayout.CacheLineSize).ShouldNotBe(ShmLayout.RcbReadIndexOffset / ShmLayout.CacheLineSize);
        (ShmLayout.RcbNotifyWordOffset / ShmLayout.CacheLineSize).ShouldNotBe(ShmLayout.RcbReadIndexOffset / ShmLayout.CacheLineSize);
        (ShmLayout.RcbGroupsOffset + (8 * ShmLayout.MaxMulticastGroups)).ShouldBeLessThanOrEqualTo(ShmLayout.RcbNotifyWordOffset);
    }

    [Fact]
    public void SlotPoolBufferAndDescriptor_Offsets_AreTheDocumentedOnes()
    {
        Off<SlotHeader>(nameof(SlotHeader.Length)).ShouldBe(0);
        Off<SlotHeader>(nameof(SlotHeader.Flags)).ShouldBe(4);
        Off<SlotHeader>(nameof(SlotHeader.Sequence)).ShouldBe(8);
        Off<PoolHeader>(nameof(PoolHeader.BufferCount)).ShouldBe(0);
        Off<PoolHeader>(nameof(PoolHeader.BufferSize)).ShouldBe(4);
        Off<PoolHeader>(nameof(PoolHeader.BufferStride)).ShouldBe(8);
        Off<PoolHeader>(nameof(PoolHeader.BuffersOffset)).ShouldBe(12);
        Off<PoolHeader>(nameof(PoolHeader.ReceiverNodeId)).ShouldBe(16);
        Off<BufferHeader>(nameof(BufferHeader.Length)).ShouldBe(0);
        Off<BufferHeader>(nameof(BufferHeader.Flags)).ShouldBe(4);
        Off<BufferHeader>(nameof(BufferHeader.Next)).ShouldBe(8);
        Off<Descriptor>(nameof(Descriptor.SegmentNodeId)).ShouldBe(0);
        Off<Descriptor>(nameof(Descriptor.Flags)).ShouldBe(2);
        Off<Descriptor>(nameof(Descriptor.TotalLength)).ShouldBe(4);
        Off<Descriptor>(nameof(Descriptor.Offset)).ShouldBe(8);
        Off<Descriptor>(nameof(Descriptor.BufferCount)).ShouldBe(16);
    }

    [Fact]
    public void MagicAndVersion_AreTheVersion3Values()
    {
        // A layout change must change both: this test is the reminder.
        ShmLayout.AbiVersion.ShouldBe(3u);
        ShmLayout.SegmentMagic.ShouldBe(0x3330304D48534E41UL);
        System.Text.Encoding.ASCII.GetString(BitConverter.GetBytes(ShmLayout.SegmentMagic)).ShouldBe("ANSHM003");
    }

    [Theory]
    [InlineData(1490, 1536)]
    [InlineData(1500, 1536)]
    [InlineData(9000, 9024)]
    [InlineData(65536, 65600)]
    [InlineData(32, 64)]
    public void SlotStride_RoundsHeaderPlusPayloadToCacheLine(int payload, int stride) =>
        ShmLayout.SlotStride(payload).ShouldBe(stride);
}
