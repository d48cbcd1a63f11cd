using System.Buffers.Binary;
using ActorNet.DataPlane.Frames;

namespace ActorNet.DataPlane.Adapters;

/// <summary>Segmentation offload kind of a frame (the <c>gso_type</c> of Linux's <c>virtio_net_hdr</c>).</summary>
public enum GsoKind : byte
{
    /// <summary>An ordinary frame.</summary>
    None = 0,

    /// <summary>A TCP/IPv4 super-frame to be cut into segments of <see cref="FrameOffload.GsoSize"/> bytes.</summary>
    TcpV4 = 1,

    /// <summary>A UDP fragmentation-offload super-frame (legacy UFO).</summary>
    Udp = 3,

    /// <summary>A TCP/IPv6 super-frame.</summary>
    TcpV6 = 4,

    /// <summary>A UDP segmentation-offload super-frame (USO).</summary>
    UdpL4 = 5,
}

/// <summary>
/// Offload metadata travelling with a frame: Linux's <c>virtio_net_hdr</c> (10 bytes) as a small value. It lets a
/// 64 KiB TCP segment cross the shared-memory network as ONE frame with its checksum left partial, and be handed to
/// the receiving TAP as-is, where the kernel finishes the work (GRO/GSO on the receive path).
/// </summary>
/// <remarks>
/// Everything here comes from a device or from shared memory: <see cref="TryRead"/> validates the fields against the
/// frame length before anyone trusts them. Encoded little-endian, the byte order tun uses on x86 and arm64.
/// </remarks>
public readonly record struct FrameOffload(byte Flags, byte GsoType, ushort HeaderLength, ushort GsoSize, ushort ChecksumStart, ushort ChecksumOffset)
{
    /// <summary>Encoded size (<c>sizeof(struct virtio_net_hdr)</c>).</summary>
    public const int Size = 10;

    /// <summary><c>VIRTIO_NET_HDR_F_NEEDS_CSUM</c>: the checksum at ChecksumStart + ChecksumOffset is partial.</summary>
    public const byte FlagNeedsChecksum = 1;

    /// <summary><c>VIRTIO_NET_HDR_F_DATA_VALID</c>: the checksum was already verified.</summary>
    public const byte FlagDataValid = 2;

    /// <summary><c>VIRTIO_NET_HDR_GSO_ECN</c>, or-ed into the GSO type.</summary>
    public const byte GsoEcnBit = 0x80;

    /// <summary>No offload: a complete frame with a correct checksum.</summary>
    public static FrameOffload None => default;

    /// <summary>The segmentation kind without the ECN bit.</summary>
    public GsoKind Gso => (GsoKind)(GsoType & ~GsoEcnBit);

    /// <summary>True when the checksum must still be completed by someone.</summary>
    public bool NeedsChecksum => (Flags & FlagNeedsChecksum) != 0;

    /// <summary>True when this is neither a super-frame nor a partial checksum.</summary>
    public bool IsNone => Gso == GsoKind.None && !NeedsChecksum;

    /// <summary>Writes the 10-byte encoding.</summary>
    public void WriteTo(Span<byte> destination)
    {
        destination[0] = Flags;
        destination[1] = GsoType;
        BinaryPrimitives.WriteUInt16LittleEndian(destination.Slice(2), HeaderLength);
        BinaryPrimitives.WriteUInt16LittleEndian(destination.Slice(4), GsoSize);
        BinaryPrimitives.WriteUInt16LittleEndian(destination.Slice(6), ChecksumStart);
        BinaryPrimitives.WriteUInt16LittleEndian(destination.Slice(8), ChecksumOffset);
    }

    /// <summary>
    /// Decodes and validates an encoding for a frame of <paramref name="frameLength"/> bytes: known GSO kind, a
    /// non-zero segment size for super-frames, and a checksum field inside the frame. False means garbled.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> source, int frameLength, out FrameOffload offload)
    {
        offload = default;
        if (source.Length < Size)
        {
            return false;
        }

        var candidate = new FrameOffload(
            source[0],
            source[1],
            BinaryPrimitives.ReadUInt16LittleEndian(source.Slice(2)),
            BinaryPrimitives.ReadUInt16LittleEndian(source.Slice(4)),
            BinaryPrimitives.ReadUInt16LittleEndian(source.Slice(6)),
            BinaryPrimitives.ReadUInt16LittleEndian(source.Slice(8)));
        if (!candidate.IsValidFor(frameLength))
        {
            return false;
        }

        offload = candidate;
        return true;
    }

    /// <summary>Whether these fields are consistent with a frame of <paramref name="frameLength"/> bytes.</summary>
    public bool IsValidFor(int frameLength)
    {
        if ((Flags & ~(FlagNeedsChecksum | FlagDataValid)) != 0)
        {
            return false;
        }

        switch (Gso)
        {
            case GsoKind.None:
                break;
            case GsoKind.TcpV4 or GsoKind.TcpV6 or GsoKind.Udp or GsoKind.UdpL4:
                if (GsoSize == 0 || HeaderLength > frameLength)
                {
                    return false;
                }

                break;
            default:
                return false;
        }

        return !NeedsChecksum || (ChecksumStart >= ShmMacHeader.Size && ChecksumStart + ChecksumOffset + 2 <= frameLength);
    }

    /// <summary>
    /// Finishes a partial checksum in software (what the kernel's <c>skb_checksum_help</c> does): the field already
    /// holds the pseudo-header sum, so the ones'-complement sum from ChecksumStart to the end is stored in it. Used
    /// when a frame with <see cref="NeedsChecksum"/> goes to an adapter without offload support. Returns false when
    /// the fields do not fit the frame.
    /// </summary>
    public bool TryCompleteChecksum(Span<byte> frame)
    {
        if (!NeedsChecksum)
        {
            return true;
        }

        int field = ChecksumStart + ChecksumOffset;
        if (ChecksumStart >= frame.Length || field + 2 > frame.Length)
        {
            return false;
        }

        ushort sum = InternetChecksum.Finish(InternetChecksum.Add(0, frame.Slice(ChecksumStart)));
        if (sum == 0 && ChecksumOffset == 6)
        {
            sum = 0xffff; // UDP transmits a computed zero as all ones
        }

        BinaryPrimitives.WriteUInt16BigEndian(frame.Slice(field), sum);
        return true;
    }
}
