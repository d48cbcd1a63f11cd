using System.Collections.Immutable;
using System.Text;
using ActorNet.Actors.Cluster;
using ActorNet.Actors.Cluster.Membership;
using ActorNet.Actors.Cluster.Remoting.Wire;
using FsCheck;
using FsCheck.Fluent;
using static ActorNet.Actors.Tests.Cluster.ClusterTestData;

namespace ActorNet.Actors.Tests.Cluster;

using Address = ActorNet.Actors.Cluster.Membership.Address;

public class FrameCodecTests
{
    private static List<byte[]> DecodeAll(FrameDecoder decoder, byte[] stream, IEnumerable<int> chunkSizes, out FrameDecodeStatus status)
    {
        var frames = new List<byte[]>();
        status = FrameDecodeStatus.Ok;
        int offset = 0;
        using var sizes = chunkSizes.GetEnumerator();
        while (offset < stream.Length && status == FrameDecodeStatus.Ok)
        {
            int size = sizes.MoveNext() ? Math.Clamp(sizes.Current, 1, stream.Length - offset) : stream.Length - offset;
            status = decoder.Feed(stream.AsSpan(offset, size), frames.Add);
            offset += size;
        }

        return frames;
    }

    [Fact]
    public void EncodeFrame_BigEndianLengthPrefix()
    {
        FrameCodec.EncodeFrame([1, 2, 3], 10).ShouldBe(new byte[] { 0, 0, 0, 3, 1, 2, 3 });
        Should.Throw<ArgumentException>(() => FrameCodec.EncodeFrame(new byte[11], 10));
    }

