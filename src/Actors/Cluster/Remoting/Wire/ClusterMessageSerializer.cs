using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using ActorNet.Actors.Cluster.Membership;

namespace ActorNet.Actors.Cluster.Remoting.Wire;

using Address = ActorNet.Actors.Cluster.Membership.Address;

/// <summary>
/// Serializer of <see cref="ClusterProtocol"/> messages: System.Text.Json with source generation over flat wire DTOs.
/// A gossip is sent as a node table plus indices into it (Akka's protobuf layout), so addresses are written once.
/// Decoding validates every field (sizes, enum ranges, indices, address syntax, positive counters) and throws only
/// <see cref="WireFormatException"/>. Stateless and thread-safe.
/// </summary>
public sealed class ClusterMessageSerializer : IMessageSerializer
{
    /// <summary>The serializer id of cluster messages.</summary>
    public const int SerializerId = 5;

    /// <summary>Most nodes a gossip may name (members, observers, tombstones).</summary>
    public const int MaxNodes = 4096;

    /// <summary>Most roles per member.</summary>
    public const int MaxRoles = 32;

    /// <summary>Longest role name.</summary>
    public const int MaxRoleLength = 64;

    /// <summary>Most reachability records in one gossip.</summary>
    public const int MaxRecords = 65536;

    private static readonly Dictionary<string, Func<ReadOnlyMemory<byte>, object>> s_readers = new(StringComparer.Ordinal)
    {
        ["InitJoin"] = b => new ClusterProtocol.InitJoin(ClusterName(Read(b, WireJsonContext.Default.InitJoinDto).ClusterName)),
        ["InitJoinAck"] = b => new ClusterProtocol.InitJoinAck(ToAddress(Read(b, WireJsonContext.Default.AddressMessageDto).Address)),
        ["InitJoinNack"] = b => new ClusterProtocol.InitJoinNack(ToAddress(Read(b, WireJsonContext.Default.AddressMessageDto).Address)),
        ["Join"] = b =>
        {
            var dto = Read(b, WireJsonContext.Default.JoinDto);
            return new ClusterProtocol.Join(ToUnique(dto.Node), ToRoles(dto.Roles));
        },
        ["Welcome"] = b =>
        {
            var dto = Read(b, WireJsonContext.Default.WelcomeDto);
            return new ClusterProtocol.Welcome(ToUnique(dto.From), ToGossip(dto.Gossip));
        },
        ["Leave"] = b => new ClusterProtocol.Leave(ToAddress(Read(b, WireJsonContext.Default.AddressMessageDto).Address)),
        ["Down"] = b => new ClusterProtocol.Down(ToAddress(Read(b, WireJsonContext.Default.AddressMessageDto).Address)),
        ["ExitingConfirmed"] = b => new ClusterProtocol.ExitingConfirmed(ToUnique(Read(b, WireJsonContext.Default.NodeMessageDto).Node)),
        ["GossipEnvelope"] = b =>
        {
            var dto = Read(b, WireJsonContext.Default.GossipEnvelopeDto);
            return new ClusterProtocol.GossipEnvelope(ToUnique(dto.From), ToUnique(dto.To), ToGossip(dto.Gossip));
        },
        ["GossipStatus"] = b =>
        {
            var dto = Read(b, WireJsonContext.Default.GossipStatusDto);
            return new ClusterProtocol.GossipStatus(ToUnique(dto.From), ToClock(dto.Version));
        },
        ["Heartbeat"] = b =>
        {
            var dto = Read(b, WireJsonContext.Default.HeartbeatDto);
            return new ClusterProtocol.Heartbeat(ToAddress(dto.From), dto.SequenceNr, dto.CreationTimeNanos);
        },
        ["HeartbeatRsp"] = b =>
        {
            var dto = Read(b, WireJsonContext.Default.HeartbeatRspDto);
            return new ClusterProtocol.HeartbeatRsp(ToUnique(dto.From), dto.SequenceNr, dto.CreationTimeNanos);
        },
    };

    /// <inheritdoc />
    public int Identifier => SerializerId;

