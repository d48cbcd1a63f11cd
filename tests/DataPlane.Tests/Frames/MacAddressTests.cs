using ActorNet.DataPlane.Frames;
using FsCheck;
using FsCheck.Fluent;

namespace ActorNet.DataPlane.Tests.Frames;

public sealed class MacAddressTests
{
    [Theory]
    [InlineData("02:41:4e:00:00:01", 0x02414e000001UL)]
    [InlineData("02-41-4E-00-FF-FE", 0x02414e00fffeUL)]
    [InlineData("ffffffffffff", 0xffffffffffffUL)]
    [InlineData(" 00:00:00:00:00:00 ", 0UL)]
    public void TryParse_ValidText_ReturnsValue(string text, ulong expected)
    {
        MacAddress.TryParse(text, out var mac).ShouldBeTrue();
        mac.Value.ShouldBe(expected);
    }

    [Theory]
    [InlineData("")]
    [InlineData("02:41:4e:00:00")]
    [InlineData("02:41:4e:00:00:01:02")]
    [InlineData("02:41:4e:00:00:0g")]
    [InlineData("02:41-4e:00:00:01")]
    [InlineData("024:1:4e:00:00:01")]
    [InlineData("02::41:4e:00:00:01")]
    [InlineData("02:41:4e:00:00:01:")]
    public void TryParse_InvalidText_ReturnsFalse(string text)
    {
        MacAddress.TryParse(text, out _).ShouldBeFalse();
        Should.Throw<FormatException>(() => MacAddress.Parse(text)).Message.ShouldContain(text);
    }

    [Fact]
    public void ToString_AnyValue_ParsesBackToSameValue()
    {
        Prop.ForAll<ulong>(v =>
        {
            var mac = new MacAddress(v);
            return MacAddress.Parse(mac.ToString()) == mac && mac.ToString().Length == 17;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void WriteTo_AnyValue_ReadsBackSameValue()
    {
        Prop.ForAll<ulong>(v =>
        {
            var mac = new MacAddress(v);
            Span<byte> b = stackalloc byte[6];
            mac.WriteTo(b);
            return MacAddress.Read(b) == mac && new MacAddress(b) == mac;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void ForNode_Local_UsesDocumentedPrefixAndNodeIdInLastTwoBytes()
    {
        var mac = MacAddress.ForNode(NetworkKind.Local, 0x1234);
        mac.ToString().ShouldBe("02:41:4e:00:12:34");
        mac.IsLocallyAdministered.ShouldBeTrue();
        mac.IsGroup.ShouldBeFalse();
        MacAddress.ForNode(NetworkKind.Global, 7).ToString().ShouldBe("02:41:4e:01:00:07");
    }

    [Fact]
    public void TryGetNodeId_NodeMac_RoundTripsOnlyOnItsOwnNetwork()
    {
        Prop.ForAll(Gen.Choose(1, 65534).ToArbitrary(), id =>
        {
            var local = MacAddress.ForNode(NetworkKind.Local, (ushort)id);
            return local.TryGetNodeId(NetworkKind.Local, out ushort back) && back == id
                && !local.TryGetNodeId(NetworkKind.Global, out _);
        }).QuickCheckThrowOnFailure();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(65535)]
    public void ForNode_ReservedId_Throws(int id)
    {
        Should.Throw<ArgumentOutOfRangeException>(() => MacAddress.ForNode(NetworkKind.Local, (ushort)id));
    }

    [Fact]
    public void TryGetNodeId_ReservedIdsAndForeignMacs_ReturnFalse()
    {
        new MacAddress(0x02414e000000UL).TryGetNodeId(NetworkKind.Local, out _).ShouldBeFalse();
        new MacAddress(0x02414e00ffffUL).TryGetNodeId(NetworkKind.Local, out _).ShouldBeFalse();
        MacAddress.Parse("52:54:00:12:34:56").TryGetNodeId(NetworkKind.Local, out _).ShouldBeFalse();
    }

    [Fact]
    public void GroupBits_BroadcastAndMulticast_AreClassified()
    {
        MacAddress.Broadcast.IsBroadcast.ShouldBeTrue();
        MacAddress.Broadcast.IsMulticast.ShouldBeFalse();
        var mcast = MacAddress.Parse("01:00:5e:00:00:fb");
        mcast.IsMulticast.ShouldBeTrue();
        mcast.IsGroup.ShouldBeTrue();
        MacAddress.Parse("33:33:00:00:00:01").IsMulticast.ShouldBeTrue();
    }
}

public sealed class ShmMacHeaderTests
{
    [Fact]
    public void Write_ControlFrame_SetsSourceGroupBitAndTryGetSourceClearsIt()
    {
        var frame = new byte[64];
        var src = MacAddress.ForNode(NetworkKind.Local, 3);
        ShmMacHeader.Write(frame, MacAddress.Broadcast, src, EtherTypes.ActorNetControl, control: true);

        ShmMacHeader.IsControl(frame).ShouldBeTrue();
        (frame[6] & 1).ShouldBe(1);
        ShmMacHeader.TryGetSource(frame, out var source).ShouldBeTrue();
        source.ShouldBe(src);
        ShmMacHeader.TryGetDestination(frame, out var dst).ShouldBeTrue();
        dst.ShouldBe(MacAddress.Broadcast);
        ShmMacHeader.TryGetEtherType(frame, out ushort type).ShouldBeTrue();
        type.ShouldBe(EtherTypes.ActorNetControl);
    }

    [Fact]
    public void Write_DataFrame_IsEthernetLayoutWithoutControlBit()
    {
        var frame = FrameBuilder.Ethernet(FrameBuilder.MacB, FrameBuilder.MacA, EtherTypes.Ipv4, new byte[20]);
        ShmMacHeader.IsControl(frame).ShouldBeFalse();
        var rewritten = new byte[frame.Length];
        ShmMacHeader.Write(rewritten, FrameBuilder.MacB, FrameBuilder.MacA, EtherTypes.Ipv4);
        rewritten.AsSpan(0, 14).ToArray().ShouldBe(frame.AsSpan(0, 14).ToArray());
    }

    [Fact]
    public void Getters_RuntFrame_ReturnFalse()
    {
        var runt = new byte[13];
        ShmMacHeader.IsControl(runt).ShouldBeFalse();
        ShmMacHeader.TryGetDestination(runt, out _).ShouldBeFalse();
        ShmMacHeader.TryGetSource(runt, out _).ShouldBeFalse();
        ShmMacHeader.TryGetEtherType(runt, out _).ShouldBeFalse();
        Should.Throw<ArgumentException>(() => ShmMacHeader.Write(runt, MacAddress.Broadcast, FrameBuilder.MacA, 0x0800));
    }
}
