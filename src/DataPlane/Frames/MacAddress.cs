using System.Buffers.Binary;
using System.Globalization;

namespace ActorNet.DataPlane.Frames;

/// <summary>
/// Which shared-memory network a node MAC belongs to. Each network has its own locally administered prefix so a
/// frame from one can never be mistaken for a node address of the other (see docs/frames.md).
/// </summary>
public enum NetworkKind
{
    /// <summary>The local network (<c>shm0</c>): unique IP per node; node MACs are <c>02:41:4e:00:HH:LL</c>.</summary>
    Local = 0,

    /// <summary>The global network (<c>gshm0</c>): one IP for the cluster; node MACs are <c>02:41:4e:01:HH:LL</c>.</summary>
    Global = 1,
}

/// <summary>
/// A 48-bit IEEE 802 MAC address held in one <see cref="ulong"/> (first octet most significant). Immutable, 8 bytes,
/// compares and hashes as a number, so it can be used as a key on the data path without allocation.
/// </summary>
public readonly struct MacAddress : IEquatable<MacAddress>
{
    /// <summary>Length of a MAC address on the wire, in bytes.</summary>
    public const int Size = 6;

    /// <summary>Lowest node id that may be encoded in a node MAC.</summary>
    public const ushort MinNodeId = 1;

    /// <summary>Highest node id that may be encoded in a node MAC (0xffff is reserved).</summary>
    public const ushort MaxNodeId = 65534;

    /// <summary>The first four octets of node MACs on the local network: 02 (locally administered, unicast), 'A', 'N', 00.</summary>
    public const uint LocalNodePrefix = 0x02_41_4e_00;

    /// <summary>The first four octets of node MACs on the global network: 02, 'A', 'N', 01.</summary>
    public const uint GlobalNodePrefix = 0x02_41_4e_01;

    private const ulong Mask48 = 0xffff_ffff_ffffUL;
    private readonly ulong _value;

    /// <summary>Creates an address from its 48-bit numeric value (first octet in bits 47..40); higher bits are ignored.</summary>
    public MacAddress(ulong value) => _value = value & Mask48;

    /// <summary>Reads an address from the first six bytes of <paramref name="bytes"/> (network order).</summary>
    /// <exception cref="ArgumentException">Fewer than six bytes were given.</exception>
    public MacAddress(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < Size)
        {
            throw new ArgumentException($"A MAC address needs {Size} bytes, got {bytes.Length}.", nameof(bytes));
        }

        _value = Read(bytes)._value;
    }

    /// <summary>ff:ff:ff:ff:ff:ff.</summary>
    public static MacAddress Broadcast => new(Mask48);

    /// <summary>00:00:00:00:00:00, which is never a valid station address.</summary>
    public static MacAddress Zero => default;

    /// <summary>The 48-bit numeric value, first octet most significant.</summary>
    public ulong Value => _value;

    /// <summary>True for ff:ff:ff:ff:ff:ff.</summary>
    public bool IsBroadcast => _value == Mask48;

    /// <summary>True when the I/G bit (least significant bit of the first octet) is set: broadcast or multicast.</summary>
    public bool IsGroup => (_value & 0x0100_0000_0000UL) != 0;

    /// <summary>True for a multicast (group but not broadcast) address.</summary>
    public bool IsMulticast => IsGroup && !IsBroadcast;

    /// <summary>True when the U/L bit (second least significant bit of the first octet) is set.</summary>
    public bool IsLocallyAdministered => (_value & 0x0200_0000_0000UL) != 0;

    /// <summary>
    /// Reads six bytes without checks beyond the span's own bound check. Hot-path helper: the caller has already
    /// validated the length.
    /// </summary>
    public static MacAddress Read(ReadOnlySpan<byte> bytes)
    {
        ulong hi = BinaryPrimitives.ReadUInt16BigEndian(bytes);
        ulong lo = BinaryPrimitives.ReadUInt32BigEndian(bytes.Slice(2));
        return new MacAddress((hi << 32) | lo);
    }

    /// <summary>Writes the six octets to the start of <paramref name="destination"/>.</summary>
    public void WriteTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)(_value >> 32));
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(2), (uint)_value);
    }

    /// <summary>
    /// The locally administered unicast MAC of node <paramref name="nodeId"/> on <paramref name="network"/>: the
    /// network's four-octet prefix followed by the node id, big-endian, in the last two octets.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The node id is outside 1..65534.</exception>
    public static MacAddress ForNode(NetworkKind network, ushort nodeId)
    {
        if (nodeId is < MinNodeId or > MaxNodeId)
        {
            throw new ArgumentOutOfRangeException(nameof(nodeId), nodeId, $"Node ids are {MinNodeId}..{MaxNodeId}.");
        }

        return new MacAddress(((ulong)PrefixOf(network) << 16) | nodeId);
    }

    /// <summary>
    /// If this is a node MAC of <paramref name="network"/> (its prefix and a node id in 1..65534), returns true and
    /// the node id; otherwise false. Allocation-free; used per frame by the forwarding decision.
    /// </summary>
    public bool TryGetNodeId(NetworkKind network, out ushort nodeId)
    {
        nodeId = (ushort)_value;
        if ((uint)(_value >> 16) != PrefixOf(network) || nodeId is < MinNodeId or > MaxNodeId)
        {
            nodeId = 0;
            return false;
        }

        return true;
    }

    /// <summary>Parses "02:41:4e:00:00:01", "02-41-4E-00-00-01" or "02414e000001".</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out MacAddress address)
    {
        address = default;
        text = text.Trim();
        ulong value = 0;
        int digits = 0;
        char separator = '\0';
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c is ':' or '-')
            {
                if (separator == '\0')
                {
                    separator = c;
                }

                // A separator must follow exactly two digits and be the same throughout.
                if (c != separator || digits == 0 || digits % 2 != 0 || i + 1 >= text.Length || text[i + 1] is ':' or '-')
                {
                    return false;
                }

                continue;
            }

            int nibble = HexValue(c);
            if (nibble < 0 || digits == 12)
            {
                return false;
            }

            value = (value << 4) | (uint)nibble;
            digits++;
        }

        if (digits != 12)
        {
            return false;
        }

        address = new MacAddress(value);
        return true;
    }

    /// <summary>Parses like <see cref="TryParse"/> and throws <see cref="FormatException"/> naming the text on failure.</summary>
    public static MacAddress Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text, out var address)
            ? address
            : throw new FormatException($"'{text}' is not a MAC address (expected six hex octets such as 02:41:4e:00:00:01).");
    }

    /// <summary>Formats as lowercase colon-separated octets, e.g. <c>02:41:4e:00:00:01</c>.</summary>
    public override string ToString()
    {
        Span<byte> b = stackalloc byte[Size];
        WriteTo(b);
        return string.Create(CultureInfo.InvariantCulture, $"{b[0]:x2}:{b[1]:x2}:{b[2]:x2}:{b[3]:x2}:{b[4]:x2}:{b[5]:x2}");
    }

    /// <inheritdoc/>
    public bool Equals(MacAddress other) => _value == other._value;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is MacAddress other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => _value.GetHashCode();

    /// <summary>Value equality.</summary>
    public static bool operator ==(MacAddress left, MacAddress right) => left._value == right._value;

    /// <summary>Value inequality.</summary>
    public static bool operator !=(MacAddress left, MacAddress right) => left._value != right._value;

    private static uint PrefixOf(NetworkKind network) => network == NetworkKind.Global ? GlobalNodePrefix : LocalNodePrefix;

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };
}