    /// <inheritdoc />
    public IReadOnlyDictionary<Type, string> Manifests { get; } = new Dictionary<Type, string>
    {
        [typeof(ClusterProtocol.InitJoin)] = "InitJoin",
        [typeof(ClusterProtocol.InitJoinAck)] = "InitJoinAck",
        [typeof(ClusterProtocol.InitJoinNack)] = "InitJoinNack",
        [typeof(ClusterProtocol.Join)] = "Join",
        [typeof(ClusterProtocol.Welcome)] = "Welcome",
        [typeof(ClusterProtocol.Leave)] = "Leave",
        [typeof(ClusterProtocol.Down)] = "Down",
        [typeof(ClusterProtocol.ExitingConfirmed)] = "ExitingConfirmed",
        [typeof(ClusterProtocol.GossipEnvelope)] = "GossipEnvelope",
        [typeof(ClusterProtocol.GossipStatus)] = "GossipStatus",
        [typeof(ClusterProtocol.Heartbeat)] = "Heartbeat",
        [typeof(ClusterProtocol.HeartbeatRsp)] = "HeartbeatRsp",
    };

    /// <inheritdoc />
    public byte[] ToBinary(object message) => message switch
    {
        ClusterProtocol.InitJoin m => JsonSerializer.SerializeToUtf8Bytes(new InitJoinDto(m.ClusterName), WireJsonContext.Default.InitJoinDto),
        ClusterProtocol.InitJoinAck m => JsonSerializer.SerializeToUtf8Bytes(new AddressMessageDto(m.Address.ToString()), WireJsonContext.Default.AddressMessageDto),
        ClusterProtocol.InitJoinNack m => JsonSerializer.SerializeToUtf8Bytes(new AddressMessageDto(m.Address.ToString()), WireJsonContext.Default.AddressMessageDto),
        ClusterProtocol.Join m => JsonSerializer.SerializeToUtf8Bytes(new JoinDto(FromUnique(m.Node), [.. m.Roles]), WireJsonContext.Default.JoinDto),
        ClusterProtocol.Welcome m => JsonSerializer.SerializeToUtf8Bytes(new WelcomeDto(FromUnique(m.From), FromGossip(m.Gossip)), WireJsonContext.Default.WelcomeDto),
        ClusterProtocol.Leave m => JsonSerializer.SerializeToUtf8Bytes(new AddressMessageDto(m.Address.ToString()), WireJsonContext.Default.AddressMessageDto),
        ClusterProtocol.Down m => JsonSerializer.SerializeToUtf8Bytes(new AddressMessageDto(m.Address.ToString()), WireJsonContext.Default.AddressMessageDto),
        ClusterProtocol.ExitingConfirmed m => JsonSerializer.SerializeToUtf8Bytes(new NodeMessageDto(FromUnique(m.Node)), WireJsonContext.Default.NodeMessageDto),
        ClusterProtocol.GossipEnvelope m => JsonSerializer.SerializeToUtf8Bytes(new GossipEnvelopeDto(FromUnique(m.From), FromUnique(m.To), FromGossip(m.Gossip)), WireJsonContext.Default.GossipEnvelopeDto),
        ClusterProtocol.GossipStatus m => JsonSerializer.SerializeToUtf8Bytes(new GossipStatusDto(FromUnique(m.From), FromClock(m.Version)), WireJsonContext.Default.GossipStatusDto),
        ClusterProtocol.Heartbeat m => JsonSerializer.SerializeToUtf8Bytes(new HeartbeatDto(m.From.ToString(), m.SequenceNr, m.CreationTimeNanos), WireJsonContext.Default.HeartbeatDto),
        ClusterProtocol.HeartbeatRsp m => JsonSerializer.SerializeToUtf8Bytes(new HeartbeatRspDto(FromUnique(m.From), m.SequenceNr, m.CreationTimeNanos), WireJsonContext.Default.HeartbeatRspDto),
        _ => throw new ArgumentException($"{message.GetType()} is not a cluster message", nameof(message)),
    };

    /// <inheritdoc />
    public object FromBinary(ReadOnlySpan<byte> bytes, string manifest)
    {
        if (!s_readers.TryGetValue(manifest, out var reader))
        {
            throw new WireFormatException($"unknown cluster message manifest '{Truncate(manifest)}'");
        }

        try
        {
            return reader(bytes.ToArray());
        }
        catch (WireFormatException)
        {
            throw;
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException or InvalidOperationException or FormatException or OverflowException or NotSupportedException)
        {
            throw new WireFormatException($"garbled cluster message '{manifest}': {ex.GetType().Name}", ex);
        }
    }

