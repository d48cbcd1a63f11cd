namespace ActorNet.Actors;

/// <summary>
/// Where an actor system lives: protocol, system name and, for remote systems, host and port (Akka's
/// <c>Address</c>). Every path of this kernel is local today (<see cref="Host"/> and <see cref="Port"/> null);
/// the remoting layer of the cluster issue creates addresses with a host and port. Immutable, thread-safe.
/// </summary>
/// <param name="Protocol">Transport scheme, <c>akka</c> for local systems (kept so paths read like Akka's).</param>
/// <param name="System">Actor system name.</param>
/// <param name="Host">Host name or IP of a remote system, or null for a local one.</param>
/// <param name="Port">TCP port of a remote system, or null for a local one.</param>
public sealed record Address(string Protocol, string System, string? Host = null, int? Port = null)
{
    /// <summary>True when the address names a system in this process (no host and no port).</summary>
    public bool HasLocalScope => Host is null;

    /// <summary>Renders <c>protocol://system</c> or <c>protocol://system@host:port</c>, as Akka does.</summary>
    public override string ToString() =>
        Host is null ? $"{Protocol}://{System}" : $"{Protocol}://{System}@{Host}:{Port}";
}