    [Fact]
    public void Feed_FramesUnderArbitraryChunking_RoundTrip()
    {
        var payloads = Gen.Choose(0, 255).Select(i => (byte)i).ArrayOf().Select(a => a.Take(300).ToArray()).ArrayOf();
        Prop.ForAll(payloads.ToArbitrary(), Gen.Choose(1, 17).ArrayOf().ToArbitrary(), (frames, chunks) =>
            {
                var stream = frames.SelectMany(f => FrameCodec.EncodeFrame(f, 300)).ToArray();
                var decoded = DecodeAll(new FrameDecoder(300), stream, chunks, out var status);
                return status == FrameDecodeStatus.Ok && decoded.Count == frames.Length &&
                       decoded.Zip(frames).All(p => p.First.AsSpan().SequenceEqual(p.Second));
            })
            .QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Feed_OversizedLength_FaultsWithoutAllocatingIt()
    {
        var decoder = new FrameDecoder(1024);
        var frames = new List<byte[]>();
        decoder.Feed([0x7F, 0xFF, 0xFF, 0xFF, 1, 2], frames.Add).ShouldBe(FrameDecodeStatus.Faulted);
        decoder.Error!.ShouldContain("2147483647");
        frames.ShouldBeEmpty();
        decoder.Feed(FrameCodec.EncodeFrame([1], 10), frames.Add).ShouldBe(FrameDecodeStatus.Faulted);
        frames.ShouldBeEmpty();
    }

    [Fact]
    public void Feed_NegativeLength_Faults()
    {
        var decoder = new FrameDecoder(1024);
        decoder.Feed([0xFF, 0xFF, 0xFF, 0xFF], _ => { }).ShouldBe(FrameDecodeStatus.Faulted);
        decoder.IsFaulted.ShouldBeTrue();
    }

    [Fact]
    public void Feed_RandomBytes_NeverThrows_FramesBounded()
    {
        Prop.ForAll(Gen.Choose(0, 255).Select(i => (byte)i).ArrayOf().ToArbitrary(), Gen.Choose(1, 9).ArrayOf().ToArbitrary(), (bytes, chunks) =>
            {
                var decoder = new FrameDecoder(64);
                var frames = DecodeAll(decoder, bytes, chunks, out var status);
                return frames.All(f => f.Length <= 64) && (status == FrameDecodeStatus.Ok) != decoder.IsFaulted;
            })
            .QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Feed_ZeroLengthFrame_DeliveredEmpty()
    {
        var frames = new List<byte[]>();
        new FrameDecoder(8).Feed([0, 0, 0, 0, 0, 0, 0, 1, 9], frames.Add).ShouldBe(FrameDecodeStatus.Ok);
        frames.Count.ShouldBe(2);
        frames[0].ShouldBeEmpty();
        frames[1].ShouldBe(new byte[] { 9 });
    }
}

public class HandshakeTests
{
    private static readonly byte[] s_secret = Encoding.UTF8.GetBytes("correct horse battery staple!!");
    private static readonly UniqueAddress s_i = Node("10.0.0.1", 11);
    private static readonly UniqueAddress s_r = Node("10.0.0.2", 22);

    private static HandshakeMessages.Message Wire(HandshakeMessages.Message m) => HandshakeMessages.Decode(HandshakeMessages.Encode(m));

    private static (HandshakeOutcome? Initiator, HandshakeOutcome? Responder, int RepliesToInitiatorBeforeProof) Run(byte[] initiatorSecret, byte[] responderSecret, UniqueAddress? initiatorNode = null)
    {
        var initiator = new HandshakeInitiator(new HandshakeAuthenticator(initiatorSecret), initiatorNode ?? s_i);
        var responder = new HandshakeResponder(new HandshakeAuthenticator(responderSecret), s_r);
        var (challenge, o1) = responder.Receive(Wire(initiator.Start()));
        o1.ShouldBeNull();
        var (proof, _) = initiator.Receive(Wire(challenge!));
        var (accept, responderOutcome) = responder.Receive(Wire(proof!));
        if (accept is null)
        {
            return (null, responderOutcome, 1);
        }

        var (_, initiatorOutcome) = initiator.Receive(Wire(accept));
        return (initiatorOutcome, responderOutcome, 1);
    }

    [Fact]
    public void Handshake_SameSecret_BothSidesAuthenticated()
    {
        var (i, r, _) = Run(s_secret, s_secret);
        i!.Peer.ShouldBe(s_r);
        r!.Peer.ShouldBe(s_i);
    }

    [Fact]
    public void Handshake_WrongSecret_RefusedAndPeerLearnsOnlyANonce()
    {
        var initiator = new HandshakeInitiator(new HandshakeAuthenticator(Encoding.UTF8.GetBytes("wrong secret, sixteen+ bytes")), s_i);
        var responder = new HandshakeResponder(new HandshakeAuthenticator(s_secret), s_r);
        var (challenge, _) = responder.Receive(Wire(initiator.Start()));
        var challengeBytes = HandshakeMessages.Encode(challenge!);
        challengeBytes.Length.ShouldBe(1 + HandshakeMessages.NonceSize);
        Encoding.UTF8.GetString(challengeBytes).ShouldNotContain("10.0.0.2");
        var (proof, _) = initiator.Receive(Wire(challenge!));
        var (reply, outcome) = responder.Receive(Wire(proof!));
        reply.ShouldBeNull();
        outcome!.Succeeded.ShouldBeFalse();
        outcome.RefusalReason!.ShouldContain("proof");
    }

    [Fact]
    public void Handshake_OtherClusterName_RefusedAfterProof()
    {
        var other = new UniqueAddress(new Address("other", "10.0.0.1", 2552), 11);
        var (_, r, _) = Run(s_secret, s_secret, other);
        r!.Succeeded.ShouldBeFalse();
        r.RefusalReason!.ShouldContain("cluster 'other'");
    }

    [Fact]
    public void Handshake_ForgedAccept_InitiatorRefuses()
    {
        var initiator = new HandshakeInitiator(new HandshakeAuthenticator(s_secret), s_i);
        initiator.Start();
        initiator.Receive(new HandshakeMessages.Challenge(new byte[16]));
        var forged = new HandshakeMessages.Accept(new HandshakeMessages.Hello(1, s_r, new byte[16]), new byte[32]);
        initiator.Receive(Wire(forged)).Outcome!.Succeeded.ShouldBeFalse();
    }

    [Fact]
    public void Responder_ProofBeforeHello_Refused()
    {
        var responder = new HandshakeResponder(new HandshakeAuthenticator(s_secret), s_r);
        responder.Receive(new HandshakeMessages.Proof(new byte[32])).Outcome!.Succeeded.ShouldBeFalse();
    }

    [Fact]
    public void Proof_ReplayedOnNewConnection_Rejected()
    {
        var auth = new HandshakeAuthenticator(s_secret);
        var hello = HandshakeMessages.Encode(new HandshakeMessages.Hello(1, s_i, new byte[16]));
        var proof = auth.InitiatorProof(hello, new byte[16]);
        HandshakeAuthenticator.Verify(auth.InitiatorProof(hello, Enumerable.Repeat((byte)1, 16).ToArray()), proof).ShouldBeFalse();
        HandshakeAuthenticator.Verify(auth.InitiatorProof(hello, new byte[16]), proof).ShouldBeTrue();
        HandshakeAuthenticator.Verify(proof, proof.AsSpan(0, 31)).ShouldBeFalse();
    }

    [Fact]
    public void Authenticator_ShortSecret_Rejected() =>
        Should.Throw<ArgumentException>(() => new HandshakeAuthenticator(new byte[15]));

    [Fact]
    public void Decode_RandomBytes_OnlyWireFormatException()
    {
        Prop.ForAll(Gen.Choose(0, 255).Select(i => (byte)i).ArrayOf().ToArbitrary(), Gen.Elements<byte>(1, 2, 3, 4).ToArbitrary(), (bytes, type) =>
            {
                var input = bytes.Length > 0 && bytes.Length % 2 == 0 ? [type, .. bytes] : bytes;
                try
                {
                    HandshakeMessages.Decode(input);
                    return true;
                }
                catch (WireFormatException)
                {
                    return true;
                }
            })
            .QuickCheckThrowOnFailure();
    }
}

public class ClusterMessageSerializerTests
{
    private static readonly SerializerRegistry s_registry = CreateRegistry();

    private static SerializerRegistry CreateRegistry()
    {
        var r = new SerializerRegistry(256 * 1024);
        r.Register(new ClusterMessageSerializer());
        return r;
    }

    private static Gossip SampleGossip()
    {
        var a = M("a", MemberStatus.Up, 1, ["x", "y"]);
        var b = M("b", MemberStatus.Leaving, 2);
        var c = M("c", MemberStatus.Joining);
        return Gossip.Create([a, b, c]).Increment(a.UniqueAddress).Increment(b.UniqueAddress).Seen(a.UniqueAddress)
            .WithReachability(Reachability.Empty.Unreachable(a.UniqueAddress, c.UniqueAddress).Terminated(b.UniqueAddress, c.UniqueAddress))
            .Remove(c.UniqueAddress, 1234).Update([M("d", MemberStatus.WeaklyUp)]);
    }

    private static object RoundTrip(object message) =>
        s_registry.DecodeMessage(SerializerRegistry.EncodeEnvelope(s_registry.Serialize(message)));

    [Fact]
    public void RoundTrip_SimpleMessages_Equal()
    {
        object[] messages =
        [
            new ClusterProtocol.InitJoin("test"),
            new ClusterProtocol.InitJoinAck(Addr("a")),
            new ClusterProtocol.InitJoinNack(Addr("a")),
            new ClusterProtocol.Leave(Addr("b")),
            new ClusterProtocol.Down(Addr("c")),
            new ClusterProtocol.ExitingConfirmed(Node("c", 9)),
            new ClusterProtocol.Heartbeat(Addr("a"), 7, 123456789),
            new ClusterProtocol.HeartbeatRsp(Node("b", -5), 7, 123456789),
        ];
        foreach (var m in messages)
        {
            RoundTrip(m).ShouldBe(m);
        }
    }

    [Fact]
    public void RoundTrip_Join_RolesPreserved()
    {
        var join = (ClusterProtocol.Join)RoundTrip(new ClusterProtocol.Join(Node("a", 3), ["db", "web"]));
        join.Node.ShouldBe(Node("a", 3));
        join.Roles.ShouldBe(["db", "web"]);
    }

    [Fact]
    public void RoundTrip_GossipEnvelope_AllPartsPreserved()
    {
        var g = SampleGossip();
        var back = (ClusterProtocol.GossipEnvelope)RoundTrip(new ClusterProtocol.GossipEnvelope(Node("a"), Node("b"), g));
        back.From.ShouldBe(Node("a"));
        back.To.ShouldBe(Node("b"));
        var h = back.Gossip;
        h.Members.Select(m => (m.UniqueAddress, m.Status, m.UpNumber, string.Join(",", m.Roles)))
            .ShouldBe(g.Members.Select(m => (m.UniqueAddress, m.Status, m.UpNumber, string.Join(",", m.Roles))));
        h.Version.ShouldBe(g.Version);
        h.Overview.Seen.SetEquals(g.Overview.Seen).ShouldBeTrue();
        h.Overview.Reachability.Records.ShouldBe(g.Overview.Reachability.Records);
        h.Overview.Reachability.Versions.ToHashSet().SetEquals(g.Overview.Reachability.Versions).ShouldBeTrue();
        h.Tombstones.ToHashSet().SetEquals(g.Tombstones).ShouldBeTrue();

        var welcome = (ClusterProtocol.Welcome)RoundTrip(new ClusterProtocol.Welcome(Node("a"), g));
        welcome.Gossip.Members.Count.ShouldBe(g.Members.Count);
        var status = (ClusterProtocol.GossipStatus)RoundTrip(new ClusterProtocol.GossipStatus(Node("a"), g.Version));
        status.Version.ShouldBe(g.Version);
    }

    [Fact]
    public void Decode_UnknownSerializerOrManifest_WireFormatException()
    {
        var good = s_registry.Serialize(new ClusterProtocol.Leave(Addr("b")));
        Should.Throw<WireFormatException>(() => s_registry.Deserialize(good with { SerializerId = 999 })).Message.ShouldContain("999");
        Should.Throw<WireFormatException>(() => s_registry.Deserialize(good with { Manifest = "Nope" })).Message.ShouldContain("Nope");
    }

    [Fact]
    public void Decode_Oversized_RejectedBeforeParsing()
    {
        var small = new SerializerRegistry(16);
        small.Register(new ClusterMessageSerializer());
        var big = SerializerRegistry.EncodeEnvelope(new SerializedMessage(ClusterMessageSerializer.SerializerId, "Leave", new byte[17]));
        Should.Throw<WireFormatException>(() => small.DecodeMessage(big)).Message.ShouldContain("limit");
        Should.Throw<InvalidOperationException>(() => small.Serialize(new ClusterProtocol.Leave(Addr("b"))));
    }

    [Theory]
    [InlineData("Leave", "{\"address\":\"not an address\"}")]
    [InlineData("Leave", "{}")]
    [InlineData("Leave", "null")]
    [InlineData("Join", "{\"node\":{\"address\":\"actornet://test@a:1\",\"uid\":1},\"roles\":null}")]
    [InlineData("GossipStatus", "{\"from\":{\"address\":\"actornet://test@a:1\",\"uid\":1},\"version\":[{\"node\":\"x\",\"counter\":-1}]}")]
    [InlineData("GossipEnvelope", "{\"from\":{\"address\":\"actornet://test@a:1\",\"uid\":1},\"to\":{\"address\":\"actornet://test@a:1\",\"uid\":1},\"gossip\":{\"nodes\":[],\"members\":[{\"node\":5,\"status\":2,\"upNumber\":1,\"roles\":[]}],\"seen\":[],\"records\":[],\"observerVersions\":[],\"vectorClock\":[],\"tombstones\":[]}}")]
    [InlineData("GossipEnvelope", "{\"from\":{\"address\":\"actornet://test@a:1\",\"uid\":1},\"to\":{\"address\":\"actornet://test@a:1\",\"uid\":1},\"gossip\":{\"nodes\":[{\"address\":\"actornet://test@a:1\",\"uid\":1}],\"members\":[{\"node\":0,\"status\":99,\"upNumber\":1,\"roles\":[]}],\"seen\":[],\"records\":[],\"observerVersions\":[],\"vectorClock\":[],\"tombstones\":[]}}")]
    [InlineData("Heartbeat", "{\"from\":\"actornet://test@a:1\",\"sequenceNr\":99999999999999999999999}")]
    [InlineData("Heartbeat", "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]")]
    public void Decode_InvalidContent_WireFormatException(string manifest, string json)
    {
        var message = new SerializedMessage(ClusterMessageSerializer.SerializerId, manifest, Encoding.UTF8.GetBytes(json));
        Should.Throw<WireFormatException>(() => s_registry.Deserialize(message));
    }

    [Fact]
    public void Decode_RandomBytes_OnlyWireFormatException()
    {
        Prop.ForAll(Gen.Choose(0, 255).Select(i => (byte)i).ArrayOf().ToArbitrary(), bytes =>
            {
                try
                {
                    s_registry.DecodeMessage(bytes);
                    return true;
                }
                catch (WireFormatException)
                {
                    return true;
                }
            })
            .QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Decode_RandomPayloadUnderEveryManifest_OnlyWireFormatException()
    {
        var manifests = new ClusterMessageSerializer().Manifests.Values.ToArray();
        var jsonish = Gen.Elements("{", "}", "[", "]", ",", ":", "\"", "null", "1", "-1", "1e999", "\"actornet://t@h:1\"", "\"nodes\"", "\"members\"", "\"gossip\"", "\"from\"", "\"uid\"", "\"address\"", "\"status\"", "\\u0000")
            .ArrayOf().Select(parts => Encoding.UTF8.GetBytes(string.Concat(parts)));
        Prop.ForAll(Gen.Elements(manifests).ToArbitrary(), jsonish.ToArbitrary(), (manifest, payload) =>
            {
                try
                {
                    s_registry.Deserialize(new SerializedMessage(ClusterMessageSerializer.SerializerId, manifest, payload));
                    return true;
                }
                catch (WireFormatException)
                {
                    return true;
                }
            })
            .QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Decode_MutatedValidGossip_OnlyWireFormatException()
    {
        var valid = SerializerRegistry.EncodeEnvelope(s_registry.Serialize(new ClusterProtocol.GossipEnvelope(Node("a"), Node("b"), SampleGossip())));
        Prop.ForAll(Gen.Choose(0, valid.Length - 1).ArrayOf().ToArbitrary(), Gen.Choose(0, 255).ToArbitrary(), Gen.Choose(0, valid.Length).ToArbitrary(), (positions, value, cut) =>
            {
                var bytes = valid.ToArray();
                foreach (int p in positions)
                {
                    bytes[p] = (byte)value;
                }

                try
                {
                    s_registry.DecodeMessage(bytes.AsSpan(0, Math.Max(cut, valid.Length / 2)));
                    return true;
                }
                catch (WireFormatException)
                {
                    return true;
                }
            })
            .QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Register_DuplicateId_Rejected()
    {
        var r = new SerializerRegistry(1024);
        r.Register(new ClusterMessageSerializer());
        Should.Throw<ArgumentException>(() => r.Register(new ClusterMessageSerializer()));
        r.CanSerialize(typeof(ClusterProtocol.Join)).ShouldBeTrue();
        r.CanSerialize(typeof(string)).ShouldBeFalse();
        Should.Throw<InvalidOperationException>(() => r.Serialize("x"));
    }
}