    private static string Truncate(string s) => s.Length <= 64 ? s : s[..64] + "…";

    private static T Read<T>(ReadOnlyMemory<byte> bytes, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> info) =>
        JsonSerializer.Deserialize(bytes.Span, info) ?? throw new WireFormatException("cluster message is null");

    private static string ClusterName(string? name) =>
        name is { Length: > 0 and <= Address.MaxPartLength } ? name : throw new WireFormatException("invalid cluster name");

    private static Address ToAddress(string? text) =>
        Address.TryParse(text, out var a, out string error) ? a : throw new WireFormatException("invalid address: " + error);

    private static UniqueAddress ToUnique(UniqueAddressDto? dto) =>
        dto is null ? throw new WireFormatException("missing node") : new UniqueAddress(ToAddress(dto.Address), dto.Uid);

    private static UniqueAddressDto FromUnique(UniqueAddress node) => new(node.Address.ToString(), node.Uid);

    private static ImmutableArray<string> ToRoles(string[]? roles)
    {
        if (roles is null || roles.Length > MaxRoles || roles.Any(r => r is null || r.Length is 0 or > MaxRoleLength))
        {
            throw new WireFormatException(string.Create(CultureInfo.InvariantCulture, $"roles must be at most {MaxRoles} names of 1..{MaxRoleLength} characters"));
        }

        return [.. roles];
    }

    private static VectorClockEntryDto[] FromClock(VectorClock clock) => [.. clock.Versions.Select(kv => new VectorClockEntryDto(kv.Key, kv.Value))];

    private static VectorClock ToClock(VectorClockEntryDto[]? entries)
    {
        if (entries is null || entries.Length > MaxNodes)
        {
            throw new WireFormatException("vector clock missing or too large");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in entries)
        {
            if (e is null || e.Node is null || e.Node.Length > 2 * Address.MaxPartLength + 64 || e.Counter <= 0 || !seen.Add(e.Node))
            {
                throw new WireFormatException("invalid vector clock entry");
            }
        }

        return VectorClock.Create(entries.Select(e => KeyValuePair.Create(e.Node!, e.Counter)));
    }

    private static GossipDto FromGossip(Gossip g)
    {
        var nodes = g.Members.Select(m => m.UniqueAddress)
            .Concat(g.Overview.Reachability.Versions.Keys)
            .Concat(g.Overview.Reachability.Records.SelectMany(r => new[] { r.Observer, r.Subject }))
            .Concat(g.Overview.Seen)
            .Concat(g.Tombstones.Keys)
            .Distinct()
            .ToList();
        var index = nodes.Select((n, i) => (n, i)).ToDictionary(x => x.n, x => x.i);
        return new GossipDto(
            [.. nodes.Select(FromUnique)],
            [.. g.Members.Select(m => new MemberDto(index[m.UniqueAddress], (int)m.Status, m.UpNumber, [.. m.Roles]))],
            [.. g.Overview.Seen.Select(n => index[n])],
            [.. g.Overview.Reachability.Records.Select(r => new RecordDto(index[r.Observer], index[r.Subject], (int)r.Status, r.Version))],
            [.. g.Overview.Reachability.Versions.Select(kv => new ObserverVersionDto(index[kv.Key], kv.Value))],
            FromClock(g.Version),
            [.. g.Tombstones.Select(kv => new TombstoneDto(index[kv.Key], kv.Value))]);
    }

