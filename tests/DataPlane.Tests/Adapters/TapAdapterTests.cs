using System.Net;
using ActorNet.DataPlane.Adapters;
using ActorNet.DataPlane.Frames;

namespace ActorNet.DataPlane.Tests.Adapters;

// Opening real TAP devices needs a network namespace of the test's own (to leave the host untouched); those tests
// live in Host.Tests/Platform, next to the namespace helper. Here: the validation that happens before any syscall.
public sealed class TapAdapterTests
{
    private static TapAdapterOptions Valid => new() { Name = "shm0", MacAddress = MacAddress.ForNode(NetworkKind.Local, 1) };

    [Theory]
    [InlineData("")]
    [InlineData("a-name-that-is-too-long")]
    [InlineData("bad/name")]
    [InlineData("sp ace")]
    public void Open_InvalidName_ThrowsNamingIt(string name)
    {
        Should.Throw<TapAdapterException>(() => TapAdapter.Open(Valid with { Name = name })).Message.ShouldContain("name");
    }

    [Theory]
    [InlineData(67)]
    [InlineData(65522)]
    public void Open_MtuOutOfRange_ThrowsWithTheLimit(int mtu)
    {
        Should.Throw<TapAdapterException>(() => TapAdapter.Open(Valid with { Mtu = mtu })).Message.ShouldContain("65521");
    }

    [Fact]
    public void Open_GroupMac_Throws()
    {
        Should.Throw<TapAdapterException>(() => TapAdapter.Open(Valid with { MacAddress = MacAddress.Broadcast })).Message.ShouldContain("individual");
    }

    [Fact]
    public void Open_Ipv6AddressAsIpv4_Throws()
    {
        Should.Throw<TapAdapterException>(() => TapAdapter.Open(Valid with { Ipv4Address = IPAddress.IPv6Loopback }));
    }

    [Fact]
    public void MaxFrameSize_WithOffloads_HoldsA64KiBSuperFrame()
    {
        (Valid with { Mtu = 1500 }).MaxFrameSize.ShouldBe(1518);
        (Valid with { Offloads = true }).MaxFrameSize.ShouldBe(65553);
    }

    [Theory]
    [InlineData(1514, false)]
    [InlineData(65536, false)]
    [InlineData(65563, true)]
    public void OffloadsFit_SlotSize_MustHoldASuperFrameAndItsHeader(int slot, bool fits)
    {
        TapAdapterOptions.OffloadsFit(slot).ShouldBe(fits);
    }
}
