using ActorNet.DataPlane.Abi;
using ActorNet.DataPlane.Segments;

namespace ActorNet.DataPlane.Rings;

/// <summary>
/// A ring's geometry read ONCE from its control block when it is opened, validated against the region it lives
/// in, and kept privately: the per-frame path only uses these copies, so later corruption of the control block
/// cannot make a reader address memory outside the ring.
/// </summary>
internal readonly unsafe struct RingGeometry
{
    public readonly RingControlBlock* Control;
    public readonly byte* Slots;
    public readonly uint SlotCount;
    public readonly ulong Mask;
    public readonly int Stride;
    public readonly int PayloadCapacity;

    private RingGeometry(RingControlBlock* control, byte* slots, uint slotCount, int stride, int capacity)
    {
        Control = control;
        Slots = slots;
        SlotCount = slotCount;
        Mask = slotCount - 1;
        Stride = stride;
        PayloadCapacity = capacity;
    }

    public static RingGeometry Open(SharedSegment segment, RegionKind kind, ushort peerNodeId, ulong tag = 0)
    {
        var (basePtr, size) = segment.FindRegion(kind, peerNodeId, tag);
        return Validate((byte*)basePtr, size, kind, $"{segment.Path}: {kind} ring (peer {peerNodeId}, tag {tag})");
    }

    public static RingGeometry Validate(byte* region, long regionSize, RegionKind kind, string what)
    {
        if (regionSize < ShmLayout.RingControlBlockSize)
        {
            throw new SegmentFormatException($"{what}: region of {regionSize} bytes cannot hold a control block.");
        }

        var rcb = (RingControlBlock*)region;
        uint k = rcb->Kind;
        uint count = rcb->SlotCount;
        uint payload = rcb->SlotPayloadSize;
        uint stride = rcb->SlotStride;
        uint slotsOffset = rcb->SlotsOffset;
        if (k != (uint)kind)
        {
            throw new SegmentFormatException($"{what}: control block kind {k}, expected {(uint)kind}.");
        }

        if (count < ShmLayout.MinSlotCount || count > ShmLayout.MaxSlotCount || (count & (count - 1)) != 0)
        {
            throw new SegmentFormatException($"{what}: slot count {count} is not a power of two in {ShmLayout.MinSlotCount}..{ShmLayout.MaxSlotCount}.");
        }

        bool descriptorRing = kind is RegionKind.Descriptor or RegionKind.Return;
        if (descriptorRing ? payload != ShmLayout.DescriptorSize : payload is < ShmLayout.MinMtu or > ShmLayout.MaxSlotPayloadSize)
        {
            throw new SegmentFormatException($"{what}: slot payload size {payload} is outside the allowed range for {kind}.");
        }

        if (stride != ShmLayout.SlotStride((int)payload))
        {
            throw new SegmentFormatException($"{what}: slot stride {stride}, expected {ShmLayout.SlotStride((int)payload)} for payload {payload}.");
        }

        if (slotsOffset != ShmLayout.RingControlBlockSize || slotsOffset + ((long)count * stride) > regionSize)
        {
            throw new SegmentFormatException($"{what}: {count} slots of {stride} bytes at offset {slotsOffset} overrun the {regionSize}-byte region.");
        }

        return new RingGeometry(rcb, region + slotsOffset, count, (int)stride, (int)payload);
    }

    public SlotHeader* Slot(ulong index) => (SlotHeader*)(Slots + ((long)(index & Mask) * Stride));
}