    private static Gossip ToGossip(GossipDto? dto)
    {
        if (dto?.Nodes is null || dto.Members is null || dto.Seen is null || dto.Records is null || dto.ObserverVersions is null || dto.Tombstones is null)
        {
            throw new WireFormatException("gossip is missing a part");
        }

        if (dto.Nodes.Length > MaxNodes || dto.Members.Length > MaxNodes || dto.Seen.Length > MaxNodes ||
            dto.ObserverVersions.Length > MaxNodes || dto.Tombstones.Length > MaxNodes || dto.Records.Length > MaxRecords)
        {
            throw new WireFormatException("gossip exceeds the size limits");
        }

        var nodes = dto.Nodes.Select(ToUnique).ToArray();
        UniqueAddress Node(int i) => i >= 0 && i < nodes.Length ? nodes[i] : throw new WireFormatException("gossip node index out of range");

        var members = ImmutableSortedSet.CreateBuilder(Member.Ordering);
        foreach (var m in dto.Members)
        {
            if (m is null || m.Status is < (int)MemberStatus.Joining or > (int)MemberStatus.Removed || m.UpNumber <= 0)
            {
                throw new WireFormatException("invalid gossip member");
            }

            if (!members.Add(Member.FromWire(Node(m.Node), (MemberStatus)m.Status, m.UpNumber, ToRoles(m.Roles))))
            {
                throw new WireFormatException("duplicate gossip member");
            }
        }

        var records = ImmutableList.CreateBuilder<ReachabilityRecord>();
        var pairs = new HashSet<(UniqueAddress, UniqueAddress)>();
        foreach (var r in dto.Records)
        {
            if (r is null || r.Status is < (int)ReachabilityStatus.Reachable or > (int)ReachabilityStatus.Terminated || r.Version <= 0 ||
                !pairs.Add((Node(r.Observer), Node(r.Subject))))
            {
                throw new WireFormatException("invalid reachability record");
            }

            records.Add(new ReachabilityRecord(Node(r.Observer), Node(r.Subject), (ReachabilityStatus)r.Status, r.Version));
        }

        var versions = ImmutableDictionary.CreateBuilder<UniqueAddress, long>();
        foreach (var v in dto.ObserverVersions)
        {
            if (v is null || v.Version <= 0 || !versions.TryAdd(Node(v.Node), v.Version))
            {
                throw new WireFormatException("invalid reachability version");
            }
        }

        var tombstones = ImmutableDictionary.CreateBuilder<UniqueAddress, long>();
        foreach (var t in dto.Tombstones)
        {
            if (t is null || !tombstones.TryAdd(Node(t.Node), t.RemovedAtMs))
            {
                throw new WireFormatException("invalid tombstone");
            }
        }

        var seen = dto.Seen.Select(Node).ToImmutableHashSet();
        return new Gossip(members.ToImmutable(), new GossipOverview(seen, new Reachability(records.ToImmutable(), versions.ToImmutable())), ToClock(dto.VectorClock), tombstones.ToImmutable());
    }
}

internal sealed record UniqueAddressDto(string Address, long Uid);

internal sealed record InitJoinDto(string ClusterName);

internal sealed record AddressMessageDto(string Address);

internal sealed record NodeMessageDto(UniqueAddressDto Node);

internal sealed record JoinDto(UniqueAddressDto Node, string[] Roles);

internal sealed record WelcomeDto(UniqueAddressDto From, GossipDto Gossip);

internal sealed record GossipEnvelopeDto(UniqueAddressDto From, UniqueAddressDto To, GossipDto Gossip);

internal sealed record GossipStatusDto(UniqueAddressDto From, VectorClockEntryDto[] Version);

internal sealed record HeartbeatDto(string From, long SequenceNr, long CreationTimeNanos);

internal sealed record HeartbeatRspDto(UniqueAddressDto From, long SequenceNr, long CreationTimeNanos);

internal sealed record VectorClockEntryDto(string Node, long Counter);

internal sealed record MemberDto(int Node, int Status, int UpNumber, string[] Roles);

internal sealed record RecordDto(int Observer, int Subject, int Status, long Version);

internal sealed record ObserverVersionDto(int Node, long Version);

internal sealed record TombstoneDto(int Node, long RemovedAtMs);

internal sealed record GossipDto(
    UniqueAddressDto[] Nodes,
    MemberDto[] Members,
    int[] Seen,
    RecordDto[] Records,
    ObserverVersionDto[] ObserverVersions,
    VectorClockEntryDto[] VectorClock,
    TombstoneDto[] Tombstones);

/// <summary>Source-generated System.Text.Json metadata for the cluster wire DTOs (no reflection at run time).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, MaxDepth = 16)]
[JsonSerializable(typeof(InitJoinDto))]
[JsonSerializable(typeof(AddressMessageDto))]
[JsonSerializable(typeof(NodeMessageDto))]
[JsonSerializable(typeof(JoinDto))]
[JsonSerializable(typeof(WelcomeDto))]
[JsonSerializable(typeof(GossipEnvelopeDto))]
[JsonSerializable(typeof(GossipStatusDto))]
[JsonSerializable(typeof(HeartbeatDto))]
[JsonSerializable(typeof(HeartbeatRspDto))]
internal sealed partial class WireJsonContext : JsonSerializerContext;
