using System.Net;
using ActorNet.Host.Platform;

namespace ActorNet.Host.Ops.Bench;

/// <summary>
/// One way of joining two network namespaces that the TAP benchmark measures (ActorNet, a veth pair, vde_switch).
/// The benchmark calls <see cref="Unavailable"/>, then <see cref="OpenAsync"/> once, measures over the returned link
/// at each MTU and disposes it. Implementations create everything through the <see cref="BenchScope"/> so it is torn
/// down even when they fail half-way. Called from the benchmark's one thread.
/// </summary>
internal interface ITapBenchPath
{
    /// <summary>Short name used in rows and tables (<c>actornet</c>, <c>veth</c>, <c>vde</c>).</summary>
    string Name { get; }

    /// <summary>One line saying what the path is, e.g. "kernel veth pair".</summary>
    string Description { get; }

    /// <summary>Null when the path can be measured in this build and on this machine; otherwise why not.</summary>
    string? Unavailable();

    /// <summary>Builds the two namespaces and the link between them, addressed and up at MTU 1500.</summary>
    /// <exception cref="BenchException">A step failed; the message says which.</exception>
    Task<IBenchLink> OpenAsync(BenchScope scope, CancellationToken cancellation);
}

/// <summary>
/// Two namespaces joined by one path, ready for traffic from <see cref="Client"/> to <see cref="ServerAddress"/>.
/// Disposing stops what the path started (its processes; the scope deletes the namespaces).
/// </summary>
internal interface IBenchLink : IAsyncDisposable
{
    /// <summary>Namespace running the ping and iperf3 clients.</summary>
    NetworkNamespace Client { get; }

    /// <summary>Namespace running the iperf3 server.</summary>
    NetworkNamespace Server { get; }

    /// <summary>The client's device (for <c>ethtool -k</c>).</summary>
    string ClientDevice { get; }

    /// <summary>The server's device.</summary>
    string ServerDevice { get; }

    /// <summary>The server's address on the link.</summary>
    IPAddress ServerAddress { get; }

    /// <summary>Largest MTU the devices accept (the kernel's <c>maxmtu</c>); the benchmark checks frames that big really cross.</summary>
    int MaxMtu { get; }

    /// <summary>Sets the MTU on both ends (the path may restart what it needs for that).</summary>
    Task SetMtuAsync(int mtu, CancellationToken cancellation);
}

/// <summary>A path that cannot be measured in this build or on this machine; the reason is shown instead of figures.</summary>
internal sealed class UnavailableTapBenchPath : ITapBenchPath
{
    private readonly string _reason;

    /// <summary>Creates the path with its name, description and reason.</summary>
    public UnavailableTapBenchPath(string name, string description, string reason)
    {
        Name = name;
        Description = description;
        _reason = reason;
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <inheritdoc/>
    public string Description { get; }

    /// <inheritdoc/>
    public string? Unavailable() => _reason;

    /// <inheritdoc/>
    public Task<IBenchLink> OpenAsync(BenchScope scope, CancellationToken cancellation) => throw new BenchException(Name + " is unavailable: " + _reason);
}
