using System.Globalization;

namespace ActorNet.Actors.Cluster.Membership;

/// <summary>
/// The network address of one cluster node, <c>actornet://&lt;cluster&gt;@&lt;host&gt;:&lt;port&gt;</c> (Akka's <c>Address</c>
/// with the protocol fixed to <see cref="Protocol"/>). Immutable value; equality is ordinal on all three parts.
/// </summary>
/// <remarks>
/// Ordering is Akka's <c>Member.addressOrdering</c>: host (ordinal string compare), then port. Akka assumes protocol and
/// system are equal inside one cluster; to keep the ordering total (a sorted set must never call two different
/// addresses equal) the cluster name breaks a remaining tie, which changes nothing inside one cluster.
/// Parsing accepts untrusted text (config, the wire) and fails with <see cref="FormatException"/> naming the problem.
/// </remarks>
public sealed record Address : IComparable<Address>
{
    /// <summary>The URI scheme of every ActorNet node address.</summary>
    public const string Protocol = "actornet";

    /// <summary>Longest accepted cluster name or host, in characters (bounds what a peer can make us store).</summary>
    public const int MaxPartLength = 255;

    /// <summary>Creates an address after validating each part.</summary>
    /// <param name="cluster">Cluster (actor system) name: letters, digits, '-' and '_' only, not empty.</param>
    /// <param name="host">Host name or IP literal (IPv6 without brackets), not empty, no '@', '/' or whitespace.</param>
    /// <param name="port">TCP port 0..65535.</param>
    /// <exception cref="ArgumentException">A part is invalid; the message names it.</exception>
    public Address(string cluster, string host, int port)
    {
        if (!IsValidClusterName(cluster))
        {
            throw new ArgumentException($"invalid cluster name '{cluster}': use 1..{MaxPartLength} letters, digits, '-' or '_'", nameof(cluster));
        }

        if (!IsValidHost(host))
        {
            throw new ArgumentException($"invalid host '{host}': 1..{MaxPartLength} characters without '@', '/', brackets or whitespace", nameof(host));
        }

        if (port is < 0 or > 65535)
        {
            throw new ArgumentException($"invalid port {port}: expected 0..65535", nameof(port));
        }

        Cluster = cluster;
        Host = host;
        Port = port;
    }

    /// <summary>Cluster (actor system) name; every member of one cluster has the same name.</summary>
    public string Cluster { get; }

    /// <summary>Host name or IP literal the node's remoting listens on.</summary>
    public string Host { get; }

    /// <summary>TCP port of the node's remoting listener.</summary>
    public int Port { get; }

    /// <summary>Akka's member address ordering, usable for sorted collections.</summary>
    public static IComparer<Address> Ordering { get; } = Comparer<Address>.Create(static (a, b) => a.CompareTo(b));

    /// <summary>Parses <c>actornet://cluster@host:port</c> (IPv6 hosts in brackets).</summary>
    /// <exception cref="FormatException">The text is not a valid address; the message says what is wrong.</exception>
    public static Address Parse(string text)
    {
        if (TryParse(text, out var address, out var error))
        {
            return address;
        }

        throw new FormatException(error);
    }

    /// <summary>Parses like <see cref="Parse"/> without throwing; <paramref name="error"/> explains a failure.</summary>
    public static bool TryParse(string? text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Address? address, out string error)
    {
        address = null;
        const string prefix = Protocol + "://";
        if (text is null || text.Length > 2 * MaxPartLength + prefix.Length + 8)
        {
            error = "address is missing or too long";
            return false;
        }

        if (!text.StartsWith(prefix, StringComparison.Ordinal))
        {
            error = $"address '{text}' must start with '{prefix}'";
            return false;
        }

        var rest = text.AsSpan(prefix.Length);
        int at = rest.IndexOf('@');
        if (at <= 0)
        {
            error = $"address '{text}' has no '<cluster>@' part";
            return false;
        }

        string cluster = rest[..at].ToString();
        var hostPort = rest[(at + 1)..];
        int colon = hostPort.LastIndexOf(':');
        if (colon <= 0 || colon == hostPort.Length - 1)
        {
            error = $"address '{text}' has no ':<port>' part";
            return false;
        }

        var hostSpan = hostPort[..colon];
        if (hostSpan.Length >= 2 && hostSpan[0] == '[' && hostSpan[^1] == ']')
        {
            hostSpan = hostSpan[1..^1];
        }

        string host = hostSpan.ToString();
        if (!int.TryParse(hostPort[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port > 65535)
        {
            error = $"address '{text}' has an invalid port (expected 0..65535)";
            return false;
        }

        if (!IsValidClusterName(cluster))
        {
            error = $"address '{text}' has an invalid cluster name (letters, digits, '-' or '_')";
            return false;
        }

        if (!IsValidHost(host))
        {
            error = $"address '{text}' has an invalid host";
            return false;
        }

        address = new Address(cluster, host, port);
        error = string.Empty;
        return true;
    }

    /// <summary>Compares by host (ordinal) then port, then cluster name (see the type remarks).</summary>
    public int CompareTo(Address? other)
    {
        if (other is null)
        {
            return 1;
        }

        int c = string.CompareOrdinal(Host, other.Host);
        if (c != 0)
        {
            return c;
        }

        c = Port.CompareTo(other.Port);
        return c != 0 ? c : string.CompareOrdinal(Cluster, other.Cluster);
    }

    /// <summary>Formats as <c>actornet://cluster@host:port</c>, bracketing IPv6 hosts; <see cref="Parse"/> reads it back.</summary>
    public override string ToString()
    {
        string host = Host.Contains(':', StringComparison.Ordinal) ? "[" + Host + "]" : Host;
        return string.Create(CultureInfo.InvariantCulture, $"{Protocol}://{Cluster}@{host}:{Port}");
    }

    private static bool IsValidClusterName(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > MaxPartLength)
        {
            return false;
        }

        foreach (char ch in name)
        {
            if (!(char.IsAsciiLetterOrDigit(ch) || ch == '-' || ch == '_'))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsValidHost(string? host)
    {
        if (string.IsNullOrEmpty(host) || host.Length > MaxPartLength)
        {
            return false;
        }

        foreach (char ch in host)
        {
            if (ch is '@' or '/' or '[' or ']' || char.IsWhiteSpace(ch) || char.IsControl(ch))
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>
/// A node address plus the incarnation uid chosen at process start (Akka's <c>UniqueAddress</c>): a restarted node
/// has the same <see cref="Address"/> but a new <see cref="Uid"/> and is a different member. Immutable value.
/// </summary>
/// <param name="Address">The node's network address.</param>
/// <param name="Uid">Random incarnation id, unique per process start.</param>
public sealed record UniqueAddress(Address Address, long Uid) : IComparable<UniqueAddress>
{
    /// <summary>Akka's ordering: address ordering, then uid.</summary>
    public static IComparer<UniqueAddress> Ordering { get; } = Comparer<UniqueAddress>.Create(static (a, b) => a.CompareTo(b));

    /// <summary>Compares by address (Akka's address ordering) then by uid.</summary>
    public int CompareTo(UniqueAddress? other)
    {
        if (other is null)
        {
            return 1;
        }

        int c = Address.CompareTo(other.Address);
        return c != 0 ? c : Uid.CompareTo(other.Uid);
    }

    /// <summary>Formats as <c>address#uid</c>, as Akka logs it.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Address}#{Uid}");
}
