using System.Globalization;

namespace ActorNet.Actors.Remote;

/// <summary>How the transport treats traffic with one peer (Akka's failure-injector transport modes).</summary>
public enum PeerFaultMode
{
    /// <summary>Normal delivery.</summary>
    PassThrough,

    /// <summary>Every message to and from the peer is dropped (the connection stays up, as in a silent partition).</summary>
    Blackhole,

    /// <summary>Outbound messages to the peer are limited to <see cref="PeerFault.MessagesPerSecond"/>.</summary>
    Throttle,

    /// <summary>Each message to and from the peer is dropped with <see cref="PeerFault.DropProbability"/>.</summary>
    Drop,
}

/// <summary>
/// An injected fault towards one peer, immutable. Set by the fault injector through
/// <see cref="RemoteTransport.SetFault"/>; read by the transport's I/O loops without locks.
/// </summary>
public sealed record PeerFault(PeerFaultMode Mode, double DropProbability = 0, int MessagesPerSecond = 0)
{
    /// <summary>Normal delivery.</summary>
    public static PeerFault PassThrough { get; } = new(PeerFaultMode.PassThrough);

    /// <summary>Drop everything both ways.</summary>
    public static PeerFault Blackhole { get; } = new(PeerFaultMode.Blackhole);

    /// <summary>Whether a message passes, given a uniform random number in [0, 1).</summary>
    public bool Passes(double uniform) => Mode switch
    {
        PeerFaultMode.Blackhole => false,
        PeerFaultMode.Drop => uniform >= DropProbability,
        _ => true,
    };

    /// <inheritdoc />
    public override string ToString() => Mode switch
    {
        PeerFaultMode.Drop => string.Create(CultureInfo.InvariantCulture, $"drop with probability {DropProbability}"),
        PeerFaultMode.Throttle => string.Create(CultureInfo.InvariantCulture, $"throttle to {MessagesPerSecond} msg/s"),
        PeerFaultMode.Blackhole => "blackhole",
        _ => "pass-through",
    };
}
